"""Gespräche: interviews recorded in a case (DOMAIN.md §3 Contact), from the command line and the GUI.

Input is the JSON of CLI.md `contact add`: ``datetime`` (ISO 8601 with offset), ``duration_min``,
``contact_type``, ``note``, ``place``, ``participants``, ``interpreter``, ``interpreter_language``,
``need_areas`` (a list of NeedArea identifiers), ``agreements``, ``next_appointment``; what
:func:`contact_json` prints is accepted again (``id`` and ``case_id`` aside).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.services.records import Problems, parse_record, record_json
from gk_desktop.storage import models as M

MAX_NOTE_CHARS = 100_000
INPUT_ALIASES = {"datetime": "at"}


def contact_json(contact: Any, need_areas: list[str]) -> dict[str, Any]:
    out = record_json(contact)
    out["datetime"] = out.pop("at")
    out["need_areas"] = need_areas
    return out


def _current_case(session: Any, client_id: str) -> Any:
    from gk_desktop.services.clients import _current_case as current_of

    case = current_of(session.execute(select(M.Case).where(M.Case.client_id == client_id)).scalars())
    if case is None:
        raise NotFoundError(_("This client has no case."))
    return case


def parse_contact(data: Any, problems: Problems) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    given = {INPUT_ALIASES.get(k, k): v for k, v in data.items()}
    if "at" not in given:
        problems.add("datetime", _("required"))
    seen = len(problems.items)
    values = parse_record(M.Contact, given, "", problems, skip=frozenset({"case_id"}),
                          ignore=frozenset({"id", "case_id", "need_areas"}))
    # Problems name the key the worker wrote: "datetime", not the column "at".
    problems.items[seen:] = ["datetime" + item[2:] if item.startswith("at:") else item for item in problems.items[seen:]]
    duration = values.get("duration_min")
    if isinstance(duration, int) and duration > 24 * 60:
        problems.add("duration_min", _("at most 1440 minutes"))
    for key in ("note", "agreements"):
        if isinstance(values.get(key), str) and len(values[key]) > MAX_NOTE_CHARS:
            problems.add(key, _("too long (at most {n} characters)").format(n=MAX_NOTE_CHARS))
    areas: list[str] = []
    raw = given.get("need_areas") or []
    if not isinstance(raw, list):
        problems.add("need_areas", _("expected a list"))
    else:
        for i, item in enumerate(raw):
            area = parse_record(M.ContactNeedArea, {"need_area": item}, f"need_areas[{i}]", problems,
                                skip=frozenset({"contact_id"}))
            if area.get("need_area") and area["need_area"] not in areas:
                areas.append(area["need_area"])
    return values, areas


def add_contact(vault: Any, case_code: str, data: Any, *, source: str = "cli", draft_id: str | None = None) -> str:
    """Record an interview in the client's current case (the open one with the highest number).

    ``draft_id``: the draft the interview was typed in is deleted in the same transaction, so a
    crash can never leave both the interview and its draft (which would record it twice)."""
    from gk_desktop.services.clients import _get_client

    problems = Problems()
    values, areas = parse_contact(data, problems)
    problems.raise_if_any()
    with vault.session() as s:
        client = _get_client(s, case_code)
        case = _current_case(s, client.id)
        contact = M.Contact(case_id=case.id, **values)
        s.add(contact)
        s.flush()
        for area in areas:
            s.add(M.ContactNeedArea(contact_id=contact.id, need_area=area))
        if draft_id is not None:
            draft = s.get(M.Draft, draft_id)
            if draft is not None:
                s.delete(draft)
        vault.record_event("create", session=s, source=source, target_table="contact", target_id=contact.id)
        s.commit()
        return contact.id


def need_areas_of(session: Any, contact_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in range(0, len(contact_ids), 500):
        for cid, area in session.execute(
            select(M.ContactNeedArea.contact_id, M.ContactNeedArea.need_area)
            .where(M.ContactNeedArea.contact_id.in_(contact_ids[i : i + 500])).order_by(M.ContactNeedArea.id)
        ):
            out.setdefault(cid, []).append(area)
    return out
