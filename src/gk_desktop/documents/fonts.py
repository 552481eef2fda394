"""Fonts for the printed documents: Noto (SIL Open Font License, resources/fonts/), one family per
script — Latin (with the Turkish and Kurdish letters), Arabic (Arabic, Persian, Sorani Kurdish) and
Ethiopic (Tigrinya, Amharic) — registered once with ReportLab (and, through :func:`font_files`, with
Qt by the app).

ReportLab has no font fallback: :func:`runs` splits a text into runs of one script, each set in
its own font. Characters of no particular script (spaces, digits, punctuation) join the run they
stand in, so a name like "Rahimi, شفیق" breaks into a Latin and an Arabic run only where the
script changes.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from pathlib import Path

LATIN, ARABIC, ETHIOPIC = "latin", "arabic", "ethiopic"

_FILES: dict[str, tuple[str, str]] = {
    LATIN: ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ARABIC: ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ETHIOPIC: ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
}
# The names the fonts are registered under with ReportLab: (regular, bold) per script.
NAMES: dict[str, tuple[str, str]] = {
    LATIN: ("GK-Sans", "GK-Sans-Bold"),
    ARABIC: ("GK-Arabic", "GK-Arabic-Bold"),
    ETHIOPIC: ("GK-Ethiopic", "GK-Ethiopic-Bold"),
}
BASE_FONT, BOLD_FONT = NAMES[LATIN]
MONO_BOLD = "GK-Mono-Bold"  # the recovery key: one width for every character
_MONO_FILE = "NotoSansMono-Bold.ttf"

_lock = threading.Lock()
_registered = False
_glyphs: dict[str, frozenset[int]] = {}  # script → the code points its regular font has


def font_dir() -> Path:
    """resources/fonts/ of the checkout (``GK_FONTS_DIR`` may point elsewhere)."""
    given = os.environ.get("GK_FONTS_DIR")
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[3] / "resources" / "fonts"


def font_files() -> list[Path]:
    return [font_dir() / name for pair in _FILES.values() for name in pair] + [font_dir() / _MONO_FILE]


def register() -> None:
    """Register every font with ReportLab (once; safe from several threads)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = font_dir()
        for script, (regular, bold) in _FILES.items():
            name, bold_name = NAMES[script]
            font = TTFont(name, str(folder / regular))
            pdfmetrics.registerFont(font)
            _glyphs[script] = frozenset(font.face.charToGlyph)
            pdfmetrics.registerFont(TTFont(bold_name, str(folder / bold)))
            pdfmetrics.registerFontFamily(name, normal=name, bold=bold_name, italic=name, boldItalic=bold_name)
        pdfmetrics.registerFont(TTFont(MONO_BOLD, str(folder / _MONO_FILE)))
        _registered = True


def script_of(ch: str) -> str | None:
    """The script a character needs a font for; None for characters of no particular script."""
    code = ord(ch)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF \
            or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return ARABIC
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F:
        return ETHIOPIC
    if ch.isalpha():
        return LATIN
    return None


_ARABIC_CHARS = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_ETHIOPIC_CHARS = "\u1200-\u139F\u2D80-\u2DDF\uAB00-\uAB2F"
ARABIC_RE = re.compile(f"[{_ARABIC_CHARS}]")
NON_LATIN_RE = re.compile(f"[{_ARABIC_CHARS}{_ETHIOPIC_CHARS}]")


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (script, run) pairs in logical order; neutral characters stay in the run they
    stand in (leading ones join the first run) — unless that run's font lacks them: Noto Sans
    Arabic and Ethiopic have no "(", "/" or "§", Ethiopic no Latin digits; those go to the Latin
    font."""
    if not NON_LATIN_RE.search(text):  # nearly every text: one Latin run (the regex runs in C)
        return [(LATIN, text)] if text else []
    out: list[tuple[str, str]] = []
    current: str | None = None
    buf: list[str] = []
    for ch in text:
        script = script_of(ch)
        if script is None and current not in (None, LATIN) and _glyphs and ord(ch) not in _glyphs.get(current, ()):
            script = LATIN  # a neutral the script's font cannot show
        if script is None or script == current:
            buf.append(ch)
            continue
        if current is None:
            current = script
            buf.append(ch)
            continue
        out.append((current, "".join(buf)))
        current, buf = script, [ch]
    if buf:
        out.append((current or LATIN, "".join(buf)))
    return out


def font_for(script: str, bold: bool = False) -> str:
    return NAMES.get(script, NAMES[LATIN])[1 if bold else 0]


def is_rtl(text: str) -> bool:
    """True when the first strong character is right-to-left (the paragraph's direction)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False
