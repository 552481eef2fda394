"""The document viewer shows PDFs and images from memory, refuses broken data calmly, writes
nothing to the temp or cache folders while it shows a document, and forgets it on clear()."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QStandardPaths, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication

from gk_desktop.ui.document_viewer import DocumentViewer

CANARY = "CANARY-VIEW-7f3a"
MEDIA = (".pdf", ".png", ".jpg", ".jpeg")


def make_pdf(pages: int = 2, text: str = CANARY) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    # Uncompressed, so a copy of the document anywhere on disk would contain the canary as is.
    pdf = canvas.Canvas(out, pageCompression=0)
    pdf.setTitle(text)
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 24)
        pdf.drawString(72, 760, f"{text} page {page}")
        pdf.rect(72, 100, 450, 600)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_image(fmt: str, text: str = CANARY) -> bytes:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    image.setText("Comment", text)  # a PNG keeps it as a tEXt chunk
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(buffer.data().data())


@pytest.fixture
def viewer(qtbot):
    widget = DocumentViewer()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.clear()


def test_a_two_page_pdf_is_shown_fit_to_width(viewer) -> None:
    assert viewer.show_document(make_pdf(), "application/pdf") is True
    assert viewer.page_count() == 2
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.pdf_view.pageMode() == QPdfView.PageMode.MultiPage
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.fit_button.isChecked()
    assert viewer.pages_label.text() in {"2 pages", "2 Seiten"}


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("JPG", "image/jpeg")])
def test_images_are_shown(viewer, fmt, mime) -> None:
    assert viewer.show_document(make_image(fmt), mime) is True
    assert viewer.page_count() == 1
    assert viewer.stack.currentWidget() is viewer.image_area
    pixmap = viewer.image_label.pixmap()
    assert not pixmap.isNull()
    # Fit to width enlarges a small image, but to twice its size at most.
    size = pixmap.deviceIndependentSize()
    assert (round(size.width()), round(size.height())) == (80, 40)
    # The encoded bytes are not kept once the image is decoded.
    assert viewer._buffer is None and viewer._bytes is None


def test_a_large_image_fits_the_width(viewer, qtbot) -> None:
    image = QImage(3000, 1000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    assert viewer.show_document(bytes(buffer.data().data()), "image/png")
    width = viewer.image_label.pixmap().deviceIndependentSize().width()
    assert 0 < width <= viewer.image_area.width()
    viewer.resize(600, 700)
    qtbot.waitUntil(lambda: viewer.image_label.pixmap().deviceIndependentSize().width() < width)


@pytest.mark.parametrize(("data", "mime"), [
    (b"%PDF-1.4 garbage", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n garbage", "image/png"),
    (b"\xff\xd8\xff garbage", "image/jpeg"),
    (b"", "application/pdf"),
    (make_pdf()[:400], "application/pdf"),
    (make_image("PNG"), "text/plain"),
])
def test_broken_data_shows_a_message(viewer, data, mime) -> None:
    assert viewer.show_document(data, mime) is False
    assert viewer.stack.currentWidget() is viewer.message
    assert viewer.message.text()
    assert viewer.page_count() == 0
    assert not viewer.zoom_in_button.isEnabled()


def test_only_png_and_jpeg_are_decoded(viewer) -> None:
    """Another image format is refused even when it is labelled as PNG."""
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "BMP")
    assert viewer.show_document(bytes(buffer.data().data()), "image/png") is False
    # A JPEG labelled as PNG is still a JPEG and is shown.
    assert viewer.show_document(make_image("JPG"), "image/png") is True


def test_a_broken_document_replaces_the_one_shown(viewer) -> None:
    assert viewer.show_document(make_pdf(), "application/pdf")
    assert viewer.show_document(b"%PDF-1.4 garbage", "application/pdf") is False
    assert viewer.page_count() == 0
    assert viewer._buffer is None and viewer._bytes is None
    assert viewer.show_document(make_pdf(3), "application/pdf")
    assert viewer.page_count() == 3


# -- nothing on disk


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """{path: (mtime, size)} of the regular files under ``root``; unreadable corners are skipped."""
    found: dict[str, tuple[int, int]] = {}
    inside_pytest = "pytest-of-" in str(root)
    for dirpath, _dirs, names in os.walk(root, onerror=lambda _error: None):
        if not inside_pytest and "pytest-of-" in dirpath:
            continue  # other test runs on this machine write their own canary files there
        for name in names:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if os.path.isfile(path) and not os.path.islink(path):
                found[path] = (st.st_mtime_ns, st.st_size)
    return found


def _new_or_changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(path for path, stamp in after.items() if before.get(path) != stamp)


def _holds_canary(path: str) -> bool:
    needles = (CANARY.encode(), CANARY.encode("utf-16-le"))
    try:
        if os.path.getsize(path) > 64 * 1024 * 1024:
            return False
        data = Path(path).read_bytes()
    except OSError:
        return False
    return any(n in data for n in needles)


def _open_files_of_this_process() -> list[str]:
    """Regular files this process holds open now (Linux); empty elsewhere."""
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        return []
    out = []
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("/") and os.path.isfile(target):
            out.append(target)
    return out


def _watched_dirs(fresh: Path, system_temp: str) -> tuple[list[Path], list[Path]]:
    """(folders where any new file counts, shared folders where only a file with the canary counts).

    The system temp folder and the caches are shared with other programs on a build machine, so
    only files with the canary in them are attributed to this test there.
    """
    shared = {Path(system_temp)}
    for location in (QStandardPaths.StandardLocation.TempLocation, QStandardPaths.StandardLocation.CacheLocation,
                     QStandardPaths.StandardLocation.GenericCacheLocation):
        path = QStandardPaths.writableLocation(location)
        if path:
            shared.add(Path(path))
    shared.discard(fresh)
    return [fresh], sorted(p for p in shared if p.is_dir())


def test_the_watch_sees_a_leak(tmp_path: Path) -> None:
    """Negative control: a copy of the document written to a temp folder is found."""
    before = _files(tmp_path)
    leak = tmp_path / "copy.pdf"
    leak.write_bytes(make_pdf())
    changed = _new_or_changed(before, _files(tmp_path))
    assert changed == [str(leak)]
    assert _holds_canary(str(leak))
    png = tmp_path / "copy.png"
    png.write_bytes(make_image("PNG"))
    assert _holds_canary(str(png))


def test_showing_writes_nothing_to_temp_or_cache(viewer, qtbot, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    system_temp = tempfile.gettempdir()
    fresh = tmp_path / "tmp"
    fresh.mkdir()
    # Python reads the override at once; Qt reads TMPDIR on every QDir::tempPath() (Unix), so its
    # temp location follows too, even after the QApplication exists.
    monkeypatch.setenv("TMPDIR", str(fresh))
    monkeypatch.setattr(tempfile, "tempdir", str(fresh))
    if sys.platform != "win32":
        assert QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation) == str(fresh)
    strict, shared = _watched_dirs(fresh, system_temp)
    before = {d: _files(d) for d in (*strict, *shared)}
    open_before = set(_open_files_of_this_process())

    pdf = make_pdf()
    png = make_image("PNG")
    assert CANARY.encode() in pdf and CANARY.encode() in png  # the watch could see a copy

    assert viewer.show_document(pdf, "application/pdf")
    viewer.zoom_in()  # render the pages at a second size too
    qtbot.wait(200)
    QApplication.processEvents()
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.pdf_view.document().pageCount() == 2
    opened_while_shown = set(_open_files_of_this_process()) - open_before

    assert viewer.show_document(png, "image/png")
    qtbot.wait(200)
    QApplication.processEvents()
    assert viewer.stack.currentWidget() is viewer.image_area
    opened_while_shown |= set(_open_files_of_this_process()) - open_before

    problems = []
    for d in strict:
        problems += [f"new file in {d}: {p}" for p in _new_or_changed(before[d], _files(d))]
    for d in shared:
        for path in _new_or_changed(before[d], _files(d)):
            if _holds_canary(path):
                problems.append(f"canary in {path}")
    watched = [str(d) for d in (*strict, *shared)]
    for path in opened_while_shown:
        if path.lower().endswith(MEDIA) or any(path.startswith(w + os.sep) for w in watched) or _holds_canary(path):
            problems.append(f"held open while shown: {path}")
    assert problems == []


# -- clear and zoom


def test_clear_drops_the_document(viewer) -> None:
    data = make_pdf()
    original = bytes(data)
    assert viewer.show_document(data, "application/pdf")
    assert viewer._buffer is not None and viewer._bytes is not None
    viewer.clear()
    assert viewer.page_count() == 0
    assert viewer._buffer is None and viewer._bytes is None and viewer._image is None
    assert viewer.pdf_view.document().pageCount() == 0
    assert viewer.stack.currentWidget() is viewer.placeholder
    assert viewer.placeholder.text()
    assert viewer.pages_label.text() == ""
    assert not viewer.zoom_in_button.isEnabled()
    assert data == original  # the viewer overwrote its own copy, never the caller's bytes

    assert viewer.show_document(make_image("PNG"), "image/png")
    viewer.clear()
    assert viewer.image_label.pixmap().isNull()
    assert viewer._image is None
    assert viewer.page_count() == 0


def test_zoom_buttons_and_keys(viewer, qtbot) -> None:
    assert viewer.show_document(make_pdf(), "application/pdf")
    view = viewer.pdf_view
    fitted = viewer.zoom_factor()
    assert fitted > 0

    qtbot.mouseClick(viewer.zoom_in_button, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    assert view.zoomFactor() == pytest.approx(fitted * 1.25)
    assert not viewer.fit_button.isChecked()
    qtbot.mouseClick(viewer.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.zoom_out_button, Qt.MouseButton.LeftButton)
    assert view.zoomFactor() == pytest.approx(fitted / 1.25)
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.fit_button.isChecked()

    viewer.activateWindow()
    qtbot.waitActive(viewer)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    zoomed = view.zoomFactor()
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomFactor() < zoomed
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_zoom_on_an_image(viewer, qtbot) -> None:
    assert viewer.show_document(make_image("PNG"), "image/png")
    assert viewer.is_fit_width()
    qtbot.mouseClick(viewer.zoom_in_button, Qt.MouseButton.LeftButton)
    assert not viewer.is_fit_width()
    assert viewer.image_label.pixmap().deviceIndependentSize().width() == pytest.approx(100, abs=1)
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert viewer.is_fit_width()
    assert viewer.image_label.pixmap().deviceIndependentSize().width() == pytest.approx(80, abs=1)

