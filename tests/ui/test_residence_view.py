"""The "Prüfungen" page across clients: green or yellow pathways by pathway and who turns 27 within
a year, checked in the background with progress and cancel, case codes only, opening a case, the
pathway filter without a new check, clients without a running case on request, clear() on lock."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from gk_desktop.i18n import _
from gk_desktop.services import clients, cycle, residence
from gk_desktop.ui import ops
from gk_desktop.ui.checks_tab import BANNER, PATHWAYS
from gk_desktop.ui.residence_view import ResidenceView

LAST_SOON, LAST_URGENT, LAST_TRAINEE = "Zqxsoonname", "Zqxurgentname", "Zqxtraineename"
FIRST = "Qzvfirstname"

FILE = {
    "first_name": FIRST, "last_name": LAST_SOON, "birth_date": "2001-03-01", "entry_date_de": "2019-05-01",
    "residence_periods": [
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-01", "valid_until": "2021-04-30"},
        {"status": "DULDUNG_60A", "valid_from": "2021-05-01", "valid_until": "2027-04-30"}],
    "education_records": [{"country": "DE", "start_date": "2019-08-01", "end_date": "2022-07-31", "attendance_ok": True,
                           "qualification": "HSA_9"}],
    "language_certificates": [{"language": "de", "level": "B1", "date": "2022-06-01"}],
}
# A qualified training from 01.01.2028 under a Duldung, identity clarified, entry before 2017:
# § 60c yellow, possible from 01.06.2027 (seven months before the start); 27 only in 2028.
TRAINEE = dict(
    FILE, last_name=LAST_TRAINEE, birth_date="2001-06-01", entry_date_de="2016-05-01",
    residence_periods=[
        {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2016-05-01", "valid_until": "2021-04-30"},
        {"status": "DULDUNG_60A", "valid_from": "2021-05-01", "valid_until": "2027-04-30",
         "employment_permission": "NUR_MIT_ERLAUBNIS_ABH"}],
    work_records=[{"type": "AUSBILDUNG_QUALIFIZIERT", "employer": "Elektro Meyer GmbH", "start_date": "2028-01-01",
                   "planned_end_date": "2030-12-31", "hours_per_week": 39}],
    identity_status={"clarified": "JA"})


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def files(open_vault):
    v = open_vault
    soon = clients.add_client(v, dict(FILE, birth_date="2000-03-01")).case_code  # 27 on 01.03.2027
    urgent = clients.add_client(v, dict(FILE, last_name=LAST_URGENT, birth_date="2000-01-15")).case_code  # 15.01.2027
    trainee = clients.add_client(v, TRAINEE).case_code
    return v, soon, urgent, trainee


@pytest.fixture
def page(qtbot, files):
    v, soon, urgent, trainee = files
    view = ResidenceView(v)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    yield view, v, soon, urgent, trainee
    ops.wait_all()


def _cell(model, row: int, col: int) -> str:
    return model.data(model.index(row, col))


def _all_texts(model) -> list[str]:
    out = []
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, col), role)
                if value:
                    out.append(str(value))
    for col in range(model.columnCount()):
        out.append(str(model.headerData(col, Qt.Orientation.Horizontal)))
    return out


def _keys(view: ResidenceView) -> dict[str, tuple[str, str, str]]:
    """row id → (light, pathway, case code) of the upper table."""
    return {r["id"]: (r["result"], r["pathway"], r["case_code"]) for r in view.model.rows()}


def _slow_overview(started: threading.Event):
    """A stand-in for residence.overview that reports progress and waits until it is cancelled."""
    def overview(vault, *, progress=None, cancelled=None, **_kw):
        started.set()
        for i in range(1000):
            if progress is not None:
                progress(i, 1000)
            if cancelled is not None and cancelled():
                return None
            time.sleep(0.01)
        raise AssertionError("never cancelled")
    return overview


# --------------------------------------------------------------------------- content


def test_the_page_does_not_check_on_its_own(qtbot, files, monkeypatch) -> None:
    v = files[0]
    calls: list[object] = []
    monkeypatch.setattr(residence, "overview", lambda *a, **k: calls.append(a))
    view = ResidenceView(v)
    qtbot.addWidget(view)
    view.show()
    qtbot.wait(50)
    ops.wait_all()
    assert calls == [] and view.model.rowCount() == 0 and not view.is_running()
    assert not view.progress.isVisible() and not view.cancel_button.isVisible()


def test_green_or_yellow_by_pathway_with_case_codes_only(qtbot, page) -> None:
    view, _v, soon, urgent, trainee = page
    assert _keys(view) == {
        f"{trainee}/P60C": ("GELB", "P60C", trainee),
        f"{soon}/P25A": ("GRUEN", "P25A", soon),
        f"{urgent}/P25A": ("GRUEN", "P25A", urgent),
        f"{trainee}/P25A": ("GRUEN", "P25A", trainee),
    }
    # by pathway in the order of the list of pathways: § 60c before § 25a
    assert [r["pathway"] for r in view.model.rows()] == ["P60C", "P25A", "P25A", "P25A"]
    row = view.model.find(f"{trainee}/P60C")
    assert _cell(view.model, row, 0) == _("yellow") and _cell(view.model, row, 1) == _(PATHWAYS["P60C"])
    assert _cell(view.model, row, 2) == trainee and _cell(view.model, row, 3) == "01.06.2027"
    assert view.model.data(view.model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
    row = view.model.find(f"{soon}/P25A")
    assert _cell(view.model, row, 0) == _("green") and _cell(view.model, row, 3) == _("now (file)")
    assert _cell(view.model, row, 4) == "28.02.2027"
    missing = view.model.row_at(row)["missing"]
    assert missing and _cell(view.model, row, 5) == "; ".join(missing)
    # banner, Stand, privacy note, counts
    assert view.banner_text.text() == _(BANNER) and "25.11.2026" in view.stand_label.text()
    assert view.note.text() and "4" in view.count.text()
    assert "25.11.2026" in view.status.text()
    assert not view.progress.isVisible() and not view.cancel_button.isVisible()
    # no name anywhere, never a promise
    texts = _all_texts(view.model) + _all_texts(view.turning_model)
    texts += [label.text() for label in view.findChildren(QLabel)]
    texts += [b.text() for b in view.findChildren(QAbstractButton)]
    for name in (LAST_SOON, LAST_URGENT, LAST_TRAINEE, FIRST):
        assert not any(name.lower() in t.lower() for t in texts), name
    for word in ("entitled", "anspruch", "claim"):
        assert not any(word in t.lower() for t in texts), word


def test_the_pathway_filter_narrows_without_checking_again(qtbot, page, monkeypatch) -> None:
    view, _v, soon, urgent, trainee = page
    calls: list[object] = []
    monkeypatch.setattr(residence, "overview", lambda *a, **k: calls.append(a))
    combo = view.pathway_filter
    assert combo.count() == 1 + len(PATHWAYS) and combo.currentData() == ""
    combo.setCurrentIndex(combo.findData("P60C"))
    assert [r["id"] for r in view.model.rows()] == [f"{trainee}/P60C"]
    assert combo.currentText() == _(PATHWAYS["P60C"]) and "1" in view.count.text()
    combo.setCurrentIndex(combo.findData("P25A"))
    assert {r["case_code"] for r in view.model.rows()} == {soon, urgent, trainee}
    combo.setCurrentIndex(combo.findData("P104C"))
    assert view.model.rowCount() == 0
    combo.setCurrentIndex(0)
    assert view.model.rowCount() == 4
    ops.wait_all()
    assert calls == [] and view.turning_model.rowCount() == 2  # the lower list is not filtered


def test_turning_27_nearest_first_with_the_last_day_to_apply(qtbot, page) -> None:
    view, _v, soon, urgent, trainee = page
    m = view.turning_model
    assert [r["case_code"] for r in m.rows()] == [urgent, soon]  # trainee turns 27 only in 2028
    assert [_cell(m, i, 0) for i in range(2)] == [urgent, soon]
    assert [_cell(m, i, 1) for i in range(2)] == ["14.01.2027", "28.02.2027"]
    assert [_cell(m, i, 2) for i in range(2)] == ["50", "95"]
    assert [_cell(m, i, 3) for i in range(2)] == [_("green"), _("green")]
    assert [_cell(m, i, 4) for i in range(2)] == [_("now (file)")] * 2
    assert m.is_marked(0) and not m.is_marked(1)  # fewer than 90 days left
    assert m.data(m.index(0, 3), Qt.ItemDataRole.DecorationRole) is not None  # the dot by the light
    assert m.data(m.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert "2" in view.turning_count.text() and "1" in view.turning_count.text()


def test_enter_double_click_and_the_button_open_the_case(qtbot, page) -> None:
    view, _v, soon, urgent, trainee = page
    assert not view.open_button.isEnabled()  # nothing chosen yet
    row = view.model.find(f"{trainee}/P60C")
    rect = view.table.visualRect(view.model.index(row, 1))
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [trainee]
    assert view.open_button.isEnabled()
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        view.open_button.click()
    assert opened.args == [trainee]

    # A row of the lower list: "Open case" now opens that one; the upper list lets go of its row.
    view.activateWindow()
    view.turning_table.setFocus()
    view.turning_table.selectRow(1)
    assert view.selected()["case_code"] == soon
    assert not view.table.selectionModel().hasSelection()
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.keyClick(view.turning_table, Qt.Key.Key_Return)
    assert opened.args == [soon]
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        view.open_button.click()
    assert opened.args == [soon]
    rect = view.turning_table.visualRect(view.turning_model.index(0, 0))
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.mouseClick(view.turning_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.turning_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [urgent]

    # Enter in the upper list.
    view.table.setFocus()
    view.table.selectRow(view.model.find(f"{soon}/P25A"))
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Enter)
    assert opened.args == [soon]


def test_a_new_check_keeps_the_chosen_row(qtbot, page) -> None:
    view, _v, soon, _urgent, _trainee = page
    view.turning_table.selectRow(1)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.check_button.click()
    assert view.selected()["case_code"] == soon and view.turning_table.selectionModel().hasSelection()


def test_clients_without_a_running_case_on_request(qtbot, page) -> None:
    view, v, soon, urgent, trainee = page
    case_id = clients.show_client(v, soon)["cases"][0]["id"]
    cycle.close_case(v, case_id, {"closure_reason": "UMZUG", "destination": "UNBEKANNT", "evaluation": "x"})
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.check_button.click()
    assert soon not in {r["case_code"] for r in view.model.rows()}
    assert [r["case_code"] for r in view.turning_model.rows()] == [urgent]
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.all_clients.setChecked(True)  # toggling checks again
    assert f"{soon}/P25A" in _keys(view)
    assert [r["case_code"] for r in view.turning_model.rows()] == [urgent, soon]
    row = view.model.find(f"{soon}/P25A")
    assert view.model.row_at(row)["open_case"] is False
    assert view.model.data(view.model.index(row, 2), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert view.model.data(view.model.index(row, 2), Qt.ItemDataRole.ToolTipRole) == _("No running case")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.all_clients.setChecked(False)
    assert soon not in {r["case_code"] for r in view.model.rows()}


# --------------------------------------------------------------------------- running, cancel, lock


def test_cancel_keeps_the_previous_lists(qtbot, page, monkeypatch) -> None:
    view, _v, soon, urgent, _trainee = page
    before, turning_before = view.model.rows(), view.turning_model.rows()
    started = threading.Event()
    monkeypatch.setattr(residence, "overview", _slow_overview(started))
    loads: list[None] = []
    view.loaded.connect(lambda: loads.append(None))
    view.reload()
    assert view.is_running() and view.progress.isVisible() and view.cancel_button.isVisible()
    assert view.status.text() == _("Checking every file …") and not view.check_button.isEnabled()
    qtbot.waitUntil(lambda: view.progress.value() > 0, timeout=5000)
    view.cancel_button.click()
    assert not view.is_running() and not view.progress.isVisible() and not view.cancel_button.isVisible()
    assert "25.11.2026" in view.status.text() and view.status.text() != _("Checking every file …")
    ops.wait_all()
    qtbot.wait(20)
    assert view.model.rows() == before and view.turning_model.rows() == turning_before and loads == []
    assert view.check_button.isEnabled() and "25.11.2026" in view.stand_label.text()


def test_esc_cancels_and_the_service_noticing_a_cancel_keeps_the_lists(qtbot, page, monkeypatch) -> None:
    view, *_rest = page
    before = view.model.rows()
    started = threading.Event()
    monkeypatch.setattr(residence, "overview", _slow_overview(started))
    view.reload()
    assert started.wait(5)
    view.activateWindow()
    view.pathway_filter.setFocus()
    qtbot.keyClick(view.pathway_filter, Qt.Key.Key_Escape)
    assert not view.is_running() and view.model.rows() == before
    ops.wait_all()

    # The service answering None (it saw the cancel itself) is a cancel, not an empty result.
    monkeypatch.setattr(residence, "overview", lambda *a, **k: None)
    view.reload()
    qtbot.waitUntil(lambda: not view.is_running(), timeout=5000)
    assert view.model.rows() == before and not view.progress.isVisible()


def test_cancel_before_any_result(qtbot, files, monkeypatch) -> None:
    view = ResidenceView(files[0])
    qtbot.addWidget(view)
    view.show()
    started = threading.Event()
    monkeypatch.setattr(residence, "overview", _slow_overview(started))
    view.reload()
    assert started.wait(5)
    view.cancel()
    assert view.status.text() == _("Cancelled. There is no result yet.") and view.model.rowCount() == 0
    ops.wait_all()


def test_checking_again_while_running_drops_the_older_run(qtbot, page, monkeypatch) -> None:
    view, _v, soon, urgent, trainee = page
    started = threading.Event()
    real = residence.overview
    monkeypatch.setattr(residence, "overview", _slow_overview(started))
    view.reload()
    assert started.wait(5)
    monkeypatch.setattr(residence, "overview", lambda vault, **kw: dict(
        real(vault, **kw), pathways=[], turning_27=[]))
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()  # cancels the slow run first
    ops.wait_all()
    qtbot.wait(20)
    assert view.model.rowCount() == 0 and view.turning_model.rowCount() == 0 and not view.is_running()
    assert view.turning_count.text()


def test_clear_forgets_everything(qtbot, page, monkeypatch) -> None:
    view, *_rest = page
    view.table.selectRow(0)
    started = threading.Event()
    monkeypatch.setattr(residence, "overview", _slow_overview(started))
    view.reload()
    assert started.wait(5)
    view.clear()
    assert not view.is_running() and not view.progress.isVisible()
    assert view.model.rowCount() == 0 and view.turning_model.rowCount() == 0
    assert view._vault is None and view.count.text() == "" and view.turning_count.text() == ""
    assert view.status.text() == "" and "25.11.2026" not in view.stand_label.text()
    assert not view.open_button.isEnabled() and not view.check_button.isEnabled()
    ops.wait_all()
    qtbot.wait(20)
    view.reload()  # locked: nothing to check
    assert not view.is_running() and view.model.rowCount() == 0
    view.open_selected()  # nothing happens


# --------------------------------------------------------------------------- keyboard


def _mnemonic(text: str) -> str:
    return text[text.index("&") + 1].lower()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_action_has_its_own_mnemonic(qtbot, open_vault, language) -> None:
    from gk_desktop import i18n

    i18n.set_language(language)
    try:
        view = ResidenceView(open_vault)
        qtbot.addWidget(view)
        texts = [view.pathway_label.text(), view.all_clients.text(), view.check_button.text(),
                 view.open_button.text(), view.cancel_button.text(), view.table_heading.text(),
                 view.turning_heading.text()]
        assert all("&" in t for t in texts), texts
        keys = [_mnemonic(t) for t in texts]
        keys += [_mnemonic(_("&Vault")), _mnemonic(_("&Clients"))]  # the main window's menus
        assert len(set(keys)) == len(keys), keys
        for label in (view.pathway_label, view.table_heading, view.turning_heading):
            assert label.buddy() is not None
    finally:
        i18n.set_language("de")


def test_alt_mnemonics_reach_the_lists(qtbot, page) -> None:
    view, *_rest = page
    view.activateWindow()
    view.pathway_filter.setFocus()
    key = Qt.Key(ord(_mnemonic(view.turning_heading.text()).upper()))
    qtbot.keyClick(view, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.turning_table.hasFocus(), timeout=2000)
    assert view.selected() is not None and view.selected()["id"] == view.turning_model.row_at(0)["id"]
