"""Days of Duldung that count and school time in Germany."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gk_desktop.domain.enums import ResidenceStatus as RS
from gk_desktop.domain.periods import (
    PeriodFact,
    SchoolFact,
    counting_days,
    full_years,
    merge,
    school_days_in_germany,
    total_days,
)

D = dt.date
# § 25a: Duldung counts, except § 60b; Gestattung does not (seed data in the app).
COUNTS_25A = frozenset({RS.DULDUNG_60A, RS.ERMESSENSDULDUNG_60A, RS.AUSBILDUNGSDULDUNG_60C,
                        RS.BESCHAEFTIGUNGSDULDUNG_60D})


def test_60b_and_gestattung_do_not_count() -> None:
    periods = [
        PeriodFact(RS.AUFENTHALTSGESTATTUNG, D(2020, 1, 1), D(2020, 12, 31)),
        PeriodFact(RS.DULDUNG_60A, D(2021, 1, 1), D(2021, 6, 30)),   # 181 days
        PeriodFact(RS.DULDUNG_60B, D(2021, 7, 1), D(2021, 12, 31)),
        PeriodFact(RS.DULDUNG_60A, D(2022, 1, 1), None),             # running
    ]
    on = D(2022, 1, 10)
    assert counting_days(periods, on, COUNTS_25A) == 181 + 10


def test_overlapping_periods_count_once_and_future_is_ignored() -> None:
    periods = [
        PeriodFact(RS.DULDUNG_60A, D(2023, 1, 1), D(2023, 3, 31)),
        PeriodFact(RS.ERMESSENSDULDUNG_60A, D(2023, 3, 1), D(2023, 4, 30)),
        PeriodFact(RS.DULDUNG_60A, D(2030, 1, 1), D(2030, 2, 1)),
        PeriodFact(RS.DULDUNG_60A, None, D(2023, 5, 1)),  # no start date: cannot be counted
    ]
    assert counting_days(periods, D(2026, 11, 25), COUNTS_25A) == (D(2023, 4, 30) - D(2023, 1, 1)).days + 1


def test_school_in_germany_only_successful_attendance() -> None:
    records = [
        SchoolFact("DE", D(2019, 8, 1), D(2020, 7, 31), True),
        SchoolFact("de", D(2020, 8, 1), D(2021, 7, 31), True),
        SchoolFact("DE", D(2021, 8, 1), D(2022, 7, 31), False),
        SchoolFact("SY", D(2015, 9, 1), D(2018, 6, 30), True),
    ]
    days = school_days_in_germany(records, D(2026, 1, 1))
    assert days == (D(2021, 7, 31) - D(2019, 8, 1)).days + 1
    assert full_years(D(2019, 8, 1), days) == 2


def test_full_years_edges() -> None:
    assert full_years(D(2020, 1, 1), 365) == 0   # 2020 is a leap year
    assert full_years(D(2020, 1, 1), 366) == 1
    assert full_years(D(2021, 1, 1), 365) == 1
    assert full_years(D(2020, 2, 29), 366) == 1   # to 28 Feb 2021 inclusive
    assert full_years(D(2020, 1, 1), 0) == 0


spans = st.lists(st.tuples(st.dates(D(2000, 1, 1), D(2030, 1, 1)), st.integers(0, 800)), max_size=8)


@given(spans)
def test_merge_is_idempotent_and_never_counts_twice(raw) -> None:
    intervals = [(s, s + dt.timedelta(days=n)) for s, n in raw]
    merged = merge(intervals)
    assert merge(merged) == merged
    assert total_days(intervals) <= sum((e - s).days + 1 for s, e in intervals)
    covered = {s + dt.timedelta(days=i) for s, e in intervals for i in range((e - s).days + 1)}
    assert total_days(intervals) == len(covered)


# --------------------------------------------------------------------------- current period



from gk_desktop.domain.periods import current_period  # noqa: E402
from gk_desktop.domain.enums import ResidenceStatus  # noqa: E402

D = dt.date


def _p(status: str, start: dt.date | None, end: dt.date | None) -> PeriodFact:
    return PeriodFact(ResidenceStatus(status), start, end)


def test_current_period_covering_today_wins() -> None:
    old = _p("AUFENTHALTSGESTATTUNG", D(2019, 1, 1), D(2021, 3, 31))
    now = _p("DULDUNG_60A", D(2021, 4, 1), D(2027, 1, 31))
    assert current_period([now, old], D(2026, 11, 25)) is now
    assert current_period([now, old], D(2020, 6, 1)) is old


def test_current_period_expired_status_is_still_the_known_status() -> None:
    expired = _p("DULDUNG_60A", D(2026, 5, 1), D(2026, 10, 31))
    older = _p("AUFENTHALTSGESTATTUNG", D(2019, 1, 1), D(2026, 4, 30))
    assert current_period([older, expired], D(2026, 11, 25)) is expired


def test_current_period_unknown_start_and_future_periods() -> None:
    unknown_start = _p("DULDUNG_60A", None, D(2027, 2, 1))
    future = _p("AUSBILDUNGSDULDUNG_60C", D(2027, 8, 1), None)
    assert current_period([unknown_start, future], D(2026, 11, 25)) is unknown_start
    assert current_period([future], D(2026, 11, 25)) is None
    assert current_period([], D(2026, 11, 25)) is None


def test_current_period_overlap_prefers_the_later_start() -> None:
    a = _p("DULDUNG_60A", D(2026, 1, 1), D(2026, 12, 31))
    b = _p("FIKTIONSBESCHEINIGUNG", D(2026, 10, 1), D(2027, 3, 31))
    assert current_period([a, b], D(2026, 11, 25)) is b


_dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))


@given(st.lists(st.tuples(st.one_of(st.none(), _dates), st.one_of(st.none(), _dates)), max_size=6), _dates)
def test_current_period_properties(spans, on) -> None:
    periods = [_p("DULDUNG_60A", a, b) for a, b in spans if not (a and b and b < a)]
    got = current_period(periods, on)

    def covers(p: PeriodFact) -> bool:
        return (p.valid_from is None or p.valid_from <= on) and (p.valid_until is None or p.valid_until >= on)

    started = [p for p in periods if p.valid_from is None or p.valid_from <= on]
    if not started:
        assert got is None
    else:
        assert got is not None and any(got is p for p in periods)
        assert got.valid_from is None or got.valid_from <= on
        if any(covers(p) for p in periods):
            assert covers(got)


@given(st.lists(st.tuples(st.one_of(st.none(), _dates), st.one_of(st.none(), _dates),
                          st.sampled_from(["DULDUNG_60A", "AUFENTHALTSGESTATTUNG"])), max_size=7), _dates)
def test_current_period_iso_agrees_with_current_period(spans, on) -> None:
    from gk_desktop.domain.periods import current_period_iso

    periods = [_p(s, a, b) for a, b, s in spans if not (a and b and b < a)]
    iso = [(p.status.value, p.valid_from.isoformat() if p.valid_from else None,
            p.valid_until.isoformat() if p.valid_until else None) for p in periods]
    got = current_period(periods, on)
    got_iso = current_period_iso(iso, on.isoformat())
    if got is None:
        assert got_iso is None
    else:
        assert got_iso is iso[next(i for i, p in enumerate(periods) if p is got)]


@given(st.lists(st.tuples(st.one_of(st.none(), _dates), st.one_of(st.none(), _dates),
                          st.sampled_from(["DULDUNG_60A", "AUFENTHALTSGESTATTUNG"])), max_size=6), _dates, _dates)
def test_current_period_span_holds_on_every_day_inside_it(spans, written, read) -> None:
    from gk_desktop.domain.periods import current_period_iso, current_period_span

    iso = [(s, a.isoformat() if a else None, b.isoformat() if b else None) for a, b, s in spans if not (a and b and b < a)]
    answer, since, until = current_period_span(iso, written.isoformat())
    assert answer is current_period_iso(iso, written.isoformat())
    assert since <= written.isoformat() < until
    if since <= read.isoformat() < until:
        assert current_period_iso(iso, read.isoformat()) is answer
