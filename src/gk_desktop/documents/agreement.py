"""The Zielvereinbarung: the goals and steps agreed with the client, "freiwillig, aber verbindlich",
with place, date and the two signatures — one A4 page as a rule, built in memory.

:func:`build` takes plain data (what :func:`gk_desktop.services.print_case.agreement` gathers).
The client's name appears under the signature line only; the running header and the metadata
carry the case code and the kind of document.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from gk_desktop.documents.casesheet import (
    GREY,
    NEED_AREA,
    RULE,
    TASK_RESPONSIBLE,
    Cells,
    Heading,
    Text,
    cap,
    fmt_date,
    joined,
    lab,
    labelled,
    language_name,
)
from gk_desktop.documents.layout import ScriptText
from gk_desktop.documents.template import PageInfo, build_pdf
from gk_desktop.i18n import N_, _

__all__ = ["build", "GOAL_AGREEMENT"]

GOAL_AGREEMENT = N_("Goal agreement")
# TRANSLATORS: German must contain "freiwillig, aber verbindlich" (the programme's words).
VOLUNTARY = N_("This agreement is voluntary, but binding: you agree to it of your own free will, and we both keep "
               "to what we have agreed here.")
SIZE = 10
SMALL = 8.5
GOAL_COL = 17 * mm
TASK_WIDTHS = [GOAL_COL, 34 * mm, None, 24 * mm]


class SignLine(Flowable):
    """Room to write in and a line to write on."""

    def __init__(self, height: float = 30) -> None:
        super().__init__()
        self.height = height
        self.spaceAfter = 2

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.7)
        self.canv.line(0, 0, self.width, 0)


def _text(text: str, size: float = SIZE, **kw: Any) -> ScriptText:
    kw.setdefault("space_after", 1)
    return Text(text, size, **kw)


def _small(text: str, **kw: Any) -> ScriptText:
    kw.setdefault("color", GREY)
    kw.setdefault("space_after", 1)
    return Text(text, SMALL, **kw)


def _who(task: dict[str, Any]) -> str:
    if task.get("responsible") == "PARTNER" and task.get("partner"):
        return task["partner"]
    return lab(TASK_RESPONSIBLE, task.get("responsible"))


def _task_rows(tasks: list[dict[str, Any]]) -> list[Flowable]:
    if not tasks:
        return []
    head = Cells(["", _small(_("Who"), bold=True), _small(_("What"), bold=True), _small(_("By when"), bold=True)],
                 TASK_WIDTHS, line=True, line_color=RULE, space_after=2, keep_with_next=True)
    head.spaceBefore = 3
    rows: list[Flowable] = [head]
    for t in sorted(tasks, key=lambda t: str(t.get("due_on") or "9999")):
        rows.append(Cells(["", _text(_who(t)), _text(t.get("description") or ""), _text(fmt_date(t.get("due_on")))],
                          TASK_WIDTHS, line=True, space_after=2))
    return rows


def _goals(data: dict[str, Any]) -> list[Flowable]:
    goals = data.get("goals") or []
    tasks = data.get("tasks") or []
    ids = {g.get("id") for g in goals}
    out: list[Flowable] = []
    for n, g in enumerate(goals, 1):
        meta = joined(labelled(_("Target date"), fmt_date(g.get("target_on"))),
                      lab(NEED_AREA, g.get("need_area")))
        row = Cells([_text(_("Goal {n}").format(n=n), bold=True),
                     [_text(g.get("statement") or "", 10.5, bold=True), _small(meta) if meta else None]],
                    [GOAL_COL, None], space_before=9 if n > 1 else 2, keep_with_next=True)
        out.append(row)
        out.extend(_task_rows([t for t in tasks if t.get("goal_id") == g.get("id")]))
    rest = [t for t in tasks if t.get("goal_id") not in ids]
    if rest:
        out.append(Cells(["", _text(_("Other steps"), 10.5, bold=True)], [GOAL_COL, None], space_before=9,
                         keep_with_next=True))
        out.extend(_task_rows(rest))
    return out


def _signatures(data: dict[str, Any]) -> list[Flowable]:
    name = joined(data.get("first_name"), data.get("last_name"), sep=" ")
    place_date = joined(data.get("place"), fmt_date(data.get("date")), sep=", ")
    widths = [None, 12 * mm, None]
    place = Cells([[_text(place_date) if place_date else None, SignLine(4 if place_date else 24),
                    _small(_("Place, date"))], "", ""], widths, space_before=16, space_after=6)
    client = [SignLine(), _small(_("Signature of the client")), _text(name, bold=True) if name else None]
    worker = [SignLine(), _small(_("Signature of the case worker")),
              _text(data["municipality"]) if data.get("municipality") else None]
    return [place, Cells([client, "", worker], widths, space_before=8)]


def story(data: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [ScriptText(_(GOAL_AGREEMENT), 17, bold=True, space_after=3)]
    out.append(_small(joined(labelled(_("Case code"), data.get("case_code") or ""),
                             _("agreed on {date}").format(date=fmt_date(data.get("date"))) if data.get("date") else None),
                      space_after=10))
    out.append(_text(_("We agree on the following goals and steps: who does what by when."), space_after=2))
    out.append(Heading(_("Goals and steps"), space_before=8))
    out.extend(_goals(data))
    closing: list[Flowable] = [_text(_(VOLUNTARY), space_before=16, space_after=4)]
    if data.get("next_review_on"):
        closing.append(_text(_("We will look at the goals together again on {date}.").format(
            date=fmt_date(data["next_review_on"])), space_after=4))
    if data.get("language"):
        closing.append(_small(_("Language of this agreement: {language}").format(
            language=cap(language_name(data["language"])))))
    out.append(KeepTogether([*closing, *_signatures(data)]))  # never nested: a KeepTogether inside one breaks the page
    return out


def build(data: dict[str, Any], page: PageInfo) -> bytes:
    """The Zielvereinbarung as PDF bytes (in memory) from plain data: ``case_code``, ``first_name``,
    ``last_name``, ``date``, ``place``, ``language`` (ISO 639), ``goals`` (``id``, ``statement``,
    ``target_on``, ``need_area``), ``tasks`` (``goal_id``, ``responsible``, ``partner`` (a name),
    ``description``, ``due_on``), ``next_review_on``, ``municipality``."""
    return build_pdf(story(data), page)
