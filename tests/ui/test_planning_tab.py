"""The Planung tab, driven as a case worker would: assessment with needs (an offer gap needs its
note) and resources side by side, a goal from a template, a step done with one click, the goal
agreement, the phase, closing the case, "Passende Angebote" for a need, and clear()."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QListWidget

from gk_desktop.errors import InputRejectedError
from gk_desktop import labels
from gk_desktop.i18n import _, ngettext
from gk_desktop.services import clients, cycle, offers
from gk_desktop.ui import ops
from gk_desktop.ui import planning_tab as planning_module
from gk_desktop.ui.case_view import NEED_AREA
from gk_desktop.ui.close_case_dialog import CloseCaseDialog
from gk_desktop.ui.planning_tab import ALERT, GAP_BACKGROUND, NeedOffersDialog, PlanningTab

CLIENT = {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2003-05-06", "residence_status": "DULDUNG_60A"}
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())


class Harness:
    """The tab as the case view holds it: every ``changed`` reloads the case and calls set_case."""

    def __init__(self, qtbot, vault) -> None:
        self.qtbot = qtbot
        self.vault = vault
        self.code = clients.add_client(vault, CLIENT).case_code
        self.tab = PlanningTab(vault)
        qtbot.addWidget(self.tab)
        self.tab.resize(1300, 800)
        self.tab.show()
        self.tab.changed.connect(self.reload)
        self.reload()

    @property
    def case_id(self) -> str:
        return self.shown["case"]["id"]

    def reload(self) -> None:
        ops.wait_all()
        self.shown = cycle.case_json(self.vault, self.code, source="gui")
        self.tab.set_case(self.code, self.shown["case"]["id"], self.shown)

    def save(self, dialog) -> None:
        with self.qtbot.waitSignal(self.tab.changed, timeout=5000):
            dialog.save_button.click()

    def dialog(self):
        self.qtbot.waitUntil(lambda: self.tab.dialog is not None, timeout=5000)
        return self.tab.dialog


@pytest.fixture
def h(qtbot, open_vault):
    harness = Harness(qtbot, open_vault)
    yield harness
    ops.wait_all()


def _choose(combo, key) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def _check(listing: QListWidget, key: str) -> None:
    for i in range(listing.count()):
        if listing.item(i).data(Qt.ItemDataRole.UserRole) == key:
            listing.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(key)


def _cell(model, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


def _with_assessment(h: Harness, needs: list[dict], resources: list[dict] | None = None) -> str:
    aid = cycle.add_assessment(h.vault, h.code, {"date": "2026-11-20", "summary": "Erstes Gespräch",
                                                 "needs": needs, "resources": resources or []})
    h.reload()
    return aid


SPRACHE = {"need_area": "SPRACHE", "description": "Deutsch B1 für die Berufsschule", "priority": 1,
           "status": "OFFEN"}


def test_assessment_with_an_offer_gap_and_a_resource_side_by_side(h, qtmodeltester) -> None:
    tab = h.tab
    assert not tab.add_need_button.isEnabled()  # no assessment yet
    tab.new_assessment_button.click()
    dialog = h.dialog()
    assert dialog.widgets["date"].text() == "25.11.2026"
    dialog.widgets["summary"].setText("Schule, Sprache und Wohnen besprochen")
    dialog.widgets["next_reassessment_on"].setText("01.03.2027")
    h.save(dialog)
    (assessment,) = h.shown["assessments"]
    assert tab.assessment_combo.currentData() == assessment["id"]
    assert tab.assessment_combo.currentText() == _("Assessment of {date}").format(date="25.11.2026")
    assert "Schule, Sprache und Wohnen besprochen" in tab.assessment_text.text()

    # A need with status "offer gap" and no gap note: the form says so and stays open.
    tab.add_need_button.click()
    dialog = h.dialog()
    _choose(dialog.widgets["need_area"], "WOHNEN")
    dialog.widgets["description"].setText("Eigene Wohnung statt Gemeinschaftsunterkunft")
    dialog.widgets["own_view"].setText("In der Unterkunft kann ich nicht lernen.")
    _choose(dialog.widgets["priority"], "1")
    _choose(dialog.widgets["status"], "NICHT_DECKBAR")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.message.isVisible()
    assert _("an offer gap is described in a gap note") in dialog.message.text()
    assert _("Gap note (what is missing)") in dialog.message.text()  # the field by its label, not its key
    ops.wait_all()
    assert cycle.case_json(h.vault, h.code)["needs"] == []
    dialog.widgets["gap_note"].setText("Kein bezahlbarer Wohnraum für junge Geduldete im Kreis.")
    h.save(dialog)
    (need,) = h.shown["needs"]
    assert (need["need_area"], need["priority"], need["status"]) == ("WOHNEN", 1, "NICHT_DECKBAR")

    # A resource in the same need area.
    tab.select_area("WOHNEN")
    tab.add_resource_button.click()
    dialog = h.dialog()
    assert dialog.widgets["need_area"].currentData() == "WOHNEN"  # the area shown is proposed
    _choose(dialog.widgets["resource_type"], "SOZIALES_NETZ")
    dialog.widgets["description"].setText("Mentorin aus dem Ehrenamt sucht mit")
    h.save(dialog)
    assert [r["resource_type"] for r in h.shown["resources"]] == ["SOZIALES_NETZ"]

    # The need-area view: the area with its counts, needs and resources side by side.
    assert tab.current_area() == "WOHNEN"
    item = tab.area_list.currentItem()
    assert item.text().splitlines() == [labels.label(NEED_AREA, "WOHNEN"), " · ".join(
        [ngettext("{n} need", "{n} needs", 1).format(n=1), ngettext("{n} resource", "{n} resources", 1).format(n=1)])]
    assert tab.needs.rowCount() == 1 and tab.resources.rowCount() == 1
    assert tab.needs_table.isColumnHidden(0)  # the area is the one chosen on the left
    left = tab.needs_table.mapTo(tab, QPoint(0, 0))
    right = tab.resources_table.mapTo(tab, QPoint(0, 0))
    assert right.x() > left.x() + tab.needs_table.width() - 5 and abs(right.y() - left.y()) < 5
    model = tab.needs_model
    assert _cell(model, 0, 3) == _("offer gap")
    assert _cell(model, 0, 1, Qt.ItemDataRole.BackgroundRole).color().name() == GAP_BACKGROUND
    assert "Kein bezahlbarer Wohnraum" in _cell(model, 0, 1, Qt.ItemDataRole.ToolTipRole)
    assert _cell(tab.resources_model, 0, 2) == "Mentorin aus dem Ehrenamt sucht mit"
    for m in (tab.needs_model, tab.resources_model, tab.goals_model, tab.tasks_model, tab.agreements_model):
        qtmodeltester.check(m)

    # Double-click edits: the gap is met now.
    tab.needs_table.selectRow(0)
    tab.edit_need()
    dialog = h.dialog()
    assert dialog.widgets["priority"].currentData() == "1"
    _choose(dialog.widgets["status"], "GEDECKT")
    h.save(dialog)
    assert h.shown["needs"][0]["status"] == "GEDECKT"

    # "All need areas" shows the area column.
    tab.select_area("")
    assert not tab.needs_table.isColumnHidden(0)


def test_an_earlier_assessment_can_be_looked_at(h) -> None:
    cycle.add_assessment(h.vault, h.code, {"date": "2026-06-01", "needs": [SPRACHE]})
    cycle.add_assessment(h.vault, h.code, {"date": "2026-11-20", "needs": [
        {**SPRACHE, "description": "Deutsch B2", "status": "IN_BEARBEITUNG"}]})
    h.reload()
    tab = h.tab
    assert tab.assessment_combo.count() == 2
    assert tab.assessment_combo.currentText().endswith("20.11.2026")  # the latest first
    assert _cell(tab.needs_model, 0, 1) == "Deutsch B2"
    tab.assessment_combo.setCurrentIndex(1)
    assert _cell(tab.needs_model, 0, 1) == SPRACHE["description"]
    assert _("An earlier assessment; the latest is shown first.") in tab.assessment_text.text()


def test_goal_from_template_step_done_and_agreement(h) -> None:
    tab = h.tab
    _with_assessment(h, [SPRACHE])
    cycle.set_phase(h.vault, h.case_id, "HILFEPLANUNG")
    h.reload()
    assert _("no goal") in tab.missing_texts()

    # A goal from the template for language: prefilled, linked to the one language need.
    templates = cycle.goal_templates(TODAY)
    index = next(i for i, t in enumerate(templates) if t["need_area"] == "SPRACHE")
    tab.template_menu.actions()[index].trigger()
    dialog = h.dialog()
    assert dialog.widgets["statement"].text() == templates[index]["statement"]
    assert dialog.widgets["need_area"].currentData() == "SPRACHE"
    assert dialog.widgets["need_id"].currentData() == h.shown["needs"][0]["id"]
    assert dialog.widgets["target_on"].text() == "25.05.2027"
    h.save(dialog)
    (goal,) = h.shown["goals"]
    assert (goal["statement"], goal["status"], goal["level"]) == (templates[index]["statement"], "ENTWURF", "HANDLUNGSZIEL")
    assert tab.goals.rowCount() == 1 and _cell(tab.goals_model, 0, 1) == goal["statement"]
    assert tab.selected_goal()["id"] == goal["id"]  # the new goal is selected
    assert _("no goal agreed") in tab.missing_texts()

    # A step for the selected goal; a partner as responsible needs the partner.
    tab.add_task_button.click()
    dialog = h.dialog()
    assert dialog.widgets["goal_id"].currentData() == goal["id"]
    dialog.widgets["description"].setText("Zum Berufssprachkurs anmelden")
    dialog.widgets["due_on"].setText("01.12.2026")
    _choose(dialog.widgets["responsible"], "PARTNER")
    dialog.save_button.click()
    assert dialog.isVisible() and _("name the partner who is responsible") in dialog.message.text()
    _choose(dialog.widgets["responsible"], "KLIENT")
    h.save(dialog)
    (task,) = h.shown["tasks"]
    assert (task["goal_id"], task["responsible"], task["status"], task["due_on"]) == (
        goal["id"], "KLIENT", "OFFEN", "2026-12-01")
    assert tab.tasks.rowCount() == 1 and _cell(tab.tasks_model, 0, 1) == _("client")

    # "Erledigt": one click.
    tab.tasks_table.selectRow(0)
    assert tab.done_button.isEnabled()
    with h.qtbot.waitSignal(tab.changed, timeout=5000):
        tab.done_button.click()
    (task,) = h.shown["tasks"]
    assert (task["status"], task["done_on"]) == ("ERLEDIGT", "2026-11-25")
    assert _cell(tab.tasks_model, 0, 3) == _("done on {date}").format(date="25.11.2026")

    # The goal agreement: goal and step, signed by both.
    tab.add_agreement_button.click()
    dialog = h.dialog()
    goals = dialog.widgets["goals"]
    assert goals.item(0).checkState() == Qt.CheckState.Checked  # the draft goal is proposed
    _check(dialog.widgets["tasks"], task["id"])
    dialog.widgets["signed_by_client"].setChecked(True)
    dialog.widgets["signed_by_worker"].setChecked(True)
    dialog.widgets["place"].setText("Rheine")
    h.save(dialog)
    (agreement,) = h.shown["agreements"]
    assert (agreement["goals"], agreement["tasks"], agreement["signed_by_client"], agreement["signed_by_worker"]) == (
        [goal["id"]], [task["id"]], True, True)
    assert h.shown["goals"][0]["status"] == "VEREINBART"
    assert _cell(tab.goals_model, 0, 5) == _("agreed")
    assert _("no goal agreed") not in tab.missing_texts()
    assert _("no signed goal agreement") not in tab.missing_texts()
    assert tab.agreements.rowCount() == 1 and _cell(tab.agreements_model, 0, 2).startswith("✓")
    assert _cell(tab.agreements_model, 0, 3) == _("no")  # no scan yet


def test_a_refused_form_opens_again_with_what_was_typed(h, monkeypatch) -> None:
    tab = h.tab

    def refuse(*_a, **_k):
        raise InputRejectedError(_("The input was rejected; nothing was changed:") + "\n  - statement: must not be empty")

    monkeypatch.setattr(cycle, "add_goal", refuse)
    tab.add_goal_button.click()
    dialog = h.dialog()
    dialog.widgets["statement"].setText("Ein Ausbildungsplatz ist gefunden")
    _choose(dialog.widgets["need_area"], "AUSBILDUNG")
    dialog.widgets["target_on"].setText("31.05.2027")
    dialog.save_button.click()
    h.qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog is not dialog, timeout=5000)
    again = tab.dialog
    assert again.widgets["statement"].text() == "Ein Ausbildungsplatz ist gefunden"
    assert again.widgets["need_area"].currentData() == "AUSBILDUNG"
    assert again.widgets["target_on"].text() == "31.05.2027"
    assert again.message.isVisible() and f"{_('Goal')}: must not be empty" in again.message.text()
    again.reject()


def test_overdue_open_steps_are_marked(h) -> None:
    cycle.add_task(h.vault, h.code, {"description": "Pass beantragen", "due_on": "2026-11-01"})
    cycle.add_task(h.vault, h.code, {"description": "Zeugnisse kopieren", "due_on": "2026-12-10"})
    h.reload()
    tab = h.tab
    assert tab.tasks_heading.text() == _("All steps")
    rows = {_cell(tab.tasks_model, r, 0): r for r in range(tab.tasks.rowCount())}
    late, fine = rows["Pass beantragen"], rows["Zeugnisse kopieren"]
    assert _cell(tab.tasks_model, late, 0, Qt.ItemDataRole.ForegroundRole).color().name() == ALERT
    assert _cell(tab.tasks_model, fine, 0, Qt.ItemDataRole.ForegroundRole) is None
    assert _cell(tab.tasks_model, late, 3) == _("{status}, overdue").format(status=_("open"))
    assert "01.11.2026" in _cell(tab.tasks_model, late, 0, Qt.ItemDataRole.ToolTipRole)


def test_set_phase_moves_the_case_and_the_checklist_follows(h, monkeypatch) -> None:
    tab = h.tab
    assert h.shown["case"]["phase"] == "ERSTKONTAKT"
    before = set(tab.missing_texts())
    assert not tab.set_phase_button.isEnabled()  # the phase shown is the case's
    _choose(tab.phase_combo, "HILFEPLANUNG")
    with h.qtbot.waitSignal(tab.changed, timeout=5000):
        tab.set_phase_button.click()
    assert h.shown["case"]["phase"] == "HILFEPLANUNG"
    assert _("Phase") in tab.phase_label.text() and _("planning") in tab.phase_label.text()
    grown = set(tab.missing_texts())
    assert before < grown and {_("no assessment"), _("no goal")} <= grown

    # Back: asked first; "Abbrechen" changes nothing.
    asked = []
    monkeypatch.setattr(planning_module, "confirm_phase_back", lambda _p, cur, new: asked.append((cur, new)) or False)
    _choose(tab.phase_combo, "KLAERUNG")
    tab.set_phase_button.click()
    ops.wait_all()
    assert asked == [("HILFEPLANUNG", "KLAERUNG")]
    assert cycle.case_json(h.vault, h.code)["case"]["phase"] == "HILFEPLANUNG"
    assert tab.phase_combo.currentData() == "HILFEPLANUNG"
    monkeypatch.setattr(planning_module, "confirm_phase_back", lambda *_a: True)
    _choose(tab.phase_combo, "KLAERUNG")
    with h.qtbot.waitSignal(tab.changed, timeout=5000):
        tab.set_phase_button.click()
    assert h.shown["case"]["phase"] == "KLAERUNG"
    shrunk = set(tab.missing_texts())
    assert shrunk < grown and _("no assessment") not in shrunk


def test_close_case_records_attainment_and_retention(h) -> None:
    tab = h.tab
    open_goal = cycle.add_goal(h.vault, h.code, {"need_area": "SPRACHE", "statement": "B1 ist bestanden"})
    done_goal = cycle.add_goal(h.vault, h.code, {"need_area": "WOHNEN", "statement": "Wohnung ist gefunden",
                                                 "status": "ERREICHT", "achievement": 100})
    h.reload()
    tab.close_case_button.click()
    dialog = h.dialog()
    assert isinstance(dialog, CloseCaseDialog)
    assert list(dialog.goal_rows) == [open_goal]  # goals with a final status are not asked again
    assert not dialog.save_button.isEnabled()
    _choose(dialog.reason, "UEBERGANG_REGELSYSTEM")
    _choose(dialog.destination, "AUSBILDUNG_BETRIEBLICH")
    assert not dialog.save_button.isEnabled()
    dialog.evaluation.setPlainText("Ausbildung begonnen; Sprachkurs läuft weiter.")
    assert not dialog.save_button.isEnabled()  # the open goal has no status yet
    assert ngettext("the status of {n} goal", "the status of {n} goals", 1).format(n=1) in dialog.missing_label.text()
    status, spin, note = dialog.goal_rows[open_goal]
    _choose(status, "TEILWEISE_ERREICHT")
    spin.setValue(60)
    note.setText("A2 bestanden, B1 im Kurs")
    assert dialog.save_button.isEnabled()
    assert "25.11.2029" in dialog.retention_label.text()
    dialog.closed_on.setText("20.11.2026")
    assert "20.11.2029" in dialog.retention_label.text()
    dialog.closed_on.setText("31.02.2026")
    assert not dialog.save_button.isEnabled()
    dialog.closed_on.setText("25.11.2026")
    assert dialog.values() == {
        "closed_on": "2026-11-25", "closure_reason": "UEBERGANG_REGELSYSTEM", "destination": "AUSBILDUNG_BETRIEBLICH",
        "evaluation": "Ausbildung begonnen; Sprachkurs läuft weiter.",
        "goals": [{"id": open_goal, "status": "TEILWEISE_ERREICHT", "achievement": 60,
                   "achievement_note": "A2 bestanden, B1 im Kurs"}]}
    h.save(dialog)
    case = h.shown["case"]
    assert (case["phase"], case["closed_on"], case["retention_until"]) == ("ABGESCHLOSSEN", "2026-11-25", "2029-11-25")
    goals = {g["id"]: g for g in h.shown["goals"]}
    assert (goals[open_goal]["status"], goals[open_goal]["achievement"]) == ("TEILWEISE_ERREICHT", 60)
    assert goals[done_goal]["status"] == "ERREICHT"
    # Shown as closed, with the retention date; nothing can be edited any more.
    assert tab.closed_label.isVisible()
    assert "25.11.2026" in tab.closed_label.text() and "25.11.2029" in tab.closed_label.text()
    for button in (tab.set_phase_button, tab.close_case_button, tab.new_assessment_button, tab.add_goal_button,
                   tab.template_button, tab.add_task_button, tab.add_agreement_button, tab.phase_combo):
        assert not button.isEnabled(), button.text()
    tab.goals_table.selectRow(0)
    assert not tab.edit_goal_button.isEnabled() and not tab.delete_goal_button.isEnabled()


def test_a_refused_closing_opens_again_with_the_same_values(h) -> None:
    tab = h.tab
    tab.close_case_button.click()
    dialog = h.dialog()
    dialog.closed_on.setText("01.01.2020")  # before the first contact
    _choose(dialog.reason, "KONTAKTABBRUCH")
    _choose(dialog.destination, "UNBEKANNT")
    dialog.evaluation.setPlainText("Nicht mehr erreichbar.")
    typed = dialog.values()
    dialog.save_button.click()
    h.qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog is not dialog, timeout=5000)
    again = tab.dialog
    assert again.message.isVisible() and _("Closed on") in again.message.text()
    assert again.values() == typed
    assert cycle.case_json(h.vault, h.code)["case"]["phase"] == "ERSTKONTAKT"
    again.reject()


def test_matching_offers_for_a_need(h, qtbot) -> None:
    offers.save_offer(h.vault, {"name": "Integrationskurs Rheine", "category": "SPRACHE_BAMF"})
    offers.save_offer(h.vault, {"name": "Wohnberatung", "category": "WOHNEN"})
    _with_assessment(h, [SPRACHE])
    tab = h.tab
    assert not tab.offers_button.isEnabled()
    tab.needs_table.selectRow(0)
    assert tab.offers_button.isEnabled()
    dialog = tab.show_offers()
    assert isinstance(dialog, NeedOffersDialog)
    qtbot.waitUntil(lambda: dialog.source.rowCount() > 0, timeout=5000)
    names = [_cell(dialog.model, r, 0) for r in range(dialog.source.rowCount())]
    assert "Integrationskurs Rheine" in names and "Wohnberatung" not in names
    row = names.index("Integrationskurs Rheine")
    assert _cell(dialog.model, row, 3) == _("yes")
    dialog.reject()


def test_a_refused_delete_says_why(h, monkeypatch) -> None:
    _with_assessment(h, [SPRACHE])
    need_id = h.shown["needs"][0]["id"]
    cycle.add_goal(h.vault, h.code, {"need_area": "SPRACHE", "statement": "B1", "need_id": need_id})
    h.reload()
    shown = []
    monkeypatch.setattr(planning_module, "confirm_delete", lambda *_a: True)
    monkeypatch.setattr(planning_module, "show_error", lambda _p, exc: shown.append(exc.message))
    h.tab.needs_table.selectRow(0)
    h.tab.delete_need()
    h.qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [_("A goal rests on this need; it cannot be deleted.")]
    assert len(cycle.case_json(h.vault, h.code)["needs"]) == 1


def test_clear_empties_everything(h) -> None:
    _with_assessment(h, [SPRACHE], [{"resource_type": "MOTIVATION", "description": "Will Elektriker werden"}])
    goal = cycle.add_goal(h.vault, h.code, {"need_area": "SPRACHE", "statement": "B1"})
    cycle.add_task(h.vault, h.code, {"description": "Anmelden", "goal_id": goal})
    cycle.add_agreement(h.vault, h.code, {"date": "2026-11-25", "goals": [goal]})
    h.reload()
    tab = h.tab
    assert all(m.rowCount() for m in (tab.needs, tab.resources, tab.goals, tab.tasks, tab.agreements))
    tab.clear()
    assert all(m.rowCount() == 0 for m in (tab.needs, tab.resources, tab.goals, tab.tasks, tab.agreements))
    assert tab.missing_list.count() == 0 and tab.area_list.count() == 0 and tab.assessment_combo.count() == 0
    assert tab.shown is None and tab.case_id is None and tab.assessment_text.text() == ""
    for button in (tab.new_assessment_button, tab.add_goal_button, tab.add_task_button, tab.close_case_button,
                   tab.set_phase_button, tab.add_agreement_button):
        assert not button.isEnabled()
    # It shows a case again afterwards.
    h.reload()
    assert tab.goals.rowCount() == 1


def test_keyboard_reaches_the_main_actions(h) -> None:
    tab = h.tab
    for button in (tab.set_phase_button, tab.close_case_button, tab.new_assessment_button, tab.add_goal_button,
                   tab.template_button, tab.add_task_button, tab.done_button, tab.add_agreement_button,
                   tab.offers_button):
        assert "&" in button.text(), button.text()
    keys = {s.key().toString() for s in tab.findChildren(QShortcut)}
    assert {"Del", "Ctrl+Return"} <= keys


def test_right_click_offers_the_actions_of_a_row(h) -> None:
    _with_assessment(h, [SPRACHE], [{"resource_type": "MOTIVATION", "description": "Will Elektriker werden"}])
    goal = cycle.add_goal(h.vault, h.code, {"need_area": "SPRACHE", "statement": "B1"})
    cycle.add_task(h.vault, h.code, {"description": "Anmelden", "goal_id": goal})
    cycle.add_agreement(h.vault, h.code, {"date": "2026-11-25", "goals": [goal]})
    h.reload()
    tab = h.tab
    expected = {
        tab.needs_table: [_("Change …"), _("Matching offers …"), _("Add goal …"), _("Delete")],
        tab.resources_table: [_("Change …"), _("Delete")],
        tab.goals_table: [_("Change …"), _("Add step …"), _("Delete")],
        tab.tasks_table: [_("Done"), _("Change …"), _("Delete")],
        tab.agreements_table: [_("Change …")],
    }
    for table, texts in expected.items():
        table.clearSelection()
        pos = table.visualRect(table.model().index(0, 0)).center()
        table.customContextMenuRequested.emit(pos)
        menu = tab.context_menu
        assert [a.text() for a in menu.actions()] == texts
        assert table.selectionModel().selectedRows()[0].row() == 0  # the row clicked is selected
        assert all(a.isEnabled() for a in menu.actions())
        menu.close()
