"""Aufenthaltsrechtliche Prüfungen from the file: the facts a client's records hold, handed to the
pure rule sets of :mod:`gk_desktop.domain.residence_checks` with the vault's legal rules.

Decision support for a conversation with the Ausländerbehörde, never a decision: the output names
what is met, what is missing and from when a pathway could be open, and the "Stand" of the rules
it used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func as sa_func
from sqlalchemy import select

from gk_desktop.domain import residence_checks as rc
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import (
    EmploymentPermission,
    IdentityClarified,
    IncomeCoverage,
    LanguageLevel,
    LanguageSkill,
    Qualification,
    ResidenceStatus,
    WorkEndReason,
    WorkType,
)
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _
from gk_desktop.services import rules as rules_mod
from gk_desktop.storage import models as M


def _enum(cls: Any, value: str | None) -> Any:
    """The member of ``cls`` with this value, or None (fast: the reading of 10,000 files runs it often)."""
    return None if value is None else cls._value2member_map_.get(value)


def _facts(client: Any, periods: list[Any], schools: list[Any], works: list[Any], certificates: list[Any],
           identity: Any, outcomes: dict[str, str] | None = None) -> rc.FileFacts:
    """The facts of one client's file from its rows (each list in id order)."""
    works = [w for w in works if _enum(WorkType, w.type) is not None]
    current_work = max((w for w in works if w.actual_end_date is None and w.income_covers),
                       key=lambda w: w.start_date or dt.date.min, default=None)
    return rc.FileFacts(
        birth_date=client.birth_date, birth_date_fictitious=bool(client.birth_date_fictitious),
        entry_date=client.entry_date_de, minor_children=client.minor_children,
        periods=tuple(rc.ResidenceFact(ResidenceStatus(p.status), p.valid_from, p.valid_until,
                                       _enum(EmploymentPermission, p.employment_permission))
                      for p in periods if _enum(ResidenceStatus, p.status) is not None),
        schools=tuple(rc.SchoolRecordFact(e.country, e.start_date, e.end_date, e.attendance_ok,
                                          _enum(Qualification, e.qualification)) for e in schools),
        works=tuple(rc.WorkFact(WorkType(w.type), w.start_date, w.planned_end_date, w.actual_end_date,
                                w.hours_per_week, _enum(WorkEndReason, w.end_reason)) for w in works),
        certificates=tuple(rc.CertificateFact(LanguageLevel(c.level),
                                              _enum(LanguageSkill, c.skill) or LanguageSkill.GESAMT, c.language, c.date)
                           for c in certificates if _enum(LanguageLevel, c.level) is not None),
        identity_clarified=_enum(IdentityClarified, identity.clarified) if identity else None,
        passport_valid_until=identity.passport_valid_until if identity else None,
        income_covers=_enum(IncomeCoverage, current_work.income_covers) if current_work else None,
        outcomes=outcomes or {},
    )


_FACT_TABLES = (M.ResidencePeriod, M.EducationRecord, M.WorkRecord, M.LanguageCertificate, M.IdentityStatus)
# The columns the checks read, per table (bulk reading skips the rest, the timestamps above all).
_FACT_COLUMNS: dict[type, tuple[str, ...]] = {
    M.ResidencePeriod: ("status", "valid_from", "valid_until", "employment_permission"),
    M.EducationRecord: ("country", "start_date", "end_date", "attendance_ok", "qualification"),
    M.WorkRecord: ("type", "start_date", "planned_end_date", "actual_end_date", "hours_per_week", "end_reason",
                   "income_covers"),
    M.LanguageCertificate: ("level", "skill", "language", "date"),
    M.IdentityStatus: ("clarified", "passport_valid_until"),
}


def _valid_outcomes(text: str | None) -> dict[str, str]:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if k in rc.OUTCOME_KEYS and v in rc.OUTCOME_VALUES}


def outcomes_in_force(session: Any, client_id: str) -> dict[str, str]:
    """The worker's recorded outcomes (convictions, integration prognosis …) as the newest saved
    check holds them: each saved check carries the ones in force forward (see :func:`save_check`)."""
    text = session.execute(select(M.ResidenceCheck.outcomes_json).where(M.ResidenceCheck.client_id == client_id)
                           .order_by(M.ResidenceCheck.on.desc(), M.ResidenceCheck.id.desc()).limit(1)).scalar()
    return _valid_outcomes(text)


def file_facts(session: Any, client_id: str, *, with_outcomes: bool = True) -> rc.FileFacts:
    """The facts of one client's file the checks read (with the outcomes in force)."""
    client = session.get(M.Client, client_id)
    rows = [list(session.execute(select(model).where(model.client_id == client_id).order_by(model.id)).scalars())
            for model in _FACT_TABLES]
    outcomes = outcomes_in_force(session, client_id) if with_outcomes else {}
    return _facts(client, rows[0], rows[1], rows[2], rows[3], next(iter(rows[4]), None), outcomes)


def all_file_facts(session: Any) -> Iterator[tuple[Any, rc.FileFacts]]:
    """(client row, facts) for every client of the vault, by case code: one query per table (plain
    rows of the columns read, no ORM objects), not one per client."""
    grouped: list[dict[str, list[Any]]] = []
    for model in _FACT_TABLES:
        by_client: dict[str, list[Any]] = {}
        columns = [getattr(model, name) for name in ("client_id", *_FACT_COLUMNS[model])]
        for row in session.execute(select(*columns).order_by(model.id)):
            by_client.setdefault(row.client_id, []).append(row)
        grouped.append(by_client)
    outcomes: dict[str, dict[str, str]] = {}
    rc_ = M.ResidenceCheck
    for client_id, text in session.execute(select(rc_.client_id, rc_.outcomes_json).order_by(rc_.on, rc_.id)):
        outcomes[client_id] = _valid_outcomes(text)  # the newest wins
    c = M.Client
    for client in session.execute(select(c.id, c.case_code, c.birth_date, c.birth_date_fictitious, c.entry_date_de,
                                         c.minor_children).order_by(c.case_code)):
        g = [by_client.get(client.id, ()) for by_client in grouped]
        yield client, _facts(client, g[0], g[1], g[2], g[3], next(iter(g[4]), None), outcomes.get(client.id))


SHOWN_LIGHTS = frozenset({rc.TrafficLight.GRUEN, rc.TrafficLight.GELB})


def overview(vault: Any, *, on: dt.date | None = None, months_to_27: int = 12, open_cases_only: bool = True,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None, source: str = "cli") -> dict[str, Any] | None:
    """Across clients (case codes only): every pathway that is GRUEN or GELB for someone
    (``pathways``), and everyone whose last day to apply for § 25a (the day before the 27th
    birthday) falls within ``months_to_27`` months while § 25a is not ROT (``turning_27``, the
    nearest first). Only clients with a running case unless ``open_cases_only`` is False.
    Returns None when ``cancelled()`` said so."""
    on = on or today()
    horizon = rc.months_after(on, months_to_27)
    pathways: list[dict[str, Any]] = []
    turning: list[dict[str, Any]] = []
    stands: set[dt.date] = set()
    with vault.session() as s:
        rules = rules_mod.load(s).ruleset
        running = set(s.execute(select(M.Case.client_id).where(M.Case.closed_on.is_(None))).scalars())
        total = s.execute(select(sa_func.count(M.Client.id))).scalar_one()
        facts_iter = all_file_facts(s)
        for done, (client, facts) in enumerate(facts_iter, 1):
            if cancelled is not None and done % 50 == 0 and cancelled():
                return None
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
            is_open = client.id in running
            if open_cases_only and not is_open:
                continue
            for result in rc.check_all(facts, rules, on):
                if result.stand:
                    stands.add(result.stand)
                row = {"case_code": client.case_code, "pathway": result.pathway.value, "result": result.light.value,
                       "expected_eligible_on": result.possible_from.isoformat() if result.possible_from else None,
                       "deadline": result.deadline.isoformat() if result.deadline else None,
                       "missing": [_(m) for m in result.missing], "open_case": is_open}
                if result.light in SHOWN_LIGHTS:
                    pathways.append(row)
                if result.pathway is rc.ResidencePathway.P25A and result.light is not rc.TrafficLight.ROT \
                        and result.deadline is not None and on <= result.deadline <= horizon:
                    turning.append(row)
        vault.record_event("view", session=s, source=source, target_table="client", target_id=None)
        s.commit()
    order = list(rc.ResidencePathway)
    pathways.sort(key=lambda r: (order.index(rc.ResidencePathway(r["pathway"])), r["result"] != "GRUEN",
                                 r["expected_eligible_on"] or "", r["case_code"]))
    turning.sort(key=lambda r: (r["deadline"], r["case_code"]))
    return {"on": on.isoformat(), "rule_stand": max(stands).isoformat() if stands else None,
            "pathways": pathways, "turning_27": turning}


def _readable(value: Any) -> Any:
    """Dates as dd.MM.yyyy, enumeration identifiers (a status, a kind of work …) as their label."""
    from gk_desktop import labels

    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and value.isupper():
        for table in (labels.RESIDENCE_STATUS_SHORT, labels.WORK_TYPE, labels.QUALIFICATION, labels.EMPLOYMENT,
                      labels.IDENTITY_CLARIFIED, labels.INCOME_COVERAGE):
            if value in table:
                return labels.label(table, value)
    return value


def render(text: rc.Text | None) -> str:
    """A domain text in the UI language (dates dd.MM.yyyy); the English source when untranslated."""
    if text is None:
        return ""
    args = {k: _readable(v) for k, v in text.args}
    try:
        return _(text.template).format(**args)
    except (KeyError, IndexError, ValueError):
        return text.template.format(**args)


def result_json(result: rc.PathwayResult) -> dict[str, Any]:
    """One pathway as CLI.md `residence-check` prints it (plus labels and what to clarify)."""
    return {
        "pathway": result.pathway.value,
        "result": result.light.value,
        "criteria": [{
            "key": c.key, "label": _(c.label), "status": c.status.value, "value": render(c.value),
            "expected_date": c.expected_date.isoformat() if c.expected_date else None,
            "to_clarify": render(c.to_clarify) or None, "answerable": c.answerable, "overridden": c.overridden,
        } for c in result.criteria],
        "expected_eligible_on": result.possible_from.isoformat() if result.possible_from else None,
        "deadline": result.deadline.isoformat() if result.deadline else None,
        "missing": [_(m) for m in result.missing],
        "rule_stand": result.stand.isoformat() if result.stand else None,
        "on": result.on.isoformat(),
    }


def check_client(vault: Any, case_code: str, pathway: str | None = None, *, on: dt.date | None = None,
                 source: str = "cli") -> list[rc.PathwayResult]:
    """Every pathway (or one) for the client's file on ``on`` (default today)."""
    from gk_desktop.services.clients import _get_client

    on = on or today()
    chosen = None
    if pathway is not None:
        key = pathway.strip().upper()
        if key not in rc.ResidencePathway.__members__:
            raise InputRejectedError(_("Unknown pathway; allowed: {values}").format(
                values=", ".join(rc.ResidencePathway.__members__)))
        chosen = rc.ResidencePathway(key)
    with vault.session() as s:
        client = _get_client(s, case_code)
        facts = file_facts(s, client.id)
        rules = rules_mod.load(s).ruleset
        vault.record_event("view", session=s, source=source, target_table="client", target_id=client.id)
        s.commit()
    if chosen is not None:
        return [rc.check(chosen, facts, rules, on)]
    return list(rc.check_all(facts, rules, on))


# --------------------------------------------------------------------------- saved checks

ABH_KEYS = ("abh_consulted_on", "abh_result", "applied_on", "decided_on", "decision", "note")


def _parse_outcomes(data: Any, problems: Any) -> dict[str, str | None]:
    """{"criterion key": "JA" | "NEIN" | null}: null takes a recorded outcome back."""
    out: dict[str, str | None] = {}
    raw = data.get("outcomes") or {}
    if not isinstance(raw, dict):
        problems.add("outcomes", _("expected an object"))
        return out
    for key, value in raw.items():
        if key not in rc.OUTCOME_KEYS:
            problems.add(f"outcomes.{key}", _("unknown key"))
        elif value is None:
            out[key] = None
        elif not isinstance(value, str) or value.upper() not in rc.OUTCOME_VALUES:
            problems.add(f"outcomes.{key}", _("JA or NEIN"))
        else:
            out[key] = value.upper()
    return out


def _parse_overrides(pathway: rc.ResidencePathway, data: Any, problems: Any) -> dict[str, Any]:
    """{"criterion key": {"status", "reason", "expected_date"}}: a hand override needs its reason."""
    from gk_desktop.services.records import parse_date

    out: dict[str, Any] = {}
    raw = data.get("overrides") or {}
    if not isinstance(raw, dict):
        problems.add("overrides", _("expected an object"))
        return out
    for key, item in raw.items():
        path = f"overrides.{key}"
        if key not in rc.PATHWAY_KEYS.get(pathway, ()):
            problems.add(path, _("no such criterion of this pathway"))
            continue
        if not isinstance(item, dict):
            problems.add(path, _("expected an object"))
            continue
        status = str(item.get("status") or "").upper()
        reason = " ".join(str(item.get("reason") or "").split())
        if status not in rc.CriterionStatus.__members__:
            problems.add(f"{path}.status", _("unknown value; allowed: {values}").format(
                values=", ".join(rc.CriterionStatus.__members__)))
            continue
        if not reason:
            problems.add(f"{path}.reason", _("an override by hand states its reason"))
            continue
        day = parse_date(item.get("expected_date"), f"{path}.expected_date", problems) if item.get("expected_date") else None
        if status == "ABSEHBAR" and day is None:
            problems.add(f"{path}.expected_date", _("required for ABSEHBAR"))
            continue
        out[key] = (rc.CriterionStatus(status), reason, day) if day else (rc.CriterionStatus(status), reason)
    return out


def save_check(vault: Any, case_code: str, pathway: str, data: Any = None, *, on: dt.date | None = None,
               source: str = "cli") -> dict[str, Any]:
    """Evaluate ``pathway`` with the worker's ``outcomes`` and ``overrides`` and store the result
    with its Stand and the ABH coordination (``abh_consulted_on``, ``abh_result``, ``applied_on``,
    ``decided_on``, ``decision``, ``note``). Returns the saved check as JSON.

    The outcomes given are laid over those in force (the newest saved check's; null takes one
    back), and the check stores the whole set: the live checks read the newest set, so a judgement
    recorded once (no relevant convictions …) holds for every pathway until the worker changes it."""
    import dataclasses

    from gk_desktop.services.clients import _get_client
    from gk_desktop.services.records import Problems, parse_record

    on = on or today()
    data = data or {}
    problems = Problems()
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    key = (pathway or "").strip().upper()
    if key not in rc.ResidencePathway.__members__:
        raise InputRejectedError(_("Unknown pathway; allowed: {values}").format(
            values=", ".join(rc.ResidencePathway.__members__)))
    chosen = rc.ResidencePathway(key)
    outcomes = _parse_outcomes(data, problems)
    overrides = _parse_overrides(chosen, data, problems)
    extra = parse_record(M.ResidenceCheck, {k: data[k] for k in ABH_KEYS if k in data}, "", problems, partial=True,
                         skip=frozenset(c.key for c in M.ResidenceCheck.__table__.columns) - set(ABH_KEYS))
    _check_abh_dates(extra, problems)
    unknown = sorted(set(data) - set(ABH_KEYS) - {"outcomes", "overrides"})
    for name in unknown:
        problems.add(name, _("unknown key"))
    problems.raise_if_any()
    with vault.session() as s:
        client = _get_client(s, case_code)
        in_force = {k: v for k, v in (outcomes_in_force(s, client.id) | outcomes).items() if v is not None}
        facts = dataclasses.replace(file_facts(s, client.id, with_outcomes=False), outcomes=in_force,
                                    overrides={(chosen, k): v for k, v in overrides.items()})
        result = rc.check(chosen, facts, rules_mod.load(s).ruleset, on)
        shown = result_json(result)
        saved = M.ResidenceCheck(
            client_id=client.id, on=on, pathway=chosen.value, light=result.light.value,
            possible_from=result.possible_from, deadline=result.deadline, stand=result.stand,
            result_json=json.dumps(shown, ensure_ascii=False, sort_keys=True),
            outcomes_json=json.dumps(in_force, sort_keys=True),
            overrides_json=json.dumps({k: [v[0].value, v[1], *(v[2:] and [v[2].isoformat()])]
                                       for k, v in overrides.items()}, ensure_ascii=False, sort_keys=True),
            **extra)
        s.add(saved)
        s.flush()
        vault.record_event("create", session=s, source=source, target_table="residence_check", target_id=saved.id)
        s.commit()
        return {"id": saved.id, **shown}


def list_checks(vault: Any, case_code: str) -> list[dict[str, Any]]:
    """The saved checks of a client, newest first (each with the Stand it used)."""
    from gk_desktop.services.clients import _get_client
    from gk_desktop.services.records import record_json

    with vault.session() as s:
        client = _get_client(s, case_code)
        rows = s.execute(select(M.ResidenceCheck).where(M.ResidenceCheck.client_id == client.id)
                         .order_by(M.ResidenceCheck.on.desc(), M.ResidenceCheck.id.desc())).scalars()
        out = []
        for r in rows:
            item = record_json(r, skip=frozenset({"result_json", "outcomes_json", "overrides_json"}))
            item["result"] = json.loads(r.result_json or "{}")
            item["outcomes"] = json.loads(r.outcomes_json or "{}")
            item["overrides"] = json.loads(r.overrides_json or "{}")
            out.append(item)
        return out


def update_check(vault: Any, case_code: str, check_id: str, data: Any, *, source: str = "cli") -> dict[str, Any]:
    """Record later steps of the coordination with the ABH on a saved check (``abh_consulted_on``,
    ``abh_result``, ``applied_on``, ``decided_on``, ``decision``, ``note``; only the keys given).
    The result, its Stand, the outcomes and overrides stay as saved."""
    from gk_desktop.errors import NotFoundError
    from gk_desktop.services.clients import _get_client
    from gk_desktop.services.records import Problems, parse_record

    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    problems = Problems()
    for name in sorted(set(data) - set(ABH_KEYS)):
        problems.add(name, _("only the coordination with the ABH can be changed on a saved check"))
    values = parse_record(M.ResidenceCheck, {k: data[k] for k in ABH_KEYS if k in data}, "", problems, partial=True,
                          skip=frozenset(c.key for c in M.ResidenceCheck.__table__.columns) - set(ABH_KEYS))
    _check_abh_dates(values, problems)
    problems.raise_if_any()
    with vault.session() as s:
        client = _get_client(s, case_code)
        saved = s.get(M.ResidenceCheck, check_id)
        if saved is None or saved.client_id != client.id:
            raise NotFoundError(_("No saved check with this id for this client."))
        merged = {k: getattr(saved, k) for k in ABH_KEYS} | values
        _check_abh_dates(merged, problems)
        problems.raise_if_any()
        for key, value in values.items():
            setattr(saved, key, value)
        vault.record_event("update", session=s, source=source, target_table="residence_check", target_id=saved.id)
        s.commit()
        check_id = saved.id
    return next(c for c in list_checks(vault, case_code) if c["id"] == check_id)


def _check_abh_dates(values: dict[str, Any], problems: Any) -> None:
    """A decision cannot come before the application; no date of the coordination lies in the future."""
    now = today()
    for key in ("abh_consulted_on", "applied_on", "decided_on"):
        day = values.get(key)
        if isinstance(day, dt.date) and day > now:
            problems.add(key, _("cannot lie in the future"))
    applied, decided = values.get("applied_on"), values.get("decided_on")
    if isinstance(applied, dt.date) and isinstance(decided, dt.date) and decided < applied:
        problems.add("decided_on", _("cannot lie before the application"))
