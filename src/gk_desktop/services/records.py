"""JSON ⇄ records: the keys of DOMAIN.md §3 in snake_case, dates ISO, enumerations by identifier.

One generic converter for every record the command line and the GUI read and write. Input is
checked field by field; every problem is collected with its path (``residence_periods[1].valid_until``)
and reported together, never with the value itself (it may be personal data).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Text, inspect

from gk_desktop.domain import enums as E
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _
from gk_desktop.storage import models as M

BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

# Columns holding an enumeration identifier.
ENUM_COLUMNS: dict[tuple[type, str], type[enum.Enum]] = {
    (M.Client, "gender"): E.Gender,
    (M.Client, "housing_type"): E.HousingType,
    (M.Client, "preferred_contact_channel"): E.ContactChannel,
    (M.Client, "exclusion_outcome"): E.ExclusionOutcome,
    (M.ClientNameVariant, "kind"): E.NameVariantKind,
    (M.ClientLanguage, "level"): E.LanguageLevel,
    (M.ResidencePeriod, "status"): E.ResidenceStatus,
    (M.ResidencePeriod, "employment_permission"): E.EmploymentPermission,
    (M.ResidencePeriod, "source"): E.InfoSource,
    (M.AsylumProcedure, "stage"): E.AsylumStage,
    (M.IdentityStatus, "clarified"): E.IdentityClarified,
    (M.IdentityEffort, "action"): E.IdentityAction,
    (M.EducationRecord, "qualification"): E.Qualification,
    (M.LanguageCertificate, "skill"): E.LanguageSkill,
    (M.WorkRecord, "type"): E.WorkType,
    (M.WorkRecord, "end_reason"): E.WorkEndReason,
    (M.WorkRecord, "income_covers"): E.IncomeCoverage,
    (M.PersonalContact, "relation"): E.PersonalRelation,
    (M.Case, "phase"): E.CasePhase,
    (M.Case, "case_type"): E.CaseType,
    (M.Case, "access_route"): E.AccessRoute,
    (M.Case, "closure_reason"): E.ClosureReason,
    (M.Case, "destination"): E.Destination,
    (M.Contact, "contact_type"): E.ContactType,
    (M.Contact, "interpreter"): E.InterpreterType,
    (M.ContactNeedArea, "need_area"): E.NeedArea,
    (M.Document, "doc_type"): E.DocumentType,
    (M.Document, "source"): E.DocumentSource,
}
# Certificates know levels A1–C2 only.
CERTIFICATE_LEVELS = frozenset(level.value for level in E.CERTIFICATE_LEVELS)
COUNTRY_COLUMNS = frozenset({(M.Client, "country_of_origin"), (M.ClientNationality, "country"),
                             (M.EducationRecord, "country")})
# Pairs (from, until) that must not run backwards.
DATE_ORDER: dict[type, tuple[tuple[str, str], ...]] = {
    M.ResidencePeriod: (("valid_from", "valid_until"),),
    M.EducationRecord: (("start_date", "end_date"),),
    M.WorkRecord: (("start_date", "planned_end_date"), ("start_date", "actual_end_date")),
    M.Case: (("first_contact_on", "closed_on"),),
}


@dataclass
class Problems:
    """Collected input problems; raise them all at once."""

    items: list[str] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:20]
            more = len(self.items) - len(shown)
            lines = "\n".join("  - " + i for i in shown)
            if more:
                lines += "\n  - " + _("… and {n} more").format(n=more)
            raise InputRejectedError(_("The input was rejected; nothing was changed:") + "\n" + lines)


def data_columns(model: type) -> list[Any]:
    return [c for c in inspect(model).columns if c.key not in BOOKKEEPING]


def parse_date(value: Any, path: str, problems: Problems) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(path, _("expected a date as YYYY-MM-DD"))
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.add(path, _("not a valid date (YYYY-MM-DD)"))
        return None
    if not EARLIEST <= day <= LATEST:
        problems.add(path, _("date out of range (1900 to 2100)"))
        return None
    return day


def parse_datetime(value: Any, path: str, problems: Problems) -> dt.datetime | None:
    """An ISO 8601 time with its offset (a time without one is ambiguous across DST)."""
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(path, _("expected a time as ISO 8601 with offset, e.g. 2026-11-25T09:30:00+01:00"))
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        problems.add(path, _("not a valid time (ISO 8601 with offset, e.g. 2026-11-25T09:30:00+01:00)"))
        return None
    if moment.tzinfo is None:
        problems.add(path, _("the time needs its offset, e.g. +01:00"))
        return None
    if not EARLIEST <= moment.date() <= LATEST:
        problems.add(path, _("date out of range (1900 to 2100)"))
        return None
    return moment.astimezone(dt.timezone.utc)


def parse_value(model: type, col: Any, value: Any, path: str, problems: Problems) -> Any:
    """One field from JSON, checked; returns None (and records a problem) when it is wrong."""
    if value is None:
        if not col.nullable and col.default is None:
            problems.add(path, _("required"))
        return None
    kind = col.type
    enum_cls = ENUM_COLUMNS.get((model, col.key))
    if enum_cls is not None:
        if not isinstance(value, str) or value.strip().upper() not in enum_cls.__members__:
            problems.add(path, _("unknown value; allowed: {values}").format(values=", ".join(enum_cls.__members__)))
            return None
        return value.strip().upper()
    if model is M.LanguageCertificate and col.key == "level":
        if not isinstance(value, str) or value.strip().upper() not in CERTIFICATE_LEVELS:
            problems.add(path, _("a certificate level is one of A1, A2, B1, B2, C1, C2"))
            return None
        return value.strip().upper()
    if isinstance(kind, M.UTCDateTime):
        return parse_datetime(value, path, problems)
    if isinstance(kind, Date):
        return parse_date(value, path, problems)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            problems.add(path, _("expected true or false"))
            return None
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10_000:
            problems.add(path, _("expected a whole number from 0"))
            return None
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            problems.add(path, _("expected a number from 0 to 100"))
            return None
        return float(value)
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            problems.add(path, _("expected text"))
            return None
        if (model, col.key) in COUNTRY_COLUMNS:
            code = value.strip().upper()
            if len(code) != 2 or not code.isascii() or not code.isalpha():
                problems.add(path, _("expected a two-letter country code (ISO 3166, e.g. SY, AF, DE)"))
                return None
            return code
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            problems.add(path, _("too long (at most {n} characters)").format(n=length))
            return None
        if len(value) > 100_000:
            problems.add(path, _("too long (at most {n} characters)").format(n=100_000))
            return None
        return value
    problems.add(path, _("cannot be set"))  # pragma: no cover - every column type is covered
    return None


def parse_record(
    model: type,
    data: Any,
    path: str,
    problems: Problems,
    *,
    partial: bool = False,
    ignore: frozenset[str] = frozenset(),
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The fields of one record from a JSON object.

    ``partial``: only the given keys (an update); otherwise missing required fields are problems.
    ``ignore``: keys accepted and dropped (ids, derived values a ``show`` prints); ``skip``:
    columns the caller fills itself (``client_id``).
    """
    if not isinstance(data, dict):
        problems.add(path, _("expected an object"))
        return {}
    cols = {c.key: c for c in data_columns(model) if c.key not in skip}
    unknown = sorted(k for k in data if k not in cols and k not in ignore and k not in BOOKKEEPING)
    for key in unknown:
        problems.add(f"{path}.{key}" if path else key, _("unknown key"))
    out: dict[str, Any] = {}
    for key, col in cols.items():
        sub = f"{path}.{key}" if path else key
        if key in data:
            value = parse_value(model, col, data[key], sub, problems)
            if value is not None or col.nullable:
                out[key] = value
        elif not partial and not col.nullable and col.default is None:
            problems.add(sub, _("required"))
    for start, end in DATE_ORDER.get(model, ()):
        a, b = out.get(start), out.get(end)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
            problems.add(f"{path}.{end}" if path else end, _("lies before {field}").format(field=start))
    for key in ("first_name", "last_name", "name"):
        if key in out and isinstance(out[key], str):
            out[key] = " ".join(out[key].split())
            if not out[key] and not cols[key].nullable:
                problems.add(f"{path}.{key}" if path else key, _("must not be empty"))
    return out


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plain_json(row: Any) -> dict[str, Any]:
    """The fields of a slots dataclass the services hand out, as JSON: tuples as lists, dates ISO."""
    out: dict[str, Any] = {}
    for key in row.__slots__:
        value = getattr(row, key)
        out[key] = list(value) if isinstance(value, tuple) else to_json_value(value)
    return out


def record_json(obj: Any, *, skip: frozenset[str] = frozenset(), with_id: bool = True) -> dict[str, Any]:
    """Every data field of a record (``id`` first), in column order."""
    out: dict[str, Any] = {"id": obj.id} if with_id else {}
    for col in data_columns(type(obj)):
        if col.key not in skip:
            out[col.key] = to_json_value(getattr(obj, col.key))
    return out
