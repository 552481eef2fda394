"""Deadlines from the vault: every type read from a real file, decisions kept under the key,
follow-ups, and the settings' lead times."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gk_desktop.domain import deadlines as dl
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, cycle, deadlines

T = dl.DeadlineType
CONFIG = dl.DeadlineConfig()


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
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-01", "valid_until": "2026-04-30"},
        {"status": "DULDUNG_60A", "valid_from": "2026-05-01", "valid_until": "2026-12-10"}],
    "identity_status": {"clarified": "JA", "passport_valid_until": "2027-03-31"},
    "education_records": [{"country": "DE", "start_date": "2019-08-01", "end_date": "2022-07-31", "attendance_ok": True}],
    "work_records": [{"type": "AUSBILDUNG_QUALIFIZIERT", "start_date": "2027-08-01", "planned_end_date": "2030-07-31"}],
    "asylum_procedures": [{"stage": "BESCHEID_NEGATIV", "decision_served_on": "2026-11-20"}],
}


def _by_type(found: list[dl.Deadline]) -> dict[str, list[dl.Deadline]]:
    out: dict[str, list[dl.Deadline]] = {}
    for d in found:
        out.setdefault(d.type.value, []).append(d)
    return out


def test_the_file_raises_its_deadlines(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    found = _by_type(deadlines.compute(open_vault, config=CONFIG, case_code=code))
    assert [d.due for d in found["DULDUNG_ABLAUF"]] == [dt.date(2026, 12, 10)]
    assert [d.due for d in found["PASS_ABLAUF"]] == [dt.date(2027, 3, 31)]
    assert [d.due for d in found["GEBURTSTAG_27"]] == [dt.date(2028, 2, 29)]  # 27 on 01.03.2028, a leap year
    assert [d.due for d in found["ZIELGRUPPE_ENDE"]] == [dt.date(2029, 3, 1)]
    assert [d.due for d in found["P60C_ANTRAG_FRUEHESTENS"]] == [dt.date(2027, 1, 1)]
    assert [d.due for d in found["AUSBILDUNG_ENDE"]] == [dt.date(2030, 7, 31)]
    assert [d.due for d in found["BESCHEID_ZUGESTELLT"]] == [dt.date(2026, 11, 20)]
    # § 25a: 12 months of Duldung from 01.05.2026 → 01.05.2027 (the Gestattung time does not count)
    assert [d.due for d in found["P25A_MOEGLICH_AB"]] == [dt.date(2027, 5, 1)]
    assert {d.case_code for ds in found.values() for d in ds} == {code}
    # the first contact made a running case: no contact since then raises "no contact" after six weeks
    assert len(found["KEIN_KONTAKT"]) == 1


def test_the_cycle_raises_goal_task_referral_consent_and_retention(open_vault) -> None:
    from gk_desktop.services import demo

    demo.generate(open_vault, 25, seed=11)
    found = _by_type(deadlines.compute(open_vault, config=CONFIG))
    for kind in ("ZIEL_UEBERPRUEFUNG", "AUFGABE_FAELLIG", "EINWILLIGUNG_PRUEFEN", "LOESCHFRIST"):
        assert found.get(kind), kind
    assert all(d.case_code is None for d in found.get("ANGEBOT_AKTUALISIEREN", []))


def test_a_decision_survives_recomputation_and_an_unrelated_change(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    (duldung,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.DULDUNG_ABLAUF]
    shown = deadlines.decide(open_vault, duldung.key, "ERLEDIGT", config=CONFIG)
    assert shown["status"] == "ERLEDIGT" and shown["key"] == duldung.key
    clients.update_client(open_vault, code, {"phone": "0170 1234567"})
    (again,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.DULDUNG_ABLAUF]
    assert again.status is dl.DeadlineStatus.ERLEDIGT
    assert duldung.key not in {d.key for d in deadlines.due(open_vault, days=30, config=CONFIG)}
    assert duldung.key in {d.key for d in deadlines.due(open_vault, days=30, everything=True, config=CONFIG)}
    deadlines.decide(open_vault, duldung.key, "OFFEN", config=CONFIG)
    assert duldung.key in {d.key for d in deadlines.due(open_vault, days=30, config=CONFIG)}


def test_a_changed_fact_moves_the_deadline_and_opens_it(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    (passport,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.PASS_ABLAUF]
    deadlines.decide(open_vault, passport.key, "VERWORFEN", config=CONFIG)
    clients.update_client(open_vault, code, {"identity_status": {"clarified": "JA", "passport_valid_until": "2027-06-30"}})
    (moved,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.PASS_ABLAUF]
    assert moved.due == dt.date(2027, 6, 30) and moved.status is dl.DeadlineStatus.OFFEN


@pytest.mark.parametrize(("key", "error"), [
    ("nonsense", InputRejectedError), ("DULDUNG_ABLAUF:x:2026-02-30", InputRejectedError),
    ("NO_TYPE:x:2026-12-10", InputRejectedError), ("DULDUNG_ABLAUF:someone:2026-12-10", NotFoundError),
])
def test_bad_keys_change_nothing(open_vault, key, error) -> None:
    clients.add_client(open_vault, FILE)
    with pytest.raises(error):
        deadlines.decide(open_vault, key, "ERLEDIGT", config=CONFIG)
    with open_vault.session() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM deadline_decision").scalar() == 0


def test_unknown_decision_is_refused(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    key = deadlines.compute(open_vault, config=CONFIG, case_code=code)[0].key
    with pytest.raises(InputRejectedError):
        deadlines.decide(open_vault, key, "LATER", config=CONFIG)


def test_follow_ups_by_hand(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    made = deadlines.add_follow_up(open_vault, code, "2026-11-27", "  Zeugnis   abholen ")
    assert made["text"] == "Zeugnis abholen"
    (follow,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.WIEDERVORLAGE]
    assert follow.due == dt.date(2026, 11, 27) and follow.text == "Zeugnis abholen"
    assert follow.key in {d.key for d in deadlines.due(open_vault, days=7, config=CONFIG)}
    deadlines.decide(open_vault, follow.key, "ERLEDIGT", config=CONFIG)
    with open_vault.session() as s:
        assert s.connection().exec_driver_sql("SELECT done_on FROM follow_up").scalar() == "2026-11-25"
    (done,) = [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.WIEDERVORLAGE]
    assert done.status is dl.DeadlineStatus.ERLEDIGT
    for due_on, text in (("2026-02-30", "x"), ("morgen", "x"), ("2026-12-01", "  ")):
        with pytest.raises(InputRejectedError):
            deadlines.add_follow_up(open_vault, code, due_on, text)
    with pytest.raises(NotFoundError):
        deadlines.add_follow_up(open_vault, "GK-26-NOPE00", "2026-12-01", "x")


def test_closed_case_keeps_only_its_retention(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    case_id = clients.show_client(open_vault, code)["cases"][0]["id"]
    cycle.close_case(open_vault, case_id, {"closure_reason": "UMZUG", "destination": "UNBEKANNT", "evaluation": "x"})
    found = deadlines.compute(open_vault, config=CONFIG, case_code=code)
    assert [d.type.value for d in found] == ["LOESCHFRIST"] and found[0].due == dt.date(2029, 11, 25)


def test_settings_lead_times_and_periods() -> None:
    from gk_desktop.settings import Settings

    settings = Settings().with_value("deadline_leads", json.dumps({"PASS_ABLAUF": "1m", "DULDUNG_ABLAUF": "bad",
                                                                   "NOPE": "1d"}))
    settings = settings.with_value("referral_followup_days", 21)
    config = deadlines.config_from(settings)
    assert config.leads_for(T.PASS_ABLAUF) == (dl.Lead(1, "M"),)
    assert config.leads_for(T.DULDUNG_ABLAUF) == dl.DEFAULT_LEADS[T.DULDUNG_ABLAUF]  # a bad entry: the default
    assert config.referral_followup_days == 21
    assert deadlines.config_from(Settings().with_value("deadline_leads", "{not json")).leads_for(T.PASS_ABLAUF) == \
        dl.DEFAULT_LEADS[T.PASS_ABLAUF]


def test_one_client_equals_its_share_of_everything(open_vault) -> None:
    from gk_desktop.services import demo

    demo.generate(open_vault, 12, seed=5)
    everything = deadlines.compute(open_vault, config=CONFIG)
    for code in sorted({d.case_code for d in everything if d.case_code})[:6]:
        one = deadlines.compute(open_vault, config=CONFIG, case_code=code)
        assert sorted(one) == sorted(d for d in everything if d.case_code == code)


def test_no_contact_is_not_raised_for_a_dormant_case(open_vault) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    case_id = clients.show_client(open_vault, code)["cases"][0]["id"]
    assert [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.KEIN_KONTAKT]
    cycle.set_phase(open_vault, case_id, "RUHEND")
    assert not [d for d in deadlines.compute(open_vault, config=CONFIG, case_code=code) if d.type is T.KEIN_KONTAKT]
