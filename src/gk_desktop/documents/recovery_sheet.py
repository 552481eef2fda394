"""The recovery sheet ("Notfallblatt"): one A4 page with the recovery key and what to do with it.

Built entirely in memory; the caller prints the bytes or saves them to a path the worker chose.
The sheet carries no personal data: only the date, the first 8 characters of the vault id (so the
sheet can be matched to its vault), optionally a hint where the data folder lives, and the key.
The PDF metadata carries neither the key, nor a path, nor a user name.

The page is the shared one of every printout (documents/template.py: the municipality at the top,
"vertraulich" and "Seite 1 von 1" at the foot) in the embedded Noto fonts; a data-folder hint in
any script prints as it is.
"""

from __future__ import annotations

import datetime
import gettext
import io
import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from gk_desktop import i18n
from gk_desktop.documents import fonts
from gk_desktop.documents.layout import ScriptText
from gk_desktop.documents.template import PageInfo, decorate
from gk_desktop.i18n import _

__all__ = ["recovery_sheet_pdf"]

KEY_GROUPS = 13
KEY_GROUP_LEN = 5
KEY_LINES = (5, 4, 4)  # groups per printed line
VAULT_ID_CHARS = 8
RECOVER_COMMAND = "gk-cli recover"
APP_NAME = "gk-desktop"

_KEY_CHARS = re.compile(r"[A-Z2-7]+")  # base32, as storage.keys formats the key

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
FOOTER_Y = 12 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

GREY_TEXT = Color(0.35, 0.35, 0.35)
GREY_LINE = Color(0.6, 0.6, 0.6)
KEY_FILL = Color(0.95, 0.95, 0.95)

KEY_FONT = fonts.MONO_BOLD
KEY_SIZE = 22
KEY_CHAR_SPACE = 1.5
KEY_GROUP_GAP = 22
KEY_ROW_H = 44

_TITLE = ParagraphStyle("title", fontName=fonts.BOLD_FONT, fontSize=19, leading=23)
_HEADING = ParagraphStyle("heading", fontName=fonts.BOLD_FONT, fontSize=12, leading=15)
_BODY = ParagraphStyle("body", fontName=fonts.BASE_FONT, fontSize=10.5, leading=14)
_BULLET = ParagraphStyle("bullet", parent=_BODY, leftIndent=12, bulletIndent=1, bulletFontName=fonts.BASE_FONT,
                         spaceAfter=3)
_SMALL = ParagraphStyle("small", fontName=fonts.BASE_FONT, fontSize=9, leading=12, textColor=GREY_TEXT)
_META_VALUE = ParagraphStyle("meta", fontName=fonts.MONO_BOLD, fontSize=10.5, leading=13)


def recovery_sheet_pdf(
    recovery_key: str,
    *,
    created: datetime.date,
    vault_id_short: str,
    data_dir_hint: str | None = None,
    lang: str = "de",
    compress: bool = True,
    municipality: str = "",
    logo: str | None = None,
) -> bytes:
    """Return the recovery sheet as a one-page A4 PDF.

    ``recovery_key`` is the key as printed (13 groups of 5 characters; dashes, spaces and case do
    not matter). ``vault_id_short``: the vault id or its start; only the first 8 characters are
    printed. ``data_dir_hint`` is printed on the page (never into the metadata). ``lang`` chooses
    the catalog and the date format (``de``: dd.MM.yyyy, ``en``: ISO). ``compress=False`` leaves
    the page stream uncompressed (for tests). The same input gives the same bytes.
    """
    groups = _key_groups(recovery_key)
    vault_short = _vault_short(vault_id_short)
    lang, _ = _translator(lang)  # local _: the catalog of the requested language, not the UI's
    date_text = created.strftime("%d.%m.%Y") if lang == "de" else created.isoformat()

    fonts.register()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1 if compress else 0, lang=lang,
               initialFontName=fonts.BASE_FONT)
    title = _("Recovery sheet")
    c.setTitle(title)
    c.setAuthor(APP_NAME)
    c.setSubject("")
    c.setCreator(APP_NAME)
    c.setKeywords("")

    y = PAGE_H - MARGIN_TOP

    # Title and the facts that match the sheet to its vault.
    y = _para(c, escape(_("Recovery sheet for the gk-desktop vault")), _TITLE, y)
    y -= 8
    vault_label = _("Vault ID")
    meta = [(_("Created on"), date_text), (vault_label, vault_short)]
    if data_dir_hint:
        meta.append((_("Data folder"), data_dir_hint))
    label_w = max(stringWidth(label + ":", fonts.BASE_FONT, 10.5) for label, _v in meta) + 10
    for label, value in meta:
        c.setFont(fonts.BASE_FONT, 10.5)
        c.setFillColor(GREY_TEXT)
        c.drawString(MARGIN_X, y - 10.5, label + ":")
        c.setFillColor(black)
        if label == _("Data folder"):  # a path in any script: the script-aware paragraph
            block = ScriptText(value, 10.5, bold=True, leading=13)
            _w, h = block.wrap(CONTENT_W - label_w, PAGE_H)
            block.drawOn(c, MARGIN_X + label_w, y - h)
            y = y - h - 2
        else:
            y = _para(c, escape(value), _META_VALUE, y, x=MARGIN_X + label_w, width=CONTENT_W - label_w) - 2
    y -= 6
    c.setStrokeColor(GREY_LINE)
    c.setLineWidth(0.6)
    c.line(MARGIN_X, y, PAGE_W - MARGIN_X, y)
    y -= 16

    # The key.
    y = _para(c, escape(_("Recovery key")), _HEADING, y) - 6
    y = _key_box(c, groups, y) - 6
    y = _para(c, escape(_("13 groups of 5 characters. Only capital letters and the digits 2 to 7 occur, so O and I "
                          "are always letters. When typing, spaces, dashes and upper or lower case do not matter.")),
              _SMALL, y)
    y -= 16

    # What to do with it.
    y = _para(c, escape(_("Keep it safe")), _HEADING, y) - 4
    for text in (
        _("Keep this sheet in a sealed envelope in the office safe, or split it between two people so that "
          "only both together can use it."),
        _("Whoever holds this recovery key can open the vault and read all data in it. Do not copy, scan or "
          "photograph the sheet and do not send it by e-mail."),
        _("Without the recovery key, a forgotten passphrase means the loss of all data in the vault."),
    ):
        y = _para(c, escape(text), _BULLET, y, bullet=True)
    y -= 10

    y = _para(c, escape(_("How to use it")), _HEADING, y) - 4
    button = "<b>" + escape(_("Forgot the passphrase?")) + "</b>"
    command = f'<font face="{fonts.MONO_BOLD}">' + escape(RECOVER_COMMAND) + "</font>"
    for text in (
        escape(_("In the app: on the lock screen choose {button}, type in the recovery key and set a new "
                 "passphrase.")).format(button=button),
        escape(_("On the command line: {command}")).format(command=command),
        escape(_("After use the app issues a new recovery key; this one then no longer works. Print the new "
                 "recovery sheet and destroy this one, for example with the shredder.")),
    ):
        y = _para(c, text, _BULLET, y, bullet=True)
    y -= 22

    # Who keeps the sheet.
    _custody_box(
        c,
        y,
        (
            _("Kept by"),
            # TRANSLATORS: column heading "kept on (date)" in the custody box of the recovery sheet
            _("on"),
            _("Signature"),
        ),
    )

    # Above the shared footer: what matches the sheet to its vault.
    c.setFont(fonts.BASE_FONT, 8)
    c.setFillColor(GREY_TEXT)
    c.drawString(MARGIN_X, FOOTER_Y + 6 * mm, f"{APP_NAME} \u00b7 {title}")
    c.drawRightString(PAGE_W - MARGIN_X, FOOTER_Y + 6 * mm, f"{vault_label} {vault_short} \u00b7 {date_text}")
    decorate(c, PageInfo(title, None, municipality, logo), 1, 1, gettext=_)
    c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------- helpers


def _translator(lang: str) -> tuple[str, Callable[[str], str]]:
    """The language actually used (unknown → German, as i18n does) and its gettext function."""
    lang = (lang or i18n.DEFAULT_LANGUAGE).split("_")[0].lower()
    if lang not in i18n.LANGUAGES:
        lang = i18n.DEFAULT_LANGUAGE
    if lang == i18n.language():
        return lang, _
    if lang == "en":
        return lang, gettext.NullTranslations().gettext
    catalog = gettext.translation(i18n.DOMAIN, localedir=i18n.LOCALE_DIR, languages=[lang], fallback=True)
    return lang, catalog.gettext


def _key_groups(recovery_key: str) -> list[str]:
    cleaned = "".join(ch for ch in recovery_key.upper() if not ch.isspace() and ch != "-")
    if len(cleaned) != KEY_GROUPS * KEY_GROUP_LEN or not _KEY_CHARS.fullmatch(cleaned):
        # Programming error (the key comes from the vault); the message never repeats the key.
        raise ValueError("recovery key must be 13 groups of 5 base32 characters")
    return [cleaned[i : i + KEY_GROUP_LEN] for i in range(0, len(cleaned), KEY_GROUP_LEN)]


def _vault_short(vault_id: str) -> str:
    short = vault_id.strip()[:VAULT_ID_CHARS]
    if not short:
        raise ValueError("vault id is empty")
    return _latin(short)


def _latin(text: str) -> str:
    """What the built-in fonts can show (WinAnsi); anything else becomes '?'."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _para(c: Canvas, markup: str, style: ParagraphStyle, top: float, *, x: float = MARGIN_X,
          width: float = CONTENT_W, bullet: bool = False) -> float:
    """Draw a paragraph with its top edge at ``top``; return the y below it."""
    p = Paragraph(markup, style, bulletText="\u2022" if bullet else None)
    _w, h = p.wrap(width, PAGE_H)
    p.drawOn(c, x, top - h)
    return top - h - style.spaceAfter


def _key_box(c: Canvas, groups: list[str], top: float) -> float:
    """The key in large monospaced type, 5/4/4 groups a line, each group numbered for reading aloud."""
    group_w = stringWidth("M" * KEY_GROUP_LEN, KEY_FONT, KEY_SIZE) + KEY_CHAR_SPACE * (KEY_GROUP_LEN - 1)
    cols = max(KEY_LINES)
    grid_w = cols * group_w + (cols - 1) * KEY_GROUP_GAP
    pad_top, pad_bottom = 10, 12
    box_h = pad_top + len(KEY_LINES) * KEY_ROW_H + pad_bottom
    bottom = top - box_h
    c.setFillColor(KEY_FILL)
    c.setStrokeColor(GREY_LINE)
    c.setLineWidth(0.8)
    c.roundRect(MARGIN_X, bottom, CONTENT_W, box_h, 5, stroke=1, fill=1)

    x0 = MARGIN_X + (CONTENT_W - grid_w) / 2
    index = 0
    row_top = top - pad_top
    for count in KEY_LINES:
        baseline = row_top - KEY_ROW_H + 12
        for col in range(count):
            gx = x0 + col * (group_w + KEY_GROUP_GAP)
            c.setFont(fonts.BASE_FONT, 7.5)
            c.setFillColor(GREY_TEXT)
            c.drawCentredString(gx + group_w / 2, baseline + KEY_SIZE * 0.72 + 6, str(index + 1))
            c.saveState()  # the character spacing must not leak into the text drawn later
            text = c.beginText(gx, baseline)
            text.setFont(KEY_FONT, KEY_SIZE)
            text.setCharSpace(KEY_CHAR_SPACE)
            text.setFillColor(black)
            text.textOut(groups[index])
            text.setCharSpace(0)
            c.drawText(text)
            c.restoreState()
            index += 1
        row_top -= KEY_ROW_H
    return bottom


def _custody_box(c: Canvas, top: float, labels: tuple[str, str, str]) -> float:
    """A table with two empty rows: kept by / on / signature (the sheet may be split between two)."""
    widths = (0.42, 0.2, 0.38)
    head_h, row_h, rows = 15, 34, 2
    box_h = head_h + rows * row_h
    bottom = top - box_h
    c.setStrokeColor(GREY_LINE)
    c.setLineWidth(0.8)
    c.rect(MARGIN_X, bottom, CONTENT_W, box_h, stroke=1, fill=0)
    c.setLineWidth(0.5)
    for r in range(rows):
        y = top - head_h - r * row_h
        c.line(MARGIN_X, y, MARGIN_X + CONTENT_W, y)
    x = MARGIN_X
    c.setFont(fonts.BOLD_FONT, 8.5)
    c.setFillColor(GREY_TEXT)
    for i, (frac, label) in enumerate(zip(widths, labels)):
        if i:
            c.line(x, bottom, x, top)
        c.drawString(x + 5, top - head_h + 4.5, label)
        x += frac * CONTENT_W
    return bottom
