"""The client register: add, update, list, show, and the duplicate check (DOMAIN.md §3).

One function per use case for the command line and the GUI; each opens its own short session on
the vault and returns plain data. Input is the JSON of CLI.md (keys of DOMAIN.md §3 in snake_case);
what :func:`show_client` returns is accepted by :func:`add_client` again (ids and derived values
are ignored there).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from gk_desktop.domain import duplicates as dup
from gk_desktop.domain.case_code import new_case_code
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import CasePhase, ExclusionOutcome, ResidenceStatus
from gk_desktop.domain.periods import (
    PeriodFact,
    SchoolFact,
    counting_days,
    current_period,
    current_period_iso,
    school_days_in_germany,
)
from gk_desktop.domain.target_group import (
    age_on,
    enters_band_on,
    last_day_before_birthday,
    leaves_band_on,
    target_group,
    target_group_at_age,
)
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.services import records
from gk_desktop.services import rules as rules_mod
from gk_desktop.services.records import Problems, parse_record, record_json
from gk_desktop.storage import models as M

# Nested lists of a client: JSON key → (model, the key a plain string stands for, or None).
NESTED: dict[str, tuple[type, str | None]] = {
    "name_variants": (M.ClientNameVariant, "name"),
    "nationalities": (M.ClientNationality, "country"),
    "languages": (M.ClientLanguage, None),
    "residence_periods": (M.ResidencePeriod, None),
    "asylum_procedures": (M.AsylumProcedure, None),
    "identity_efforts": (M.IdentityEffort, None),
    "education_records": (M.EducationRecord, None),
    "language_certificates": (M.LanguageCertificate, None),
    "work_records": (M.WorkRecord, None),
    "personal_contacts": (M.PersonalContact, None),
}
# Lists `client show` prints as plain strings.
PLAIN_LISTS = frozenset({"nationalities"})
SINGLE = {"identity_status": M.IdentityStatus}
# Values `client show` prints that are computed, not stored: accepted by add/update and dropped.
DERIVED_KEYS = frozenset({
    "age", "target_group", "leaves_target_group_on", "last_day_before_27th_birthday",
    "duldung_days_counting", "school_years_in_germany", "programme", "programme_name",
})
FIRST_CONTACT_KEYS = frozenset({"residence_status", "residence_valid_until"})
CASE_INPUT_SKIP = frozenset({"client_id", "number", "phase", "funding_programme_id", "closed_on",
                             "closure_reason", "destination", "evaluation", "retention_until"})
CHILD_SKIP = frozenset({"client_id"})
CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class DuplicateHit:
    client_id: str
    case_code: str
    reason: str
    first_name: str
    last_name: str
    birth_date: dt.date


@dataclass(frozen=True)
class AddResult:
    id: str
    case_code: str
    possible_duplicates: list[DuplicateHit]


@dataclass(slots=True)
class ClientRow:
    """One line of the client list (CLI.md `client list`)."""

    id: str
    case_code: str
    first_name: str
    last_name: str
    birth_date: dt.date
    birth_date_fictitious: bool
    age: int | None
    target_group: str
    residence_status: str | None
    residence_valid_until: dt.date | None
    phase: str | None
    last_contact: dt.datetime | None
    leaves_target_group_on: dt.date
    name_variants: tuple[str, ...] = ()  # for "found by" in the list; not part of `client list`

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "case_code": self.case_code, "first_name": self.first_name,
            "last_name": self.last_name, "birth_date": self.birth_date.isoformat(), "age": self.age,
            "target_group": self.target_group, "residence_status": self.residence_status,
            "residence_valid_until": self.residence_valid_until.isoformat() if self.residence_valid_until else None,
            "phase": self.phase, "last_contact": self.last_contact.isoformat() if self.last_contact else None,
        }


# --------------------------------------------------------------------------- derived values


def _age(birth: dt.date, on: dt.date) -> int | None:
    return age_on(birth, on) if on >= birth else None


_STATUS = {s.value: s for s in ResidenceStatus}
_EXCLUSION = {e.value: e for e in ExclusionOutcome}


def _target_group(birth: dt.date, on: dt.date, status: str | None, exclusion: str | None,
                  programme: Any) -> str:
    return target_group(birth, on, _STATUS.get(status or ""), _EXCLUSION.get(exclusion or ""), programme.rules).value


def _current_case(cases: Iterable[Any]) -> Any | None:
    """The open case with the highest number, else the last closed one."""
    cases = list(cases)
    if not cases:
        return None
    open_ = [c for c in cases if c.phase != CasePhase.ABGESCHLOSSEN.value]
    return max(open_ or cases, key=lambda c: c.number)


# --------------------------------------------------------------------------- reading input


def _unwrap(data: Any) -> Any:
    """`client show` prints {"client": {...}, "cases": [...], ...}; add accepts that too."""
    if isinstance(data, dict) and isinstance(data.get("client"), dict) and "first_name" not in data:
        return data["client"]
    return data


def _parse_child(model: type, plain_key: str | None, item: Any, path: str, problems: Problems) -> tuple[str | None, dict[str, Any]]:
    if plain_key is not None and isinstance(item, str):
        item = {plain_key: item}
    values = parse_record(model, item, path, problems, skip=CHILD_SKIP, ignore=frozenset({"id"}))
    item_id = item.get("id") if isinstance(item, dict) else None
    return (item_id if isinstance(item_id, str) else None), values


def _parse_nested(data: dict[str, Any], problems: Problems) -> dict[str, list[tuple[str | None, dict[str, Any]]]]:
    out: dict[str, list[tuple[str | None, dict[str, Any]]]] = {}
    for key, (model, plain) in NESTED.items():
        if key not in data:
            continue
        items = data[key]
        if items is None:
            items = []
        if not isinstance(items, list):
            problems.add(key, _("expected a list"))
            continue
        out[key] = [_parse_child(model, plain, item, f"{key}[{i}]", problems) for i, item in enumerate(items)]
    return out


def _parse_client(data: Any, problems: Problems, *, partial: bool, on: dt.date) -> dict[str, Any]:
    ignore = DERIVED_KEYS | FIRST_CONTACT_KEYS | frozenset(NESTED) | frozenset(SINGLE) | {"case", "case_code", "id"}
    values = parse_record(M.Client, data, "", problems, partial=partial, ignore=ignore, skip=frozenset({"case_code"}))
    birth = values.get("birth_date")
    if isinstance(birth, dt.date) and birth > on:
        problems.add("birth_date", _("lies in the future"))
    return values


def _first_period(data: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
    status = data.get("residence_status")
    until = data.get("residence_valid_until")
    if status is None and until is None:
        return None
    if status is None:
        problems.add("residence_status", _("required when residence_valid_until is given"))
        return None
    return parse_record(M.ResidencePeriod, {"status": status, "valid_until": until}, "residence_status", problems,
                        skip=CHILD_SKIP)


def _read_json_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    return data


# --------------------------------------------------------------------------- duplicates


def _person_keys(session: Any, rows: list[Any]) -> list[dup.PersonKey]:
    ids = [r.id for r in rows]
    variants: dict[str, list[str]] = {}
    for i in range(0, len(ids), 500):
        for cid, name in session.execute(
            select(M.ClientNameVariant.client_id, M.ClientNameVariant.name)
            .where(M.ClientNameVariant.client_id.in_(ids[i : i + 500])).order_by(M.ClientNameVariant.id)
        ):
            variants.setdefault(cid, []).append(name)
    return [dup.PersonKey(id=r.id, case_code=r.case_code, first_name=r.first_name, last_name=r.last_name,
                          birth_date=r.birth_date, birth_date_fictitious=r.birth_date_fictitious,
                          name_variants=tuple(variants.get(r.id, ()))) for r in rows]


def find_possible_duplicates(session: Any, person: dup.PersonKey) -> list[DuplicateHit]:
    """Clients that may be ``person``: same birth date, or the same year where either date is
    year-only (fictitious or 01.01.), and a similar name or name variant (domain/duplicates.py)."""
    year_start, year_end = dt.date(person.birth_date.year, 1, 1), dt.date(person.birth_date.year, 12, 31)
    c = M.Client
    same_year = c.birth_date.between(year_start, year_end)
    if dup._year_only(person):
        date_clause = same_year
    else:
        date_clause = or_(c.birth_date == person.birth_date,
                          same_year & or_(c.birth_date_fictitious.is_(True), func.substr(c.birth_date, 6) == "01-01"))
    rows = session.execute(
        select(c.id, c.case_code, c.first_name, c.last_name, c.birth_date, c.birth_date_fictitious).where(date_clause)
    ).all()
    keys = _person_keys(session, rows)
    return [DuplicateHit(k.id, k.case_code, reason, k.first_name, k.last_name, k.birth_date)
            for k, reason in dup.find_duplicates(person, keys)]


def check_duplicates(vault: Any, data: dict[str, Any]) -> list[DuplicateHit]:
    """The duplicate check for a client about to be added (the GUI shows it before saving)."""
    problems = Problems()
    data = _unwrap(_read_json_object(data))
    values = _parse_client(data, problems, partial=False, on=today())
    nested = _parse_nested({k: data[k] for k in ("name_variants",) if k in data}, problems)
    problems.raise_if_any()
    variants = tuple(v["name"] for _id, v in nested.get("name_variants", []))
    person = dup.PersonKey(id="", case_code="", first_name=values["first_name"], last_name=values["last_name"],
                           birth_date=values["birth_date"],
                           birth_date_fictitious=bool(values.get("birth_date_fictitious", False)),
                           name_variants=variants)
    with vault.session() as s:
        return find_possible_duplicates(s, person)


# --------------------------------------------------------------------------- writing


def _apply_nested(session: Any, client_id: str, key: str, items: list[tuple[str | None, dict[str, Any]]],
                  problems: Problems, *, replace: bool) -> None:
    """Make the client's records of ``key`` exactly ``items``: an item with the id of an
    existing record updates it; a plain-string list keeps records with an equal value; the rest
    are added, and records not named are deleted."""
    model, plain = NESTED[key]
    existing = list(session.execute(select(model).where(model.client_id == client_id).order_by(model.id)).scalars())
    by_id = {r.id: r for r in existing}
    keep: set[str] = set()
    for index, (item_id, values) in enumerate(items):
        target = None
        if item_id is not None and replace:
            target = by_id.get(item_id)
            if target is None:
                problems.add(f"{key}[{index}].id", _("no such record of this client"))
                continue
        elif plain is not None and replace:
            target = next((r for r in existing if r.id not in keep and getattr(r, plain) == values.get(plain)
                           and all(getattr(r, k) == v for k, v in values.items())), None)
        if target is not None:
            keep.add(target.id)
            for k, v in values.items():
                if getattr(target, k) != v:
                    setattr(target, k, v)
        else:
            session.add(model(client_id=client_id, **values))
    if replace:
        for r in existing:
            if r.id not in keep:
                session.delete(r)


def _apply_single(session: Any, client_id: str, key: str, data: Any, problems: Problems) -> None:
    model = SINGLE[key]
    existing = session.execute(select(model).where(model.client_id == client_id)).scalars().first()
    if data is None:
        if existing is not None:
            session.delete(existing)
        return
    values = parse_record(model, data, key, problems, partial=existing is not None, skip=CHILD_SKIP,
                          ignore=frozenset({"id"}))
    if existing is None:
        session.add(model(client_id=client_id, **values))
    else:
        for k, v in values.items():
            if getattr(existing, k) != v:
                setattr(existing, k, v)


def _check_document_refs(session: Any, client_id: str, nested: dict[str, list[tuple[str | None, dict[str, Any]]]],
                         problems: Problems) -> None:
    """A record may point only at a document of the same client."""
    from gk_desktop.services.documents import check_document_refs

    refs = [(f"{key}[{i}].document_id", values["document_id"])
            for key, items in nested.items() for i, (_id, values) in enumerate(items) if values.get("document_id")]
    check_document_refs(session, client_id, problems, refs)


def _new_code(session: Any, on: dt.date) -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = new_case_code(on)
        if session.execute(select(M.Client.id).where(M.Client.case_code == code)).first() is None:
            return code
    raise RuntimeError("no free case code")  # pragma: no cover - 30 random bits per year


def add_client(vault: Any, data: Any, *, source: str = "cli") -> AddResult:
    """Add a client with a Case in phase ERSTKONTAKT; likely duplicates are reported, not refused."""
    on = today()
    problems = Problems()
    data = _unwrap(_read_json_object(data))
    values = _parse_client(data, problems, partial=False, on=on)
    nested = _parse_nested(data, problems)
    first_period = None if nested.get("residence_periods") else _first_period(data, problems)
    case_data = data.get("case") or {}
    case_values = parse_record(M.Case, case_data, "case", problems, partial=True, skip=CASE_INPUT_SKIP,
                               ignore=frozenset({"id", "programme"}))
    programme_key = case_data.get("programme") if isinstance(case_data, dict) else None
    problems.raise_if_any()
    variants = tuple(v["name"] for _id, v in nested.get("name_variants", []))
    with vault.session() as s:
        rules = rules_mod.load(s)
        programme_id = None
        if programme_key is not None:
            programme_id = next((i for i, k in rules.programme_key_by_id.items() if k == programme_key), None)
            if programme_id is None:
                problems.add("case.programme", _("no such funding programme"))
                problems.raise_if_any()
        else:
            programme_id = next((i for i, k in rules.programme_key_by_id.items() if k == rules.default_programme_key), None)
        person = dup.PersonKey(id="", case_code="", first_name=values["first_name"], last_name=values["last_name"],
                               birth_date=values["birth_date"],
                               birth_date_fictitious=bool(values.get("birth_date_fictitious", False)),
                               name_variants=variants)
        hits = find_possible_duplicates(s, person)
        client = M.Client(case_code=_new_code(s, on), **values)
        s.add(client)
        s.flush()
        _check_document_refs(s, client.id, nested, problems)
        problems.raise_if_any()
        for key, items in nested.items():
            _apply_nested(s, client.id, key, items, problems, replace=False)
        for key, model in SINGLE.items():
            if data.get(key) is not None:
                _apply_single(s, client.id, key, data[key], problems)
        if first_period is not None:
            s.add(M.ResidencePeriod(client_id=client.id, **first_period))
        case_values.setdefault("first_contact_on", on)
        s.add(M.Case(client_id=client.id, number=1, phase=CasePhase.ERSTKONTAKT.value,
                     funding_programme_id=programme_id, **case_values))
        if problems.items:
            s.rollback()
            problems.raise_if_any()
        vault.record_event("create", session=s, source=source, target_table="client", target_id=client.id)
        try:
            s.commit()
        except SAIntegrityError as exc:  # pragma: no cover - a case code drawn twice in one instant
            s.rollback()
            raise InputRejectedError(_("The client could not be saved; please try again.")) from exc
        return AddResult(client.id, client.case_code, hits)


def normalise_code(case_code: str) -> str:
    return " ".join(case_code.split()).upper()


def _get_client(session: Any, case_code: str) -> Any:
    client = session.execute(select(M.Client).where(M.Client.case_code == normalise_code(case_code))).scalars().first()
    if client is None:
        raise NotFoundError(_("No client with this case code."))
    return client


def update_client(vault: Any, case_code: str, data: Any, *, source: str = "cli") -> str:
    """Change only the given keys. A nested list given replaces that list (records named by id are
    updated in place); ``residence_status``/``residence_valid_until`` change the current period,
    or start a new one from today when the status differs."""
    on = today()
    problems = Problems()
    data = _unwrap(_read_json_object(data))
    values = _parse_client(data, problems, partial=True, on=on)
    nested = _parse_nested(data, problems)
    first_period = None if "residence_periods" in data else _first_period(data, problems)
    problems.raise_if_any()
    with vault.session() as s:
        client = _get_client(s, case_code)
        given_code = data.get("case_code")
        if given_code is not None and normalise_code(str(given_code)) != client.case_code:
            problems.add("case_code", _("cannot be changed"))
            problems.raise_if_any()
        for k, v in values.items():
            if getattr(client, k) != v:
                setattr(client, k, v)
        _check_document_refs(s, client.id, nested, problems)
        if problems.items:
            s.rollback()
            problems.raise_if_any()
        for key, items in nested.items():
            _apply_nested(s, client.id, key, items, problems, replace=True)
        for key in SINGLE:
            if key in data:
                _apply_single(s, client.id, key, data[key], problems)
        if first_period is not None:
            periods = list(s.execute(select(M.ResidencePeriod).where(M.ResidencePeriod.client_id == client.id)).scalars())
            current = current_period(periods, on)
            if current is not None and current.status == first_period["status"]:
                if "residence_valid_until" in data:
                    current.valid_until = first_period.get("valid_until")
            else:
                if current is not None and (current.valid_until is None or current.valid_until >= on):
                    current.valid_until = on - dt.timedelta(days=1)
                s.add(M.ResidencePeriod(client_id=client.id, valid_from=on, **first_period))
        if problems.items:
            s.rollback()
            problems.raise_if_any()
        vault.record_event("update", session=s, source=source, target_table="client", target_id=client.id)
        s.commit()
        return client.id


# --------------------------------------------------------------------------- reading


def list_clients(vault: Any, on: dt.date | None = None, *, sort: bool = True) -> list[ClientRow]:
    """Every client (closed cases included), with age, target group, status and phase.

    Reads the derived client rows (:mod:`gk_desktop.storage.client_rows`): one compact row per
    client, so the list of 10,000 clients loads without scanning every history.
    """
    from gk_desktop.storage import client_rows
    from gk_desktop.storage.client_rows import parse_periods

    on = on or today()
    on_iso = on.isoformat()
    with vault.session() as s:
        rules = rules_mod.load(s)
        conn = s.connection()
        rows = client_rows.read_all(conn)
        # The stored current period holds for most rows; the others are worked out from the periods.
        stale = [r[0] for r in rows if not r[13] <= on_iso < r[14]]
        periods = client_rows.read_periods(conn, stale) if stale else {}
    programmes: dict[str | None, Any] = {}
    out = []
    fromiso = dt.date.fromisoformat
    fromiso_dt = dt.datetime.fromisoformat
    utc = dt.timezone.utc
    for (client_id, case_code, first, last, birth_iso, fictitious, exclusion, phase, programme_id, last_contact,
         variants, cur_status, cur_until, cur_since, cur_before) in rows:
        programme = programmes.get(programme_id)
        if programme is None:
            programme = programmes[programme_id] = rules.programme(programme_id)
        birth = fromiso(birth_iso)
        if cur_since <= on_iso < cur_before:
            status, until = cur_status, cur_until
        else:
            period = current_period_iso(parse_periods(periods.get(client_id, "")), on_iso)
            status, until = (period[0], period[2]) if period else (None, None)
        age = age_on(birth, on) if on >= birth else None
        lc = fromiso_dt(last_contact) if last_contact else None
        if lc is not None and lc.tzinfo is None:
            lc = lc.replace(tzinfo=utc)
        out.append(ClientRow(
            client_id, case_code, first, last, birth, bool(fictitious), age,
            target_group_at_age(age, _STATUS.get(status or ""), _EXCLUSION.get(exclusion or ""), programme.rules).value,
            status, fromiso(until) if until else None, phase, lc,
            leaves_band_on(birth, programme.rules),
            tuple(variants.split("\n")) if variants else (),
        ))
    if sort:  # the GUI sorts by the locale itself
        out.sort(key=lambda x: (x.last_name, x.first_name, x.case_code))
    return out


def show_client(vault: Any, case_code: str, *, source: str = "cli", on: dt.date | None = None) -> dict[str, Any]:
    """Everything held on one client: every field, the nested records, derived values, the cases
    and the interviews (newest first)."""
    on = on or today()
    with vault.session() as s:
        rules = rules_mod.load(s)
        client = _get_client(s, case_code)
        out = record_json(client)
        for key, (model, plain) in NESTED.items():
            rows = list(s.execute(select(model).where(model.client_id == client.id).order_by(model.id)).scalars())
            if key == "residence_periods":
                rows.sort(key=lambda r: (r.valid_from or dt.date.min, r.id))
            if key in PLAIN_LISTS and plain is not None:
                out[key] = [getattr(r, plain) for r in rows]
            else:
                out[key] = [record_json(r, skip=CHILD_SKIP) for r in rows]
        for key, model in SINGLE.items():
            row = s.execute(select(model).where(model.client_id == client.id)).scalars().first()
            out[key] = record_json(row, skip=CHILD_SKIP) if row is not None else None
        cases = list(s.execute(select(M.Case).where(M.Case.client_id == client.id).order_by(M.Case.number)).scalars())
        case_ids = [k.id for k in cases]
        contacts = list(s.execute(select(M.Contact).where(M.Contact.case_id.in_(case_ids))
                                  .order_by(M.Contact.at.desc(), M.Contact.id.desc())).scalars()) if case_ids else []
        current = _current_case(cases)
        programme = rules.programme(current.funding_programme_id if current else None)
        periods = [PeriodFact(ResidenceStatus(p["status"]), _d(p["valid_from"]), _d(p["valid_until"]))
                   for p in out["residence_periods"]]
        period = current_period(periods, on)
        out["residence_status"] = period.status.value if period else None
        out["residence_valid_until"] = period.valid_until.isoformat() if period and period.valid_until else None
        counting = rules.ruleset.rules.get("P25A_COUNTING_STATUSES")
        schools = [SchoolFact(e["country"], _d(e["start_date"]), _d(e["end_date"]), bool(e["attendance_ok"]))
                   for e in out["education_records"]]
        out.update({
            "age": _age(client.birth_date, on),
            "target_group": _target_group(client.birth_date, on, out["residence_status"], client.exclusion_outcome, programme),
            "leaves_target_group_on": leaves_band_on(client.birth_date, programme.rules).isoformat(),
            "last_day_before_27th_birthday": last_day_before_birthday(client.birth_date, 27).isoformat(),
            "duldung_days_counting": counting_days(periods, on, counting.value) if counting else None,
            "school_years_in_germany": round(school_days_in_germany(schools, on) / 365.25, 1),
            "programme": programme.key,
            "programme_name": programme.name,
        })
        case_json = []
        for k in cases:
            item = record_json(k)
            item["programme"] = rules.programme_key_by_id.get(k.funding_programme_id or "")
            case_json.append(item)
        from gk_desktop.services.contacts import contact_json as _contact_json
        from gk_desktop.services.contacts import need_areas_of

        areas = need_areas_of(s, [x.id for x in contacts])
        contact_json = [_contact_json(x, areas.get(x.id, [])) for x in contacts]
        vault.record_event("view", session=s, source=source, target_table="client", target_id=client.id)
        s.commit()
    from gk_desktop.services.documents import list_documents

    docs = [d.as_json() for d in list_documents(vault, client_id=client.id)]
    return {"client": out, "cases": case_json, "contacts": contact_json, "documents": docs}


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


__all__ = [
    "AddResult", "ClientRow", "DuplicateHit", "add_client", "check_duplicates", "find_possible_duplicates",
    "list_clients", "show_client", "update_client", "records",
]


# --------------------------------------------------------------------------- first-contact preview


@dataclass(frozen=True)
class TargetGroupPreview:
    """What the first-contact form shows as the fields fill in."""

    target_group: str | None  # None until a birth date is known
    age: int | None
    leaves_target_group_on: dt.date | None
    programme_name: str
    hints: list[str]


def preview_target_group(rules: rules_mod.VaultRules, birth: dt.date | None, status: str | None,
                         exclusion: str | None, on: dt.date | None = None,
                         fictitious: bool = False) -> TargetGroupPreview:
    """Target group and hints for the first-contact form; pure given the rules (no I/O)."""
    on = on or today()
    programme = rules.programme(None)
    band = programme.rules
    hints: list[str] = []
    if birth is None:
        return TargetGroupPreview(None, None, None, programme.name, hints)
    if birth > on:
        return TargetGroupPreview(None, None, None, programme.name, [_("The birth date lies in the future.")])
    age = age_on(birth, on)
    leaves = leaves_band_on(birth, band)
    group = _target_group(birth, on, status, exclusion, programme)
    if age < band.age_min:
        hints.append(_("Younger than {n}: not yet in the target group (from {date}).").format(
            n=band.age_min, date=f"{enters_band_on(birth, band):%d.%m.%Y}"))
    elif on >= leaves:
        hints.append(_("Older than {n}: outside the programme's age band.").format(n=band.age_max))
    else:
        days = (leaves - on).days
        if days <= 365:
            hints.append(_("Leaves the target group on {date} (in {days} days).").format(date=f"{leaves:%d.%m.%Y}", days=days))
        last_25a = last_day_before_birthday(birth, 27)
        if on <= last_25a and (last_25a - on).days <= 365:
            hints.append(_("Last day before the 27th birthday: {date} (deadline for § 25a applications).").format(
                date=f"{last_25a:%d.%m.%Y}"))
    if fictitious:
        hints.append(_("The birth date is fictitious: age and deadlines are approximate."))
    if status in (None, "", ResidenceStatus.UNBEKANNT.value):
        hints.append(_("Residence status not yet known: counselled, counted apart (SONSTIGE) until it is."))
    elif status == ResidenceStatus.ANKUNFTSNACHWEIS.value:
        hints.append(_("Still living in a Land reception centre? Then the person is excluded from the target group."))
    if exclusion in (None, ""):
        hints.append(_("Exclusion check not yet recorded (outcome only, never the reasons)."))
    elif exclusion != ExclusionOutcome.KEINE.value:
        hints.append(_("An exclusion applies: not in the target group."))
    return TargetGroupPreview(group, age, leaves, programme.name, hints)


def load_rules(vault: Any) -> rules_mod.VaultRules:
    with vault.session() as s:
        return rules_mod.load(s)
