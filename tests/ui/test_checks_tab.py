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
