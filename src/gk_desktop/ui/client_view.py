"""One client's facts as an HTML page (escaped): the Stammdaten tab of the case view."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QLocale

from gk_desktop.i18n import _
from gk_desktop import labels
from gk_desktop.ui.widgets import format_date


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else "–"


def _e(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return html.escape(str(value))


def _h3(title: str) -> str:
    return f"<h3>{html.escape(title)}</h3>"


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='padding:2px 16px 2px 0;color:#555'>{html.escape(k)}</td><td>{v}</td></tr>"
                    for k, v in pairs)
    return f"<table cellspacing='0'>{cells}</table>"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left' style='padding:2px 12px 2px 0'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 12px 2px 0'>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table cellspacing='0'><tr>{head}</tr>{body}</table>"


def client_html(shown: dict[str, Any], *, histories: bool = True) -> str:
    """The page for one client from :func:`gk_desktop.services.clients.show_client` output.
    Every value from the file is escaped. ``histories=False`` leaves out residence, education and
    work (the case view shows them in their own tabs)."""
    c = shown["client"]
    parts: list[str] = []
    birth = _date(c["birth_date"]) + (" " + html.escape(_("(fictitious)")) if c["birth_date_fictitious"] else "")
    variants = ", ".join(_e(v["name"]) for v in c["name_variants"]) or "–"
    languages = ", ".join(f"{_e(x['language'])} ({html.escape(labels.label(labels.LANGUAGE_LEVEL, x['level']))})"
                          if x.get("level") else _e(x["language"]) for x in c["languages"]) or "–"
    parts.append(_h3(_("Personal data")))
    parts.append(_rows([
        (_("Birth date"), birth),
        (_("Age"), _e(c["age"])),
        (_("Gender"), html.escape(labels.label(labels.GENDER, c["gender"]))),
        (_("Name variants"), variants),
        (_("Nationalities"), _e(", ".join(c["nationalities"]))),
        (_("Country of origin"), _e(c["country_of_origin"])),
        (_("Languages"), languages),
        (_("Interpreter"), html.escape(_("needed") + (f" ({c['interpreter_language']})" if c["interpreter_language"] else ""))
         if c["interpreter_needed"] else html.escape(_("not needed"))),
        (_("In Germany since"), _date(c["entry_date_de"])),
        (_("Address"), _e(c["address"])),
        (_("Phone"), _e(c["phone"])),
    ]))
    parts.append(_h3(_("Target group")))
    exclusion = labels.label(labels.EXCLUSION, c["exclusion_outcome"], _("not yet recorded"))
    parts.append(_rows([
        (_("Target group"), "<b>" + html.escape(labels.label(labels.TARGET_GROUP, c["target_group"])) + "</b>"),
        (_("Leaves the target group on"), _date(c["leaves_target_group_on"])),
        (_("Last day before the 27th birthday"), _date(c["last_day_before_27th_birthday"])),
        (_("Exclusion check"), html.escape(exclusion)),
        (_("Programme"), _e(c.get("programme_name") or c["programme"])),
    ]))
    if not histories:
        return _client_tail(parts, shown, c)
    parts.append(_h3(_("Residence")))
    periods = [[html.escape(labels.label(labels.RESIDENCE_STATUS, p["status"])), _date(p["valid_from"]),
                _date(p["valid_until"]), _e(p["issuing_office"])] for p in reversed(c["residence_periods"])]
    if periods:
        parts.append(_table([_("Status"), _("from"), _("until"), _("issued by")], periods))
        parts.append("<p>" + html.escape(_("Days of Duldung that count for § 25a: {n}").format(n=c["duldung_days_counting"]))
                     + "<br>" + html.escape(_("School years in Germany: {n}").format(
                         n=QLocale().toString(float(c["school_years_in_germany"] or 0), "f", 1))) + "</p>")
    else:
        parts.append("<p>" + html.escape(_("No residence status recorded yet.")) + "</p>")
    if c["education_records"] or c["work_records"] or c["language_certificates"]:
        parts.append(_h3(_("Education and work")))
        rows = [[_e(e["institution"]), _e(e["programme"]), _e(e["country"]), _date(e["start_date"]), _date(e["end_date"])]
                for e in c["education_records"]]
        rows += [[_e(w["employer"]), _e(w["occupation"]), html.escape(labels.label(labels.WORK_TYPE, w["type"])),
                  _date(w["start_date"]),
                  _date(w["actual_end_date"] or w["planned_end_date"])] for w in c["work_records"]]
        if rows:
            parts.append(_table([_("Where"), _("What"), _("Kind / country"), _("from"), _("until")], rows))
        if c["language_certificates"]:
            parts.append("<p>" + html.escape(_("Language certificates")) + ": " + ", ".join(
                f"{_e(x['language'])} {_e(x['level'])} ({_date(x['date'])})" for x in c["language_certificates"]) + "</p>")
    return _client_tail(parts, shown, c)


def _client_tail(parts: list[str], shown: dict[str, Any], c: dict[str, Any]) -> str:
    parts.append(_h3(_("Cases")))
    case_rows = [[_e(k["number"]), html.escape(labels.label(labels.CASE_PHASE, k["phase"])),
                  html.escape(labels.label(labels.ACCESS_ROUTE, k["access_route"])), _date(k["first_contact_on"]),
                  _e(k["request"])] for k in shown["cases"]]
    parts.append(_table([_("No."), _("Phase"), _("Access route"), _("First contact"), _("Request")], case_rows))
    if c["internal_notes"]:
        parts.append(_h3(_("Internal notes")) + f"<p>{_e(c['internal_notes'])}</p>")
    return "".join(parts)
