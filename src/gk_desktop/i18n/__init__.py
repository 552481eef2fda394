"""One gettext catalog for every layer (STYLE.md I18N).

Source strings are English; German is complete and the default. ``GK_LANG`` (``de`` or ``en``)
chooses the language for the command line; the GUI calls :func:`set_language`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "gk_desktop"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

_translation: gettext.NullTranslations | None = None
_language = DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    """Switch the catalog; unknown languages fall back to German. Returns the language in use."""
    global _translation, _language
    lang = (lang or DEFAULT_LANGUAGE).split("_")[0].lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    _language = lang
    if lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
    return lang


def language() -> str:
    if _translation is None:
        set_language(os.environ.get("GK_LANG"))
    return _language


def _(message: str) -> str:
    """Translate ``message`` (English source) into the current language."""
    if _translation is None:
        set_language(os.environ.get("GK_LANG"))
    assert _translation is not None
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation where it is declared; translate it with _() where shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    if _translation is None:
        set_language(os.environ.get("GK_LANG"))
    assert _translation is not None
    return _translation.ngettext(singular, plural, n)
