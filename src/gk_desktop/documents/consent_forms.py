"""The consent form (Einwilligung / Schweigepflichtentbindung) and the information sheet under
Art. 13 DSGVO, and the building blocks the referral sheet shares with them.

The long texts live in ``resources/texts/<lang>/`` (German and English shipped; a language without
its own file falls back to German), in the small line format described in
``resources/texts/README.md`` and read by :func:`load_text`. The builders here take plain data
(no vault) and return PDF bytes made with :func:`gk_desktop.documents.template.build_pdf`; every
text that can hold a name or user input is a :class:`~gk_desktop.documents.layout.ScriptText`.

The document language may differ from the language of the screen: :func:`document_language`
switches the catalog while a document is made (so that labels, header and footer speak the
document's language) and switches it back afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from gk_desktop import i18n, labels
from gk_desktop.documents import fonts
from gk_desktop.documents.layout import ScriptText, draw_line
from gk_desktop.documents.template import MARGIN_X, PAGE_W, build_pdf, in_language, page_info
from gk_desktop.i18n import N_, _

__all__ = [
    "ConsentFormData", "build_consent_form", "cap", "build_info_sheet", "consent_title", "document_language",
    "format_date", "load_text", "text_path", "texts_dir",
]

DEFAULT_TEXT_LANGUAGE = "de"
SHIPPED_LANGUAGES = ("de", "en")
# Kinds of block :func:`load_text` returns.
HEADING, PARA, BULLET, SLOT = "heading", "para", "bullet", "slot"

GREY = Color(0.35, 0.35, 0.35)
RULE = Color(0.55, 0.55, 0.55)
LIGHT = Color(0.8, 0.8, 0.8)
NOTICE = Color(0.6, 0.1, 0.1)
FRAME_W = PAGE_W - 2 * MARGIN_X  # the width of the text on the page

TITLE_CONSENT = N_("Consent")  # German: "Einwilligung"
TITLE_RELEASE = N_("Release from confidentiality")  # German: "Schweigepflichtentbindung"
TITLE_INFO_SHEET = N_("Information under Art. 13 GDPR")  # German: "Informationen nach Art. 13 DSGVO"

# The blank form is a release from confidentiality: the one a worker fills in by hand.
BLANK_TYPE = "SCHWEIGEPFLICHTENTBINDUNG"

_BRACKETS = re.compile(r"^\[([^\]]*)\]$")
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


# --------------------------------------------------------------------------- texts


def texts_dir() -> Path:
    """resources/texts/ of the checkout (as documents/fonts.py finds resources/fonts)."""
    return Path(__file__).resolve().parents[3] / "resources" / "texts"


def text_path(name: str, lang: str | None) -> Path:
    """The file of text ``name`` in ``lang``; German when that language has none."""
    code = (lang or DEFAULT_TEXT_LANGUAGE).split("_")[0].split("-")[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        code = DEFAULT_TEXT_LANGUAGE
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError("text names are lower-case words")
    path = texts_dir() / code / f"{name}.txt"
    if not path.is_file():
        path = texts_dir() / DEFAULT_TEXT_LANGUAGE / f"{name}.txt"
    return path


def _fill(text: str, values: dict[str, Any] | None) -> str:
    """``{name}`` replaced by ``values[name]``; unknown placeholders stay as written. The values
    are inserted as they are (braces in them are never read as placeholders)."""
    if not values:
        return text
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def load_text(name: str, lang: str | None = None, values: dict[str, Any] | None = None,
              tags: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """The text ``name`` (e.g. "consent", "info_sheet") in ``lang`` (German if that language has
    no file) as (kind, text) blocks: ``heading``, ``para``, ``bullet`` and ``slot`` (a block the
    program draws, the text is its name). ``values`` fill the ``{placeholders}``; ``tags`` keep
    only the ``[TAG …]`` sections that name one of them (None: every section)."""
    wanted = None if tags is None else {t.upper() for t in tags}
    blocks: list[tuple[str, str]] = []
    current: tuple[str, list[str]] | None = None
    active = True

    def flush() -> None:
        nonlocal current
        if current is not None and active:
            blocks.append((current[0], _fill(" ".join(current[1]), values)))
        current = None

    for raw in text_path(name, lang).read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            flush()
            continue
        section = _BRACKETS.match(stripped)
        if section:
            flush()
            names = {t.upper() for t in section.group(1).split()}
            active = wanted is None or "*" in names or bool(names & wanted)
            continue
        if stripped.startswith("# "):
            flush()
            if active:
                blocks.append((HEADING, _fill(stripped[2:].strip(), values)))
            continue
        if stripped.startswith("@") and re.fullmatch(r"@[a-z_]+", stripped):
            flush()
            if active:
                blocks.append((SLOT, stripped[1:]))
            continue
        if stripped.startswith("- "):
            flush()
            current = (BULLET, [stripped[2:].strip()])
            continue
        if current is not None and (current[0] == PARA or line[:1].isspace()):
            current[1].append(stripped)
            continue
        flush()
        current = (PARA, [stripped])
    flush()
    return blocks


# --------------------------------------------------------------------------- language, dates


def document_language_code(lang: str | None) -> str:
    """The language a document is made in: ``de`` or ``en`` (anything else: German)."""
    code = (lang or "").split("_")[0].split("-")[0].lower()
    return code if code in SHIPPED_LANGUAGES and code in i18n.LANGUAGES else DEFAULT_TEXT_LANGUAGE


def document_language(lang: str | None) -> Any:
    """Translate into ``lang`` while the block runs (de or en; anything else: German)."""
    return in_language(document_language_code(lang))


def format_date(day: dt.date | str | None, lang: str | None = None, default: str = "–") -> str:
    """dd.MM.yyyy in German, ISO in English (GLOSSARY.md)."""
    if day is None or day == "":
        return default
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return day.isoformat() if document_language_code(lang or i18n.language()) == "en" else day.strftime("%d.%m.%Y")


def consent_title(consent_type: str | None) -> str:
    """"Schweigepflichtentbindung" for a release from confidentiality, else "Einwilligung"."""
    return _(TITLE_RELEASE) if consent_type == "SCHWEIGEPFLICHTENTBINDUNG" else _(TITLE_CONSENT)


# --------------------------------------------------------------------------- building blocks


def cap(text: str) -> str:
    """The first letter upper-case (labels are lower-case in English: "personal data")."""
    return text[:1].upper() + text[1:]


def title(text: str) -> Flowable:
    return ScriptText(text, 16, bold=True, space_after=4)


def subtitle(text: str) -> Flowable:
    return ScriptText(text, 9.5, color=GREY, space_after=8)


def heading(text: str) -> Flowable:
    block = ScriptText(text, 11, bold=True, space_before=7, space_after=2.5)
    block.keepWithNext = 1
    return block


def para(text: str, size: float = 9.5, color: Color = black) -> Flowable:
    return ScriptText(text, size, color=color, space_after=4)


def small(text: str) -> Flowable:
    return ScriptText(text, 8.5, color=GREY, space_after=3)


def bullet(text: str, size: float = 9.5) -> Flowable:
    """A bullet point: "•" and the text with a hanging indent."""
    table = Table([[ScriptText("•", size, space_after=0), ScriptText(text, size, space_after=0)]],
                  colWidths=[5 * mm, FRAME_W - 5 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BASE_FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (0, 0), 3 * mm),
    ]))
    table.hAlign = "LEFT"
    return table


class WriteLine(Flowable):
    """An empty line to write on by hand (the full width, ``height`` high)."""

    def __init__(self, height: float = 7.5 * mm, width_share: float = 1.0) -> None:
        super().__init__()
        self.height = height
        self.width_share = width_share
        self._w = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._w = avail_width * self.width_share
        return avail_width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 1.5, self._w, 1.5)


class CheckList(Flowable):
    """Boxes to tick by hand, each with its label, in ``columns`` columns."""

    def __init__(self, items: Sequence[str], columns: int = 3, size: float = 9.5) -> None:
        super().__init__()
        self.items = list(items)
        self.columns = columns
        self.size = size
        self.row_h = size * 1.75
        self._w = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._w = avail_width
        rows = -(-len(self.items) // self.columns)
        return avail_width, rows * self.row_h

    def draw(self) -> None:
        c = self.canv
        col_w = self._w / self.columns
        rows = -(-len(self.items) // self.columns)
        box = self.size * 0.95
        c.setStrokeColor(black)
        c.setLineWidth(0.7)
        for i, item in enumerate(self.items):
            row, col = divmod(i, self.columns)
            x = col * col_w
            y = (rows - row - 1) * self.row_h + (self.row_h - box) / 2
            c.rect(x, y, box, box, stroke=1, fill=0)
            draw_line(c, x + box + 2 * mm, y + 1, item, self.size)


class SignatureRow(Flowable):
    """Lines to sign on, side by side, each with its caption below (space to write above)."""

    def __init__(self, captions: Sequence[str], shares: Sequence[float] | None = None, space: float = 11 * mm) -> None:
        super().__init__()
        self.captions = list(captions)
        self.shares = list(shares) if shares else [1 / len(captions)] * len(captions)
        self.space = space
        self._w = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._w = avail_width
        return avail_width, self.space + 5 * mm

    def draw(self) -> None:
        c = self.canv
        gap = 6 * mm
        x = 0.0
        line_y = 5 * mm
        c.setStrokeColor(black)
        c.setLineWidth(0.6)
        for caption, share in zip(self.captions, self.shares):
            w = self._w * share
            c.line(x, line_y, x + w - gap, line_y)
            draw_line(c, x, line_y - 3.5 * mm, caption, 8, color=GREY)
            x += w


def field_table(rows: Sequence[tuple[str, Any]], label_width: float = 42 * mm) -> Flowable:
    """Label and value per row; a value is a text (any script) or a flowable (list)."""
    data = []
    for label_text, value in rows:
        cell = value if isinstance(value, (Flowable, list)) else ScriptText(str(value), 10, space_after=0)
        data.append([ScriptText(label_text, 9, color=GREY, space_after=0), cell])
    table = Table(data, colWidths=[label_width, FRAME_W - label_width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BASE_FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LIGHT),
    ]))
    table.hAlign = "LEFT"
    return table


PLEASE_FILL_IN = N_("(please fill in)")  # German: "(bitte ergänzen)"


def details_block(text: str, missing_hint: str, lines: int = 2) -> list[Flowable]:
    """A multi-line text from the settings, or — when it is empty — the placeholder to fill in by
    hand on ``lines`` empty lines (never invented data)."""
    text = (text or "").strip()
    if text:
        return [para(text)]
    return [para(_(PLEASE_FILL_IN) + " " + missing_hint, color=GREY), *[WriteLine() for _i in range(lines)],
            Spacer(0, 3)]


def privacy_columns(settings: Any) -> Flowable:
    """The controller and the data-protection officer side by side (each with its heading)."""
    half = FRAME_W / 2
    left = [ScriptText(_("Controller"), 10.5, bold=True, space_after=2)] + controller_blocks(settings, False, 1)
    right = [ScriptText(_("Data-protection officer"), 10.5, bold=True, space_after=2)] + dpo_blocks(settings, False, 1)
    table = Table([[left, right]], colWidths=[half, half])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BASE_FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm),
        ("RIGHTPADDING", (1, 0), (1, 0), 0), ("TOPPADDING", (0, 0), (-1, -1), 9),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    table.hAlign = "LEFT"
    return table


def controller_blocks(settings: Any, with_heading: bool = True, lines: int = 2) -> list[Flowable]:
    out: list[Flowable] = [heading(_("Controller"))] if with_heading else []
    return out + details_block(getattr(settings, "controller_details", ""),
                               _("name, address and contact of the controller"), lines)


def dpo_blocks(settings: Any, with_heading: bool = True, lines: int = 2) -> list[Flowable]:
    out: list[Flowable] = [heading(_("Data-protection officer"))] if with_heading else []
    return out + details_block(getattr(settings, "dpo_details", ""),
                               _("name and contact of the data-protection officer"), lines)


# --------------------------------------------------------------------------- the consent form


@dataclass(frozen=True)
class ConsentFormData:
    """What the consent form shows. ``consent_type`` None: a blank form to fill in by hand."""

    case_code: str
    client_name: str
    birth_date: dt.date | None = None
    consent_type: str | None = None
    recipient: str = ""
    recipient_address: str = ""
    purpose: str = ""
    categories: tuple[str, ...] = ()
    given_on: dt.date | None = None
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = None
    form: str = "SCHRIFTLICH"
    interpreted: bool = False
    language: str = ""

    @property
    def blank(self) -> bool:
        return self.consent_type is None


def _validity(data: ConsentFormData, lang: str) -> str:
    if data.blank:
        return _("until the date entered above; without a date, until you revoke it")
    start = format_date(data.given_on, lang)
    if data.valid_until is not None:
        return _("from {start} until {end}").format(start=start, end=format_date(data.valid_until, lang))
    return _("from {start} until you revoke it").format(start=start)


def _consent_fields(data: ConsentFormData, lang: str) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [(_("Client"), data.client_name or "–")]
    if data.birth_date is not None:
        rows.append((_("Birth date"), format_date(data.birth_date, lang)))
    rows.append((_("Case code"), data.case_code))
    if data.blank:
        rows += [
            (_("Recipient"), [WriteLine(), small(_("name and address of the body"))]),
            (_("Purpose"), [WriteLine(), WriteLine()]),
            (_("Data"), [Spacer(0, 2), CheckList([cap(labels.label(labels.DATA_CATEGORY, c))
                                                  for c in labels.DATA_CATEGORY]),
                         small(_("Tick what may be passed on; anything else is not passed on."))]),
            (_("Valid until"), [WriteLine(width_share=0.5), small(_("leave empty: until revoked"))]),
        ]
        return rows
    rows.append((_("Kind of consent"), cap(labels.label(labels.CONSENT_TYPE, data.consent_type))))
    if data.recipient or data.consent_type in ("SCHWEIGEPFLICHTENTBINDUNG", "EINHOLUNG_AUSKUENFTE"):
        recipient = data.recipient or "–"
        if data.recipient_address.strip():
            recipient += "\n" + data.recipient_address.strip()
        rows.append((_("Recipient"), recipient))
    rows.append((_("Purpose"), data.purpose.strip() or "–"))
    if data.categories:
        order = list(labels.DATA_CATEGORY)
        ordered = sorted(data.categories, key=lambda c: (order.index(c) if c in order else len(order), c))
        rows.append((_("Data"), cap(", ".join(labels.label(labels.DATA_CATEGORY, c) for c in ordered))))
    rows.append((_("Validity"), _validity(data, lang)))
    return rows


def _signatures(data: ConsentFormData) -> list[Flowable]:
    """Place and date, the client and the case worker on one row; the interpreter below when the
    consent was interpreted (on a blank form always, marked "only if interpreted")."""
    place_date = _("Place, date")
    rows: list[Flowable] = [Spacer(0, 4), SignatureRow(
        [place_date, _("Signature of the client"), _("Signature of the case worker")], [0.3, 0.35, 0.35])]
    if data.blank or data.interpreted:
        caption = _("Signature of the interpreter")
        if data.blank:
            caption += " " + _("(only if interpreted)")
        elif data.language and data.language not in SHIPPED_LANGUAGES:
            caption += " (" + _("language: {language}").format(language=data.language) + ")"
        rows.append(SignatureRow([place_date, caption], [0.3, 0.7]))
    return [KeepTogether(rows)]


def _keep_with_next(flowable: Flowable) -> Flowable:
    """Mark ``flowable`` to stay on the page of the one after it (see :func:`_glue`)."""
    flowable._gk_keep_next = True  # noqa: SLF001 - our own marker
    return flowable


def _glue(story: list[Flowable]) -> list[Flowable]:
    """Each marked flowable and the one after it in one KeepTogether (ReportLab's keepWithNext
    does not join a KeepTogether that follows)."""
    out: list[Flowable] = []
    pending: list[Flowable] = []
    for f in story:
        if getattr(f, "_gk_keep_next", False):
            pending.append(f)
            continue
        if pending:
            inner = list(f._content) if isinstance(f, KeepTogether) else [f]  # noqa: SLF001
            out.append(KeepTogether(pending + inner))
            pending = []
        else:
            out.append(f)
    return out + pending


def _render(blocks: list[tuple[str, str]], slots: dict[str, list[Flowable]]) -> list[Flowable]:
    """The text's blocks as flowables; slots the text names are drawn where they stand, those it
    leaves out at the end (so that no language file can drop the signatures)."""
    story: list[Flowable] = []
    used: set[str] = set()
    previous = ""
    for kind, text in blocks:
        if previous == BULLET and kind == PARA:
            story.append(Spacer(0, 2.5))
        previous = kind
        if kind == HEADING:
            story.append(heading(text))
        elif kind == BULLET:
            story.append(bullet(text))
        elif kind == SLOT:
            story.extend(slots.get(text, []))
            used.add(text)
        else:
            story.append(para(text))
    for name, flowables in slots.items():
        if name not in used:
            story.extend(flowables)
    return _glue(story)


def build_consent_form(data: ConsentFormData, settings: Any, lang: str | None = None) -> bytes:
    """The consent form as PDF bytes, in ``lang`` (de/en; else German)."""
    with document_language(lang) as code:
        kind = BLANK_TYPE if data.blank else data.consent_type
        doc_title = consent_title(kind)
        story: list[Flowable] = [title(doc_title)]
        if kind == "SCHWEIGEPFLICHTENTBINDUNG":
            story.append(subtitle(_("Consent to passing data (Art. 6 (1) (a), Art. 9 (2) (a) GDPR)")))
        else:
            story.append(subtitle(_("Declaration of consent (Art. 6 (1) (a), Art. 9 (2) (a) GDPR)")))
        story.append(field_table(_consent_fields(data, code)))
        story.append(Spacer(0, 4))
        if data.revoked_on is not None:
            story.append(para(_("Revoked on {date}: from that day on, this consent allows nothing.").format(
                date=format_date(data.revoked_on, code)), color=NOTICE))
        if not data.blank and data.form == "MUENDLICH_DOKUMENTIERT":
            story.append(para(_("Given orally on {date} and documented by the case worker.").format(
                date=format_date(data.given_on, code)), size=9, color=GREY))
        blocks = load_text("consent", code, {"validity": _validity(data, code)}, tags=[kind])
        story += _render(blocks, {
            "controller": [_keep_with_next(privacy_columns(settings))],  # on the page of the signatures
            "dpo": [],
            "signatures": _signatures(data),
        })
        return build_pdf(story, page_info(settings, doc_title, data.case_code))


# --------------------------------------------------------------------------- the information sheet


def build_info_sheet(settings: Any, lang: str | None = None, case_code: str | None = None) -> bytes:
    """The information under Art. 13 DSGVO as PDF bytes. It holds no personal data; the case code
    stands in the header only when given."""
    with document_language(lang) as code:
        doc_title = _(TITLE_INFO_SHEET)
        years = getattr(settings, "retention_years", 3) or 3
        story: list[Flowable] = [
            title(doc_title),
            subtitle(_("How we handle your data in the counselling “Gemeinsam klappt's”")),
        ]
        blocks = load_text("info_sheet", code, {"retention_years": years})
        receipt = [KeepTogether([
            Spacer(0, 6),
            small(_("Handed out and received:")),
            SignatureRow([_("Date"), _("Signature of the client"), _("Signature of the case worker")],
                         [0.24, 0.38, 0.38]),
        ])]
        story += _render(blocks, {
            "controller": controller_blocks(settings, with_heading=False),
            "dpo": dpo_blocks(settings, with_heading=False),
            "receipt": receipt,
        })
        return build_pdf(story, page_info(settings, doc_title, case_code))
