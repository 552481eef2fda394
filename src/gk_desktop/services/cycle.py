"""The case-management cycle (DOMAIN.md §2, §3): assessment, goals and tasks, agreement, service
chains of referrals, phases with what is still missing, closing with retention.

Every record belongs to a case (the client's current case unless a case id is given). JSON keys
are the column names; lists held as JSON text are given and shown as lists (``goals``,
``tasks``, ``categories``).

A referral that passes personal data reaches ANGEFRAGT (or any later status) only when
:func:`gk_desktop.services.consents.may_pass` says yes for its recipient and categories on that
day; otherwise :class:`ConsentMissing` names the reason, the recipient and the categories, so the
UI can offer to record the consent. Reaching ANGEFRAGT records the passing as a Disclosure.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from gk_desktop import labels
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import (
    CasePhase,
    CaseType,
    ClosureReason,
    DataCategory,
    Destination,
    FundingComponent,
    GoalLevel,
    GoalStatus,
    NeedArea,
    NeedStatus,
    ReferralStatus,
    ResourceType,
    TaskResponsible,
    TaskStatus,
)
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import N_, _
from gk_desktop.services.records import Problems, parse_record, record_json
from gk_desktop.storage import models as M

DEFAULT_RETENTION_YEARS = 3
DEFAULT_SHORT_ADVICE_IDLE_MONTHS = 6
FINAL_GOAL_STATUSES = frozenset({"ERREICHT", "TEILWEISE_ERREICHT", "NICHT_ERREICHT", "VERWORFEN"})
# Referral statuses after which data have gone to the provider.
PASSED_STATUSES = frozenset(s.value for s in ReferralStatus) - {"VORGESCHLAGEN", "ABGELEHNT_KLIENT"}
WAITING_STATUSES = ("ANGEFRAGT", "WARTELISTE", "ZUGESAGT")
FINAL_REFERRAL_STATUSES = frozenset({"ABGELEHNT_ANBIETER", "ABGELEHNT_KLIENT", "ABGESCHLOSSEN_ERFOLGREICH",
                                     "ABGESCHLOSSEN_OHNE_ERFOLG", "ABGEBROCHEN", "NICHT_ANGETRETEN"})
ENUMS: dict[tuple[type, str], type] = {
    (M.Need, "need_area"): NeedArea, (M.Need, "status"): NeedStatus,
    (M.Resource, "need_area"): NeedArea, (M.Resource, "resource_type"): ResourceType,
    (M.Goal, "need_area"): NeedArea, (M.Goal, "level"): GoalLevel, (M.Goal, "status"): GoalStatus,
    (M.Task, "responsible"): TaskResponsible, (M.Task, "status"): TaskStatus,
    (M.Referral, "status"): ReferralStatus, (M.Referral, "funding_component"): FundingComponent,
    (M.Case, "closure_reason"): ClosureReason, (M.Case, "destination"): Destination,
}
LIST_FIELDS = {M.Agreement: ("goals", "tasks"), M.Referral: ("categories",)}
DATE_ORDER = {
    M.Goal: (("start_on", "target_on"),),
    M.ServiceChain: (("start_on", "planned_end_on"),),
    M.Referral: (("referred_on", "accepted_on"), ("start_on", "planned_end_on"), ("start_on", "actual_end_on")),
}

# Goal templates: need area, statement with a placeholder for the date, level.
GOAL_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("AUSBILDUNG", N_("A training place is found by {date}."), "HANDLUNGSZIEL"),
    ("IDENTITAET_PASS", N_("The passport is applied for by {date}."), "HANDLUNGSZIEL"),
    ("SPRACHE", N_("The language certificate B1 is passed by {date}."), "HANDLUNGSZIEL"),
    ("SCHULE_BILDUNG", N_("The school-leaving certificate (HSA) is gained by {date}."), "HANDLUNGSZIEL"),
    ("ARBEIT", N_("A job subject to social insurance is found by {date}."), "HANDLUNGSZIEL"),
    ("AUFENTHALT", N_("The residence situation is clarified with the ABH by {date}."), "HANDLUNGSZIEL"),
    ("WOHNEN", N_("A flat of one's own is found by {date}."), "RICHTZIEL"),
)


class ConsentMissing(InputRejectedError):
    """A referral cannot pass data: no consent covers recipient and categories."""

    def __init__(self, message: str, *, partner_id: str | None, categories: tuple[str, ...], code: str) -> None:
        super().__init__(message)
        self.partner_id = partner_id
        self.categories = categories
        self.code = code


# --------------------------------------------------------------------------- helpers


def _case(session: Any, case_code: str, case_id: str | None = None) -> Any:
    from gk_desktop.services.clients import _current_case, _get_client

    client = _get_client(session, case_code)
    cases = list(session.execute(select(M.Case).where(M.Case.client_id == client.id)).scalars())
    if case_id is not None:
        case = next((c for c in cases if c.id == case_id), None)
        if case is None:
            raise NotFoundError(_("This client has no such case."))
        return case
    case = _current_case(cases)
    if case is None:
        raise NotFoundError(_("This client has no case."))
    return case


def _parse(model: type, data: Any, problems: Problems, *, partial: bool, skip: frozenset[str] = frozenset(),
           path: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    lists = LIST_FIELDS.get(model, ())
    given = {k: v for k, v in data.items() if k not in lists}
    json_cols = frozenset(f"{name}_json" for name in lists)
    values = parse_record(model, given, path, problems, partial=partial, skip=skip | json_cols,
                          ignore=frozenset({"id", "case_id", "created_at", "updated_at", *skip}))
    for (m, key), enum_cls in ENUMS.items():
        if m is model and values.get(key) is not None:
            if values[key] not in enum_cls.__members__:
                problems.add(f"{path}.{key}" if path else key,
                             _("unknown value; allowed: {values}").format(values=", ".join(enum_cls.__members__)))
    for start, end in DATE_ORDER.get(model, ()):
        a, b = values.get(start), values.get(end)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
            problems.add(f"{path}.{end}" if path else end, _("lies before {field}").format(field=start))
    for name in lists:
        if name in data:
            raw = data[name]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                problems.add(name, _("expected a list"))
                continue
            if name == "categories":
                bad = [x for x in raw if x.upper() not in DataCategory.__members__]
                if bad:
                    problems.add(name, _("unknown value; allowed: {values}").format(values=", ".join(DataCategory.__members__)))
                raw = sorted({x.upper() for x in raw})
            values[f"{name}_json"] = json.dumps(raw)
    for m, key in ((M.Goal, "statement"), (M.Task, "description"), (M.ServiceChain, "title")):
        if model is m and isinstance(values.get(key), str):
            values[key] = " ".join(values[key].split())
            if not values[key]:
                problems.add(key, _("must not be empty"))
    if model is M.Agreement and isinstance(values.get("date"), dt.date) and values["date"] > today():
        problems.add("date", _("lies in the future"))
    if model is M.Goal and isinstance(values.get("achievement"), int) and values["achievement"] > 100:
        problems.add("achievement", _("expected a number from 0 to 100"))
    if model is M.Need and isinstance(values.get("priority"), int) and values["priority"] not in (1, 2, 3):
        problems.add("priority", _("1 (high), 2 or 3 (low)"))
    return values


def _as_json(obj: Any) -> dict[str, Any]:
    out = record_json(obj)
    for name in LIST_FIELDS.get(type(obj), ()):
        out[name] = json.loads(out.pop(f"{name}_json") or "[]")
    return out


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    return changed


def _created(vault: Any, session: Any, obj: Any, source: str) -> str:
    """Add a new record, log its creation (never the payload) and commit; its id."""
    session.add(obj)
    session.flush()
    vault.record_event("create", session=session, source=source, target_table=obj.__tablename__, target_id=obj.id)
    session.commit()
    return obj.id


def _client_id_of_case(session: Any, case_id: str) -> str:
    return session.execute(select(M.Case.client_id).where(M.Case.id == case_id)).scalar_one()


# --------------------------------------------------------------------------- assessment


def add_assessment(vault: Any, case_code: str, data: Any, *, case_id: str | None = None, source: str = "cli") -> str:
    """An assessment with its ``needs`` and ``resources`` (lists of objects); earlier ones stay."""
    problems = Problems()
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    values = _parse(M.Assessment, {k: v for k, v in data.items() if k not in ("needs", "resources")}, problems,
                    partial=False, skip=frozenset({"case_id"}))
    needs = [_parse(M.Need, n, problems, partial=False, skip=frozenset({"assessment_id"}), path=f"needs[{i}]")
             for i, n in enumerate(data.get("needs") or [])]
    resources = [_parse(M.Resource, r, problems, partial=False, skip=frozenset({"assessment_id"}), path=f"resources[{i}]")
                 for i, r in enumerate(data.get("resources") or [])]
    for i, n in enumerate(needs):
        if n.get("status") == "NICHT_DECKBAR" and not (n.get("gap_note") or "").strip():
            problems.add(f"needs[{i}].gap_note", _("an offer gap is described in a gap note"))
    problems.raise_if_any()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        assessment = M.Assessment(case_id=case.id, **values)
        s.add(assessment)
        s.flush()
        for n in needs:
            s.add(M.Need(assessment_id=assessment.id, **n))
        for r in resources:
            s.add(M.Resource(assessment_id=assessment.id, **r))
        vault.record_event("create", session=s, source=source, target_table="assessment", target_id=assessment.id)
        s.commit()
        return assessment.id


def _save_child(vault: Any, model: type, record_id: str, data: Any, *, source: str, check: Any = None) -> None:
    problems = Problems()
    with vault.session() as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise NotFoundError(_("No such record."))
        values = _parse(model, data, problems, partial=True, skip=frozenset({"case_id", "assessment_id", "chain_id"}))
        if check is not None:
            check(s, obj, {**{c.key: getattr(obj, c.key) for c in model.__table__.columns}, **values}, problems)
        problems.raise_if_any()
        if _apply(obj, values):
            vault.record_event("update", session=s, source=source, target_table=model.__tablename__, target_id=obj.id)
        s.commit()


def _need_check(_s: Any, _obj: Any, merged: dict[str, Any], problems: Problems) -> None:
    if merged.get("status") == "NICHT_DECKBAR" and not (merged.get("gap_note") or "").strip():
        problems.add("gap_note", _("an offer gap is described in a gap note"))


def update_need(vault: Any, need_id: str, data: Any, *, source: str = "cli") -> None:
    _save_child(vault, M.Need, need_id, data, source=source, check=_need_check)


def add_need(vault: Any, assessment_id: str, data: Any, *, source: str = "cli") -> str:
    return _add_to(vault, M.Need, "assessment_id", M.Assessment, assessment_id, data, source=source, check=_need_check)


def add_resource(vault: Any, assessment_id: str, data: Any, *, source: str = "cli") -> str:
    return _add_to(vault, M.Resource, "assessment_id", M.Assessment, assessment_id, data, source=source)


def update_resource(vault: Any, resource_id: str, data: Any, *, source: str = "cli") -> None:
    _save_child(vault, M.Resource, resource_id, data, source=source)


def update_assessment(vault: Any, assessment_id: str, data: Any, *, source: str = "cli") -> None:
    _save_child(vault, M.Assessment, assessment_id, data, source=source)


def _add_to(vault: Any, model: type, parent_key: str, parent_model: type, parent_id: str, data: Any, *,
            source: str, check: Any = None) -> str:
    problems = Problems()
    values = _parse(model, data, problems, partial=False, skip=frozenset({parent_key}))
    with vault.session() as s:
        if s.get(parent_model, parent_id) is None:
            raise NotFoundError(_("No such record."))
        if check is not None:
            check(s, None, values, problems)
        problems.raise_if_any()
        obj = model(**{parent_key: parent_id}, **values)
        s.add(obj)
        s.flush()
        vault.record_event("create", session=s, source=source, target_table=model.__tablename__, target_id=obj.id)
        s.commit()
        return obj.id


def delete_record(vault: Any, table: str, record_id: str, *, source: str = "cli") -> None:
    """Delete a need, resource, task, goal (without tasks), or a referral not yet passed on."""
    model = {"need": M.Need, "resource": M.Resource, "task": M.Task, "goal": M.Goal, "referral": M.Referral,
             "service_chain": M.ServiceChain}.get(table)
    if model is None:
        raise InputRejectedError(_("This kind of record cannot be deleted here."))
    with vault.session() as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise NotFoundError(_("No such record."))
        if model is M.Goal and s.execute(select(M.Task.id).where(M.Task.goal_id == record_id).limit(1)).first():
            raise InputRejectedError(_("The goal still has tasks; delete or move them first."))
        if model is M.Goal and s.execute(select(M.ServiceChain.id).where(M.ServiceChain.goal_id == record_id).limit(1)).first():
            raise InputRejectedError(_("A service chain works towards this goal; it cannot be deleted."))
        if model is M.Goal and any(record_id in json.loads(a.goals_json or "[]") for a in s.execute(
                select(M.Agreement).where(M.Agreement.case_id == obj.case_id)).scalars()):
            raise InputRejectedError(_("The goal is part of a goal agreement; set its status to VERWORFEN instead."))
        if model is M.Task and any(record_id in json.loads(a.tasks_json or "[]") for a in s.execute(
                select(M.Agreement).where(M.Agreement.case_id == obj.case_id)).scalars()):
            raise InputRejectedError(_("The step is part of a goal agreement; set its status to VERWORFEN instead."))
        if model is M.Need and s.execute(select(M.Goal.id).where(M.Goal.need_id == record_id).limit(1)).first():
            raise InputRejectedError(_("A goal rests on this need; it cannot be deleted."))
        if model is M.Referral and (obj.status in PASSED_STATUSES or obj.consent_id or obj.referred_on):
            raise InputRejectedError(_("Data went to the provider for this referral; it stays on record."))
        if model is M.ServiceChain and s.execute(select(M.Referral.id).where(M.Referral.chain_id == record_id).limit(1)).first():
            raise InputRejectedError(_("The service chain still has referrals."))
        s.delete(obj)
        vault.record_event("delete", session=s, source=source, target_table=table, target_id=record_id)
        s.commit()


# --------------------------------------------------------------------------- goals, tasks, agreement


def _goal_check(s: Any, case_id: str) -> Any:
    def check(_s: Any, _obj: Any, merged: dict[str, Any], problems: Problems) -> None:
        need_id = merged.get("need_id")
        if need_id:
            need = s.get(M.Need, need_id)
            if need is None or s.get(M.Assessment, need.assessment_id).case_id != case_id:
                problems.add("need_id", _("no such need in this case"))
    return check


def add_goal(vault: Any, case_code: str, data: Any, *, case_id: str | None = None, source: str = "cli") -> str:
    problems = Problems()
    values = _parse(M.Goal, data, problems, partial=False, skip=frozenset({"case_id"}))
    problems.raise_if_any()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        _goal_check(s, case.id)(s, None, values, problems)
        problems.raise_if_any()
        if values.get("start_on") is None:
            values["start_on"] = today()
        if values.get("target_on") is not None and values["target_on"] < values["start_on"]:
            problems.add("target_on", _("lies before {field}").format(field="start_on"))
            problems.raise_if_any()
        goal = M.Goal(case_id=case.id, **values)
        return _created(vault, s, goal, source)


def update_goal(vault: Any, goal_id: str, data: Any, *, source: str = "cli") -> None:
    with vault.session() as s:
        goal = s.get(M.Goal, goal_id)
        if goal is None:
            raise NotFoundError(_("No such record."))
        case_id = goal.case_id
    _save_child(vault, M.Goal, goal_id, data, source=source,
                check=lambda s, o, merged, p: _goal_check(s, case_id)(s, o, merged, p))


def goal_templates(on: dt.date | None = None) -> list[dict[str, Any]]:
    """Common goals with a target date six months ahead, to adjust."""
    on = on or today()
    month = on.month + 6
    year = on.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    import calendar

    target = dt.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))
    return [{"need_area": area, "statement": _(text).format(date=target.strftime("%d.%m.%Y")), "level": level,
             "target_on": target.isoformat()} for area, text, level in GOAL_TEMPLATES]


def _task_check(s: Any, case_id: str) -> Any:
    def check(_s: Any, _obj: Any, merged: dict[str, Any], problems: Problems) -> None:
        goal_id = merged.get("goal_id")
        if goal_id:
            goal = s.get(M.Goal, goal_id)
            if goal is None or goal.case_id != case_id:
                problems.add("goal_id", _("no such goal in this case"))
        if merged.get("responsible") == "PARTNER" and not merged.get("partner_id"):
            problems.add("partner_id", _("name the partner who is responsible"))
        if merged.get("partner_id") and s.get(M.Partner, merged["partner_id"]) is None:
            problems.add("partner_id", _("no such partner"))
        if merged.get("status") == "ERLEDIGT" and merged.get("done_on") is None:
            merged["done_on"] = today()
    return check


def add_task(vault: Any, case_code: str, data: Any, *, case_id: str | None = None, source: str = "cli") -> str:
    problems = Problems()
    values = _parse(M.Task, data, problems, partial=False, skip=frozenset({"case_id"}))
    problems.raise_if_any()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        _task_check(s, case.id)(s, None, values, problems)
        problems.raise_if_any()
        task = M.Task(case_id=case.id, **values)
        return _created(vault, s, task, source)


def update_task(vault: Any, task_id: str, data: Any, *, source: str = "cli") -> None:
    with vault.session() as s:
        task = s.get(M.Task, task_id)
        if task is None:
            raise NotFoundError(_("No such record."))
        case_id, was = task.case_id, task.status
    if isinstance(data, dict) and "done_on" not in data:
        if data.get("status") == "ERLEDIGT" and was != "ERLEDIGT":
            data = {**data, "done_on": today().isoformat()}
        elif data.get("status") in ("OFFEN",) and was == "ERLEDIGT":
            data = {**data, "done_on": None}
    _save_child(vault, M.Task, task_id, data, source=source,
                check=lambda s, o, merged, p: _task_check(s, case_id)(s, o, merged, p))


def add_agreement(vault: Any, case_code: str, data: Any, *, case_id: str | None = None, source: str = "cli") -> str:
    """The goals and tasks agreed on a date; the agreed goals move from ENTWURF to VEREINBART."""
    problems = Problems()
    values = _parse(M.Agreement, data, problems, partial=False, skip=frozenset({"case_id"}))
    problems.raise_if_any()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        goal_ids = json.loads(values.get("goals_json", "[]"))
        task_ids = json.loads(values.get("tasks_json", "[]"))
        if not goal_ids:
            problems.add("goals", _("an agreement holds at least one goal"))
        goals = [s.get(M.Goal, g) for g in goal_ids]
        if any(g is None or g.case_id != case.id for g in goals):
            problems.add("goals", _("no such goal in this case"))
        if any((t := s.get(M.Task, i)) is None or t.case_id != case.id for i in task_ids):
            problems.add("tasks", _("no such task in this case"))
        from gk_desktop.services.documents import check_document_refs

        check_document_refs(s, case.client_id, problems, [("document_id", values.get("document_id"))])
        problems.raise_if_any()
        agreement = M.Agreement(case_id=case.id, **values)
        s.add(agreement)
        for g in goals:
            if g is not None and g.status == "ENTWURF":
                g.status = "VEREINBART"
        s.flush()
        vault.record_event("create", session=s, source=source, target_table="agreement", target_id=agreement.id)
        s.commit()
        return agreement.id


def update_agreement(vault: Any, agreement_id: str, data: Any, *, source: str = "cli") -> None:
    """Signing flags, the signed scan, language, place (the goals of a signed agreement stay)."""
    def check(s: Any, obj: Any, merged: dict[str, Any], problems: Problems) -> None:
        from gk_desktop.services.documents import check_document_refs

        client_id = _client_id_of_case(s, obj.case_id)
        check_document_refs(s, client_id, problems, [("document_id", merged.get("document_id"))])
        if (obj.signed_by_client or obj.signed_by_worker) and (
                merged.get("goals_json") != obj.goals_json or merged.get("tasks_json") != obj.tasks_json):
            problems.add("goals", _("a signed agreement keeps its goals and tasks; make a new one"))
    _save_child(vault, M.Agreement, agreement_id, data, source=source, check=check)


# --------------------------------------------------------------------------- chains and referrals


def add_chain(vault: Any, case_code: str, data: Any, *, case_id: str | None = None, source: str = "cli") -> str:
    problems = Problems()
    values = _parse(M.ServiceChain, data, problems, partial=False, skip=frozenset({"case_id"}))
    if isinstance(values.get("title"), str) and not values["title"].strip():
        problems.add("title", _("must not be empty"))
    problems.raise_if_any()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        if values.get("goal_id") and (s.get(M.Goal, values["goal_id"]) is None
                                      or s.get(M.Goal, values["goal_id"]).case_id != case.id):
            problems.add("goal_id", _("no such goal in this case"))
            problems.raise_if_any()
        if values.get("start_on") is None:
            values["start_on"] = today()
        chain = M.ServiceChain(case_id=case.id, **values)
        return _created(vault, s, chain, source)


def update_chain(vault: Any, chain_id: str, data: Any, *, source: str = "cli") -> None:
    _save_child(vault, M.ServiceChain, chain_id, data, source=source)


def _referral_check(s: Any, _obj: Any, merged: dict[str, Any], problems: Problems) -> None:
    offer = s.get(M.Offer, merged["offer_id"]) if merged.get("offer_id") else None
    if merged.get("offer_id") and offer is None:
        problems.add("offer_id", _("no such offer"))
    if offer is not None and not merged.get("partner_id"):
        merged["partner_id"] = offer.partner_id
    if merged.get("partner_id") and s.get(M.Partner, merged["partner_id"]) is None:
        problems.add("partner_id", _("no such partner"))
    if not merged.get("offer_id") and not merged.get("partner_id"):
        problems.add("offer_id", _("name the offer or the partner"))
    contact_id = merged.get("partner_contact_id")
    if contact_id:
        contact = s.get(M.PartnerContact, contact_id)
        if contact is None or contact.partner_id != merged.get("partner_id"):
            problems.add("partner_contact_id", _("no such contact person of this partner"))
    if merged.get("passes_data", True) and json.loads(merged.get("categories_json") or "[]") == []:
        merged["categories_json"] = json.dumps(["STAMMDATEN"])


def add_referral(vault: Any, chain_id: str, data: Any, *, source: str = "cli") -> str:
    """A referral at the end of the chain, status VORGESCHLAGEN (data pass only with
    :func:`set_referral_status`)."""
    problems = Problems()
    values = _parse(M.Referral, data, problems, partial=False, skip=frozenset({"chain_id"}))
    if values.get("status") not in (None, "VORGESCHLAGEN"):
        problems.add("status", _("a new referral starts as VORGESCHLAGEN; change the status afterwards"))
    values.pop("consent_id", None)
    with vault.session() as s:
        if s.get(M.ServiceChain, chain_id) is None:
            raise NotFoundError(_("No such record."))
        _referral_check(s, None, values, problems)
        problems.raise_if_any()
        last = s.execute(select(func.max(M.Referral.position)).where(M.Referral.chain_id == chain_id)).scalar()
        referral = M.Referral(chain_id=chain_id, position=(last or 0) + 1, status="VORGESCHLAGEN",
                              status_since=today(), **{k: v for k, v in values.items() if k != "status"})
        return _created(vault, s, referral, source)


def update_referral(vault: Any, referral_id: str, data: Any, *, source: str = "cli") -> None:
    """Details (feedback, dates, contact person …); the status changes with :func:`set_referral_status`."""
    if isinstance(data, dict) and ("status" in data or "consent_id" in data):
        raise InputRejectedError(_("The status changes with its own action (it checks the consent)."))

    def check(s: Any, obj: Any, merged: dict[str, Any], problems: Problems) -> None:
        _referral_check(s, obj, merged, problems)
        if obj.consent_id or obj.status in PASSED_STATUSES:
            for key in ("partner_id", "categories_json", "passes_data", "offer_id"):
                if merged.get(key) != getattr(obj, key):
                    problems.add(key.removesuffix("_json"), _(
                        "the referral was sent; what went to whom stays on record (make a new referral)"))
    _save_child(vault, M.Referral, referral_id, data, source=source, check=check)


def referral_gate(session: Any, referral: Any, on: dt.date) -> Any:
    """The consent answer for passing this referral's data (None when it passes none)."""
    from gk_desktop.services.consents import may_pass

    if not referral.passes_data:
        return None
    chain = session.get(M.ServiceChain, referral.chain_id)
    client_id = _client_id_of_case(session, chain.case_id)
    if referral.partner_id is None:
        return None
    return may_pass(session, client_id, referral.partner_id, json.loads(referral.categories_json or "[]"), on)


def set_referral_status(vault: Any, referral_id: str, status: str, *, on: dt.date | None = None,
                        channel: str = "TELEFON", feedback: str | None = None, source: str = "cli") -> dict[str, Any]:
    """Move a referral to ``status`` (one click). Passing data needs the consent: refused with
    :class:`ConsentMissing` otherwise. The first passing is recorded as a Disclosure."""
    on = on or today()
    status = (status or "").strip().upper()
    if status not in ReferralStatus.__members__:
        raise InputRejectedError(_("unknown value; allowed: {values}").format(values=", ".join(ReferralStatus.__members__)))
    if on > today():
        raise InputRejectedError(_("A status change cannot lie in the future."))
    with vault.session() as s:
        referral = s.get(M.Referral, referral_id)
        if referral is None:
            raise NotFoundError(_("No such record."))
        if referral.status == status:
            return _as_json(referral)
        first_passing = status in PASSED_STATUSES and referral.consent_id is None and referral.passes_data \
            and referral.status not in PASSED_STATUSES
        if first_passing and referral.partner_id is None:
            raise InputRejectedError(_("The referral names no recipient: choose the offer's provider or a partner first."))
        if first_passing:
            answer = referral_gate(s, referral, on)
            if answer is not None and not answer.allowed:
                partner = s.get(M.Partner, referral.partner_id)
                raise ConsentMissing(
                    _("The referral cannot be sent to {recipient}: {reason}").format(
                        recipient=partner.name if partner else "–", reason=answer.reason),
                    partner_id=referral.partner_id, categories=tuple(json.loads(referral.categories_json or "[]")),
                    code=answer.code)
            if answer is not None:
                referral.consent_id = answer.consent_id
                chain = s.get(M.ServiceChain, referral.chain_id)
                offer = s.get(M.Offer, referral.offer_id) if referral.offer_id else None
                what = _("Referral request: {offer}").format(offer=offer.name if offer else chain.title)
                from gk_desktop.services.consents import content_hash

                s.add(M.Disclosure(client_id=_client_id_of_case(s, chain.case_id), on=on, partner_id=referral.partner_id,
                                   legal_basis="EINWILLIGUNG", consent_id=answer.consent_id,
                                   categories_json=referral.categories_json, documents_json="[]", channel=channel,
                                   what=what, content_hash=content_hash(json.dumps(
                                       {"referral": referral.id, "categories": json.loads(referral.categories_json),
                                        "what": what}, sort_keys=True, ensure_ascii=False))))
        referral.status = status
        referral.status_since = on
        if status in PASSED_STATUSES and referral.referred_on is None:
            referral.referred_on = on
        if status == "ZUGESAGT" and referral.accepted_on is None:
            referral.accepted_on = on
        if status == "BEGONNEN" and referral.start_on is None:
            referral.start_on = on
        if status in FINAL_REFERRAL_STATUSES and status not in ("ABGELEHNT_KLIENT", "ABGELEHNT_ANBIETER") \
                and referral.actual_end_on is None and referral.start_on is not None:
            referral.actual_end_on = on
        if feedback:
            referral.feedback = (referral.feedback + "\n" if referral.feedback else "") + feedback
        vault.record_event("update", session=s, source=source, target_table="referral", target_id=referral.id)
        s.commit()
        return _as_json(referral)


# --------------------------------------------------------------------------- phases, closing


@dataclass(frozen=True, slots=True)
class Missing:
    phase: str
    key: str
    text: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _months_before(day: dt.date, months: int) -> dt.date:
    import calendar

    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def checklist(session: Any, case: Any, on: dt.date) -> list[Missing]:
    """What is still missing, phase by phase up to the case's phase."""
    from gk_desktop.services.consents import GUELTIG, status_on

    if case.phase == "ABGESCHLOSSEN":
        return []  # closing recorded what was reached; nothing is missing any more
    order = [p.value for p in CasePhase if p.value not in ("ABGESCHLOSSEN", "RUHEND")]
    reached = order.index(case.phase) if case.phase in order else len(order) - 1  # a paused case: every phase
    out: list[Missing] = []
    client = session.get(M.Client, case.client_id)

    def need(phase: str, key: str, text: str) -> None:
        if order.index(phase) <= reached:
            out.append(Missing(phase, key, text))

    if not case.access_route:
        need("ERSTKONTAKT", "access_route", _("no access route recorded"))
    if not case.request.strip():
        need("ERSTKONTAKT", "request", _("the client's request is not recorded"))
    if client.exclusion_outcome is None:
        need("ERSTKONTAKT", "exclusion", _("the exclusion check is not recorded"))
    consents = list(session.execute(select(M.Consent).where(M.Consent.client_id == case.client_id)).scalars())
    if not any(c.info_sheet_on for c in consents):
        need("ERSTKONTAKT", "info_sheet", _("the Art. 13 information sheet is not recorded as handed out"))
    if case.intake_on is None:
        need("KLAERUNG", "intake", _("no intake date"))
    if not case.mandate.strip():
        need("KLAERUNG", "mandate", _("no mandate recorded"))
    if not any(c.consent_type == "VERARBEITUNG_FALLAKTE" and status_on(c.given_on, c.valid_until, c.revoked_on, on) == GUELTIG
               for c in consents):
        need("KLAERUNG", "consent", _("no consent recorded for keeping the case file"))
    assessments = list(session.execute(select(M.Assessment).where(M.Assessment.case_id == case.id)).scalars())
    if not assessments:
        need("ASSESSMENT", "assessment", _("no assessment"))
    elif not session.execute(select(M.Need.id).where(M.Need.assessment_id.in_([a.id for a in assessments])).limit(1)).first():
        need("ASSESSMENT", "needs", _("no needs recorded"))
    goals = list(session.execute(select(M.Goal).where(M.Goal.case_id == case.id)).scalars())
    if not goals:
        need("HILFEPLANUNG", "goal", _("no goal"))
    elif not any(g.status != "ENTWURF" for g in goals):
        need("HILFEPLANUNG", "goal_agreed", _("no goal agreed"))
    agreements = list(session.execute(select(M.Agreement).where(M.Agreement.case_id == case.id)).scalars())
    if not any(a.signed_by_client and a.signed_by_worker for a in agreements):
        need("HILFEPLANUNG", "agreement", _("no signed goal agreement"))
    if case.next_review_on is None:
        need("HILFEPLANUNG", "review", _("no review date"))
    chains = [c.id for c in session.execute(select(M.ServiceChain).where(M.ServiceChain.case_id == case.id)).scalars()]
    referrals = list(session.execute(select(M.Referral).where(M.Referral.chain_id.in_(chains))).scalars()) if chains else []
    if not referrals:
        need("UMSETZUNG", "referral", _("no referral yet"))
    overdue = [t for t in session.execute(select(M.Task).where(M.Task.case_id == case.id, M.Task.status == "OFFEN")).scalars()
               if t.due_on is not None and t.due_on < on]
    if overdue:
        need("UMSETZUNG", "tasks_overdue", _("{n} tasks overdue").format(n=len(overdue)))
    if case.next_review_on is not None and case.next_review_on < on:
        need("MONITORING", "review_overdue", _("the review was due on {date}").format(date=case.next_review_on.strftime("%d.%m.%Y")))
    stale = [r for r in referrals if r.status in WAITING_STATUSES and r.status_since and (on - r.status_since).days > 28]
    if stale:
        need("MONITORING", "feedback", _("{n} referrals without feedback for more than four weeks").format(n=len(stale)))
    open_goals = [g for g in goals if g.status not in FINAL_GOAL_STATUSES]
    if open_goals:
        need("EVALUATION", "attainment", _("{n} goals without an attainment").format(n=len(open_goals)))
    return out


def case_checklist(vault: Any, case_id: str, on: dt.date | None = None) -> list[Missing]:
    with vault.session() as s:
        case = s.get(M.Case, case_id)
        if case is None:
            raise NotFoundError(_("This client has no such case."))
        return checklist(s, case, on or today())


def set_phase(vault: Any, case_id: str, phase: str, *, source: str = "cli") -> None:
    """Move the phase on (or back) deliberately; closing goes through :func:`close_case`."""
    phase = (phase or "").strip().upper()
    if phase not in CasePhase.__members__:
        raise InputRejectedError(_("unknown value; allowed: {values}").format(values=", ".join(CasePhase.__members__)))
    if phase == "ABGESCHLOSSEN":
        raise InputRejectedError(_("A case is closed with „Fall abschließen“ (goal attainment, reason, destination)."))
    with vault.session() as s:
        case = s.get(M.Case, case_id)
        if case is None:
            raise NotFoundError(_("This client has no such case."))
        if case.phase == "ABGESCHLOSSEN":
            raise InputRejectedError(_("The case is closed; a new case is opened for the client instead."))
        if case.phase != phase:
            case.phase = phase
            if phase != "ERSTKONTAKT" and case.intake_on is None and phase != "RUHEND":
                case.intake_on = today()
            vault.record_event("update", session=s, source=source, target_table="case", target_id=case.id)
        s.commit()


def close_case(vault: Any, case_id: str, data: Any, *, retention_years: int = DEFAULT_RETENTION_YEARS,
               source: str = "cli") -> dict[str, Any]:
    """Close with ``closed_on`` (default today), ``closure_reason``, ``destination``, ``evaluation``
    and ``goals`` [{"id", "status" (a final one), "achievement", "achievement_note"}] for every goal
    still open. Sets the retention date ``closed_on`` + ``retention_years``."""
    problems = Problems()
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    values = _parse(M.Case, {k: data.get(k) for k in ("closed_on", "closure_reason", "destination", "evaluation")
                             if k in data}, problems, partial=True,
                    skip=frozenset(c.key for c in M.Case.__table__.columns) - {"closed_on", "closure_reason",
                                                                               "destination", "evaluation"})
    closed_on = values.get("closed_on") or today()
    for key in ("closure_reason", "destination"):
        if not values.get(key):
            problems.add(key, _("required"))
    if not (values.get("evaluation") or "").strip():
        problems.add("evaluation", _("required"))
    if closed_on > today():
        problems.add("closed_on", _("lies in the future"))
    with vault.session() as s:
        case = s.get(M.Case, case_id)
        if case is None:
            raise NotFoundError(_("This client has no such case."))
        if case.phase == "ABGESCHLOSSEN":
            raise InputRejectedError(_("The case is closed already."))
        if closed_on < case.first_contact_on:
            problems.add("closed_on", _("lies before {field}").format(field="first_contact_on"))
        given = {g.get("id"): g for g in (data.get("goals") or []) if isinstance(g, dict)}
        goals = list(s.execute(select(M.Goal).where(M.Goal.case_id == case.id)).scalars())
        for goal in goals:
            if goal.status in FINAL_GOAL_STATUSES and goal.id not in given:
                continue
            g = given.get(goal.id)
            if g is None:
                problems.add(f"goals.{goal.id}", _("the attainment of every goal is recorded on closing"))
                continue
            status = str(g.get("status") or "").upper()
            if status not in FINAL_GOAL_STATUSES:
                problems.add(f"goals.{goal.id}.status", _("one of {values}").format(values=", ".join(sorted(FINAL_GOAL_STATUSES))))
            achievement = g.get("achievement")
            if achievement is not None and (isinstance(achievement, bool) or not isinstance(achievement, int)
                                            or not 0 <= achievement <= 100):
                problems.add(f"goals.{goal.id}.achievement", _("expected a number from 0 to 100"))
        unknown = set(given) - {g.id for g in goals}
        if unknown:
            problems.add("goals", _("no such goal in this case"))
        problems.raise_if_any()
        for goal in goals:
            g = given.get(goal.id)
            if g is not None:
                goal.status = str(g["status"]).upper()
                if g.get("achievement") is not None:
                    goal.achievement = g["achievement"]
                if g.get("achievement_note"):
                    goal.achievement_note = str(g["achievement_note"])
        case.closed_on = closed_on
        case.closure_reason = values["closure_reason"]
        case.destination = values["destination"]
        case.evaluation = values["evaluation"].strip()
        case.phase = "ABGESCHLOSSEN"
        case.retention_until = add_years(closed_on, retention_years)
        vault.record_event("update", session=s, source=source, target_table="case", target_id=case.id)
        s.commit()
        return record_json(case)


@dataclass(frozen=True, slots=True)
class ShortAdvice:
    case_id: str
    case_code: str
    last_contact: dt.date
    client_id: str


def short_advice_to_close(vault: Any, on: dt.date | None = None,
                          months: int = DEFAULT_SHORT_ADVICE_IDLE_MONTHS) -> list[ShortAdvice]:
    """Open short-advice cases without a contact for ``months``: proposed for closing, so that they
    get a retention date too."""
    on = on or today()
    limit = _months_before(on, months)
    with vault.session() as s:
        last = dict(s.execute(select(M.Contact.case_id, func.max(M.Contact.at)).group_by(M.Contact.case_id)).all())
        rows = s.execute(select(M.Case, M.Client.case_code).join(M.Client, M.Client.id == M.Case.client_id).where(
            M.Case.case_type == CaseType.KURZBERATUNG.value, M.Case.phase != "ABGESCHLOSSEN")).all()
        out = []
        for case, code in rows:
            at = last.get(case.id)
            day = at.date() if at is not None else case.first_contact_on
            if day < limit:
                out.append(ShortAdvice(case.id, code, day, case.client_id))
    out.sort(key=lambda x: (x.last_contact, x.case_code))
    return out


@dataclass(frozen=True, slots=True)
class ReferralRow:
    id: str
    case_code: str
    client_id: str
    chain_title: str
    offer: str
    partner: str
    status: str
    since: dt.date | None
    days: int | None


def referral_overview(vault: Any, on: dt.date | None = None, *, open_only: bool = True) -> list[ReferralRow]:
    """Referrals across clients; waiting ones (ANGEFRAGT, WARTELISTE, ZUGESAGT) first, longest wait first."""
    on = on or today()
    with vault.session() as s:
        offers = dict(s.execute(select(M.Offer.id, M.Offer.name)).all())
        partners = dict(s.execute(select(M.Partner.id, M.Partner.name)).all())
        q = select(M.Referral, M.ServiceChain.title, M.Client.case_code, M.Client.id).join(
            M.ServiceChain, M.ServiceChain.id == M.Referral.chain_id).join(
            M.Case, M.Case.id == M.ServiceChain.case_id).join(M.Client, M.Client.id == M.Case.client_id)
        if open_only:
            q = q.where(M.Referral.status.not_in(FINAL_REFERRAL_STATUSES))
        rows = [ReferralRow(r.id, code, cid, title, offers.get(r.offer_id or "", ""), partners.get(r.partner_id or "", ""),
                            r.status, r.status_since, (on - r.status_since).days if r.status_since else None)
                for r, title, code, cid in s.execute(q)]
    rows.sort(key=lambda r: (r.status not in WAITING_STATUSES, -(r.days or 0), r.case_code))
    return rows


# --------------------------------------------------------------------------- reading


def case_json(vault: Any, case_code: str, case_id: str | None = None, *, on: dt.date | None = None,
              source: str = "cli") -> dict[str, Any]:
    """Everything of one case (CLI.md `case show`)."""
    from gk_desktop.services import consents as consents_mod

    on = on or today()
    with vault.session() as s:
        case = _case(s, case_code, case_id)
        assessments = list(s.execute(select(M.Assessment).where(M.Assessment.case_id == case.id)
                                     .order_by(M.Assessment.date, M.Assessment.id)).scalars())
        aids = [a.id for a in assessments]
        needs = list(s.execute(select(M.Need).where(M.Need.assessment_id.in_(aids)).order_by(M.Need.id)).scalars()) if aids else []
        resources = list(s.execute(select(M.Resource).where(M.Resource.assessment_id.in_(aids))
                                   .order_by(M.Resource.id)).scalars()) if aids else []
        goals = list(s.execute(select(M.Goal).where(M.Goal.case_id == case.id).order_by(M.Goal.id)).scalars())
        tasks = list(s.execute(select(M.Task).where(M.Task.case_id == case.id).order_by(M.Task.due_on.nulls_last(), M.Task.id)).scalars())
        agreements = list(s.execute(select(M.Agreement).where(M.Agreement.case_id == case.id).order_by(M.Agreement.date)).scalars())
        chains = list(s.execute(select(M.ServiceChain).where(M.ServiceChain.case_id == case.id).order_by(M.ServiceChain.id)).scalars())
        cids = [c.id for c in chains]
        referrals = list(s.execute(select(M.Referral).where(M.Referral.chain_id.in_(cids))
                                   .order_by(M.Referral.chain_id, M.Referral.position)).scalars()) if cids else []
        missing = checklist(s, case, on)
        client_id = case.client_id
        out = {
            "case": record_json(case) | {"missing": [{"phase": m.phase, "key": m.key, "text": m.text} for m in missing]},
            "assessments": [_as_json(a) for a in assessments], "needs": [_as_json(n) for n in needs],
            "resources": [_as_json(r) for r in resources], "goals": [_as_json(g) for g in goals],
            "tasks": [_as_json(t) for t in tasks], "agreements": [_as_json(a) for a in agreements],
            "service_chains": [_as_json(c) for c in chains], "referrals": [_as_json(r) for r in referrals],
        }
        vault.record_event("view", session=s, source=source, target_table="case", target_id=case.id)
        s.commit()
    out["consents"] = [c.as_json() for c in consents_mod.list_consents(vault, client_id, on)]
    out["disclosures"] = [d.as_json() for d in consents_mod.list_disclosures(vault, client_id)]
    return out


def phase_label(phase: str) -> str:
    return labels.label(labels.CASE_PHASE, phase)
