"""Residence-law checks as decision support (DOMAIN.md §3a): pure rules over plain file facts.

For each residence pathway the criteria the file can answer are evaluated to ERFUELLT, ABSEHBAR
(with the day it is expected to be met), NICHT_ERFUELLT or UNKLAR (with what to clarify); criteria
the file cannot answer (convictions, integration prognosis, passport where exceptions apply …) are
listed as "zu klären" until the worker records an outcome. A traffic light sums them up. The
result prepares a conversation with the Ausländerbehörde: it decides nothing and never says that a
person is entitled to anything.

Every number, date and status list comes from the rule set (``RuleSet.rules[key].value``, data
with a "Stand"). Texts are English source strings for the gettext catalog: ``Criterion.label`` is
a constant to translate with ``_()``; ``value`` and ``to_clarify`` are :class:`Text` — a constant
template with named placeholders plus its arguments — so a caller can translate the template and
format the dates its own way.

Periods follow §§ 187, 188 BGB as :mod:`gk_desktop.domain.target_group` does: a span of n months or
years that begins on day S is complete at the end of the day before the day with S's number n
months later, so it counts as met on that day (a missing day, e.g. 29 February or the 31st, makes
it the first of the next month); a period after an event (identity within 6 months of entry, "within
3 months from today") ends on the day with the event's number (a missing day: the month's last day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from gk_desktop.domain.enums import (
    CERTIFICATE_LEVELS,
    EmploymentPermission,
    IdentityClarified,
    IncomeCoverage,
    LanguageLevel,
    LanguageSkill,
    Qualification,
    ResidenceStatus,
    WorkEndReason,
    WorkType,
)
from gk_desktop.domain.legal_rules import LegalRule, RuleSet
from gk_desktop.domain.periods import (
    Interval,
    PeriodFact,
    SchoolFact,
    counting_days,
    current_period,
    full_years,
    merge,
    school_days_in_germany,
    total_days,
)
from gk_desktop.domain.target_group import birthday_in_year, last_day_before_birthday

ONE_DAY = dt.timedelta(days=1)


class CriterionStatus(enum.StrEnum):
    ERFUELLT = "ERFUELLT"
    ABSEHBAR = "ABSEHBAR"
    NICHT_ERFUELLT = "NICHT_ERFUELLT"
    UNKLAR = "UNKLAR"


class TrafficLight(enum.StrEnum):
    GRUEN = "GRUEN"
    GELB = "GELB"
    ROT = "ROT"
    GRAU = "GRAU"


class ResidencePathway(enum.StrEnum):
    """The pathways this module checks (DOMAIN.md §4 lists more; those have no criteria here yet)."""

    P60C = "P60C"
    P16G = "P16G"
    P19D_1A = "P19D_1A"
    P60D = "P60D"
    P25A = "P25A"
    P25B = "P25B"
    P104C = "P104C"


# --------------------------------------------------------------------------- facts (input)


@dataclass(frozen=True)
class ResidenceFact:
    """A residence period (``ResidencePeriod``) as the checks read it."""

    status: ResidenceStatus
    valid_from: dt.date | None
    valid_until: dt.date | None  # None: still running
    employment_permission: EmploymentPermission | None = None


@dataclass(frozen=True)
class SchoolRecordFact:
    """An ``EducationRecord``: school attendance and the qualification it ended with."""

    country: str  # ISO 3166 alpha-2, "DE" for Germany
    start_date: dt.date | None
    end_date: dt.date | None  # None: still attending
    attendance_ok: bool | None  # None: not yet recorded
    qualification: Qualification | None = None


@dataclass(frozen=True)
class WorkFact:
    """A ``WorkRecord``: training or employment."""

    type: WorkType
    start_date: dt.date | None
    planned_end_date: dt.date | None = None
    actual_end_date: dt.date | None = None
    hours_per_week: float | None = None
    end_reason: WorkEndReason | None = None


@dataclass(frozen=True)
class CertificateFact:
    """A ``LanguageCertificate``."""

    level: LanguageLevel
    skill: LanguageSkill = LanguageSkill.GESAMT
    language: str = "de"
    date: dt.date | None = None


OUTCOME_VALUES = frozenset({"JA", "NEIN"})

# (pathway, criterion key) → (status, reason) or (status, reason, expected date for ABSEHBAR)
Override = tuple[Any, ...]


@dataclass(frozen=True)
class FileFacts:
    """Plain facts of one client's file; ``outcomes`` holds the worker's recorded answers ("JA"
    meaning the criterion is met, "NEIN" that it is not) to criteria the file cannot answer, keyed
    by criterion key (and ``identity_steps_in_time``: all reasonable steps to clarify identity were
    taken within the deadline). ``overrides`` are hand overrides; each needs a reason."""

    birth_date: dt.date
    birth_date_fictitious: bool = False
    entry_date: dt.date | None = None
    minor_children: int | None = None
    periods: tuple[ResidenceFact, ...] = ()
    schools: tuple[SchoolRecordFact, ...] = ()
    works: tuple[WorkFact, ...] = ()
    certificates: tuple[CertificateFact, ...] = ()
    identity_clarified: IdentityClarified | None = None
    identity_clarified_on: dt.date | None = None
    passport_valid_until: dt.date | None = None
    income_covers: IncomeCoverage | None = None
    outcomes: Mapping[str, str] = field(default_factory=dict)
    overrides: Mapping[tuple[ResidencePathway, str], Override] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, value in self.outcomes.items():
            if key not in OUTCOME_KEYS:
                raise ValueError(f"unknown outcome key {key!r}")
            if value not in OUTCOME_VALUES:
                raise ValueError(f"outcome {key}: expected JA or NEIN")
        for (pathway, key), override in self.overrides.items():
            _checked_override(ResidencePathway(pathway), key, override)


# --------------------------------------------------------------------------- results (output)


@dataclass(slots=True)
class Text:
    """An English source template with named placeholders and its arguments (dates as dates).
    Not frozen only for speed (the overview builds ~80 per client): treat it as immutable."""

    template: str
    args: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return self.template.format(**{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.args})


def _t(template: str, **args: Any) -> Text:
    return Text(template, tuple(sorted(args.items())))


@dataclass(slots=True)
class Criterion:
    """One criterion's evaluation; not frozen only for speed (see :class:`Text`): never changed."""

    key: str
    label: str  # English source string; the caller translates it
    status: CriterionStatus
    value: Text  # what was read from the file
    expected_date: dt.date | None = None  # ABSEHBAR: the day it is expected to be met
    to_clarify: Text | None = None
    overridden: bool = False
    reason: str | None = None  # the override's reason
    answerable: bool = True  # False: the file cannot answer it ("zu klären"); it never greys the light


@dataclass(frozen=True)
class PathwayResult:
    pathway: ResidencePathway
    light: TrafficLight
    criteria: tuple[Criterion, ...]
    possible_from: dt.date | None  # latest expected date of an ABSEHBAR criterion; None: all met now
    missing: tuple[str, ...]  # labels of criteria not met or unclear (incl. "zu klären")
    stand: dt.date | None  # the latest "Stand" of the rules used
    rule_keys: tuple[str, ...]
    on: dt.date
    deadline: dt.date | None = None  # the last day the pathway can wait for (§ 25a: day before the 27th birthday)
    late: tuple[str, ...] = ()  # keys of criteria expected only after ``deadline``


# --------------------------------------------------------------------------- criteria catalogue

LABELS: dict[str, str] = {
    # answerable from the file
    "duldung_months": "Duldung for the minimum period (time that counts)",
    "duldung": "Holds a Duldung",
    "stay_years": "Uninterrupted stay for the minimum period",
    "stay_on_cutoff": "Uninterrupted stay for the minimum period on the cut-off date",
    "school_or_qualification": "Successful school attendance in Germany or a German qualification",
    "apply_before_birthday": "Application before the age limit",
    "training": "Qualified vocational training started or agreed",
    "identity_in_time": "Identity clarified within the deadline",
    "no_work_ban_60a6": "No work ban under § 60a (6)",
    "apply_window": "Application window before the training starts",
    "in_force": "Provision in force",
    "living_costs": "Living costs secured",
    "living_costs_mostly": "Living costs mostly secured",
    "held_ausbildungsduldung": "Holds or held an Ausbildungsduldung (§ 60c)",
    "training_completed": "Qualified vocational training completed",
    "job": "Employment after the training",
    "german_b1": "German at level B1",
    "german_a2": "Oral German at level A2",
    "entry_by": "Entry by the cut-off date",
    "employment_months": "Employment subject to social insurance for the minimum period and hours",
    "new_applications_possible": "New applications still accepted",
    "holds_104c": "Holds the Chancen-Aufenthaltserlaubnis (§ 104c)",
    "convert_before_end": "Apply for § 25a or § 25b before the § 104c permit ends",
    # the file cannot answer these ("zu klären" until the worker records an outcome)
    "passport": "Valid passport (exceptions possible)",
    "integration_prognosis": "Positive integration prognosis",
    "no_relevant_convictions": "No relevant convictions",
    "no_measures_to_end_stay": "No concrete measures to end the stay",
    "no_identity_deception": "No deception about identity",
    "training_qualifies": "Training qualifies (helper training in a shortage occupation with a follow-on "
                          "training place, or school-based training in a recognised occupation)",
    "job_matches_qualification": "The job matches the qualification",
    "housing": "Adequate housing",
    "legal_order_knowledge": "Basic knowledge of the legal and social order",
}

QUESTIONS: dict[str, str] = {
    "passport": "No valid passport in the file: record whether one can be obtained or an exception applies.",
    "integration_prognosis": "Record the outcome: can the person be expected to integrate?",
    "no_relevant_convictions": "Record the outcome: are there no relevant convictions?",
    "no_measures_to_end_stay": "Record the outcome: are there no concrete measures to end the stay?",
    "no_identity_deception": "Record the outcome: no deception about identity?",
    "training_qualifies": "Record the outcome: does the training qualify?",
    "job_matches_qualification": "Record the outcome: does the job match the qualification?",
    "housing": "Record the outcome: is the housing adequate?",
    "legal_order_knowledge": "Record the outcome: basic knowledge of the legal and social order shown?",
}

UNANSWERABLE = frozenset(QUESTIONS)
OUTCOME_KEYS = UNANSWERABLE | {"identity_steps_in_time"}

PATHWAY_KEYS: dict[ResidencePathway, tuple[str, ...]] = {
    ResidencePathway.P60C: ("training", "training_qualifies", "duldung_months", "identity_in_time", "no_work_ban_60a6",
                            "apply_window", "no_measures_to_end_stay", "no_relevant_convictions"),
    ResidencePathway.P16G: ("in_force", "training", "training_qualifies", "duldung_months", "identity_in_time",
                            "no_work_ban_60a6", "apply_window", "living_costs", "passport",
                            "no_measures_to_end_stay", "no_relevant_convictions"),
    ResidencePathway.P19D_1A: ("held_ausbildungsduldung", "training_completed", "training_qualifies", "job",
                               "german_b1", "job_matches_qualification", "housing", "no_relevant_convictions",
                               "no_identity_deception"),
    ResidencePathway.P60D: ("entry_by", "identity_in_time", "duldung_months", "employment_months", "living_costs",
                            "german_a2", "no_relevant_convictions"),
    ResidencePathway.P25A: ("duldung_months", "stay_years", "school_or_qualification", "apply_before_birthday",
                            "passport", "integration_prognosis"),
    ResidencePathway.P25B: ("duldung", "stay_years", "living_costs_mostly", "german_a2", "legal_order_knowledge",
                            "no_relevant_convictions"),
    ResidencePathway.P104C: ("new_applications_possible", "duldung", "stay_on_cutoff", "no_relevant_convictions",
                             "no_identity_deception", "holds_104c", "convert_before_end"),
}

# Language levels the pathways ask for. The rule data cannot hold them yet: parse_rule_data accepts
# no "level" unit and no text value. A rule of the given key, once the data can carry it, wins.
LANGUAGE_MINIMA: dict[str, tuple[LanguageLevel, frozenset[LanguageSkill]]] = {
    "P19D_MIN_LANGUAGE": (LanguageLevel.B1, frozenset({LanguageSkill.GESAMT})),
    "P60D_MIN_LANGUAGE": (LanguageLevel.A2, frozenset({LanguageSkill.GESAMT, LanguageSkill.MUENDLICH})),
    "P25B_MIN_LANGUAGE": (LanguageLevel.A2, frozenset({LanguageSkill.GESAMT, LanguageSkill.MUENDLICH})),
}
GERMAN = frozenset({"de", "deu", "ger", "deutsch", "german"})
GERMAN_QUALIFICATIONS = frozenset(set(Qualification) - {Qualification.KEINER, Qualification.AUSLAENDISCH})
TRAINING_TYPES = frozenset({WorkType.AUSBILDUNG_QUALIFIZIERT, WorkType.HELFERAUSBILDUNG, WorkType.AUSBILDUNG_SCHULISCH})
QUALIFIED_TRAINING_TYPES = frozenset({WorkType.AUSBILDUNG_QUALIFIZIERT, WorkType.AUSBILDUNG_SCHULISCH})


def _checked_override(pathway: ResidencePathway, key: str,
                      override: Override) -> tuple[CriterionStatus, str, dt.date | None]:
    if key not in PATHWAY_KEYS[pathway]:
        raise ValueError(f"{pathway}: no criterion {key!r} to override")
    if not isinstance(override, tuple) or len(override) not in (2, 3):
        raise ValueError(f"{pathway}/{key}: an override is (status, reason[, expected date])")
    status = CriterionStatus(override[0])
    reason = override[1]
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{pathway}/{key}: an override needs a reason")
    expected = override[2] if len(override) == 3 else None
    if status is CriterionStatus.ABSEHBAR and not isinstance(expected, dt.date):
        raise ValueError(f"{pathway}/{key}: an ABSEHBAR override needs the expected date")
    return status, reason.strip(), expected if status is CriterionStatus.ABSEHBAR else None


# --------------------------------------------------------------------------- dates


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_days(year: int, month: int) -> int:
    """Days in a month (calendar.monthrange also works out the weekday: this runs 50,000 times
    for the deadlines of 10,000 files)."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def months_reached(start: dt.date, months: int) -> dt.date:
    """The day a span of ``months`` months begun on ``start`` counts as complete (§ 188 Abs. 2, 3
    BGB: the day with start's number; where the month lacks it, the first of the next month).
    Negative ``months`` give the earliest day that far before ``start`` by the same rule."""
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    last = _month_days(year, month0 + 1)
    if start.day <= last:
        return dt.date(year, month0 + 1, start.day)
    return dt.date(year, month0 + 1, last) + ONE_DAY


def months_after(event: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months after an event on ``event`` (§ 188 Abs. 2, 3
    BGB: the day with the event's number; where the month lacks it, the month's last day)."""
    year, month0 = divmod(event.month - 1 + months, 12)
    year += event.year
    return dt.date(year, month0 + 1, min(event.day, _month_days(year, month0 + 1)))


def years_reached(start: dt.date, years: int) -> dt.date:
    """The day ``years`` years begun on ``start`` are complete (29 February: 1 March in common years)."""
    return birthday_in_year(start, start.year + years)


def _clip(start: dt.date | None, end: dt.date | None, on: dt.date) -> Interval | None:
    if start is None or start > on:
        return None
    end = on if end is None or end > on else end
    return (start, end) if end >= start else None


# --------------------------------------------------------------------------- rule access


class _Rules:
    """Reads rule values and remembers which rules a check used (for "Stand" and rule keys)."""

    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules
        self.used: dict[str, LegalRule] = {}

    def __call__(self, key: str) -> Any:
        rule = self._rules.rules[key]
        self.used.setdefault(key, rule)
        return rule.value

    def language(self, key: str) -> tuple[LanguageLevel, frozenset[LanguageSkill]]:
        level, skills = LANGUAGE_MINIMA[key]
        if key in self._rules.rules:
            level = LanguageLevel(str(self(key)))
        return level, skills


_UNSET = object()


class _Ctx:
    def __init__(self, facts: FileFacts, rules: RuleSet, on: dt.date) -> None:
        self.facts = facts
        self.on = on
        self.r = _Rules(rules)
        self._current: object = _UNSET

    @property
    def plain_periods(self) -> list[PeriodFact]:
        return [PeriodFact(p.status, p.valid_from, p.valid_until) for p in self.facts.periods]

    def current(self) -> ResidenceFact | None:
        if self._current is _UNSET:
            self._current = current_period(list(self.facts.periods), self.on)
        return self._current  # type: ignore[return-value]


def _c(key: str, status: CriterionStatus, value: Text, expected: dt.date | None = None,
       clarify: Text | None = None) -> Criterion:
    return Criterion(key, LABELS[key], status, value, expected if status is CriterionStatus.ABSEHBAR else None,
                     clarify, answerable=key not in UNANSWERABLE)


E, A, N, U = CriterionStatus.ERFUELLT, CriterionStatus.ABSEHBAR, CriterionStatus.NICHT_ERFUELLT, CriterionStatus.UNKLAR


def _ask(ctx: _Ctx, key: str) -> Criterion:
    """A criterion the file cannot answer: the worker's recorded outcome, else "zu klären"."""
    outcome = ctx.facts.outcomes.get(key)
    if outcome == "JA":
        return _c(key, E, _t("Recorded by the worker: yes."))
    if outcome == "NEIN":
        return _c(key, N, _t("Recorded by the worker: no."))
    return _c(key, U, _t("Not recorded."), clarify=_t(QUESTIONS[key]))


# --------------------------------------------------------------------------- shared criteria


def _duldung_months(ctx: _Ctx, months_key: str, statuses_key: str) -> Criterion:
    """Time in a counting Duldung: met, expected (while a counting Duldung runs), or not met."""
    key = "duldung_months"
    need: int = ctx.r(months_key)
    counting: frozenset[ResidenceStatus] = ctx.r(statuses_key)
    if not ctx.facts.periods:
        return _c(key, U, _t("No residence period recorded."), clarify=_t("Record the residence papers."))
    on = ctx.on
    days = counting_days(ctx.plain_periods, on, counting)
    counted = _t("{days} days of Duldung that count (of {months} months).", days=days, months=need)
    if days and months_reached(on - dt.timedelta(days=days - 1), need) <= on:
        return _c(key, E, counted)
    cur = ctx.current()
    if cur is not None and cur.status in counting:
        if cur.valid_until is not None and cur.valid_until < on:
            return _c(key, U, _t("The last Duldung in the file ended on {date}.", date=cur.valid_until),
                      clarify=_t("Record the current residence paper."))
        if cur.valid_from is None:
            return _c(key, U, counted, clarify=_t("Record when the current Duldung began."))
        reached = months_reached(on - dt.timedelta(days=days - 1), need)
        return _c(key, A, counted, reached, _t("Expected if the Duldung continues."))
    status = cur.status if cur is not None else ResidenceStatus.UNBEKANNT
    return _c(key, N, _t("{days} days of Duldung that count; current status {status}.", days=days, status=str(status)),
              clarify=_t("Time under § 60b, Gestattung or another status does not count."))


def _current_duldung(ctx: _Ctx, statuses_key: str) -> Criterion:
    key = "duldung"
    statuses: frozenset[ResidenceStatus] = ctx.r(statuses_key)
    cur = ctx.current()
    if cur is None:
        return _c(key, U, _t("No residence period recorded."), clarify=_t("Record the residence papers."))
    if cur.status in statuses:
        if cur.valid_until is not None and cur.valid_until < ctx.on:
            return _c(key, U, _t("The last paper in the file ({status}) ended on {date}.", status=str(cur.status),
                                 date=cur.valid_until), clarify=_t("Record the current residence paper."))
        return _c(key, E, _t("Current status {status}.", status=str(cur.status)))
    if cur.status is ResidenceStatus.UNBEKANNT:
        return _c(key, U, _t("Current status unknown."), clarify=_t("Record the current residence paper."))
    return _c(key, N, _t("Current status {status}.", status=str(cur.status)))


@dataclass(frozen=True)
class _Stay:
    kind: str  # "run", "ended", "unknown", "none"
    start: dt.date | None = None
    end: dt.date | None = None


def _stay_run(facts: FileFacts, on: dt.date, statuses: frozenset[ResidenceStatus], break_months: int) -> _Stay:
    """The uninterrupted stay that reaches ``on``: breaks up to ``break_months`` do no harm; a
    longer break documented by a status that does not count ends the stay; a longer stretch with no
    paper (or status UNBEKANNT) is unclear. The time from entry to the first paper counts."""
    spans: list[Interval] = []
    other: list[Interval] = []
    for p in facts.periods:
        clipped = _clip(p.valid_from, p.valid_until, on)
        if clipped is None:
            continue
        if p.status in statuses:
            spans.append(clipped)
        elif p.status is not ResidenceStatus.UNBEKANNT:
            other.append(clipped)
    starts = [p.valid_from for p in facts.periods if p.valid_from is not None and p.valid_from <= on]
    entry = facts.entry_date
    if entry is not None and entry <= on:
        first = min(starts, default=None)
        spans.append((entry, max(entry, first - ONE_DAY) if first is not None else on))
    runs = merge(spans)
    if not runs:
        return _Stay("none")
    known_other = merge(other)

    def documented_break(gap: Interval) -> bool:
        return any(a <= gap[0] and b >= gap[1] for a, b in known_other)

    start, end = runs[-1]
    if end < on and months_reached(end + ONE_DAY, break_months) <= on:
        if documented_break((end + ONE_DAY, on)):
            return _Stay("ended", end=end)
        return _Stay("unknown", start=end + ONE_DAY, end=on)
    for s, e in reversed(runs[:-1]):
        gap = (e + ONE_DAY, start - ONE_DAY)
        if start <= months_reached(gap[0], break_months):
            start = s
            continue
        if not documented_break(gap):
            return _Stay("unknown", start=gap[0], end=gap[1])
        break
    return _Stay("run", start=start)


def _stay_criterion(ctx: _Ctx, key: str, years: int, statuses_key: str, break_key: str,
                    cutoff: dt.date | None = None) -> Criterion:
    statuses: frozenset[ResidenceStatus] = ctx.r(statuses_key)
    break_months: int = ctx.r(break_key)
    day = cutoff or ctx.on
    stay = _stay_run(ctx.facts, day, statuses, break_months)
    if stay.kind == "none":
        return _c(key, U, _t("No entry date and no residence period recorded."),
                  clarify=_t("Record the entry date and the residence papers."))
    if stay.kind == "unknown":
        return _c(key, U, _t("No residence paper recorded from {start} to {end}.", start=stay.start, end=stay.end),
                  clarify=_t("Record the papers for this time, or whether the stay was interrupted."))
    if stay.kind == "ended":
        return _c(key, N, _t("The stay in the file was interrupted after {date}.", date=stay.end))
    assert stay.start is not None
    reached = years_reached(stay.start, years)
    value = _t("Uninterrupted stay since {start} ({years} years needed).", start=stay.start, years=years)
    if reached <= day:
        return _c(key, E, value)
    if cutoff is not None:
        return _c(key, N, _t("On {cutoff}: uninterrupted stay since {start} ({years} years needed).",
                             cutoff=cutoff, start=stay.start, years=years))
    return _c(key, A, value, reached, _t("Expected if the stay continues uninterrupted."))


def _language(ctx: _Ctx, key: str, rule_key: str) -> Criterion:
    level, skills = ctx.r.language(rule_key)
    german = [c for c in ctx.facts.certificates if c.language.strip().lower() in GERMAN and c.level in CERTIFICATE_LEVELS]
    if not german:
        return _c(key, U, _t("No German certificate recorded."),
                  clarify=_t("Record a certificate of level {level} or higher, or ask whether the authority will "
                             "assess it in the interview.", level=str(level)))
    need = CERTIFICATE_LEVELS.index(level)
    fitting = [c for c in german if c.skill in skills and CERTIFICATE_LEVELS.index(c.level) >= need]
    if fitting:
        best = max(fitting, key=lambda c: CERTIFICATE_LEVELS.index(c.level))
        return _c(key, E, _t("German certificate {level} ({skill}).", level=str(best.level), skill=str(best.skill)))
    best = max(german, key=lambda c: CERTIFICATE_LEVELS.index(c.level))
    return _c(key, N, _t("Highest German certificate: {level} ({skill}); {need} needed.", level=str(best.level),
                         skill=str(best.skill), need=str(level)))


def _living_costs(ctx: _Ctx, key: str, mostly: bool) -> Criterion:
    income = ctx.facts.income_covers
    if income is None:
        return _c(key, U, _t("Not recorded."), clarify=_t("Record whether the income covers the living costs."))
    ok = {IncomeCoverage.VOLL, IncomeCoverage.UEBERWIEGEND} if mostly else {IncomeCoverage.VOLL}
    value = _t("Income covers the living costs: {coverage}.", coverage=str(income))
    return _c(key, E if income in ok else N, value)


def _passport(ctx: _Ctx) -> Criterion:
    until = ctx.facts.passport_valid_until
    if until is not None and until >= ctx.on:
        return _c("passport", E, _t("Passport valid until {date}.", date=until))
    criterion = _ask(ctx, "passport")
    if until is not None and criterion.status is U:
        return _c("passport", U, _t("Passport expired on {date}.", date=until), clarify=criterion.to_clarify)
    return criterion


def _identity_deadline(ctx: _Ctx, pathway: ResidencePathway, entry: dt.date) -> dt.date | None:
    """The last day identity must be clarified by; None: "by the application" (i.e. now)."""
    r = ctx.r
    if pathway is ResidencePathway.P60D:
        if entry <= r("P60D_IDENTITY_EARLY_ENTRY_UNTIL"):
            return None
        deadline: dt.date = r("P60D_IDENTITY_DEADLINE")
        return None if ctx.on <= deadline else deadline
    if entry <= r("P60C_IDENTITY_EARLY_ENTRY_UNTIL"):
        return None
    if entry <= r("P60C_IDENTITY_MID_ENTRY_UNTIL"):
        mid: dt.date = r("P60C_IDENTITY_MID_ENTRY_DEADLINE")
        return mid
    return months_after(entry, r("P60C_IDENTITY_MONTHS_AFTER_ENTRY"))


def _identity_in_time(ctx: _Ctx, pathway: ResidencePathway) -> Criterion:
    key = "identity_in_time"
    facts = ctx.facts
    state = facts.identity_clarified
    if state in (None, IdentityClarified.UNBEKANNT):
        return _c(key, U, _t("Not recorded."), clarify=_t("Record whether the identity is clarified."))
    if facts.entry_date is None:
        return _c(key, U, _t("Entry date not recorded."), clarify=_t("Record the entry date: the deadline depends on it."))
    deadline = _identity_deadline(ctx, pathway, facts.entry_date)
    if state is IdentityClarified.JA:
        done = facts.identity_clarified_on
        if deadline is None:
            return _c(key, E, _t("Identity clarified (deadline: the application)."))
        if (done is None and ctx.on <= deadline) or (done is not None and done <= deadline):
            return _c(key, E, _t("Identity clarified (deadline: {date}).", date=deadline))
        if done is None:
            return _c(key, U, _t("Identity clarified; the deadline was {date}.", date=deadline),
                      clarify=_t("Record when the identity was clarified."))
        late = _t("Identity clarified on {done}; the deadline was {date}.", done=done, date=deadline)
    elif deadline is None:
        return _c(key, N, _t("Identity not clarified ({state}).", state=str(state)),
                  clarify=_t("Clarify the identity before the application."))
    elif ctx.on <= deadline:
        return _c(key, N, _t("Identity not clarified ({state}).", state=str(state)),
                  clarify=_t("Clarify the identity by {date}.", date=deadline))
    else:
        late = _t("Identity not clarified ({state}); the deadline was {date}.", state=str(state), date=deadline)
    steps = facts.outcomes.get("identity_steps_in_time")
    if steps == "JA":
        return _c(key, E, late, clarify=_t("Recorded by the worker: all reasonable steps were taken in time."))
    return _c(key, N, late, clarify=None if steps == "NEIN" else _t(
        "The deadline counts as kept if all reasonable steps were taken in time: record the outcome."))


def _training_record(ctx: _Ctx, types: frozenset[WorkType]) -> WorkFact | None:
    """The current or agreed training of one of ``types`` (latest start; unknown start last)."""
    candidates = [w for w in ctx.facts.works
                  if w.type in types and (w.actual_end_date is None or w.actual_end_date >= ctx.on)]
    if not candidates:
        return None
    return max(candidates, key=lambda w: w.start_date or dt.date.min)


def _training(ctx: _Ctx) -> tuple[Criterion, WorkFact | None]:
    key = "training"
    work = _training_record(ctx, TRAINING_TYPES)
    if work is None:
        return _c(key, N, _t("No training started or agreed in the file.")), None
    if work.start_date is None:
        return _c(key, U, _t("Training {type} without a start date.", type=str(work.type)),
                  clarify=_t("Record when the training starts.")), work
    return _c(key, E, _t("Training {type} from {start}.", type=str(work.type), start=work.start_date)), work


def _no_work_ban(ctx: _Ctx) -> Criterion:
    key = "no_work_ban_60a6"
    cur = ctx.current()
    permission = cur.employment_permission if cur is not None else None
    if permission in (None, EmploymentPermission.UNBEKANNT):
        return _c(key, U, _t("Employment permission not recorded."),
                  clarify=_t("Record the employment permission of the current paper."))
    if permission is EmploymentPermission.VERBOT_60A_ABS6:
        return _c(key, N, _t("Employment permission: {permission}.", permission=str(permission)))
    return _c(key, E, _t("Employment permission: {permission}.", permission=str(permission)))


def _apply_window(ctx: _Ctx, work: WorkFact | None) -> Criterion:
    key = "apply_window"
    apply_months: int = ctx.r("P60C_APPLY_MONTHS_BEFORE_START")
    grant_months: int = ctx.r("P60C_GRANT_MONTHS_BEFORE_START")
    if work is None or work.start_date is None:
        return _c(key, U, _t("No training start recorded."), clarify=_t("Record when the training starts."))
    start = work.start_date
    apply_from = months_reached(start, -apply_months)
    grant_from = months_reached(start, -grant_months)
    value = _t("Training starts {start}: application from {apply}, grant from {grant}.", start=start,
               apply=apply_from, grant=grant_from)
    if apply_from <= ctx.on:
        return _c(key, E, value)
    return _c(key, A, value, apply_from)


def _duldung_60c(ctx: _Ctx, work: WorkFact | None) -> Criterion:
    """§ 60c: Duldung for the minimum period, unless the training began under a Gestattung."""
    criterion = _duldung_months(ctx, "P60C_MIN_DULDUNG_MONTHS", "P60C_COUNTING_STATUSES")
    if criterion.status is E or work is None or work.start_date is None or work.start_date > ctx.on:
        return criterion
    at_start = current_period(list(ctx.facts.periods), work.start_date)
    if at_start is not None and at_start.status is ResidenceStatus.AUFENTHALTSGESTATTUNG:
        return _c("duldung_months", E, _t("The training began under a Gestattung on {start}.", start=work.start_date))
    return criterion


def _training_qualifies(ctx: _Ctx, work: WorkFact | None) -> list[Criterion]:
    if work is not None and work.type in (WorkType.HELFERAUSBILDUNG, WorkType.AUSBILDUNG_SCHULISCH):
        return [_ask(ctx, "training_qualifies")]
    return []


# --------------------------------------------------------------------------- pathways


def _p60c(ctx: _Ctx, pathway: ResidencePathway) -> tuple[list[Criterion], dt.date | None]:
    training, work = _training(ctx)
    return [training, *_training_qualifies(ctx, work), _duldung_60c(ctx, work), _identity_in_time(ctx, pathway),
            _no_work_ban(ctx), _apply_window(ctx, work), _ask(ctx, "no_measures_to_end_stay"),
            _ask(ctx, "no_relevant_convictions")], None


def _p16g(ctx: _Ctx) -> tuple[list[Criterion], dt.date | None]:
    since: dt.date = ctx.r("P16G_FROM")
    in_force = _c("in_force", E if since <= ctx.on else A, _t("§ 16g applies from {date}.", date=since), since)
    training, work = _training(ctx)
    return [in_force, training, *_training_qualifies(ctx, work), _duldung_60c(ctx, work),
            _identity_in_time(ctx, ResidencePathway.P16G), _no_work_ban(ctx), _apply_window(ctx, work),
            _living_costs(ctx, "living_costs", mostly=False), _passport(ctx), _ask(ctx, "no_measures_to_end_stay"),
            _ask(ctx, "no_relevant_convictions")], None


def _p19d_1a(ctx: _Ctx) -> tuple[list[Criterion], dt.date | None]:
    on, facts = ctx.on, ctx.facts
    held = [p.valid_from for p in facts.periods if p.status is ResidenceStatus.AUSBILDUNGSDULDUNG_60C
            and p.valid_from is not None and p.valid_from <= on]
    held_c = (_c("held_ausbildungsduldung", E, _t("Ausbildungsduldung since {date}.", date=min(held))) if held
              else _c("held_ausbildungsduldung", N, _t("No Ausbildungsduldung (§ 60c) in the file.")))
    trainings = [w for w in facts.works if w.type in QUALIFIED_TRAINING_TYPES]
    passed = [w for w in trainings if w.end_reason in (WorkEndReason.BESTANDEN, WorkEndReason.UEBERNOMMEN)
              and (w.actual_end_date is None or w.actual_end_date <= on)]
    running = [w for w in trainings if w.end_reason is None and (w.actual_end_date is None or w.actual_end_date > on)]
    open_result = [w for w in trainings
                   if w.end_reason is None and w.actual_end_date is not None and w.actual_end_date <= on]
    key = "training_completed"
    work: WorkFact | None = None
    end: dt.date | None = None
    if passed:
        work = max(passed, key=lambda w: w.actual_end_date or w.planned_end_date or dt.date.min)
        end = work.actual_end_date or work.planned_end_date
        done = (_c(key, E, _t("Training passed on {date}.", date=end)) if end
                else _c(key, E, _t("Training passed.")))
    elif open_result:
        work = max(open_result, key=lambda w: w.actual_end_date or dt.date.min)
        done = _c(key, U, _t("Training ended on {date}; result not recorded.", date=work.actual_end_date),
                  clarify=_t("Record whether the training was passed."))
    elif running:
        work = max(running, key=lambda w: w.start_date or dt.date.min)
        end = work.planned_end_date
        if end is None:
            done = _c(key, U, _t("Training running; planned end not recorded."), clarify=_t("Record the planned end."))
        elif end <= on:
            done = _c(key, U, _t("Training planned to end on {date}; result not recorded.", date=end),
                      clarify=_t("Record whether the training was passed."))
            end = None
        else:
            done = _c(key, A, _t("Training planned to end on {date}.", date=end), end,
                      _t("Expected if the final examination is passed."))
    else:
        done = _c(key, N, _t("No qualified training completed or running in the file."))
    after = end or (work.start_date if work is not None else None)
    jobs = [w for w in facts.works if w.type is WorkType.SV_BESCHAEFTIGUNG
            and (w.actual_end_date is None or w.actual_end_date >= on)
            and (after is None or w.start_date is None or w.start_date >= after)]
    if not jobs:
        job = _c("job", N, _t("No employment after the training in the file."),
                 clarify=_t("Record a job offer or employment contract."))
    else:
        first = min(jobs, key=lambda w: w.start_date or dt.date.max)
        if first.start_date is None:
            job = _c("job", U, _t("Employment without a start date."), clarify=_t("Record when the employment starts."))
        elif first.start_date <= on:
            job = _c("job", E, _t("Employed since {date}.", date=first.start_date))
        else:
            job = _c("job", A, _t("Employment starts on {date}.", date=first.start_date), first.start_date)
    # The job search after the training has its deadline; once employed, none is left to watch.
    deadline = (months_after(end, ctx.r("P19D_JOB_SEARCH_MONTHS"))
                if end is not None and done.status in (E, A) and job.status is not E else None)
    return [held_c, done, *_training_qualifies(ctx, work), job, _language(ctx, "german_b1", "P19D_MIN_LANGUAGE"),
            _ask(ctx, "job_matches_qualification"), _ask(ctx, "housing"), _ask(ctx, "no_relevant_convictions"),
            _ask(ctx, "no_identity_deception")], deadline


def _employment_months(ctx: _Ctx) -> Criterion:
    key = "employment_months"
    need: int = ctx.r("P60D_MIN_EMPLOYMENT_MONTHS")
    hours: int = ctx.r("P60D_MIN_HOURS_PER_WEEK")
    on = ctx.on
    jobs = [w for w in ctx.facts.works if w.type is WorkType.SV_BESCHAEFTIGUNG]
    spans = [c for w in jobs if w.hours_per_week is not None and w.hours_per_week >= hours
             if (c := _clip(w.start_date, w.actual_end_date, on))]
    runs = merge(spans)
    if runs and runs[-1][1] == on:
        start = runs[-1][0]
        reached = months_reached(start, need)
        value = _t("Employed since {start} with at least {hours} hours a week ({months} months needed).",
                   start=start, hours=hours, months=need)
        if reached <= on:
            return _c(key, E, value)
        return _c(key, A, value, reached, _t("Expected if the employment continues."))
    current = [w for w in jobs if (c := _clip(w.start_date, w.actual_end_date, on)) and c[1] == on]
    if any(w.hours_per_week is None for w in current):
        return _c(key, U, _t("Current employment without weekly hours."), clarify=_t("Record the weekly working hours."))
    if any(w.start_date is None and w.actual_end_date is None for w in jobs):
        return _c(key, U, _t("Employment without a start date."), clarify=_t("Record when the employment began."))
    if current:
        return _c(key, N, _t("Current employment under {hours} hours a week.", hours=hours))
    return _c(key, N, _t("No current employment subject to social insurance in the file."))


def _p60d_parts(ctx: _Ctx) -> _Parts:
    entry_by: dt.date = ctx.r("P60D_ENTRY_BY")
    entry = ctx.facts.entry_date

    def entry_c() -> Criterion:
        if entry is None:
            return _c("entry_by", U, _t("Entry date not recorded."), clarify=_t("Record the entry date."))
        return _c("entry_by", E if entry <= entry_by else N,
                  _t("Entry on {entry}; at the latest on {by}.", entry=entry, by=entry_by))

    return [entry_c, lambda: _identity_in_time(ctx, ResidencePathway.P60D),
            lambda: _duldung_months(ctx, "P60D_MIN_DULDUNG_MONTHS", "P60D_COUNTING_STATUSES"),
            lambda: _employment_months(ctx), lambda: _living_costs(ctx, "living_costs", mostly=False),
            lambda: _language(ctx, "german_a2", "P60D_MIN_LANGUAGE"),
            lambda: _ask(ctx, "no_relevant_convictions")], None, (0, 4, 5, 6, 1, 3, 2)


def _school_days(records: list[SchoolRecordFact], until: dt.date, gap_months: int) -> tuple[dt.date | None, int]:
    """First day and number of days of attendance up to ``until``; holidays between two records
    up to ``gap_months`` count as attended."""
    days = school_days_in_germany([SchoolFact(s.country, s.start_date, s.end_date, True) for s in records], until)
    spans = merge(c for s in records if (c := _clip(s.start_date, s.end_date, until)))
    for (_, e), (s2, _) in zip(spans, spans[1:]):
        if s2 <= months_reached(e + ONE_DAY, gap_months):
            days += total_days([(e + ONE_DAY, s2 - ONE_DAY)])
    return (spans[0][0] if spans else None), days


def _school(ctx: _Ctx) -> Criterion:
    key = "school_or_qualification"
    years: int = ctx.r("P25A_MIN_SCHOOL_YEARS")
    gap_months: int = ctx.r("P25A_SCHOOL_GAP_MONTHS")
    on, facts = ctx.on, ctx.facts
    german = [s for s in facts.schools if s.country.strip().upper() == "DE"]
    for s in german:
        if s.qualification in GERMAN_QUALIFICATIONS and (s.end_date is None or s.end_date <= on):
            return _c(key, E, _t("German qualification {qualification}.", qualification=str(s.qualification)))
    for w in facts.works:
        if (w.type in QUALIFIED_TRAINING_TYPES and w.end_reason in (WorkEndReason.BESTANDEN, WorkEndReason.UEBERNOMMEN)
                and (w.actual_end_date is None or w.actual_end_date <= on)):
            return _c(key, E, _t("German vocational qualification (training passed)."))
    # Completed days (up to yesterday) of successful attendance.
    yesterday = on - ONE_DAY
    ok = [s for s in german if s.attendance_ok is True]
    first, days = _school_days(ok, yesterday, gap_months)
    value = _t("School in Germany: {days} days that count ({years} years needed).", days=days, years=years)
    if first is not None and full_years(first, days) >= years:
        return _c(key, E, value)
    current = [s for s in german if s.start_date is not None and s.start_date <= on
               and (s.end_date is None or s.end_date >= on) and s.attendance_ok is not False]
    if any(s.attendance_ok is None and s not in current for s in german):
        return _c(key, U, value, clarify=_t("Record whether the school attendance was successful."))
    if not current:
        return _c(key, N, value)
    # The current school year is expected to end successfully: its days count for the forecast.
    first, days = _school_days(ok + [s for s in current if s.attendance_ok is None], yesterday, gap_months)
    cur = max(current, key=lambda s: s.end_date or dt.date.max)  # the one attended longest
    base = first or on
    remaining = (years_reached(base, years) - base).days - days
    if remaining <= 0:
        return _c(key, U, value, clarify=_t("Record whether the current school year was successful."))
    expected = on + dt.timedelta(days=remaining)
    if cur.end_date is not None and cur.end_date < expected - ONE_DAY:
        return _c(key, N, value, clarify=_t("The school ends on {end}: further attendance would be needed.",
                                            end=cur.end_date))
    return _c(key, A, value, expected, _t("Expected if the attendance continues successfully."))


def _p25a_parts(ctx: _Ctx) -> _Parts:
    age: int = ctx.r("P25A_APPLY_BEFORE_BIRTHDAY")
    deadline = last_day_before_birthday(ctx.facts.birth_date, age)

    def apply_c() -> Criterion:
        fictitious = (_t("The birth date is fictitious: the date on the authority's papers counts.")
                      if ctx.facts.birth_date_fictitious else None)
        return _c("apply_before_birthday", E if ctx.on <= deadline else N,
                  _t("Apply by {date} (day before the birthday {age}).", date=deadline, age=age), clarify=fictitious)

    return [lambda: _duldung_months(ctx, "P25A_MIN_DULDUNG_MONTHS", "P25A_COUNTING_STATUSES"),
            lambda: _stay_criterion(ctx, "stay_years", ctx.r("P25A_MIN_STAY_YEARS"), "P25A_STAY_STATUSES",
                                    "P25A_MAX_HARMLESS_BREAK_MONTHS"),
            lambda: _school(ctx), apply_c, lambda: _passport(ctx), lambda: _ask(ctx, "integration_prognosis")], \
        deadline, (3, 5, 4, 2, 0, 1)


def _p25b_parts(ctx: _Ctx) -> _Parts:
    plain: int = ctx.r("P25B_MIN_STAY_YEARS")
    with_child: int = ctx.r("P25B_MIN_STAY_YEARS_WITH_CHILD")
    children = ctx.facts.minor_children

    def stay(years: int) -> Criterion:
        return _stay_criterion(ctx, "stay_years", years, "P25B_STAY_STATUSES", "P25B_MAX_HARMLESS_BREAK_MONTHS")

    def stay_c() -> Criterion:
        if children is not None:
            return stay(with_child if children > 0 else plain)
        a, b = stay(plain), stay(with_child)
        return a if (a.status, a.expected_date) == (b.status, b.expected_date) else _c(
            "stay_years", U, b.value, clarify=_t("Record whether a minor child lives in the household: "
                                                 "{child} instead of {plain} years.", child=with_child, plain=plain))

    return [lambda: _current_duldung(ctx, "P25B_DULDUNG_STATUSES"), stay_c,
            lambda: _living_costs(ctx, "living_costs_mostly", mostly=True),
            lambda: _language(ctx, "german_a2", "P25B_MIN_LANGUAGE"), lambda: _ask(ctx, "legal_order_knowledge"),
            lambda: _ask(ctx, "no_relevant_convictions")], None, (2, 3, 4, 5, 0, 1)


def _p104c(ctx: _Ctx) -> tuple[list[Criterion], dt.date | None]:
    on = ctx.on
    cur = ctx.current()
    if cur is not None and cur.status is ResidenceStatus.AE_104C:
        end = cur.valid_until
        if end is None and cur.valid_from is not None:
            end = months_reached(cur.valid_from, ctx.r("P104C_DURATION_MONTHS")) - ONE_DAY
        if end is None:
            holds = _c("holds_104c", U, _t("§ 104c permit without dates."), clarify=_t("Record when the permit ends."))
            return [holds, _c("convert_before_end", U, _t("End of the permit unknown."),
                              clarify=_t("Record when the permit ends."))], None
        holds = _c("holds_104c", E if end >= on else N, _t("§ 104c permit valid until {date}.", date=end))
        convert = _c("convert_before_end", E if on <= end else N,
                     _t("Apply for § 25a or § 25b before {date}; the permit cannot be extended.", date=end),
                     clarify=_t("Check § 25a and § 25b now.") if on <= end else None)
        return [holds, convert], end
    no_new_from: dt.date = ctx.r("P104C_NO_NEW_APPLICATIONS_FROM")
    deadline = no_new_from - ONE_DAY
    new_c = _c("new_applications_possible", E if on < no_new_from else N,
               _t("No new applications from {date}.", date=no_new_from))
    cutoff: dt.date = ctx.r("P104C_CUTOFF")
    return [new_c, _current_duldung(ctx, "P104C_DULDUNG_STATUSES"),
            _stay_criterion(ctx, "stay_on_cutoff", ctx.r("P104C_STAY_YEARS_ON"), "P104C_STAY_STATUSES",
                            "P104C_MAX_HARMLESS_BREAK_MONTHS", cutoff=cutoff),
            _ask(ctx, "no_relevant_convictions"), _ask(ctx, "no_identity_deception")], deadline


# A pathway as parts: its criteria in the order shown, each worked out only when asked (a thunk),
# the deadline, and the order from cheap to dear in which :func:`possible_from` asks them.
_Parts = tuple[list[Callable[[], Criterion]], dt.date | None, tuple[int, ...]]
_PARTS: dict[ResidencePathway, Callable[[_Ctx], _Parts]] = {
    ResidencePathway.P60D: _p60d_parts,
    ResidencePathway.P25A: _p25a_parts,
    ResidencePathway.P25B: _p25b_parts,
}


def _eager(parts: Callable[[_Ctx], _Parts]) -> Callable[[_Ctx], tuple[list[Criterion], dt.date | None]]:
    def run(ctx: _Ctx) -> tuple[list[Criterion], dt.date | None]:
        thunks, deadline, _order = parts(ctx)
        return [t() for t in thunks], deadline
    return run


_p60d, _p25a, _p25b = _eager(_p60d_parts), _eager(_p25a_parts), _eager(_p25b_parts)

_PATHWAYS: dict[ResidencePathway, Callable[[_Ctx], tuple[list[Criterion], dt.date | None]]] = {
    ResidencePathway.P60C: lambda ctx: _p60c(ctx, ResidencePathway.P60C),
    ResidencePathway.P16G: _p16g,
    ResidencePathway.P19D_1A: _p19d_1a,
    ResidencePathway.P60D: _p60d,
    ResidencePathway.P25A: _p25a,
    ResidencePathway.P25B: _p25b,
    ResidencePathway.P104C: _p104c,
}


# --------------------------------------------------------------------------- light and entry points


def _apply_overrides(pathway: ResidencePathway, criteria: list[Criterion], facts: FileFacts) -> list[Criterion]:
    out = []
    for c in criteria:
        override = facts.overrides.get((pathway, c.key))
        if override is not None:
            status, reason, expected = _checked_override(pathway, c.key, override)
            c = Criterion(c.key, c.label, status, c.value, expected, c.to_clarify, True, reason, c.answerable)
        out.append(c)
    return out


def traffic_light(criteria: tuple[Criterion, ...] | list[Criterion], on: dt.date, green_months: int,
                  deadline: dt.date | None = None) -> TrafficLight:
    """The colour rule of DOMAIN.md §3a. Unanswered "zu klären" criteria do not change it."""
    if any(c.status is N for c in criteria):
        return TrafficLight.ROT
    dates = [c.expected_date for c in criteria if c.status is A and c.expected_date is not None]
    if deadline is not None and any(d > deadline for d in dates):
        return TrafficLight.ROT
    if any(c.status is U and c.answerable for c in criteria):
        return TrafficLight.GRAU
    if any(c.status is A and c.expected_date is None for c in criteria):
        return TrafficLight.GRAU
    if dates and max(dates) > months_after(on, green_months):
        return TrafficLight.GELB
    return TrafficLight.GRUEN


def check(pathway: ResidencePathway, facts: FileFacts, rules: RuleSet, on: dt.date) -> PathwayResult:
    """Evaluate one pathway for the file on the day ``on`` (decision support, never a decision)."""
    pathway = ResidencePathway(pathway)
    ctx = _Ctx(facts, rules, on)
    criteria, deadline = _PATHWAYS[pathway](ctx)
    criteria = _apply_overrides(pathway, criteria, facts)
    green: int = ctx.r("GREEN_WITHIN_MONTHS")
    light = traffic_light(criteria, on, green, deadline)
    dates = [c.expected_date for c in criteria if c.status is A and c.expected_date is not None]
    late = tuple(c.key for c in criteria if c.status is A and deadline is not None
                 and c.expected_date is not None and c.expected_date > deadline)
    used = ctx.r.used
    return PathwayResult(
        pathway=pathway, light=light, criteria=tuple(criteria), possible_from=max(dates, default=None),
        missing=tuple(c.label for c in criteria if c.status in (N, U)),
        stand=max((rule.stand for rule in used.values()), default=None), rule_keys=tuple(used),
        on=on, deadline=deadline, late=late,
    )


def possible_from(pathway: ResidencePathway, facts: FileFacts, rules: RuleSet, on: dt.date) -> dt.date | None:
    """What :func:`check` gives as "möglich ab" when the light is GRUEN or GELB, else None — worked
    out cheaply: the criteria are asked from cheap to dear and the first one that makes the light
    ROT or GRAU ends it (the deadlines of 10,000 files ask this for thousands of clients).
    Only for the pathways in ``_PARTS``; the others go through :func:`check`."""
    pathway = ResidencePathway(pathway)
    if pathway not in _PARTS:
        result = check(pathway, facts, rules, on)
        return result.possible_from if result.light in (TrafficLight.GRUEN, TrafficLight.GELB) else None
    ctx = _Ctx(facts, rules, on)
    thunks, deadline, order = _PARTS[pathway](ctx)
    latest: dt.date | None = None
    for index in order:
        c = thunks[index]()
        if facts.overrides:
            c = _apply_overrides(pathway, [c], facts)[0]
        if c.status is N:
            return None  # ROT
        if c.status is U:
            if c.answerable:
                return None  # GRAU
            continue  # "zu klären": does not change the light
        if c.status is A:
            if c.expected_date is None or (deadline is not None and c.expected_date > deadline):
                return None  # GRAU, or ROT: later than the pathway can wait
            if latest is None or c.expected_date > latest:
                latest = c.expected_date
    return latest


def check_all(facts: FileFacts, rules: RuleSet, on: dt.date) -> tuple[PathwayResult, ...]:
    return tuple(check(p, facts, rules, on) for p in ResidencePathway)
