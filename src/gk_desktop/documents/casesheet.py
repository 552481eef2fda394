"""The Fallblatt: the whole case file on about two A4 pages, for the paper file.

:func:`build` turns plain data (what :func:`gk_desktop.services.print_case.casesheet` gathers: the
client as ``client show`` prints it, the current case as ``case show`` prints it, the open
deadlines, optionally chosen interviews) into PDF bytes, in memory. It is the only document that
prints the client's name; the running header and the PDF metadata still carry the case code and the
kind of document only (documents/template.py).

Every text that can hold a name or the worker's input is a :class:`ScriptText`, so a name in
Arabic, Persian, Kurdish or Ethiopic script prints in its own font and reading order. A section
without content is left out. Words and dates follow the current language (:mod:`gk_desktop.i18n`);
the caller switches it for a document in another language.

The small building blocks (:class:`Cells`, :class:`Heading`, :func:`fmt_date` …) are shared with
the Zielvereinbarung (documents/agreement.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from gk_desktop import labels
from gk_desktop.documents.layout import ScriptText, text_width
from gk_desktop.documents.template import PageInfo, build_pdf
from gk_desktop.i18n import N_, _, language
from gk_desktop.labels import ASYLUM_STAGE, CONTACT_TYPE, END_REASON, GOAL_STATUS, IDENTITY_ACTION, NAME_VARIANT_KIND, NEED_AREA, NEED_STATUS, REFERRAL_STATUS, RESOURCE_TYPE, TASK_RESPONSIBLE, TASK_STATUS  # noqa: F401 - also imported from here

__all__ = ["build", "Cells", "Heading", "Text", "fmt_date", "fmt_datetime", "period_text", "cap"]

GREY = Color(0.35, 0.35, 0.35)
HAIRLINE = Color(0.82, 0.82, 0.82)
RULE = Color(0.55, 0.55, 0.55)
BODY = 9
SMALL = 7.8
HEAD = 11
TITLE = 16
LABEL_W = 31 * mm  # the label column of label–value lines
LEADING = 1.24  # line distance of a value (times the size)
GAP = 5  # points between columns
# A row taller than this may be split across pages; shorter rows move to the next page whole.
SPLIT_MIN = 140

# The words of the case view (ui/), the same English source strings, so one thing has one name
# in the app and on paper (documents/ imports nothing from ui/).
LANGUAGE_NAMES = {
    "de": N_("German"), "en": N_("English"), "fr": N_("French"), "ar": N_("Arabic"), "fa": N_("Persian"),
    "prs": N_("Dari"), "ps": N_("Pashto"), "ku": N_("Kurdish"), "kmr": N_("Kurmanji"), "ckb": N_("Sorani"),
    "ti": N_("Tigrinya"), "am": N_("Amharic"), "so": N_("Somali"), "tr": N_("Turkish"), "ru": N_("Russian"),
    "uk": N_("Ukrainian"), "sq": N_("Albanian"), "ur": N_("Urdu"), "ro": N_("Romanian"), "es": N_("Spanish"),
}

# Section headings and the words of this sheet.
CASE_SHEET = N_("Case sheet")
S_CASE = N_("Case")
S_PERSONAL = N_("Personal data")
S_RESIDENCE = N_("Residence status and history")
S_IDENTITY = N_("Identity and passport efforts")
S_EDUCATION = N_("School, language and work")
S_NEEDS = N_("Needs and resources")
S_GOALS = N_("Goals and steps")
S_REFERRALS = N_("Referrals and service chains")
S_CONSENTS = N_("Consents")
S_DEADLINES = N_("Open deadlines")
S_INTERVIEWS = N_("Interviews")


# --------------------------------------------------------------------------- formatting


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or ISO text; None for nothing (or text that is no date)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def fmt_date(value: Any) -> str:
    """dd.MM.yyyy in German, yyyy-mm-dd in English; "" for nothing."""
    day = as_date(value)
    if day is None:
        return ""
    return day.strftime("%d.%m.%Y") if language() == "de" else day.isoformat()


def fmt_datetime(value: Any) -> str:
    """Date and local time of a moment (stored in UTC)."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    moment = moment.astimezone()
    return f"{fmt_date(moment.date())} {moment:%H:%M}"


def period_text(start: Any, end: Any) -> str:
    a, b = fmt_date(start), fmt_date(end)
    if a and b:
        return f"{a} – {b}"
    if a:
        return _("from {date}").format(date=a)
    if b:
        return _("until {date}").format(date=b)
    return ""


def cap(text: str) -> str:
    """The first letter upper-case (labels are lower-case in running text, capitalised in a cell)."""
    return text[:1].upper() + text[1:] if text else text


def lab(table: dict[str, str], key: Any) -> str:
    return cap(labels.label(table, key, default="")) if key else ""


def joined(*parts: Any, sep: str = " · ") -> str:
    return sep.join(str(p).strip() for p in parts if p is not None and str(p).strip())


def language_name(code: str | None) -> str:
    if not code:
        return ""
    name = LANGUAGE_NAMES.get(code)
    return _(name) if name else code


# --------------------------------------------------------------------------- flowables


class Text(ScriptText):
    """A :class:`ScriptText` whose right-to-left text starts at the left edge of its column, next to
    its label, like every other value of a form; the lines of a longer right-to-left paragraph stay
    aligned right among themselves."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        w, h = super().wrap(avail_width, avail_height)
        if self.rtl and self._lines:
            widest = max(text_width(line, self.size, self.bold) for line in self._lines)
            self._width = min(avail_width, widest + self.indent)
        return w, h


def para(text: str, size: float = BODY, **kw: Any) -> ScriptText:
    kw.setdefault("space_after", 1)
    kw.setdefault("leading", size * LEADING)
    return Text(text, size, **kw)


def small(text: str, **kw: Any) -> ScriptText:
    kw.setdefault("color", GREY)
    kw.setdefault("space_after", 1)
    kw.setdefault("leading", SMALL * LEADING)
    return Text(text, SMALL, **kw)


class Cells(Flowable):
    """One row of columns, each a stack of flowables, aligned at the top. ``widths``: points,
    one of them ``None`` for the column that takes the rest. A hairline below when ``line``."""

    def __init__(self, cells: Sequence[Any], widths: Sequence[float | None], *, space_before: float = 0,
                 space_after: float = 2, line: bool = False, line_color: Color = HAIRLINE, gap: float = GAP,
                 keep_with_next: bool = False, _stacks: list[list[Flowable]] | None = None) -> None:
        super().__init__()
        self.widths = list(widths)
        self.stacks = _stacks if _stacks is not None else [self._stack(c) for c in cells]
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.line = line
        self.line_color = line_color
        self.gap = gap
        if keep_with_next:
            self.keepWithNext = 1
        self._cols: list[float] = []
        self._shifts: list[float] = []
        self._heights: list[float] = []
        self._height = 0.0

    @staticmethod
    def _stack(cell: Any) -> list[Flowable]:
        if cell is None or cell == "":
            return []
        if isinstance(cell, (str, Flowable)):
            cell = [cell]
        return [para(c) if isinstance(c, str) else c for c in cell if c is not None and c != ""]

    def _columns(self, avail: float) -> list[float]:
        fixed = sum(w for w in self.widths if w is not None) + self.gap * (len(self.widths) - 1)
        flex = max((avail - fixed) / max(sum(w is None for w in self.widths), 1), 20)
        return [w if w is not None else flex for w in self.widths]

    @staticmethod
    def _stack_height(stack: list[Flowable], width: float, avail: float) -> float:
        h = 0.0
        for i, f in enumerate(stack):
            _w, fh = f.wrap(width, avail)
            h += fh + (f.getSpaceAfter() if i < len(stack) - 1 else 0)
        return h

    @property
    def first_size(self) -> float:
        """The size of the first line's text (the row's first baseline lies this far below its top)."""
        return max((_first_size(s) for s in self.stacks), default=0.0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._cols = self._columns(avail_width)
        sizes = [_first_size(s) for s in self.stacks]
        top = max(sizes, default=0.0)
        # Smaller text moves down so that the first lines of all columns share one baseline.
        self._shifts = [top - size if size else 0.0 for size in sizes]
        self._heights = [self._stack_height(s, w, avail_height) + shift if s else 0.0
                         for s, w, shift in zip(self.stacks, self._cols, self._shifts)]
        self._height = max(self._heights, default=0.0) + (3 if self.line else 0)
        self.width = avail_width
        return avail_width, self._height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self._height <= avail_height:
            return [self]
        if self._height < SPLIT_MIN:
            return []
        firsts, rests = [], []
        for stack, width, shift in zip(self.stacks, self._cols, self._shifts):
            first, rest = _split_stack(stack, width, avail_height - shift)
            firsts.append(first)
            rests.append(rest)
        if not any(firsts):
            return []
        kw = {"gap": self.gap, "line_color": self.line_color}
        return [Cells([], self.widths, space_before=self.spaceBefore, space_after=0, _stacks=firsts, **kw),
                Cells([], self.widths, space_after=self.spaceAfter, line=self.line, _stacks=rests, **kw)]

    def draw(self) -> None:
        x = 0.0
        top = self._height
        for stack, width, shift in zip(self.stacks, self._cols, self._shifts):
            y = top - shift
            for f in stack:
                _w, h = f.wrap(width, top)
                f.drawOn(self.canv, x, y - h)
                y -= h + f.getSpaceAfter()
            x += width + self.gap
        if self.line:
            self.canv.setStrokeColor(self.line_color)
            self.canv.setLineWidth(0.4)
            self.canv.line(0, 0.5, self.width, 0.5)


def _first_size(stack: list[Flowable]) -> float:
    if not stack:
        return 0.0
    return float(getattr(stack[0], "size", 0) or getattr(stack[0], "first_size", 0) or 0)


def _split_stack(stack: list[Flowable], width: float, avail: float) -> tuple[list[Flowable], list[Flowable]]:
    first: list[Flowable] = []
    used = 0.0
    for i, f in enumerate(stack):
        _w, h = f.wrap(width, avail)
        if used + h <= avail:
            first.append(f)
            used += h + f.getSpaceAfter()
            continue
        parts = f.split(width, avail - used)
        if len(parts) == 2:
            first.append(parts[0])
            return first, [parts[1], *stack[i + 1:]]
        return first, list(stack[i:])
    return first, []


class Heading(Flowable):
    """A section heading with a rule below; stays with what follows."""

    def __init__(self, text: str, size: float = HEAD, *, space_before: float = 10, space_after: float = 3) -> None:
        super().__init__()
        self.text = ScriptText(text, size, bold=True, space_after=0)
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.keepWithNext = 1
        self._h = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _w, h = self.text.wrap(avail_width, avail_height)
        self._h = h + 3
        self.width = avail_width
        return avail_width, self._h

    def draw(self) -> None:
        self.text.drawOn(self.canv, 0, 3)
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 1, self.width, 1)


def subheading(text: str) -> ScriptText:
    st = ScriptText(text, BODY, bold=True, space_before=4, space_after=1.5)
    st.keepWithNext = 1
    return st


def header_row(titles: Sequence[str], widths: Sequence[float | None]) -> Cells:
    """The column titles of a list: small, grey, a line below; stays with the first row."""
    return Cells([small(t, bold=True) for t in titles], widths, space_after=2, line=True, line_color=RULE,
                 keep_with_next=True)


def kv_rows(rows: Iterable[tuple[str, Any]], label_width: float = LABEL_W) -> list[Flowable]:
    """Label–value lines (a value: text or a list of texts); empty values left out."""
    out: list[Flowable] = []
    for key, value in rows:
        if value is None or value == "" or value == []:
            continue
        out.append(Cells([small(key, space_after=0), value], [label_width, None], space_after=1.5))
    return out


def section(title: str, body: list[Flowable]) -> list[Flowable]:
    """The heading and its body; nothing when the body is empty."""
    return [Heading(title), *body] if body else []


# --------------------------------------------------------------------------- sections


def labelled(label: str, value: str) -> str:
    """"Zieldatum 16.06.2025": a label and its value in running text."""
    return f"{label} {value}" if value else ""


def kv_columns(left: Iterable[tuple[str, Any]], right: Iterable[tuple[str, Any]],
               label_width: float = LABEL_W) -> list[Flowable]:
    """Two columns of label–value lines side by side (the left one filled first)."""
    a, b = kv_rows(left, label_width), kv_rows(right, label_width)
    if not a or not b:
        return a or b
    return [Cells([a, b], [None, None], gap=14, space_after=0)]


def _title(data: dict[str, Any]) -> list[Flowable]:
    case = data.get("case") or {}
    out: list[Flowable] = [ScriptText(_(CASE_SHEET), TITLE, bold=True, space_after=2)]
    line = joined(labelled(_("Case code"), data.get("case_code") or ""), data.get("programme"),
                  _("printed on {date}").format(date=fmt_date(data.get("printed_on"))))
    out.append(small(line, space_after=5))
    out += kv_columns([(_("Phase"), lab(labels.CASE_PHASE, case.get("phase"))),
                       (_("First contact"), fmt_date(case.get("first_contact_on")))],
                      [(_("Access route"), lab(labels.ACCESS_ROUTE, case.get("access_route"))),
                       (_("Next review"), fmt_date(case.get("next_review_on"))),
                       (_("Closed on"), fmt_date(case.get("closed_on")))])
    out += kv_rows([(_("Request"), case.get("request")), (_("Mandate"), case.get("mandate"))], LABEL_W)
    return out


def _personal(client: dict[str, Any]) -> list[Flowable]:
    # The kind in a column of its own: punctuation right after a name in another script would be
    # set in that script's font, which may lack it.
    variants: list[Flowable] = []
    for v in client.get("name_variants") or []:
        if v.get("name"):
            kind = v.get("kind")
            variants.append(Cells([para(v["name"]), small(_(NAME_VARIANT_KIND[kind])) if kind in NAME_VARIANT_KIND
                                   else None], [None, 22 * mm], space_after=0.5))
    birth = fmt_date(client.get("birth_date"))
    if birth and client.get("birth_date_fictitious"):
        birth = _("{date} (fictitious)").format(date=birth)
    if birth and client.get("age") is not None:
        birth = joined(birth, labelled(_("Age"), str(client["age"])))
    languages = []
    for item in client.get("languages") or []:
        level = item.get("level")
        level_text = labels.label(labels.LANGUAGE_LEVEL, level, default="") if level else ""
        name = language_name(item.get("language"))
        languages.append(f"{name} ({level_text})" if level == "MUTTERSPRACHE" else joined(name, level_text, sep=" "))
    interpreter = ""
    if client.get("interpreter_needed"):
        interpreter = joined(cap(_("yes")), language_name(client.get("interpreter_language")), sep=", ")
    nationalities = ", ".join(client.get("nationalities") or [])
    origin = client.get("country_of_origin") or ""
    left = [
        (_("Last name"), para(client.get("last_name") or "", 10.5, bold=True)),
        (_("First name"), para(client.get("first_name") or "", 10.5, bold=True)),
        (_("Name variants"), variants),
        (_("Birth date"), birth),
        (_("Gender"), lab(labels.GENDER, client.get("gender")) if client.get("gender") != "KEINE_ANGABE" else ""),
    ]
    right = [
        (_("Nationalities"), nationalities),
        (_("Country of origin"), origin if origin != nationalities else ""),
        (_("Languages"), ", ".join(languages)),
        (_("Interpreter"), interpreter),
        (_("In Germany since"), fmt_date(client.get("entry_date_de"))),
        (_("Address"), client.get("address")),
        (_("Phone"), client.get("phone")),
        (_("E-mail"), client.get("email")),
        (_("Responsible immigration office"), client.get("responsible_abh")),
    ]
    return section(_(S_PERSONAL), kv_columns(left, right))


def _residence(client: dict[str, Any], today: dt.date | None) -> list[Flowable]:
    periods = client.get("residence_periods") or []
    body: list[Flowable] = []
    if periods:
        widths = [41 * mm, 46 * mm, None]
        body.append(header_row([_("Period"), _("Status"), _("Details")], widths))
        for p in periods:
            start, end = as_date(p.get("valid_from")), as_date(p.get("valid_until"))
            current = today is not None and (start is None or start <= today) and (end is None or end >= today)
            employment = p.get("employment_permission")
            details = joined(p.get("legal_detail"), p.get("issuing_office"),
                             _("Employment") + ": " + labels.label(labels.EMPLOYMENT, employment)
                             if employment and employment != "UNBEKANNT" else None)
            body.append(Cells([para(period_text(start, end), bold=current),
                               para(lab(labels.RESIDENCE_STATUS, p.get("status")), bold=current),
                               small(details) if details else None], widths, line=True))
    asylum = []
    for a in client.get("asylum_procedures") or []:
        asylum.append(joined(lab(ASYLUM_STAGE, a.get("stage")),
                             _("applied on {date}").format(date=fmt_date(a["applied_on"])) if a.get("applied_on") else None,
                             _("decision served on {date}").format(date=fmt_date(a["decision_served_on"]))
                             if a.get("decision_served_on") else None,
                             a.get("note")))
    rows = kv_rows([(_("Asylum procedure"), asylum)])
    if rows and body:
        rows[0].spaceBefore = 3
    return section(_(S_RESIDENCE), body + rows)


def _identity(client: dict[str, Any]) -> list[Flowable]:
    status = client.get("identity_status") or {}
    clarified = status.get("clarified")
    body = kv_columns([(_("Identity clarified"), lab(labels.IDENTITY_CLARIFIED, clarified)
                        if clarified not in (None, "UNBEKANNT") else ""),
                       (_("Documents"), status.get("documents_available"))],
                      [(_("Passport valid until"), fmt_date(status.get("passport_valid_until")))])
    efforts = client.get("identity_efforts") or []
    if efforts:
        widths = [38 * mm, 46 * mm, None]
        header = header_row([_("Date"), _("Action"), _("Result")], widths)
        header.spaceBefore = 3 if body else 0
        body.append(header)
        for e in sorted(efforts, key=lambda e: str(e.get("date") or "")):
            result: list[Flowable] = [para(e["result"])] if e.get("result") else []
            if e.get("proof"):
                result.append(small(_("Proof") + ": " + e["proof"]))
            body.append(Cells([fmt_date(e.get("date")), lab(IDENTITY_ACTION, e.get("action")), result], widths,
                              line=True))
    return section(_(S_IDENTITY), body)


def _education(client: dict[str, Any]) -> list[Flowable]:
    widths = [38 * mm, None, 50 * mm]
    body: list[Flowable] = []
    schools = client.get("education_records") or []
    if schools:
        body.append(subheading(_("School and education")))
        for e in sorted(schools, key=lambda e: str(e.get("start_date") or "")):
            where = joined(e.get("institution"), e.get("programme"), e.get("country"), sep=", ")
            qual = joined(lab(labels.QUALIFICATION, e.get("qualification")),
                          _("Recognised") if e.get("recognised") else None)
            body.append(Cells([period_text(e.get("start_date"), e.get("end_date")), where, small(qual) if qual else None],
                              widths, line=True))
    certs = client.get("language_certificates") or []
    if certs:
        body.append(subheading(_("Language certificates")))
        for c in sorted(certs, key=lambda c: str(c.get("date") or "")):
            what = joined(language_name(c.get("language")), c.get("level"), sep=" ")
            body.append(Cells([fmt_date(c.get("date")), what, small(c["evidence"]) if c.get("evidence") else None],
                              widths, line=True))
    works = client.get("work_records") or []
    if works:
        body.append(subheading(_("Training and work")))
        for w in sorted(works, key=lambda w: str(w.get("start_date") or "")):
            if w.get("actual_end_date") or not w.get("planned_end_date"):
                when = period_text(w.get("start_date"), w.get("actual_end_date"))
            else:
                when = joined(fmt_date(w.get("start_date")),
                              labelled(_("planned until"), fmt_date(w["planned_end_date"])), sep=" – ")
            kind = lab(labels.WORK_TYPE, w.get("type"))
            hours = w.get("hours_per_week")
            extra = joined(kind, labelled(f"{hours:g}", _("Hours per week")) if isinstance(hours, (int, float)) else None,
                           lab(END_REASON, w.get("end_reason")) if w.get("actual_end_date") else None)
            what = joined(w.get("occupation"), w.get("employer"), sep=", ") or kind
            body.append(Cells([when, [what, small(extra) if extra else None]], widths[:1] + [None], line=True))
    if body:
        body[0].spaceBefore = 0
    return section(_(S_EDUCATION), body)


def _needs(data: dict[str, Any]) -> list[Flowable]:
    assessments = data.get("assessments") or []
    needs = data.get("needs") or []
    resources = data.get("resources") or []
    body: list[Flowable] = []
    for a in assessments:
        body.append(small(joined(labelled(_("Assessment"), fmt_date(a.get("date"))), a.get("summary"), sep=": "),
                          space_after=3))
    widths = [LABEL_W, None, 40 * mm]
    areas: dict[str, list[dict[str, Any]]] = {}
    for n in sorted(needs, key=lambda n: n.get("priority") or 2):
        areas.setdefault(n.get("need_area") or "SONSTIGES", []).append(n)
    for area, items in areas.items():
        for i, n in enumerate(items):
            stack: list[Flowable] = [para(n.get("description") or lab(NEED_AREA, area))]
            if n.get("own_view"):
                stack.append(small(_("The client's own view") + ": " + n["own_view"]))
            if n.get("gap_note"):
                stack.append(small(_("Gap note (what is missing)") + ": " + n["gap_note"]))
            meta = joined(lab(NEED_STATUS, n.get("status")),
                          labelled(_("Priority"), str(n["priority"])) if n.get("priority") else None)
            body.append(Cells([para(lab(NEED_AREA, area), bold=True) if i == 0 else None, stack,
                               small(meta) if meta else None], widths, line=True))
    if resources:
        lines = [para(joined(lab(RESOURCE_TYPE, r.get("resource_type")), r.get("description"), sep=": "))
                 for r in resources]
        body.append(Cells([para(_("Resources"), bold=True), lines], [LABEL_W, None]))
    return section(_(S_NEEDS), body)


def _who(task: dict[str, Any]) -> str:
    if task.get("responsible") == "PARTNER" and task.get("partner"):
        return task["partner"]
    return lab(TASK_RESPONSIBLE, task.get("responsible"))


FINAL_GOALS = frozenset({"ERREICHT", "TEILWEISE_ERREICHT", "NICHT_ERREICHT", "VERWORFEN"})


def _goals(data: dict[str, Any]) -> list[Flowable]:
    goals = data.get("goals") or []
    tasks = data.get("tasks") or []
    if not goals and not tasks:
        return []
    widths = [32 * mm, None, 20 * mm, 31 * mm]
    ids = {g.get("id") for g in goals}
    by_goal: dict[str | None, list[dict[str, Any]]] = {}
    for t in tasks:
        by_goal.setdefault(t.get("goal_id") if t.get("goal_id") in ids else None, []).append(t)
    body: list[Flowable] = [header_row([_("Who"), _("What"), _("Due on"), _("Status")], widths)]

    def task_rows(items: list[dict[str, Any]]) -> None:
        for t in items:
            status = lab(TASK_STATUS, t.get("status"))
            if t.get("status") == "ERLEDIGT" and t.get("done_on"):
                status = joined(status, fmt_date(t["done_on"]), sep=" ")
            body.append(Cells([_who(t), t.get("description") or "", fmt_date(t.get("due_on")), status], widths,
                              line=True))

    def group(title: str, meta: str, items: list[dict[str, Any]], first: bool) -> None:
        head = ScriptText(title, BODY, bold=True, space_before=2 if first else 6, space_after=0.5)
        head.keepWithNext = 1
        body.append(head)
        if meta:
            m = small(meta, space_after=1.5)
            m.keepWithNext = 1 if items else 0
            body.append(m)
        task_rows(items)

    order = sorted(goals, key=lambda g: (g.get("status") in FINAL_GOALS, str(g.get("target_on") or "9999")))
    for n, g in enumerate(order):
        meta = joined(lab(NEED_AREA, g.get("need_area")),
                      labelled(_("Target date"), fmt_date(g.get("target_on"))),
                      lab(GOAL_STATUS, g.get("status")),
                      labelled(_("Review on"), fmt_date(g.get("review_on"))),
                      f"{g['achievement']} %" if g.get("achievement") is not None else None,
                      g.get("achievement_note"))
        group(g.get("statement") or "", meta, by_goal.get(g.get("id"), []), n == 0)
    if by_goal.get(None):
        group(_("Other steps"), "", by_goal[None], not order)
    return section(_(S_GOALS), body)


def _referrals(data: dict[str, Any]) -> list[Flowable]:
    chains = data.get("service_chains") or []
    referrals = data.get("referrals") or []
    if not chains:
        return []
    widths = [8 * mm, None, 50 * mm, 20 * mm]
    body: list[Flowable] = [header_row(["", _("Offer") + " / " + _("Partner"), _("Status"), _("Referred on")], widths)]
    for n, c in enumerate(chains):
        head = ScriptText(c.get("title") or "", BODY, bold=True, space_before=2 if n == 0 else 6, space_after=0.5)
        head.keepWithNext = 1
        body.append(head)
        meta = joined(_("Goal") + ": " + c["goal"] if c.get("goal") else None,
                      period_text(c.get("start_on"), c.get("planned_end_on")), c.get("coordinator"))
        if meta:
            m = small(meta, space_after=1.5)
            m.keepWithNext = 1
            body.append(m)
        for r in (r for r in referrals if r.get("chain_id") == c.get("id")):
            who: list[Flowable] = [para(joined(r.get("offer"), r.get("partner"), sep=" – ") or "–")]
            for note in (r.get("feedback"), r.get("dropout_reason")):
                if note:
                    who.append(small(note))
            status = joined(lab(REFERRAL_STATUS, r.get("status")),
                            _("since {date}").format(date=fmt_date(r["status_since"])) if r.get("status_since") else None,
                            sep=", ")
            body.append(Cells([f"{r.get('position', '')}.", who, status, fmt_date(r.get("referred_on"))], widths,
                              line=True))
    return section(_(S_REFERRALS), body)


def _consents(data: dict[str, Any]) -> list[Flowable]:
    consents = data.get("consents") or []
    if not consents:
        return []
    widths = [44 * mm, None, 37 * mm, 19 * mm]
    body: list[Flowable] = [header_row([_("Consent"), _("Purpose") + ", " + _("Categories"), _("Period"), _("Status")],
                                       widths)]
    for c in consents:
        kind: list[Flowable] = [para(lab(labels.CONSENT_TYPE, c.get("consent_type")))]
        if c.get("recipient"):
            kind.append(small(c["recipient"]))
        what: list[Flowable] = [para(c["purpose"])] if c.get("purpose") else []
        cats = ", ".join(labels.label(labels.DATA_CATEGORY, k) for k in c.get("categories") or [])
        if cats:
            what.append(small(cats))
        dates: list[Flowable] = [para(period_text(c.get("given_on"), c.get("valid_until")))]
        if c.get("revoked_on"):
            dates.append(small(labelled(_("Revoked on"), fmt_date(c["revoked_on"]))))
        body.append(Cells([kind, what, dates, lab(labels.CONSENT_STATUS, c.get("status"))], widths, line=True))
    return section(_(S_CONSENTS), body)


def _deadlines(data: dict[str, Any]) -> list[Flowable]:
    items = sorted(data.get("deadlines") or [], key=lambda d: str(d.get("due") or ""))
    widths = [19 * mm, None]
    rows: list[Flowable] = []
    for d in items:
        text = labels.label(labels.DEADLINE_TYPE, d.get("type"))
        if d.get("text"):
            text = joined(text, d["text"], sep=": ")
        rows.append(Cells([fmt_date(d.get("due")), text], widths, space_after=1.5))
    return section(_(S_DEADLINES), rows)


def _interviews(data: dict[str, Any]) -> list[Flowable]:
    items = data.get("interviews")
    if not items:
        return []
    body: list[Flowable] = []
    for n, c in enumerate(sorted(items, key=lambda c: str(c.get("datetime") or c.get("at") or ""))):
        minutes = c.get("duration_min")
        head = joined(fmt_datetime(c.get("datetime") or c.get("at")), lab(CONTACT_TYPE, c.get("contact_type")),
                      labelled(str(minutes), _("Minutes")) if minutes else None,
                      ", ".join(lab(NEED_AREA, a) for a in c.get("need_areas") or []))
        first = ScriptText(head, BODY, bold=True, space_before=0 if n == 0 else 5, space_after=1)
        first.keepWithNext = 1
        body.append(first)
        if c.get("note"):
            body.append(para(c["note"], space_after=1.5))
        if c.get("agreements"):
            body.append(small(_("Agreements") + ": " + c["agreements"], space_after=1.5))
    return section(_(S_INTERVIEWS), body)


def story(data: dict[str, Any]) -> list[Flowable]:
    """The flowables of the sheet (the sections with content, in their order)."""
    client = data.get("client") or {}
    today = as_date(data.get("printed_on"))
    out: list[Flowable] = []
    for part in (_title(data), _personal(client), _residence(client, today), _identity(client), _education(client),
                 _needs(data), _goals(data), _referrals(data), _consents(data), _deadlines(data), _interviews(data)):
        out.extend(part)
    return out


def build(data: dict[str, Any], page: PageInfo) -> bytes:
    """The Fallblatt as PDF bytes (in memory) from plain data:

    ``case_code``, ``printed_on`` (ISO date), ``programme`` (its name), ``case`` (``case show``'s
    case), ``client`` (``client show``'s client: names, variants, residence periods, identity,
    education, certificates, work …), ``assessments``/``needs``/``resources``, ``goals``,
    ``tasks`` (``partner``: the partner's name), ``service_chains``, ``referrals`` (``offer``,
    ``partner``: names), ``consents`` (``recipient``: the name), ``deadlines`` (``due``,
    ``type``, ``text``), ``interviews`` (optional: ``datetime``, ``contact_type``,
    ``duration_min``, ``note``, ``agreements``). Dates as ISO text or date objects.
    """
    return build_pdf(story(data), page)
