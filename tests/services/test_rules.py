"""Legal rules and programmes in the vault: read, edit with checks, and the first-contact preview."""

from __future__ import annotations

import datetime as dt

import pytest

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, rules


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def test_seeded_rules_with_source_and_stand(open_vault) -> None:
    rule_rows, progs = rules.list_rules(open_vault)
    keys = {r.key for r in rule_rows}
    assert {"P25A_MIN_DULDUNG_MONTHS", "P25B_MIN_STAY_YEARS", "P60D_ENTRY_BY", "P104C_DURATION_MONTHS"} <= keys
    assert all(r.source and r.stand for r in rule_rows)
    (prog,) = progs
    assert (prog.key, prog.age_min, prog.age_max) == ("GK_BAUSTEIN_6", 18, 27)
    assert "DULDUNG_60B" in prog.primary_statuses and "AUFENTHALTSGESTATTUNG" in prog.secondary_statuses
    assert prog.funding_authority == "Bezirksregierung Arnsberg" and prog.period_until == dt.date(2022, 12, 31)


def test_update_rule_checks_the_unit_and_sets_the_stand(open_vault) -> None:
    view = rules.update_rule(open_vault, "P25A_MIN_DULDUNG_MONTHS", "18")
    assert view.value == 18 and view.stand == dt.date(2026, 11, 25)
    assert rules.update_rule(open_vault, "P60D_ENTRY_BY", "31.12.2023").value == "2023-12-31"
    assert rules.update_rule(open_vault, "P25A_COUNTING_STATUSES", "duldung_60a, AUSBILDUNGSDULDUNG_60C").value == [
        "AUSBILDUNGSDULDUNG_60C", "DULDUNG_60A"]
    for key, bad in (("P25A_MIN_DULDUNG_MONTHS", "zwölf"), ("P25A_MIN_DULDUNG_MONTHS", "-1"),
                     ("P60D_ENTRY_BY", "31.02.2023"), ("P25A_COUNTING_STATUSES", "DULDUNG_99"),
                     ("P25A_COUNTING_STATUSES", "")):
        with pytest.raises(InputRejectedError):
            rules.update_rule(open_vault, key, bad)
    with pytest.raises(NotFoundError):
        rules.update_rule(open_vault, "NO_SUCH_RULE", "1")
    values = {r.key: r.value for r in rules.list_rules(open_vault)[0]}
    assert values["P25A_MIN_DULDUNG_MONTHS"] == 18 and values["P60D_ENTRY_BY"] == "2023-12-31"


def test_update_programme_is_checked_as_a_whole(open_vault) -> None:
    with pytest.raises(InputRejectedError):
        rules.update_programme(open_vault, "GK_BAUSTEIN_6", age_min=28, age_max=27)
    with pytest.raises(InputRejectedError):
        rules.update_programme(open_vault, "GK_BAUSTEIN_6", secondary_statuses=["DULDUNG_60A"])
    assert rules.list_rules(open_vault)[1][0].age_max == 27  # unchanged
    rules.update_programme(open_vault, "GK_BAUSTEIN_6", age_max=29)
    assert clients.load_rules(open_vault).programme(None).rules.age_max == 29


def test_preview_moves_with_the_fields_and_the_rules(open_vault) -> None:
    vr = clients.load_rules(open_vault)
    on = dt.date(2026, 11, 25)
    p = clients.preview_target_group(vr, None, None, None, on)
    assert p.target_group is None and p.age is None
    p = clients.preview_target_group(vr, dt.date(2002, 7, 14), "DULDUNG_60A", "KEINE", on)
    assert (p.target_group, p.age, p.leaves_target_group_on) == ("PRIMAER_DULDUNG", 24, dt.date(2030, 7, 14))
    assert p.hints == []
    p = clients.preview_target_group(vr, dt.date(2002, 7, 14), "AUFENTHALTSGESTATTUNG", None, on)
    assert p.target_group == "SEKUNDAER_GESTATTUNG" and len(p.hints) == 1  # exclusion check not recorded
    p = clients.preview_target_group(vr, dt.date(1999, 3, 1), "DULDUNG_60A", "KEINE", on)
    assert p.target_group == "PRIMAER_DULDUNG" and any("01.03.2027" in h for h in p.hints)  # leaves within a year
    p = clients.preview_target_group(vr, dt.date(1998, 1, 10), "DULDUNG_60A", "KEINE", on)
    assert p.target_group == "NICHT_ZIELGRUPPE" and p.hints
    p = clients.preview_target_group(vr, dt.date(2002, 7, 14), "DULDUNG_60A", "LANDESAUFNAHMEEINRICHTUNG", on)
    assert p.target_group == "NICHT_ZIELGRUPPE"
    p = clients.preview_target_group(vr, dt.date(2009, 2, 1), "DULDUNG_60A", "KEINE", on)
    assert p.target_group == "NICHT_ZIELGRUPPE" and any("01.02.2027" in h for h in p.hints)
    p = clients.preview_target_group(vr, dt.date(2027, 1, 1), None, None, on)
    assert p.target_group is None and p.hints
    rules.update_programme(open_vault, "GK_BAUSTEIN_6", age_max=29)
    p = clients.preview_target_group(clients.load_rules(open_vault), dt.date(1998, 1, 10), "DULDUNG_60A", "KEINE", on)
    assert p.target_group == "PRIMAER_DULDUNG"
