"""The case-management cycle: assessment, goals, tasks, agreement, referrals gated by consent,
phase checklists, closing with retention, short advice proposed for closing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gk_desktop.errors import InputRejectedError
from gk_desktop.services import clients, consents, contacts, cycle, offers
from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import verify_stamps

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())
    i18n.set_language("en")
    yield
    i18n.set_language("de")


@pytest.fixture
def case(open_vault):
    v = open_vault
    code = clients.add_client(v, {"first_name": "Sami", "last_name": "Haddad", "birth_date": "2003-05-06",
                                  "residence_status": "DULDUNG_60A"}).case_code
    school = offers.save_partner(v, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE"})
    offer = offers.save_offer(v, {"name": "Ausbildungsvorbereitung", "category": "GK_B4_VORBEREITUNG", "partner_id": school})
    case_id = cycle.case_json(v, code)["case"]["id"]
    return v, code, case_id, school, offer


def _referral(v, code, offer, categories=("STAMMDATEN", "SCHULE_ZEUGNISSE")):
    chain = cycle.add_chain(v, code, {"title": "Weg in die Ausbildung"})
    return cycle.add_referral(v, chain, {"offer_id": offer, "categories": list(categories)})


def _release(v, code, partner, categories, **extra):
    return consents.add_consent(v, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": partner,
                                          "purpose": "Anmeldung", "categories": categories, "given_on": "2026-10-01",
                                          **extra})


def test_assessment_keeps_earlier_ones_and_needs_gap_notes(case) -> None:
    v, code, *_ = case
    cycle.add_assessment(v, code, {"date": "2026-10-01", "needs": [{"need_area": "SPRACHE", "description": "B1"}]})
    with pytest.raises(InputRejectedError) as err:
        cycle.add_assessment(v, code, {"date": "2026-11-20", "needs": [{"need_area": "WOHNEN", "status": "NICHT_DECKBAR"}]})
    assert "needs[0].gap_note" in err.value.message
    cycle.add_assessment(v, code, {"date": "2026-11-20", "summary": "Re-Assessment",
                                   "needs": [{"need_area": "WOHNEN", "status": "NICHT_DECKBAR", "gap_note": "kein Wohnraum"}],
                                   "resources": [{"resource_type": "MOTIVATION", "description": "sehr motiviert"}]})
    shown = cycle.case_json(v, code)
    assert [a["date"] for a in shown["assessments"]] == ["2026-10-01", "2026-11-20"]
    assert sorted(n["need_area"] for n in shown["needs"]) == ["SPRACHE", "WOHNEN"]
    assert shown["resources"][0]["resource_type"] == "MOTIVATION"
    with pytest.raises(InputRejectedError):
        cycle.update_need(v, shown["needs"][0]["id"], {"status": "NICHT_DECKBAR"})


def test_goals_tasks_agreement(case) -> None:
    v, code, case_id, school, _offer = case
    template = cycle.goal_templates(TODAY)[0]
    assert template["target_on"] == "2027-05-25" and "25.05.2027" in template["statement"]
    goal = cycle.add_goal(v, code, template)
    task = cycle.add_task(v, code, {"goal_id": goal, "description": "Bewerbungsmappe", "responsible": "KLIENT",
                                    "due_on": "2026-12-01"})
    with pytest.raises(InputRejectedError) as err:
        cycle.add_task(v, code, {"description": "Platz anfragen", "responsible": "PARTNER"})
    assert "partner_id" in err.value.message
    cycle.add_task(v, code, {"description": "Platz anfragen", "responsible": "PARTNER", "partner_id": school})
    agreement = cycle.add_agreement(v, code, {"date": "2026-11-25", "goals": [goal], "tasks": [task],
                                              "signed_by_client": True, "signed_by_worker": True, "place": "Rheine"})
    shown = cycle.case_json(v, code)
    assert shown["goals"][0]["status"] == "VEREINBART"
    assert shown["agreements"][0]["goals"] == [goal] and shown["agreements"][0]["tasks"] == [task]
    with pytest.raises(InputRejectedError):
        cycle.update_agreement(v, agreement, {"goals": []})
    cycle.update_task(v, task, {"status": "ERLEDIGT"})
    assert next(t for t in cycle.case_json(v, code)["tasks"] if t["id"] == task)["done_on"] == "2026-11-25"
    with v.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []


@pytest.mark.parametrize("setup", ["none", "expired", "revoked", "wrong_recipient", "wrong_category"])
def test_referral_needs_a_consent_for_every_reason(case, setup) -> None:
    v, code, case_id, school, offer = case
    if setup == "expired":
        _release(v, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"], valid_until="2026-11-01")
    elif setup == "revoked":
        c = _release(v, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
        consents.revoke_consent(v, c, dt.date(2026, 11, 2))
    elif setup == "wrong_recipient":
        other = offers.save_partner(v, {"name": "VHS", "partner_type": "BILDUNGSTRAEGER"})
        _release(v, code, other, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    elif setup == "wrong_category":
        _release(v, code, school, ["STAMMDATEN"])
    referral = _referral(v, code, offer)
    with pytest.raises(cycle.ConsentMissing) as err:
        cycle.set_referral_status(v, referral, "ANGEFRAGT")
    expected = {"none": "KEINE", "expired": "ABGELAUFEN", "revoked": "WIDERRUFEN", "wrong_recipient": "KEINE",
                "wrong_category": "KATEGORIEN"}[setup]
    assert err.value.code == expected and err.value.partner_id == school
    assert "Berufskolleg Rheine" in err.value.message
    shown = cycle.case_json(v, code)
    assert shown["referrals"][0]["status"] == "VORGESCHLAGEN" and shown["disclosures"] == []


def test_referral_with_consent_passes_and_is_logged(case) -> None:
    v, code, case_id, school, offer = case
    consent = _release(v, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    referral = _referral(v, code, offer)
    shown = cycle.set_referral_status(v, referral, "ANGEFRAGT")
    assert shown["status"] == "ANGEFRAGT" and shown["consent_id"] == consent and shown["referred_on"] == "2026-11-25"
    (disclosure,) = cycle.case_json(v, code)["disclosures"]
    assert disclosure["consent_id"] == consent and disclosure["categories"] == ["SCHULE_ZEUGNISSE", "STAMMDATEN"]
    cycle.set_referral_status(v, referral, "ZUGESAGT")
    cycle.set_referral_status(v, referral, "BEGONNEN")
    after = cycle.case_json(v, code)
    assert after["referrals"][0]["accepted_on"] == "2026-11-25" and len(after["disclosures"]) == 1
    with pytest.raises(InputRejectedError):
        cycle.delete_record(v, "referral", referral)  # data went out: it stays
    # A referral that passes no data needs no consent.
    chain = cycle.add_chain(v, code, {"title": "Freizeit"})
    quiet = cycle.add_referral(v, chain, {"offer_id": offer, "passes_data": False})
    assert cycle.set_referral_status(v, quiet, "ANGEFRAGT")["status"] == "ANGEFRAGT"


def test_referral_overview_shows_what_waits_since_when(case, monkeypatch) -> None:
    v, code, case_id, school, offer = case
    _release(v, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    early = _referral(v, code, offer)
    cycle.set_referral_status(v, early, "ANGEFRAGT", on=dt.date(2026, 10, 1))
    late = _referral(v, code, offer)
    cycle.set_referral_status(v, late, "ANGEFRAGT", on=dt.date(2026, 11, 20))
    proposed = _referral(v, code, offer)
    rows = cycle.referral_overview(v)
    assert [r.id for r in rows] == [early, late, proposed]
    assert rows[0].days == 55 and rows[0].case_code == code
    missing = {m.key for m in cycle.case_checklist(v, case_id)}
    assert "feedback" not in missing  # the case is still in ERSTKONTAKT: monitoring items come later
    cycle.set_phase(v, case_id, "MONITORING")
    assert "feedback" in {m.key for m in cycle.case_checklist(v, case_id)}


def test_phase_checklists(case) -> None:
    v, code, case_id, school, offer = case
    keys = lambda: {m.key for m in cycle.case_checklist(v, case_id)}  # noqa: E731
    assert keys() >= {"access_route", "request", "info_sheet"} and "goal" not in keys()
    cycle.set_phase(v, case_id, "HILFEPLANUNG")
    assert {"intake", "mandate", "consent", "assessment", "goal", "agreement", "review"} <= keys() - {"intake"} | {"intake"}
    assert "intake" not in keys()  # moving the phase on sets the intake date
    consents.add_consent(v, code, {"consent_type": "VERARBEITUNG_FALLAKTE", "given_on": "2026-11-01",
                                   "info_sheet_on": "2026-11-01"})
    cycle.add_assessment(v, code, {"date": "2026-11-02", "needs": [{"need_area": "AUSBILDUNG"}]})
    goal = cycle.add_goal(v, code, {"need_area": "AUSBILDUNG", "statement": "Ausbildungsplatz"})
    assert {"consent", "info_sheet", "assessment", "needs", "goal"}.isdisjoint(keys())
    assert "goal_agreed" in keys()
    cycle.add_agreement(v, code, {"date": "2026-11-25", "goals": [goal], "signed_by_client": True, "signed_by_worker": True})
    assert {"goal_agreed", "agreement"}.isdisjoint(keys())
    with pytest.raises(InputRejectedError):
        cycle.set_phase(v, case_id, "ABGESCHLOSSEN")


def test_closing_sets_retention_and_needs_attainment(case) -> None:
    v, code, case_id, *_ = case
    goal = cycle.add_goal(v, code, {"need_area": "SPRACHE", "statement": "B1 bestehen"})
    data = {"closed_on": "2026-11-25", "closure_reason": "ZIEL_ERREICHT", "destination": "AUSBILDUNG_BETRIEBLICH",
            "evaluation": "Ausbildung begonnen."}
    with pytest.raises(InputRejectedError) as err:
        cycle.close_case(v, case_id, data)
    assert f"goals.{goal}" in err.value.message
    with pytest.raises(InputRejectedError) as err:
        cycle.close_case(v, case_id, {"goals": [{"id": goal, "status": "ERREICHT"}]})
    assert "closure_reason" in err.value.message and "evaluation" in err.value.message
    closed = cycle.close_case(v, case_id, {**data, "goals": [{"id": goal, "status": "TEILWEISE_ERREICHT", "achievement": 60}]},
                              retention_years=3)
    assert closed["phase"] == "ABGESCHLOSSEN" and closed["retention_until"] == "2029-11-25"
    assert cycle.case_json(v, code)["goals"][0]["achievement"] == 60
    with pytest.raises(InputRejectedError):
        cycle.set_phase(v, case_id, "UMSETZUNG")


def test_retention_on_29_february(case) -> None:
    assert cycle.add_years(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)


def test_short_advice_is_proposed_for_closing(open_vault) -> None:
    v = open_vault
    old = clients.add_client(v, {"first_name": "A", "last_name": "Alt", "birth_date": "2004-01-01",
                                 "case": {"case_type": "KURZBERATUNG", "first_contact_on": "2026-03-01"}}).case_code
    fresh = clients.add_client(v, {"first_name": "B", "last_name": "Neu", "birth_date": "2004-01-01",
                                   "case": {"case_type": "KURZBERATUNG", "first_contact_on": "2026-03-01"}}).case_code
    contacts.add_contact(v, fresh, {"datetime": "2026-09-01T10:00:00+02:00", "contact_type": "TELEFONISCH"})
    clients.add_client(v, {"first_name": "C", "last_name": "Cm", "birth_date": "2004-01-01",
                           "case": {"first_contact_on": "2025-01-01"}})
    proposed = cycle.short_advice_to_close(v, months=6)
    assert [p.case_code for p in proposed] == [old] and proposed[0].last_contact == dt.date(2026, 3, 1)
    assert cycle.short_advice_to_close(v, months=2) and len(cycle.short_advice_to_close(v, months=2)) == 2


@settings(max_examples=50, deadline=None)
@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), st.integers(1, 10))
def test_retention_is_whole_years_later(day: dt.date, years: int) -> None:
    later = cycle.add_years(day, years)
    assert later.year == day.year + years and later.month == day.month and later.day in (day.day, 28)


def test_a_sent_referral_stays_on_record(case) -> None:
    v, code, case_id, school, offer = case
    _release(v, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    referral = _referral(v, code, offer)
    cycle.set_referral_status(v, referral, "ANGEFRAGT")
    cycle.set_referral_status(v, referral, "ABGELEHNT_KLIENT")
    with pytest.raises(InputRejectedError):
        cycle.delete_record(v, "referral", referral)
    for change in ({"passes_data": False}, {"categories": ["STAMMDATEN"]}):
        with pytest.raises(InputRejectedError):
            cycle.update_referral(v, referral, change)
    cycle.update_referral(v, referral, {"feedback": "Klient hat abgesagt."})
    # A referral without a recipient cannot pass data; explicit null start dates become today.
    chain = cycle.add_chain(v, code, {"title": "Ohne Träger", "start_on": None})
    assert cycle.case_json(v, code)["service_chains"][-1]["start_on"] == "2026-11-25"
    lonely = offers.save_offer(v, {"name": "ohne Träger", "category": "SONSTIGE"})
    r = cycle.add_referral(v, chain, {"offer_id": lonely})
    with pytest.raises(InputRejectedError):
        cycle.set_referral_status(v, r, "ANGEFRAGT")


def test_goals_and_steps_in_agreements_or_chains_stay(case) -> None:
    v, code, case_id, school, offer = case
    goal = cycle.add_goal(v, code, {"need_area": "AUSBILDUNG", "statement": "Ausbildungsplatz"})
    other = cycle.add_goal(v, code, {"need_area": "SPRACHE", "statement": "B1"})
    task = cycle.add_task(v, code, {"description": "Bewerben", "due_on": "2026-12-01"})
    cycle.add_agreement(v, code, {"date": "2026-11-25", "goals": [goal], "tasks": [task]})
    cycle.add_chain(v, code, {"title": "Kette", "goal_id": other})
    for table, rid in (("goal", goal), ("goal", other), ("task", task)):
        with pytest.raises(InputRejectedError):
            cycle.delete_record(v, table, rid)
    cycle.update_task(v, task, {"status": "ERLEDIGT", "done_on": "2026-11-20"})
    cycle.update_task(v, task, {"status": "ERLEDIGT"})  # again: the day stays
    assert cycle.case_json(v, code)["tasks"][0]["done_on"] == "2026-11-20"
    cycle.update_task(v, task, {"status": "OFFEN"})
    assert cycle.case_json(v, code)["tasks"][0]["done_on"] is None
    for bad in ({"need_area": "SPRACHE", "statement": "  "}, {"need_area": "SPRACHE", "statement": "x", "target_on": "2026-01-01"}):
        with pytest.raises(InputRejectedError):
            cycle.add_goal(v, code, bad)
    with pytest.raises(InputRejectedError):
        cycle.add_agreement(v, code, {"date": "2026-12-01", "goals": [goal]})
