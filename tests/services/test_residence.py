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


def test_outcomes_recorded_once_hold_for_every_pathway_until_changed(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    residence.save_check(open_vault, code, "P25A", {"outcomes": {"no_relevant_convictions": "JA"}})
    live = {r.pathway.value: r for r in residence.check_client(open_vault, code)}
    convictions = next(c for c in live["P25B"].criteria if c.key == "no_relevant_convictions")
    assert convictions.status.value == "ERFUELLT"  # recorded with a § 25a check, read by § 25b
    # A later check carries the earlier outcome forward, adds one, and null takes one back.
    residence.save_check(open_vault, code, "P25B", {"outcomes": {"legal_order_knowledge": "JA"}})
    newest = residence.list_checks(open_vault, code)[0]
    assert newest["outcomes"] == {"no_relevant_convictions": "JA", "legal_order_knowledge": "JA"}
    residence.save_check(open_vault, code, "P25B", {"outcomes": {"no_relevant_convictions": None}})
    (p25b,) = residence.check_client(open_vault, code, "P25B")
    assert next(c for c in p25b.criteria if c.key == "no_relevant_convictions").status.value == "UNKLAR"


def test_later_steps_of_the_abh_coordination(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    saved = residence.save_check(open_vault, code, "P25A", {"abh_consulted_on": "2026-11-20"})
    changed = residence.update_check(open_vault, code, saved["id"], {"applied_on": "2026-11-24", "note": "per Post"})
    assert (changed["abh_consulted_on"], changed["applied_on"], changed["note"]) == ("2026-11-20", "2026-11-24", "per Post")
    assert changed["light"] == saved["result"] and changed["result"]["criteria"] == saved["criteria"]
    for data, needle in (({"decided_on": "2026-11-23"}, "decided_on"),  # before the application
                         ({"applied_on": "2026-12-01"}, "applied_on"),  # in the future
                         ({"light": "GRUEN"}, "light"),  # the result stays as saved
                         ({"applied_on": "2026-13-01"}, "applied_on")):
        with pytest.raises(InputRejectedError) as err:
            residence.update_check(open_vault, code, saved["id"], data)
        assert needle in err.value.message
    assert residence.list_checks(open_vault, code)[0] == changed
    other = clients.add_client(open_vault, dict(FILE, first_name="Other")).case_code
    with pytest.raises(NotFoundError):
        residence.update_check(open_vault, other, saved["id"], {"note": "x"})


def _file(birth: str, **extra):
    return dict(FILE, first_name=f"P{birth}", birth_date=birth, **extra)


def test_overview_green_or_yellow_by_pathway_and_turning_27(open_vault) -> None:
    from gk_desktop.services import cycle

    soon = clients.add_client(open_vault, _file("2000-03-01")).case_code  # 27 on 01.03.2027
    later = clients.add_client(open_vault, _file("2001-03-01")).case_code  # 27 on 01.03.2028
    no_stay = clients.add_client(open_vault, _file("2000-06-01", residence_periods=[
        {"status": "DULDUNG_60A", "valid_from": "2026-06-01", "valid_until": "2027-04-30"}],
        education_records=[])).case_code  # § 25a not reachable before 27: ROT
    shown = residence.overview(open_vault)
    assert shown["on"] == "2026-11-25" and shown["rule_stand"] == "2026-11-25"
    p25a = {r["case_code"]: r["result"] for r in shown["pathways"] if r["pathway"] == "P25A"}
    assert p25a.get(soon) == "GRUEN" and p25a.get(later) == "GRUEN" and no_stay not in p25a
    assert all(r["result"] in ("GRUEN", "GELB") for r in shown["pathways"])
    assert [r["case_code"] for r in shown["turning_27"]] == [soon]
    assert shown["turning_27"][0]["deadline"] == "2027-02-28"
    assert residence.overview(open_vault, months_to_27=3)["turning_27"] == []
    # closed cases are left out unless asked for
    case_id = clients.show_client(open_vault, soon)["cases"][0]["id"]
    cycle.close_case(open_vault, case_id, {"closure_reason": "UMZUG", "destination": "UNBEKANNT", "evaluation": "x"})
    assert soon not in {r["case_code"] for r in residence.overview(open_vault)["pathways"]}
    everyone = residence.overview(open_vault, open_cases_only=False)
    assert {r["case_code"]: r["open_case"] for r in everyone["turning_27"]} == {soon: False}


def test_overview_can_be_cancelled_and_reports_progress(open_vault) -> None:
    for i in range(60):
        clients.add_client(open_vault, _file(f"2001-03-{(i % 28) + 1:02d}"))
    seen: list[tuple[int, int]] = []
    assert residence.overview(open_vault, progress=lambda d, t: seen.append((d, t))) is not None
    assert seen[-1] == (60, 60)
    assert residence.overview(open_vault, cancelled=lambda: True) is None
