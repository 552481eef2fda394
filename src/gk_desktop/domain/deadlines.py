"""Fristen: every deadline of DOMAIN.md §5, derived from the file (pure, no I/O).

Deadlines are computed, never stored. What the worker decides about one ("erledigt",
"verworfen") is stored by the service under the deadline's key — (type, the record it comes from,
due date) — so it survives recomputation and a change of any unrelated fact, while a change that
moves the due date yields a new, open deadline.

Inputs are plain rows (:class:`ClientInput`, :class:`OfferInput`); the dates of the residence
pathways (§ 25a, § 25b, § 60d "possible from") come from :mod:`gk_desktop.domain.residence_checks`
through the caller, which runs those checks only where they can matter. Lead times and periods
are settings (:class:`DeadlineConfig`); legal numbers (§ 60c months) are legal rules.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from gk_desktop.domain.residence_checks import months_after, years_reached


class DeadlineType(enum.StrEnum):
    DULDUNG_ABLAUF = "DULDUNG_ABLAUF"
    GESTATTUNG_ABLAUF = "GESTATTUNG_ABLAUF"
    PASS_ABLAUF = "PASS_ABLAUF"
    AE_ABLAUF = "AE_ABLAUF"
    FIKTION_ABLAUF = "FIKTION_ABLAUF"
    GEBURTSTAG_27 = "GEBURTSTAG_27"
    ZIELGRUPPE_ENDE = "ZIELGRUPPE_ENDE"
    P25A_MOEGLICH_AB = "P25A_MOEGLICH_AB"
    P25B_MOEGLICH_AB = "P25B_MOEGLICH_AB"
    P60C_ANTRAG_FRUEHESTENS = "P60C_ANTRAG_FRUEHESTENS"
    P60C_ERTEILUNG_FRUEHESTENS = "P60C_ERTEILUNG_FRUEHESTENS"
    IDENTITAET_FRIST_60C = "IDENTITAET_FRIST_60C"
    AUSBILDUNG_ENDE = "AUSBILDUNG_ENDE"
    AUSBILDUNG_ABBRUCH = "AUSBILDUNG_ABBRUCH"
    P60D_KRITERIEN = "P60D_KRITERIEN"
    P104C_ABLAUF = "P104C_ABLAUF"
    BESCHEID_ZUGESTELLT = "BESCHEID_ZUGESTELLT"
    ZIEL_UEBERPRUEFUNG = "ZIEL_UEBERPRUEFUNG"
    AUFGABE_FAELLIG = "AUFGABE_FAELLIG"
    VERMITTLUNG_NACHFASSEN = "VERMITTLUNG_NACHFASSEN"
    KEIN_KONTAKT = "KEIN_KONTAKT"
    EINWILLIGUNG_PRUEFEN = "EINWILLIGUNG_PRUEFEN"
    ANGEBOT_AKTUALISIEREN = "ANGEBOT_AKTUALISIEREN"
    LOESCHFRIST = "LOESCHFRIST"
    DOKUMENT_LOESCHEN = "DOKUMENT_LOESCHEN"
    WIEDERVORLAGE = "WIEDERVORLAGE"


class DeadlineStatus(enum.StrEnum):
    OFFEN = "OFFEN"
    ERLEDIGT = "ERLEDIGT"
    VERWORFEN = "VERWORFEN"


class Urgency(enum.StrEnum):
    """Where a deadline stands on a day: the groups of the start page."""

    UEBERFAELLIG = "UEBERFAELLIG"  # due before today
    HEUTE = "HEUTE"  # due today
    DIESE_WOCHE = "DIESE_WOCHE"  # due within the next 7 days
    ERINNERUNG = "ERINNERUNG"  # due later, its first reminder reached ("Später")
    SPAETER = "SPAETER"  # no reminder reached yet


@dataclass(frozen=True, order=True)
class Lead:
    """A lead time: remind ``amount`` days, weeks or months before the due date (0: on the day)."""

    amount: int
    unit: str = "D"  # D, W or M

    def before(self, due: dt.date) -> dt.date:
        if self.unit == "M":
            return months_after(due, -self.amount) if self.amount else due
        return due - self.delta

    @property
    def delta(self) -> dt.timedelta:
        return dt.timedelta(days=self.amount * (7 if self.unit == "W" else 1))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.lower()}"


def parse_leads(text: str) -> tuple[Lead, ...]:
    """"28d, 14d, 3d" / "6m 2m" / "2w" (German T for days too) → leads, longest first.
    Raises ValueError for anything else."""
    out = []
    for part in text.replace(",", " ").replace(";", " ").split():
        part = part.strip().upper()
        unit = part[-1:] if part[-1:].isalpha() else "D"
        number = part[:-1] if part[-1:].isalpha() else part
        unit = {"T": "D"}.get(unit, unit)
        if unit not in ("D", "W", "M") or not number.isdigit() or int(number) > 3650:
            raise ValueError(part)
        out.append(Lead(int(number), unit))
    return tuple(sorted(set(out), key=lambda lead: lead.before(dt.date(2000, 1, 1))))


def leads_text(leads: Iterable[Lead]) -> str:
    return ", ".join(str(lead) for lead in leads)


ON_THE_DAY = (Lead(0),)

DEFAULT_LEADS: dict[DeadlineType, tuple[Lead, ...]] = {
    DeadlineType.DULDUNG_ABLAUF: (Lead(28), Lead(14), Lead(3)),
    DeadlineType.GESTATTUNG_ABLAUF: (Lead(28), Lead(14), Lead(3)),
    DeadlineType.PASS_ABLAUF: (Lead(6, "M"), Lead(2, "M")),
    DeadlineType.AE_ABLAUF: (Lead(3, "M"), Lead(1, "M"), Lead(14)),
    DeadlineType.FIKTION_ABLAUF: (Lead(3, "M"), Lead(1, "M"), Lead(14)),
    DeadlineType.GEBURTSTAG_27: (Lead(12, "M"), Lead(6, "M"), Lead(3, "M"), Lead(1, "M")),
    DeadlineType.ZIELGRUPPE_ENDE: (Lead(3, "M"),),
    DeadlineType.P25A_MOEGLICH_AB: (Lead(1, "M"),),
    DeadlineType.P25B_MOEGLICH_AB: (Lead(3, "M"),),
    DeadlineType.P60C_ANTRAG_FRUEHESTENS: ON_THE_DAY,
    DeadlineType.P60C_ERTEILUNG_FRUEHESTENS: ON_THE_DAY,
    DeadlineType.IDENTITAET_FRIST_60C: (Lead(3, "M"), Lead(1, "M"), Lead(2, "W")),
    DeadlineType.AUSBILDUNG_ENDE: (Lead(6, "M"), Lead(3, "M")),
    DeadlineType.AUSBILDUNG_ABBRUCH: ON_THE_DAY,
    DeadlineType.P60D_KRITERIEN: ON_THE_DAY,
    DeadlineType.P104C_ABLAUF: (Lead(6, "M"), Lead(3, "M"), Lead(1, "M")),
    DeadlineType.BESCHEID_ZUGESTELLT: ON_THE_DAY,
    DeadlineType.ZIEL_UEBERPRUEFUNG: (Lead(7),),
    DeadlineType.AUFGABE_FAELLIG: (Lead(3),),
    DeadlineType.VERMITTLUNG_NACHFASSEN: ON_THE_DAY,
    DeadlineType.KEIN_KONTAKT: ON_THE_DAY,
    DeadlineType.EINWILLIGUNG_PRUEFEN: (Lead(1, "M"),),
    DeadlineType.ANGEBOT_AKTUALISIEREN: ON_THE_DAY,
    DeadlineType.LOESCHFRIST: (Lead(1, "M"),),
    DeadlineType.DOKUMENT_LOESCHEN: (Lead(1, "M"),),
    DeadlineType.WIEDERVORLAGE: ON_THE_DAY,
}

# Residence statuses by the deadline their expiry raises.
DULDUNG_STATUSES = frozenset({"DULDUNG_60A", "ERMESSENSDULDUNG_60A", "DULDUNG_60B", "AUSBILDUNGSDULDUNG_60C",
                              "BESCHAEFTIGUNGSDULDUNG_60D"})
EXPIRY_TYPES: dict[str, DeadlineType] = {
    **{s: DeadlineType.DULDUNG_ABLAUF for s in DULDUNG_STATUSES},
    "AUFENTHALTSGESTATTUNG": DeadlineType.GESTATTUNG_ABLAUF,
    "FIKTIONSBESCHEINIGUNG": DeadlineType.FIKTION_ABLAUF,
    "AE_104C": DeadlineType.P104C_ABLAUF,
    **{s: DeadlineType.AE_ABLAUF for s in ("AE_16G", "AE_19D", "AE_25A", "AE_25B", "AE_25_5", "AE_23A", "AE_SCHUTZ",
                                           "AE_SONSTIGE")},
}
TRAINING_TYPES = frozenset({"AUSBILDUNG_QUALIFIZIERT", "HELFERAUSBILDUNG", "AUSBILDUNG_SCHULISCH"})
DROPOUT_REASONS = frozenset({"ABGEBROCHEN", "GEKUENDIGT", "NICHT_BESTANDEN"})
FINAL_GOAL_STATUSES = frozenset({"ERREICHT", "TEILWEISE_ERREICHT", "NICHT_ERREICHT", "VERWORFEN"})
WAITING_REFERRAL_STATUSES = frozenset({"ANGEFRAGT", "WARTELISTE", "ZUGESAGT"})
# Deadlines a client without a running case still has: what the retention of the file asks for.
CLOSED_FILE_TYPES = frozenset({DeadlineType.LOESCHFRIST, DeadlineType.DOKUMENT_LOESCHEN, DeadlineType.WIEDERVORLAGE})
# Deadlines that are the immigration office's business: § 25a/§ 25b/§ 60c/§ 60d only while tolerated.
TOLERATED_STATUSES = DULDUNG_STATUSES | {"AUFENTHALTSGESTATTUNG", "GRENZUEBERTRITTSBESCHEINIGUNG"}


# Deadlines that are over once passed: a birthday, the § 60c identity deadline, a decision served
# (the time to appeal), a dropped training (the office must hear of it at once), a consent's end. They show as
# overdue for this many days, then drop out; an expired Duldung or an unanswered referral stays
# until the worker acts.
LAPSES_AFTER_DAYS: dict[DeadlineType, int] = {
    DeadlineType.GEBURTSTAG_27: 28,
    DeadlineType.ZIELGRUPPE_ENDE: 28,
    DeadlineType.IDENTITAET_FRIST_60C: 28,
    DeadlineType.BESCHEID_ZUGESTELLT: 28,
    DeadlineType.AUSBILDUNG_ABBRUCH: 28,
    DeadlineType.P60C_ANTRAG_FRUEHESTENS: 28,
    DeadlineType.P60C_ERTEILUNG_FRUEHESTENS: 28,
    DeadlineType.EINWILLIGUNG_PRUEFEN: 28,  # renewed or let end: a consent long ended needs nothing more
}


@dataclass(frozen=True)
class DeadlineConfig:
    """Lead times per type and the periods of DOMAIN.md §5 (settings, not law)."""

    leads: Mapping[DeadlineType, tuple[Lead, ...]] = field(default_factory=lambda: dict(DEFAULT_LEADS))
    referral_followup_days: int = 14
    no_contact_weeks: int = 6
    offer_verify_months: int = 6

    def leads_for(self, kind: DeadlineType) -> tuple[Lead, ...]:
        return self.leads.get(kind) or DEFAULT_LEADS[kind]

    def plan(self, kind: DeadlineType) -> tuple[tuple[dt.timedelta, ...], tuple[int, ...]]:
        """The lead times of ``kind`` as day offsets and month counts (the engine asks once per run)."""
        leads = self.leads_for(kind)
        return (tuple(lead.delta for lead in leads if lead.unit != "M"),
                tuple(lead.amount for lead in leads if lead.unit == "M"))


@dataclass(frozen=True)
class LegalDates:
    """The legal numbers the deadlines use (from ``LegalRule`` records, with their Stand)."""

    apply_months_before_training: int = 7  # P60C_APPLY_MONTHS_BEFORE_START
    grant_months_before_training: int = 6  # P60C_GRANT_MONTHS_BEFORE_START
    identity_months_after_entry: int = 6  # P60C_IDENTITY_MONTHS_AFTER_ENTRY
    identity_rule_entries_after: dt.date = dt.date(2019, 12, 31)  # P60C_IDENTITY_MID_ENTRY_UNTIL
    apply_before_birthday: int = 27  # P25A_APPLY_BEFORE_BIRTHDAY
    target_group_until_birthday: int = 28  # the programme's age band ends with the 28th birthday


# --------------------------------------------------------------------------- inputs


# The inputs are named tuples and a slotted class, not frozen dataclasses: at 10,000 clients the
# start page builds some 100,000 of them, and a frozen dataclass costs several times as much.


class PeriodIn(NamedTuple):
    id: str
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class WorkIn(NamedTuple):
    id: str
    type: str
    start_date: dt.date | None
    planned_end_date: dt.date | None
    actual_end_date: dt.date | None
    end_reason: str | None


class Dated(NamedTuple):
    """A record with one date that matters (goal review, task due, consent end, follow-up …)."""

    id: str
    on: dt.date | None
    status: str = ""
    text: str = ""  # shown for hand-made follow-ups only (the worker's words)


@dataclass(slots=True)
class ClientInput:
    """One client's file as the engine reads it (treat as immutable)."""

    client_id: str
    case_code: str
    birth_date: dt.date | None
    running_case: bool = True
    entry_date: dt.date | None = None
    current_period: PeriodIn | None = None
    passport: Dated | None = None  # identity status id, passport valid until
    identity_clarified: str | None = None
    works: tuple[WorkIn, ...] = ()
    decisions_served: tuple[Dated, ...] = ()  # asylum procedures with the day the decision was served
    goals: tuple[Dated, ...] = ()  # review_on, status
    tasks: tuple[Dated, ...] = ()  # due_on, status
    referrals: tuple[Dated, ...] = ()  # status_since, status
    last_contact: Dated | None = None  # the running case, its last interview (or first contact)
    consents: tuple[Dated, ...] = ()  # valid_until; status "REVOKED" when revoked
    cases: tuple[Dated, ...] = ()  # retention_until of closed cases
    documents: tuple[Dated, ...] = ()  # delete_by of identity-document copies
    follow_ups: tuple[Dated, ...] = ()  # hand-made Wiedervorlagen: due, status, text
    pathway_dates: Mapping[DeadlineType, dt.date] = field(default_factory=dict)  # § 25a/§ 25b/§ 60d possible from


class OfferInput(NamedTuple):
    id: str
    verified_on: dt.date | None
    created_on: dt.date


# --------------------------------------------------------------------------- output


class Deadline(NamedTuple):
    key: str
    type: DeadlineType
    due: dt.date
    remind_from: dt.date
    reminders: tuple[dt.date, ...]
    source_table: str
    source_id: str
    case_code: str | None = None
    client_id: str | None = None
    status: DeadlineStatus = DeadlineStatus.OFFEN
    text: str = ""  # a follow-up's own words; empty for derived deadlines

    def urgency(self, on: dt.date) -> Urgency:
        if self.due < on:
            return Urgency.UEBERFAELLIG
        if self.due == on:
            return Urgency.HEUTE
        if self.due <= on + dt.timedelta(days=7):
            return Urgency.DIESE_WOCHE
        if self.remind_from <= on:
            return Urgency.ERINNERUNG
        return Urgency.SPAETER


def deadline_key(kind: DeadlineType | str, source_id: str, due: dt.date) -> str:
    """(type, the record it comes from, due date): what a decision is stored under."""
    return f"{kind}:{source_id}:{due.isoformat()}"


_STATUS = {s.value: s for s in DeadlineStatus}


class _Out:
    """Collects the deadlines of one computation; made once and reused client after client (the
    whole vault is ~10,000 clients, so nothing per client that can be done once)."""

    def __init__(self, config: DeadlineConfig, decisions: Mapping[str, str], on: dt.date) -> None:
        self.config = config
        lapsed = {kind: on - dt.timedelta(days=days) for kind, days in LAPSES_AFTER_DAYS.items()}
        # per type: (lead days, lead months, the day before which it has lapsed) — one lookup per deadline
        self.plans = {kind: (*config.plan(kind), lapsed.get(kind)) for kind in DeadlineType}
        self.decisions = decisions
        self.client: ClientInput | None = None
        self.items: list[Deadline] = []

    def add(self, kind: DeadlineType, due: dt.date | None, table: str, source_id: str, text: str = "",
            done: bool = False) -> None:
        if due is None:
            return
        days, months, lapsed = self.plans[kind]
        if lapsed is not None and due < lapsed:
            return
        if months:
            reminders = tuple(sorted({*(due - d for d in days), *(months_after(due, -m) for m in months)}))
        elif len(days) == 1:
            reminders = (due - days[0],)
        else:
            reminders = tuple(sorted({due - d for d in days}))
        key = f"{kind}:{source_id}:{due.isoformat()}"  # deadline_key(), inlined: this runs 70,000 times
        status = _STATUS.get(self.decisions.get(key, ""), DeadlineStatus.OFFEN) if self.decisions else DeadlineStatus.OFFEN
        if done:
            status = DeadlineStatus.ERLEDIGT
        client = self.client
        self.items.append(Deadline(key, kind, due, reminders[0], reminders, table, source_id,
                                   client.case_code if client else None, client.client_id if client else None,
                                   status, text))


class Engine:
    """Works out deadlines client after client with the same day, settings, law and decisions."""

    def __init__(self, on: dt.date, config: DeadlineConfig | None = None, legal: LegalDates | None = None,
                 decisions: Mapping[str, str] | None = None) -> None:
        self.on = on
        self.config = config or DeadlineConfig()
        self.legal = legal or LegalDates()
        self._out = _Out(self.config, decisions or {}, on)

    def client(self, client: ClientInput) -> list[Deadline]:
        out = self._out
        out.client = client
        out.items = []
        _client_deadlines(client, self.on, self.legal, self.config, out)
        return out.items

    def offers(self, offers: Iterable[OfferInput]) -> list[Deadline]:
        out = self._out
        out.client = None
        out.items = []
        for offer in offers:
            out.add(DeadlineType.ANGEBOT_AKTUALISIEREN, months_after(offer.verified_on or offer.created_on,
                                                                     self.config.offer_verify_months), "offer", offer.id)
        return out.items


def client_deadlines(client: ClientInput, on: dt.date, config: DeadlineConfig | None = None,
                     legal: LegalDates | None = None, decisions: Mapping[str, str] | None = None) -> list[Deadline]:
    """Every deadline of one client's file on the day ``on``, in no particular order."""
    return Engine(on, config, legal, decisions).client(client)


def _client_deadlines(client: ClientInput, on: dt.date, legal: LegalDates, config: DeadlineConfig, out: _Out) -> None:
    T = DeadlineType

    for case in client.cases:
        out.add(T.LOESCHFRIST, case.on, "case", case.id)
    for doc in client.documents:
        out.add(T.DOKUMENT_LOESCHEN, doc.on, "document", doc.id)
    for item in client.follow_ups:  # a done one stays, as done (for `--all`)
        out.add(T.WIEDERVORLAGE, item.on, "follow_up", item.id, item.text, done=item.status == "DONE")
    if not client.running_case:
        return

    period = client.current_period
    status = period.status if period else None
    if period is not None and period.valid_until is not None and status in EXPIRY_TYPES:
        out.add(EXPIRY_TYPES[status], period.valid_until, "residence_period", period.id)
    if client.passport is not None:
        out.add(T.PASS_ABLAUF, client.passport.on, "identity_status", client.passport.id)
    if client.birth_date is not None:
        last_day = years_reached(client.birth_date, legal.apply_before_birthday) - dt.timedelta(days=1)
        if status is None or status in TOLERATED_STATUSES:
            out.add(T.GEBURTSTAG_27, last_day, "client", client.client_id)
        out.add(T.ZIELGRUPPE_ENDE, years_reached(client.birth_date, legal.target_group_until_birthday), "client",
                client.client_id)
    tolerated = status is None or status in TOLERATED_STATUSES
    if tolerated:
        for kind in (T.P25A_MOEGLICH_AB, T.P25B_MOEGLICH_AB, T.P60D_KRITERIEN):
            day = client.pathway_dates.get(kind)
            if day is not None and day > on:
                out.add(kind, day, "client", client.client_id)
        if (client.entry_date is not None and client.entry_date > legal.identity_rule_entries_after
                and client.identity_clarified != "JA"):
            out.add(T.IDENTITAET_FRIST_60C, months_after(client.entry_date, legal.identity_months_after_entry),
                    "client", client.client_id)
    for work in client.works:
        if work.type not in TRAINING_TYPES:
            continue
        if work.actual_end_date is not None:
            if work.end_reason in DROPOUT_REASONS or (
                    work.end_reason is None and work.planned_end_date is not None
                    and work.actual_end_date < work.planned_end_date):
                out.add(T.AUSBILDUNG_ABBRUCH, work.actual_end_date, "work_record", work.id)
            continue
        out.add(T.AUSBILDUNG_ENDE, work.planned_end_date, "work_record", work.id)
        if tolerated and work.start_date is not None and work.start_date > on:
            out.add(T.P60C_ANTRAG_FRUEHESTENS, months_after(work.start_date, -legal.apply_months_before_training),
                    "work_record", work.id)
            out.add(T.P60C_ERTEILUNG_FRUEHESTENS, months_after(work.start_date, -legal.grant_months_before_training),
                    "work_record", work.id)
    for served in client.decisions_served:
        out.add(T.BESCHEID_ZUGESTELLT, served.on, "asylum_procedure", served.id)
    for goal in client.goals:
        if goal.status not in FINAL_GOAL_STATUSES:
            out.add(T.ZIEL_UEBERPRUEFUNG, goal.on, "goal", goal.id)
    for task in client.tasks:
        if task.status == "OFFEN":
            out.add(T.AUFGABE_FAELLIG, task.on, "task", task.id)
    for referral in client.referrals:
        if referral.status in WAITING_REFERRAL_STATUSES and referral.on is not None:
            out.add(T.VERMITTLUNG_NACHFASSEN, referral.on + dt.timedelta(days=config.referral_followup_days),
                    "referral", referral.id)
    if client.last_contact is not None and client.last_contact.on is not None:
        out.add(T.KEIN_KONTAKT, client.last_contact.on + dt.timedelta(weeks=config.no_contact_weeks), "case",
                client.last_contact.id)
    for consent in client.consents:
        if consent.status != "REVOKED":
            out.add(T.EINWILLIGUNG_PRUEFEN, consent.on, "consent", consent.id)
    return


def offer_deadlines(offers: Iterable[OfferInput], on: dt.date, config: DeadlineConfig | None = None,
                    decisions: Mapping[str, str] | None = None) -> list[Deadline]:
    """"Angebot aktualisieren": an offer verified more than the set months ago (never: since it was added)."""
    return Engine(on, config, None, decisions).offers(offers)


def due_by(deadlines: Iterable[Deadline], on: dt.date, days: int, *, everything: bool = False) -> list[Deadline]:
    """Open deadlines due on or before ``on`` + ``days`` (overdue ones included), nearest first;
    ``everything``: done and dismissed ones too."""
    until = on + dt.timedelta(days=days)
    chosen = [d for d in deadlines if d.due <= until and (everything or d.status is DeadlineStatus.OFFEN)]
    return sorted(chosen, key=lambda d: (d.due, d.case_code or "", d.type.value, d.key))


def start_page(deadlines: Iterable[Deadline], on: dt.date) -> dict[Urgency, list[Deadline]]:
    """The open deadlines the start page shows: overdue, today, this week, and later ones whose
    first reminder has come ("Später"); nearest first in each group."""
    groups: dict[Urgency, list[Deadline]] = {u: [] for u in Urgency if u is not Urgency.SPAETER}
    for d in deadlines:
        if d.status is not DeadlineStatus.OFFEN:
            continue
        urgency = d.urgency(on)
        if urgency in groups:
            groups[urgency].append(d)
    for items in groups.values():
        items.sort(key=lambda d: (d.due, d.case_code or "", d.type.value))
    return groups
