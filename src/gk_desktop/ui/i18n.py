"""The gettext catalog bridged into Qt (STYLE.md 15), plus Qt's own ``qtbase_de`` for standard
buttons and dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gk_desktop import i18n


class GettextTranslator(QTranslator):
    """Answers ``tr()`` lookups from the one gettext catalog of every layer."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # noqa: ARG002
        if not source:
            return None
        translated = i18n._(source)
        # None is a null QString: Qt then asks the next translator (qtbase) or keeps the source
        # text. An empty string would count as a translation and blank the button.
        return translated if translated != source else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


_installed: list[QTranslator] = []


def install(app: QCoreApplication, language: str) -> str:
    """Switch the whole program to ``language`` ('de' or 'en'); returns the language in use."""
    language = i18n.set_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "de":
        qt = QTranslator(app)
        if qt.load("qtbase_de", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    bridge = GettextTranslator(app)
    app.installTranslator(bridge)
    _installed.append(bridge)
    return language


def date_format() -> str:
    """dd.MM.yyyy in German, ISO dates in English (GLOSSARY.md)."""
    return "dd.MM.yyyy" if i18n.language() == "de" else "yyyy-MM-dd"
