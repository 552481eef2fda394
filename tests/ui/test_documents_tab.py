"""The Dokumente tab, driven as a worker would: attach (dialog, drag and drop), view, change,
export, delete; refusals with nothing stored; nothing written to the temp folders on the way."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from gk_desktop.services import clients, documents
from gk_desktop.ui import ops
from gk_desktop.ui.case_view import CaseView
from services.test_documents import JPEG, make_pdf
from ui.test_document_viewer import _files, _holds_canary, _new_or_changed, _watched_dirs
from ui.test_document_viewer import make_pdf as make_viewer_pdf

NAME = {"first_name": "Mariam", "last_name": "Zqxtabname", "birth_date": "2003-05-06"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def opened(qtbot, open_vault):
    code = clients.add_client(open_vault, NAME).case_code
    view = CaseView(open_vault)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open(code)
    view.tabs.setCurrentIndex(view.documents_index)
    yield view, code
    ops.wait_all()


def _attach(qtbot, tab, paths: list[Path]) -> None:
    tab.attach_files(paths)
    qtbot.waitUntil(lambda: tab.dialog is not None or not tab._busy, timeout=5000)


def _save(qtbot, view) -> None:
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.documents_tab.dialog.save_button.click()


def test_attach_view_change_export_delete(qtbot, opened, tmp_path: Path, monkeypatch) -> None:
    view, code = opened
    tab = view.documents_tab
    pdf = make_pdf("Zeugnis", pages=2)
    src = tmp_path / "Zeugnis Mariam.pdf"
    src.write_bytes(pdf)
    _attach(qtbot, tab, [src])
    dialog = tab.dialog
    assert dialog is not None and any("Zeugnis Mariam.pdf" in label.text() for label in dialog.findChildren(QLabel))
    dialog.widgets["doc_type"].setCurrentIndex(dialog.widgets["doc_type"].findData("ZEUGNIS"))
    dialog.widgets["date"].setText("01.07.2026")
    _save(qtbot, view)
    (row,) = documents.list_documents(view._vault, case_code=code)
    assert (row.doc_type, row.title, row.date.isoformat(), row.sha256) == (
        "ZEUGNIS", "Zeugnis Mariam", "2026-07-01", hashlib.sha256(pdf).hexdigest())
    # The new document is selected and shown beside the list; the tab counts it.
    qtbot.waitUntil(lambda: tab.viewer.page_count() == 2, timeout=5000)
    assert tab.model.rowCount() == 1 and view.tabs.tabText(view.documents_index).endswith("(1)")

    # Change the details.
    tab.edit_selected()
    tab.dialog.widgets["title"].setText("Halbjahreszeugnis")
    _save(qtbot, view)
    assert documents.get_document(view._vault, row.id).title == "Halbjahreszeugnis"

    # Export: the suggested name holds the case code and the type, never the name.
    target = tmp_path / "out" / "export.pdf"
    target.parent.mkdir()
    asked = {}

    def save_name(_parent, _title, suggested, _filter):
        asked["name"] = Path(suggested).name
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    tab.export_selected()
    qtbot.waitUntil(lambda: target.exists(), timeout=5000)
    ops.wait_all()
    assert asked["name"] == f"{code}_ZEUGNIS_2026-07-01.pdf" and "zqx" not in asked["name"].lower()
    assert target.read_bytes() == pdf
    qtbot.waitUntil(lambda: str(target) in tab.status.text(), timeout=5000)  # the answer comes queued

    # Delete.
    monkeypatch.setattr("gk_desktop.ui.case_view.confirm_delete", lambda *a, **k: True)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        tab.delete_selected()
    assert documents.list_documents(view._vault, case_code=code) == []
    assert tab.model.rowCount() == 0 and tab.viewer.page_count() == 0


def test_attach_with_the_file_dialog_and_by_drag_and_drop(qtbot, opened, tmp_path: Path, monkeypatch) -> None:
    view, code = opened
    tab = view.documents_tab
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(JPEG)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(scan)], "")))
    tab.attach_button.click()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    _save(qtbot, view)
    letter = tmp_path / "brief.pdf"
    letter.write_bytes(make_pdf("Brief"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(letter))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    tab.dialog.widgets["doc_type"].setCurrentIndex(tab.dialog.widgets["doc_type"].findData("SCHREIBEN"))
    _save(qtbot, view)
    assert sorted(r.doc_type for r in documents.list_documents(view._vault, case_code=code)) == ["SCHREIBEN", "SONSTIGES"]
    # A drop of something that is not a local file is refused.
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/x.pdf")])
    refused = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, web, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(refused)
    assert not refused.isAccepted() and tab.dialog is None


@pytest.mark.parametrize(("name", "data", "limit", "words"), [
    ("scan.png", make_pdf(), 25, "PNG"),
    ("gross.pdf", make_pdf()[:-6] + b" " * (2 * 1024 * 1024) + make_pdf()[-6:], 1, "1 MB"),
])
def test_a_refused_file_says_why_and_stores_nothing(qtbot, opened, tmp_path: Path, name, data, limit, words) -> None:
    view, code = opened
    view.document_limit_mb = limit
    path = tmp_path / name
    path.write_bytes(data)
    _attach(qtbot, view.documents_tab, [path])
    qtbot.waitUntil(lambda: not view.documents_tab._busy, timeout=5000)
    assert view.documents_tab.dialog is None
    assert name in view.documents_tab.status.text() and words in view.documents_tab.status.text()
    assert documents.list_documents(view._vault, case_code=code) == []


def test_identity_copy_asks_for_purpose_and_delete_by_before_closing(qtbot, opened, tmp_path: Path) -> None:
    view, code = opened
    tab = view.documents_tab
    path = tmp_path / "pass.jpg"
    path.write_bytes(JPEG)
    _attach(qtbot, tab, [path])
    dialog = tab.dialog
    dialog.widgets["doc_type"].setCurrentIndex(dialog.widgets["doc_type"].findData("PASS_KOPIE"))
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.message.isVisible()
    assert "Zweck der Kopie" in dialog.message.text() and "Löschen bis" in dialog.message.text()
    assert documents.list_documents(view._vault, case_code=code) == []
    dialog.widgets["purpose"].setText("Vorlage bei der ABH")
    dialog.widgets["delete_by"].setText("31.01.2027")
    _save(qtbot, view)
    (row,) = documents.list_documents(view._vault, case_code=code)
    assert (row.doc_type, row.purpose, row.delete_by.isoformat()) == ("PASS_KOPIE", "Vorlage bei der ABH", "2027-01-31")


def test_a_certificate_points_at_its_scan(qtbot, opened, tmp_path: Path) -> None:
    view, code = opened
    doc = documents.add_document(view._vault, code, "b1.pdf", make_pdf("B1"), {"type": "SPRACHZERTIFIKAT",
                                                                            "title": "telc B1"})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    view.tabs.setCurrentIndex(2)
    view.list_buttons["language_certificates"][0].click()
    dialog = view.item_dialog
    combo = dialog.widgets["document_id"]
    index = combo.findData(doc.id)
    assert index > 0 and combo.itemText(index) == "telc B1"
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    (cert,) = clients.show_client(view._vault, code)["client"]["language_certificates"]
    assert cert["document_id"] == doc.id
    assert view.certificates.data(view.certificates.index(0, 5)) == "telc B1"


def test_viewing_writes_nothing_to_the_temp_folders(qtbot, opened, tmp_path: Path, monkeypatch) -> None:
    view, code = opened
    tab = view.documents_tab
    system_temp = tempfile.gettempdir()
    fresh = tmp_path / "tmp"
    fresh.mkdir()
    monkeypatch.setenv("TMPDIR", str(fresh))
    monkeypatch.setattr(tempfile, "tempdir", str(fresh))
    pdf = make_viewer_pdf()
    src = tmp_path / "in" / "canary.pdf"  # the worker's own file, written before the watch starts
    src.parent.mkdir()
    src.write_bytes(pdf)
    strict, shared = _watched_dirs(fresh, system_temp)
    before = {d: _files(d) for d in (*strict, *shared)}
    _attach(qtbot, tab, [src])
    _save(qtbot, view)
    qtbot.waitUntil(lambda: tab.viewer.page_count() == 2, timeout=5000)
    tab.viewer.zoom_in()
    qtbot.wait(200)
    QApplication.processEvents()
    problems = [f"new file in {d}: {p}" for d in strict for p in _new_or_changed(before[d], _files(d))]
    problems += [f"canary in {p}" for d in shared for p in _new_or_changed(before[d], _files(d)) if _holds_canary(p)]
    assert problems == []


def test_locking_drops_the_documents(qtbot, opened, tmp_path: Path) -> None:
    view, code = opened
    documents.add_document(view._vault, code, "a.pdf", make_pdf())
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    tab = view.documents_tab
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: tab.viewer.page_count() == 1, timeout=5000)
    view.clear()
    assert tab.model.rowCount() == 0 and tab.viewer.page_count() == 0 and tab._vault is None
    assert not tab.attach_button.isEnabled() or tab.case_code is None


def test_keyboard_reaches_every_action(opened) -> None:
    view, _code = opened
    tab = view.documents_tab
    shortcuts = {s.key().toString() for s in tab.findChildren(QShortcut)}
    assert {"Ctrl+O", "Ctrl+E", "Del"} <= shortcuts
    for button in (tab.attach_button, tab.export_button):
        assert "&" in button.text()
