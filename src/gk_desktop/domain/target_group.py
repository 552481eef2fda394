"""Age and target group (DOMAIN.md §3): pure functions, the programme's values passed in.

Ages follow §§ 187 Abs. 2, 188 Abs. 2 and 3 BGB: a year of life is completed at the end of the
day before the birthday, so the new age starts on the birthday itself; a person born on
29 February completes the year at the end of 28 February in a common year, so there the birthday
counts as 1 March. The age band and the status lists belong to the funding programme (data with a
"Stand" date, seeded for "Gemeinsam klappt's – Baustein 6"), never to this module.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from gk_desktop.domain.enums import ExclusionOutcome, ResidenceStatus, TargetGroup


@dataclass(frozen=True)
class ProgrammeRules:
    """What the target-group table needs from a funding programme."""

    age_min: int
    age_max: int  # inclusive: "18 to 27" means up to the day before the 28th birthday
    primary_statuses: frozenset[ResidenceStatus]
    secondary_statuses: frozenset[ResidenceStatus]


def birthday_in_year(birth: dt.date, year: int) -> dt.date:
    """The day the person's new year of life starts in ``year`` (29 Feb → 1 Mar in common years)."""
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return dt.date(year, birth.month, birth.day)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years of life on ``on`` (0 before the first birthday; negative input refused)."""
    if on < birth:
        raise ValueError("the date lies before the birth date")
    years = on.year - birth.year
    if on < birthday_in_year(birth, on.year):
        years -= 1
    return years


def nth_birthday(birth: dt.date, n: int) -> dt.date:
    return birthday_in_year(birth, birth.year + n)


def last_day_before_birthday(birth: dt.date, n: int) -> dt.date:
    """E.g. n = 27: the last day to apply for § 25a (the day before the 27th birthday)."""
    return nth_birthday(birth, n) - dt.timedelta(days=1)


def leaves_band_on(birth: dt.date, rules: ProgrammeRules) -> dt.date:
    """The first day the person is older than the band (the 28th birthday for 18-27)."""
    return nth_birthday(birth, rules.age_max + 1)


def enters_band_on(birth: dt.date, rules: ProgrammeRules) -> dt.date:
    return nth_birthday(birth, rules.age_min)


def in_age_band(birth: dt.date, on: dt.date, rules: ProgrammeRules) -> bool:
    return on >= birth and rules.age_min <= age_on(birth, on) <= rules.age_max


def target_group(
    birth: dt.date,
    on: dt.date,
    status: ResidenceStatus | None,
    exclusion: ExclusionOutcome | None,
    rules: ProgrammeRules,
) -> TargetGroup:
    """The table of DOMAIN.md §3. No status counts as UNBEKANNT; no exclusion check as none."""
    age = age_on(birth, on) if on >= birth else None
    return target_group_at_age(age, status, exclusion, rules)


def target_group_at_age(
    age: int | None,
    status: ResidenceStatus | None,
    exclusion: ExclusionOutcome | None,
    rules: ProgrammeRules,
) -> TargetGroup:
    """:func:`target_group` for a known age (None: not yet born on the day)."""
    if exclusion not in (None, ExclusionOutcome.KEINE):
        return TargetGroup.NICHT_ZIELGRUPPE
    if age is None or not rules.age_min <= age <= rules.age_max:
        return TargetGroup.NICHT_ZIELGRUPPE
    status = status or ResidenceStatus.UNBEKANNT
    if status in rules.primary_statuses:
        return TargetGroup.PRIMAER_DULDUNG
    if status in rules.secondary_statuses:
        return TargetGroup.SEKUNDAER_GESTATTUNG
    return TargetGroup.SONSTIGE
