"""The client register in the running app: unlock, Klient:innen, Ctrl+N, save, open; Ctrl+F;
a rule change moving the target group in the list; locking forgets every name."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from conftest import PASSPHRASE
from gk_desktop.app import AppController
from gk_desktop.services import clients, rules
from gk_desktop.settings import Settings
from gk_desktop.ui import ops
from gk_desktop.ui.clients_view import COL_GROUP, COL_MATCH, COL_NAME


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def window(qtbot, data_dir: Path, new_vault):
    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        clients.add_client(v, {"first_name": "Omar", "last_name": "Khalil", "birth_date": "1998-01-10",
                               "residence_status": "DULDUNG_60A", "exclusion_outcome": "KEINE"})
    app = QApplication.instance()
    ctl = AppController(app, data_dir, Settings.load())
    ctl.start()
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
    w = ctl.main_window
    qtbot.waitUntil(lambda: w.clients_view.model.rowCount() == 1, timeout=10_000)
    yield ctl, w
    ctl.shutdown()
    ops.wait_all()
    for x in (ctl.main_window, ctl.lock_screen):
        if x is not None:
            x.close()
            x.deleteLater()


def test_new_client_by_keyboard_then_opened(qtbot, window) -> None:
    ctl, w = window
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(w, "first_contact_dialog", None) is not None and w.first_contact_dialog.isVisible(),
                    timeout=10_000)
    d = w.first_contact_dialog
    assert w.stack.currentWidget() is w.clients_view
    qtbot.keyClicks(d.first_name, "Aya")
    qtbot.keyClicks(d.last_name, "Nour")
    qtbot.keyClicks(d.birth_date, "09.08.2004")
    d.residence_status.setCurrentIndex(d.residence_status.findData("AUFENTHALTSGESTATTUNG"))
    qtbot.waitUntil(lambda: d.preview is not None and d.preview.target_group == "SEKUNDAER_GESTATTUNG")
    qtbot.keyClick(d.first_name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.case_view and "Nour, Aya" in w.case_view.title.text(),
                    timeout=10_000)
    qtbot.waitUntil(lambda: w.clients_view.model.rowCount() == 2, timeout=10_000)
    assert w.windowTitle() == "gk-desktop"  # never a name
    qtbot.keyClick(w.case_view.overview, Qt.Key.Key_Escape)
    assert w.stack.currentWidget() is w.clients_view
    assert w.clients_view.selected_case_code() == w.case_view.case_code


def test_ctrl_f_searches_and_enter_opens(qtbot, window) -> None:
    ctl, w = window
    w.nav.setCurrentRow(0)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.stack.currentWidget() is w.clients_view and w.clients_view.search.hasFocus()
    qtbot.keyClicks(w.clients_view.search, "khal")
    qtbot.waitUntil(lambda: w.clients_view.proxy.rowCount() == 1 and not w.clients_view.table.isColumnHidden(COL_MATCH),
                    timeout=5000)
    qtbot.keyClick(w.clients_view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Khalil, Omar" in w.case_view.title.text(), timeout=5000)


def test_a_rule_change_moves_the_target_group_in_the_list(qtbot, window, monkeypatch) -> None:
    ctl, w = window
    view = w.clients_view
    assert view.proxy.index(0, COL_GROUP).data() == "nicht Zielgruppe"  # 28 years old
    w.show_settings(2)
    rv = w.settings_view.rules_view
    assert w.settings_view.tabs.currentWidget() is rv
    qtbot.waitUntil(lambda: rv.programme is not None if hasattr(rv, "programme") else True, timeout=5000)
    rules.update_programme(ctl.vault, "GK_BAUSTEIN_6", age_max=29)  # as the dialog does, then:
    with qtbot.waitSignal(view.loaded, timeout=5000):
        rv.rules_changed.emit()
    assert view.proxy.index(0, COL_GROUP).data() == "primär (Duldung)"
    assert view.proxy.index(0, COL_NAME).data() == "Khalil, Omar"


def test_lock_forgets_the_list(qtbot, window) -> None:
    ctl, w = window
    ctl.lock()
    QApplication.processEvents()
    for widget in QApplication.allWidgets():
        model = getattr(widget, "model", None)
        if callable(model) and widget.metaObject().className() == "QTableView" and model() is not None:
            m = model()
            texts = [str(m.data(m.index(r, c))) for r in range(m.rowCount()) for c in range(m.columnCount())]
            assert not any("Khalil" in t for t in texts)


def test_lock_with_the_first_contact_form_open(qtbot, window) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    ctl, w = window
    w.new_client()
    qtbot.waitUntil(lambda: getattr(w, "first_contact_dialog", None) is not None and w.first_contact_dialog.isVisible(),
                    timeout=10_000)
    qtbot.keyClicks(w.first_contact_dialog.first_name, "Zqxcanaryform")
    ctl.lock()  # no question blocks the lock
    QApplication.processEvents()
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit):
            assert "Zqxcanaryform" not in widget.text()
        if isinstance(widget, QPlainTextEdit):
            assert "Zqxcanaryform" not in widget.toPlainText()


def test_interview_typed_locked_offered_again_and_saved(qtbot, window) -> None:
    from gk_desktop.services import drafts

    ctl, w = window
    code = w.clients_view.model.row_at(0).case_code
    w.open_client(code)
    qtbot.waitUntil(lambda: w.case_view.case_code == code and w.case_view.client_id is not None, timeout=5000)
    w.case_view.tabs.setCurrentIndex(3)
    qtbot.keyClick(w.case_view.interview_table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(w, "interview_editor", None) is not None and w.interview_editor.isVisible(), timeout=5000)
    editor = w.interview_editor
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Bewerbung besprochen, Zeugnisse fehlen noch")
    vault = ctl.vault
    ctl.lock()  # the editor keeps what was typed as a draft in the vault
    from gk_desktop.ui import ops as _ops

    _ops.wait_all()
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
    w2 = ctl.main_window
    assert [d.payload["contact"]["note"] for d in drafts.list_drafts(ctl.vault, "contact")] == [
        "Bewerbung besprochen, Zeugnisse fehlen noch"]
    qtbot.waitUntil(lambda: getattr(w2, "drafts_question", None) is not None and w2.drafts_question.isVisible(),
                    timeout=5000)
    w2.drafts_question.defaultButton().click()
    qtbot.waitUntil(lambda: getattr(w2, "interview_editor", None) is not None and w2.interview_editor.isVisible(),
                    timeout=5000)
    assert w2.interview_editor.note.toPlainText() == "Bewerbung besprochen, Zeugnisse fehlen noch"
    w2.interview_editor.save()
    qtbot.waitUntil(lambda: w2.case_view.interviews.rowCount() == 1, timeout=5000)
    assert drafts.list_drafts(ctl.vault, "contact") == []
    assert vault is not ctl.vault  # a new unlock


def test_a_word_from_an_interview_finds_and_opens_it(qtbot, window) -> None:
    from gk_desktop.services import contacts

    ctl, w = window
    code = w.clients_view.model.row_at(0).case_code
    first = contacts.add_contact(ctl.vault, code, {"datetime": "2026-10-01T09:00:00+02:00", "note": "Anmeldung Sprachkurs"})
    newest = contacts.add_contact(ctl.vault, code, {"datetime": "2026-11-20T09:00:00+01:00",
                                                    "note": "Die Anmeldung am Berufskolleg ist abgeschickt."})
    w.focus_search()
    qtbot.keyClicks(w.clients_view.search, "anmeldung")
    view = w.clients_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1 and not view.table.isColumnHidden(COL_MATCH), timeout=5000)
    found = view.proxy.index(0, COL_MATCH).data()
    assert found.startswith("Gespräch: ") and "Berufskolleg" in found  # the newest interview
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.case_view.tabs.currentIndex() == 3, timeout=5000)
    selected = w.case_view.interview_table.selectionModel().selectedRows()
    assert w.case_view.interviews.row_at(selected[0].row())["id"] == newest != first


def test_first_contact_kept_as_a_draft_over_a_lock(qtbot, window) -> None:
    from gk_desktop.services import drafts

    ctl, w = window
    w.new_client()
    qtbot.waitUntil(lambda: getattr(w, "first_contact_dialog", None) is not None and w.first_contact_dialog.isVisible(),
                    timeout=5000)
    qtbot.keyClicks(w.first_contact_dialog.first_name, "Selam")
    qtbot.keyClicks(w.first_contact_dialog.last_name, "Tesfay")
    ctl.lock()
    from gk_desktop.ui import ops as _ops

    _ops.wait_all()
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
    w2 = ctl.main_window
    assert [d.kind for d in drafts.list_drafts(ctl.vault)] == ["first_contact"]
    qtbot.waitUntil(lambda: getattr(w2, "drafts_question", None) is not None and w2.drafts_question.isVisible(),
                    timeout=5000)
    w2.drafts_question.defaultButton().click()
    qtbot.waitUntil(lambda: getattr(w2, "first_contact_dialog", None) is not None
                    and w2.first_contact_dialog.isVisible(), timeout=5000)
    d = w2.first_contact_dialog
    assert (d.first_name.text(), d.last_name.text()) == ("Selam", "Tesfay")
    qtbot.keyClicks(d.birth_date, "01.01.2003")
    d.save()
    qtbot.waitUntil(lambda: w2.clients_view.model.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: drafts.list_drafts(ctl.vault) == [], timeout=5000)


def test_residence_checks_page_opens_a_case_and_is_checked_again_after_a_change(qtbot, window) -> None:
    ctl, w = window
    code = w.clients_view.model.rows()[0].case_code
    page = w.residence_view
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        w.nav.setCurrentRow(w._pages.index(page))
    assert w.stack.currentWidget() is page and w.nav.item(w._pages.index(page)).text() == "Prüfungen"
    w.nav.setCurrentRow(0)
    with qtbot.assertNotEmitted(page.loaded, wait=300):  # shown again without a change: no new check
        w.nav.setCurrentRow(w._pages.index(page))
    page.open_case.emit(code)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.case_view and w.case_view.case_code == code, timeout=10_000)
    w.case_view.changed.emit()  # a change in the file: the page checks again when shown
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        w.nav.setCurrentRow(w._pages.index(page))
    ctl.lock()
    qtbot.waitUntil(lambda: ctl.main_window is None, timeout=10_000)


def test_batch_print_of_running_cases_from_the_clients_menu(qtbot, window) -> None:
    ctl, w = window
    dialog = w.batch_print()
    assert dialog is not None and dialog.isVisible()
    assert dialog.case_codes == [w.clients_view.model.rows()[0].case_code]  # the one running case
    assert "Khalil" not in dialog.windowTitle() and "Omar" not in dialog.windowTitle()  # never a name
    ctl.lock()
    qtbot.waitUntil(lambda: ctl.main_window is None, timeout=10_000)
