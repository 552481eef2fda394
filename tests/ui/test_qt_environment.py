"""The Qt runtime the app shell builds on works offscreen: widgets and QtPdf (a separate wheel)."""

from __future__ import annotations


def test_widget_renders_offscreen(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel("Tresor")
    qtbot.addWidget(label)
    label.resize(200, 40)
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    assert image.width() == 200 and image.height() == 40


def test_qtpdf_is_available(qtbot) -> None:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.pageCount() == 0
