"""The client register service: add, update, list, show, duplicates, rules from the vault."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients
from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import verify_stamps


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


FULL = {
    "first_name": "Yusuf",
    "last_name": "Haddad",
    "birth_date": "2002-07-14",
    "gender": "MAENNLICH",
    "country_of_origin": "sy",
    "interpreter_needed": True,
    "interpreter_language": "ar",
    "entry_date_de": "2019-05-02",
    "address": "Emsstraße 12, 48431 Rheine",
    "housing_type": "GEMEINSCHAFTSUNTERKUNFT",
    "phone": "+49 1570 0000000",
    "preferred_contact_channel": "MESSENGER",
    "minor_children": 1,
    "responsible_abh": "ABH Rheine",
    "exclusion_outcome": "KEINE",
    "exclusion_checked_on": "2026-11-20",
    "internal_notes": "Termin immer vormittags.",
    "name_variants": ["Youssef", {"name": "يوسف حداد", "kind": "ORIGINALSCHRIFT"}],
    "nationalities": ["SY"],
    "languages": [{"language": "ar", "level": "MUTTERSPRACHE"}, {"language": "de", "level": "B1"}],
    "residence_periods": [
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-02", "valid_until": "2021-03-31",
         "source": "DOKUMENT_GESEHEN"},
        {"status": "DULDUNG_60A", "valid_from": "2021-04-01", "valid_until": "2027-01-31",
         "employment_permission": "NUR_MIT_ERLAUBNIS_ABH", "issuing_office": "ABH Rheine"},
    ],
    "asylum_procedures": [{"stage": "RECHTSKRAEFTIG", "applied_on": "2019-05-20"}],
    "identity_status": {"clarified": "TEILWEISE", "documents_available": "Geburtsurkunde"},
    "identity_efforts": [{"date": "2026-03-01", "action": "BOTSCHAFTSTERMIN", "result": "Termin verschoben"}],
    "education_records": [
        {"institution": "Berufskolleg Rheine", "programme": "Internationale Förderklasse", "country": "DE",
         "start_date": "2020-08-12", "end_date": "2022-07-01", "attendance_ok": True, "qualification": "HSA_9"},
    ],
    "language_certificates": [{"language": "de", "level": "B1", "skill": "GESAMT", "evidence": "telc Deutsch B1",
                               "date": "2023-06-10"}],
    "work_records": [{"type": "AUSBILDUNG_QUALIFIZIERT", "employer": "Elektro Meyer GmbH",
                      "occupation": "Elektroniker", "start_date": "2024-08-01", "planned_end_date": "2027-07-31",
                      "hours_per_week": 39}],
    "personal_contacts": [{"name": "Frau Berger", "relation": "MENTOR", "consent_to_contact": True}],
    "case": {"access_route": "AUSLAENDERBEHOERDE", "request": "Sucht Unterstützung bei der Ausbildung."},
}


def _strip(obj):
    """The show JSON without ids and derived values, for comparisons."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in {"id", "case_code"} | clients.DERIVED_KEYS}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def test_add_and_show_every_field(open_vault) -> None:
    result = clients.add_client(open_vault, FULL)
    assert result.possible_duplicates == []
    shown = clients.show_client(open_vault, result.case_code)
    c = shown["client"]
    assert c["case_code"] == result.case_code
    assert c["country_of_origin"] == "SY"  # normalised
    assert [v["name"] for v in c["name_variants"]] == ["Youssef", "يوسف حداد"]
    assert c["name_variants"][1]["kind"] == "ORIGINALSCHRIFT"
    assert c["nationalities"] == ["SY"]
    assert [p["status"] for p in c["residence_periods"]] == ["AUFENTHALTSGESTATTUNG", "DULDUNG_60A"]
    assert c["residence_status"] == "DULDUNG_60A" and c["residence_valid_until"] == "2027-01-31"
    assert c["identity_status"]["clarified"] == "TEILWEISE"
    assert c["work_records"][0]["hours_per_week"] == 39.0
    # Derived from the file and the vault's rules.
    assert c["age"] == 24
    assert c["target_group"] == "PRIMAER_DULDUNG"
    assert c["leaves_target_group_on"] == "2030-07-14"
    assert c["last_day_before_27th_birthday"] == "2029-07-13"
    # Duldung 01.04.2021 .. 25.11.2026 counts; the Gestattung does not.
    assert c["duldung_days_counting"] == (dt.date(2026, 11, 25) - dt.date(2021, 4, 1)).days + 1
    assert c["school_years_in_germany"] == pytest.approx(1.9, abs=0.05)
    assert [k["phase"] for k in shown["cases"]] == ["ERSTKONTAKT"]
    assert shown["cases"][0]["access_route"] == "AUSLAENDERBEHOERDE"
    assert shown["cases"][0]["programme"] == "GK_BAUSTEIN_6"
    assert shown["cases"][0]["first_contact_on"] == "2026-11-25"
    with open_vault.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []


def test_show_output_is_accepted_by_add(open_vault) -> None:
    first = clients.add_client(open_vault, FULL)
    shown = clients.show_client(open_vault, first.case_code)
    again = clients.add_client(open_vault, shown)  # the whole show output, ids and derived values included
    assert again.case_code != first.case_code
    assert [(d.case_code, d.reason) for d in again.possible_duplicates] == [(first.case_code, "same_birth_date_similar_name")]
    shown2 = clients.show_client(open_vault, again.case_code)
    assert _strip(shown2["client"]) == _strip(shown["client"])
    # And the client object alone, as printed.
    third = clients.add_client(open_vault, json.loads(json.dumps(shown["client"])))
    assert _strip(clients.show_client(open_vault, third.case_code)["client"]) == _strip(shown["client"])


def test_first_contact_minimum_and_residence_shortcut(open_vault) -> None:
    r = clients.add_client(open_vault, {"first_name": " Aya ", "last_name": "Nour", "birth_date": "2005-01-01",
                                         "birth_date_fictitious": True, "residence_status": "aufenthaltsgestattung",
                                         "residence_valid_until": "2027-05-31"})
    c = clients.show_client(open_vault, r.case_code.lower())["client"]
    assert c["first_name"] == "Aya"
    assert c["residence_periods"][0]["status"] == "AUFENTHALTSGESTATTUNG"
    assert c["target_group"] == "SEKUNDAER_GESTATTUNG"
    row = next(x for x in clients.list_clients(open_vault) if x.case_code == r.case_code)
    assert (row.residence_status, row.residence_valid_until, row.phase) == ("AUFENTHALTSGESTATTUNG", dt.date(2027, 5, 31), "ERSTKONTAKT")


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"birth_date": "2003-02-30"}, "birth_date"),
        ({"birth_date": "2030-01-01"}, "birth_date"),
        ({"birth_date": None}, "birth_date"),
        ({"first_name": "   "}, "first_name"),
        ({"gender": "UNKNOWN"}, "gender"),
        ({"minor_children": -1}, "minor_children"),
        ({"interpreter_needed": "ja"}, "interpreter_needed"),
        ({"country_of_origin": "Syrien"}, "country_of_origin"),
        ({"favourite_colour": "blau"}, "favourite_colour"),
        ({"residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2026-05-01", "valid_until": "2026-01-01"}]},
         "residence_periods[0].valid_until"),
        ({"residence_periods": [{"valid_from": "2026-05-01"}]}, "residence_periods[0].status"),
        ({"language_certificates": [{"level": "MUTTERSPRACHE"}]}, "language_certificates[0].level"),
        ({"residence_valid_until": "2027-01-01"}, "residence_status"),
        ({"name_variants": "Muhammad"}, "name_variants"),
        ({"case": {"access_route": "TAXI"}}, "case.access_route"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(open_vault, patch, path) -> None:
    data = {"first_name": "Omar", "last_name": "Darwish", "birth_date": "2001-05-06", **patch}
    with open_vault.session() as s:
        before = s.execute(select(func.count()).select_from(M.Client)).scalar_one()
    with pytest.raises(InputRejectedError) as err:
        clients.add_client(open_vault, data)
    assert path + ":" in err.value.message
    assert "Omar" not in err.value.message and "Darwish" not in err.value.message  # no personal data
    with open_vault.session() as s:
        assert s.execute(select(func.count()).select_from(M.Client)).scalar_one() == before
        assert s.execute(select(func.count()).select_from(M.Case)).scalar_one() == 0


def test_update_changes_only_given_keys(open_vault) -> None:
    r = clients.add_client(open_vault, FULL)
    before = clients.show_client(open_vault, r.case_code)["client"]
    clients.update_client(open_vault, r.case_code, {"phone": "+49 1570 1111111", "minor_children": 0})
    after = clients.show_client(open_vault, r.case_code)["client"]
    assert after["phone"] == "+49 1570 1111111" and after["minor_children"] == 0
    for key in ("first_name", "address", "name_variants", "residence_periods", "work_records", "identity_status"):
        assert after[key] == before[key], key


def test_update_nested_list_by_id_and_replacement(open_vault) -> None:
    r = clients.add_client(open_vault, FULL)
    shown = clients.show_client(open_vault, r.case_code)["client"]
    periods = shown["residence_periods"]
    periods[1]["valid_until"] = "2027-04-30"
    clients.update_client(open_vault, r.case_code, {"residence_periods": periods})
    after = clients.show_client(open_vault, r.case_code)["client"]
    assert [p["id"] for p in after["residence_periods"]] == [p["id"] for p in periods]  # updated in place
    assert after["residence_periods"][1]["valid_until"] == "2027-04-30"
    clients.update_client(open_vault, r.case_code, {"name_variants": ["Jusuf"], "nationalities": ["SY", "IQ"]})
    after = clients.show_client(open_vault, r.case_code)["client"]
    assert [v["name"] for v in after["name_variants"]] == ["Jusuf"]
    assert sorted(after["nationalities"]) == ["IQ", "SY"]
    with pytest.raises(InputRejectedError, match=r"residence_periods\[0\]\.id"):
        clients.update_client(open_vault, r.case_code, {"residence_periods": [{"id": "nope", "status": "DULDUNG_60A"}]})
    with open_vault.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []


def test_update_residence_status_starts_a_new_period(open_vault) -> None:
    r = clients.add_client(open_vault, FULL)
    clients.update_client(open_vault, r.case_code, {"residence_status": "AUSBILDUNGSDULDUNG_60C",
                                                     "residence_valid_until": "2029-07-31"})
    c = clients.show_client(open_vault, r.case_code)["client"]
    assert c["residence_status"] == "AUSBILDUNGSDULDUNG_60C"
    assert c["residence_periods"][-1]["valid_from"] == "2026-11-25"
    assert c["residence_periods"][-2]["valid_until"] == "2026-11-24"  # the Duldung ends the day before
    clients.update_client(open_vault, r.case_code, {"residence_status": "AUSBILDUNGSDULDUNG_60C",
                                                     "residence_valid_until": "2029-08-31"})
    c2 = clients.show_client(open_vault, r.case_code)["client"]
    assert len(c2["residence_periods"]) == len(c["residence_periods"])  # same status: extended in place
    assert c2["residence_valid_until"] == "2029-08-31"


def test_unknown_case_code(open_vault) -> None:
    with pytest.raises(NotFoundError):
        clients.show_client(open_vault, "GK-26-XXXXXX")
    with pytest.raises(NotFoundError):
        clients.update_client(open_vault, "GK-26-XXXXXX", {"phone": "1"})


def test_case_code_cannot_change(open_vault) -> None:
    r = clients.add_client(open_vault, FULL)
    clients.update_client(open_vault, r.case_code, {"case_code": r.case_code.lower()})  # the same: fine
    with pytest.raises(InputRejectedError, match="case_code"):
        clients.update_client(open_vault, r.case_code, {"case_code": "GK-26-AAAAAA"})


def test_list_every_client_with_phase_and_last_contact(open_vault) -> None:
    a = clients.add_client(open_vault, FULL)
    b = clients.add_client(open_vault, {"first_name": "Selam", "last_name": "Tesfamariam", "birth_date": "1996-01-01"})
    with open_vault.session() as s:
        case = s.execute(select(M.Case).join(M.Client).where(M.Client.case_code == a.case_code)).scalars().one()
        case.phase = "ABGESCHLOSSEN"
        case.closed_on = dt.date(2026, 11, 1)
        s.add(M.Contact(case_id=case.id, at=dt.datetime(2026, 10, 30, 9, 0, tzinfo=dt.timezone.utc), note="x"))
        s.commit()
    rows = {r.case_code: r for r in clients.list_clients(open_vault)}
    assert set(rows) == {a.case_code, b.case_code}  # closed cases included
    assert rows[a.case_code].phase == "ABGESCHLOSSEN"
    assert rows[a.case_code].last_contact == dt.datetime(2026, 10, 30, 9, 0, tzinfo=dt.timezone.utc)
    assert rows[b.case_code].age == 30 and rows[b.case_code].target_group == "NICHT_ZIELGRUPPE"
    assert rows[b.case_code].residence_status is None and rows[b.case_code].last_contact is None


def test_changing_a_programme_value_changes_the_target_group(open_vault) -> None:
    r = clients.add_client(open_vault, {"first_name": "Omar", "last_name": "Khalil", "birth_date": "1998-01-10",
                                         "residence_status": "DULDUNG_60A"})
    assert clients.show_client(open_vault, r.case_code)["client"]["target_group"] == "NICHT_ZIELGRUPPE"  # 28
    with open_vault.session() as s:
        prog = s.execute(select(M.FundingProgramme)).scalars().one()
        prog.age_max = 29  # e.g. a KIM band
        s.commit()
    assert clients.show_client(open_vault, r.case_code)["client"]["target_group"] == "PRIMAER_DULDUNG"
    assert next(x for x in clients.list_clients(open_vault)).target_group == "PRIMAER_DULDUNG"


def test_changing_a_legal_rule_changes_the_counted_days(open_vault) -> None:
    r = clients.add_client(open_vault, FULL)
    with open_vault.session() as s:
        rule = s.execute(select(M.LegalRuleRow).where(M.LegalRuleRow.key == "P25A_COUNTING_STATUSES")).scalars().one()
        rule.value_json = json.dumps(["AUFENTHALTSGESTATTUNG", "DULDUNG_60A"])
        s.commit()
    c = clients.show_client(open_vault, r.case_code)["client"]
    assert c["duldung_days_counting"] == (dt.date(2026, 11, 25) - dt.date(2019, 5, 2)).days + 1


def test_exclusion_outcome_excludes(open_vault) -> None:
    r = clients.add_client(open_vault, {"first_name": "Ali", "last_name": "Rashid", "birth_date": "2004-04-04",
                                         "residence_status": "DULDUNG_60A", "exclusion_outcome": "LANDESAUFNAHMEEINRICHTUNG"})
    assert clients.show_client(open_vault, r.case_code)["client"]["target_group"] == "NICHT_ZIELGRUPPE"


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("Mohammed", "Al-Hassan"), ("Muhammad", "Alhassan")),
        (("Mohamad", "Haddad"), ("Mohammed", "Haddad")),
        (("محمد", "حداد"), ("Mohammed", "Haddad")),
        (("Ahmad", "Rahimi"), ("Ahmed", "Rahimi")),
        (("Yusuf", "Darwish"), ("Youssef", "Darwish")),
        (("Jusuf", "Darwish"), ("Yusuf", "Darwish")),
        (("Şükrü", "Yılmaz"), ("Sukru", "Yilmaz")),
        (("Đorđe", "Đorđević"), ("Djordje", "Djordjevic")),
        (("Haddad", "Omar"), ("Omar", "Haddad")),  # first and last swapped
    ],
)
def test_duplicates_found_across_spellings(open_vault, existing, new) -> None:
    first = clients.add_client(open_vault, {"first_name": existing[0], "last_name": existing[1], "birth_date": "2001-03-04"})
    hits = clients.check_duplicates(open_vault, {"first_name": new[0], "last_name": new[1], "birth_date": "2001-03-04"})
    assert [h.case_code for h in hits] == [first.case_code]
    assert hits[0].reason.startswith("same_birth_date")


def test_duplicates_with_fictitious_birth_date_and_variants(open_vault) -> None:
    first = clients.add_client(open_vault, {"first_name": "Yonas", "last_name": "Tesfamariam", "birth_date": "2000-01-01",
                                             "birth_date_fictitious": True, "name_variants": ["ዮናስ ተስፋማርያም"]})
    hits = clients.check_duplicates(open_vault, {"first_name": "Jonas", "last_name": "Tesfamariam", "birth_date": "2000-08-17"})
    assert [(h.case_code, h.reason) for h in hits] == [(first.case_code, "fictitious_birth_year_similar_name")]
    hits = clients.check_duplicates(open_vault, {"first_name": "ዮናስ", "last_name": "ተስፋማርያም", "birth_date": "2000-01-01"})
    assert [h.case_code for h in hits] == [first.case_code]


@pytest.mark.parametrize(
    ("existing", "new", "birth"),
    [
        (("Mohammed", "Haddad"), ("Mahmoud", "Haddad"), "2001-03-04"),
        (("Ahmad", "Rahimi"), ("Ahmad", "Karimi"), "2001-03-04"),
        (("Omar", "Khalil"), ("Amira", "Khalil"), "2001-03-04"),
        (("Yusuf", "Darwish"), ("Yusuf", "Darwish"), "2001-03-05"),  # other birth date
        (("Ali", "Hamad"), ("Ali", "Hamid"), "2001-03-04"),
    ],
)
def test_near_misses_are_not_duplicates(open_vault, existing, new, birth) -> None:
    clients.add_client(open_vault, {"first_name": existing[0], "last_name": existing[1], "birth_date": "2001-03-04"})
    assert clients.check_duplicates(open_vault, {"first_name": new[0], "last_name": new[1], "birth_date": birth}) == []


def test_list_rows_stay_in_step_with_the_file(open_vault) -> None:
    """The derived rows behind the list agree with the file after every kind of write."""
    from gk_desktop.services import demo
    from gk_desktop.storage import client_rows

    demo.generate(open_vault, 40, seed=9)
    codes = [r.case_code for r in clients.list_clients(open_vault)]
    clients.update_client(open_vault, codes[0], {"residence_periods": []})
    clients.update_client(open_vault, codes[1], {"residence_status": "AE_25A", "residence_valid_until": "2028-01-01"})
    clients.update_client(open_vault, codes[2], {"last_name": "Neuname", "birth_date": "2000-01-01"})
    with open_vault.session() as s:
        case = s.execute(select(M.Case).join(M.Client).where(M.Client.case_code == codes[3])).scalars().first()
        case.phase = "ABGESCHLOSSEN"
        s.add(M.Case(client_id=case.client_id, number=case.number + 1, phase="KLAERUNG", first_contact_on=dt.date(2026, 11, 1)))
        s.add(M.Contact(case_id=case.id, at=dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.timezone.utc)))
        s.commit()
    listed = {r.case_code: r for r in clients.list_clients(open_vault)}
    for code in codes:
        shown = clients.show_client(open_vault, code)
        c = shown["client"]
        row = listed[code]
        assert (row.last_name, row.birth_date.isoformat(), row.age, row.target_group) == (
            c["last_name"], c["birth_date"], c["age"], c["target_group"]), code
        assert (row.residence_status, row.residence_valid_until.isoformat() if row.residence_valid_until else None) == (
            c["residence_status"], c["residence_valid_until"]), code
        open_cases = [k for k in shown["cases"] if k["phase"] != "ABGESCHLOSSEN"]
        current = max(open_cases or shown["cases"], key=lambda k: k["number"])
        assert row.phase == current["phase"], code
        newest = shown["contacts"][0]["datetime"] if shown["contacts"] else None
        assert (row.last_contact.isoformat() if row.last_contact else None) == newest, code
    assert listed[codes[3]].phase == "KLAERUNG"
    # Rebuilt whole, the rows are the same.
    with open_vault.session() as s:
        before = sorted(map(tuple, client_rows.read_all(s.connection())))
        client_rows.rebuild(s.connection())
        assert sorted(map(tuple, client_rows.read_all(s.connection()))) == before
        assert len(before) == 40 and len(before[0]) == len(client_rows.READ_COLUMNS)


def test_list_on_a_later_day_recomputes_the_current_status(open_vault, monkeypatch) -> None:
    r = clients.add_client(open_vault, {"first_name": "Aya", "last_name": "Nour", "birth_date": "2002-02-02",
                                         "residence_periods": [
                                             {"status": "DULDUNG_60A", "valid_from": "2026-06-01", "valid_until": "2026-12-10"},
                                             {"status": "AE_25A", "valid_from": "2026-12-11"}]})

    def row(on: dt.date):
        return next(x for x in clients.list_clients(open_vault, on) if x.case_code == r.case_code)

    assert (row(dt.date(2026, 11, 25)).residence_status, row(dt.date(2026, 11, 25)).residence_valid_until) == (
        "DULDUNG_60A", dt.date(2026, 12, 10))
    assert row(dt.date(2026, 12, 10)).residence_status == "DULDUNG_60A"
    assert (row(dt.date(2026, 12, 11)).residence_status, row(dt.date(2026, 12, 11)).residence_valid_until) == ("AE_25A", None)
    assert row(dt.date(2026, 5, 1)).residence_status is None
    monkeypatch.setenv("GK_TODAY", "2027-01-15")  # the list is opened weeks later
    assert clients.list_clients(open_vault)[0].residence_status == "AE_25A"
