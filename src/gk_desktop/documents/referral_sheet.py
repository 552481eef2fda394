"""The referral sheet (Übergabebogen): what goes to the provider of a referral — the recipient, the
offer, the date, the consent it rests on, and the client's data of ONLY the categories that
consent covers. A category the referral asks for but the consent does not cover is named in one
line as not passed, without any of its data.

Plain data in, PDF bytes out (no vault): :mod:`gk_desktop.services.print_consent` decides which
categories may go, builds the sheet with :func:`build_referral_sheet` and records the disclosure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from gk_desktop import labels
from gk_desktop.documents.consent_forms import (
    GREY,
    NOTICE,
    SignatureRow,
    WriteLine,
    cap,
    document_language,
    field_table,
    format_date,
    heading,
    para,
    small,
    subtitle,
    title,
)
from gk_desktop.documents.template import build_pdf, page_info
from gk_desktop.i18n import N_, _

__all__ = ["ReferralSheetData", "TITLE_REFERRAL", "build_referral_sheet", "category_rows"]

TITLE_REFERRAL = N_("Handover sheet")  # German: "Übergabebogen"

# Categories the vault holds in form fields; the others are written in by hand when agreed.
STRUCTURED = ("STAMMDATEN", "AUFENTHALT", "SCHULE_ZEUGNISSE", "ARBEIT", "SPRACHE", "FAMILIE")


@dataclass(frozen=True)
class ReferralSheetData:
    case_code: str
    on: dt.date
    recipient: str
    offer: str
    passed: tuple[str, ...]  # categories printed (the consent covers them)
    not_passed: tuple[str, ...]  # categories of the referral the consent does not cover
    client: Mapping[str, Any] = field(default_factory=dict)  # services.clients.show_client()["client"]
    recipient_address: str = ""
    contact_person: str = ""
    consent_type: str = "SCHWEIGEPFLICHTENTBINDUNG"
    consent_given_on: dt.date | None = None
    consent_valid_until: dt.date | None = None
    consent_purpose: str = ""


def _span(start: Any, end: Any, lang: str) -> str:
    if not start and not end:
        return ""
    until = format_date(end, lang, _("today"))
    return format_date(start, lang, "…") + " – " + until


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p for p in (str(x).strip() for x in parts if x) if p)


def _current_period(client: Mapping[str, Any]) -> Mapping[str, Any] | None:
    status, until = client.get("residence_status"), client.get("residence_valid_until")
    if not status:
        return None
    for period in reversed(list(client.get("residence_periods") or [])):
        if period.get("status") == status and period.get("valid_until") == until:
            return period
    return None


def category_rows(category: str, client: Mapping[str, Any], lang: str) -> list[tuple[str, str]] | None:
    """The client's data of one category as (label, value) rows; [] when nothing is recorded;
    None for a category without form fields (it is written in by hand when agreed)."""
    c = client
    if category == "STAMMDATEN":
        birth = format_date(c.get("birth_date"), lang)
        if c.get("birth_date_fictitious"):
            birth += " (" + _("fictitious date") + ")"
        rows = [(_("Name"), _join(c.get("first_name", ""), c.get("last_name", ""), sep=" ")), (_("Birth date"), birth)]
        for key, text in (("address", _("Address")), ("phone", _("Phone")), ("email", _("E-mail"))):
            if (c.get(key) or "").strip():
                rows.append((text, str(c[key]).strip()))
        return rows
    if category == "AUFENTHALT":
        if not c.get("residence_status"):
            return []
        rows = [(_("Residence status"), labels.label(labels.RESIDENCE_STATUS, c["residence_status"])),
                (_("Valid until"), format_date(c.get("residence_valid_until"), lang))]
        period = _current_period(c)
        if period is not None and period.get("employment_permission"):
            rows.append((_("Employment"), labels.label(labels.EMPLOYMENT, period["employment_permission"])))
        return rows
    if category == "SCHULE_ZEUGNISSE":
        rows = []
        for e in c.get("education_records") or []:
            what = _join(e.get("institution", ""), e.get("programme", ""), sep=" – ")
            if e.get("country") and e.get("country") != "DE":
                what = _join(what, f"({e['country']})", sep=" ")
            detail = _join(_span(e.get("start_date"), e.get("end_date"), lang),
                           labels.label(labels.QUALIFICATION, e["qualification"]) if e.get("qualification") else "")
            rows.append((_("School or training"), _join(what or "–", detail, sep="\n")))
        return rows
    if category == "ARBEIT":
        rows = []
        for w in c.get("work_records") or []:
            what = _join(w.get("employer", ""), w.get("occupation", ""), sep=" – ") or "–"
            end = w.get("actual_end_date") or w.get("planned_end_date")
            detail = _span(w.get("start_date"), end, lang)
            if w.get("hours_per_week"):
                detail = _join(detail, _("{hours} hours a week").format(hours=f"{w['hours_per_week']:g}"))
            rows.append((cap(labels.label(labels.WORK_TYPE, w.get("type"))), _join(what, detail, sep="\n")))
        return rows
    if category == "SPRACHE":
        rows = []
        spoken = [_join(x.get("language", ""), f"({labels.label(labels.LANGUAGE_LEVEL, x['level'])})"
                        if x.get("level") else "", sep=" ") for x in c.get("languages") or []]
        if spoken:
            rows.append((_("Languages"), ", ".join(spoken)))
        for cert in c.get("language_certificates") or []:
            rows.append((_("Language certificate"), _join(
                _join(cert.get("language", ""), cert.get("level", ""), sep=" "), cert.get("evidence", ""),
                format_date(cert.get("date"), lang, ""))))
        if c.get("interpreter_needed"):
            rows.append((_("Interpreter"), _join(_("needed"), c.get("interpreter_language") or "", sep=": ")))
        return rows
    if category == "FAMILIE":
        return [(_("Minor children"), str(c.get("minor_children") or 0))]
    return None


def _consent_line(data: ReferralSheetData, lang: str) -> str:
    kind = cap(labels.label(labels.CONSENT_TYPE, data.consent_type))
    text = _("{kind} of {date}").format(kind=kind, date=format_date(data.consent_given_on, lang))
    if data.consent_valid_until is not None:
        text += ", " + _("valid until {date}").format(date=format_date(data.consent_valid_until, lang))
    if data.consent_purpose.strip():
        text += "\n" + _("Purpose: {purpose}").format(purpose=data.consent_purpose.strip())
    return text


def _sections(data: ReferralSheetData, lang: str) -> list[Flowable]:
    story: list[Flowable] = []
    for category in data.passed:
        rows = category_rows(category, data.client, lang)
        story.append(heading(cap(labels.label(labels.DATA_CATEGORY, category))))
        if rows is None:
            story += [small(_("Not kept in form fields: add by hand what the client agreed to pass on.")),
                      WriteLine(), WriteLine()]
        elif not rows:
            story.append(para(_("nothing recorded"), color=GREY))
        else:
            story.append(field_table(rows))
    return story


def build_referral_sheet(data: ReferralSheetData, settings: Any, lang: str | None = None) -> bytes:
    """The referral sheet as PDF bytes, in ``lang`` (de/en; else German)."""
    with document_language(lang) as code:
        doc_title = _(TITLE_REFERRAL)
        recipient = data.recipient or "–"
        if data.recipient_address.strip():
            recipient += "\n" + data.recipient_address.strip()
        rows: list[tuple[str, Any]] = [(_("To"), recipient)]
        if data.contact_person.strip():
            rows.append((_("Contact person"), data.contact_person.strip()))
        rows += [(_("Offer"), data.offer or "–"), (_("Date"), format_date(data.on, code)),
                 (_("Case code"), data.case_code), (_("Legal basis"), _consent_line(data, code))]
        story: list[Flowable] = [
            title(doc_title),
            subtitle(_("Passed with the client's release from confidentiality: only the data it covers.")),
            field_table(rows),
            Spacer(0, 4),
        ]
        story += _sections(data, code)
        if data.not_passed:
            names = ", ".join(labels.label(labels.DATA_CATEGORY, c) for c in data.not_passed)
            story += [Spacer(0, 6), para(_("Not passed (no consent): {categories}").format(categories=names),
                                         color=NOTICE)]
        story += [
            Spacer(0, 8),
            para(_("Please use these data only for the purpose named above, do not pass them on, keep this sheet "
                   "confidential and destroy it when you no longer need it."), size=9, color=GREY),
            KeepTogether([Spacer(0, 4), SignatureRow([_("Place, date"), _("Signature of the case worker")],
                                                     [0.38, 0.62])]),
        ]
        return build_pdf(story, page_info(settings, doc_title, data.case_code))


def passed_and_not(wanted: Sequence[str], covered: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The referral's categories split into those the consent covers and those it does not."""
    order = list(labels.DATA_CATEGORY)
    key = lambda c: (order.index(c) if c in order else len(order), c)  # noqa: E731
    wanted_set = set(wanted)
    passed = tuple(sorted(wanted_set & set(covered), key=key))
    return passed, tuple(sorted(wanted_set - set(covered), key=key))
