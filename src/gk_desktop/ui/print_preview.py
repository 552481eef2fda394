"""Printing a document of a case: a preview, the print dialog, "Speichern unter …", and the case
sheets of many cases in one go.

The PDF comes from :func:`gk_desktop.services.printing.make_pdf` as bytes, made in the background.
Nothing is written on the way (SECURITY.md E1):

- The preview is the :class:`~gk_desktop.ui.document_viewer.DocumentViewer`: pdfium reads the
  PDF from a ``QBuffer`` over the bytes in memory; no temp file, no cache.
- Printing renders each page with ``QPdfDocument.render`` (at the printer's resolution, at most
  :data:`MAX_DPI`) and paints the image onto the ``QPrinter``. What the print system does with the
  job is outside the app; on Linux and macOS Qt hands the job to CUPS through a spool file, which
  :func:`paint_pages` places in the user's private runtime folder (a RAM disk) where there is one.
- "Speichern unter …" writes only to the path the worker chose, through
  :func:`gk_desktop.services.printing.save_pdf`.

Window titles, file names and print job names carry the kind of document and the case code, never
a person's name.

The print dialog, the page painting and the file dialogs are module-level functions
(:func:`ask_printer`, :func:`paint_pages`, :func:`ask_save_path`, :func:`ask_folder`), so tests
can answer them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPointF, QRectF, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.errors import GkError, InputRejectedError
from gk_desktop.i18n import _, ngettext
from gk_desktop.services import printing
from gk_desktop.ui import ops
from gk_desktop.ui.document_viewer import PDF_MIME, DocumentViewer

log = logging.getLogger(__name__)

# Pages are rendered at the printer's resolution, but at most at this one: 300 dpi is sharp on
# paper, and an A4 page at 1200 dpi would take half a gigabyte as an image.
MAX_DPI = 300
PDF_FILTER = "PDF (*.pdf)"


def kind_label(kind: str) -> str:
    """"Fallblatt", "Zielvereinbarung", … (the kind of document in the language of the UI)."""
    return _(printing.KINDS.get(kind, kind))


def document_title(kind: str, case_code: str | None) -> str:
    """"Fallblatt – GK-26-ABC123": the kind and the case code, never a name."""
    if case_code:
        return _("{document} – {case_code}").format(document=kind_label(kind), case_code=case_code)
    return kind_label(kind)


def job_name(kind: str, case_code: str | None) -> str:
    """The name of the print job (visible in the print queue): the file name without ".pdf"."""
    return printing.suggested_name(kind, case_code).removesuffix(".pdf")


def documents_folder() -> Path:
    """The user's Documents folder (the home folder if there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(found) if found else Path.home()
    return path if path.is_dir() else Path.home()


# -- the dialogs the tests answer


def ask_printer(parent: QWidget | None, *, doc_name: str, pages: int, current: int | None = None,
                page_range: bool = True) -> QPrinter | None:
    """The print dialog; the printer as the worker set it up, or None when cancelled.

    ``pages`` is the number of pages (for the page range, offered when ``page_range``);
    ``current`` the page shown in the preview (0-based), which the worker may choose to print alone.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    # Files are written through "Speichern unter …" only, to a place the worker chooses.
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, page_range)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, current is not None)
    dialog.setMinMax(1, max(1, pages))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def ask_save_path(parent: QWidget | None, title: str, start: Path) -> str:
    """The save dialog; the chosen path, or "" when cancelled."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(start), PDF_FILTER)
    return name


def ask_folder(parent: QWidget | None, title: str, start: Path) -> str:
    """The folder dialog; the chosen folder, or "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, str(start))


# -- PDFs in memory and on paper


class MemoryPdf:
    """A PDF held in memory: pdfium reads it from a ``QBuffer`` (as the document viewer does).

    ``close()`` closes the document first (pdfium may read until then), then the buffer, and
    overwrites this object's copy of the bytes.
    """

    def __init__(self, data: bytes, parent: QObject | None = None) -> None:
        self._bytes: QByteArray | None = QByteArray(data)
        self._buffer: QBuffer | None = QBuffer(self._bytes)
        self.document = QPdfDocument(parent)
        if self._buffer.open(QIODevice.OpenModeFlag.ReadOnly):
            self.document.load(self._buffer)

    @property
    def ok(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def close(self) -> None:
        if self.document.status() != QPdfDocument.Status.Null:
            self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        if self._bytes is not None:
            self._bytes.fill(0)
        self._buffer = self._bytes = None
        self.document.deleteLater()


def pages_to_print(printer: QPrinter, count: int, current: int = 0) -> list[int]:
    """The pages (0-based) the worker chose in the print dialog: all, a range, or the current one;
    in the order the dialog asked for."""
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.CurrentPage:
        pages = [min(max(current, 0), count - 1)] if count else []
    elif chosen == QPrinter.PrintRange.PageRange and not printer.pageRanges().isEmpty():
        ranges = printer.pageRanges()
        pages = [p for p in range(count) if ranges.contains(p + 1)]
    else:
        pages = list(range(count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def _private_runtime_dir() -> str | None:
    """The user's own runtime folder (a RAM disk on Linux: XDG_RUNTIME_DIR), if it is private."""
    path = os.environ.get("XDG_RUNTIME_DIR")
    if not path or not hasattr(os, "getuid"):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return path


@contextlib.contextmanager
def _spool_in_memory(printer: QPrinter) -> Iterator[None]:
    """While a job goes to CUPS, its spool file (cupsTempFd, in TMPDIR) lies in RAM, not on disk."""
    folder = None
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and sys.platform != "win32":
        folder = _private_runtime_dir()
    if folder is None:
        yield
        return
    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = folder
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before


def render_page(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """One page as an opaque image of ``size`` pixels (white paper under the page)."""
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def _page_rect(document: QPdfDocument, page: int, area: QRectF, dpi: float) -> QRectF:
    """Where the page goes: its natural size at ``dpi``, shrunk to fit ``area`` if need be, centred."""
    points = document.pagePointSize(page)
    width, height = points.width() / 72 * dpi, points.height() / 72 * dpi
    if width <= 0 or height <= 0:
        return QRectF(area)
    scale = min(1.0, area.width() / width, area.height() / height)
    width, height = width * scale, height * scale
    return QRectF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height)


def paint_pages(printer: QPrinter, documents: QPdfDocument | Sequence[QPdfDocument],
                pages: Sequence[int] | None = None) -> int:
    """Paint PDF pages onto ``printer`` in one job; the number of pages painted.

    ``documents`` is one document or several (each starts on a new sheet: with two-sided printing
    a blank back is left, so no sheet carries two cases). ``pages`` (0-based) chooses the pages of
    a single document; otherwise all pages are printed. Copies the printer cannot make itself are
    painted as often as asked for.
    """
    docs = [documents] if isinstance(documents, QPdfDocument) else list(documents)
    plan: list[list[int]] = []
    for doc in docs:
        plan.append(list(pages) if pages is not None and len(docs) == 1 else list(range(doc.pageCount())))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    duplex = printer.duplex() != QPrinter.DuplexMode.DuplexNone
    if not any(plan):
        return 0
    resolution = printer.resolution()
    dpi = min(resolution, MAX_DPI)
    target = printer.pageRect(QPrinter.Unit.DevicePixel)
    area = QRectF(0, 0, target.width(), target.height())  # the painter starts at the printable area
    painted = 0
    painter = QPainter()
    with _spool_in_memory(printer):
        if not painter.begin(printer):
            raise InputRejectedError(_("The printer could not be started. Please check it and try again."))
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            sheet_pages = 0  # pages on the sheets so far (for the blank back with two-sided printing)
            for _copy in range(copies):
                for doc, doc_pages in zip(docs, plan):
                    if not doc_pages:
                        continue
                    if painted and duplex and sheet_pages % 2:
                        printer.newPage()  # a blank back: the next document starts on a sheet of its own
                        sheet_pages += 1
                    for page in doc_pages:
                        if painted:
                            printer.newPage()
                        rect = _page_rect(doc, page, area, resolution)
                        factor = dpi / resolution
                        size = QSize(max(1, round(rect.width() * factor)), max(1, round(rect.height() * factor)))
                        painter.drawImage(rect, render_page(doc, page, size))
                        painted += 1
                        sheet_pages += 1
        finally:
            painter.end()
    return painted


def _record_output(parent: QObject, vault: Any, documents: int = 1) -> None:
    """Documents left the app (printed or saved): a "print" event each, as the command line records."""
    if vault is None or documents <= 0:
        return

    def record(_ctx: Any) -> None:
        for _i in range(documents):
            vault.record_event("print", target_table="document", source="gui")

    ops.Op(parent, record).on_failure(lambda _exc: log.warning("print event not recorded")).run()


def _page_template() -> tuple[str, str]:
    """Prefix and suffix of the page spin box from "Page {page} of {pages}" ("Seite 1 von 2")."""
    text = _("Page {page} of {pages}")
    before, _sep, after = text.partition("{page}")
    return before, after


# -- the preview


class PrintPreviewDialog(QDialog):
    """The document as it will be printed, with "Drucken …", "Speichern unter …" and "Schließen".

    Keys: Ctrl+P prints, Ctrl+S saves, Esc closes; PgUp/PgDn turn the pages; Ctrl+-, Ctrl++ and
    Ctrl+0 zoom (the page fits the width at first).

    Signals:
        printed(int): pages sent to the printer.
        saved(str): the path the PDF was saved to.

    Attributes:
        viewer: the document viewer (QtPdf, from memory).
        page_spin: "Seite 1 von 2"; choosing a number turns to that page.
        print_button, save_button, close_button: the verbs.
        status: what happened last ("Gespeichert: …").
    """

    printed = Signal(int)
    saved = Signal(str)

    def __init__(self, data: bytes, kind: str, case_code: str | None, parent: QWidget | None = None, *,
                 vault: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.case_code = case_code
        self._data = data
        self._vault = vault
        self.setWindowTitle(_("Preview: {document}").format(document=document_title(kind, case_code)))
        self.setModal(True)

        self.heading = QLabel(document_title(kind, case_code))
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setContentsMargins(6, 0, 0, 0)  # in line with the viewer's buttons

        self.viewer = DocumentViewer(self)
        self.viewer.pdf_view.setAccessibleName(_("Preview"))
        self.viewer.pages_label.hide()  # "Seite 1 von 2" says it

        self.page_spin = QSpinBox()
        prefix, suffix = _page_template()
        self.page_spin.setPrefix(prefix)
        self.page_spin.setAccessibleName(_("Page"))
        self.page_spin.setToolTip(_("Go to page (PgUp, PgDn)"))
        self.page_spin.setKeyboardTracking(False)
        self._suffix = suffix

        self.print_button = QPushButton(_("&Print …"))
        self.print_button.setToolTip(_("Choose a printer and print (Ctrl+P)"))
        self.save_button = QPushButton(_("&Save as …"))
        self.save_button.setToolTip(_("Save the document as a PDF file where you choose (Ctrl+S)"))
        self.close_button = QPushButton(_("Close"))
        self.close_button.setToolTip(_("Close the preview (Esc)"))
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the page box turns the page, it prints nothing
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status"))

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.viewer, 1)
        layout.addLayout(buttons)
        self._place_page_box()

        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        self.page_spin.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.viewer.pdf_view.pageNavigator().currentPageChanged.connect(self._page_changed)
        keys = (
            (QKeySequence("Ctrl+P"), self.print_document),
            (QKeySequence("Ctrl+S"), self.save_as),
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
        )
        for key, slot in keys:
            shortcut = QShortcut(key, self)
            shortcut.activated.connect(slot)
        self.finished.connect(lambda _result: self.clear())

        shown = self.viewer.show_document(data, PDF_MIME)
        count = self.page_count()
        self.page_spin.setRange(1, max(1, count))
        self.page_spin.setSuffix(self._suffix.replace("{pages}", str(count)))
        self.page_spin.setEnabled(count > 1)
        self.print_button.setEnabled(shown and count > 0)
        self.save_button.setEnabled(shown)
        self._fit_to_screen()
        self.viewer.pdf_view.setFocus()

    def _place_page_box(self) -> None:
        # Beside the zoom buttons of the viewer, where it says how many pages there are.
        toolbar = _layout_holding(self.viewer.layout(), self.viewer.pages_label)
        if toolbar is not None:
            toolbar.insertWidget(toolbar.indexOf(self.viewer.pages_label), self.page_spin)
        else:
            self.layout().insertWidget(1, self.page_spin)

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(820, 900)
            return
        free = screen.availableGeometry()
        self.resize(min(860, int(free.width() * 0.9)), min(1000, int(free.height() * 0.9)))

    # -- pages

    def page_count(self) -> int:
        return self.viewer.page_count()

    def current_page(self) -> int:
        """The page shown (0-based)."""
        return max(0, self.viewer.pdf_view.pageNavigator().currentPage())

    def go_to_page(self, page: int) -> None:
        """Turn to ``page`` (0-based)."""
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.viewer.pdf_view.pageNavigator().jump(page, QPointF(), 0)
        self._page_changed(page)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _page_changed(self, page: int) -> None:
        if page < 0:
            return
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)

    # -- the verbs

    def print_document(self) -> None:
        """The print dialog, then every page chosen there goes to the printer."""
        count = self.page_count()
        if count == 0 or not self.print_button.isEnabled():
            return
        printer = ask_printer(self, doc_name=job_name(self.kind, self.case_code), pages=count,
                              current=self.current_page())
        if printer is None:
            return
        pages = pages_to_print(printer, count, self.current_page())
        self.status.setText(_("Printing …"))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            painted = paint_pages(printer, self.viewer.pdf_view.document(), pages)
        except Exception as exc:  # noqa: BLE001 - shown calmly; the details go to the log
            if not isinstance(exc, GkError):
                log.error("printing failed", exc_info=True)
            self.status.clear()
            ops.show_error(self, exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.status.setText(ngettext("{n} page sent to the printer.", "{n} pages sent to the printer.",
                                     painted).format(n=painted))
        _record_output(self, self._vault)
        self.printed.emit(painted)

    def save_as(self) -> None:
        """Save the PDF where the worker chooses (the Documents folder and the case code's name at first)."""
        if not self._data or not self.save_button.isEnabled():
            return
        start = documents_folder() / printing.suggested_name(self.kind, self.case_code)
        target = ask_save_path(self, _("Save as"), start)
        if not target:
            return
        data = self._data
        self.status.setText(_("Saving …"))
        self.save_button.setEnabled(False)

        def done(path: Path) -> None:
            self.save_button.setEnabled(True)
            self.status.setText(_("Saved to {path}.").format(path=path))
            _record_output(self, self._vault)
            self.saved.emit(str(path))

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.status.clear()
            ops.show_error(self, exc)

        ops.Op(self, lambda _ctx: printing.save_pdf(data, target), lane="files").on_success(done) \
            .on_failure(failed).run()

    def clear(self) -> None:
        """Drop the document (closed, or the app locks)."""
        self.viewer.clear()
        self._data = b""
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    """The (nested) layout that holds ``widget`` directly."""
    if layout is None:
        return None
    if layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        found = _layout_holding(layout.itemAt(i).layout(), widget)
        if found is not None:
            return found
    return None


class PrintLauncher(QObject):
    """Makes a document in the background ("Dokument wird erstellt …") and opens its preview.

    One at a time: while a document is being made, further requests are ignored. A failure (no
    agreement yet, a referral without consent, …) is shown with the service's message and nothing
    else happens.

    Signals:
        busy_changed(bool): a document is being made, or no longer.
        opened(object): the preview dialog that was opened.
    """

    busy_changed = Signal(bool)
    opened = Signal(object)

    def __init__(self, parent: QWidget, status: QLabel | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._status = status
        self.busy = False
        self._generation = 0
        self.dialog: PrintPreviewDialog | None = None

    def preview(self, vault: Any, kind: str, case_code: str | None, record_id: str | None = None,
                interview_ids: list[str] | None = None) -> bool:
        """Make the document and show it; False when nothing was started (busy, no vault)."""
        if self.busy or vault is None:
            return False
        from gk_desktop.settings import Settings

        parent = self._parent
        self._generation += 1
        generation = self._generation

        def make(_ctx: Any) -> bytes:
            return printing.make_pdf(vault, kind, case_code, record_id=record_id, settings=Settings.load(), source="gui",
                                     interview_ids=interview_ids)

        def done(data: bytes) -> None:
            if generation == self._generation:  # else the app locked meanwhile
                self._set_busy(False)
                self.show_preview(data, kind, case_code, vault)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._set_busy(False)
                ops.show_error(parent, exc)

        self._set_busy(True)
        ops.Op(parent, make).on_success(done).on_failure(failed).run()
        return True

    def show_preview(self, data: bytes, kind: str, case_code: str | None, vault: Any = None) -> PrintPreviewDialog:
        self.close_preview()
        dialog = PrintPreviewDialog(data, kind, case_code, self._parent, vault=vault)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_closed(d))
        self.dialog = dialog
        dialog.open()
        self.opened.emit(dialog)
        return dialog

    def _dialog_closed(self, dialog: PrintPreviewDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def close_preview(self) -> None:
        import shiboken6

        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.clear()
            dialog.reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if self._status is not None:
            self._status.setText(_("Making the document …") if busy else "")
        self.busy_changed.emit(busy)

    def clear(self) -> None:
        """The app locks: close the preview and forget its document (one being made is dropped)."""
        self._generation += 1
        self.close_preview()
        self._set_busy(False)


# -- many case sheets at once


class BatchPrintDialog(QDialog):
    """The case sheets of several cases (the caller chooses them, e.g. every running case), made in
    the background with a progress bar and "Abbrechen", then printed in one job (one print dialog)
    or saved as one PDF per case into a folder.

    Cancel stops making further sheets; after a cancel nothing is printed or saved.

    Signals:
        done(str): "printed", "saved", "cancelled" or "nothing" when a run ended.

    Attributes:
        progress: the progress bar (sheets made of all).
        print_button, save_button: start a run; close_button: "Abbrechen" while running, else
            "Schließen".
        status: what is happening; which case sheets could not be made.
        made: the case codes whose sheets were made in the last run.
        failures: (case code, message) of the sheets that could not be made.
    """

    done = Signal(str)

    def __init__(self, vault: Any, case_codes: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.case_codes = list(dict.fromkeys(c for c in case_codes if c))
        self._op: ops.Op | None = None
        self._saving = False  # the files are being written: that is not cancelled halfway
        self._mode: str | None = None
        self._folder: Path | None = None
        self.made: list[str] = []
        self.failures: list[tuple[str, str]] = []
        n = len(self.case_codes)
        self.setWindowTitle(_("Print case sheets"))
        self.intro = QLabel(ngettext("The case sheet of {n} case, printed or saved as a PDF file.",
                                     "The case sheets of {n} cases, printed in one job or saved as one PDF file each.",
                                     n).format(n=n))
        self.intro.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, n))
        self.progress.setValue(0)
        self.progress.setFormat(_("%v of %m"))
        self.progress.setAccessibleName(_("Progress"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status"))
        self.print_button = QPushButton(_("&Print …"))
        self.print_button.setToolTip(_("Make the case sheets, then choose a printer: one print job"))
        self.save_button = QPushButton(_("Save in a &folder …"))
        self.save_button.setToolTip(_("One PDF file per case, named by case code, in a folder you choose"))
        self.close_button = QPushButton(_("Close"))
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.start_print)
        self.save_button.clicked.connect(self.start_save)
        self.close_button.clicked.connect(self._close_or_cancel)
        self.print_button.setEnabled(n > 0)
        self.save_button.setEnabled(n > 0)
        layout.setSpacing(10)
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height() + 30)

    @property
    def running(self) -> bool:
        return self._op is not None

    def start_print(self) -> None:
        """Make every case sheet, then the print dialog once, then all of them in one job."""
        self._start("print")

    def start_save(self) -> None:
        """Choose a folder, make every case sheet, then save one PDF per case there."""
        if self.running:
            return
        chosen = ask_folder(self, _("Save case sheets in"), documents_folder())
        if not chosen:
            return
        folder = Path(chosen)
        existing = [c for c in self.case_codes if (folder / printing.suggested_name("casesheet", c)).exists()]
        if existing:
            from gk_desktop.ui.widgets import ask

            text = ngettext("{n} case sheet of today is in this folder already. Replace it?",
                            "{n} case sheets of today are in this folder already. Replace them?",
                            len(existing)).format(n=len(existing))
            if not ask(self, _("Save case sheets"), text, _("Replace")):
                return
        self._folder = folder
        self._start("save")

    def _start(self, mode: str) -> None:
        if self.running or not self.case_codes or self._vault is None:
            return
        from gk_desktop.settings import Settings

        vault, codes = self._vault, list(self.case_codes)
        settings = Settings.load()
        self._mode = mode
        self.made, self.failures = [], []
        self.progress.setValue(0)
        self.status.setText(_("Making the documents …"))
        self._set_running(True)

        def make(ctx: ops.OpContext) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
            out: list[tuple[str, bytes]] = []
            failed: list[tuple[str, str]] = []
            for i, code in enumerate(codes):
                ctx.check()
                try:
                    out.append((code, printing.make_pdf(vault, "casesheet", code, settings=settings, source="gui")))
                except GkError as exc:
                    failed.append((code, exc.message))
                ctx.progress((i + 1) / len(codes))
            ctx.check()  # a cancel during the last sheet still counts
            return out, failed

        op = ops.Op(self, make).on_progress(self._progressed).on_success(self._made) \
            .on_failure(self._failed).on_cancel(self._cancelled)
        self._op = op
        op.run()

    def cancel(self) -> None:
        """Stop making further sheets; nothing is printed or saved."""
        if self._op is not None and not self._saving:
            self._op.cancel()
            self.status.setText(_("Cancelling …"))
            self.close_button.setEnabled(False)

    def clear(self) -> None:
        """The app locks: stop making sheets, forget the vault, close."""
        self._vault = None
        if self._op is not None and not self._saving:
            self._op.cancel()
        self._op = None
        self._saving = False
        super().reject()

    def _close_or_cancel(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.reject()

    def reject(self) -> None:  # Esc and the window's close button
        if self.running:
            self.cancel()
            return
        super().reject()

    def _set_running(self, running: bool) -> None:
        if not running:
            self._op = None
            self._saving = False
        self.print_button.setEnabled(not running and bool(self.case_codes))
        self.save_button.setEnabled(not running and bool(self.case_codes))
        self.close_button.setEnabled(True)
        self.close_button.setText(_("Cancel") if running else _("Close"))

    def _progressed(self, fraction: float) -> None:
        n = len(self.case_codes)
        count = round(fraction * n)
        self.progress.setValue(count)
        self.status.setText(_("Making the documents … {done} of {n}").format(done=count, n=n))

    def _failed(self, exc: BaseException) -> None:
        self._set_running(False)
        self.status.clear()
        self.done.emit("nothing")
        ops.show_error(self, exc)

    def _cancelled(self) -> None:
        self._set_running(False)
        self.status.setText(_("Cancelled. Nothing was printed or saved."))
        self.done.emit("cancelled")

    def _failures_text(self) -> str:
        if not self.failures:
            return ""
        lines = [_("Not made:")] + [f"{code}: {message}" for code, message in self.failures]
        return "\n".join(lines)

    def _made(self, result: tuple[list[tuple[str, bytes]], list[tuple[str, str]]]) -> None:
        self._set_running(False)
        sheets, self.failures = result
        self.made = [code for code, _data in sheets]
        if not sheets:
            self.status.setText(_("No case sheet could be made.") + "\n" + self._failures_text())
            self.done.emit("nothing")
            return
        if self._mode == "save":
            self._save(sheets)
        else:
            self._print(sheets)

    def _print(self, sheets: list[tuple[str, bytes]]) -> None:
        pdfs = [MemoryPdf(data, self) for _code, data in sheets]
        try:
            usable = [p for p in pdfs if p.ok]
            total = sum(p.document.pageCount() for p in usable)
            name = job_name("casesheet", None)
            # All case sheets, whole: a page range over several documents would cut cases apart.
            printer = ask_printer(self, doc_name=name, pages=total, page_range=False)
            if printer is None:
                self.status.setText(_("Not printed.") + ("\n" + self._failures_text() if self.failures else ""))
                self.done.emit("nothing")
                return
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                painted = paint_pages(printer, [p.document for p in usable])
            finally:
                QApplication.restoreOverrideCursor()
        except Exception as exc:  # noqa: BLE001 - shown calmly; the details go to the log
            if not isinstance(exc, GkError):
                log.error("printing failed", exc_info=True)
            self.status.clear()
            self.done.emit("nothing")
            ops.show_error(self, exc)
            return
        finally:
            for pdf in pdfs:
                pdf.close()
        _record_output(self, self._vault, len(usable))
        text = ngettext("{n} case sheet sent to the printer ({pages} pages).",
                        "{n} case sheets sent to the printer ({pages} pages).", len(usable)).format(
            n=len(usable), pages=painted)
        self.status.setText("\n".join(t for t in (text, self._failures_text()) if t))
        self.done.emit("printed")

    def _save(self, sheets: list[tuple[str, bytes]]) -> None:
        folder = self._folder
        assert folder is not None
        self.status.setText(_("Saving …"))
        self._set_running(True)
        self._saving = True
        self.close_button.setEnabled(False)  # a half-written folder is worse than a short wait

        def write(_ctx: Any) -> list[Path]:
            return [printing.save_pdf(data, folder / printing.suggested_name("casesheet", code)) for code, data in sheets]

        def written(paths: list[Path]) -> None:
            self._set_running(False)
            _record_output(self, self._vault, len(paths))
            text = ngettext("{n} case sheet saved in {folder}.", "{n} case sheets saved in {folder}.",
                            len(paths)).format(n=len(paths), folder=folder)
            self.status.setText("\n".join(t for t in (text, self._failures_text()) if t))
            self.done.emit("saved")

        def failed(exc: BaseException) -> None:
            self._set_running(False)
            self.status.clear()
            self.done.emit("nothing")
            ops.show_error(self, exc)

        op = ops.Op(self, write, lane="files").on_success(written).on_failure(failed)
        self._op = op
        op.run()
