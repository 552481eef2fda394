"""Counting time from the file: days of Duldung that count, school years in Germany.

Pure functions over small dataclasses. Which statuses count is the legal rule's business (data
with a "Stand" date), passed in: for § 25a, periods under § 60b and Gestattung time do not count
(DOMAIN.md §3a).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence, TypeVar

from gk_desktop.domain.enums import ResidenceStatus

Interval = tuple[dt.date, dt.date]  # both days included


@dataclass(frozen=True)
class PeriodFact:
    status: ResidenceStatus
    valid_from: dt.date | None
    valid_until: dt.date | None  # None: still running


@dataclass(frozen=True)
class SchoolFact:
    country: str  # ISO 3166 alpha-2, "DE" for Germany
    start_date: dt.date | None
    end_date: dt.date | None  # None: still attending
    attendance_ok: bool


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, overlapping or touching intervals joined."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if end < start:
            continue
        if out and start <= out[-1][1] + dt.timedelta(days=1):
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def total_days(intervals: Iterable[Interval]) -> int:
    return sum((end - start).days + 1 for start, end in merge(intervals))


def _clip(start: dt.date | None, end: dt.date | None, on: dt.date) -> Interval | None:
    if start is None or start > on:
        return None
    end = on if end is None or end > on else end
    return (start, end) if end >= start else None


def counting_days(periods: Iterable[PeriodFact], on: dt.date, counting: frozenset[ResidenceStatus]) -> int:
    """Days up to and including ``on`` covered by a period whose status counts (overlaps once)."""
    spans = []
    for p in periods:
        if p.status in counting:
            clipped = _clip(p.valid_from, p.valid_until, on)
            if clipped:
                spans.append(clipped)
    return total_days(spans)


def school_days_in_germany(records: Iterable[SchoolFact], on: dt.date) -> int:
    """Days of successful school attendance in Germany up to ``on`` (overlaps counted once)."""
    spans = []
    for r in records:
        if r.country.upper() == "DE" and r.attendance_ok:
            clipped = _clip(r.start_date, r.end_date, on)
            if clipped:
                spans.append(clipped)
    return total_days(spans)


def full_years(start: dt.date, days: int) -> int:
    """Completed years in ``days`` days counted from ``start`` (calendar years, not 365-day blocks)."""
    if days <= 0:
        return 0
    after = start + dt.timedelta(days=days)  # the first day after the counted span
    years = after.year - start.year
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # started on 29 February: the year is full at the end of 28 February
        anniversary = dt.date(start.year + years, 3, 1)
    if after < anniversary:
        years -= 1
    return max(0, years)


class _Dated(Protocol):
    valid_from: dt.date | None
    valid_until: dt.date | None


P = TypeVar("P", bound=_Dated)


def current_period(periods: Sequence[P], on: dt.date) -> P | None:
    """The residence period that stands for the status on ``on``.

    The period covering ``on`` (an unknown start counts as "always"; an open end as running);
    of several, the one that started last. If none covers it, the one that started last before
    ``on`` (an expired Duldung is still the status the file knows: its expiry is what matters).
    If every period lies in the future, none.
    """
    floor = dt.date.min

    def start(p: P) -> dt.date:
        return p.valid_from or floor

    started = [p for p in periods if start(p) <= on]
    if not started:
        return None
    covering = [p for p in started if p.valid_until is None or p.valid_until >= on]
    pool = covering or started
    # Latest start wins; ties by the later end (open end last), then the given order.
    return max(enumerate(pool), key=lambda ip: (start(ip[1]), ip[1].valid_until or dt.date.max, ip[0]))[1]


IsoPeriod = tuple[str, str | None, str | None]  # (status, valid_from, valid_until) as ISO dates


def current_period_iso(periods: Sequence[IsoPeriod], on: str) -> IsoPeriod | None:
    """:func:`current_period` over ISO date strings (which order as the dates do), for lists of
    thousands of clients where building date objects would dominate the cost."""
    best: IsoPeriod | None = None
    best_key: tuple[bool, str, str, int] | None = None
    for index, p in enumerate(periods):
        start = p[1] or ""
        if start > on:
            continue
        covers = p[2] is None or p[2] >= on
        key = (covers, start, p[2] or "9999-99-99", index)
        if best_key is None or key > best_key:
            best, best_key = p, key
    return best


def current_period_span(periods: Sequence[IsoPeriod], on: str) -> tuple[IsoPeriod | None, str, str]:
    """:func:`current_period_iso` on ``on``, and the days ``[since, until)`` around ``on`` on which
    it gives the same answer: the answer changes only where a period starts or the day after one
    ends. A list can keep the answer and recompute it only for days outside the span."""
    since, until = "0000-00-00", "9999-99-99"
    for p in periods:
        points = [p[1]] if p[1] else []
        if p[2]:
            points.append((dt.date.fromisoformat(p[2]) + dt.timedelta(days=1)).isoformat())
        for point in points:
            if point <= on:
                since = max(since, point)
            else:
                until = min(until, point)
    return current_period_iso(periods, on), since, until
