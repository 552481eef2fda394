"""Consents and disclosures: the one question "may these data go to this recipient today?"."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gk_desktop.errors import InputRejectedError
from gk_desktop.services import clients, consents, offers
from gk_desktop.storage import models as M
from gk_desktop.storage.seed import partner_id

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())
    i18n.set_language("en")
    yield
    i18n.set_language("de")


@pytest.fixture
def setup(open_vault):
    client = clients.add_client(open_vault, {"first_name": "Sami", "last_name": "Haddad", "birth_date": "2003-05-06",
                                             "residence_status": "DULDUNG_60A"})
    school = offers.save_partner(open_vault, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE"})
    return open_vault, client.case_code, client.id, school


def _release(vault, code, partner, categories, **extra) -> str:
    return consents.add_consent(vault, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": partner,
                                              "purpose": "Anmeldung zur Ausbildungsvorbereitung",
                                              "categories": categories, "given_on": "2026-10-01", **extra})


def _ask(vault, client_id, partner, categories, on=TODAY):
    with vault.session() as s:
        return consents.may_pass(s, client_id, partner, categories, on)


def test_no_consent(setup) -> None:
    vault, code, cid, school = setup
    answer = _ask(vault, cid, school, ["STAMMDATEN"])
    assert not answer.allowed and answer.code == "KEINE" and "No release" in answer.reason


def test_a_covering_consent_allows(setup) -> None:
    vault, code, cid, school = setup
    consent = _release(vault, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    answer = _ask(vault, cid, school, ["STAMMDATEN"])
    assert answer.allowed and answer.consent_id == consent and answer.code == "OK"
    assert _ask(vault, cid, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"]).allowed


def test_wrong_recipient(setup) -> None:
    vault, code, cid, school = setup
    _release(vault, code, school, ["STAMMDATEN"])
    answer = _ask(vault, cid, partner_id("ABH"), ["STAMMDATEN"])
    assert not answer.allowed and answer.code == "KEINE"


def test_wrong_category(setup) -> None:
    vault, code, cid, school = setup
    _release(vault, code, school, ["STAMMDATEN"])
    answer = _ask(vault, cid, school, ["STAMMDATEN", "GESUNDHEIT"])
    assert not answer.allowed and answer.code == "KATEGORIEN" and answer.missing == ("GESUNDHEIT",)
    assert "health" in answer.reason


def test_expired(setup) -> None:
    vault, code, cid, school = setup
    _release(vault, code, school, ["STAMMDATEN"], valid_until="2026-11-24")
    answer = _ask(vault, cid, school, ["STAMMDATEN"])
    assert not answer.allowed and answer.code == "ABGELAUFEN" and "24.11.2026" in answer.reason
    assert _ask(vault, cid, school, ["STAMMDATEN"], on=dt.date(2026, 11, 24)).allowed  # the last valid day


def test_revoked(setup) -> None:
    vault, code, cid, school = setup
    consent = _release(vault, code, school, ["STAMMDATEN"])
    row = consents.revoke_consent(vault, consent, dt.date(2026, 11, 20))
    assert row.status == "WIDERRUFEN"
    answer = _ask(vault, cid, school, ["STAMMDATEN"])
    assert not answer.allowed and answer.code == "WIDERRUFEN" and "20.11.2026" in answer.reason
    assert _ask(vault, cid, school, ["STAMMDATEN"], on=dt.date(2026, 11, 19)).allowed  # before the revocation
    with pytest.raises(InputRejectedError):
        consents.revoke_consent(vault, consent, TODAY)  # twice
    with pytest.raises(InputRejectedError):
        consents.update_consent(vault, consent, {"purpose": "anders"})


def test_revocation_date_is_checked(setup) -> None:
    vault, code, cid, school = setup
    consent = _release(vault, code, school, ["STAMMDATEN"])
    for day in (dt.date(2026, 9, 30), dt.date(2026, 11, 26)):  # before given, in the future
        with pytest.raises(InputRejectedError):
            consents.revoke_consent(vault, consent, day)
    assert consents.list_consents(vault, cid)[0].status == "GUELTIG"


def test_other_consent_types_allow_no_passing(setup) -> None:
    vault, code, cid, school = setup
    consents.add_consent(vault, code, {"consent_type": "EINHOLUNG_AUSKUENFTE", "partner_id": school,
                                       "categories": ["STAMMDATEN"], "given_on": "2026-10-01"})
    consents.add_consent(vault, code, {"consent_type": "VERARBEITUNG_FALLAKTE", "given_on": "2026-10-01"})
    assert not _ask(vault, cid, school, ["STAMMDATEN"]).allowed


def test_bad_consents_are_refused(setup) -> None:
    vault, code, cid, school = setup
    with pytest.raises(InputRejectedError) as err:
        consents.add_consent(vault, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "given_on": "2026-12-01",
                                           "categories": ["GEHEIM"], "valid_until": "2026-01-01"})
    message = err.value.message
    for part in ("partner_id", "categories[0]", "given_on", "purpose"):
        assert f"{part}:" in message, message
    with open(vault.paths.db, "rb"):
        pass
    assert consents.list_consents(vault, cid) == []


def test_disclosure_needs_a_consent_and_is_logged(setup) -> None:
    vault, code, cid, school = setup
    with pytest.raises(InputRejectedError) as err:
        consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": school, "categories": ["STAMMDATEN"],
                                                 "channel": "TELEFON", "what": "Telefonat"})
    assert "No release" in err.value.message
    consent = _release(vault, code, school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    did = consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": school,
                                                   "categories": ["SCHULE_ZEUGNISSE"], "channel": "TELEFON",
                                                   "what": "Telefonat"}, content="Zeugnis besprochen")
    (row,) = consents.list_disclosures(vault, cid)
    assert (row.id, row.consent_id, row.legal_basis, row.recipient) == (did, consent, "EINWILLIGUNG", "Berufskolleg Rheine")
    assert row.content_hash == consents.content_hash("Zeugnis besprochen")
    assert consents.list_consents(vault, cid)[0].used_in == (did,)
    # After the revocation nothing more may pass.
    consents.revoke_consent(vault, consent, TODAY)
    with pytest.raises(InputRejectedError) as err:
        consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": school, "categories": ["STAMMDATEN"]})
    assert "revoked" in err.value.message
    with vault.session() as s:
        assert s.execute(select(func.count()).select_from(M.Disclosure)).scalar_one() == 1


def test_disclosure_by_legal_duty_names_its_norm(setup) -> None:
    vault, code, cid, _school = setup
    with pytest.raises(InputRejectedError) as err:
        consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": partner_id("ABH"),
                                                 "legal_basis": "GESETZLICHE_PFLICHT", "categories": ["AUFENTHALT"]})
    assert "legal_norm" in err.value.message
    consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": partner_id("ABH"),
                                             "legal_basis": "GESETZLICHE_PFLICHT", "legal_norm": "§ 87 AufenthG",
                                             "categories": ["AUFENTHALT"]})
    assert consents.list_disclosures(vault, cid)[0].consent_id is None


@settings(max_examples=60, deadline=None)
@given(given_off=st.integers(-400, 10), valid=st.one_of(st.none(), st.integers(-400, 400)),
       revoked=st.one_of(st.none(), st.integers(-400, 10)), on_off=st.integers(-400, 400))
def test_status_is_valid_exactly_inside_the_window(given_off, valid, revoked, on_off) -> None:
    given_on = TODAY + dt.timedelta(days=given_off)
    valid_until = None if valid is None else given_on + dt.timedelta(days=abs(valid))
    revoked_on = None if revoked is None else max(given_on, TODAY + dt.timedelta(days=revoked))
    on = TODAY + dt.timedelta(days=on_off)
    state = consents.status_on(given_on, valid_until, revoked_on, on)
    inside = given_on <= on and (valid_until is None or on <= valid_until) and (revoked_on is None or on < revoked_on)
    assert (state == consents.GUELTIG) == inside


def test_a_consent_data_went_out_on_keeps_its_substance(setup) -> None:
    vault, code, cid, school = setup
    consent = _release(vault, code, school, ["STAMMDATEN"])
    consents.record_disclosure(vault, code, {"on": "2026-11-25", "partner_id": school, "categories": ["STAMMDATEN"]})
    other = offers.save_partner(vault, {"name": "VHS", "partner_type": "BILDUNGSTRAEGER"})
    for change in ({"partner_id": other}, {"categories": ["STAMMDATEN", "GESUNDHEIT"]}, {"given_on": "2026-09-01"}):
        with pytest.raises(InputRejectedError):
            consents.update_consent(vault, consent, change)
    consents.update_consent(vault, consent, {"note": "Original in der Papierakte"})
    with pytest.raises(InputRejectedError):
        consents.add_consent(vault, code, {"consent_type": "VERARBEITUNG_FALLAKTE", "given_on": "2026-11-01",
                                           "info_sheet_on": "2026-12-01"})


def test_deleting_a_consents_signed_scan_unlinks_it(setup) -> None:
    from gk_desktop.services import documents

    vault, code, cid, school = setup
    pdf = b"%PDF-1.4\n%%EOF\n"
    doc = documents.add_document(vault, code, "einwilligung.pdf", pdf, {"type": "EINWILLIGUNG"})
    consent = _release(vault, code, school, ["STAMMDATEN"], document_id=doc.id)
    assert documents.get_document(vault, doc.id).used_by == ("consent",)
    assert documents.delete_document(vault, doc.id) == 1
    assert consents.list_consents(vault, cid)[0].document_id is None and consents.list_consents(vault, cid)[0].id == consent
