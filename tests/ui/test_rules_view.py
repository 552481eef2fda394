"""Einstellungen › Rechtsgrundlagen: the programme and the rules are shown, edited with a
confirmation, refused without a change, and forgotten on clear()."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from gk_desktop.services import clients, rules
from gk_desktop.ui import rules_view
from gk_desktop.ui.ops import wait_all
from gk_desktop.ui.rules_view import LegalRulesView, ProgrammeEditDialog, RuleEditDialog, RulesTableModel

TIMEOUT = 10_000


@pytest.fixture
def view(qtbot, open_vault):
    widget = LegalRulesView(open_vault)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded, timeout=TIMEOUT)
    yield widget
    widget.clear()
    wait_all()


@pytest.fixture
def answers(monkeypatch):
    """Answers the confirmation; records what it was asked."""
    asked: list[str] = []
    reply = {"value": True}

    def confirm(_parent, _title, text):
        asked.append(text)
        return reply["value"]

    monkeypatch.setattr(rules_view, "confirm_change", confirm)
    return asked, reply


def _vault_rule(vault, key):
    return {r.key: r for r in rules.list_rules(vault)[0]}[key]


def _open_rule(qtbot, view, key) -> RuleEditDialog:
    row = view.model.row_of(key)
    assert row >= 0
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert isinstance(view.editor, RuleEditDialog)
    return view.editor


def test_rules_and_programme_are_shown(qtbot, view, open_vault, qtmodeltester) -> None:
    qtmodeltester.check(view.model)
    model = view.model
    vault_rules, programmes = rules.list_rules(open_vault)
    assert model.rowCount() == len(vault_rules) >= 18
    row = model.row_of("P25A_MIN_DULDUNG_MONTHS")
    rule = model.rule_at(row)
    assert rule.value == 12
    cell = lambda col: model.index(row, col).data()  # noqa: E731
    assert "25a" in cell(RulesTableModel.COL_RULE) and "P25A" not in cell(RulesTableModel.COL_RULE)
    assert cell(RulesTableModel.COL_VALUE).startswith("12 ")
    assert "AufenthG" in cell(RulesTableModel.COL_SOURCE)
    assert cell(RulesTableModel.COL_STAND) == rule.stand.strftime("%d.%m.%Y")
    assert model.index(row, RulesTableModel.COL_RULE).data(Qt.ItemDataRole.ToolTipRole).startswith(
        "P25A_MIN_DULDUNG_MONTHS")
    date_row = model.row_of("P60D_ENTRY_BY")
    assert model.index(date_row, RulesTableModel.COL_VALUE).data() == "31.12.2022"
    statuses = model.index(model.row_of("P25A_COUNTING_STATUSES"), RulesTableModel.COL_VALUE).data()
    assert "Duldung" in statuses and "DULDUNG_60A" not in statuses

    programme = programmes[0]
    assert view.p_name.text() == programme.name
    assert view.p_authority.text() == programme.funding_authority
    assert "18" in view.p_age.text() and "27" in view.p_age.text()
    assert "01.01.2019" in view.p_period.text() and "31.12.2022" in view.p_period.text()
    assert view.p_stand.text() == programme.stand.strftime("%d.%m.%Y")
    assert "Gemeinsam klappt" in view.p_source.text()
    assert "Aufenthaltsgestattung" in view.p_secondary.text()
    assert "DULDUNG" not in view.p_primary.text()
    assert view.edit_rule_button.isEnabled() and view.edit_programme_button.isEnabled()
    wait_all()


def test_editing_a_rule_after_confirmation_changes_the_vault(qtbot, view, open_vault, answers) -> None:
    asked, _reply = answers
    dialog = _open_rule(qtbot, view, "P25A_MIN_DULDUNG_MONTHS")
    assert dialog.spin is not None
    dialog.spin.setValue(18)
    dialog.source.setText("§ 25a Abs. 1 Satz 1 Nr. 1 AufenthG (geprüft)")
    with qtbot.waitSignal(view.rules_changed, timeout=TIMEOUT):
        dialog.save_button.click()
    assert len(asked) == 1 and "12" in asked[0] and "18" in asked[0]
    changed = _vault_rule(open_vault, "P25A_MIN_DULDUNG_MONTHS")
    assert changed.value == 18
    assert changed.source.endswith("(geprüft)")
    from gk_desktop.domain.clock import today

    assert changed.stand == today()
    row = view.model.row_of("P25A_MIN_DULDUNG_MONTHS")
    qtbot.waitUntil(lambda: view.model.rule_at(view.model.row_of("P25A_MIN_DULDUNG_MONTHS")).value == 18,
                    timeout=TIMEOUT)
    assert view.model.index(row, RulesTableModel.COL_VALUE).data().startswith("18 ")
    assert view.editor is None
    wait_all()


def test_editing_a_date_rule(qtbot, view, open_vault, answers) -> None:
    dialog = _open_rule(qtbot, view, "P60D_ENTRY_BY")
    assert dialog.date is not None and dialog.date.displayFormat() == "dd.MM.yyyy"
    dialog.date.setDate(QDate(2023, 6, 30))
    with qtbot.waitSignal(view.rules_changed, timeout=TIMEOUT):
        dialog.save_button.click()
    assert _vault_rule(open_vault, "P60D_ENTRY_BY").value == "2023-06-30"
    qtbot.waitUntil(lambda: view.model.index(view.model.row_of("P60D_ENTRY_BY"),
                                             RulesTableModel.COL_VALUE).data() == "30.06.2023", timeout=TIMEOUT)
    wait_all()


def test_cancelling_the_confirmation_changes_nothing(qtbot, view, open_vault, answers) -> None:
    asked, reply = answers
    reply["value"] = False
    before = _vault_rule(open_vault, "P60D_MIN_HOURS_PER_WEEK")
    emitted: list[bool] = []
    view.rules_changed.connect(lambda: emitted.append(True))
    dialog = _open_rule(qtbot, view, "P60D_MIN_HOURS_PER_WEEK")
    dialog.spin.setValue(15)
    dialog.save_button.click()
    wait_all()
    qtbot.wait(50)
    assert len(asked) == 1
    assert _vault_rule(open_vault, "P60D_MIN_HOURS_PER_WEEK") == before
    assert dialog.isVisible() and view.editor is dialog  # the worker can correct or cancel
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.editor is None
    assert emitted == []
    wait_all()


def test_empty_status_list_is_refused_without_asking(qtbot, view, open_vault, answers) -> None:
    asked, _reply = answers
    before = _vault_rule(open_vault, "P25A_COUNTING_STATUSES")
    dialog = _open_rule(qtbot, view, "P25A_COUNTING_STATUSES")
    assert dialog.statuses is not None
    assert dialog.statuses.checked() == sorted(before.value)
    dialog.statuses.set_checked([])
    dialog.save_button.click()
    wait_all()
    assert asked == []
    assert dialog.message.text()  # says why, in the dialog
    assert dialog.isVisible()
    assert _vault_rule(open_vault, "P25A_COUNTING_STATUSES") == before
    wait_all()


def test_status_list_edit(qtbot, view, open_vault, answers) -> None:
    dialog = _open_rule(qtbot, view, "P25A_COUNTING_STATUSES")
    dialog.statuses.set_status("BESCHAEFTIGUNGSDULDUNG_60D", False)
    with qtbot.waitSignal(view.rules_changed, timeout=TIMEOUT):
        dialog.save_button.click()
    assert "BESCHAEFTIGUNGSDULDUNG_60D" not in _vault_rule(open_vault, "P25A_COUNTING_STATUSES").value
    wait_all()


def test_refusal_by_the_vault_is_shown_in_the_dialog(qtbot, view, open_vault, answers, monkeypatch) -> None:
    from gk_desktop.errors import InputRejectedError

    def refuse(*_args, **_kwargs):
        raise InputRejectedError("abgelehnt")

    monkeypatch.setattr(rules, "update_rule", refuse)
    dialog = _open_rule(qtbot, view, "P25B_MIN_STAY_YEARS")
    dialog.spin.setValue(5)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.message.text() == "abgelehnt", timeout=TIMEOUT)
    assert dialog.save_button.isEnabled() and dialog.isVisible()
    assert _vault_rule(open_vault, "P25B_MIN_STAY_YEARS").value == 6
    wait_all()


def test_programme_age_band_change_reaches_the_target_group_rules(qtbot, view, open_vault, answers) -> None:
    asked, _reply = answers
    assert clients.load_rules(open_vault).programme(None).rules.age_max == 27
    view.edit_programme_button.click()
    dialog = view.editor
    assert isinstance(dialog, ProgrammeEditDialog)
    dialog.age_max.setValue(29)
    with qtbot.waitSignal(view.rules_changed, timeout=TIMEOUT):
        dialog.save_button.click()
    assert len(asked) == 1 and "27" in asked[0] and "29" in asked[0]
    assert clients.load_rules(open_vault).programme(None).rules.age_max == 29
    qtbot.waitUntil(lambda: "29" in view.p_age.text(), timeout=TIMEOUT)
    wait_all()


@pytest.mark.parametrize("change", ["min_above_max", "no_primary", "overlap"])
def test_invalid_programme_is_refused(qtbot, view, open_vault, answers, change) -> None:
    asked, _reply = answers
    before = rules.list_rules(open_vault)[1][0]
    view.edit_programme()
    dialog = view.editor
    if change == "min_above_max":
        dialog.age_min.setValue(30)
    elif change == "no_primary":
        dialog.primary.set_checked([])
    else:
        dialog.secondary.set_status("DULDUNG_60A", True)
    dialog.save_button.click()
    wait_all()
    assert asked == []
    assert dialog.message.text()
    assert dialog.isVisible()
    assert rules.list_rules(open_vault)[1][0] == before
    wait_all()


def test_unchanged_values_are_not_written(qtbot, view, open_vault, answers) -> None:
    asked, _reply = answers
    dialog = _open_rule(qtbot, view, "P104C_DURATION_MONTHS")
    dialog.save_button.click()
    assert asked == [] and dialog.message.text()
    wait_all()


def test_f2_opens_the_editor_and_escape_cancels(qtbot, view) -> None:
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(2, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    dialog = view.editor
    assert isinstance(dialog, RuleEditDialog)
    assert dialog.save_button.isDefault()
    assert dialog._rule.key == view.model.rule_at(2).key
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.editor is None and not dialog.isVisible()
    wait_all()


def test_clear_forgets_everything(qtbot, view) -> None:
    view.edit_programme()
    assert view.editor is not None
    view.clear()
    assert view.model.rowCount() == 0
    assert view.editor is None
    assert view.p_name.text() == "–" and view.p_source.text() == "–" and view.p_stand.text() == "–"
    assert not view.edit_rule_button.isEnabled() and not view.edit_programme_button.isEnabled()
    view.reload()  # no vault any more: nothing is loaded
    wait_all()
    qtbot.wait(20)
    assert view.model.rowCount() == 0


def test_a_load_finishing_after_clear_is_dropped(qtbot, view) -> None:
    view.reload()
    view.clear()
    wait_all()
    qtbot.wait(50)
    assert view.model.rowCount() == 0 and view.p_name.text() == "–"


def test_confirmation_uses_verb_buttons(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    seen = {}

    def fake_exec(box):
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        box.escapeButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert rules_view.confirm_change(None, "t", "x") is False
    assert len(seen["buttons"]) == 2 and seen["default"] in seen["buttons"]
    assert not any(text.replace("&", "").upper() == "OK" for text in seen["buttons"])


def test_value_text_units() -> None:
    assert rules_view.value_text("date", "2026-01-01") == dt.date(2026, 1, 1).strftime("%d.%m.%Y")
    assert "20" in rules_view.value_text("hours_per_week", 20)
    assert rules_view.value_text("statuses", []) == "–"
