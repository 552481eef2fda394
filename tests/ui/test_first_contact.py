"""Neue:r Klient:in: the first-contact dialog driven as a worker would, by mouse and by keyboard."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget

from gk_desktop.domain.enums import TargetGroup
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _
from gk_desktop.services import clients
from gk_desktop.ui import ops
from gk_desktop.ui.first_contact import TARGET_GROUP_TITLES, FirstContactDialog, parse_date_text, reason_text

TODAY = "2026-11-25"


# --------------------------------------------------------------------------- helpers


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, ü, ş and Arabic included (qtbot.keyClicks aborts on those; STYLE.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """A key press on whatever has the keyboard focus, as the keyboard would send it."""
    for _i in range(times):
        QTest.keyClick(focused(), key, modifier)


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0
    combo.setCurrentIndex(index)


def answer_question(button_name: str, seen: list[str], *, key: Qt.Key | None = None) -> None:
    """Answer the next modal question with a button (by object name) or with a key."""

    def handle() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        if key is not None:
            QTest.keyClick(box, key)
        else:
            box.findChild(QPushButton, button_name).click()

    QTimer.singleShot(0, handle)


@pytest.fixture
def vault(open_vault, monkeypatch):
    monkeypatch.setenv("GK_TODAY", TODAY)
    yield open_vault
    ops.wait_all()


@pytest.fixture
def make_dialog(qtbot, vault):
    def make() -> FirstContactDialog:
        dialog = FirstContactDialog(vault, clients.load_rules(vault))
        # Closed at the end without the discard question (which would wait for an answer).
        qtbot.addWidget(dialog, before_close_func=lambda w: w.done(QDialog.DialogCode.Rejected))
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.first_name)
        return dialog

    yield make
    ops.wait_all()


@pytest.fixture
def dialog(make_dialog) -> FirstContactDialog:
    return make_dialog()


def fill(dialog: FirstContactDialog, first: str, last: str, birth: str) -> None:
    type_text(dialog.first_name, first)
    type_text(dialog.last_name, last)
    type_text(dialog.birth_date, birth)


def add_existing(vault) -> str:
    return clients.add_client(vault, {"first_name": "Mohammed", "last_name": "Al-Hassan",
                                      "birth_date": "2001-03-04"}).case_code


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, expected", [
    ("14.07.2002", dt.date(2002, 7, 14)),
    ("14072002", dt.date(2002, 7, 14)),
    ("4.7.2002", dt.date(2002, 7, 4)),
    ("14/07/2002", dt.date(2002, 7, 14)),
    ("2002-07-14", dt.date(2002, 7, 14)),
    (" 14.07.2002 ", dt.date(2002, 7, 14)),
])
def test_dates_typed_fast_are_read(text: str, expected: dt.date) -> None:
    assert parse_date_text(text) == (expected, None)


@pytest.mark.parametrize("text", ["30.02.2003", "31.04.2001", "14.13.2002", "29.02.2001", "1407202", "14.07.",
                                  "14.07.1850"])
def test_dates_that_cannot_be_are_refused_with_a_message(text: str) -> None:
    day, problem = parse_date_text(text)
    assert day is None and problem


def test_a_year_alone_is_a_fictitious_birth_date() -> None:
    day, problem = parse_date_text("2003")
    assert day is None and problem
    assert parse_date_text("2003", year_only=True) == (dt.date(2003, 1, 1), None)
    assert parse_date_text("29.02.2004") == (dt.date(2004, 2, 29), None)
    assert parse_date_text("") == (None, None)


# --------------------------------------------------------------------------- live result


def test_target_group_follows_the_fields(qtbot, dialog) -> None:
    assert dialog.preview is not None and dialog.preview.target_group is None
    type_text(dialog.birth_date, "14072002")
    assert dialog.preview.age == 24
    assert dialog.preview.target_group == TargetGroup.SONSTIGE
    assert dialog.preview.leaves_target_group_on == dt.date(2030, 7, 14)
    assert "14.07.2030" in dialog.result_panel.age.text()
    assert dialog.preview.programme_name in dialog.result_panel.programme.text()
    # Tab out of the field: the date is written in the one display form.
    dialog.birth_date.setFocus()
    press(Qt.Key.Key_Tab)
    assert dialog.birth_date.text() == "14.07.2002"

    choose(dialog.residence_status, "DULDUNG_60A")
    assert dialog.preview.target_group == TargetGroup.PRIMAER_DULDUNG
    assert dialog.result_panel.group.text() == _(TARGET_GROUP_TITLES["PRIMAER_DULDUNG"])
    choose(dialog.residence_status, "AUFENTHALTSGESTATTUNG")
    assert dialog.preview.target_group == TargetGroup.SEKUNDAER_GESTATTUNG
    assert dialog.result_panel.group.text() == _(TARGET_GROUP_TITLES["SEKUNDAER_GESTATTUNG"])

    not_checked = _("Exclusion check not yet recorded (outcome only, never the reasons).")
    assert not_checked in dialog.preview.hints and not_checked in dialog.result_panel.hints.text()
    choose(dialog.exclusion, "KEINE")
    assert dialog.preview.target_group == TargetGroup.SEKUNDAER_GESTATTUNG
    assert not_checked not in dialog.result_panel.hints.text()
    choose(dialog.exclusion, "LANDESAUFNAHMEEINRICHTUNG")
    assert dialog.preview.target_group == TargetGroup.NICHT_ZIELGRUPPE
    assert _("An exclusion applies: not in the target group.") in dialog.result_panel.hints.text()

    choose(dialog.exclusion, "KEINE")
    dialog.birth_date.clear()
    type_text(dialog.birth_date, "01.01.1998")
    assert dialog.preview.age == 28
    assert dialog.preview.target_group == TargetGroup.NICHT_ZIELGRUPPE
    older = _("Older than {n}: outside the programme's age band.").format(n=27)
    assert older in dialog.preview.hints and older in dialog.result_panel.hints.text()
    assert dialog.result_panel.group.text() == _(TARGET_GROUP_TITLES["NICHT_ZIELGRUPPE"])


def test_fictitious_birth_date_with_the_year_only(qtbot, dialog) -> None:
    dialog.fictitious.setChecked(True)
    type_text(dialog.birth_date, "2003")
    assert dialog.preview.age == 23
    assert _("The birth date is fictitious: age and deadlines are approximate.") in dialog.preview.hints
    dialog.birth_date.tidy()
    assert dialog.birth_date.text() == "01.01.2003"
    type_text(dialog.first_name, "Amina")
    type_text(dialog.last_name, "Yusuf")
    data = dialog.form_data()
    assert data is not None
    assert data["birth_date"] == "2003-01-01" and data["birth_date_fictitious"] is True


def test_set_rules_recomputes(qtbot, vault, dialog) -> None:
    type_text(dialog.birth_date, "14.07.2002")
    dialog.set_rules(None)
    assert dialog.preview is None
    dialog.set_rules(clients.load_rules(vault))
    assert dialog.preview.age == 24


# --------------------------------------------------------------------------- saving


def test_impossible_date_blocks_saving(qtbot, vault, dialog) -> None:
    fill(dialog, "Amina", "Yusuf", "30.02.2003")
    assert dialog.birth_date.error.isVisible() and dialog.birth_date.error.text()
    assert dialog.preview.target_group is None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and dialog.message.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert QApplication.focusWidget() is dialog.birth_date
    assert dialog.first_name.text() == "Amina"
    ops.wait_all()
    assert clients.list_clients(vault) == []
    # Corrected, the message goes and saving works.
    dialog.birth_date.clear()
    type_text(dialog.birth_date, "28.02.2003")
    assert not dialog.birth_date.error.isVisible() and not dialog.message.isVisible()
    with qtbot.waitSignal(dialog.client_added, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_missing_fields_and_future_birth_date_block_saving(qtbot, vault, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().count("\n") == 2  # first name, last name, birth date
    assert QApplication.focusWidget() is dialog.first_name
    fill(dialog, "Amina", "Yusuf", "01.01.2027")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and dialog.birth_date.error.isVisible()
    ops.wait_all()
    assert clients.list_clients(vault) == []


def test_save_without_duplicates_adds_the_client(qtbot, vault, dialog) -> None:
    type_text(dialog.first_name, "Şükrü")
    type_text(dialog.last_name, "Yılmaz")
    type_text(dialog.birth_date, "14072002")
    choose(dialog.gender, "MAENNLICH")
    choose(dialog.residence_status, "DULDUNG_60A")
    type_text(dialog.valid_until, "31.01.2027")
    choose(dialog.access_route, "JMD")
    request = "Möchte eine Ausbildung beginnen – أريد أن أعمل"
    type_text(dialog.request, request)
    choose(dialog.exclusion, "KEINE")
    with qtbot.waitSignal(dialog.client_added, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    client_id, code = blocker.args
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    ops.wait_all()
    rows = clients.list_clients(vault)
    assert [(r.id, r.case_code, r.first_name, r.last_name) for r in rows] == [(client_id, code, "Şükrü", "Yılmaz")]
    assert rows[0].birth_date == dt.date(2002, 7, 14) and not rows[0].birth_date_fictitious
    assert rows[0].target_group == TargetGroup.PRIMAER_DULDUNG
    shown = clients.show_client(vault, code)
    assert shown["client"]["gender"] == "MAENNLICH"
    assert shown["client"]["residence_status"] == "DULDUNG_60A"
    assert shown["client"]["residence_valid_until"] == "2027-01-31"
    assert shown["client"]["exclusion_outcome"] == "KEINE"
    assert shown["client"]["exclusion_checked_on"] == TODAY
    case = shown["cases"][0]
    assert case["access_route"] == "JMD" and case["request"] == request
    assert case["phase"] == "ERSTKONTAKT" and case["first_contact_on"] == TODAY


def test_unknown_status_records_no_residence_period(qtbot, vault, dialog) -> None:
    fill(dialog, "Amina", "Yusuf", "05.06.2004")
    with qtbot.waitSignal(dialog.client_added, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    ops.wait_all()
    shown = clients.show_client(vault, blocker.args[1])
    assert shown["client"]["residence_periods"] == [] and shown["client"]["exclusion_outcome"] is None
    assert shown["cases"][0]["access_route"] is None and shown["cases"][0]["request"] == ""


def test_duplicate_candidate_and_open_existing(qtbot, vault, dialog) -> None:
    existing = add_existing(vault)
    fill(dialog, "Muhammad", "Alhassan", "04.03.2001")
    added: list[tuple[str, str]] = []
    dialog.client_added.connect(lambda *a: added.append(a))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.candidates.isVisible(), timeout=10_000)
    assert not dialog.save_button.isVisible()
    rows = dialog.candidates.list
    assert rows.topLevelItemCount() == 1
    item = rows.topLevelItem(0)
    assert [item.text(c) for c in range(4)] == [existing, "Al-Hassan, Mohammed", "04.03.2001",
                                               reason_text("same_birth_date_similar_name")]
    assert reason_text("same_birth_date_similar_name") != "same_birth_date_similar_name"
    assert QApplication.focusWidget() is rows
    with qtbot.waitSignal(dialog.open_existing, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.candidates.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [existing]
    assert not dialog.isVisible() and added == []
    ops.wait_all()
    assert [r.case_code for r in clients.list_clients(vault)] == [existing]


def test_save_anyway_adds_the_second_client(qtbot, vault, dialog) -> None:
    existing = add_existing(vault)
    fill(dialog, "Muhammad", "Alhassan", "04.03.2001")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.candidates.isVisible(), timeout=10_000)
    with qtbot.waitSignal(dialog.client_added, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.candidates.save_anyway_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    ops.wait_all()
    codes = {r.case_code for r in clients.list_clients(vault)}
    assert codes == {existing, blocker.args[1]} and len(codes) == 2


def test_a_change_after_the_check_hides_the_stale_candidates(qtbot, vault, dialog) -> None:
    add_existing(vault)
    fill(dialog, "Muhammad", "Alhassan", "04.03.2001")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.candidates.isVisible(), timeout=10_000)
    dialog.birth_date.clear()
    type_text(dialog.birth_date, "05.03.2001")
    assert not dialog.candidates.isVisible() and dialog.save_button.isVisible()
    # Now no candidate: saved at once.
    with qtbot.waitSignal(dialog.client_added, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    ops.wait_all()
    assert len(clients.list_clients(vault)) == 2


def test_buttons_are_disabled_while_the_check_runs(qtbot, vault, dialog, monkeypatch) -> None:
    release = threading.Event()
    calls: list[dict] = []
    real = clients.check_duplicates

    def slow_check(v, data):
        calls.append(data)
        release.wait(10)
        return real(v, data)

    monkeypatch.setattr(clients, "check_duplicates", slow_check)
    fill(dialog, "Amina", "Yusuf", "05.06.2004")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 1)
    assert not dialog.save_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.save()  # a second save (double click, Ctrl+Enter) does nothing
    QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog.reject()  # nor can the dialog be closed halfway
    assert dialog.isVisible() and len(calls) == 1
    with qtbot.waitSignal(dialog.client_added, timeout=10_000):
        release.set()
    ops.wait_all()
    assert len(clients.list_clients(vault)) == 1


def test_rejected_input_is_shown_and_everything_typed_kept(qtbot, vault, dialog, monkeypatch) -> None:
    def refuse(v, data):
        raise InputRejectedError(_("The input was rejected; nothing was changed:") + "\n  - last_name: "
                                 + _("too long (at most {n} characters)").format(n=10))

    monkeypatch.setattr(clients, "check_duplicates", refuse)
    fill(dialog, "Amina", "Yusuf", "05.06.2004")
    type_text(dialog.request, "Sprachkurs")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert "last_name" not in dialog.message.text()  # the field's label instead of the JSON key
    assert _("too long (at most {n} characters)").format(n=10) in dialog.message.text()
    assert QApplication.focusWidget() is dialog.last_name
    assert (dialog.first_name.text(), dialog.last_name.text(), dialog.birth_date.text(),
            dialog.request.toPlainText()) == ("Amina", "Yusuf", "05.06.2004", "Sprachkurs")
    assert dialog.save_button.isEnabled() and dialog.isVisible()
    ops.wait_all()
    assert clients.list_clients(vault) == []


# --------------------------------------------------------------------------- keyboard


def test_whole_flow_by_keyboard_only(qtbot, vault, dialog) -> None:
    existing = add_existing(vault)
    added: list[tuple[str, str]] = []
    dialog.client_added.connect(lambda *a: added.append(a))
    assert focused() is dialog.first_name
    type_text(focused(), "Muhammad")
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.last_name
    type_text(focused(), "Alhassan")
    # Enter before the required fields are filled moves on instead of saving.
    press(Qt.Key.Key_Return)
    assert focused() is dialog.birth_date
    type_text(focused(), "04032001")
    press(Qt.Key.Key_Tab)
    assert dialog.birth_date.text() == "04.03.2001"
    assert focused() is dialog.fictitious
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.gender
    press(Qt.Key.Key_Down, times=dialog.gender.findData("MAENNLICH"))
    assert dialog.gender.currentData() == "MAENNLICH"
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.residence_status
    press(Qt.Key.Key_Down, times=dialog.residence_status.findData("DULDUNG_60A"))
    assert dialog.preview.target_group == TargetGroup.PRIMAER_DULDUNG
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.valid_until
    type_text(focused(), "31.01.2027")
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.access_route
    press(Qt.Key.Key_Down, times=dialog.access_route.findData("JMD"))
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.request
    type_text(focused(), "Ausbildung")
    press(Qt.Key.Key_Return)  # a new line in the request, not a save
    type_text(focused(), "Papiere")
    assert dialog.request.toPlainText() == "Ausbildung\nPapiere"
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.exclusion
    press(Qt.Key.Key_Down)
    assert dialog.exclusion.currentData() == "KEINE"
    # Alt + the label's mnemonic reaches a field from anywhere.
    QTest.keyClick(focused(), dialog.first_name_label.text()[dialog.first_name_label.text().index("&") + 1],
                   Qt.KeyboardModifier.AltModifier)
    assert focused() is dialog.first_name
    # Ctrl+Enter saves; the duplicate check shows the candidate, focus on the list.
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.candidates.isVisible(), timeout=10_000)
    assert focused() is dialog.candidates.list
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Up)
    assert dialog.candidates.selected() == existing
    # Tab reaches the two buttons, Shift+Tab goes back to the list.
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.candidates.open_button
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.candidates.save_anyway_button
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier, times=2)
    assert focused() is dialog.candidates.list
    with qtbot.waitSignal(dialog.open_existing, timeout=5000) as blocker:
        press(Qt.Key.Key_Return)
    assert blocker.args == [existing]
    assert not dialog.isVisible() and added == []
    ops.wait_all()
    assert [r.case_code for r in clients.list_clients(vault)] == [existing]


def test_ctrl_enter_saves_from_the_request_field(qtbot, vault, dialog) -> None:
    fill(dialog, "Amina", "Yusuf", "05.06.2004")
    dialog.request.setFocus()
    type_text(focused(), "Deutschkurs B1")
    with qtbot.waitSignal(dialog.client_added, timeout=10_000) as blocker:
        press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    ops.wait_all()
    assert clients.show_client(vault, blocker.args[1])["cases"][0]["request"] == "Deutschkurs B1"


def test_save_anyway_and_enter_save_by_keyboard(qtbot, vault, dialog) -> None:
    add_existing(vault)
    type_text(focused(), "Muhammad")
    press(Qt.Key.Key_Tab)
    type_text(focused(), "Alhassan")
    press(Qt.Key.Key_Tab)
    type_text(focused(), "04.03.2001")
    # With the required fields filled, Enter in a field saves.
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.candidates.isVisible(), timeout=10_000)
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # never saves past the candidates
    assert focused() is dialog.candidates.list and dialog.isVisible()
    press(Qt.Key.Key_Tab, times=2)
    assert focused() is dialog.candidates.save_anyway_button
    with qtbot.waitSignal(dialog.client_added, timeout=10_000):
        press(Qt.Key.Key_Return)
    ops.wait_all()
    assert len(clients.list_clients(vault)) == 2


# --------------------------------------------------------------------------- closing


def test_cancel_without_input_closes_at_once(qtbot, dialog) -> None:
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_cancel_with_input_asks_before_discarding(qtbot, vault, dialog) -> None:
    type_text(dialog.first_name, "Şükrü")
    seen: list[str] = []
    # Esc, then Esc again in the question: keep editing, nothing lost.
    answer_question("", seen, key=Qt.Key.Key_Escape)
    press(Qt.Key.Key_Escape)
    assert len(seen) == 1 and dialog.isVisible() and dialog.first_name.text() == "Şükrü"
    # Enter in the question takes the default, which also keeps the input.
    answer_question("", seen, key=Qt.Key.Key_Return)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 2 and dialog.isVisible() and dialog.first_name.text() == "Şükrü"
    # "Verwerfen" closes.
    answer_question("discard", seen)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 3 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    ops.wait_all()
    assert clients.list_clients(vault) == []


def test_a_chosen_combo_counts_as_input(qtbot, dialog) -> None:
    choose(dialog.residence_status, "DULDUNG_60A")
    seen: list[str] = []
    answer_question("keep_editing", seen)
    dialog.close()
    assert seen and dialog.isVisible()
