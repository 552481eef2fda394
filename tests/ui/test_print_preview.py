"""Drucken: the preview (QtPdf from memory), the print dialog and the page painting, "Speichern
unter …", the case sheets of many cases, and the print menu of the case view.

The print dialog, the page painting and the file dialogs are answered by monkeypatching the
module-level functions of gk_desktop.ui.print_preview; ``make_pdf`` is replaced by PDFs built with
the shared page template (the real builders are tested with the services)."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QStandardPaths, Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMenu

from gk_desktop import i18n
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _
from gk_desktop.services import clients, cycle, offers, printing
from gk_desktop.ui import ops
from gk_desktop.ui import print_preview as pp
from gk_desktop.ui.print_preview import BatchPrintDialog, MemoryPdf, PrintPreviewDialog

CODE = "GK-26-ABC123"
FIRST, LAST = "Zqxvorname", "Zqxnachname-7f3a"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def pdf(pages: int = 2, code: str = CODE) -> bytes:
    """A PDF of ``pages`` pages on the shared page template (about 45 lines fill a page)."""
    from gk_desktop.documents.layout import ScriptText
    from gk_desktop.documents.template import PageInfo, build_pdf

    lines = max(1, (pages - 1) * 45 + 10)
    data = build_pdf([ScriptText(f"Zeile {i}: Angaben zum Fall") for i in range(lines)], PageInfo("Fallblatt", code))
    made = MemoryPdf(data)
    assert made.document.pageCount() == pages
    made.close()
    return data


def _show(qtbot, dialog: PrintPreviewDialog) -> PrintPreviewDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def preview(qtbot):
    dialog = _show(qtbot, PrintPreviewDialog(pdf(2), "casesheet", CODE))
    yield dialog
    dialog.clear()


class Printing:
    """Answers the print dialog and records what would be painted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, printer: QPrinter | None = None, paint: bool = False) -> None:
        self.asked: list[dict] = []
        self.painted: list[tuple[list[int], list[int] | None]] = []  # (page counts of the documents, pages)
        self.printer = printer if printer is not None else QPrinter()
        real_paint = pp.paint_pages

        def ask(parent, **kw):
            self.asked.append(kw)
            return self.printer

        def paint_pages(printer, documents, pages=None):
            docs = [documents] if isinstance(documents, QPdfDocument) else list(documents)
            self.painted.append(([d.pageCount() for d in docs], None if pages is None else list(pages)))
            if paint:
                return real_paint(printer, documents, pages)
            return sum(len(pages) if pages is not None else d.pageCount() for d in docs)

        monkeypatch.setattr(pp, "ask_printer", ask)
        monkeypatch.setattr(pp, "paint_pages", paint_pages)


def _activate(qtbot, widget) -> None:
    """Make ``widget``'s window the active one (window shortcuts only work there)."""
    with qtbot.waitActive(widget):
        widget.activateWindow()


def _errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(ops, "show_error", lambda _parent, exc: seen.append(exc))
    return seen


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _is_blank(image) -> bool:
    return all(image.pixelColor(x, y).name() == "#ffffff" for x in range(image.width()) for y in range(image.height()))


def _pages_of(path: Path) -> int:
    doc = MemoryPdf(path.read_bytes())
    try:
        return doc.document.pageCount()
    finally:
        doc.close()


# -- the preview


def test_preview_shows_the_pages_fit_to_width_with_kind_and_code(preview) -> None:
    from PySide6.QtPdfWidgets import QPdfView

    assert preview.page_count() == 2
    assert preview.viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert preview.page_spin.text() == _("Page {page} of {pages}").format(page=1, pages=2)
    title = preview.windowTitle()
    assert CODE in title and _("Case sheet") in title and CODE in preview.heading.text()
    texts = [b.text().replace("&", "") for b in (preview.print_button, preview.save_button, preview.close_button)]
    assert texts == [_("&Print …").replace("&", ""), _("&Save as …").replace("&", ""), _("Close")]


def test_pages_turn_with_page_keys_and_the_page_box(qtbot, preview) -> None:
    _activate(qtbot, preview)
    qtbot.keyClick(preview.viewer.pdf_view, Qt.Key.Key_PageDown)
    assert preview.current_page() == 1 and preview.page_spin.value() == 2
    qtbot.keyClick(preview.viewer.pdf_view, Qt.Key.Key_PageDown)  # stays on the last page
    assert preview.current_page() == 1
    qtbot.keyClick(preview.viewer.pdf_view, Qt.Key.Key_PageUp)
    assert preview.current_page() == 0 and preview.page_spin.value() == 1
    preview.page_spin.setValue(2)
    assert preview.current_page() == 1
    qtbot.waitUntil(lambda: preview.viewer.pdf_view.verticalScrollBar().value() > 0)


def test_ctrl_p_asks_for_a_printer_and_prints_all_pages(qtbot, preview, monkeypatch) -> None:
    printing_ = Printing(monkeypatch)
    _activate(qtbot, preview)
    with qtbot.waitSignal(preview.printed, timeout=5000) as printed:
        qtbot.keyClick(preview.viewer.pdf_view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args == [2]
    assert len(printing_.asked) == 1 and printing_.asked[0]["pages"] == 2
    assert printing_.asked[0]["doc_name"].startswith(CODE)
    assert printing_.painted == [([2], [0, 1])]
    assert preview.status.text()


def test_a_cancelled_print_dialog_prints_nothing(qtbot, preview, monkeypatch) -> None:
    painted = []
    monkeypatch.setattr(pp, "ask_printer", lambda parent, **kw: None)
    monkeypatch.setattr(pp, "paint_pages", lambda *a, **kw: painted.append(a))
    preview.print_button.click()
    assert painted == []


def test_esc_closes_and_drops_the_document(qtbot, preview) -> None:
    _activate(qtbot, preview)
    qtbot.keyClick(preview.viewer.pdf_view, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    assert preview.page_count() == 0 and preview._data == b""
    assert preview.viewer._buffer is None


def test_save_as_writes_exactly_the_chosen_file(qtbot, monkeypatch, tmp_path: Path) -> None:
    data = pdf(2)
    dialog = _show(qtbot, PrintPreviewDialog(data, "casesheet", CODE))
    folder = tmp_path / "chosen"
    folder.mkdir()
    target = folder / "Fallblatt fuer die Akte.pdf"
    asked: list[tuple[str, Path]] = []
    monkeypatch.setattr(pp, "ask_save_path", lambda parent, title, start: asked.append((title, start)) or str(target))
    _activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        qtbot.keyClick(dialog.viewer.pdf_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [str(target)]
    assert target.read_bytes() == data
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    # It started in the Documents folder with the name of the case code and the kind.
    _title, start = asked[0]
    assert start.name == printing.suggested_name("casesheet", CODE) == f"{CODE}_Fallblatt_2026-11-25.pdf"
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert start.parent == (Path(documents) if documents and Path(documents).is_dir() else Path.home())
    dialog.clear()


def test_a_cancelled_save_dialog_writes_nothing(qtbot, preview, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pp, "ask_save_path", lambda *a: "")
    before = set(tmp_path.rglob("*"))
    preview.save_button.click()
    ops.wait_all()
    assert set(tmp_path.rglob("*")) == before


# -- the real dialogs, opened and answered


def test_the_print_dialog_offers_pages_but_no_print_to_file(qtbot, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

    seen = {}

    def exec_(dialog) -> int:
        option = QAbstractPrintDialog.PrintDialogOption
        seen.update(title=dialog.windowTitle(), to_file=dialog.testOption(option.PrintToFile),
                    pages=dialog.testOption(option.PrintPageRange), current=dialog.testOption(option.PrintCurrentPage),
                    range=(dialog.minPage(), dialog.maxPage()))
        return seen.get("answer", 1)

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    printer = pp.ask_printer(None, doc_name=pp.job_name("casesheet", CODE), pages=2, current=0)
    assert printer is not None and printer.docName() == f"{CODE}_Fallblatt_2026-11-25"
    assert seen == {"title": _("Print"), "to_file": False, "pages": True, "current": True, "range": (1, 2)}
    seen["answer"] = 0
    assert pp.ask_printer(None, doc_name="x", pages=2) is None


def test_the_save_dialog_starts_with_the_suggested_name_and_offers_pdf(monkeypatch, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    calls = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: calls.append(a) or ("", ""))
    start = tmp_path / printing.suggested_name("casesheet", CODE)
    assert pp.ask_save_path(None, _("Save as"), start) == ""
    assert calls == [(None, _("Save as"), str(start), "PDF (*.pdf)")]


# -- real painting (onto a PDF printer in the test folder, the stand-in for the spooler)


def test_paint_pages_paints_every_page_and_the_chosen_range(tmp_path: Path) -> None:
    doc = MemoryPdf(pdf(2))
    out = tmp_path / "all.pdf"
    assert pp.paint_pages(_pdf_printer(out), doc.document) == 2
    assert _pages_of(out) == 2
    printer = _pdf_printer(tmp_path / "second.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert pp.pages_to_print(printer, 2) == [1]
    assert pp.paint_pages(printer, doc.document, [1]) == 1
    assert _pages_of(tmp_path / "second.pdf") == 1
    current = _pdf_printer(tmp_path / "current.pdf")
    current.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pp.pages_to_print(current, 2, current=1) == [1]
    doc.close()


def test_every_case_starts_on_a_sheet_of_its_own_when_printing_two_sided(tmp_path: Path) -> None:
    class TwoSided(QPrinter):
        def duplex(self):  # a PDF printer cannot be set to two-sided; what paint_pages asks
            return QPrinter.DuplexMode.DuplexLongSide

    one, two = MemoryPdf(pdf(1, "GK-26-AAA111")), MemoryPdf(pdf(2, "GK-26-BBB222"))
    out = tmp_path / "duplex.pdf"
    printer = TwoSided(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert pp.paint_pages(printer, [one.document, two.document, one.document]) == 4
    # 1 page and its blank back, 2 pages (a sheet of their own), 1 page.
    assert _pages_of(out) == 5
    printed = MemoryPdf(out.read_bytes())
    blank = [_is_blank(pp.render_page(printed.document, page, QSize(60, 85))) for page in range(5)]
    assert blank == [False, True, False, False, False]
    printed.close()
    one.close()
    two.close()


# -- nothing on disk


def _files(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


def test_previewing_and_printing_write_no_file(qtbot, open_vault, data_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from gk_desktop.ui.case_view import CaseView

    fresh = tmp_path / "tmp"
    fresh.mkdir()
    # Python and Qt (QDir::tempPath, on every call) both follow TMPDIR: any temp file lands here.
    monkeypatch.setenv("TMPDIR", str(fresh))
    monkeypatch.setattr(tempfile, "tempdir", str(fresh))
    assert tempfile.gettempdir() == str(fresh)
    code = clients.add_client(open_vault, {"first_name": FIRST, "last_name": LAST, "birth_date": "2004-08-09"}).case_code
    monkeypatch.setattr(printing, "make_pdf", lambda vault, kind, case_code, **kw: pdf(2, case_code))
    spool = tmp_path / "spool"
    spool.mkdir()
    printing_ = Printing(monkeypatch, _pdf_printer(spool / "job.pdf"), paint=True)
    view = CaseView(open_vault)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open(code)
    temp_before, data_before = _files(fresh), set(_files(data_dir))

    with qtbot.waitSignal(view.print_launcher.opened, timeout=5000) as opened:
        assert view.print_document("casesheet")
    dialog = opened.args[0]
    dialog.viewer.zoom_in()  # render the pages at a second size too
    qtbot.wait(200)
    with qtbot.waitSignal(dialog.printed, timeout=10000):
        dialog.print_document()
    ops.wait_all()

    assert printing_.painted == [([2], [0, 1])] and _pages_of(spool / "job.pdf") == 2
    assert _files(fresh) == temp_before
    assert set(_files(data_dir)) == data_before  # the vault changed (an audit event), no new file
    dialog.reject()
    view.clear()


# -- made in the background, from the case view


@pytest.fixture
def case_view(qtbot, open_vault):
    from gk_desktop.ui.case_view import CaseView

    vhs = offers.save_partner(open_vault, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"})
    course = offers.save_offer(open_vault, {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "partner_id": vhs})
    code = clients.add_client(open_vault, {"first_name": FIRST, "last_name": LAST, "birth_date": "2004-08-09",
                                           "residence_status": "DULDUNG_60A"}).case_code
    view = CaseView(open_vault)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open(code)
    yield view, code, course
    ops.wait_all()
    view.clear()


def _fake_make(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None, str | None]]:
    calls: list[tuple[str, str | None, str | None]] = []

    def make(vault, kind, case_code, *, record_id=None, **kw):
        calls.append((kind, case_code, record_id))
        return pdf(2, case_code or "")

    monkeypatch.setattr(printing, "make_pdf", make)
    return calls


def test_the_preview_shows_kind_and_code_never_the_name(qtbot, case_view, monkeypatch) -> None:
    view, code, _course = case_view
    calls = _fake_make(monkeypatch)
    asked: list[Path] = []
    monkeypatch.setattr(pp, "ask_save_path", lambda parent, title, start: asked.append(start) or "")
    with qtbot.waitSignal(view.print_launcher.opened, timeout=5000) as opened:
        assert view.print_document("casesheet")
        assert view.print_status.text() == _("Making the document …")
        assert not view.print_document("casesheet")  # one at a time
    dialog = opened.args[0]
    assert calls == [("casesheet", code, None)]
    assert view.print_status.text() == ""
    assert dialog.page_count() == 2 and dialog.isModal()
    for text in (dialog.windowTitle(), dialog.heading.text(), pp.job_name("casesheet", code)):
        assert code in text and FIRST not in text and LAST not in text
    dialog.save_as()
    assert code in asked[0].name and FIRST not in str(asked[0]) and LAST not in asked[0].name
    # Locking closes the preview and drops its document.
    view.clear()
    assert view.print_launcher.dialog is None and dialog.page_count() == 0


def test_a_failing_document_shows_the_error_and_no_preview(qtbot, case_view, monkeypatch) -> None:
    view, _code, _course = case_view
    errors = _errors(monkeypatch)

    def refuse(*_a, **_kw):
        raise InputRejectedError("Für diese Übermittlung fehlt die Einwilligung.")

    monkeypatch.setattr(printing, "make_pdf", refuse)
    opened = []
    view.print_launcher.opened.connect(opened.append)
    assert view.print_document("casesheet")
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    ops.wait_all()
    QApplication.processEvents()
    assert str(errors[0]) == "Für diese Übermittlung fehlt die Einwilligung."
    assert opened == [] and view.print_launcher.dialog is None and not view.print_launcher.busy
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreviewDialog) and w.isVisible()]
    assert view.print_status.text() == ""


def test_a_document_made_while_the_app_locks_is_dropped(qtbot, case_view, monkeypatch) -> None:
    view, _code, _course = case_view
    release = threading.Event()

    def slow(vault, kind, case_code, **kw):
        release.wait(5)
        return pdf(1, case_code)

    monkeypatch.setattr(printing, "make_pdf", slow)
    opened = []
    view.print_launcher.opened.connect(opened.append)
    assert view.print_document("casesheet")
    view.clear()  # the app locks
    release.set()
    ops.wait_all()
    qtbot.wait(50)
    assert opened == [] and view.print_launcher.dialog is None and view.print_status.text() == ""


def test_ctrl_p_in_the_case_view_opens_the_case_sheet(qtbot, case_view, monkeypatch) -> None:
    view, code, _course = case_view
    calls = _fake_make(monkeypatch)
    _activate(qtbot, view)
    view.tabs.setFocus()
    with qtbot.waitSignal(view.print_launcher.opened, timeout=5000) as opened:
        qtbot.keyClick(view.tabs, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert calls == [("casesheet", code, None)]
    opened.args[0].reject()


def _mnemonic(text: str) -> str:
    match = re.search(r"&([^&])", text)
    assert match, text
    return match.group(1).lower()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_print_menu_has_a_free_mnemonic_and_every_document(qtbot, open_vault, lang) -> None:
    from gk_desktop.ui.case_view import CaseView

    i18n.set_language(lang)
    try:
        view = CaseView(open_vault)
        qtbot.addWidget(view)
        always = [view.back_button.text(), view.matching_button.text(), view.copy_code_button.text()]
        always += [view.tabs.tabText(i) for i in range(view.tabs.count())]
        always += [_("&Vault"), _("&Clients")]  # the main window's menus
        taken = {_mnemonic(t) for t in always if "&" in t}
        assert _mnemonic(view.print_button.text()) not in taken, (view.print_button.text(), sorted(taken))
        entries = [a.text() for a in view.print_menu.actions()]
        with_interviews = view.print_with_interviews.text()
        assert entries[1] == with_interviews  # the case sheet with the chosen interviews, second
        documents = entries[:1] + entries[2:]
        assert [t.replace("&", "") for t in documents] == [
            _(t).replace("&", "") for _k, t in view.PRINT_ENTRIES]
        keys = [_mnemonic(t) for t in entries]
        assert len(set(keys)) == len(keys) == 6
        if lang == "de":
            assert [t.replace("&", "").removesuffix(" …") for t in documents] == [
                "Fallblatt", "Zielvereinbarung", "Einwilligung", "Informationsblatt (Art. 13 DSGVO)", "Übergabebogen"]
    finally:
        i18n.set_language("de")


def test_the_print_menu_is_keyboard_reachable(qtbot, case_view) -> None:
    view, _code, _course = case_view
    assert view.print_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert view.print_button.menu() is view.print_menu
    shown: list[bool] = []

    def close_menu() -> None:
        menu = QApplication.activePopupWidget()
        shown.append(isinstance(menu, QMenu) and menu is view.print_menu)
        if menu is not None:
            menu.close()

    _activate(qtbot, view)
    QTimer.singleShot(200, close_menu)
    qtbot.keyClick(view, Qt.Key(ord(_mnemonic(view.print_button.text()).upper())), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [True]


def test_the_handover_sheet_needs_a_selected_referral(qtbot, case_view, monkeypatch) -> None:
    from gk_desktop.ui.referrals_tab import select_row

    view, code, course = case_view
    view._update_print_menu()
    assert not view.print_actions["referral"].isEnabled()
    assert not view.print_actions["agreement"].isEnabled()  # no agreement yet
    for kind in ("casesheet", "consent", "info-sheet"):
        assert view.print_actions[kind].isEnabled()
    assert not view.print_document("referral")

    chain = cycle.add_chain(view._vault, code, {"title": "Sprache"})
    referral = cycle.add_referral(view._vault, chain, {"offer_id": course})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    view.print_menu.aboutToShow.emit()
    assert not view.print_actions["referral"].isEnabled()  # a chain is selected, no referral
    view.tabs.setCurrentWidget(view.referrals_tab)
    qtbot.waitUntil(lambda: view.referrals_tab.referrals.rowCount() == 1, timeout=5000)
    select_row(view.referrals_tab.referrals_table, 0)
    view.print_menu.aboutToShow.emit()
    assert view.print_actions["referral"].isEnabled()

    calls = _fake_make(monkeypatch)
    with qtbot.waitSignal(view.print_launcher.opened, timeout=5000) as opened:
        view.print_actions["referral"].trigger()
    assert calls == [("referral", code, referral)]
    assert _("Handover sheet") in opened.args[0].windowTitle()
    opened.args[0].reject()
    # The consent without a selection: a blank form (no record id).
    with qtbot.waitSignal(view.print_launcher.opened, timeout=5000) as opened:
        view.print_actions["consent"].trigger()
    assert calls[-1] == ("consent", code, None)
    opened.args[0].reject()


# -- many case sheets


@pytest.fixture
def vault(open_vault):
    """The vault, closed only after the background work of the test (the "print" events) ended."""
    yield open_vault
    ops.wait_all()


def _batch(qtbot, vault, codes: list[str]) -> BatchPrintDialog:
    dialog = BatchPrintDialog(vault, codes)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


CODES = ["GK-26-AAA111", "GK-26-BBB222", "GK-26-CCC333"]


def test_batch_makes_every_case_sheet_and_prints_them_in_one_job(qtbot, vault, monkeypatch) -> None:
    calls = _fake_make(monkeypatch)
    printing_ = Printing(monkeypatch)
    dialog = _batch(qtbot, vault, CODES)
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(dialog.done, timeout=10000) as done:
        dialog.print_button.click()
        assert dialog.running and dialog.close_button.text() == _("Cancel")
    assert done.args == ["printed"]
    assert calls == [("casesheet", c, None) for c in CODES]
    assert progress[-1] == 3 and dialog.progress.value() == dialog.progress.maximum() == 3
    assert len(printing_.asked) == 1 and printing_.asked[0]["pages"] == 6
    assert printing_.asked[0]["page_range"] is False  # whole case sheets only
    assert printing_.painted == [([2, 2, 2], None)]
    assert dialog.close_button.text() == _("Close") and dialog.print_button.isEnabled()


def test_batch_saves_one_pdf_per_case_into_the_chosen_folder(qtbot, vault, monkeypatch, tmp_path: Path) -> None:
    _fake_make(monkeypatch)
    folder = tmp_path / "Fallblaetter"
    folder.mkdir()
    monkeypatch.setattr(pp, "ask_folder", lambda parent, title, start: str(folder))
    dialog = _batch(qtbot, vault, CODES)
    with qtbot.waitSignal(dialog.done, timeout=10000) as done:
        dialog.save_button.click()
    assert done.args == ["saved"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(printing.suggested_name("casesheet", c) for c in CODES)
    assert all(p.read_bytes().startswith(b"%PDF") for p in folder.iterdir())


def test_batch_reports_the_sheets_it_could_not_make_and_prints_the_rest(qtbot, vault, monkeypatch) -> None:
    def make(vault, kind, case_code, **kw):
        if case_code == CODES[1]:
            raise InputRejectedError("Kein laufender Fall.")
        return pdf(1, case_code)

    monkeypatch.setattr(printing, "make_pdf", make)
    printing_ = Printing(monkeypatch)
    dialog = _batch(qtbot, vault, CODES)
    with qtbot.waitSignal(dialog.done, timeout=10000):
        dialog.start_print()
    assert printing_.painted == [([1, 1], None)]
    assert dialog.failures == [(CODES[1], "Kein laufender Fall.")]
    assert f"{CODES[1]}: Kein laufender Fall." in dialog.status.text()


@pytest.mark.parametrize("mode", ["print", "save"])
def test_cancel_stops_the_batch_and_nothing_is_printed_or_saved(qtbot, vault, monkeypatch, tmp_path: Path,
                                                                mode: str) -> None:
    made: list[str] = []
    first = threading.Event()

    def slow(vault, kind, case_code, **kw):
        made.append(case_code)
        first.set()
        time.sleep(0.1)
        return pdf(1, case_code)

    monkeypatch.setattr(printing, "make_pdf", slow)
    printing_ = Printing(monkeypatch)
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(pp, "ask_folder", lambda parent, title, start: str(folder))
    codes = [f"GK-26-CAN{i:03d}" for i in range(20)]
    dialog = _batch(qtbot, vault, codes)
    with qtbot.waitSignal(dialog.done, timeout=10000) as done:
        (dialog.print_button if mode == "print" else dialog.save_button).click()
        assert first.wait(5)
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # "Abbrechen"
    assert done.args == ["cancelled"]
    assert 1 <= len(made) < len(codes)
    assert printing_.asked == [] and printing_.painted == []
    assert list(folder.iterdir()) == []
    assert dialog.status.text() == _("Cancelled. Nothing was printed or saved.")
    assert dialog.isVisible()  # the first "Abbrechen" cancels the work, not the dialog
    dialog.reject()
    assert not dialog.isVisible()


def test_case_sheet_with_the_interviews_chosen_in_the_interviews_tab(qtbot, open_vault, monkeypatch) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from gk_desktop.services import clients, contacts
    from gk_desktop.ui.case_view import CaseView

    code = clients.add_client(open_vault, {"first_name": "Amal", "last_name": "Haddad", "birth_date": "2001-03-01"}).case_code
    first = contacts.add_contact(open_vault, code, {"datetime": "2026-10-01T09:00:00+02:00", "note": "Erstes"})
    contacts.add_contact(open_vault, code, {"datetime": "2026-10-08T09:00:00+02:00", "note": "Zweites"})
    third = contacts.add_contact(open_vault, code, {"datetime": "2026-10-15T09:00:00+02:00", "note": "Drittes"})
    view = CaseView(open_vault)
    qtbot.addWidget(view)
    view.show()
    view.open(code)
    qtbot.waitUntil(lambda: view.interviews.rowCount() == 3, timeout=10_000)
    selection = view.interview_table.selectionModel()
    selection.clearSelection()
    ids = {view.interviews.row_at(r)["id"]: r for r in range(3)}
    for wanted in (first, third):  # add_contact returns the interview's id
        selection.select(view.interviews.index(ids[wanted], 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    chosen = view.chosen_interviews()
    assert sorted(chosen) == sorted([first, third])
    view._update_print_menu()
    assert view.print_with_interviews.isEnabled()
    seen = {}
    monkeypatch.setattr(view.print_launcher, "preview",
                        lambda vault, kind, case_code, record_id, interview_ids: seen.update(
                            kind=kind, ids=interview_ids) or True)
    view.print_with_interviews.trigger()
    assert seen == {"kind": "casesheet", "ids": chosen}
    view.clear()
