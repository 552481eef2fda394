"""The Fallblatt and the Zielvereinbarung of a case as PDF bytes (in memory).

Gathers the plain data from the services (``client show``, ``case show``, the open deadlines, the
names of offers and partners) and hands it to the builders in documents/. ``lang`` prints in that
language: the catalog is switched for the time of the build and switched back after it, whatever
happens. Nothing is written to disk; the caller prints the bytes or saves them to a path the worker
chose (services/printing.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from gk_desktop import i18n
from gk_desktop.documents import agreement as agreement_doc
from gk_desktop.documents import casesheet as casesheet_doc
from gk_desktop.documents.template import in_language, page_info
from gk_desktop.domain.clock import today
from gk_desktop.errors import NotFoundError
from gk_desktop.i18n import _
from gk_desktop.storage import models as M

__all__ = ["agreement", "agreement_data", "casesheet", "casesheet_data", "printing_language"]


def printing_language(lang: str | None) -> Any:
    """Switch the catalog to ``lang`` (when given) and back afterwards (documents.template.in_language)."""
    return in_language(lang)


def _settings(settings: Any) -> Any:
    if settings is not None:
        return settings
    from gk_desktop.settings import Settings

    return Settings.load()


def _names(vault: Any, model: Any, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    with vault.session() as s:
        return dict(s.execute(select(model.id, model.name).where(model.id.in_(wanted))).all())


def _open_deadlines(vault: Any, case_code: str, settings: Any) -> list[dict[str, Any]]:
    from gk_desktop.services import deadlines

    out = []
    for d in deadlines.compute(vault, case_code=case_code, config=deadlines.config_from(settings)):
        if d.status.value == "OFFEN":
            out.append({"due": d.due.isoformat(), "type": d.type.value, "text": d.text})
    out.sort(key=lambda d: (d["due"], d["type"]))
    return out


def casesheet_data(vault: Any, case_code: str, *, settings: Any = None, interview_ids: list[str] | None = None,
                   source: str = "gui") -> dict[str, Any]:
    """The plain data of the Fallblatt (see :func:`gk_desktop.documents.casesheet.build`)."""
    from gk_desktop.services import clients, cycle

    settings = _settings(settings)
    shown = clients.show_client(vault, case_code, source=source)
    client = shown["client"]
    case = cycle.case_json(vault, case_code, source=source)
    offers = _names(vault, M.Offer, (r.get("offer_id") for r in case["referrals"]))
    partners = _names(vault, M.Partner, [*(r.get("partner_id") for r in case["referrals"]),
                                         *(t.get("partner_id") for t in case["tasks"])])
    referrals = [{**r, "offer": offers.get(r.get("offer_id") or "", ""),
                  "partner": partners.get(r.get("partner_id") or "", "")} for r in case["referrals"]]
    tasks = [{**t, "partner": partners.get(t.get("partner_id") or "", "")} for t in case["tasks"]]
    interviews = None
    if interview_ids is not None:
        chosen = set(interview_ids)
        interviews = [c for c in shown["contacts"] if c.get("id") in chosen]
    return {
        "case_code": client["case_code"],
        "printed_on": today().isoformat(),
        "programme": client.get("programme_name") or "",
        "case": case["case"],
        "client": client,
        "assessments": case["assessments"], "needs": case["needs"], "resources": case["resources"],
        "goals": case["goals"], "tasks": tasks,
        "service_chains": case["service_chains"], "referrals": referrals,
        "consents": case["consents"],
        "deadlines": _open_deadlines(vault, case_code, settings),
        "interviews": interviews,
    }


def casesheet(vault: Any, case_code: str, *, settings: Any = None, lang: str | None = None,
              interview_ids: list[str] | None = None, source: str = "gui") -> bytes:
    """The Fallblatt of the client's current case as PDF bytes. ``interview_ids``: the interviews
    to print with it (none when None)."""
    settings = _settings(settings)
    with printing_language(lang):
        data = casesheet_data(vault, case_code, settings=settings, interview_ids=interview_ids, source=source)
        page = page_info(settings, _(casesheet_doc.CASE_SHEET), data["case_code"])
        return casesheet_doc.build(data, page)


def _agreement_case(vault: Any, case_code: str, agreement_id: str | None) -> str | None:
    """The case the agreement belongs to (None: the current case); NotFoundError if it is not
    one of this client's."""
    if agreement_id is None:
        return None
    from gk_desktop.services.clients import _get_client

    with vault.session() as s:
        client = _get_client(s, case_code)
        row = s.execute(select(M.Agreement.case_id, M.Case.client_id).join(M.Case, M.Case.id == M.Agreement.case_id)
                        .where(M.Agreement.id == agreement_id)).first()
        if row is None or row[1] != client.id:
            raise NotFoundError(_("No such record."))
        return row[0]


def agreement_data(vault: Any, case_code: str, agreement_id: str | None = None, *, settings: Any = None,
                   source: str = "gui") -> dict[str, Any]:
    """The plain data of the Zielvereinbarung (see :func:`gk_desktop.documents.agreement.build`)."""
    from gk_desktop.services import cycle
    from gk_desktop.services.clients import _get_client

    settings = _settings(settings)
    case_id = _agreement_case(vault, case_code, agreement_id)
    shown = cycle.case_json(vault, case_code, case_id, source=source)
    agreements = shown["agreements"]
    if agreement_id is not None:
        chosen = next((a for a in agreements if a["id"] == agreement_id), None)
    else:
        chosen = max(agreements, key=lambda a: (a.get("date") or "", a.get("id") or ""), default=None)
    if chosen is None:
        raise NotFoundError(_("This case has no goal agreement yet."))
    goals = {g["id"]: g for g in shown["goals"]}
    tasks = {t["id"]: t for t in shown["tasks"]}
    chosen_tasks = [tasks[t] for t in chosen.get("tasks") or [] if t in tasks]
    partners = _names(vault, M.Partner, (t.get("partner_id") for t in chosen_tasks))
    with vault.session() as s:
        client = _get_client(s, case_code)
        first, last, code = client.first_name, client.last_name, client.case_code
    return {
        "case_code": code,
        "first_name": first, "last_name": last,
        "date": chosen.get("date"), "place": chosen.get("place") or "", "language": chosen.get("language") or "",
        "goals": [goals[g] for g in chosen.get("goals") or [] if g in goals],
        "tasks": [{**t, "partner": partners.get(t.get("partner_id") or "", "")} for t in chosen_tasks],
        "next_review_on": shown["case"].get("next_review_on"),
        "municipality": getattr(settings, "municipality_name", "") or "",
    }


def agreement(vault: Any, case_code: str, agreement_id: str | None = None, *, settings: Any = None,
              lang: str | None = None, source: str = "gui") -> bytes:
    """The Zielvereinbarung as PDF bytes: the agreement ``agreement_id`` of this client, or the
    newest of the current case (NotFoundError when there is none)."""
    settings = _settings(settings)
    with printing_language(lang):
        data = agreement_data(vault, case_code, agreement_id, settings=settings, source=source)
        page = page_info(settings, _(agreement_doc.GOAL_AGREEMENT), data["case_code"])
        return agreement_doc.build(data, page)
