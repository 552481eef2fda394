"""The whole cycle in the case view, as the tabs are wired together: assessment → goal →
referral → the missing consent recorded from the referral's message → status change → closing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from gk_desktop.services import clients, cycle, offers
from gk_desktop.ui import ops
from gk_desktop.ui.case_view import CaseView


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def test_assessment_goal_referral_consent_status_close(qtbot, open_vault, monkeypatch) -> None:
    v = open_vault
    code = clients.add_client(v, {"first_name": "Samir", "last_name": "Haddad", "birth_date": "2003-05-06",
                                  "residence_status": "DULDUNG_60A"}).case_code
    vhs = offers.save_partner(v, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"})
    course = offers.save_offer(v, {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "partner_id": vhs})
    view = CaseView(v)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open(code)

    # Assessment and goal (through the services the dialogs call; the tabs' own tests drive the forms).
    cycle.add_assessment(v, code, {"date": "2026-11-20", "needs": [{"need_area": "SPRACHE", "description": "B1"}]})
    need = cycle.case_json(v, code)["needs"][0]["id"]
    goal = cycle.add_goal(v, code, {"need_area": "SPRACHE", "need_id": need, "statement": "B1 bis Juni 2027"})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    assert view.planning_tab.goals.rowCount() == 1

    # A referral in the Vermittlungen tab.
    view.tabs.setCurrentIndex(view.referrals_index)
    tab = view.referrals_tab
    chain = cycle.add_chain(v, code, {"title": "Sprache", "goal_id": goal})
    cycle.add_referral(v, chain, {"offer_id": course, "categories": ["STAMMDATEN", "SPRACHE"]})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    qtbot.waitUntil(lambda: tab.referrals.rowCount() == 1, timeout=5000)
    tab.referrals_table.selectRow(0)

    # "Angefragt" without a consent: the message offers to record it; the Einwilligungen tab opens
    # with the form filled in for that recipient and those categories.
    def record(box: QMessageBox) -> int:
        next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    tab.status_button.status_actions["ANGEFRAGT"].trigger()
    qtbot.waitUntil(lambda: view.consents_tab.dialog is not None, timeout=5000)
    assert view.tabs.currentIndex() == view.consents_index
    dialog = view.consents_tab.dialog
    assert dialog.widgets["partner_id"].currentData() == vhs
    assert dialog.widgets["consent_type"].currentData() == "SCHWEIGEPFLICHTENTBINDUNG"
    assert cycle.case_json(v, code)["referrals"][0]["status"] == "VORGESCHLAGEN"  # nothing went out
    with qtbot.waitSignal(view.consents_tab.changed, timeout=5000):
        dialog.save_button.click()
    ops.wait_all()
    (consent,) = [c for c in cycle.case_json(v, code)["consents"] if c["partner_id"] == vhs]
    assert consent["categories"] == ["SPRACHE", "STAMMDATEN"]

    # Now the status changes and the passing is logged.
    view.tabs.setCurrentIndex(view.referrals_index)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    qtbot.waitUntil(lambda: tab.referrals.rowCount() == 1, timeout=5000)
    tab.referrals_table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        tab.status_button.status_actions["ANGEFRAGT"].trigger()
    shown = cycle.case_json(v, code)
    assert shown["referrals"][0]["status"] == "ANGEFRAGT" and shown["referrals"][0]["consent_id"] == consent["id"]
    assert [d["partner_id"] for d in shown["disclosures"]] == [vhs]

    # Closing from the Planung tab: attainment per goal, reason, destination, evaluation.
    view.tabs.setCurrentIndex(view.planning_index)
    close = view.planning_tab.close_case()
    assert close is not None and not close.save_button.isEnabled()
    values = {"closed_on": "2026-11-25", "closure_reason": "ZIEL_ERREICHT", "destination": "SPRACHKURS",
              "evaluation": "B1-Kurs begonnen.", "goals": [{"id": goal, "status": "TEILWEISE_ERREICHT", "achievement": 50}]}
    close.set_values(values)
    assert close.save_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        close.save_button.click()
    case = cycle.case_json(v, code)["case"]
    assert (case["phase"], case["retention_until"]) == ("ABGESCHLOSSEN", "2029-11-25")
    ops.wait_all()
