"""The Prüfungen tab: seven pathways with a light, the criteria of the chosen one (the questions
the file cannot answer apart), the calm banner with the "Stand", "Neu prüfen", and clear()."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gk_desktop.i18n import _
from gk_desktop.services import clients
from gk_desktop.ui import checks_tab, ops
from gk_desktop.ui.checks_tab import ChecksTab

SAMIR = {
    "first_name": "Samir", "last_name": "Haddad", "birth_date": "2001-03-01", "entry_date_de": "2019-05-01",
    "residence_periods": [
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-01", "valid_until": "2021-04-30"},
        {"status": "DULDUNG_60A", "valid_from": "2021-05-01", "valid_until": "2027-04-30"},
    ],
    "education_records": [{"country": "DE", "start_date": "2019-08-01", "end_date": "2022-07-31",
                           "attendance_ok": True, "qualification": "HSA_9"}],
    "language_certificates": [{"language": "de", "level": "B1", "date": "2022-06-01"}],
}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def loaded_tab(qtbot, open_vault):
    code = clients.add_client(open_vault, SAMIR).case_code
    tab = ChecksTab(open_vault)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.set_client(code)
    yield tab, code
    ops.wait_all()


def _texts(model) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_shows_seven_pathways_and_25a_green(qtbot, loaded_tab) -> None:
    tab, _code = loaded_tab
    rows = _texts(tab.model)
    assert len(rows) == 7
    assert [r["pathway"] for r in tab.results()] == list(checks_tab.PATHWAYS)
    names = [r[1] for r in rows]
    assert names == [_(checks_tab.PATHWAYS[p]) for p in checks_tab.PATHWAYS]
    # every light as a word and as a coloured dot
    for r in range(7):
        assert rows[r][0] in {_(w) for _c, w in checks_tab.LIGHTS.values()}
        assert tab.model.data(tab.model.index(r, 0), Qt.ItemDataRole.DecorationRole) is not None

    row_25a = tab.model.find("P25A")
    assert rows[row_25a][0] == _("green")
    tab.table.selectRow(row_25a)
    assert _(checks_tab.PATHWAYS["P25A"]) in tab.title.text()
    criteria = tab.criteria_model.rows()
    keys = [c["key"] for c in criteria]
    assert {"duldung_months", "stay_years", "school_or_qualification", "apply_before_birthday"} <= set(keys)
    assert all(c["status"] == "ERFUELLT" for c in criteria)
    assert all(r[0] == _("fulfilled") for r in _texts(tab.criteria_model))
    # the questions the file cannot answer sit apart and do not colour the light
    open_keys = [c["key"] for c in tab.open_model.rows()]
    assert "integration_prognosis" in open_keys and "passport" in open_keys
    assert not set(open_keys) & set(keys)
    assert tab.open_group.isVisibleTo(tab)
    # § 25a: the deadline is the day before the 27th birthday (1 March 2028 → 29 February 2028)
    assert "29.02.2028" in tab.deadline_label.text()
    assert tab.missing_label.text().startswith(_("Missing so far: {items}").split("{")[0])


def test_banner_stand_and_no_entitlement_words(qtbot, loaded_tab) -> None:
    tab, _code = loaded_tab
    assert tab.banner_text.text() == _(checks_tab.BANNER)
    assert tab.banner.isVisibleTo(tab)
    assert "25.11.2026" in tab.stand_label.text() or "2026" in tab.stand_label.text()
    shown = " ".join([tab.banner_text.text(), tab.stand_label.text(), tab.title.text(),
                      tab.missing_label.text(), tab.possible_label.text(), tab.deadline_label.text()])
    for word in ("Anspruch", "entitled"):
        assert word.lower() not in shown.lower()


def test_check_again_and_clear(qtbot, loaded_tab) -> None:
    tab, _code = loaded_tab
    tab.select_pathway("P60D")
    assert tab.check_button.isEnabled()
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.check_button.click()
    assert tab.model.rowCount() == 7
    assert tab._current_pathway() == "P60D"  # the chosen pathway stays chosen

    tab.clear()
    assert tab.model.rowCount() == 0
    assert tab.criteria_model.rowCount() == 0 and tab.open_model.rowCount() == 0
    assert tab.results() == []
    assert tab._vault is None and tab.case_code is None
    assert tab.missing_label.text() == "" and tab.deadline_label.text() == ""
    assert not tab.check_button.isEnabled()
    assert tab.banner_text.text() == _(checks_tab.BANNER)  # the banner stays


def test_status_words() -> None:
    assert checks_tab.status_text({"status": "ABSEHBAR", "expected_date": "2027-05-01"}) == \
        _(checks_tab.EXPECTED_ON).format(date="01.05.2027")
    assert checks_tab.status_text({"status": "NICHT_ERFUELLT"}) == _("not fulfilled")
    assert checks_tab.status_text({"status": "UNKLAR", "overridden": True}).endswith(_(checks_tab.OVERRIDDEN))


def _saved_and_reloaded(qtbot, tab, dialog) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_save_a_check_with_an_outcome_an_override_and_the_abh(qtbot, loaded_tab) -> None:
    from gk_desktop.services import residence

    tab, code = loaded_tab
    tab.select_pathway("P25A")
    assert tab.save_button.isEnabled() and not tab.abh_button.isEnabled()
    dialog = tab.save_check()
    qtbot.addWidget(dialog)
    assert "integration_prognosis" in dialog.outcome_combos
    prognosis = dialog.outcome_combos["integration_prognosis"]
    prognosis.setCurrentIndex(prognosis.findData("JA"))
    combo, day, reason = dialog.override_rows["school_or_qualification"]
    assert not reason.isEnabled()
    combo.setCurrentIndex(combo.findData("ABSEHBAR"))
    assert reason.isEnabled() and day.isEnabled()
    # refused in the dialog, nothing lost: no reason, no date
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.message.isVisibleTo(dialog)
    assert _("Reason") not in dialog.message.text() or "reason" in dialog.message.text().lower()
    reason.setText("Zeugnis wird nachgereicht")
    day.setText("01.03.2027")
    dialog.widgets["abh_consulted_on"].setText("20.11.2026")
    dialog.widgets["abh_result"].setText("Antrag vorbereiten")
    _saved_and_reloaded(qtbot, tab, dialog)

    (saved,) = tab.saved()
    assert (saved["pathway"], saved["abh_consulted_on"], saved["abh_result"]) == ("P25A", "2026-11-20", "Antrag vorbereiten")
    assert saved["outcomes"] == {"integration_prognosis": "JA"}
    assert saved["overrides"]["school_or_qualification"][:2] == ["ABSEHBAR", "Zeugnis wird nachgereicht"]
    assert tab.saved_model.rowCount() == 1 and "20.11.2026" in _texts(tab.saved_model)[0]
    # the live check now reads the recorded outcome; the hand override belongs to the saved check only
    p25a = next(r for r in tab.results() if r["pathway"] == "P25A")
    crit = {c["key"]: c for c in p25a["criteria"]}
    assert crit["integration_prognosis"]["status"] == "ERFUELLT" and not crit["school_or_qualification"]["overridden"]
    # the saved check shows as saved
    tab.saved_table.selectRow(0)
    assert "26.11.2026" in tab.title.text() or "25.11.2026" in tab.title.text()
    assert any(c["overridden"] for c in tab.criteria_model.rows())
    assert not tab.save_button.isEnabled() and tab.abh_button.isEnabled()
    assert residence.list_checks(tab._vault, code)[0]["id"] == saved["id"]


def test_later_abh_steps_and_a_refusal_in_the_dialog(qtbot, loaded_tab) -> None:
    tab, _code = loaded_tab
    tab.select_pathway("P25A")
    dialog = tab.save_check()
    qtbot.addWidget(dialog)
    dialog.widgets["applied_on"].setText("24.11.2026")
    _saved_and_reloaded(qtbot, tab, dialog)
    tab.saved_table.selectRow(0)
    steps = tab.record_abh_steps()
    qtbot.addWidget(steps)
    assert steps.widgets["applied_on"].text() == "24.11.2026"
    steps.widgets["decided_on"].setText("01.11.2026")  # before the application
    steps.save_button.click()
    qtbot.waitUntil(lambda: steps.message.isVisibleTo(steps), timeout=5000)
    assert steps.isVisible() and _("Decided on") in steps.message.text()
    assert steps.widgets["decided_on"].text() == "01.11.2026"  # nothing typed is lost
    steps.widgets["decided_on"].setText("25.11.2026")
    steps.widgets["decision"].setText("Erteilt")
    _saved_and_reloaded(qtbot, tab, steps)
    (saved,) = tab.saved()
    assert (saved["decided_on"], saved["decision"]) == ("2026-11-25", "Erteilt")
    assert tab._current_saved() == saved["id"]  # the saved check stays in view
    # a click on a pathway shows the live check again
    tab.table.selectRow(tab.model.find("P25B"))
    assert _(checks_tab.PATHWAYS["P25B"]) in tab.title.text() and tab.save_button.isEnabled()
