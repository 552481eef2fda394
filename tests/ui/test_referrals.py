"""Vermittlungen, driven as a worker would: in the case view's tab (chains, referrals to offers of
the directory, one-click status changes that pass data only with a consent, refusals) and on the
page across clients (waits, case codes only, status change, opening a case, short advice)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from gk_desktop.services import clients, consents, cycle, offers
from gk_desktop.ui import ops
from gk_desktop.ui.referrals_tab import AddReferralDialog, ReferralDialog, ReferralsTab
from gk_desktop.ui.referrals_view import ReferralsView

LAST_A, LAST_B, LAST_C = "Zqxalphaname", "Zqxbetaname", "Zqxgammaname"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def _client(vault, first: str, last: str, **extra) -> str:
    return clients.add_client(vault, {"first_name": first, "last_name": last, "birth_date": "2003-05-06",
                                      "residence_status": "DULDUNG_60A", **extra}).case_code


def _release(vault, code: str, partner: str, categories: list[str], given_on: str = "2026-10-01") -> str:
    return consents.add_consent(vault, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": partner,
                                              "purpose": "Anmeldung", "categories": categories, "given_on": given_on})


@pytest.fixture
def network(open_vault):
    v = open_vault
    vhs = offers.save_partner(v, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER",
                                  "contacts": [{"name": "Frau Yilmaz", "role": "Anmeldung"}]})
    course = offers.save_offer(v, {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "partner_id": vhs})
    youth = offers.save_offer(v, {"name": "Jugendkurs unter 18", "category": "SPRACHE_SONSTIGE", "partner_id": vhs,
                                  "age_max": 17})
    return v, vhs, course, youth


def _answer(monkeypatch: pytest.MonkeyPatch, role: QMessageBox.ButtonRole, seen: list[tuple[str, str]]) -> None:
    """Every QMessageBox.exec() clicks the button of ``role`` and records what the box said."""
    def exec_(box: QMessageBox) -> int:
        seen.append((box.text(), box.informativeText()))
        next(b for b in box.buttons() if box.buttonRole(b) == role).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


@pytest.fixture
def opened(qtbot, network):
    """The tab for one client, wired as the case view wires it: every write reloads the case."""
    v, vhs, course, youth = network
    code = _client(v, "Sami", LAST_A)
    tab = ReferralsTab(v)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()

    def show() -> None:
        shown = cycle.case_json(v, code, source="gui")
        tab.set_case(code, shown["case"]["id"], shown["case"]["client_id"], shown)

    tab.changed.connect(show)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show()
    yield tab, v, code, vhs, course, youth
    ops.wait_all()


def _cell(model, row: int, col: int) -> str:
    return model.data(model.index(row, col))


def test_chain_referral_and_status_changes_pass_data_only_with_a_consent(qtbot, opened, monkeypatch) -> None:
    tab, v, code, vhs, course, youth = opened
    assert tab.empty_hint.isVisible() and not tab.add_referral_button.isEnabled()

    # A new chain.
    tab.new_chain_button.click()
    dialog = tab.dialog
    dialog.widgets["title"].setText("Weg in die Ausbildung")
    dialog.widgets["coordinator"].setText("Teilhabemanagement")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    (chain,) = cycle.case_json(v, code)["service_chains"]
    assert (chain["title"], chain["coordinator"], chain["start_on"]) == (
        "Weg in die Ausbildung", "Teilhabemanagement", "2026-11-25")
    assert tab.chains.rowCount() == 1 and _cell(tab.chains, 0, 0) == "Weg in die Ausbildung"
    assert not tab.empty_hint.isVisible() and tab.add_referral_button.isEnabled()

    # A referral to an offer: fitting offers first, the others with the reason.
    tab.add_referral_button.click()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    add = tab.dialog
    assert isinstance(add, AddReferralDialog)
    rows = add.offers_model.rows()
    assert [r["id"] for r in rows] == [course, youth] and rows[0]["fits"] and not rows[1]["fits"]
    assert "17" in _cell(add.offers_model, 1, 4)  # "bis 17 Jahre; …": why it does not fit
    add.save_button.click()  # nothing chosen yet
    assert add.isVisible() and add.message.isVisible()
    assert add.choose_offer(course)
    funding = add.widgets["funding_component"]
    funding.setCurrentIndex(funding.findData("REGELANGEBOT"))
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        add.save_button.click()
    (ref,) = cycle.case_json(v, code)["referrals"]
    assert (ref["offer_id"], ref["partner_id"], ref["status"], ref["categories"], ref["funding_component"]) == (
        course, vhs, "VORGESCHLAGEN", ["STAMMDATEN"], "REGELANGEBOT")
    assert tab.referrals.rowCount() == 1 and tab._current_referral()["id"] == ref["id"]
    assert (_cell(tab.referrals, 0, 1), _cell(tab.referrals, 0, 2), _cell(tab.referrals, 0, 5)) == (
        "Berufssprachkurs B1", "VHS Rheine", "")
    assert _cell(tab.chains, 0, 5) == "1"

    # "Requested" without a consent: the message names the recipient; the worker chooses to record it.
    changes: list[None] = []
    tab.changed.connect(lambda: changes.append(None))
    seen: list[tuple[str, str]] = []
    _answer(monkeypatch, QMessageBox.ButtonRole.AcceptRole, seen)
    with qtbot.waitSignal(tab.consent_needed, timeout=5000) as needed:
        tab.status_button.status_actions["ANGEFRAGT"].trigger()
    (text, hint), = seen
    assert "VHS Rheine" in text and "Schweigepflichtentbindung" in text
    wanted = needed.args[0]
    assert (wanted["partner_id"], wanted["categories"]) == (vhs, ["STAMMDATEN"])
    assert wanted["purpose"].endswith("Berufssprachkurs B1")
    ops.wait_all()
    shown = cycle.case_json(v, code)
    assert shown["referrals"][0]["status"] == "VORGESCHLAGEN" and shown["disclosures"] == [] and changes == []

    # With the consent recorded, the same click sends the request and records the disclosure.
    consent = _release(v, code, vhs, ["STAMMDATEN"])
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show_fresh_consents(tab, v, code)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.status_button.status_actions["ANGEFRAGT"].trigger()
    shown = cycle.case_json(v, code)
    (ref,) = shown["referrals"]
    assert (ref["status"], ref["consent_id"], ref["referred_on"]) == ("ANGEFRAGT", consent, "2026-11-25")
    (disclosure,) = shown["disclosures"]
    assert (disclosure["partner_id"], disclosure["categories"], disclosure["consent_id"]) == (
        vhs, ["STAMMDATEN"], consent)
    assert _cell(tab.referrals, 0, 5) == "✓" and "VHS Rheine" in tab.details.text()
    assert tab._current_referral()["status"] == "ANGEFRAGT"
    assert not tab.status_button.status_actions["ANGEFRAGT"].isEnabled()

    for status in ("ZUGESAGT", "BEGONNEN"):
        with qtbot.waitSignal(tab.loaded, timeout=5000):
            tab.status_button.status_actions[status].trigger()
    (ref,) = cycle.case_json(v, code)["referrals"]
    assert (ref["status"], ref["accepted_on"], ref["start_on"]) == ("BEGONNEN", "2026-11-25", "2026-11-25")
    assert len(cycle.case_json(v, code)["disclosures"]) == 1

    # A sent referral cannot be deleted: the refusal is shown and the referral stays.
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    tab.delete_referral_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    ops.wait_all()
    assert len(cycle.case_json(v, code)["referrals"]) == 1 and told[0] == tab.status.text()


def show_fresh_consents(tab: ReferralsTab, v, code: str) -> None:
    shown = cycle.case_json(v, code, source="gui")
    tab.set_case(code, shown["case"]["id"], shown["case"]["client_id"], shown)


def test_consent_for_too_few_categories_and_cancel(qtbot, opened, monkeypatch) -> None:
    tab, v, code, vhs, course, _youth = opened
    chain = cycle.add_chain(v, code, {"title": "Sprache"})
    ref = cycle.add_referral(v, chain, {"offer_id": course, "categories": ["STAMMDATEN", "SPRACHE"]})
    _release(v, code, vhs, ["STAMMDATEN"])
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show_fresh_consents(tab, v, code)
    assert tab._current_referral() is None and not tab.status_button.isEnabled()  # nothing chosen by chance
    tab.referrals_table.selectRow(0)
    assert tab._current_referral()["id"] == ref
    assert "Sprache" in tab.details.text()  # what would go, before anything is sent
    needed: list[object] = []
    tab.consent_needed.connect(needed.append)
    seen: list[tuple[str, str]] = []
    _answer(monkeypatch, QMessageBox.ButtonRole.RejectRole, seen)
    tab.status_button.status_actions["ANGEFRAGT"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert "Sprache" in seen[0][0] and needed == []
    assert cycle.case_json(v, code)["referrals"][0]["status"] == "VORGESCHLAGEN"

    # Choosing to record it passes every category of the referral.
    _answer(monkeypatch, QMessageBox.ButtonRole.AcceptRole, seen)
    with qtbot.waitSignal(tab.consent_needed, timeout=5000) as asked:
        tab.change_status("ANGEFRAGT")
    assert asked.args[0]["categories"] == ["SPRACHE", "STAMMDATEN"] and asked.args[0]["partner_id"] == vhs


def test_change_and_delete_a_referral_not_sent(qtbot, opened, monkeypatch) -> None:
    tab, v, code, vhs, course, _youth = opened
    chain = cycle.add_chain(v, code, {"title": "Sprache"})
    ref = cycle.add_referral(v, chain, {"offer_id": course})
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show_fresh_consents(tab, v, code)
    contact = next(p for p in offers.list_partners(v) if p.id == vhs).contacts[0]["id"]
    tab.referrals_table.selectRow(0)
    tab.edit_referral_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ReferralDialog)
    combo = dialog.widgets["partner_contact_id"]
    combo.setCurrentIndex(combo.findData(contact))
    assert combo.currentText() == "Frau Yilmaz (Anmeldung)"
    dialog.widgets["feedback"].setPlainText("Platz ab Januar.\nTest am 10.12.")
    dialog.widgets["dropout_reason"].setText("")
    dialog.widgets["planned_end_on"].setText("30.06.2027")
    dialog.widgets["start_on"].setText("01.07.2027")  # after the planned end: refused in the dialog
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=5000)
    problem = dialog.message.text()
    assert dialog.isVisible() and ("Planned end" in problem or "Geplantes Ende" in problem)
    assert "planned_end_on" not in problem  # the field's label, not its key
    dialog.widgets["start_on"].setText("")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dialog.save_button.click()
    (row,) = cycle.case_json(v, code)["referrals"]
    assert (row["partner_contact_id"], row["feedback"], row["planned_end_on"]) == (
        contact, "Platz ab Januar.\nTest am 10.12.", "2027-06-30")
    assert _cell(tab.referrals, 0, 7) == "Platz ab Januar." and "Frau Yilmaz" in tab.details.text()

    monkeypatch.setattr("gk_desktop.ui.case_view.confirm_delete", lambda *a, **k: True)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.delete_referral_button.click()
    assert cycle.case_json(v, code)["referrals"] == [] and tab.referrals.rowCount() == 0
    assert ref not in {r["id"] for r in tab.referrals.rows()}


def test_a_partner_without_an_offer_and_keyboard(qtbot, opened) -> None:
    tab, v, code, vhs, _course, _youth = opened
    cycle.add_chain(v, code, {"title": "Beratung"})
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show_fresh_consents(tab, v, code)
    tab.add_referral()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    add = tab.dialog
    assert add.choose_partner(vhs) and not add.offers_table.isEnabled()
    add.widgets["passes_data"].setChecked(False)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        add.save_button.click()
    (ref,) = cycle.case_json(v, code)["referrals"]
    assert (ref["offer_id"], ref["partner_id"], ref["passes_data"], ref["categories"]) == (None, vhs, False, [])
    # Passing no data, it needs no consent.
    assert tab._current_referral()["id"] == ref["id"]  # the new referral is selected
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.change_status("ANGEFRAGT")
    assert cycle.case_json(v, code)["referrals"][0]["status"] == "ANGEFRAGT"
    assert cycle.case_json(v, code)["disclosures"] == []
    for button in (tab.new_chain_button, tab.add_referral_button, tab.status_button):
        assert "&" in button.text()


def test_locking_drops_the_tab(qtbot, opened) -> None:
    tab, v, code, _vhs, course, _youth = opened
    chain = cycle.add_chain(v, code, {"title": "Sprache"})
    cycle.add_referral(v, chain, {"offer_id": course})
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        show_fresh_consents(tab, v, code)
    assert tab.referrals.rowCount() == 1
    tab.clear()
    assert tab.chains.rowCount() == 0 and tab.referrals.rowCount() == 0 and tab.details.text() == ""
    assert tab.shown is None and tab._vault is None
    assert not tab.new_chain_button.isEnabled() and not tab.status_button.isEnabled()


# --------------------------------------------------------------------------- the page


@pytest.fixture
def page(qtbot, network):
    v, vhs, course, _youth = network
    code_a = _client(v, "Amal", LAST_A)
    code_b = _client(v, "Bilal", LAST_B)
    code_c = _client(v, "Chadi", LAST_C, case={"case_type": "KURZBERATUNG", "first_contact_on": "2026-03-01"})
    refs = {}
    for code in (code_a, code_b):
        _release(v, code, vhs, ["STAMMDATEN"], given_on="2026-09-01")
        chain = cycle.add_chain(v, code, {"title": "Sprache"})
        refs[code] = cycle.add_referral(v, chain, {"offer_id": course})
    cycle.set_referral_status(v, refs[code_a], "ANGEFRAGT", on=dt.date(2026, 10, 1))
    cycle.set_referral_status(v, refs[code_b], "ANGEFRAGT", on=dt.date(2026, 11, 20))
    chain_b = cycle.case_json(v, code_b)["service_chains"][0]["id"]
    other = offers.save_partner(v, {"name": "Jobcenter Rheine", "partner_type": "BEHOERDE"})
    refs["proposed"] = cycle.add_referral(v, chain_b, {"partner_id": other})
    view = ReferralsView(v)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    yield view, v, code_a, code_b, code_c, refs
    ops.wait_all()


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


def test_page_lists_waits_longest_first_with_case_codes_only(qtbot, page) -> None:
    view, v, code_a, code_b, code_c, refs = page
    rows = view.model.rows()
    assert [r["id"] for r in rows] == [refs[code_a], refs[code_b], refs["proposed"]]
    assert [_cell(view.model, i, 0) for i in range(3)] == [code_a, code_b, code_b]
    assert (_cell(view.model, 0, 6), _cell(view.model, 1, 6)) == ("55", "5")
    assert _cell(view.model, 0, 5) == "01.10.2026"
    assert view.model.is_marked(0) and not view.model.is_marked(1) and not view.model.is_marked(2)
    assert "3" in view.count.text() and "1" in view.count.text()
    assert [r["case_code"] for r in view.short_model.rows()] == [code_c]
    assert _cell(view.short_model, 0, 1) == "01.03.2026"
    assert "6" in view.short_heading.text()
    texts = _all_texts(view.model) + _all_texts(view.short_model)
    texts += [label.text() for label in view.findChildren(QLabel)]
    for name in (LAST_A, LAST_B, LAST_C, "Amal", "Bilal", "Chadi"):
        assert not any(name.lower() in t.lower() for t in texts), name


def test_page_changes_status_and_opens_cases(qtbot, page, monkeypatch) -> None:
    view, v, code_a, code_b, code_c, refs = page
    # Status change in one click.
    view.table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.status_button.status_actions["ZUGESAGT"].trigger()
    statuses = {r["id"]: r["status"] for r in cycle.case_json(v, code_a)["referrals"]}
    assert statuses[refs[code_a]] == "ZUGESAGT"
    row = view.model.find(refs[code_a])
    assert _cell(view.model, row, 4) == "Zugesagt" or _cell(view.model, row, 4) == "Accepted"
    assert view._current(view.table, view.model)["id"] == refs[code_a]

    # No consent towards the Jobcenter: the message offers to open the case.
    view.table.selectRow(view.model.find(refs["proposed"]))
    seen: list[tuple[str, str]] = []
    _answer(monkeypatch, QMessageBox.ButtonRole.AcceptRole, seen)
    with qtbot.waitSignal(view.open_case, timeout=5000) as opened:
        view.change_status("ANGEFRAGT")
    assert opened.args == [code_b] and "Jobcenter Rheine" in seen[0][0] and code_b in seen[0][1]
    ops.wait_all()
    statuses = {r["id"]: r["status"] for r in cycle.case_json(v, code_b)["referrals"]}
    assert statuses[refs["proposed"]] == "VORGESCHLAGEN"

    # Double-click and Enter open the client's file.
    view.table.selectRow(1)
    rect = view.table.visualRect(view.model.index(1, 0))
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [view.model.row_at(1)["case_code"]]
    view.activateWindow()
    view.table.setFocus()
    view.table.selectRow(0)
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [view.model.row_at(0)["case_code"]]
    with qtbot.waitSignal(view.open_case, timeout=2000) as opened:
        view.short_open_button.click()
    assert opened.args == [code_c]

    # Every referral, closed ones too.
    cycle.set_referral_status(v, refs[code_b], "ABGEBROCHEN")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open_only.setChecked(False)
    assert view.model.find(refs[code_b]) is not None
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open_only.setChecked(True)
    assert view.model.find(refs[code_b]) is None


def test_page_clear_empties_everything(qtbot, page) -> None:
    view, *_rest = page
    assert view.model.rowCount() == 3 and view.short_model.rowCount() == 1
    view.clear()
    assert view.model.rowCount() == 0 and view.short_model.rowCount() == 0
    assert view.count.text() == "" and view.short_count.text() == "" and view.status.text() == ""
    assert not view.status_button.isEnabled() and not view.open_button.isEnabled()
    view.reload()  # locked: nothing is loaded
    ops.wait_all()
    assert view.model.rowCount() == 0


def test_short_advice_months_setting(qtbot, page) -> None:
    view, v, code_a, code_b, code_c, _refs = page
    view.short_advice_months = 12
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    assert view.short_model.rowCount() == 0 and "12" in view.short_heading.text()
