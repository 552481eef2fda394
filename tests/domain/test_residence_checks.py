"""Residence-law checks (DOMAIN.md §3a): every pathway at the edges of its thresholds, the colour
rule, rule values as data, hand overrides, and properties of the light."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gk_desktop.domain import residence_checks as rc
from gk_desktop.domain.enums import (
    EmploymentPermission as EP,
    IdentityClarified as IC,
    IncomeCoverage as INC,
    LanguageLevel as LL,
    LanguageSkill as LS,
    Qualification as Q,
    ResidenceStatus as RS,
    WorkEndReason as WER,
    WorkType as WT,
)
from gk_desktop.domain.legal_rules import RuleSet
from gk_desktop.domain.residence_checks import (
    CertificateFact,
    CriterionStatus as CS,
    FileFacts,
    ResidenceFact,
    ResidencePathway as P,
    SchoolRecordFact,
    TrafficLight as TL,
    WorkFact,
    check,
    check_all,
    months_after,
    months_reached,
)
from gk_desktop.storage.seed import seed_rules

D = dt.date
ON = D(2026, 11, 25)
RULES = seed_rules()
DAY = dt.timedelta(days=1)


def with_rule(key: str, value, stand: dt.date | None = None) -> RuleSet:
    """The seed with one rule's value (and optionally its Stand) changed."""
    rule = RULES.rules[key]
    changed = dataclasses.replace(rule, value=value, stand=stand or rule.stand)
    return RuleSet({**RULES.rules, key: changed}, RULES.programmes)


def crit(result: rc.PathwayResult, key: str) -> rc.Criterion:
    return next(c for c in result.criteria if c.key == key)


def duldung(start: dt.date, until: dt.date | None = None, status: RS = RS.DULDUNG_60A,
            permission: EP = EP.ERLAUBT) -> ResidenceFact:
    return ResidenceFact(status, start, until, permission)


# --------------------------------------------------------------------------- § 25a

def facts_25a(**changes) -> FileFacts:
    """A young person meeting § 25a: Gestattung from entry, Duldung since 2024, German school-leaving
    qualification, born 2004."""
    base = FileFacts(
        birth_date=D(2004, 5, 10),
        entry_date=D(2019, 9, 1),
        periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), D(2023, 12, 31)), duldung(D(2024, 1, 1))),
        schools=(SchoolRecordFact("DE", D(2019, 9, 1), D(2022, 7, 31), True, Q.HSA_10),),
        identity_clarified=IC.JA,
    )
    return dataclasses.replace(base, **changes)


def test_25a_all_met_is_green_and_zu_klaeren_does_not_change_the_colour() -> None:
    result = check(P.P25A, facts_25a(), RULES, ON)
    assert result.light is TL.GRUEN
    assert result.possible_from is None
    assert result.deadline == D(2031, 5, 9)
    assert {c.key for c in result.criteria if c.status is CS.UNKLAR} == {"passport", "integration_prognosis"}
    assert all(not c.answerable for c in result.criteria if c.status is CS.UNKLAR)
    assert "Positive integration prognosis" in result.missing
    assert result.stand == D(2026, 11, 25)
    assert {"P25A_MIN_DULDUNG_MONTHS", "P25A_COUNTING_STATUSES", "GREEN_WITHIN_MONTHS"} <= set(result.rule_keys)


def test_25a_recorded_outcome_counts() -> None:
    assert check(P.P25A, facts_25a(outcomes={"integration_prognosis": "NEIN"}), RULES, ON).light is TL.ROT
    yes = check(P.P25A, facts_25a(outcomes={"integration_prognosis": "JA"}, passport_valid_until=ON), RULES, ON)
    assert crit(yes, "integration_prognosis").status is CS.ERFUELLT and crit(yes, "passport").status is CS.ERFUELLT
    assert check(P.P25A, facts_25a(passport_valid_until=ON - DAY), RULES, ON).light is TL.GRUEN


@pytest.mark.parametrize(("on", "status", "expected"), [
    (D(2026, 11, 24), CS.ABSEHBAR, D(2026, 11, 25)),
    (D(2026, 11, 25), CS.ERFUELLT, None),
])
def test_25a_duldung_twelve_months_edge(on, status, expected) -> None:
    facts = facts_25a(periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), D(2025, 11, 24)),
                               duldung(D(2025, 11, 25))))
    result = check(P.P25A, facts, RULES, on)
    c = crit(result, "duldung_months")
    assert (c.status, c.expected_date) == (status, expected)
    assert result.light is TL.GRUEN  # within 3 months
    assert result.possible_from == expected


def test_25a_60b_time_inside_the_duldung_does_not_count() -> None:
    periods = (duldung(D(2025, 1, 1), D(2025, 6, 30)),               # 181 days
               duldung(D(2025, 7, 1), D(2025, 12, 31), RS.DULDUNG_60B),
               duldung(D(2026, 1, 1)))                              # 181 days to 30 June 2026
    on = D(2026, 6, 30)
    c = crit(check(P.P25A, facts_25a(periods=periods, entry_date=D(2019, 9, 1)), RULES, on), "duldung_months")
    # 362 days that count: twelve months are complete as if they had begun on 4 July 2025.
    assert (c.status, c.expected_date) == (CS.ABSEHBAR, D(2026, 7, 4))
    counted = (periods[0], duldung(D(2025, 7, 1), D(2025, 12, 31)), periods[2])
    assert crit(check(P.P25A, facts_25a(periods=counted), RULES, on), "duldung_months").status is CS.ERFUELLT


def test_25a_duldung_missing_expired_or_not_counting() -> None:
    assert crit(check(P.P25A, facts_25a(periods=()), RULES, ON), "duldung_months").status is CS.UNKLAR
    expired = facts_25a(periods=(duldung(D(2026, 6, 1), D(2026, 9, 30)),))
    c = crit(check(P.P25A, expired, RULES, ON), "duldung_months")
    assert c.status is CS.UNKLAR and check(P.P25A, expired, RULES, ON).light is TL.GRAU
    gestattet = facts_25a(periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), None),))
    assert crit(check(P.P25A, gestattet, RULES, ON), "duldung_months").status is CS.NICHT_ERFUELLT


@pytest.mark.parametrize(("on", "status"), [(D(2026, 11, 24), CS.ABSEHBAR), (D(2026, 11, 25), CS.ERFUELLT)])
def test_25a_stay_three_years_edge(on, status) -> None:
    facts = facts_25a(entry_date=D(2023, 11, 25),
                      periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2023, 12, 1), D(2024, 6, 30)),
                               duldung(D(2024, 7, 1))))
    c = crit(check(P.P25A, facts, RULES, on), "stay_years")
    assert c.status is status
    assert c.expected_date == (D(2026, 11, 25) if status is CS.ABSEHBAR else None)


@pytest.mark.parametrize(("break_until", "start"), [
    (D(2022, 3, 31), D(2020, 1, 1)),   # three months: harmless
    (D(2022, 4, 1), D(2022, 4, 2)),    # one day longer: the stay starts again
])
def test_25a_break_in_the_stay(break_until, start) -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2020, 1, 1), D(2021, 12, 31)),
               ResidenceFact(RS.GRENZUEBERTRITTSBESCHEINIGUNG, D(2022, 1, 1), break_until),
               duldung(break_until + DAY))
    c = crit(check(P.P25A, facts_25a(entry_date=D(2020, 1, 1), periods=periods), RULES, D(2024, 12, 1)), "stay_years")
    assert c.value.args == (("start", start), ("years", 3))


def test_25a_a_stretch_without_papers_is_unclear() -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2020, 1, 1), D(2021, 12, 31)), duldung(D(2022, 6, 1)))
    result = check(P.P25A, facts_25a(entry_date=D(2020, 1, 1), periods=periods), RULES, ON)
    assert crit(result, "stay_years").status is CS.UNKLAR
    assert result.light is TL.GRAU


@pytest.mark.parametrize(("on", "status", "expected"), [
    (D(2026, 7, 31), CS.ABSEHBAR, D(2026, 8, 1)),
    (D(2026, 8, 1), CS.ERFUELLT, None),
])
def test_25a_school_three_years_edge(on, status, expected) -> None:
    schools = (SchoolRecordFact("DE", D(2023, 8, 1), None, True),
               SchoolRecordFact("SY", D(2015, 9, 1), D(2021, 6, 30), True, Q.AUSLAENDISCH))
    c = crit(check(P.P25A, facts_25a(schools=schools), RULES, on), "school_or_qualification")
    assert (c.status, c.expected_date) == (status, expected)


def test_25a_school_holidays_between_records_count_and_unsuccessful_years_do_not() -> None:
    years = tuple(SchoolRecordFact("DE", D(y, 8, 15), D(y + 1, 6, 30), True) for y in (2021, 2022))
    third = SchoolRecordFact("DE", D(2023, 8, 15), D(2024, 8, 14), True)
    c = crit(check(P.P25A, facts_25a(schools=years + (third,)), RULES, ON), "school_or_qualification")
    assert c.status is CS.ERFUELLT
    failed = dataclasses.replace(third, attendance_ok=False)
    assert crit(check(P.P25A, facts_25a(schools=years + (failed,)), RULES, ON),
                "school_or_qualification").status is CS.NICHT_ERFUELLT
    pending = dataclasses.replace(third, attendance_ok=None)
    assert crit(check(P.P25A, facts_25a(schools=years + (pending,)), RULES, ON),
                "school_or_qualification").status is CS.UNKLAR
    passed = WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2021, 8, 1), D(2024, 7, 31), D(2024, 6, 20), 39, WER.BESTANDEN)
    assert crit(check(P.P25A, facts_25a(schools=(), works=(passed,)), RULES, ON),
                "school_or_qualification").status is CS.ERFUELLT


def test_25a_school_ending_too_early_is_not_met() -> None:
    schools = (SchoolRecordFact("DE", D(2025, 8, 1), D(2027, 7, 31), True),)
    c = crit(check(P.P25A, facts_25a(schools=schools), RULES, ON), "school_or_qualification")
    assert c.status is CS.NICHT_ERFUELLT and c.to_clarify is not None


def _25a_duldung_from(start: dt.date, birth: dt.date) -> FileFacts:
    return facts_25a(birth_date=birth, periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), start - DAY),
                                                duldung(start)))


@pytest.mark.parametrize(("start", "light"), [
    (D(2026, 6, 14), TL.GELB),  # twelve months reached on 14.06.2027, the last day to apply
    (D(2026, 6, 15), TL.ROT),   # one day later: after the deadline
])
def test_25a_foreseeable_only_after_the_27th_birthday_is_red(start, light) -> None:
    result = check(P.P25A, _25a_duldung_from(start, D(2000, 6, 15)), RULES, ON)
    assert result.deadline == D(2027, 6, 14)
    assert crit(result, "duldung_months").status is CS.ABSEHBAR
    assert result.light is light
    assert result.late == (("duldung_months",) if light is TL.ROT else ())
    assert result.possible_from == start.replace(year=2027)


@pytest.mark.parametrize(("on", "status"), [(D(2027, 6, 14), CS.ERFUELLT), (D(2027, 6, 15), CS.NICHT_ERFUELLT)])
def test_25a_application_deadline_edge(on, status) -> None:
    result = check(P.P25A, facts_25a(birth_date=D(2000, 6, 15)), RULES, on)
    assert crit(result, "apply_before_birthday").status is status
    assert (result.light is TL.ROT) == (status is CS.NICHT_ERFUELLT)


def test_25a_29_february_and_fictitious_birth_dates() -> None:
    leap = check(P.P25A, facts_25a(birth_date=D(2004, 2, 29)), RULES, ON)
    assert leap.deadline == D(2031, 2, 28)  # 2031 is a common year: the 27th birthday is 1 March
    assert check(P.P25A, facts_25a(birth_date=D(2004, 2, 29)), RULES, D(2031, 3, 1)).light is TL.ROT
    fictitious = check(P.P25A, facts_25a(birth_date=D(2003, 1, 1), birth_date_fictitious=True), RULES, ON)
    assert fictitious.deadline == D(2029, 12, 31)
    c = crit(fictitious, "apply_before_birthday")
    assert c.status is CS.ERFUELLT and c.to_clarify is not None and "fictitious" in str(c.to_clarify)
    assert crit(leap, "apply_before_birthday").to_clarify is None


def test_25a_changed_rule_values_move_the_result() -> None:
    facts = facts_25a(periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), D(2025, 11, 24)),
                               duldung(D(2025, 11, 25))))
    assert check(P.P25A, facts, RULES, ON).light is TL.GRUEN
    longer = check(P.P25A, facts, with_rule("P25A_MIN_DULDUNG_MONTHS", 18, D(2027, 1, 15)), ON)
    assert crit(longer, "duldung_months").expected_date == D(2027, 5, 25)
    assert longer.light is TL.GELB and longer.possible_from == D(2027, 5, 25)
    assert longer.stand == D(2027, 1, 15)
    # Counting § 60b time as well (a changed status list) changes the days counted.
    periods = (duldung(D(2025, 1, 1), D(2025, 12, 31), RS.DULDUNG_60B), duldung(D(2026, 1, 1)))
    wider = with_rule("P25A_COUNTING_STATUSES", RULES.rules["P25A_COUNTING_STATUSES"].value | {RS.DULDUNG_60B})
    assert crit(check(P.P25A, facts_25a(periods=periods), RULES, ON), "duldung_months").status is CS.ABSEHBAR
    assert crit(check(P.P25A, facts_25a(periods=periods), wider, ON), "duldung_months").status is CS.ERFUELLT
    older = with_rule("P25A_APPLY_BEFORE_BIRTHDAY", 28)
    assert check(P.P25A, facts_25a(birth_date=D(2000, 6, 15)), older, D(2027, 6, 15)).deadline == D(2028, 6, 14)
    # The colour window is data too.
    soon = facts_25a(periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2019, 9, 1), D(2026, 2, 28)),
                              duldung(D(2026, 3, 1))))
    assert check(P.P25A, soon, RULES, ON).light is TL.GELB  # 01.03.2027 is more than 3 months away
    assert check(P.P25A, soon, with_rule("GREEN_WITHIN_MONTHS", 4), ON).light is TL.GRUEN


# --------------------------------------------------------------------------- overrides

def test_override_with_a_reason_changes_the_criterion_and_is_marked() -> None:
    facts = facts_25a(schools=(), overrides={
        (P.P25A, "school_or_qualification"): (CS.ERFUELLT, "Zeugnisse liegen der ABH vor"),
    })
    result = check(P.P25A, facts, RULES, ON)
    c = crit(result, "school_or_qualification")
    assert (c.status, c.overridden, c.reason) == (CS.ERFUELLT, True, "Zeugnisse liegen der ABH vor")
    assert str(c.value) == "School in Germany: 0 days that count (3 years needed)."  # what the file says
    assert result.light is TL.GRUEN
    assert not crit(result, "duldung_months").overridden
    # The same override does not touch another pathway.
    assert check(P.P25B, facts, RULES, ON).criteria == check(P.P25B, facts_25a(schools=()), RULES, ON).criteria
    later = facts_25a(overrides={(P.P25A, "stay_years"): ("ABSEHBAR", "Ausreise 2021 geklärt", D(2027, 3, 1))})
    c = crit(check(P.P25A, later, RULES, ON), "stay_years")
    assert (c.status, c.expected_date, c.overridden) == (CS.ABSEHBAR, D(2027, 3, 1), True)
    assert check(P.P25A, later, RULES, ON).light is TL.GELB


@pytest.mark.parametrize("override", [
    (CS.ERFUELLT, ""), (CS.ERFUELLT, "   "), (CS.ERFUELLT,), (CS.ERFUELLT, None), ("VIELLEICHT", "Grund"),
    (CS.ABSEHBAR, "Grund ohne Datum"),
])
def test_override_without_a_reason_or_malformed_raises(override) -> None:
    with pytest.raises(ValueError):
        facts_25a(overrides={(P.P25A, "stay_years"): override})


def test_unknown_override_keys_and_outcomes_raise() -> None:
    with pytest.raises(ValueError):
        facts_25a(overrides={(P.P25A, "no_such_criterion"): (CS.ERFUELLT, "Grund")})
    with pytest.raises(ValueError):
        facts_25a(overrides={("P99", "stay_years"): (CS.ERFUELLT, "Grund")})
    with pytest.raises(ValueError):
        facts_25a(outcomes={"integration_prognosis": "VIELLEICHT"})
    with pytest.raises(ValueError):
        facts_25a(outcomes={"no_such_outcome": "JA"})


# --------------------------------------------------------------------------- § 60c and § 16g

def facts_60c(**changes) -> FileFacts:
    base = FileFacts(
        birth_date=D(2005, 3, 3),
        entry_date=D(2021, 2, 1),
        periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2021, 2, 1), D(2025, 12, 31)), duldung(D(2026, 1, 1))),
        works=(WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2027, 4, 1), D(2030, 3, 31)),),
        identity_clarified=IC.JA,
        identity_clarified_on=D(2021, 5, 1),
        income_covers=INC.VOLL,
        passport_valid_until=D(2030, 1, 1),
    )
    return dataclasses.replace(base, **changes)


def test_60c_all_met_is_green_with_the_application_window() -> None:
    result = check(P.P60C, facts_60c(), RULES, ON)
    assert {c.key: c.status for c in result.criteria if c.answerable} == dict.fromkeys(
        ["training", "duldung_months", "identity_in_time", "no_work_ban_60a6", "apply_window"], CS.ERFUELLT)
    assert crit(result, "apply_window").value.args == (
        ("apply", D(2026, 9, 1)), ("grant", D(2026, 10, 1)), ("start", D(2027, 4, 1)))
    assert result.light is TL.GRUEN


@pytest.mark.parametrize(("on", "status"), [(D(2026, 11, 24), CS.ABSEHBAR), (D(2026, 11, 25), CS.ERFUELLT)])
def test_60c_application_from_seven_months_before_the_start(on, status) -> None:
    works = (WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2027, 6, 25), D(2030, 6, 24)),)
    c = crit(check(P.P60C, facts_60c(works=works), RULES, on), "apply_window")
    assert c.status is status
    assert c.expected_date == (D(2026, 11, 25) if status is CS.ABSEHBAR else None)


def test_month_arithmetic_at_month_ends() -> None:
    assert months_reached(D(2027, 9, 30), -7) == D(2027, 3, 1)  # no 30 February: the first of March
    assert months_reached(D(2024, 2, 29), 12) == D(2025, 3, 1)
    assert months_reached(D(2024, 1, 31), 1) == D(2024, 3, 1)
    assert months_after(D(2020, 8, 31), 6) == D(2021, 2, 28)
    assert months_after(D(2026, 11, 30), 3) == D(2027, 2, 28)


@pytest.mark.parametrize(("on", "status"), [(D(2026, 11, 24), CS.ABSEHBAR), (D(2026, 11, 25), CS.ERFUELLT)])
def test_60c_duldung_three_months_edge(on, status) -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2021, 2, 1), D(2026, 8, 24)), duldung(D(2026, 8, 25)))
    assert crit(check(P.P60C, facts_60c(periods=periods), RULES, on), "duldung_months").status is status


def test_60c_training_begun_under_gestattung_needs_no_duldung_time() -> None:
    works = (WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2025, 8, 1), D(2028, 7, 31)),)
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2021, 2, 1), D(2026, 11, 1)), duldung(D(2026, 11, 2)))
    assert crit(check(P.P60C, facts_60c(works=works, periods=periods), RULES, ON), "duldung_months").status is CS.ERFUELLT
    late_start = (WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2026, 11, 10), D(2029, 7, 31)),)
    assert crit(check(P.P60C, facts_60c(works=late_start, periods=periods), RULES, ON),
                "duldung_months").status is CS.ABSEHBAR


@pytest.mark.parametrize(("entry", "clarified_on", "status"), [
    (D(2016, 12, 31), D(2026, 1, 10), CS.ERFUELLT),    # entry until 2016: by the application
    (D(2017, 1, 1), D(2026, 1, 10), CS.NICHT_ERFUELLT),  # 2017–2019: at the latest 30.06.2020
    (D(2017, 1, 1), D(2020, 6, 30), CS.ERFUELLT),
    (D(2019, 12, 31), D(2020, 7, 1), CS.NICHT_ERFUELLT),
    (D(2020, 1, 1), D(2020, 7, 1), CS.ERFUELLT),       # from 2020: within six months of entry
    (D(2020, 1, 1), D(2020, 7, 2), CS.NICHT_ERFUELLT),
    (D(2020, 8, 31), D(2021, 2, 28), CS.ERFUELLT),     # no 31 February: the month's last day
    (D(2020, 8, 31), D(2021, 3, 1), CS.NICHT_ERFUELLT),
])
def test_60c_identity_deadline_depends_on_the_entry(entry, clarified_on, status) -> None:
    facts = facts_60c(entry_date=entry, identity_clarified_on=clarified_on)
    assert crit(check(P.P60C, facts, RULES, ON), "identity_in_time").status is status


def test_60c_identity_late_but_all_steps_taken_in_time() -> None:
    facts = facts_60c(entry_date=D(2018, 5, 1), identity_clarified_on=D(2022, 1, 1))
    c = crit(check(P.P60C, facts, RULES, ON), "identity_in_time")
    assert c.status is CS.NICHT_ERFUELLT and c.to_clarify is not None
    ok = dataclasses.replace(facts, outcomes={"identity_steps_in_time": "JA"})
    assert crit(check(P.P60C, ok, RULES, ON), "identity_in_time").status is CS.ERFUELLT
    unknown = facts_60c(identity_clarified=IC.UNBEKANNT)
    assert check(P.P60C, unknown, RULES, ON).light is TL.GRAU
    assert check(P.P60C, facts_60c(identity_clarified=IC.NEIN), RULES, ON).light is TL.ROT
    no_date = facts_60c(entry_date=D(2018, 5, 1), identity_clarified_on=None)
    assert crit(check(P.P60C, no_date, RULES, ON), "identity_in_time").status is CS.UNKLAR
    assert crit(check(P.P60C, facts_60c(entry_date=None), RULES, ON), "identity_in_time").status is CS.UNKLAR


@pytest.mark.parametrize(("permission", "light"), [
    (EP.VERBOT_60A_ABS6, TL.ROT), (EP.UNBEKANNT, TL.GRAU), (EP.NUR_MIT_ERLAUBNIS_ABH, TL.GRUEN),
])
def test_60c_work_ban(permission, light) -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2021, 2, 1), D(2025, 12, 31)),
               duldung(D(2026, 1, 1), permission=permission))
    assert check(P.P60C, facts_60c(periods=periods), RULES, ON).light is light


def test_60c_training_kinds() -> None:
    assert check(P.P60C, facts_60c(works=()), RULES, ON).light is TL.ROT
    helper = facts_60c(works=(WorkFact(WT.HELFERAUSBILDUNG, D(2027, 4, 1), D(2028, 3, 31)),))
    result = check(P.P60C, helper, RULES, ON)
    assert crit(result, "training_qualifies").status is CS.UNKLAR and result.light is TL.GRUEN
    ended = facts_60c(works=(WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2025, 8, 1), D(2028, 7, 31), D(2026, 3, 1),
                                      end_reason=WER.ABGEBROCHEN),))
    assert crit(check(P.P60C, ended, RULES, ON), "training").status is CS.NICHT_ERFUELLT


@pytest.mark.parametrize(("on", "status"), [(D(2024, 2, 29), CS.ABSEHBAR), (D(2024, 3, 1), CS.ERFUELLT)])
def test_16g_only_from_its_date(on, status) -> None:
    facts = facts_60c(periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2021, 2, 1), D(2023, 6, 30)),
                               duldung(D(2023, 7, 1))),
                      works=(WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2024, 8, 1), D(2027, 7, 31)),))
    result = check(P.P16G, facts, RULES, on)
    assert crit(result, "in_force").status is status
    assert result.light is TL.GRUEN


def test_16g_adds_living_costs_and_passport() -> None:
    assert check(P.P16G, facts_60c(), RULES, ON).light is TL.GRUEN
    assert check(P.P16G, facts_60c(income_covers=INC.UEBERWIEGEND), RULES, ON).light is TL.ROT
    assert check(P.P16G, facts_60c(income_covers=None), RULES, ON).light is TL.GRAU
    no_passport = check(P.P16G, facts_60c(passport_valid_until=None), RULES, ON)
    assert crit(no_passport, "passport").status is CS.UNKLAR and no_passport.light is TL.GRUEN
    assert check(P.P60C, facts_60c(income_covers=INC.NEIN), RULES, ON).light is TL.GRUEN


# --------------------------------------------------------------------------- § 19d Abs. 1a

def facts_19d(**changes) -> FileFacts:
    base = FileFacts(
        birth_date=D(2001, 7, 7),
        entry_date=D(2016, 1, 10),
        periods=(duldung(D(2020, 1, 1), D(2023, 7, 31)), duldung(D(2023, 8, 1), None, RS.AUSBILDUNGSDULDUNG_60C)),
        works=(WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2023, 8, 1), D(2026, 7, 31), D(2026, 6, 30), 39, WER.BESTANDEN),
               WorkFact(WT.SV_BESCHAEFTIGUNG, D(2026, 8, 1), hours_per_week=39)),
        certificates=(CertificateFact(LL.B1),),
    )
    return dataclasses.replace(base, **changes)


def test_19d_after_passed_training_with_job_and_b1_is_green() -> None:
    result = check(P.P19D_1A, facts_19d(), RULES, ON)
    assert result.light is TL.GRUEN
    assert result.deadline is None  # employed: no job-search deadline left to watch
    jobless = check(P.P19D_1A, facts_19d(works=facts_19d().works[:1]), RULES, ON)
    assert jobless.deadline == D(2026, 12, 30)  # six months of job search after passing on 30.06.2026


@pytest.mark.parametrize(("job_start", "light"), [(D(2026, 12, 30), TL.GRUEN), (D(2026, 12, 31), TL.ROT)])
def test_19d_job_after_the_job_search_time_is_red(job_start, light) -> None:
    works = (facts_19d().works[0], WorkFact(WT.SV_BESCHAEFTIGUNG, job_start, hours_per_week=39))
    assert check(P.P19D_1A, facts_19d(works=works), RULES, ON).light is light


def test_19d_training_running_language_and_ausbildungsduldung() -> None:
    running = (WorkFact(WT.AUSBILDUNG_QUALIFIZIERT, D(2025, 8, 1), D(2028, 7, 31)),
               WorkFact(WT.SV_BESCHAEFTIGUNG, D(2028, 8, 1), hours_per_week=39))
    result = check(P.P19D_1A, facts_19d(works=running), RULES, ON)
    assert crit(result, "training_completed").expected_date == D(2028, 7, 31)
    assert result.light is TL.GELB and result.possible_from == D(2028, 8, 1)
    oral_b1 = facts_19d(certificates=(CertificateFact(LL.B1, LS.MUENDLICH), CertificateFact(LL.A2)))
    assert crit(check(P.P19D_1A, oral_b1, RULES, ON), "german_b1").status is CS.NICHT_ERFUELLT
    assert crit(check(P.P19D_1A, facts_19d(certificates=()), RULES, ON), "german_b1").status is CS.UNKLAR
    never = facts_19d(periods=(duldung(D(2020, 1, 1)),))
    assert crit(check(P.P19D_1A, never, RULES, ON), "held_ausbildungsduldung").status is CS.NICHT_ERFUELLT


# --------------------------------------------------------------------------- § 60d

def facts_60d(**changes) -> FileFacts:
    base = FileFacts(
        birth_date=D(1999, 4, 4),
        entry_date=D(2016, 5, 5),
        periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2016, 5, 5), D(2020, 12, 31)), duldung(D(2021, 1, 1))),
        works=(WorkFact(WT.SV_BESCHAEFTIGUNG, D(2024, 3, 1), hours_per_week=20),),
        certificates=(CertificateFact(LL.A2, LS.MUENDLICH),),
        identity_clarified=IC.JA,
        identity_clarified_on=D(2023, 1, 1),
        income_covers=INC.VOLL,
    )
    return dataclasses.replace(base, **changes)


def test_60d_all_met_is_green() -> None:
    assert check(P.P60D, facts_60d(), RULES, ON).light is TL.GRUEN


@pytest.mark.parametrize(("entry", "status"), [(D(2022, 12, 31), CS.ERFUELLT), (D(2023, 1, 1), CS.NICHT_ERFUELLT)])
def test_60d_entry_cut_off(entry, status) -> None:
    facts = facts_60d(entry_date=entry, identity_clarified_on=D(2024, 12, 31))
    assert crit(check(P.P60D, facts, RULES, ON), "entry_by").status is status


@pytest.mark.parametrize(("entry", "clarified_on", "on", "status"), [
    (D(2016, 12, 31), D(2026, 1, 1), ON, CS.ERFUELLT),          # until 2016: by the application
    (D(2017, 1, 1), D(2024, 12, 31), ON, CS.ERFUELLT),          # from 2017: by 31.12.2024
    (D(2017, 1, 1), D(2025, 1, 1), ON, CS.NICHT_ERFUELLT),
    (D(2017, 1, 1), D(2024, 12, 31), D(2024, 12, 31), CS.ERFUELLT),  # applying by then: by the application
])
def test_60d_identity_deadline(entry, clarified_on, on, status) -> None:
    facts = facts_60d(entry_date=entry, identity_clarified_on=clarified_on)
    assert crit(check(P.P60D, facts, RULES, on), "identity_in_time").status is status


@pytest.mark.parametrize(("on", "hours", "status"), [
    (D(2026, 11, 24), 20, CS.ABSEHBAR), (D(2026, 11, 25), 20, CS.ERFUELLT), (D(2026, 11, 25), 19.5, CS.NICHT_ERFUELLT),
])
def test_60d_employment_twelve_months_at_twenty_hours(on, hours, status) -> None:
    works = (WorkFact(WT.SV_BESCHAEFTIGUNG, D(2025, 11, 25), hours_per_week=hours),)
    c = crit(check(P.P60D, facts_60d(works=works), RULES, on), "employment_months")
    assert c.status is status
    if hours < 20:  # the same file with the hours rule changed
        lower = check(P.P60D, facts_60d(works=works), with_rule("P60D_MIN_HOURS_PER_WEEK", 19), on)
        assert crit(lower, "employment_months").status is CS.ERFUELLT


def test_60d_duldung_and_missing_hours() -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2016, 5, 5), D(2025, 11, 25)), duldung(D(2025, 11, 26)))
    c = crit(check(P.P60D, facts_60d(periods=periods), RULES, ON), "duldung_months")
    assert (c.status, c.expected_date) == (CS.ABSEHBAR, D(2026, 11, 26))
    no_hours = facts_60d(works=(WorkFact(WT.SV_BESCHAEFTIGUNG, D(2024, 3, 1)),))
    assert check(P.P60D, no_hours, RULES, ON).light is TL.GRAU


# --------------------------------------------------------------------------- § 25b

def facts_25b(**changes) -> FileFacts:
    base = FileFacts(
        birth_date=D(1990, 1, 1),
        entry_date=D(2020, 11, 25),
        periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2020, 11, 25), D(2022, 12, 31)), duldung(D(2023, 1, 1))),
        certificates=(CertificateFact(LL.A2),),
        income_covers=INC.UEBERWIEGEND,
        minor_children=0,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(("children", "on", "status"), [
    (0, D(2026, 11, 24), CS.ABSEHBAR), (0, D(2026, 11, 25), CS.ERFUELLT),
    (1, D(2024, 11, 24), CS.ABSEHBAR), (1, D(2024, 11, 25), CS.ERFUELLT),
])
def test_25b_six_or_four_years(children, on, status) -> None:
    c = crit(check(P.P25B, facts_25b(minor_children=children), RULES, on), "stay_years")
    assert c.status is status


def test_25b_unknown_children_and_status() -> None:
    result = check(P.P25B, facts_25b(minor_children=None), RULES, D(2025, 6, 1))
    assert crit(result, "stay_years").status is CS.UNKLAR and result.light is TL.GRAU
    assert crit(check(P.P25B, facts_25b(minor_children=None), RULES, ON), "stay_years").status is CS.ERFUELLT
    assert check(P.P25B, facts_25b(income_covers=INC.NEIN), RULES, ON).light is TL.ROT
    holder = facts_25b(periods=facts_25b().periods[:1] + (ResidenceFact(RS.AE_104C, D(2023, 1, 1), D(2027, 6, 30)),))
    assert crit(check(P.P25B, holder, RULES, ON), "duldung").status is CS.ERFUELLT


# --------------------------------------------------------------------------- § 104c

def facts_104c(**changes) -> FileFacts:
    base = FileFacts(
        birth_date=D(1995, 8, 8),
        entry_date=D(2017, 10, 31),
        periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2017, 10, 31), D(2019, 12, 31)), duldung(D(2020, 1, 1))),
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(("on", "light"), [(D(2025, 12, 31), TL.GRUEN), (D(2026, 1, 1), TL.ROT)])
def test_104c_no_new_applications_from_2026(on, light) -> None:
    result = check(P.P104C, facts_104c(), RULES, on)
    assert result.light is light
    assert result.deadline == D(2025, 12, 31)


@pytest.mark.parametrize(("entry", "status"), [(D(2017, 10, 31), CS.ERFUELLT), (D(2017, 11, 1), CS.NICHT_ERFUELLT)])
def test_104c_five_years_on_the_cut_off_date(entry, status) -> None:
    periods = (ResidenceFact(RS.AUFENTHALTSGESTATTUNG, entry, D(2019, 12, 31)), duldung(D(2020, 1, 1)))
    result = check(P.P104C, facts_104c(entry_date=entry, periods=periods), RULES, D(2025, 6, 1))
    assert crit(result, "stay_on_cutoff").status is status


def test_104c_holder_sees_the_convert_before_date() -> None:
    periods = facts_104c().periods[:1] + (ResidenceFact(RS.AE_104C, D(2025, 10, 1), None),)
    result = check(P.P104C, facts_104c(periods=periods), RULES, ON)
    assert [c.key for c in result.criteria] == ["holds_104c", "convert_before_end"]
    assert result.deadline == D(2027, 3, 31)  # 18 months from 01.10.2025
    assert result.light is TL.GRUEN
    after = check(P.P104C, facts_104c(periods=periods), RULES, D(2027, 4, 1))
    assert after.light is TL.ROT


# --------------------------------------------------------------------------- all pathways, wording

def test_check_all_and_no_entitlement_wording() -> None:
    texts = list(rc.LABELS.values()) + list(rc.QUESTIONS.values())
    for facts in (facts_25a(), facts_60c(), facts_19d(), facts_60d(), facts_25b(), facts_104c(), FileFacts(D(2000, 1, 1))):
        results = check_all(facts, RULES, ON)
        assert [r.pathway for r in results] == list(P)
        for r in results:
            assert set(r.rule_keys) <= set(RULES.rules)
            for c in r.criteria:
                assert c.key in rc.PATHWAY_KEYS[r.pathway]
                texts += [c.label, str(c.value), str(c.to_clarify or "")]
    source = inspect.getsource(rc)
    for word in ("Anspruch", "anspruch"):
        assert word not in source
    for text in texts:
        assert "Anspruch" not in text and "entitle" not in text.lower()


def test_an_empty_file_is_grey_or_red_never_green() -> None:
    for result in check_all(FileFacts(D(2000, 1, 1)), RULES, ON):
        assert result.light in (TL.GRAU, TL.ROT)


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=D(2012, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=60, deadline=None)
@given(birth=st.dates(min_value=D(1996, 1, 1), max_value=D(2010, 12, 31)), duldung_from=dates,
       school_years=st.sets(st.integers(2014, 2027), max_size=4), extra=st.integers(2012, 2027), on=dates)
def test_adding_a_school_year_never_turns_green_into_red(birth, duldung_from, school_years, extra, on) -> None:
    def facts(years: set[int]) -> FileFacts:
        return facts_25a(birth_date=birth, entry_date=D(2012, 1, 1),
                         periods=(ResidenceFact(RS.AUFENTHALTSGESTATTUNG, D(2012, 1, 1), duldung_from - DAY),
                                  duldung(duldung_from)),
                         schools=tuple(SchoolRecordFact("DE", D(y, 8, 1), D(y + 1, 7, 31), True) for y in sorted(years)))
    before = check(P.P25A, facts(school_years), RULES, on)
    after = check(P.P25A, facts(school_years | {extra}), RULES, on)
    if before.light is TL.GRUEN:
        assert after.light is not TL.ROT


@settings(max_examples=60, deadline=None)
@given(birth=st.dates(min_value=D(1990, 1, 1), max_value=D(2012, 12, 31)), later=st.integers(1, 4000),
       fictitious=st.booleans(), on=dates)
def test_a_later_birth_date_never_makes_the_25a_deadline_earlier(birth, later, fictitious, on) -> None:
    first = check(P.P25A, facts_25a(birth_date=birth, birth_date_fictitious=fictitious), RULES, on)
    second_birth = birth + dt.timedelta(days=later)
    second = check(P.P25A, facts_25a(birth_date=second_birth), RULES, on)
    assert first.deadline is not None and second.deadline is not None
    assert second.deadline >= first.deadline
    # Still in time with the earlier birth date means still in time with the later one.
    if crit(first, "apply_before_birthday").status is CS.ERFUELLT:
        assert crit(second, "apply_before_birthday").status is CS.ERFUELLT


statuses = st.sampled_from([RS.DULDUNG_60A, RS.DULDUNG_60B, RS.AUFENTHALTSGESTATTUNG, RS.AUSBILDUNGSDULDUNG_60C,
                            RS.GRENZUEBERTRITTSBESCHEINIGUNG, RS.UNBEKANNT, RS.AE_104C])
periods_st = st.lists(st.builds(ResidenceFact, statuses, st.one_of(st.none(), dates), st.one_of(st.none(), dates),
                                st.sampled_from(list(EP) + [None])), max_size=4)
works_st = st.lists(st.builds(WorkFact, st.sampled_from(list(WT)), st.one_of(st.none(), dates),
                              st.one_of(st.none(), dates), st.one_of(st.none(), dates),
                              st.one_of(st.none(), st.sampled_from([10, 20, 39])),
                              st.one_of(st.none(), st.sampled_from(list(WER)))), max_size=3)
schools_st = st.lists(st.builds(SchoolRecordFact, st.sampled_from(["DE", "SY"]), st.one_of(st.none(), dates),
                                st.one_of(st.none(), dates), st.sampled_from([True, False, None]),
                                st.one_of(st.none(), st.sampled_from(list(Q)))), max_size=3)
file_facts = st.builds(
    FileFacts,
    birth_date=st.dates(min_value=D(1990, 1, 1), max_value=D(2010, 12, 31)),
    birth_date_fictitious=st.booleans(),
    entry_date=st.one_of(st.none(), dates),
    minor_children=st.one_of(st.none(), st.integers(0, 2)),
    periods=periods_st.map(tuple),
    schools=schools_st.map(tuple),
    works=works_st.map(tuple),
    certificates=st.lists(st.builds(CertificateFact, st.sampled_from(list(LL)[:6]), st.sampled_from(list(LS))),
                          max_size=2).map(tuple),
    identity_clarified=st.one_of(st.none(), st.sampled_from(list(IC))),
    identity_clarified_on=st.one_of(st.none(), dates),
    passport_valid_until=st.one_of(st.none(), dates),
    income_covers=st.one_of(st.none(), st.sampled_from(list(INC))),
    outcomes=st.dictionaries(st.sampled_from(sorted(rc.OUTCOME_KEYS)), st.sampled_from(["JA", "NEIN"]), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(facts=file_facts, on=dates)
def test_the_light_is_consistent_with_the_criteria(facts, on) -> None:
    for r in check_all(facts, RULES, on):
        statuses = [c.status for c in r.criteria]
        dated = [c.expected_date for c in r.criteria if c.status is CS.ABSEHBAR]
        assert all(d is not None and d > on for d in dated)
        assert all(c.expected_date is None for c in r.criteria if c.status is not CS.ABSEHBAR)
        assert r.possible_from == max(dated, default=None)
        answerable_unclear = any(c.status is CS.UNKLAR and c.answerable for c in r.criteria)
        red = CS.NICHT_ERFUELLT in statuses or bool(r.late)
        assert (r.light is TL.ROT) == red
        if r.light is TL.GRUEN:
            assert not answerable_unclear
            assert all(d <= months_after(on, 3) for d in dated)
        if r.light is TL.GRAU:
            assert answerable_unclear
        if r.light is TL.GELB:
            assert not answerable_unclear and max(dated) > months_after(on, 3)
        assert set(r.missing) == {c.label for c in r.criteria if c.status in (CS.NICHT_ERFUELLT, CS.UNKLAR)}


@settings(max_examples=300, deadline=None)
@given(facts=file_facts, on=dates, pathway=st.sampled_from([P.P25A, P.P25B, P.P60D, P.P60C]))
def test_the_cheap_possible_from_equals_the_full_check(facts, on, pathway) -> None:
    """The deadlines ask rc.possible_from (criteria from cheap to dear, stopping at the first that
    turns the light red or grey); it must give exactly what the full check gives."""
    result = check(pathway, facts, RULES, on)
    expected = result.possible_from if result.light in (TL.GRUEN, TL.GELB) else None
    assert rc.possible_from(pathway, facts, RULES, on) == expected
