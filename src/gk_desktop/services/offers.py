"""Angebote und Kooperationspartner: the regional directory (DOMAIN.md §3 Offer, Partner).

- Partners (with contact persons) and offers are added, changed and listed here for the GUI and
  the CLI; lists (eligible residence statuses, languages) are JSON arrays of identifiers in the
  vault and ``|``-separated in CSV.
- CSV import and export (CLI.md `offers import|export`): ``;``-separated, UTF-8 with BOM, CRLF, a
  header row of offer field identifiers. Export is byte-stable (fixed columns, rows sorted by
  category, name and id). Import is all-or-nothing: every row is checked first and any problem
  refuses the whole file with the rows and reasons.
- Eligibility: which offers fit a client's age, current residence status, German level and school
  qualification today, and for the others why not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import select

from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import (
    CERTIFICATE_LEVELS,
    OfferCategory,
    PartnerType,
    Qualification,
    ResidenceStatus,
    SecureChannel,
)
from gk_desktop import labels
from gk_desktop.domain.folding import fold
from gk_desktop.domain.periods import current_period
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.services.records import Problems, parse_record, record_json
from gk_desktop.storage import models as M

LIST_SEPARATOR = "|"
CSV_COLUMNS = (
    "id", "name", "category", "partner_id", "provider", "target_group", "age_min", "age_max", "statuses",
    "min_language_level", "min_qualification", "prerequisites", "cost", "place", "schedule", "runs_from",
    "runs_until", "capacity_note", "languages", "verified_on",
)
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 10_000
LEVEL_RANK = {level.value: i for i, level in enumerate(CERTIFICATE_LEVELS)}
CERTIFICATE_RANKS = frozenset(LEVEL_RANK)  # what an offer may require (A1–C2)
LEVEL_RANK["MUTTERSPRACHE"] = len(CERTIFICATE_LEVELS)
# School qualifications in order; BERUFSABSCHLUSS ranks above every school leaving certificate,
# a foreign one is not ranked (to clarify: recognition).
QUALIFICATION_RANK = {q: i for i, q in enumerate(("KEINER", "HSA_9", "HSA_10", "FOR_MSA", "FHR", "AHR"))}
QUALIFICATION_RANK["BERUFSABSCHLUSS"] = len(QUALIFICATION_RANK)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


# --------------------------------------------------------------------------- plain rows


@dataclass(frozen=True, slots=True)
class PartnerRow:
    id: str
    name: str
    partner_type: str
    address: str
    phone: str | None
    email: str | None
    alliance_member: bool
    note: str
    seeded: bool
    contacts: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "partner_type": self.partner_type, "address": self.address,
                "phone": self.phone, "email": self.email, "alliance_member": self.alliance_member,
                "note": self.note, "contacts": [dict(c) for c in self.contacts]}


@dataclass(frozen=True, slots=True)
class OfferRow:
    id: str
    name: str
    category: str
    partner_id: str | None
    provider: str
    target_group: str
    age_min: int | None
    age_max: int | None
    statuses: tuple[str, ...]
    min_language_level: str | None
    min_qualification: str | None
    prerequisites: str
    cost: str
    place: str
    schedule: str
    runs_from: dt.date | None
    runs_until: dt.date | None
    capacity_note: str
    languages: tuple[str, ...]
    verified_on: dt.date | None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in CSV_COLUMNS:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass(frozen=True, slots=True)
class Eligibility:
    offer: OfferRow
    fits: bool
    reasons: tuple[str, ...]  # why it does not fit (empty when it fits)
    notes: tuple[str, ...]  # what to check although it fits


def _partner_row(p: Any, contacts: list[Any], seeded: set[str]) -> PartnerRow:
    return PartnerRow(p.id, p.name, p.partner_type, p.address, p.phone, p.email, p.alliance_member, p.note,
                      p.id in seeded, tuple(record_json(c, skip=frozenset({"partner_id"})) for c in contacts))


def _offer_row(o: Any, partner_names: dict[str, str]) -> OfferRow:
    return OfferRow(
        id=o.id, name=o.name, category=o.category, partner_id=o.partner_id,
        provider=partner_names.get(o.partner_id or "", ""), target_group=o.target_group, age_min=o.age_min,
        age_max=o.age_max, statuses=tuple(json.loads(o.statuses_json or "[]")),
        min_language_level=o.min_language_level, min_qualification=o.min_qualification,
        prerequisites=o.prerequisites, cost=o.cost, place=o.place, schedule=o.schedule, runs_from=o.runs_from,
        runs_until=o.runs_until, capacity_note=o.capacity_note, languages=tuple(json.loads(o.languages_json or "[]")),
        verified_on=o.verified_on)


def _seeded_partner_ids() -> set[str]:
    from gk_desktop.storage.seed import network_seed, partner_id

    return {partner_id(p["key"]) for p in network_seed()["partners"]}


# --------------------------------------------------------------------------- partners


def list_partners(vault: Any) -> list[PartnerRow]:
    with vault.session() as s:
        partners = list(s.execute(select(M.Partner)).scalars())
        contacts: dict[str, list[Any]] = {}
        for c in s.execute(select(M.PartnerContact).order_by(M.PartnerContact.name, M.PartnerContact.id)).scalars():
            contacts.setdefault(c.partner_id, []).append(c)
        seeded = _seeded_partner_ids()
        rows = [_partner_row(p, contacts.get(p.id, []), seeded) for p in partners]
    rows.sort(key=lambda r: (fold(r.name), r.id))
    return rows


PARTNER_CONTACT_KEYS = frozenset({"contacts"})


def _parse_partner(data: Any, problems: Problems, *, partial: bool) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    values = parse_record(M.Partner, data, "", problems, partial=partial, ignore=PARTNER_CONTACT_KEYS | {"id"})
    for key in ("phone", "email"):
        if isinstance(values.get(key), str) and not values[key].strip():
            values[key] = None
    if "partner_type" in values and values["partner_type"] not in PartnerType.__members__:
        problems.add("partner_type", _("unknown value; allowed: {values}").format(values=", ".join(PartnerType.__members__)))
    contacts = None
    if "contacts" in data:
        contacts = []
        raw = data["contacts"]
        if not isinstance(raw, list):
            problems.add("contacts", _("expected a list"))
        else:
            for i, item in enumerate(raw):
                c = parse_record(M.PartnerContact, item, f"contacts[{i}]", problems, skip=frozenset({"partner_id"}),
                                 ignore=frozenset({"id"}))
                for key in ("phone", "email", "secure_channel"):
                    if isinstance(c.get(key), str) and not c[key].strip():
                        c[key] = None
                channel = c.get("secure_channel")
                if channel is not None and channel not in SecureChannel.__members__:
                    problems.add(f"contacts[{i}].secure_channel", _("unknown value; allowed: {values}").format(
                        values=", ".join(SecureChannel.__members__)))
                if isinstance(item, dict) and item.get("id"):
                    c["id"] = str(item["id"])
                contacts.append(c)
    return values, contacts


def save_partner(vault: Any, data: Any, partner_id: str | None = None, *, source: str = "cli") -> str:
    """Add a partner (``partner_id`` None) or change the given fields of one; ``contacts``, when
    given, replaces its contact persons (those named by id are changed in place)."""
    problems = Problems()
    values, contacts = _parse_partner(data, problems, partial=partner_id is not None)
    problems.raise_if_any()
    with vault.session() as s:
        if partner_id is None:
            partner = M.Partner(**values)
            s.add(partner)
            s.flush()
            kind = "create"
        else:
            partner = s.get(M.Partner, partner_id)
            if partner is None:
                raise NotFoundError(_("No partner with this id."))
            for k, v in values.items():
                if getattr(partner, k) != v:
                    setattr(partner, k, v)
            kind = "update"
        if contacts is not None:
            existing = {c.id: c for c in s.execute(select(M.PartnerContact).where(
                M.PartnerContact.partner_id == partner.id)).scalars()}
            keep = set()
            for i, c in enumerate(contacts):
                cid = c.pop("id", None)
                if cid is not None:
                    target = existing.get(cid)
                    if target is None:
                        problems.add(f"contacts[{i}].id", _("no such contact person of this partner"))
                        continue
                    keep.add(cid)
                    for k, v in c.items():
                        if getattr(target, k) != v:
                            setattr(target, k, v)
                else:
                    s.add(M.PartnerContact(partner_id=partner.id, **c))
            for cid, c in existing.items():
                if cid not in keep:
                    s.delete(c)
        if problems.items:
            s.rollback()
            problems.raise_if_any()
        vault.record_event(kind, session=s, source=source, target_table="partner", target_id=partner.id)
        s.commit()
        return partner.id


def delete_partner(vault: Any, partner_id: str, *, source: str = "cli") -> None:
    """Only a partner nothing refers to (no offer, consent, disclosure); never a seeded one."""
    with vault.session() as s:
        partner = s.get(M.Partner, partner_id)
        if partner is None:
            raise NotFoundError(_("No partner with this id."))
        if partner_id in _seeded_partner_ids():
            raise InputRejectedError(_("This partner comes with the app; change its name and address instead."))
        for model, label in ((M.Offer, _("offers")), (M.Consent, _("consents")), (M.Disclosure, _("disclosures"))):
            if s.execute(select(model.id).where(model.partner_id == partner_id).limit(1)).first() is not None:
                raise InputRejectedError(_("The partner is still named in {what}; it cannot be deleted.").format(what=label))
        for c in s.execute(select(M.PartnerContact).where(M.PartnerContact.partner_id == partner_id)).scalars():
            s.delete(c)
        s.flush()  # the contacts first: the unit of work does not order deletes by foreign key
        s.delete(partner)
        vault.record_event("delete", session=s, source=source, target_table="partner", target_id=partner_id)
        s.commit()


# --------------------------------------------------------------------------- offers


def _partner_names(session: Any) -> dict[str, str]:
    return dict(session.execute(select(M.Partner.id, M.Partner.name)).all())


def list_offers(vault: Any) -> list[OfferRow]:
    with vault.session() as s:
        names = _partner_names(s)
        rows = [_offer_row(o, names) for o in s.execute(select(M.Offer)).scalars()]
    rows.sort(key=lambda r: (r.category, fold(r.name), r.id))
    return rows


def get_offer(vault: Any, offer_id: str) -> OfferRow:
    with vault.session() as s:
        offer = s.get(M.Offer, offer_id)
        if offer is None:
            raise NotFoundError(_("No offer with this id."))
        return _offer_row(offer, _partner_names(s))


def _split(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
    return None


def parse_offer(data: dict[str, Any], problems: Problems, *, partial: bool = False) -> dict[str, Any]:
    """Offer fields from JSON (or a CSV row as strings: numbers and dates are converted)."""
    def sub(key: str) -> str:
        return key

    given = {k: v for k, v in data.items() if k not in ("id", "provider", "statuses", "languages")}
    for key in ("age_min", "age_max"):
        if isinstance(given.get(key), str):
            text = given[key].strip()
            if text == "":
                given[key] = None
            elif text.isdigit():
                given[key] = int(text)
    for key in ("runs_from", "runs_until", "verified_on", "min_language_level", "min_qualification", "partner_id"):
        if given.get(key) == "":
            given[key] = None
    values = parse_record(M.Offer, given, "", problems, partial=partial,
                          skip=frozenset({"statuses_json", "languages_json"}))
    if values.get("category") is not None and values["category"] not in OfferCategory.__members__:
        problems.add(sub("category"), _("unknown value; allowed: {values}").format(values=", ".join(OfferCategory.__members__)))
    for key in ("age_min", "age_max"):
        v = values.get(key)
        if isinstance(v, int) and not 0 <= v <= 99:
            problems.add(sub(key), _("expected an age from 0 to 99"))
    a, b = values.get("age_min"), values.get("age_max")
    if isinstance(a, int) and isinstance(b, int) and b < a:
        problems.add(sub("age_max"), _("lies below {field}").format(field="age_min"))
    level = values.get("min_language_level")
    if level is not None and level.upper() not in CERTIFICATE_RANKS:
        problems.add(sub("min_language_level"), _("a level is one of A1, A2, B1, B2, C1, C2"))
    elif level is not None:
        values["min_language_level"] = level.upper()
    qual = values.get("min_qualification")
    if qual is not None and qual.upper() not in Qualification.__members__:
        problems.add(sub("min_qualification"), _("unknown value; allowed: {values}").format(
            values=", ".join(Qualification.__members__)))
    elif qual is not None:
        values["min_qualification"] = qual.upper()
    r1, r2 = values.get("runs_from"), values.get("runs_until")
    if isinstance(r1, dt.date) and isinstance(r2, dt.date) and r2 < r1:
        problems.add(sub("runs_until"), _("lies before {field}").format(field="runs_from"))
    if "statuses" in data:
        statuses = _split(data["statuses"])
        if statuses is None:
            problems.add(sub("statuses"), _("expected a list"))
        else:
            bad = [x for x in statuses if x.upper() not in ResidenceStatus.__members__]
            if bad:
                problems.add(sub("statuses"), _("unknown status {values}").format(values=", ".join(bad)))
            values["statuses_json"] = json.dumps(sorted({x.upper() for x in statuses}))
    if "languages" in data:
        languages = _split(data["languages"])
        if languages is None:
            problems.add(sub("languages"), _("expected a list"))
        else:
            bad = [x for x in languages if not LANGUAGE_CODE.match(x.lower())]
            if bad:
                problems.add(sub("languages"), _("expected language codes such as de, ar, fa (ISO 639)"))
            values["languages_json"] = json.dumps(sorted({x.lower() for x in languages}))
    if isinstance(values.get("name"), str):
        values["name"] = " ".join(values["name"].split())
        if not values["name"]:
            problems.add(sub("name"), _("must not be empty"))
    return values


def save_offer(vault: Any, data: Any, offer_id: str | None = None, *, source: str = "cli") -> str:
    """Add an offer or change the given fields of one (JSON keys as ``OfferRow.as_json``)."""
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    problems = Problems()
    values = parse_offer(data, problems, partial=offer_id is not None)
    problems.raise_if_any()
    with vault.session() as s:
        if values.get("partner_id") and s.get(M.Partner, values["partner_id"]) is None:
            problems.add("partner_id", _("no such partner"))
            problems.raise_if_any()
        if offer_id is None:
            offer = M.Offer(**values)
            s.add(offer)
            s.flush()
            kind = "create"
        else:
            offer = s.get(M.Offer, offer_id)
            if offer is None:
                raise NotFoundError(_("No offer with this id."))
            merged = {c.key: getattr(offer, c.key) for c in M.Offer.__table__.columns} | values
            for lo, hi, field in (("age_min", "age_max", "age_min"), ("runs_from", "runs_until", "runs_from")):
                a, b = merged.get(lo), merged.get(hi)
                if a is not None and b is not None and b < a:
                    problems.add(hi, _("lies before {field}").format(field=field) if lo == "runs_from"
                                 else _("lies below {field}").format(field=field))
            problems.raise_if_any()
            for k, v in values.items():
                if getattr(offer, k) != v:
                    setattr(offer, k, v)
            kind = "update"
        vault.record_event(kind, session=s, source=source, target_table="offer", target_id=offer.id)
        s.commit()
        return offer.id


def delete_offer(vault: Any, offer_id: str, *, source: str = "cli") -> None:
    with vault.session() as s:
        offer = s.get(M.Offer, offer_id)
        if offer is None:
            raise NotFoundError(_("No offer with this id."))
        s.delete(offer)
        vault.record_event("delete", session=s, source=source, target_table="offer", target_id=offer_id)
        s.commit()


# --------------------------------------------------------------------------- CSV


def export_csv(vault: Any) -> bytes:
    """Every offer as CSV (CLI.md): byte-stable for the same data."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in list_offers(vault):
        out = []
        for key in CSV_COLUMNS:
            value = getattr(row, key)
            if value is None:
                out.append("")
            elif isinstance(value, tuple):
                out.append(_guard(LIST_SEPARATOR.join(value)))
            elif isinstance(value, dt.date):
                out.append(value.isoformat())
            else:
                out.append(_guard(str(value)))
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    partners_added: int


def _read_csv(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_CSV_BYTES:
        raise InputRejectedError(_("The file is larger than {n} MB. Nothing was changed.").format(n=MAX_CSV_BYTES // (1024 * 1024)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejectedError(_("The file is not UTF-8 text. Save it as CSV (UTF-8). Nothing was changed.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputRejectedError(_("The file is not a readable CSV file ({reason}). Nothing was changed.").format(
            reason=exc)) from exc
    if not rows:
        raise InputRejectedError(_("The file is empty. Nothing was changed."))
    header = [h.strip() for h in rows[0]]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    problems = []
    if unknown:
        problems.append(_("header: unknown columns {names} (allowed: {allowed})").format(
            names=", ".join(unknown), allowed=", ".join(CSV_COLUMNS)))
    if "name" not in header:
        problems.append(_("header: the column name is missing"))
    if len(set(header)) != len(header):
        problems.append(_("header: a column appears twice"))
    if problems:
        raise InputRejectedError(_("The file was refused; nothing was changed:") + "\n" + "\n".join("  - " + p for p in problems))
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(body) > MAX_CSV_ROWS:
        raise InputRejectedError(_("The file has more than {n} rows. Nothing was changed.").format(n=MAX_CSV_ROWS))
    out = []
    for line, r in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in r):
            continue
        out.append({h: _unguard(r[i]) if i < len(r) else "" for i, h in enumerate(header)}
                   | {"__cells__": str(len(r)), "__line__": str(line)})
    return out


# Cells a spreadsheet would run as a formula are written with a leading apostrophe (and read back
# without it), so an exported list is safe to open in Excel or LibreOffice.
_FORMULA_START = ("=", "+", "-", "@")


def _guard(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA_START and text[1:2] != "" else text


def import_csv(vault: Any, data: bytes, *, source: str = "cli") -> ImportResult:
    """Add or update every offer of the file, or nothing. A row whose ``id`` exists updates that
    offer; a new ``id`` (a UUID) is kept, so importing the same file twice changes nothing. The
    provider is the partner ``partner_id`` names, else the partner called ``provider`` (a new
    partner of type SONSTIGE when there is none by that name)."""
    rows = _read_csv(data)
    problems = Problems()
    parsed: list[tuple[int, str | None, dict[str, Any], str]] = []
    seen_ids: dict[str, int] = {}
    for row in rows:
        number = int(row.pop("__line__"))
        path = _("row {n}").format(n=number) + ": "
        cells = int(row.pop("__cells__"))
        if cells > len(row):
            problems.add(path.rstrip(": "), _("more cells than columns"))
        offer_id = row.get("id", "").strip() or None
        if offer_id is not None:
            try:
                offer_id = str(uuid.UUID(offer_id))
            except ValueError:
                problems.add(path + "id", _("not an id (UUID)"))
                offer_id = None
            if offer_id in seen_ids:
                problems.add(path + "id", _("the same id as row {n}").format(n=seen_ids[offer_id]))
            elif offer_id is not None:
                seen_ids[offer_id] = number
        seen = len(problems.items)
        values = parse_offer({k: v for k, v in row.items() if k != "id"}, problems)
        problems.items[seen:] = [path + item for item in problems.items[seen:]]
        parsed.append((number, offer_id, values, row.get("provider", "").strip()))
    problems.raise_if_any()
    added = updated = partners_added = 0
    with vault.session() as s:
        by_name = {fold(name): pid for pid, name in _partner_names(s).items()}
        for number, offer_id, values, provider in parsed:
            pid = values.get("partner_id")
            if pid and s.get(M.Partner, pid) is None:
                if not provider:
                    problems.add(_("row {n}").format(n=number) + ": partner_id", _("no such partner"))
                    continue
                pid = None
            if not pid and provider:
                pid = by_name.get(fold(provider))
                if pid is None:
                    partner = M.Partner(name=" ".join(provider.split()), partner_type=PartnerType.SONSTIGE.value)
                    s.add(partner)
                    s.flush()
                    pid = by_name[fold(provider)] = partner.id
                    partners_added += 1
            values["partner_id"] = pid or None
            offer = s.get(M.Offer, offer_id) if offer_id else None
            if offer is None:
                s.add(M.Offer(id=offer_id, **values) if offer_id else M.Offer(**values))
                added += 1
            else:
                changed = False
                for k, v in values.items():
                    if getattr(offer, k) != v:
                        setattr(offer, k, v)
                        changed = True
                updated += changed
        if problems.items:
            s.rollback()
            problems.raise_if_any()
        vault.record_event("import", session=s, source=source, target_table="offer")
        s.commit()
    return ImportResult(added, updated, partners_added)


# --------------------------------------------------------------------------- eligibility


@dataclass(frozen=True)
class ClientFacts:
    age: int | None
    status: str | None
    german_rank: int | None  # LEVEL_RANK of the best German level known
    qualification_rank: int | None  # QUALIFICATION_RANK of the best school qualification
    foreign_qualification: bool


def client_facts(session: Any, client_id: str, on: dt.date) -> ClientFacts:
    from gk_desktop.domain.target_group import age_on

    client = session.get(M.Client, client_id)
    if client is None:
        raise NotFoundError(_("No client with this case code."))
    periods = list(session.execute(select(M.ResidencePeriod).where(M.ResidencePeriod.client_id == client_id)).scalars())
    period = current_period(periods, on)
    levels = [lang.level for lang in session.execute(select(M.ClientLanguage).where(
        M.ClientLanguage.client_id == client_id, M.ClientLanguage.language == "de")).scalars() if lang.level]
    levels += [c.level for c in session.execute(select(M.LanguageCertificate).where(
        M.LanguageCertificate.client_id == client_id, M.LanguageCertificate.language == "de")).scalars()
        if c.date is None or c.date <= on]
    ranks = [LEVEL_RANK[lv] for lv in levels if lv in LEVEL_RANK]
    quals = [e.qualification for e in session.execute(select(M.EducationRecord).where(
        M.EducationRecord.client_id == client_id)).scalars() if e.qualification]
    qranks = [QUALIFICATION_RANK[q] for q in quals if q in QUALIFICATION_RANK]
    return ClientFacts(
        age=age_on(client.birth_date, on), status=period.status if period else None,
        german_rank=max(ranks) if ranks else None, qualification_rank=max(qranks) if qranks else None,
        foreign_qualification="AUSLAENDISCH" in quals)


def eligibility(offer: OfferRow, facts: ClientFacts, on: dt.date) -> Eligibility:
    reasons: list[str] = []
    notes: list[str] = []
    if offer.runs_until is not None and offer.runs_until < on:
        reasons.append(_("ended on {date}").format(date=offer.runs_until.strftime("%d.%m.%Y")))
    elif offer.runs_from is not None and offer.runs_from > on:
        notes.append(_("starts on {date}").format(date=offer.runs_from.strftime("%d.%m.%Y")))
    if facts.age is not None:
        if offer.age_min is not None and facts.age < offer.age_min:
            reasons.append(_("from age {min}; the client is {age}").format(min=offer.age_min, age=facts.age))
        if offer.age_max is not None and facts.age > offer.age_max:
            reasons.append(_("up to age {max}; the client is {age}").format(max=offer.age_max, age=facts.age))
    if offer.statuses:
        if facts.status is None:
            notes.append(_("residence status unknown: the offer is open to some statuses only"))
        elif facts.status not in offer.statuses:
            reasons.append(_("not open to the client's residence status ({status})").format(
                status=labels.label(labels.RESIDENCE_STATUS_SHORT, facts.status)))
    if offer.min_language_level:
        need = LEVEL_RANK[offer.min_language_level]
        if facts.german_rank is None:
            notes.append(_("needs German {level}; no German level recorded").format(level=offer.min_language_level))
        elif facts.german_rank < need:
            reasons.append(_("needs German {level}; the client has a lower level").format(level=offer.min_language_level))
    if offer.min_qualification:
        need = QUALIFICATION_RANK.get(offer.min_qualification)
        if need is not None:
            if facts.qualification_rank is None:
                if facts.foreign_qualification:
                    notes.append(_("needs {qualification}: check the recognition of the foreign qualification").format(
                        qualification=labels.label(labels.QUALIFICATION, offer.min_qualification)))
                else:
                    notes.append(_("needs {qualification}; no qualification recorded").format(
                        qualification=labels.label(labels.QUALIFICATION, offer.min_qualification)))
            elif facts.qualification_rank < need:
                reasons.append(_("needs {qualification}; the client's qualification is lower").format(
                    qualification=labels.label(labels.QUALIFICATION, offer.min_qualification)))
    return Eligibility(offer, not reasons, tuple(reasons), tuple(notes))


def matching_offers(vault: Any, client_id: str, on: dt.date | None = None,
                    categories: Iterable[str] | None = None) -> list[Eligibility]:
    """Every offer (of ``categories``, when given) checked against the client: fitting ones first."""
    on = on or today()
    wanted = set(categories) if categories is not None else None
    with vault.session() as s:
        facts = client_facts(s, client_id, on)
    offers = [o for o in list_offers(vault) if wanted is None or o.category in wanted]
    results = [eligibility(o, facts, on) for o in offers]
    results.sort(key=lambda e: (not e.fits, e.offer.category, fold(e.offer.name)))
    return results


def categories_for_need_area(vault: Any, need_area: str) -> list[str]:
    """The offer categories whose offers serve ``need_area`` (seeded, editable data)."""
    with vault.session() as s:
        return sorted(key for key, areas in s.execute(select(M.OfferCategoryRow.key, M.OfferCategoryRow.need_areas_json))
                      if need_area in json.loads(areas or "[]"))


def offers_for_need(vault: Any, need_id: str, on: dt.date | None = None) -> list[Eligibility]:
    """"Passende Angebote" from a need: offers of a category that serves its need area, checked
    against the client's age, status, German level and qualification, with the reason for each
    one left out."""
    with vault.session() as s:
        need = s.get(M.Need, need_id)
        if need is None:
            raise NotFoundError(_("No such record."))
        assessment = s.get(M.Assessment, need.assessment_id)
        client_id = s.execute(select(M.Case.client_id).where(M.Case.id == assessment.case_id)).scalar_one()
        area = need.need_area
    return matching_offers(vault, client_id, on, categories_for_need_area(vault, area))
