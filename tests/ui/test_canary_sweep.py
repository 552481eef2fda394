"""After the case-file flows (first contact, interview with autosave, search, Diskret-Modus, lock),
no canary text is in any file of the data folder or the temp folder (SECURITY.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from conftest import PASSPHRASE
from gk_desktop.app import AppController
from gk_desktop.settings import Settings
from gk_desktop.ui import ops
from gk_desktop.ui.privacy import privacy

CANARY_NAME = "Zqxsweepname"
CANARY_NOTE = "Zqxsweepnote Gespräch über die Ausbildung"


def _hits(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            found += [f"{path.name}: {n!r}" for n in needles if n.lower() in data]
    return found


def test_no_canary_outside_the_vault_after_the_flows(qtbot, data_dir: Path, new_vault, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    ctl = AppController(QApplication.instance(), data_dir, Settings.load())
    try:
        ctl.start()
        screen = ctl.lock_screen.centralWidget()
        screen.passphrase.setText(PASSPHRASE)
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ctl.main_window is not None and ctl.main_window.isVisible(), timeout=10_000)
        w = ctl.main_window
        w.new_client()
        qtbot.waitUntil(lambda: getattr(w, "first_contact_dialog", None) is not None, timeout=5000)
        d = w.first_contact_dialog
        qtbot.keyClicks(d.first_name, CANARY_NAME)
        qtbot.keyClicks(d.last_name, "Testperson")
        qtbot.keyClicks(d.birth_date, "09.08.2004")
        d.save()
        qtbot.waitUntil(lambda: w.case_view.client_id is not None and CANARY_NAME in w.case_view.title.text(), timeout=10_000)
        w.case_view.tabs.setCurrentIndex(3)
        w.new_interview(w.case_view.case_code, w.case_view.client_id)
        editor = w.interview_editor
        editor.autosave_timer.setInterval(30)
        editor.note.setFocus()
        from PySide6.QtTest import QTest

        for ch in CANARY_NOTE:  # non-ASCII text: one key event per character (STYLE.md)
            QTest.sendKeyEvent(QTest.KeyAction.Click, editor.note, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
        qtbot.wait(300)  # at least one autosave of the draft
        editor.save()
        qtbot.waitUntil(lambda: w.case_view.interviews.rowCount() == 1, timeout=5000)
        # A scan with the canary inside, attached and viewed in the Dokumente tab.
        import io

        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, pageCompression=0)
        c.drawString(72, 720, "Zqxsweepdoc")
        c.save()
        scan = tmp_path / "in" / "scan.pdf"
        scan.parent.mkdir()
        scan.write_bytes(buf.getvalue())
        tab = w.case_view.documents_tab
        w.case_view.tabs.setCurrentIndex(w.case_view.documents_index)
        tab.attach_files([scan])
        qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
        tab.dialog.save_button.click()
        qtbot.waitUntil(lambda: tab.viewer.page_count() == 1, timeout=5000)
        scan.unlink()
        w.case_view.copy_case_code()
        w.focus_search()
        qtbot.keyClicks(w.clients_view.search, "zqxsweepnote")
        qtbot.waitUntil(lambda: w.clients_view.proxy.rowCount() == 1, timeout=5000)
        w.privacy_action.setChecked(True)
        QApplication.processEvents()
        ctl.lock()
        ops.wait_all()
    finally:
        ctl.shutdown()
        ops.wait_all()
        privacy.reset()
        for x in (ctl.main_window, ctl.lock_screen):
            if x is not None:
                x.close()
                x.deleteLater()
    needles = [s.encode(enc) for s in (CANARY_NAME, "Zqxsweepnote", "Zqxsweepdoc") for enc in ("utf-8", "utf-16-le")]
    assert (data_dir / "vault.db").exists()
    assert _hits(data_dir, needles) == []
    assert _hits(temp, needles) == []
    assert QApplication.clipboard().text() == ""
