"""Residence checks from a client's file: facts read from the records, results per CLI.md."""

from __future__ import annotations

import pytest

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, residence, rules


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    i18n.set_language("en")
    yield
    i18n.set_language("de")


FILE = {
    "first_name": "Samir", "last_name": "Haddad", "birth_date": "2001-03-01", "entry_date_de": "2019-05-01",
    "residence_periods": [
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-01", "valid_until": "2021-04-30"},
        {"status": "DULDUNG_60A", "valid_from": "2021-05-01", "valid_until": "2027-04-30"}],
    "education_records": [{"country": "DE", "start_date": "2019-08-01", "end_date": "2022-07-31", "attendance_ok": True,
                           "qualification": "HSA_9"}],
    "language_certificates": [{"language": "de", "level": "B1", "date": "2022-06-01"}],
}


def test_25a_from_the_file_and_the_json_shape(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    (result,) = residence.check_client(open_vault, code, "p25a")
    shown = residence.result_json(result)
    assert set(shown) >= {"pathway", "result", "criteria", "expected_eligible_on", "rule_stand"}
    assert shown["pathway"] == "P25A" and shown["rule_stand"] == "2026-11-25"
    statuses = {c["key"]: c["status"] for c in shown["criteria"]}
    assert statuses["duldung_months"] == statuses["stay_years"] == statuses["school_or_qualification"] == "ERFUELLT"
    assert statuses["apply_before_birthday"] == "ERFUELLT"
    assert shown["result"] == "GRUEN"
    assert all({"key", "status", "value", "expected_date"} <= set(c) for c in shown["criteria"])
    assert len(residence.check_client(open_vault, code)) == 7


def test_a_changed_rule_moves_the_result(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    rules.update_rule(open_vault, "P25A_MIN_DULDUNG_MONTHS", 120)
    (result,) = residence.check_client(open_vault, code, "P25A")
    criterion = next(c for c in result.criteria if c.key == "duldung_months")
    assert criterion.status.value in ("ABSEHBAR", "NICHT_ERFUELLT") and result.light.value != "GRUEN"


def test_bad_pathway_and_unknown_client(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    with pytest.raises(InputRejectedError):
        residence.check_client(open_vault, code, "P99")
    with pytest.raises(NotFoundError):
        residence.check_client(open_vault, "GK-26-NOPE00")


def test_the_words_prepare_and_never_promise(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    text = str([residence.result_json(r) for r in residence.check_client(open_vault, code)]).lower()
    for word in ("entitled", "anspruch", "claim"):
        assert word not in text


def test_saving_a_check_with_outcomes_overrides_and_the_abh(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    saved = residence.save_check(open_vault, code, "P25A", {
        "outcomes": {"integration_prognosis": "JA"},
        "overrides": {"school_or_qualification": {"status": "ERFUELLT", "reason": "Zeugnis liegt im Original vor"}},
        "abh_consulted_on": "2026-11-20", "abh_result": "Antrag vorbereiten", "applied_on": "2026-11-24"})
    assert saved["pathway"] == "P25A" and saved["rule_stand"] == "2026-11-25" and saved["id"]
    crit = {c["key"]: c for c in saved["criteria"]}
    assert crit["school_or_qualification"]["overridden"] and crit["integration_prognosis"]["status"] == "ERFUELLT"
    (stored,) = residence.list_checks(open_vault, code)
    assert (stored["pathway"], stored["light"], stored["stand"], stored["applied_on"]) == (
        "P25A", saved["result"], "2026-11-25", "2026-11-24")
    assert stored["overrides"]["school_or_qualification"][1] == "Zeugnis liegt im Original vor"
    assert stored["outcomes"] == {"integration_prognosis": "JA"}


@pytest.mark.parametrize(("data", "needle"), [
    ({"overrides": {"school_or_qualification": {"status": "ERFUELLT"}}}, "reason"),
    ({"overrides": {"no_such": {"status": "ERFUELLT", "reason": "x"}}}, "overrides.no_such"),
    ({"overrides": {"duldung_months": {"status": "ABSEHBAR", "reason": "x"}}}, "expected_date"),
    ({"outcomes": {"integration_prognosis": "VIELLEICHT"}}, "outcomes.integration_prognosis"),
    ({"abh_consulted_on": "2026-02-30"}, "abh_consulted_on"),
    ({"colour": "red"}, "colour"),
])
def test_bad_saves_change_nothing(open_vault, data, needle) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    with pytest.raises(InputRejectedError) as err:
        residence.save_check(open_vault, code, "P25A", data)
    assert needle in err.value.message
    assert residence.list_checks(open_vault, code) == []
