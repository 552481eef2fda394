"""Fristen from the vault: the file's facts read in bulk and handed to the pure engine of
:mod:`gk_desktop.domain.deadlines`; the worker's decisions (erledigt / verworfen) and hand-made
follow-ups (Wiedervorlagen).

Nothing computed is stored. Reading is one query per table for the whole vault (plain column rows,
no ORM objects), so the start page can show every deadline of 10,000 clients after an unlock; the
residence checks, the dearest part, run only for clients whose status they can concern.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any


from gk_desktop.domain import deadlines as dl
from gk_desktop.domain import residence_checks as rc
from gk_desktop.domain.clock import today
from gk_desktop.domain.target_group import last_day_before_birthday
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.services import residence
from gk_desktop.services import rules as rules_mod
from gk_desktop.storage import models as M

T = dl.DeadlineType
DECISIONS = ("ERLEDIGT", "VERWORFEN", "OFFEN")
# The pathways whose "possible from" is a deadline, by the deadline type.
PATHWAY_TYPES: dict[rc.ResidencePathway, dl.DeadlineType] = {
    rc.ResidencePathway.P25A: T.P25A_MOEGLICH_AB,
    rc.ResidencePathway.P25B: T.P25B_MOEGLICH_AB,
    rc.ResidencePathway.P60D: T.P60D_KRITERIEN,
}


# --------------------------------------------------------------------------- configuration


def config_from(settings: Any) -> dl.DeadlineConfig:
    """Lead times and periods from the settings (``deadline_leads``: {"TYPE": "28d, 14d"} as JSON;
    a bad entry falls back to the default, so a hand-edited file never stops the app)."""
    leads = dict(dl.DEFAULT_LEADS)
    raw = getattr(settings, "deadline_leads", "") or ""
    try:
        given = json.loads(raw) if raw else {}
    except ValueError:
        given = {}
    if isinstance(given, dict):
        for key, text in given.items():
            if key in T.__members__ and isinstance(text, str):
                try:
                    parsed = dl.parse_leads(text)
                except ValueError:
                    continue
                if parsed:
                    leads[T(key)] = parsed
    return dl.DeadlineConfig(
        leads=leads,
        referral_followup_days=getattr(settings, "referral_followup_days", 14),
        no_contact_weeks=getattr(settings, "no_contact_weeks", 6),
        offer_verify_months=getattr(settings, "offer_verify_months", 6),
    )


def _config(config: dl.DeadlineConfig | None) -> dl.DeadlineConfig:
    if config is not None:
        return config
    from gk_desktop.settings import Settings

    return config_from(Settings.load())


def legal_dates(ruleset: Any) -> dl.LegalDates:
    def rule(key: str, default: Any) -> Any:
        try:
            return ruleset.value(key)
        except Exception:  # noqa: BLE001 - a rule missing from an old vault: the default
            return default

    base = dl.LegalDates()
    return dl.LegalDates(
        apply_months_before_training=rule("P60C_APPLY_MONTHS_BEFORE_START", base.apply_months_before_training),
        grant_months_before_training=rule("P60C_GRANT_MONTHS_BEFORE_START", base.grant_months_before_training),
        identity_months_after_entry=rule("P60C_IDENTITY_MONTHS_AFTER_ENTRY", base.identity_months_after_entry),
        identity_rule_entries_after=rule("P60C_IDENTITY_MID_ENTRY_UNTIL", base.identity_rule_entries_after),
        apply_before_birthday=rule("P25A_APPLY_BEFORE_BIRTHDAY", base.apply_before_birthday),
    )


# --------------------------------------------------------------------------- reading


_FINAL_GOALS = ", ".join(f"'{x}'" for x in sorted(dl.FINAL_GOAL_STATUSES))
_WAITING = ", ".join(f"'{x}'" for x in sorted(dl.WAITING_REFERRAL_STATUSES))
# Plain SQL on the driver (rows as tuples, dates as ISO text): at 10,000 clients SQLAlchemy's row
# objects and type processing alone would cost more than the queries. {where} narrows to one client.
_SQL = {
    "people": "SELECT d.client_id, d.case_code, d.birth_date, d.periods, d.last_contact, d.cur_status, d.cur_until, "
              "d.cur_since, d.cur_before, c.entry_date_de, c.minor_children, c.birth_date_fictitious "
              "FROM derived_client_row d JOIN client c ON c.id = d.client_id {where_d} ORDER BY d.case_code",
    "cases": 'SELECT client_id, id, closed_on, retention_until, first_contact_on, phase, case_type FROM "case" '
             '{where} ORDER BY number',
    "identity": "SELECT client_id, id, clarified, passport_valid_until FROM identity_status {where} ORDER BY id",
    "works": "SELECT client_id, id, type, start_date, planned_end_date, actual_end_date, end_reason, hours_per_week, "
             "income_covers FROM work_record {where} ORDER BY id",
    "asylum": "SELECT client_id, id, decision_served_on FROM asylum_procedure "
              "WHERE decision_served_on IS NOT NULL {and_} ORDER BY id",
    "consents": "SELECT client_id, id, valid_until, revoked_on FROM consent WHERE valid_until IS NOT NULL {and_} ORDER BY id",
    "follow_ups": "SELECT client_id, id, due, done_on, text FROM follow_up {where} ORDER BY id",
    "goals": f"SELECT k.client_id, g.id, g.review_on, g.status FROM goal g JOIN \"case\" k ON k.id = g.case_id "
             f"WHERE g.review_on IS NOT NULL AND g.status NOT IN ({_FINAL_GOALS}) {{and_k}} ORDER BY g.id",
    "tasks": "SELECT k.client_id, t.id, t.due_on, t.status FROM task t JOIN \"case\" k ON k.id = t.case_id "
             "WHERE t.due_on IS NOT NULL AND t.status = 'OFFEN' {and_k} ORDER BY t.id",
    "referrals": f"SELECT k.client_id, r.id, r.status_since, r.status FROM referral r "
                 f"JOIN service_chain c ON c.id = r.chain_id JOIN \"case\" k ON k.id = c.case_id "
                 f"WHERE r.status IN ({_WAITING}) {{and_k}} ORDER BY r.id",
    "documents": "SELECT k.client_id, d.id, d.delete_by FROM document d JOIN \"case\" k ON k.id = d.case_id "
                 "WHERE d.delete_by IS NOT NULL {and_k} ORDER BY d.id",
    # read only when a client needs the residence checks
    "schools": "SELECT client_id, country, start_date, end_date, attendance_ok, qualification FROM education_record "
               "{where} ORDER BY id",
    "certificates": "SELECT client_id, level, skill, language, date FROM language_certificate {where} ORDER BY id",
    "outcomes": "SELECT client_id, outcomes_json FROM residence_check {where} ORDER BY on_, id",
}
_SQL["outcomes"] = _SQL["outcomes"].replace("on_", '"on"')


def _read(conn: Any, name: str, client_id: str | None) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of one query grouped by their first column (the client id)."""
    where = {"where": "", "and_": "", "and_k": "", "where_d": ""}
    params: tuple[Any, ...] = ()
    if client_id is not None:
        where = {"where": "WHERE client_id = ?", "and_": "AND client_id = ?", "and_k": "AND k.client_id = ?",
                 "where_d": "WHERE d.client_id = ?"}
        params = (client_id,)
    out: dict[str, list[tuple[Any, ...]]] = {}
    cursor = conn.connection.cursor()  # the driver's cursor: plain tuples, no row objects
    try:
        cursor.execute(_SQL[name].format(**where), params)
        for row in cursor.fetchall():
            out.setdefault(row[0], []).append(row)
    finally:
        cursor.close()
    return out


_DATES: dict[str, dt.date] = {}  # emptied after every computation (see compute)


def _d(value: str | None) -> dt.date | None:
    """An ISO date (or the date of an ISO time) from the database; the same dates recur a lot."""
    if not value:
        return None
    day = _DATES.get(value)
    if day is None:
        day = _DATES[value] = dt.date.fromisoformat(value[:10])
    return day


def _decisions(conn: Any, client_id: str | None = None) -> dict[str, str]:
    sql = "SELECT key, decision FROM deadline_decision {w} ORDER BY decided_on, id"
    rows = conn.exec_driver_sql(sql.format(w="WHERE client_id = ?" if client_id else ""),
                                (client_id,) if client_id else ())
    return {key: decision for key, decision in rows}  # the newest wins


def _inputs(conn: Any, on: dt.date, ruleset: Any, legal: dl.LegalDates, client_id: str | None = None
            ) -> Iterable[tuple[dl.ClientInput, rc.FileFacts | None, tuple[rc.ResidencePathway, ...]]]:
    """(engine input, facts for the residence checks, the pathways to check) per client."""
    from gk_desktop.domain.periods import current_period_iso
    from gk_desktop.storage.client_rows import parse_periods

    on_iso = on.isoformat()
    read = {name: _read(conn, name, client_id) for name in (
        "cases", "identity", "works", "asylum", "consents", "follow_ups", "goals", "tasks", "referrals", "documents")}
    people = [row for rows in _read(conn, "people", client_id).values() for row in rows]
    extra: dict[str, dict[str, list[tuple[Any, ...]]]] | None = None
    try:
        entry_by = ruleset.value("P60D_ENTRY_BY")
    except Exception:  # noqa: BLE001 - an old vault without the rule
        entry_by = None
    empty: list[tuple[Any, ...]] = []
    for (cid, case_code, birth_iso, periods_text, last_contact, cur_status, cur_until, cur_since, cur_before,
         entry_iso, minor_children, fictitious) in people:
        cases = read["cases"].get(cid, empty)
        running = next((k for k in reversed(cases) if k[2] is None), None)
        if cur_since is not None and cur_since <= on_iso < cur_before:
            status, until = cur_status, cur_until
        else:
            current = current_period_iso(parse_periods(periods_text or ""), on_iso)
            status, until = (current[0], current[2]) if current else (None, None)
        ident = (read["identity"].get(cid) or [None])[0]
        birth = _d(birth_iso)
        entry = _d(entry_iso)
        works = read["works"].get(cid, empty)
        last = None
        # "No contact" watches a running case management; a dormant case rests on purpose, and a
        # short advice is proposed for closing after its own months (services.cycle).
        if running is not None and running[5] != "RUHEND" and running[6] != "KURZBERATUNG":
            last = dl.Dated(running[1], _d(last_contact) if last_contact else _d(running[4]))
        item = dl.ClientInput(
            client_id=cid, case_code=case_code, birth_date=birth, running_case=running is not None, entry_date=entry,
            current_period=dl.PeriodIn(cid, status, None, _d(until)) if status is not None else None,
            passport=dl.Dated(ident[1], _d(ident[3])) if ident is not None and ident[3] else None,
            identity_clarified=ident[2] if ident is not None else None,
            works=tuple(dl.WorkIn(w[1], w[2], _d(w[3]), _d(w[4]), _d(w[5]), w[6]) for w in works),
            decisions_served=tuple(dl.Dated(x[1], _d(x[2])) for x in read["asylum"].get(cid, empty)),
            goals=tuple(dl.Dated(x[1], _d(x[2]), x[3]) for x in read["goals"].get(cid, empty)),
            tasks=tuple(dl.Dated(x[1], _d(x[2]), x[3]) for x in read["tasks"].get(cid, empty)),
            referrals=tuple(dl.Dated(x[1], _d(x[2]), x[3]) for x in read["referrals"].get(cid, empty)),
            last_contact=last,
            consents=tuple(dl.Dated(x[1], _d(x[2]), "REVOKED" if x[3] else "") for x in read["consents"].get(cid, empty)),
            cases=tuple(dl.Dated(k[1], _d(k[3])) for k in cases if k[2] is not None),
            documents=tuple(dl.Dated(x[1], _d(x[2])) for x in read["documents"].get(cid, empty)),
            follow_ups=tuple(dl.Dated(x[1], _d(x[2]), "DONE" if x[3] else "", x[4] or "")
                             for x in read["follow_ups"].get(cid, empty)),
        )
        # The residence checks, the dearest part, only where their date can be a deadline: a running
        # case under a Duldung (§ 25a before the 27th birthday; § 60d with an employment).
        pathways: tuple[rc.ResidencePathway, ...] = ()
        if running is not None and status in dl.DULDUNG_STATUSES and birth is not None:
            chosen = [rc.ResidencePathway.P25B]
            if last_day_before_birthday(birth, legal.apply_before_birthday) >= on:
                chosen.insert(0, rc.ResidencePathway.P25A)
            if any(w[2] == "SV_BESCHAEFTIGUNG" for w in works) and (entry is None or entry_by is None or entry <= entry_by):
                chosen.append(rc.ResidencePathway.P60D)
            pathways = tuple(chosen)
        facts = None
        if pathways:
            if extra is None:
                extra = {name: _read(conn, name, client_id) for name in ("schools", "certificates", "outcomes")}
            outcomes = extra["outcomes"].get(cid)
            facts = _file_facts(birth, bool(fictitious), entry, minor_children, periods_text or "",
                                extra["schools"].get(cid, empty), works, extra["certificates"].get(cid, empty), ident,
                                residence._valid_outcomes(outcomes[-1][1]) if outcomes else {})
        yield item, facts, pathways


def _file_facts(birth: dt.date, fictitious: bool, entry: dt.date | None, minor_children: int | None,
                periods_text: str, schools: list[tuple[Any, ...]], works: list[tuple[Any, ...]],
                certificates: list[tuple[Any, ...]], ident: tuple[Any, ...] | None,
                outcomes: dict[str, str]) -> rc.FileFacts:
    """The residence checks' facts straight from the plain rows (as :func:`residence._facts` reads
    them from records; the periods from the derived client row, which holds no work permission:
    the pathways checked here do not read it)."""
    from gk_desktop.domain.enums import (IdentityClarified, IncomeCoverage, LanguageLevel, LanguageSkill,
                                         Qualification, ResidenceStatus, WorkEndReason, WorkType)
    from gk_desktop.storage.client_rows import parse_periods

    enum = residence._enum
    work_rows = [w for w in works if enum(WorkType, w[2]) is not None]
    current = max((w for w in work_rows if w[5] is None and w[8]), key=lambda w: w[3] or "", default=None)
    return rc.FileFacts(
        birth_date=birth, birth_date_fictitious=fictitious, entry_date=entry, minor_children=minor_children,
        periods=tuple(rc.ResidenceFact(status, _d(vf), _d(vu), None)
                      for st, vf, vu in parse_periods(periods_text) if (status := enum(ResidenceStatus, st)) is not None),
        schools=tuple(rc.SchoolRecordFact(x[1], _d(x[2]), _d(x[3]), None if x[4] is None else bool(x[4]),
                                          enum(Qualification, x[5])) for x in schools),
        works=tuple(rc.WorkFact(WorkType(w[2]), _d(w[3]), _d(w[4]), _d(w[5]), w[7], enum(WorkEndReason, w[6]))
                    for w in work_rows),
        certificates=tuple(rc.CertificateFact(LanguageLevel(x[1]), enum(LanguageSkill, x[2]) or LanguageSkill.GESAMT,
                                              x[3], _d(x[4]))
                           for x in certificates if enum(LanguageLevel, x[1]) is not None),
        identity_clarified=enum(IdentityClarified, ident[2]) if ident is not None else None,
        passport_valid_until=_d(ident[3]) if ident is not None else None,
        income_covers=enum(IncomeCoverage, current[8]) if current is not None else None,
        outcomes=outcomes,
    )


def _pathway_dates(facts: rc.FileFacts | None, pathways: tuple[rc.ResidencePathway, ...], rules: Any,
                   on: dt.date) -> dict[dl.DeadlineType, dt.date]:
    dates: dict[dl.DeadlineType, dt.date] = {}
    if facts is None:
        return dates
    for pathway in pathways:
        day = rc.possible_from(pathway, facts, rules, on)  # = the check's "möglich ab" when green or yellow
        if day is not None:
            dates[PATHWAY_TYPES[pathway]] = day
    return dates


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic garbage collection while some 100,000 acyclic objects are made (it would sweep
    them again and again, a fifth of the time); the previous state afterwards (the GUI keeps it
    off and collects on a timer, see ui/gc_guard.py)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _DATES.clear()
        if was:
            gc.enable()


def compute(vault: Any, *, on: dt.date | None = None, config: dl.DeadlineConfig | None = None,
            case_code: str | None = None, offers: bool = True,
            cancelled: Callable[[], bool] | None = None) -> list[dl.Deadline]:
    """Every deadline of the vault (or of one client, and then no offer's) on ``on``; an empty
    list when ``cancelled()`` said so."""
    on = on or today()
    config = _config(config)
    with gc_paused(), vault.session() as s:
        ruleset = rules_mod.load(s).ruleset
        legal = legal_dates(ruleset)
        client_id = None
        if case_code is not None:
            from gk_desktop.services.clients import _get_client

            client_id = _get_client(s, case_code).id
            offers = False
        conn = s.connection()
        decisions = _decisions(conn, client_id)
        engine = dl.Engine(on, config, legal, decisions)
        out: list[dl.Deadline] = []
        for n, (item, facts, pathways) in enumerate(_inputs(conn, on, ruleset, legal, client_id)):
            if cancelled is not None and n % 500 == 0 and cancelled():
                return []
            if pathways:
                dates = _pathway_dates(facts, pathways, ruleset, on)
                if dates:
                    item = dataclasses.replace(item, pathway_dates=dates)
            out.extend(engine.client(item))
        if offers:
            rows = conn.exec_driver_sql("SELECT id, verified_on, created_at FROM offer ORDER BY id")
            out.extend(engine.offers(dl.OfferInput(r[0], _d(r[1]), _d(r[2])) for r in rows))
    return out


def deadline_json(d: dl.Deadline, on: dt.date | None = None) -> dict[str, Any]:
    """One deadline as CLI.md `deadlines` prints it (plus reminders, urgency and the text of a follow-up)."""
    on = on or today()
    return {
        "key": d.key, "type": d.type.value, "due": d.due.isoformat(), "remind_from": d.remind_from.isoformat(),
        "case_code": d.case_code, "status": d.status.value, "source": f"{d.source_table}:{d.source_id}",
        "reminders": [r.isoformat() for r in d.reminders], "urgency": d.urgency(on).value, "text": d.text,
    }


def due(vault: Any, *, days: int = 7, everything: bool = False, on: dt.date | None = None,
        config: dl.DeadlineConfig | None = None) -> list[dl.Deadline]:
    """Open deadlines due on or before today + ``days``, overdue ones included (``everything``:
    done and dismissed too), nearest first."""
    on = on or today()
    return dl.due_by(compute(vault, on=on, config=config), on, days, everything=everything)


# --------------------------------------------------------------------------- the worker's decisions


def _parse_key(key: str) -> tuple[dl.DeadlineType, str, dt.date]:
    parts = (key or "").strip().split(":")
    try:
        kind, source_id, day = dl.DeadlineType(parts[0]), parts[1], dt.date.fromisoformat(parts[2])
    except (IndexError, ValueError):
        raise InputRejectedError(_("Not a deadline key; it reads TYPE:RECORD:YYYY-MM-DD (see gk-cli deadlines)."))
    if len(parts) != 3 or not source_id:
        raise InputRejectedError(_("Not a deadline key; it reads TYPE:RECORD:YYYY-MM-DD (see gk-cli deadlines)."))
    return kind, source_id, day


def decide(vault: Any, key: str, decision: str, *, on: dt.date | None = None,
           config: dl.DeadlineConfig | None = None, source: str = "cli") -> dict[str, Any]:
    """Record ERLEDIGT, VERWORFEN or OFFEN (again) for the deadline ``key``; it must be one the
    file raises today (its due date may lie anywhere)."""
    on = on or today()
    decision = (decision or "").strip().upper()
    if decision not in DECISIONS:
        raise InputRejectedError(_("Unknown decision; allowed: {values}").format(values=", ".join(DECISIONS)))
    kind, source_id, day = _parse_key(key)
    key = dl.deadline_key(kind, source_id, day)
    found = next((d for d in compute(vault, on=on, config=config) if d.key == key), None)
    if found is None:
        raise NotFoundError(_("The file raises no such deadline (any more). Nothing was changed."))
    with vault.session() as s:
        row = M.DeadlineDecision(key=key, type=kind.value, source_id=source_id, due=day, decision=decision,
                                 decided_on=on, client_id=found.client_id)
        s.add(row)
        if kind is T.WIEDERVORLAGE:  # the follow-up itself says whether it is done
            follow_up = s.get(M.FollowUp, source_id)
            if follow_up is not None:
                follow_up.done_on = on if decision == "ERLEDIGT" else None
        s.flush()
        vault.record_event("update", session=s, source=source, target_table="deadline_decision", target_id=row.id)
        s.commit()
    return deadline_json(found._replace(status=dl.DeadlineStatus(decision)), on)


# --------------------------------------------------------------------------- follow-ups


def add_follow_up(vault: Any, case_code: str, due_on: Any, text: str, *, source: str = "cli") -> dict[str, Any]:
    """A Wiedervorlage by hand: a day and what to do (the worker's words, kept in the vault)."""
    from gk_desktop.services.clients import _get_client

    if isinstance(due_on, str):
        try:
            due_on = dt.date.fromisoformat(due_on.strip())
        except ValueError:
            raise InputRejectedError(_("due: expected a date as YYYY-MM-DD"))
    if not isinstance(due_on, dt.date):
        raise InputRejectedError(_("due: expected a date as YYYY-MM-DD"))
    text = " ".join((text or "").split())
    if not text:
        raise InputRejectedError(_("text: say what is to be done"))
    with vault.session() as s:
        client = _get_client(s, case_code)
        row = M.FollowUp(client_id=client.id, due=due_on, text=text)
        s.add(row)
        s.flush()
        vault.record_event("create", session=s, source=source, target_table="follow_up", target_id=row.id)
        s.commit()
        return {"id": row.id, "case_code": client.case_code, "due": due_on.isoformat(), "text": text}
