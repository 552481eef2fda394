"""Legal rules and funding programmes as data with a "Stand" (DOMAIN.md §3 LegalRule).

This module parses and checks the seed (``gk_desktop/seed/legal_rules.json``) or any rule set of
the same shape; it reads no file itself. Seeded rows get fixed ids from their keys (UUIDv5), so
two devices seeded apart hold the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from gk_desktop.domain.enums import ResidenceStatus
from gk_desktop.domain.target_group import ProgrammeRules

UNITS = frozenset({"months", "years", "age", "date", "hours_per_week", "statuses"})


class RuleDataError(ValueError):
    """The rule data are malformed (names the rule, never a person)."""


@dataclass(frozen=True)
class LegalRule:
    key: str
    value: Any
    unit: str
    source: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    stand: dt.date


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    funding_authority: str
    rules: ProgrammeRules
    source: str
    stand: dt.date
    period_from: dt.date | None = None
    period_until: dt.date | None = None
    post_share_note: str = ""


@dataclass(frozen=True)
class RuleSet:
    rules: dict[str, LegalRule]
    programmes: dict[str, Programme]

    def value(self, key: str, on: dt.date | None = None) -> Any:
        rule = self.rules[key]
        if on is not None and ((rule.valid_from and on < rule.valid_from) or (rule.valid_until and on > rule.valid_until)):
            raise RuleDataError(f"rule {key} is not valid on {on.isoformat()}")
        return rule.value


def _date(value: Any, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RuleDataError(f"{what}: not a date") from exc


def _statuses(values: Any, what: str) -> frozenset[ResidenceStatus]:
    try:
        return frozenset(ResidenceStatus(v) for v in values)
    except (TypeError, ValueError) as exc:
        raise RuleDataError(f"{what}: unknown residence status") from exc


def parse_rules(text: str) -> RuleSet:
    return parse_rule_data(json.loads(text))


def parse_rule_data(data: dict[str, Any]) -> RuleSet:
    """The same checks on an already decoded rule set (e.g. built from the vault's rows)."""
    if data.get("format") != "gk-desktop-seed-legal-rules" or data.get("version") != 1:
        raise RuleDataError("not a rule set of this program")
    rules: dict[str, LegalRule] = {}
    for raw in data.get("rules", []):
        key = str(raw.get("key", ""))
        if not key or key in rules:
            raise RuleDataError(f"missing or repeated rule key {key!r}")
        unit = raw.get("unit")
        if unit not in UNITS:
            raise RuleDataError(f"{key}: unknown unit {unit!r}")
        value = raw.get("value")
        if unit == "date":
            value = _date(value, key)
        elif unit == "statuses":
            value = _statuses(value, key)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleDataError(f"{key}: expected a whole number")
        if not raw.get("source") or not raw.get("stand"):
            raise RuleDataError(f"{key}: every rule needs a source and a Stand")
        rules[key] = LegalRule(
            key=key, value=value, unit=unit, source=str(raw["source"]),
            valid_from=_date(raw["valid_from"], key) if raw.get("valid_from") else None,
            valid_until=_date(raw["valid_until"], key) if raw.get("valid_until") else None,
            stand=_date(raw["stand"], key),
        )
    programmes: dict[str, Programme] = {}
    for raw in data.get("programmes", []):
        key = str(raw.get("key", ""))
        age_min, age_max = raw.get("age_min"), raw.get("age_max")
        if not key or not isinstance(age_min, int) or not isinstance(age_max, int) or not 0 < age_min <= age_max:
            raise RuleDataError(f"programme {key!r}: bad age band")
        primary = _statuses(raw.get("primary_statuses", []), key)
        secondary = _statuses(raw.get("secondary_statuses", []), key)
        if primary & secondary:
            raise RuleDataError(f"programme {key}: a status is both primary and secondary")
        programmes[key] = Programme(
            key=key, name=str(raw.get("name", key)), funding_authority=str(raw.get("funding_authority", "")),
            rules=ProgrammeRules(age_min, age_max, primary, secondary),
            source=str(raw.get("source", "")), stand=_date(raw.get("stand"), key),
            period_from=_date(raw["period_from"], key) if raw.get("period_from") else None,
            period_until=_date(raw["period_until"], key) if raw.get("period_until") else None,
            post_share_note=str(raw.get("post_share_note", "")),
        )
    return RuleSet(rules, programmes)
