"""A viewer for one document held in memory: PDFs through QtPdf, scans and photos through QImage.

The documents of a case file are decrypted into memory only. Nothing of them may reach the disk
while they are shown: no temp file, no cache, no "recent files" entry (SECURITY.md E1). So the
viewer never hands a file name to anything:

- PDFs: the bytes are copied into a ``QByteArray`` inside a ``QBuffer``, and
  ``QPdfDocument.load(QIODevice)`` gives pdfium a reader over that buffer. pdfium reads the
  document lazily from it (page by page, as the view asks), so the byte array and the buffer are
  kept as attributes for as long as the document is shown and are released only after the
  document has been closed. QPdfView keeps its rendered pages as images in memory.
- Images: ``QImageReader`` decodes from a ``QBuffer`` over the bytes in memory (what
  ``QImage.fromData`` does), and only PNG and JPEG are decoded, whatever the data claims to be.

``clear()`` closes the document and drops the buffer, the byte array, the decoded image and the
pixmap, so no document data stays in the widgets after the app locks.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import _, ngettext

PDF_MIME = "application/pdf"
# The image types the viewer decodes, by MIME type, and the formats QImageReader may find in them.
# A JPEG labelled as PNG (or the other way round) is still shown; anything else is refused, so no
# other image plugin (TIFF, SVG, ...) ever parses the data.
IMAGE_MIMES = {"image/jpeg", "image/png"}
IMAGE_FORMATS = {b"png", b"jpeg", b"jpg"}
MIMES = (PDF_MIME, *sorted(IMAGE_MIMES))

ZOOM_STEP = 1.25
MIN_ZOOM = 0.1
MAX_ZOOM = 8.0
# Fit to width enlarges a small image at most to twice its size: more only shows blurred pixels.
MAX_IMAGE_FIT = 2.0
# Space around an image, as QPdfView leaves around its pages.
IMAGE_MARGIN = 6


def _clamp_zoom(factor: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, factor))


class _ResizeWatcher(QObject):
    """Calls back when the watched widget changes its size (the image is scaled to its width)."""

    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._callback()
        return False


class DocumentViewer(QWidget):
    """Shows one PDF (all pages, one below the other) or one image, from bytes in memory.

    A row of buttons above the view zooms out, zooms in and fits the page to the width again
    (Ctrl+-, Ctrl++ and Ctrl+0 while the focus is in the viewer); a label beside them gives the
    number of pages.

    Attributes:
        stack: switches between ``placeholder``, ``message``, ``pdf_view`` and ``image_area``.
        placeholder: shown while there is no document.
        message: shown instead of a document that cannot be decoded.
        pdf_view: the QPdfView (several pages, continuous, fit to width).
        image_area: the scroll area around ``image_label``, which holds the scaled image.
        zoom_out_button, zoom_in_button, fit_button: the zoom buttons; ``fit_button`` stays
            checked while the page is fitted to the width.
        pages_label: "2 pages", or "Image" for an image.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = QPdfDocument(self)
        # Owned for as long as a PDF is shown: pdfium reads from the buffer lazily.
        self._bytes: QByteArray | None = None
        self._buffer: QBuffer | None = None
        self._image: QImage | None = None
        # None: fit to width; otherwise the image's own zoom factor.
        self._image_zoom: float | None = None
        self._kind: str | None = None  # "pdf", "image" or None

        self.placeholder = self._centered_label()
        self.message = self._centered_label()

        self.pdf_view = QPdfView()
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self._document)
        self.pdf_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pdf_view.setAccessibleName(_("Document"))

        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image_label.setMargin(IMAGE_MARGIN)
        self.image_label.setAccessibleName(_("Document"))
        self.image_area = QScrollArea()
        self.image_area.setWidgetResizable(True)
        self.image_area.setWidget(self.image_label)
        # The same dark surround as the PDF pages, so the edge of a white scan stays visible.
        self.image_area.setBackgroundRole(QPalette.ColorRole.Dark)
        self.image_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image_area.installEventFilter(_ResizeWatcher(self._update_image, self.image_area))

        self.stack = QStackedWidget()
        for page in (self.placeholder, self.message, self.pdf_view, self.image_area):
            self.stack.addWidget(page)

        self.zoom_out_button = self._tool_button("\N{MINUS SIGN}", _("Zoom out"), _("Zoom out (Ctrl+-)"))
        self.zoom_in_button = self._tool_button("+", _("Zoom in"), _("Zoom in (Ctrl++)"))
        self.fit_button = self._tool_button(_("Fit width"), _("Fit width"), _("Fit the page to the width (Ctrl+0)"))
        self.fit_button.setCheckable(True)
        self.pages_label = QLabel()

        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(6, 4, 6, 4)
        toolbar.addWidget(self.zoom_out_button)
        toolbar.addWidget(self.zoom_in_button)
        toolbar.addWidget(self.fit_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.pages_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)

        self._connect_signals()
        self.clear()

    @staticmethod
    def _centered_label() -> QLabel:
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setMargin(24)
        return label

    @staticmethod
    def _tool_button(text: str, name: str, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tooltip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumWidth(32)
        return button

    def _connect_signals(self) -> None:
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button.clicked.connect(self.fit_width)
        keys = (
            ("Ctrl+-", self.zoom_out),
            ("Ctrl++", self.zoom_in),
            ("Ctrl+=", self.zoom_in),  # Ctrl++ where "+" needs Shift (US layout)
            ("Ctrl+0", self.fit_width),
        )
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._document.statusChanged.connect(self._pdf_status_changed)

    # -- showing and dropping a document

    def show_document(self, data: bytes, mime: str) -> bool:
        """Show ``data`` (a PDF, JPEG or PNG, as ``mime`` says); False and a message if it cannot be shown."""
        self._release()
        mime = (mime or "").split(";")[0].strip().lower()
        if mime == PDF_MIME:
            shown = self._show_pdf(data)
        elif mime in IMAGE_MIMES:
            shown = self._show_image(data)
        else:
            shown = False
        if not shown:
            self._show_failure()
        return shown

    def clear(self) -> None:
        """Drop the document and every copy of its data; show the empty placeholder."""
        self._release()
        self.placeholder.setText(_("Choose a document to view it."))
        self.stack.setCurrentWidget(self.placeholder)
        self._update_controls()

    def page_count(self) -> int:
        """Pages of the PDF shown, 1 for an image, 0 when nothing is shown."""
        if self._kind == "pdf":
            return self._document.pageCount()
        if self._kind == "image":
            return 1
        return 0

    def _show_pdf(self, data: bytes) -> bool:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes)
        if not self._buffer.open(QIODevice.OpenModeFlag.ReadOnly):
            return False
        self._document.load(self._buffer)
        # From a buffer that holds all its bytes the document is ready (or has failed) when
        # load() returns; a later failure still arrives through statusChanged.
        if self._document.status() not in (QPdfDocument.Status.Ready, QPdfDocument.Status.Loading):
            return False
        if self._document.error() != QPdfDocument.Error.None_:
            return False
        self._kind = "pdf"
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.verticalScrollBar().setValue(0)
        self.stack.setCurrentWidget(self.pdf_view)
        self._update_controls()
        return True

    def _show_image(self, data: bytes) -> bool:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes)
        if not self._buffer.open(QIODevice.OpenModeFlag.ReadOnly):
            return False
        reader = QImageReader(self._buffer)
        reader.setDecideFormatFromContent(True)
        reader.setAutoTransform(True)  # photos from phones: the EXIF orientation
        if bytes(reader.format().data()).lower() not in IMAGE_FORMATS:
            return False
        image = reader.read()
        # The decoded image is all we need; the encoded bytes go at once.
        self._drop_buffer()
        if image.isNull():
            return False
        self._image = image
        self._image_zoom = None
        self._kind = "image"
        self.stack.setCurrentWidget(self.image_area)
        self._update_image()
        self.image_area.verticalScrollBar().setValue(0)
        self._update_controls()
        return True

    def _show_failure(self) -> None:
        self._release()
        self.message.setText(_("The document cannot be shown."))
        self.stack.setCurrentWidget(self.message)
        self._update_controls()

    def _release(self) -> None:
        # The document first: pdfium may still read from the buffer until it is closed.
        self._kind = None
        if self._document.status() != QPdfDocument.Status.Null:
            self._document.close()
        self.pdf_view.pageNavigator().clear()
        self._drop_buffer()
        self._image = None
        self._image_zoom = None
        self.image_label.clear()

    def _drop_buffer(self) -> None:
        if self._buffer is not None:
            self._buffer.close()
        if self._bytes is not None:
            # Overwrite the copy this widget owns (the caller owns ``data``).
            self._bytes.fill(0)
        self._buffer = None
        self._bytes = None

    def _pdf_status_changed(self, status: QPdfDocument.Status) -> None:
        if self._kind == "pdf" and status == QPdfDocument.Status.Error:
            self._show_failure()
        elif self._kind == "pdf":
            self._update_controls()

    # -- zoom

    def zoom_in(self) -> None:
        """One step larger (from the fitted size when the page is fitted to the width)."""
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        """One step smaller."""
        self._zoom_by(1 / ZOOM_STEP)

    def fit_width(self) -> None:
        """Fit the page (or the image, up to twice its size) to the width of the view again."""
        if self._kind == "pdf":
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif self._kind == "image":
            self._image_zoom = None
            self._update_image()
        self._update_controls()

    def zoom_factor(self) -> float:
        """The zoom now in use (1.0 is 100 %), also while the page is fitted to the width."""
        if self._kind == "pdf":
            if self.pdf_view.zoomMode() == QPdfView.ZoomMode.Custom:
                return self.pdf_view.zoomFactor()
            return self._pdf_fit_factor()
        if self._kind == "image":
            return self._image_zoom if self._image_zoom is not None else self._image_fit_factor()
        return 1.0

    def is_fit_width(self) -> bool:
        """Whether the page or image follows the width of the view."""
        if self._kind == "pdf":
            return self.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        return self._image_zoom is None

    def _zoom_by(self, step: float) -> None:
        if self._kind is None:
            return
        factor = _clamp_zoom(self.zoom_factor() * step)
        if self._kind == "pdf":
            self.pdf_view.setZoomFactor(factor)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
        else:
            self._image_zoom = factor
            self._update_image()
        self._update_controls()

    def _pdf_fit_factor(self) -> float:
        # QPdfView keeps zoomFactor untouched while it fits to width; the factor it uses is
        # worked out here as QPdfViewPrivate::calculateDocumentLayout does (points → pixels at the
        # screen's logical DPI, scaled to the viewport width less the document margins).
        page = max(0, self.pdf_view.pageNavigator().currentPage())
        if page >= self._document.pageCount():
            return 1.0
        screen = QGuiApplication.primaryScreen()
        resolution = (screen.logicalDotsPerInch() if screen is not None else 96.0) / 72.0
        page_width = self._document.pagePointSize(page).width() * resolution
        margins = self.pdf_view.documentMargins()
        available = self.pdf_view.viewport().width() - margins.left() - margins.right()
        if page_width <= 0 or available <= 0:
            return 1.0
        return available / page_width

    def _image_fit_factor(self) -> float:
        image = self._image
        if image is None or image.isNull():
            return 1.0
        # Work from the scroll area's own size, not from its viewport: the viewport narrows when
        # the scroll bar appears, and scaling to that would switch the scroll bar off again.
        frame = 2 * (self.image_area.frameWidth() + IMAGE_MARGIN)
        width = self.image_area.width() - frame
        height = self.image_area.height() - frame
        factor = min(width / image.width(), MAX_IMAGE_FIT)
        if image.height() * factor > height:
            bar = self.image_area.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.image_area)
            factor = min((width - bar) / image.width(), MAX_IMAGE_FIT)
        return max(factor, MIN_ZOOM)

    def _update_image(self) -> None:
        image = self._image
        if image is None or image.isNull():
            return
        factor = self.zoom_factor()
        size = QSize(max(1, round(image.width() * factor)), max(1, round(image.height() * factor)))
        # Scaled at the device pixel ratio, so a scan stays sharp on a 150 % display.
        ratio = self.devicePixelRatioF()
        scaled = image.scaled(size * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.image_label.setPixmap(pixmap)

    def _update_controls(self) -> None:
        shown = self._kind is not None
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setEnabled(shown)
        self.fit_button.setEnabled(shown)
        self.fit_button.setChecked(shown and self.is_fit_width())
        if self._kind == "pdf":
            n = self._document.pageCount()
            self.pages_label.setText(ngettext("{n} page", "{n} pages", n).format(n=n))
        elif self._kind == "image":
            self.pages_label.setText(_("Image"))
        else:
            self.pages_label.clear()
