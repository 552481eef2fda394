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


def test_standard_buttons_keep_their_text_in_both_languages(qtbot) -> None:
    """The gettext bridge must not blank Qt's own strings it does not know (a null answer)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from gk_desktop.ui import i18n as ui_i18n

    app = QApplication.instance()
    expected = {"de": ["OK", "Abbrechen"], "en": ["OK", "Cancel"]}
    try:
        for lang, texts in expected.items():
            ui_i18n.install(app, lang)
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            qtbot.addWidget(box)
            assert sorted(b.text().replace("&", "") for b in box.buttons()) == sorted(texts)
        ui_i18n.install(app, "de")
        assert QCoreApplication.translate("any", "Recovery key") == "Notfallschlüssel"
    finally:
        ui_i18n.install(app, "de")
