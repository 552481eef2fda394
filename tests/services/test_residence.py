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
