"""The start page in the running app: unlocked, the worker lands on "Heute", sees what is due by
case code, opens the place where a deadline is dealt with, marks one done; an edit of a file moves
its deadline at once; locking forgets everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from conftest import PASSPHRASE
from gk_desktop.app import AppController
from gk_desktop.domain import deadlines as dl
from gk_desktop.services import clients
from gk_desktop.settings import Settings
from gk_desktop.ui import ops


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def _client(first: str, until: str) -> dict:
    return {"first_name": first, "last_name": "Zzcanary", "birth_date": "2001-03-01",
            "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": until}]}


@pytest.fixture
def window(qtbot, data_dir: Path, new_vault):
    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        overdue = clients.add_client(v, _client("Amal", "2026-11-20")).case_code
        week = clients.add_client(v, _client("Bilal", "2026-11-30")).case_code
    ctl = AppController(QApplication.instance(), data_dir, Settings.load())
    ctl.start()
    screen = ctl.lock_screen.centralWidget()
    screen.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
    w = ctl.main_window
    yield ctl, w, overdue, week
    ctl.shutdown()
    ops.wait_all()
    for x in (ctl.main_window, ctl.lock_screen):
        if x is not None:
            x.close()
            x.deleteLater()


def _rows(w, urgency: dl.Urgency) -> list[dict]:
    return w.deadlines_view.groups[urgency].model.rows()


def test_start_page_after_unlock_open_done_and_an_edit(qtbot, window) -> None:
    ctl, w, overdue, week = window
    page = w.deadlines_view
    assert w.stack.currentWidget() is page  # the start page opens after unlock
    qtbot.waitUntil(lambda: any(r["case_code"] == overdue for r in _rows(w, dl.Urgency.UEBERFAELLIG)), timeout=10_000)
    assert any(r["case_code"] == week for r in _rows(w, dl.Urgency.DIESE_WOCHE))
    qtbot.waitUntil(lambda: w.nav.item(0).text() == "Heute (1)", timeout=5000)  # overdue + today
    # the client list shows the next deadline of each client
    view = w.clients_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    from gk_desktop.ui.clients_view import COL_DEADLINE

    texts = [view.model.index(r, COL_DEADLINE).data() for r in range(view.model.rowCount())]
    assert any(t and "20.11.2026" in t for t in texts) and any(t and "30.11.2026" in t for t in texts)
    # nothing on the page names a person
    for group in page.groups.values():
        model = group.model
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                assert "Zzcanary" not in str(model.index(r, c).data())
    # open where the Duldung is dealt with: the Aufenthalt tab of that file
    assert page.select(next(r["id"] for r in _rows(w, dl.Urgency.UEBERFAELLIG) if r["case_code"] == overdue))
    page.open_selected()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.case_view and w.case_view.case_code == overdue, timeout=10_000)
    assert w.case_view.tabs.currentIndex() == w.case_view.residence_index
    # done: gone from the page, and the count follows
    w.nav.setCurrentRow(0)
    assert page.select(next(r["id"] for r in _rows(w, dl.Urgency.UEBERFAELLIG) if r["case_code"] == overdue))
    page.decide_selected("ERLEDIGT")
    qtbot.waitUntil(lambda: not any(r["case_code"] == overdue for r in _rows(w, dl.Urgency.UEBERFAELLIG)), timeout=10_000)
    qtbot.waitUntil(lambda: w.nav.item(0).text() == "Heute", timeout=5000)
    # an edit of a file (the Duldung extended): only that client is worked out again, its row moves
    clients.update_client(ctl.vault, week, {"residence_periods": [
        {"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": "2027-05-31"}]})
    w.case_view.case_code = week
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        w.case_view.changed.emit()
    assert not any(r["case_code"] == week for r in _rows(w, dl.Urgency.DIESE_WOCHE))
    ctl.lock()
    qtbot.waitUntil(lambda: ctl.main_window is None, timeout=10_000)
