"""Age and target group at every edge of the table (DOMAIN.md §3), 29 February included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gk_desktop.domain.enums import ExclusionOutcome, ResidenceStatus as RS, TargetGroup as TG
from gk_desktop.domain.target_group import (
    ProgrammeRules,
    age_on,
    birthday_in_year,
    in_age_band,
    last_day_before_birthday,
    leaves_band_on,
    target_group,
)

# The values of "Gemeinsam klappt's – Baustein 6" as a test fixture (in the app they are seed data).
GK = ProgrammeRules(
    age_min=18,
    age_max=27,
    primary_statuses=frozenset({RS.DULDUNG_60A, RS.ERMESSENSDULDUNG_60A, RS.DULDUNG_60B,
                                RS.AUSBILDUNGSDULDUNG_60C, RS.BESCHAEFTIGUNGSDULDUNG_60D}),
    secondary_statuses=frozenset({RS.AUFENTHALTSGESTATTUNG, RS.ANKUNFTSNACHWEIS}),
)
D = dt.date


def test_age_turns_on_the_birthday() -> None:
    birth = D(2000, 3, 10)
    assert age_on(birth, D(2018, 3, 9)) == 17
    assert age_on(birth, D(2018, 3, 10)) == 18


def test_29_february_in_common_and_leap_years() -> None:
    birth = D(2004, 2, 29)
    assert birthday_in_year(birth, 2025) == D(2025, 3, 1)
    assert birthday_in_year(birth, 2028) == D(2028, 2, 29)
    assert age_on(birth, D(2022, 2, 28)) == 17
    assert age_on(birth, D(2022, 3, 1)) == 18
    # The last day to apply for § 25a: 27th birthday in a common year (2031) is 1 March.
    assert last_day_before_birthday(birth, 27) == D(2031, 2, 28)
    assert leaves_band_on(birth, GK) == D(2032, 2, 29)  # 2032 is a leap year


def test_band_edges() -> None:
    birth = D(2000, 6, 15)
    assert not in_age_band(birth, D(2018, 6, 14), GK)
    assert in_age_band(birth, D(2018, 6, 15), GK)
    assert in_age_band(birth, D(2028, 6, 14), GK)  # 27 until the day before the 28th birthday
    assert not in_age_band(birth, D(2028, 6, 15), GK)
    assert leaves_band_on(birth, GK) == D(2028, 6, 15)


@pytest.mark.parametrize(
    ("status", "exclusion", "expected"),
    [
        (RS.DULDUNG_60A, None, TG.PRIMAER_DULDUNG),
        (RS.ERMESSENSDULDUNG_60A, ExclusionOutcome.KEINE, TG.PRIMAER_DULDUNG),
        (RS.DULDUNG_60B, None, TG.PRIMAER_DULDUNG),
        (RS.AUSBILDUNGSDULDUNG_60C, None, TG.PRIMAER_DULDUNG),
        (RS.BESCHAEFTIGUNGSDULDUNG_60D, None, TG.PRIMAER_DULDUNG),
        (RS.AUFENTHALTSGESTATTUNG, None, TG.SEKUNDAER_GESTATTUNG),
        (RS.ANKUNFTSNACHWEIS, None, TG.SEKUNDAER_GESTATTUNG),
        (RS.AE_25A, None, TG.SONSTIGE),
        (RS.UNBEKANNT, None, TG.SONSTIGE),
        (None, None, TG.SONSTIGE),
        (RS.DULDUNG_60A, ExclusionOutcome.LANDESAUFNAHMEEINRICHTUNG, TG.NICHT_ZIELGRUPPE),
        (RS.AUFENTHALTSGESTATTUNG, ExclusionOutcome.AUSSCHLUSS_PROGRAMMREGELN, TG.NICHT_ZIELGRUPPE),
    ],
)
def test_table_in_band(status, exclusion, expected) -> None:
    assert target_group(D(2003, 1, 20), D(2026, 11, 25), status, exclusion, GK) is expected


@pytest.mark.parametrize("on", [D(2021, 1, 19), D(2031, 1, 20)])  # 17, and the 28th birthday
def test_outside_the_band_never_target_group(on) -> None:
    assert target_group(D(2003, 1, 20), on, RS.DULDUNG_60A, None, GK) is TG.NICHT_ZIELGRUPPE


def test_changed_programme_rules_change_the_result() -> None:
    kim = ProgrammeRules(age_min=18, age_max=30, primary_statuses=GK.primary_statuses,
                         secondary_statuses=GK.secondary_statuses)
    on = D(2031, 1, 20)  # 28 years old
    assert target_group(D(2003, 1, 20), on, RS.DULDUNG_60A, None, GK) is TG.NICHT_ZIELGRUPPE
    assert target_group(D(2003, 1, 20), on, RS.DULDUNG_60A, None, kim) is TG.PRIMAER_DULDUNG


births = st.dates(min_value=D(1950, 1, 1), max_value=D(2030, 12, 31))


@given(births, st.integers(min_value=0, max_value=20000))
def test_age_grows_by_one_exactly_on_birthdays(birth, days) -> None:
    on = birth + dt.timedelta(days=days)
    nxt = on + dt.timedelta(days=1)
    if nxt.year > 9999:
        return
    step = age_on(birth, nxt) - age_on(birth, on)
    assert step in (0, 1)
    assert (step == 1) == (nxt == birthday_in_year(birth, nxt.year))


@given(births)
def test_day_before_27th_birthday_is_still_26(birth) -> None:
    last = last_day_before_birthday(birth, 27)
    assert age_on(birth, last) == 26
    assert age_on(birth, last + dt.timedelta(days=1)) == 27
