"""Diskret-Modus: no other client's name anywhere on screen; the clipboard forgets what was copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QLineEdit, QTextEdit, QWidget

from conftest import PASSPHRASE
from gk_desktop.app import AppController
from gk_desktop.services import clients
from gk_desktop.settings import Settings
from gk_desktop.ui import ops
from gk_desktop.ui.clients_view import COL_CODE
from gk_desktop.ui.privacy import privacy

OTHERS = [("Zqxvorname", "Zqxnachname"), ("Qwyrania", "Qwykhalil"), ("Jjmomar", "Jjmdarwish")]
OPEN = ("Aya", "Offenname")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def window(qtbot, data_dir: Path, new_vault):
    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        codes = {}
        for first, last in OTHERS + [OPEN]:
            codes[last] = clients.add_client(v, {"first_name": first, "last_name": last, "birth_date": "2002-02-02",
                                                 "name_variants": [first + "variante"]}).case_code
    ctl = AppController(QApplication.instance(), data_dir, Settings.load())
    ctl.start()
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
    w = ctl.main_window
    w.resize(1200, 760)
    qtbot.waitUntil(lambda: w.clients_view.model.rowCount() == 4, timeout=10_000)
    yield ctl, w, codes
    ctl.shutdown()
    ops.wait_all()
    privacy.reset()
    for x in (ctl.main_window, ctl.lock_screen):
        if x is not None:
            x.close()
            x.deleteLater()


# Every role that can carry text: display, edit, tooltip, status tip, what's this, accessible
# text and description, and the first user roles.
TEXT_ROLES = [0, 2, 3, 4, 5, 11, 12] + list(range(int(Qt.ItemDataRole.UserRole), int(Qt.ItemDataRole.UserRole) + 8))


def _texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle(), widget.toolTip(), widget.accessibleName(), widget.statusTip(), widget.whatsThis()]
    if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, QTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QAbstractItemView) and isinstance(widget.model(), QAbstractItemModel):
        model = widget.model()
        try:
            columns = model.columnCount()
        except TypeError:
            columns = 1
        for row in range(model.rowCount()):
            for col in range(columns):
                index = model.index(row, col)
                for role in TEXT_ROLES:
                    value = model.data(index, role)
                    if isinstance(value, str):
                        texts.append(value)
        for col in range(columns):
            header = model.headerData(col, Qt.Orientation.Horizontal)
            if isinstance(header, str):
                texts.append(header)
    return texts


def _leaks(names: list[str]) -> list[str]:
    found = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        for text in _texts(widget):
            found += [f"{type(widget).__name__}: {n}" for n in names if n.lower() in text.lower()]
    return found


def test_privacy_mode_hides_every_other_name(qtbot, window) -> None:
    ctl, w, codes = window
    hidden = [n for pair in OTHERS for n in pair] + [first + "variante" for first, _l in OTHERS]
    w.show_clients()
    QApplication.processEvents()
    assert _leaks(hidden)  # the test sees names when the mode is off
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert privacy.enabled and w.privacy_action.isChecked()
    QApplication.processEvents()
    assert _leaks(hidden) == []
    # Searching for a name still finds the row, but shows neither the name nor the variant.
    w.focus_search()
    qtbot.keyClicks(w.clients_view.search, "qwyr")
    qtbot.waitUntil(lambda: w.clients_view.proxy.rowCount() == 1, timeout=5000)
    assert _leaks(hidden) == []
    w.clients_view.search.clear()
    # The open client is shown in full, the others stay hidden.
    w.open_client(codes["Offenname"])
    qtbot.waitUntil(lambda: "Offenname" in w.case_view.title.text(), timeout=5000)
    assert _leaks(hidden) == []
    w.back_to_list()
    QApplication.processEvents()
    assert _leaks(hidden + ["Offenname"]) == []  # back on the list nobody is open
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not privacy.enabled and _leaks(hidden)


def test_screenshot_in_privacy_mode_does_not_depend_on_names(qtbot, window) -> None:
    ctl, w, codes = window
    w.privacy_action.setChecked(True)
    view = w.clients_view
    view.table.sortByColumn(COL_CODE, Qt.SortOrder.AscendingOrder)
    QApplication.processEvents()
    before = view.table.viewport().grab().toImage()
    for first, last in OTHERS:
        clients.update_client(ctl.vault, codes[last], {"first_name": "Wwwwwwwwwwww", "last_name": "Mmmmmmmmmmmmmmmm"})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    QApplication.processEvents()
    after = view.table.viewport().grab().toImage()
    assert before == after  # not one pixel of a name is on screen
    w.privacy_action.setChecked(False)
    QApplication.processEvents()
    assert view.table.viewport().grab().toImage() != after


def test_copied_case_code_is_cleared(qtbot, window) -> None:
    ctl, w, codes = window
    clipboard = QApplication.clipboard()
    ctl.clipboard_guard.timer.setInterval(50)
    w.open_client(codes["Offenname"])
    qtbot.waitUntil(lambda: w.case_view.case_code == codes["Offenname"], timeout=5000)
    w.case_view.copy_case_code()
    assert clipboard.text() == codes["Offenname"]
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2000)
    ctl.clipboard_guard.timer.setInterval(60_000)
    w.case_view.copy_case_code()
    assert clipboard.text() == codes["Offenname"]
    ctl.lock()
    assert clipboard.text() == ""
