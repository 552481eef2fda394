"""The legal rules and funding programmes the vault holds, as a checked domain RuleSet.

Every computed result (target group, later the residence checks and deadlines) reads its values
from here, so changing a rule's value in the vault changes every result computed from it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from gk_desktop.domain.legal_rules import Programme, RuleDataError, RuleSet, parse_rule_data
from gk_desktop.errors import IntegrityError
from gk_desktop.i18n import _
from gk_desktop.storage.models import FundingProgramme, LegalRuleRow
from gk_desktop.storage.seed import DEFAULT_PROGRAMME_KEY


@dataclass(frozen=True)
class VaultRules:
    ruleset: RuleSet
    programme_key_by_id: dict[str, str]
    default_programme_key: str

    def programme(self, programme_id: str | None) -> Programme:
        key = self.programme_key_by_id.get(programme_id or "", self.default_programme_key)
        return self.ruleset.programmes[key]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def load(session: Any) -> VaultRules:
    rules = []
    for r in session.execute(select(LegalRuleRow).order_by(LegalRuleRow.key)).scalars():
        rules.append({"key": r.key, "value": json.loads(r.value_json), "unit": r.unit, "source": r.source,
                      "valid_from": _iso(r.valid_from), "valid_until": _iso(r.valid_until), "stand": _iso(r.stand)})
    programmes = []
    ids: dict[str, str] = {}
    for p in session.execute(select(FundingProgramme).order_by(FundingProgramme.key)).scalars():
        ids[p.id] = p.key
        programmes.append({
            "key": p.key, "name": p.name, "funding_authority": p.funding_authority,
            "age_min": p.age_min, "age_max": p.age_max,
            "primary_statuses": json.loads(p.primary_statuses_json),
            "secondary_statuses": json.loads(p.secondary_statuses_json),
            "source": p.source, "stand": _iso(p.stand),
            "period_from": _iso(p.period_from), "period_until": _iso(p.period_until),
            "post_share_note": p.post_share_note,
        })
    try:
        ruleset = parse_rule_data({"format": "gk-desktop-seed-legal-rules", "version": 1,
                                   "rules": rules, "programmes": programmes})
    except RuleDataError as exc:
        raise IntegrityError(_("The legal rules in the vault are inconsistent ({detail}). Please check them in Settings.")
                             .format(detail=str(exc))) from exc
    if not ruleset.programmes:
        raise IntegrityError(_("The vault holds no funding programme. Please tell the IT support."))
    default = DEFAULT_PROGRAMME_KEY if DEFAULT_PROGRAMME_KEY in ruleset.programmes else sorted(ruleset.programmes)[0]
    return VaultRules(ruleset, ids, default)


# --------------------------------------------------------------------------- reading and editing

from gk_desktop.domain.enums import ResidenceStatus  # noqa: E402
from gk_desktop.domain.legal_rules import UNITS  # noqa: E402
from gk_desktop.errors import InputRejectedError, NotFoundError  # noqa: E402


@dataclass(frozen=True)
class RuleView:
    key: str
    value: Any  # int, ISO date string or list of status identifiers
    unit: str
    source: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    stand: dt.date


@dataclass(frozen=True)
class ProgrammeView:
    key: str
    name: str
    funding_authority: str
    age_min: int
    age_max: int
    primary_statuses: list[str]
    secondary_statuses: list[str]
    source: str
    stand: dt.date
    period_from: dt.date | None
    period_until: dt.date | None
    post_share_note: str


def list_rules(vault: Any) -> tuple[list[RuleView], list[ProgrammeView]]:
    with vault.session() as s:
        rules = [RuleView(r.key, json.loads(r.value_json), r.unit, r.source, r.valid_from, r.valid_until, r.stand)
                 for r in s.execute(select(LegalRuleRow).order_by(LegalRuleRow.key)).scalars()]
        progs = [ProgrammeView(p.key, p.name, p.funding_authority, p.age_min, p.age_max,
                               json.loads(p.primary_statuses_json), json.loads(p.secondary_statuses_json),
                               p.source, p.stand, p.period_from, p.period_until, p.post_share_note)
                 for p in s.execute(select(FundingProgramme).order_by(FundingProgramme.key)).scalars()]
    return rules, progs


def parse_rule_value(unit: str, value: Any) -> Any:
    """A rule value from the worker (text or JSON value), checked for its unit; returns the JSON value."""
    if unit not in UNITS:
        raise InputRejectedError(_("Unknown unit."))
    if unit == "statuses":
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise InputRejectedError(_("Please give at least one residence status."))
        out = []
        for item in items:
            name = str(item).strip().upper()
            if name not in ResidenceStatus.__members__:
                raise InputRejectedError(_("Unknown residence status: {name}").format(name=name[:40]))
            out.append(name)
        return sorted(set(out))
    if unit == "date":
        try:
            text_value = str(value).strip()
            if len(text_value) == 10 and text_value[2] == "." and text_value[5] == ".":
                day = dt.datetime.strptime(text_value, "%d.%m.%Y").date()
            else:
                day = dt.date.fromisoformat(text_value)
        except ValueError as exc:
            raise InputRejectedError(_("Not a valid date. Please enter it as DD.MM.YYYY.")) from exc
        return day.isoformat()
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or number < 0 or number > 1000:
        raise InputRejectedError(_("Please enter a whole number from 0 to 1000."))
    return number


def update_rule(vault: Any, key: str, value: Any, *, stand: dt.date | None = None,
                source: str | None = None) -> RuleView:
    """Change one rule's value (and its Stand, default today); the whole rule set is checked
    before anything is written."""
    from gk_desktop.domain.clock import today

    with vault.session() as s:
        row = s.execute(select(LegalRuleRow).where(LegalRuleRow.key == key)).scalars().first()
        if row is None:
            raise NotFoundError(_("No such rule."))
        new_value = parse_rule_value(row.unit, value)
        row.value_json = json.dumps(new_value, ensure_ascii=False)
        row.stand = stand or today()
        if source is not None:
            if not source.strip():
                raise InputRejectedError(_("The source note must not be empty."))
            row.source = source.strip()
        s.flush()
        load(s)  # refuses an inconsistent set before the commit
        s.commit()
        return RuleView(row.key, new_value, row.unit, row.source, row.valid_from, row.valid_until, row.stand)


def update_programme(vault: Any, key: str, *, age_min: int | None = None, age_max: int | None = None,
                     primary_statuses: Any = None, secondary_statuses: Any = None,
                     stand: dt.date | None = None) -> ProgrammeView:
    """Change a funding programme's age band or status lists; checked as a whole before writing."""
    from gk_desktop.domain.clock import today

    with vault.session() as s:
        row = s.execute(select(FundingProgramme).where(FundingProgramme.key == key)).scalars().first()
        if row is None:
            raise NotFoundError(_("No such funding programme."))
        lo = row.age_min if age_min is None else parse_rule_value("age", age_min)
        hi = row.age_max if age_max is None else parse_rule_value("age", age_max)
        if not 0 < lo <= hi:
            raise InputRejectedError(_("The age band must run from a lower to a higher age."))
        primary = json.loads(row.primary_statuses_json) if primary_statuses is None else parse_rule_value("statuses", primary_statuses)
        secondary = json.loads(row.secondary_statuses_json) if secondary_statuses is None else parse_rule_value("statuses", secondary_statuses)
        if set(primary) & set(secondary):
            raise InputRejectedError(_("A residence status cannot belong to both the primary and the secondary target group."))
        row.age_min, row.age_max = lo, hi
        row.primary_statuses_json = json.dumps(primary)
        row.secondary_statuses_json = json.dumps(secondary)
        row.stand = stand or today()
        s.flush()
        load(s)
        s.commit()
        return ProgrammeView(row.key, row.name, row.funding_authority, row.age_min, row.age_max, primary, secondary,
                             row.source, row.stand, row.period_from, row.period_until, row.post_share_note)
