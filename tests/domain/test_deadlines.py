"""The deadline engine (DOMAIN.md §5): every type from a hand-built file, at its edges."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gk_desktop.domain import deadlines as dl
from gk_desktop.domain.deadlines import ClientInput, Dated, DeadlineType as T, Lead, PeriodIn, Urgency, WorkIn

D = dt.date
ON = D(2026, 11, 25)


def client(**changes) -> ClientInput:
    base = ClientInput(client_id="c1", case_code="GK-26-AAAAAA", birth_date=D(2001, 3, 1), running_case=True)
    return dataclasses.replace(base, **changes)


def of(kind: T, items: list[dl.Deadline]) -> list[dl.Deadline]:
    return [d for d in items if d.type is kind]


def one(kind: T, c: ClientInput, on: dt.date = ON, **kw) -> dl.Deadline:
    (found,) = of(kind, dl.client_deadlines(c, on, **kw))
    return found


@pytest.mark.parametrize(("status", "kind"), [
    ("DULDUNG_60A", T.DULDUNG_ABLAUF), ("AUSBILDUNGSDULDUNG_60C", T.DULDUNG_ABLAUF),
    ("AUFENTHALTSGESTATTUNG", T.GESTATTUNG_ABLAUF), ("FIKTIONSBESCHEINIGUNG", T.FIKTION_ABLAUF),
    ("AE_25A", T.AE_ABLAUF), ("AE_104C", T.P104C_ABLAUF),
])
def test_expiry_of_the_current_residence_period(status, kind) -> None:
    c = client(current_period=PeriodIn("p1", status, D(2026, 1, 1), D(2027, 1, 31)))
    found = one(kind, c)
    assert found.due == D(2027, 1, 31) and found.source_table == "residence_period" and found.case_code == "GK-26-AAAAAA"
    expected = {T.DULDUNG_ABLAUF: [D(2027, 1, 3), D(2027, 1, 17), D(2027, 1, 28)],
                T.GESTATTUNG_ABLAUF: [D(2027, 1, 3), D(2027, 1, 17), D(2027, 1, 28)],
                T.FIKTION_ABLAUF: [D(2026, 10, 31), D(2026, 12, 31), D(2027, 1, 17)],
                T.AE_ABLAUF: [D(2026, 10, 31), D(2026, 12, 31), D(2027, 1, 17)],
                T.P104C_ABLAUF: [D(2026, 7, 31), D(2026, 10, 31), D(2026, 12, 31)]}[kind]
    assert list(found.reminders) == expected and found.remind_from == expected[0]


def test_no_expiry_without_an_end_or_for_a_settled_status() -> None:
    assert not of(T.DULDUNG_ABLAUF, dl.client_deadlines(client(current_period=PeriodIn("p", "DULDUNG_60A", None, None)), ON))
    settled = client(current_period=PeriodIn("p", "NIEDERLASSUNGSERLAUBNIS", None, D(2027, 1, 1)))
    assert not [d for d in dl.client_deadlines(settled, ON) if d.source_table == "residence_period"]


def test_passport_with_months_of_lead_time_on_the_31st() -> None:
    found = one(T.PASS_ABLAUF, client(passport=Dated("i1", D(2027, 8, 31))))
    assert found.reminders == (D(2027, 2, 28), D(2027, 6, 30))  # 6 and 2 months before, the month's last day


def test_27th_and_28th_birthday_and_29_february() -> None:
    leap = client(birth_date=D(2000, 2, 29), current_period=PeriodIn("p", "DULDUNG_60A", None, None))
    assert one(T.GEBURTSTAG_27, leap, D(2026, 6, 1)).due == D(2027, 2, 28)  # 27 on 1 March 2027: last day 28 Feb
    assert one(T.ZIELGRUPPE_ENDE, leap, D(2026, 6, 1)).due == D(2028, 2, 29)  # 2028 has a 29 February
    normal = client(birth_date=D(2000, 3, 1))
    found = one(T.GEBURTSTAG_27, normal, D(2026, 6, 1))
    assert found.due == D(2027, 2, 28)
    assert found.reminders == (D(2026, 2, 28), D(2026, 8, 28), D(2026, 11, 28), D(2027, 1, 28))
    # § 25a is about tolerated people: no 27th-birthday deadline under a residence permit
    assert not of(T.GEBURTSTAG_27, dl.client_deadlines(
        dataclasses.replace(normal, current_period=PeriodIn("p", "AE_25A", None, None)), D(2026, 6, 1)))


def test_passed_birthday_lapses_after_four_weeks() -> None:
    c = client(birth_date=D(1999, 11, 1))  # last day for § 25a: 31.10.2026
    assert one(T.GEBURTSTAG_27, c, D(2026, 11, 28)).due == D(2026, 10, 31)
    assert not of(T.GEBURTSTAG_27, dl.client_deadlines(c, D(2026, 11, 29)))


def test_pathway_dates_only_in_the_future_and_only_while_tolerated() -> None:
    dates = {T.P25A_MOEGLICH_AB: D(2027, 5, 1), T.P25B_MOEGLICH_AB: D(2026, 11, 25), T.P60D_KRITERIEN: D(2027, 1, 2)}
    c = client(current_period=PeriodIn("p", "DULDUNG_60A", None, None), pathway_dates=dates)
    kinds = {d.type for d in dl.client_deadlines(c, ON)}
    assert {T.P25A_MOEGLICH_AB, T.P60D_KRITERIEN} <= kinds and T.P25B_MOEGLICH_AB not in kinds  # today: met already
    assert one(T.P25A_MOEGLICH_AB, c).reminders == (D(2027, 4, 1),)
    permit = dataclasses.replace(c, current_period=PeriodIn("p", "AE_25A", None, None))
    assert not {T.P25A_MOEGLICH_AB, T.P60D_KRITERIEN} & {d.type for d in dl.client_deadlines(permit, ON)}


def test_training_dates_60c_end_and_dropout() -> None:
    future = WorkIn("w1", "AUSBILDUNG_QUALIFIZIERT", D(2027, 8, 1), D(2030, 7, 31), None, None)
    c = client(current_period=PeriodIn("p", "DULDUNG_60A", None, None), works=(future,))
    assert one(T.P60C_ANTRAG_FRUEHESTENS, c).due == D(2027, 1, 1)  # 7 months before the start
    assert one(T.P60C_ERTEILUNG_FRUEHESTENS, c).due == D(2027, 2, 1)  # 6 months before
    assert one(T.AUSBILDUNG_ENDE, c).due == D(2030, 7, 31)
    assert one(T.P60C_ANTRAG_FRUEHESTENS, c, legal=dl.LegalDates(apply_months_before_training=8)).due == D(2026, 12, 1)
    dropped = WorkIn("w2", "HELFERAUSBILDUNG", D(2025, 8, 1), D(2026, 7, 31), D(2026, 11, 20), "ABGEBROCHEN")
    found = one(T.AUSBILDUNG_ABBRUCH, client(works=(dropped,)))
    assert found.due == D(2026, 11, 20) and found.reminders == (D(2026, 11, 20),) and found.urgency(ON) is Urgency.UEBERFAELLIG
    passed = WorkIn("w3", "AUSBILDUNG_QUALIFIZIERT", D(2023, 8, 1), D(2026, 7, 31), D(2026, 6, 30), "BESTANDEN")
    assert not [d for d in dl.client_deadlines(client(works=(passed,)), ON) if d.source_table == "work_record"]
    job = WorkIn("w4", "SV_BESCHAEFTIGUNG", D(2025, 1, 1), None, None, None)
    assert not [d for d in dl.client_deadlines(client(works=(job,)), ON) if d.source_table == "work_record"]


def test_identity_deadline_for_entries_from_2020() -> None:
    c = client(entry_date=D(2026, 8, 31), identity_clarified="NEIN", current_period=PeriodIn("p", "AUFENTHALTSGESTATTUNG", None, None))
    found = one(T.IDENTITAET_FRIST_60C, c)
    assert found.due == D(2027, 2, 28)  # six months after 31 August: the month's last day
    assert found.reminders == (D(2026, 11, 28), D(2027, 1, 28), D(2027, 2, 14))
    assert not of(T.IDENTITAET_FRIST_60C, dl.client_deadlines(dataclasses.replace(c, identity_clarified="JA"), ON))
    assert not of(T.IDENTITAET_FRIST_60C, dl.client_deadlines(dataclasses.replace(c, entry_date=D(2019, 12, 31)), ON))


def test_case_work_goals_tasks_referrals_contact_consents() -> None:
    c = client(
        goals=(Dated("g1", D(2026, 12, 1), "VEREINBART"), Dated("g2", D(2026, 12, 1), "ERREICHT")),
        tasks=(Dated("t1", D(2026, 11, 27), "OFFEN"), Dated("t2", D(2026, 11, 27), "ERLEDIGT")),
        referrals=(Dated("r1", D(2026, 11, 11), "ANGEFRAGT"), Dated("r2", D(2026, 11, 1), "BEGONNEN")),
        last_contact=Dated("k1", D(2026, 10, 14)),
        consents=(Dated("n1", D(2026, 12, 31)), Dated("n2", D(2026, 12, 31), "REVOKED")),
    )
    items = dl.client_deadlines(c, ON)
    assert [(d.source_id, d.due, d.remind_from) for d in of(T.ZIEL_UEBERPRUEFUNG, items)] == [("g1", D(2026, 12, 1), D(2026, 11, 24))]
    assert [(d.source_id, d.remind_from) for d in of(T.AUFGABE_FAELLIG, items)] == [("t1", D(2026, 11, 24))]
    assert [(d.source_id, d.due) for d in of(T.VERMITTLUNG_NACHFASSEN, items)] == [("r1", D(2026, 11, 25))]
    assert [d.due for d in of(T.KEIN_KONTAKT, items)] == [D(2026, 11, 25)]  # six weeks after the last interview
    assert [(d.source_id, d.remind_from) for d in of(T.EINWILLIGUNG_PRUEFEN, items)] == [("n1", D(2026, 11, 30))]
    settings = dl.DeadlineConfig(referral_followup_days=7, no_contact_weeks=8)
    items = dl.client_deadlines(c, ON, settings)
    assert [d.due for d in of(T.VERMITTLUNG_NACHFASSEN, items)] == [D(2026, 11, 18)]
    assert [d.due for d in of(T.KEIN_KONTAKT, items)] == [D(2026, 12, 9)]


def test_a_closed_file_keeps_only_retention_documents_and_follow_ups() -> None:
    c = client(running_case=False, birth_date=D(2000, 3, 1), passport=Dated("i", D(2027, 1, 1)),
               cases=(Dated("k1", D(2029, 11, 24)),), documents=(Dated("d1", D(2027, 1, 15)),),
               follow_ups=(Dated("f1", D(2026, 12, 1), "", "Zeugnis abholen"), Dated("f2", D(2026, 12, 2), "DONE")))
    items = dl.client_deadlines(c, ON)
    assert sorted(d.type.value for d in items) == ["DOKUMENT_LOESCHEN", "LOESCHFRIST", "WIEDERVORLAGE", "WIEDERVORLAGE"]
    assert {d.source_id: d.status.value for d in of(T.WIEDERVORLAGE, items)} == {"f1": "OFFEN", "f2": "ERLEDIGT"}
    assert one(T.LOESCHFRIST, c).remind_from == D(2029, 10, 24)
    assert [d.text for d in of(T.WIEDERVORLAGE, items) if d.source_id == "f1"] == ["Zeugnis abholen"]


def test_asylum_decision_served_at_once_and_lapses() -> None:
    c = client(decisions_served=(Dated("a1", D(2026, 11, 20)),))
    found = one(T.BESCHEID_ZUGESTELLT, c)
    assert found.due == found.remind_from == D(2026, 11, 20) and found.urgency(ON) is Urgency.UEBERFAELLIG
    assert not of(T.BESCHEID_ZUGESTELLT, dl.client_deadlines(c, D(2027, 1, 1)))


def test_offers_to_verify() -> None:
    items = dl.offer_deadlines([dl.OfferInput("o1", D(2026, 5, 31), D(2025, 1, 1)),
                                dl.OfferInput("o2", None, D(2026, 8, 31))], ON)
    assert [(d.source_id, d.due, d.case_code) for d in items] == [("o1", D(2026, 11, 30), None), ("o2", D(2027, 2, 28), None)]


def test_decisions_keyed_by_type_source_and_due() -> None:
    c = client(current_period=PeriodIn("p1", "DULDUNG_60A", None, D(2026, 12, 10)), entry_date=D(2015, 1, 1))
    key = one(T.DULDUNG_ABLAUF, c).key
    assert key == "DULDUNG_ABLAUF:p1:2026-12-10" == dl.deadline_key(T.DULDUNG_ABLAUF, "p1", D(2026, 12, 10))
    decided = {key: "ERLEDIGT"}
    assert one(T.DULDUNG_ABLAUF, c, decisions=decided).status is dl.DeadlineStatus.ERLEDIGT
    # an unrelated fact changes: still done
    other = dataclasses.replace(c, entry_date=D(2016, 6, 1), tasks=(Dated("t", D(2026, 12, 1), "OFFEN"),))
    assert one(T.DULDUNG_ABLAUF, other, decisions=decided).status is dl.DeadlineStatus.ERLEDIGT
    # the Duldung is extended: a new deadline, open
    extended = dataclasses.replace(c, current_period=PeriodIn("p1", "DULDUNG_60A", None, D(2027, 6, 10)))
    moved = one(T.DULDUNG_ABLAUF, extended, decisions=decided)
    assert moved.status is dl.DeadlineStatus.OFFEN and moved.due == D(2027, 6, 10)


def test_due_by_start_page_and_urgency() -> None:
    c = client(tasks=(Dated("t0", D(2026, 11, 20), "OFFEN"), Dated("t1", ON, "OFFEN"), Dated("t2", D(2026, 12, 2), "OFFEN"),
                      Dated("t3", D(2026, 12, 3), "OFFEN"), Dated("t4", D(2026, 12, 20), "OFFEN")))
    items = dl.client_deadlines(c, ON, decisions={dl.deadline_key(T.AUFGABE_FAELLIG, "t2", D(2026, 12, 2)): "VERWORFEN"})
    assert [d.source_id for d in dl.due_by(items, ON, 7)] == ["t0", "t1"]  # t2 dismissed, t3 after the 7 days
    assert [d.source_id for d in dl.due_by(items, ON, 8, everything=True)] == ["t0", "t1", "t2", "t3"]
    groups = dl.start_page(items, ON)
    assert [d.source_id for d in groups[Urgency.UEBERFAELLIG]] == ["t0"]
    assert [d.source_id for d in groups[Urgency.HEUTE]] == ["t1"]
    assert [d.source_id for d in groups[Urgency.DIESE_WOCHE]] == []  # t2 dismissed; t3 is 8 days away
    assert [d.source_id for d in groups[Urgency.ERINNERUNG]] == []  # t3's reminder (3 days before) not reached
    assert [d.source_id for d in dl.start_page(items, D(2026, 11, 30))[Urgency.DIESE_WOCHE]] == ["t3"]
    passport = dl.client_deadlines(client(passport=Dated("i", D(2027, 3, 31))), ON)  # reminded from 30.09.2026
    assert [d.type for d in dl.start_page(passport, ON)[Urgency.ERINNERUNG]] == [T.PASS_ABLAUF]
    assert Urgency.SPAETER not in dl.start_page(passport, ON)
    assert one(T.PASS_ABLAUF, client(passport=Dated("i", D(2027, 9, 1)))).urgency(ON) is Urgency.SPAETER


def test_lead_times_parse_and_print() -> None:
    assert dl.parse_leads("28d, 14d, 3d") == (Lead(28), Lead(14), Lead(3))
    assert dl.parse_leads("2m 6M 2w 1") == (Lead(6, "M"), Lead(2, "M"), Lead(2, "W"), Lead(1))
    assert dl.parse_leads("3T") == (Lead(3),)  # German "Tage"
    assert dl.leads_text(dl.parse_leads("6m, 2m")) == "6m, 2m"
    for bad in ("x", "3y", "-1d", "99999d"):
        with pytest.raises(ValueError):
            dl.parse_leads(bad)
    config = dl.DeadlineConfig(leads={T.PASS_ABLAUF: (Lead(1, "M"),)})
    assert one(T.PASS_ABLAUF, client(passport=Dated("i", D(2027, 3, 31))), config=config).reminders == (D(2027, 2, 28),)


@given(due=st.dates(D(2020, 1, 1), D(2035, 12, 31)), amount=st.integers(0, 24), unit=st.sampled_from("DWM"))
def test_a_reminder_never_comes_after_its_due_date(due, amount, unit) -> None:
    assert Lead(amount, unit).before(due) <= due


@given(shift=st.integers(1, 400))
def test_an_unrelated_change_never_reopens_a_decided_deadline(shift) -> None:
    c = client(passport=Dated("i", D(2027, 3, 31)), tasks=(Dated("t", D(2026, 12, 1), "OFFEN"),))
    key = one(T.PASS_ABLAUF, c).key
    changed = dataclasses.replace(c, tasks=(Dated("t", D(2026, 12, 1) + dt.timedelta(days=shift), "OFFEN"),))
    assert one(T.PASS_ABLAUF, changed, decisions={key: "ERLEDIGT"}).status is dl.DeadlineStatus.ERLEDIGT
