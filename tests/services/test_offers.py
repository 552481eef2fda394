"""The regional directory: partners, offers, CSV import/export, eligibility."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gk_desktop.errors import InputRejectedError
from gk_desktop.services import clients, offers
from gk_desktop.storage import models as M
from gk_desktop.storage.seed import network_seed, partner_id
from gk_desktop.storage.stamps import verify_stamps

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())
    i18n.set_language("en")
    yield
    i18n.set_language("de")


SPRACHKURS = {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "target_group": "Geflüchtete mit Arbeitsmarktzugang",
              "age_min": 18, "age_max": 27, "statuses": ["DULDUNG_60A", "AUFENTHALTSGESTATTUNG"],
              "min_language_level": "A2", "place": "VHS Rheine", "runs_from": "2026-09-01", "runs_until": "2027-06-30",
              "languages": ["de", "ar"], "verified_on": "2026-11-01"}


def _count(vault, model) -> int:
    with vault.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_seeded_categories_and_sample_partners(open_vault) -> None:
    seed = network_seed()
    assert _count(open_vault, M.OfferCategoryRow) == len(seed["categories"]) == 24
    partners = offers.list_partners(open_vault)
    abh = next(p for p in partners if p.id == partner_id("ABH"))
    assert abh.partner_type == "BEHOERDE" and abh.seeded
    with open_vault.session() as s:
        cats = {c.key: json.loads(c.need_areas_json) for c in s.execute(select(M.OfferCategoryRow)).scalars()}
        assert verify_stamps(s, M.SYNCED_MODELS) == []
    assert "SPRACHE" in cats["SPRACHE_BAMF"] and "AUFENTHALT" in cats["RECHTSBERATUNG"]
    with pytest.raises(InputRejectedError):
        offers.delete_partner(open_vault, abh.id)


def test_partner_with_contacts(open_vault) -> None:
    pid = offers.save_partner(open_vault, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE", "contacts": [
        {"name": "Frau Kaya", "role": "Bildungsgangleitung", "secure_channel": "TELEFON"}]})
    (p,) = [p for p in offers.list_partners(open_vault) if p.id == pid]
    assert [c["name"] for c in p.contacts] == ["Frau Kaya"]
    cid = p.contacts[0]["id"]
    offers.save_partner(open_vault, {"contacts": [{"id": cid, "name": "Frau Kaya", "role": "Abteilungsleitung"},
                                                  {"name": "Herr Peters"}]}, pid)
    (p,) = [p for p in offers.list_partners(open_vault) if p.id == pid]
    assert sorted((c["name"], c["role"]) for c in p.contacts) == [("Frau Kaya", "Abteilungsleitung"), ("Herr Peters", "")]
    with pytest.raises(InputRejectedError):
        offers.save_partner(open_vault, {"name": "X", "partner_type": "FIRMA"})
    offers.delete_partner(open_vault, pid)
    assert all(p.id != pid for p in offers.list_partners(open_vault))


def test_offer_add_change_and_bad_input(open_vault) -> None:
    oid = offers.save_offer(open_vault, SPRACHKURS)
    row = offers.get_offer(open_vault, oid)
    assert row.statuses == ("AUFENTHALTSGESTATTUNG", "DULDUNG_60A") and row.languages == ("ar", "de")
    offers.save_offer(open_vault, {"place": "VHS Emsdetten"}, oid)
    assert offers.get_offer(open_vault, oid).place == "VHS Emsdetten"
    with pytest.raises(InputRejectedError) as err:
        offers.save_offer(open_vault, {"name": "", "category": "KINO", "age_min": 30, "age_max": 20,
                                       "statuses": ["GRUENE_KARTE"], "min_language_level": "D1",
                                       "runs_from": "2026-05-01", "runs_until": "2026-04-01"})
    message = err.value.message
    for part in ("name", "category", "age_max", "statuses", "min_language_level", "runs_until"):
        assert f"{part}:" in message
    assert _count(open_vault, M.Offer) == 1


def test_csv_round_trip_is_byte_stable(open_vault, tmp_path, new_vault) -> None:
    pid = offers.save_partner(open_vault, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"})
    offers.save_offer(open_vault, {**SPRACHKURS, "partner_id": pid, "prerequisites": 'Text mit "Anführung"; und Semikolon'})
    offers.save_offer(open_vault, {"name": "Einstiegsqualifizierung Handwerk", "category": "KAMMERN", "age_min": 16})
    first = offers.export_csv(open_vault)
    assert first.startswith("\ufeff".encode()) and b"\r\n" in first
    assert first.decode("utf-8-sig").splitlines()[0] == ";".join(offers.CSV_COLUMNS)
    assert offers.export_csv(open_vault) == first
    # Importing the export again changes nothing; into another vault it gives the same export.
    assert offers.import_csv(open_vault, first) == offers.ImportResult(0, 0, 0)
    assert offers.export_csv(open_vault) == first


def test_csv_import_into_an_empty_vault_creates_providers(open_vault) -> None:
    data = ("\ufeffname;category;provider;age_min;age_max;statuses;languages;runs_until\r\n"
            "Ausbildungsvorbereitung;GK_B4_VORBEREITUNG;Berufskolleg Rheine;18;27;DULDUNG_60A|AUFENTHALTSGESTATTUNG;de|ar;2027-07-31\r\n"
            "Beratung;MIGRATIONSBERATUNG;Berufskolleg Rheine;;;;;\r\n").encode("utf-8")
    result = offers.import_csv(open_vault, data)
    assert result == offers.ImportResult(2, 0, 1)
    rows = offers.list_offers(open_vault)
    assert {r.provider for r in rows} == {"Berufskolleg Rheine"}
    assert next(r for r in rows if r.name == "Ausbildungsvorbereitung").statuses == ("AUFENTHALTSGESTATTUNG", "DULDUNG_60A")


@pytest.mark.parametrize(("text", "needles"), [
    ("name;category\r\nGut;SCHULE\r\n;SCHULE\r\nSchlecht;KINO\r\n", ["row 3: name", "row 4: category"]),
    ("name;farbe\r\nA;rot\r\n", ["unknown columns farbe"]),
    ("category\r\nSCHULE\r\n", ["the column name is missing"]),
    ("id;name\r\nnot-a-uuid;A\r\n", ["row 2: id"]),
    ("id;name\r\n0190d1c2-0000-7000-8000-000000000001;A\r\n0190d1c2-0000-7000-8000-000000000001;B\r\n",
     ["row 3: id: the same id as row 2"]),
    ("name;age_min;age_max;runs_from;runs_until\r\nA;20;18;2026-02-30;2026-01-01\r\n",
     ["row 2: age_max", "row 2: runs_from"]),
])
def test_a_bad_csv_changes_nothing(open_vault, text, needles) -> None:
    offers.save_offer(open_vault, SPRACHKURS)
    before = offers.export_csv(open_vault)
    partners_before = _count(open_vault, M.Partner)
    with pytest.raises(InputRejectedError) as err:
        offers.import_csv(open_vault, text.encode("utf-8"))
    for needle in needles:
        assert needle in err.value.message, err.value.message
    assert offers.export_csv(open_vault) == before and _count(open_vault, M.Partner) == partners_before


def test_not_utf8_and_empty_files_are_refused(open_vault) -> None:
    for data in ("name\r\nKüche\r\n".encode("latin-1"), b""):
        with pytest.raises(InputRejectedError):
            offers.import_csv(open_vault, data)


def _client(vault, birth: str, status: str | None, **extra) -> str:
    data = {"first_name": "Test", "last_name": "Person", "birth_date": birth, **extra}
    if status:
        data["residence_status"] = status
    return clients.add_client(vault, data).id


def test_eligibility_reasons(open_vault) -> None:
    cid = _client(open_vault, "2003-05-06", "DULDUNG_60A",
                  language_certificates=[{"language": "de", "level": "A2", "date": "2025-01-01"}],
                  education_records=[{"country": "DE", "qualification": "HSA_9"}])
    base = {"category": "SCHULE"}
    fits = offers.save_offer(open_vault, {**base, "name": "passt", "age_min": 18, "age_max": 27, "statuses": ["DULDUNG_60A"]})
    offers.save_offer(open_vault, {**base, "name": "zu alt", "age_max": 20})
    offers.save_offer(open_vault, {**base, "name": "status", "statuses": ["AE_25A"]})
    offers.save_offer(open_vault, {**base, "name": "vorbei", "runs_until": "2026-11-24"})
    offers.save_offer(open_vault, {**base, "name": "sprache", "min_language_level": "B1"})
    offers.save_offer(open_vault, {**base, "name": "abschluss", "min_qualification": "FOR_MSA"})
    offers.save_offer(open_vault, {**base, "name": "bald", "runs_from": "2027-01-01"})
    result = {e.offer.name: e for e in offers.matching_offers(open_vault, cid)}
    assert result["passt"].fits and result["bald"].fits and "starts on 01.01.2027" in result["bald"].notes[0]
    assert "up to age 20; the client is 23" in result["zu alt"].reasons
    assert "residence status" in result["status"].reasons[0]
    assert "ended on 24.11.2026" in result["vorbei"].reasons
    assert "needs German B1" in result["sprache"].reasons[0]
    assert "qualification is lower" in result["abschluss"].reasons[0]
    ordered = [e.offer.name for e in offers.matching_offers(open_vault, cid)]
    assert ordered.index("passt") < ordered.index("zu alt")
    assert [e.offer.id for e in offers.matching_offers(open_vault, cid, categories=["SCHULE"]) if e.fits][0] in {fits, result["bald"].offer.id}


def test_eligibility_with_unknown_facts_notes_what_to_check(open_vault) -> None:
    cid = _client(open_vault, "2003-05-06", None)
    offers.save_offer(open_vault, {"name": "x", "category": "SCHULE", "statuses": ["DULDUNG_60A"],
                                   "min_language_level": "B1", "min_qualification": "HSA_9"})
    (e,) = offers.matching_offers(open_vault, cid)
    assert e.fits and len(e.notes) == 3


@settings(max_examples=80, deadline=None)
@given(age=st.integers(15, 30), lo=st.one_of(st.none(), st.integers(15, 30)), hi=st.one_of(st.none(), st.integers(15, 30)))
def test_age_band_property(age: int, lo: int | None, hi: int | None) -> None:
    """An offer fits by age exactly when the age lies in its band (open ends are open)."""
    row = offers.OfferRow(id="x", name="x", category="SCHULE", partner_id=None, provider="", target_group="",
                          age_min=lo, age_max=hi, statuses=(), min_language_level=None, min_qualification=None,
                          prerequisites="", cost="", place="", schedule="", runs_from=None, runs_until=None,
                          capacity_note="", languages=(), verified_on=None)
    facts = offers.ClientFacts(age=age, status="DULDUNG_60A", german_rank=None, qualification_rank=None,
                               foreign_qualification=False)
    fits = offers.eligibility(row, facts, TODAY).fits
    assert fits == ((lo is None or age >= lo) and (hi is None or age <= hi))


def test_offers_for_a_need_follow_the_category_need_areas(open_vault) -> None:
    from gk_desktop.services import cycle

    code = clients.add_client(open_vault, {"first_name": "A", "last_name": "B", "birth_date": "2003-05-06",
                                           "residence_status": "DULDUNG_60A"}).case_code
    cycle.add_assessment(open_vault, code, {"date": "2026-11-01", "needs": [{"need_area": "SPRACHE"}]})
    need = cycle.case_json(open_vault, code)["needs"][0]["id"]
    offers.save_offer(open_vault, {"name": "Berufssprachkurs", "category": "SPRACHE_BAMF", "age_min": 18})
    offers.save_offer(open_vault, {"name": "Sprachcafé", "category": "SPRACHE_SONSTIGE", "age_max": 20})
    offers.save_offer(open_vault, {"name": "Coaching", "category": "GK_B1_COACHING"})
    found = {e.offer.name: e for e in offers.offers_for_need(open_vault, need)}
    assert set(found) == {"Berufssprachkurs", "Sprachcafé"}
    assert found["Berufssprachkurs"].fits and not found["Sprachcafé"].fits
    assert "SPRACHE_BAMF" in offers.categories_for_need_area(open_vault, "SPRACHE")


def test_csv_rows_are_numbered_as_in_the_file_and_formulas_are_guarded(open_vault) -> None:
    data = "name;category\r\nA;SCHULE\r\n\r\nB;KINO\r\n".encode("utf-8")
    with pytest.raises(InputRejectedError) as err:
        offers.import_csv(open_vault, data)
    assert "row 4: category" in err.value.message
    offers.save_offer(open_vault, {"name": "=HYPERLINK(\"x\")", "category": "SCHULE", "cost": "-5 €"})
    exported = offers.export_csv(open_vault)
    assert b"'=HYPERLINK" in exported and b";'-5" in exported
    assert offers.import_csv(open_vault, exported) == offers.ImportResult(0, 0, 0)  # read back unchanged


def test_partial_offer_update_checks_against_the_stored_values(open_vault) -> None:
    oid = offers.save_offer(open_vault, {"name": "x", "category": "SCHULE", "age_min": 18, "runs_from": "2026-09-01"})
    for change in ({"age_max": 16}, {"runs_until": "2026-08-01"}):
        with pytest.raises(InputRejectedError):
            offers.save_offer(open_vault, change, oid)
    pid = offers.save_partner(open_vault, {"name": "P", "phone": " ", "contacts": [{"name": "K", "email": ""}]})
    (p,) = [p for p in offers.list_partners(open_vault) if p.id == pid]
    assert p.phone is None and p.contacts[0]["email"] is None
