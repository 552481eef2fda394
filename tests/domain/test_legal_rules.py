"""The shipped legal rules and programme parse, carry a Stand and a source, and match DOMAIN.md."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest

from gk_desktop.domain.enums import ResidenceStatus as RS
from gk_desktop.domain.legal_rules import RuleDataError, parse_rules


def _seed_text() -> str:
    return resources.files("gk_desktop.seed").joinpath("legal_rules.json").read_text(encoding="utf-8")


def test_seed_parses_with_stand_and_source() -> None:
    rules = parse_rules(_seed_text())
    assert len(rules.rules) >= 15
    for rule in rules.rules.values():
        assert rule.source and rule.stand
    assert rules.value("P25A_MIN_DULDUNG_MONTHS") == 12
    assert rules.value("P25A_APPLY_BEFORE_BIRTHDAY") == 27
    assert rules.value("P60D_ENTRY_BY") == dt.date(2022, 12, 31)
    assert RS.DULDUNG_60B not in rules.value("P25A_COUNTING_STATUSES")


def test_gk_programme_is_the_table_of_domain_md() -> None:
    gk = parse_rules(_seed_text()).programmes["GK_BAUSTEIN_6"].rules
    assert (gk.age_min, gk.age_max) == (18, 27)
    assert RS.DULDUNG_60B in gk.primary_statuses and RS.AUFENTHALTSGESTATTUNG in gk.secondary_statuses


@pytest.mark.parametrize("change", [
    lambda d: d["rules"][0].pop("stand"),
    lambda d: d["rules"][0].update(unit="weeks"),
    lambda d: d["rules"][0].update(value="zwölf"),
    lambda d: d["rules"].append(dict(d["rules"][0])),
    lambda d: d["programmes"][0].update(age_min=30),
    lambda d: d["programmes"][0]["secondary_statuses"].append("DULDUNG_60A"),
    lambda d: d["programmes"][0]["primary_statuses"].append("NO_SUCH_STATUS"),
])
def test_malformed_rule_data_is_refused(change) -> None:
    data = json.loads(_seed_text())
    change(data)
    with pytest.raises(RuleDataError):
        parse_rules(json.dumps(data))


def test_a_rule_outside_its_validity_is_not_used() -> None:
    rules = parse_rules(_seed_text())
    with pytest.raises(RuleDataError):
        rules.value("P25A_MIN_DULDUNG_MONTHS", on=dt.date(2020, 1, 1))
