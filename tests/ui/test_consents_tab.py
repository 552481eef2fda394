"""The Einwilligungen tab and the Passende Angebote dialog, driven as a worker would: record,
change and revoke consents, record disclosures (refused without a covering consent, nothing
stored), match offers; locking drops everything."""

from __future__ import annotations

import datetime as dt
import html
from types import SimpleNamespace

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QListWidget, QPushButton

from gk_desktop import labels
from gk_desktop.i18n import _, ngettext
from gk_desktop.services import clients, consents, documents, offers
from gk_desktop.ui import ops
from gk_desktop.ui.consents_tab import CONSENT_FIELDS, DISCLOSURE_FIELDS, ConsentsTab, RevokeDialog, SavingDialog
from gk_desktop.ui.matching_dialog import MatchingDialog

CLIENT = {"first_name": "Mariam", "last_name": "Zqxconsent", "birth_date": "2003-05-06",
          "residence_status": "DULDUNG_60A"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def env(qtbot, open_vault):
    added = clients.add_client(open_vault, CLIENT)
    school = offers.save_partner(open_vault, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE"})
    abh = next(p.id for p in offers.list_partners(open_vault) if p.name == "Ausländerbehörde (Ort ergänzen)")
    tab = ConsentsTab(open_vault)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.set_client(added.case_code, added.id)
    yield SimpleNamespace(vault=open_vault, tab=tab, code=added.case_code, client_id=added.id, school=school, abh=abh)
    tab.clear()
    ops.wait_all()


def _choose(dialog, key: str, value) -> None:
    combo = dialog.widgets[key]
    index = combo.findData(value)
    assert index >= 0, (key, value)
    combo.setCurrentIndex(index)


def _check(dialog, key: str, values: list[str]) -> None:
    listing: QListWidget = dialog.widgets[key]
    for i in range(listing.count()):
        item = listing.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in values
                           else Qt.CheckState.Unchecked)


def _save(qtbot, tab, button) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        button.click()


def _release(env, partner: str, categories: list[str], given_on: str = "2026-11-02") -> str:
    consent_id = consents.add_consent(env.vault, env.code, {
        "consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": partner, "purpose": "Anmeldung",
        "categories": categories, "given_on": given_on})
    return consent_id


def _reload(qtbot, tab) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.reload()


def _closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _refused(qtbot, dialog) -> None:
    """Wait until a background check has answered into the open dialog."""
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    ops.wait_all()
    assert dialog.isVisible() and dialog.message.isVisible()


def test_the_tab_says_counselling_never_waits_for_a_consent(env) -> None:
    assert env.tab.note.text() == _(
        "Counselling never depends on a consent to pass data to the immigration office. Each consent is "
        "recorded on its own; a release from confidentiality names its recipient.")
    assert env.tab.consents.rowCount() == 0 and env.tab.disclosures.rowCount() == 0


def test_record_a_consent_through_the_dialog(qtbot, env) -> None:
    tab = env.tab
    doc = documents.add_document(env.vault, env.code, "sje.pdf", PDF, {"type": "EINWILLIGUNG", "title": "SJE BK"})
    _reload(qtbot, tab)
    changed = []
    tab.changed.connect(lambda: changed.append(1))
    tab.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, SavingDialog) and dialog.isVisible()
    # The type is chosen on purpose; language and date start sensibly.
    assert dialog.widgets["consent_type"].currentData() is None
    assert dialog.widgets["language"].text() == "de" and dialog.widgets["given_on"].text() == "25.11.2026"
    _choose(dialog, "consent_type", "SCHWEIGEPFLICHTENTBINDUNG")
    _choose(dialog, "partner_id", env.school)
    dialog.widgets["purpose"].setText("Anmeldung zum Bildungsgang")
    _check(dialog, "categories", ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    dialog.widgets["given_on"].setText("02.11.2026")
    dialog.widgets["valid_until"].setText("31.07.2027")
    _choose(dialog, "document_id", doc.id)
    dialog.widgets["interpreted"].setChecked(True)
    _save(qtbot, tab, dialog.save_button)
    assert _closed(dialog) and tab.dialog is None and changed == [1]

    (row,) = consents.list_consents(env.vault, env.client_id)
    assert (row.consent_type, row.partner_id, row.categories, row.given_on, row.valid_until, row.document_id,
            row.interpreted, row.language, row.status) == (
        "SCHWEIGEPFLICHTENTBINDUNG", env.school, ("SCHULE_ZEUGNISSE", "STAMMDATEN"), dt.date(2026, 11, 2),
        dt.date(2027, 7, 31), doc.id, True, "de", "GUELTIG")
    m = tab.consents
    shown = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert shown == [labels.label(labels.CONSENT_TYPE, "SCHWEIGEPFLICHTENTBINDUNG"), "Berufskolleg Rheine",
                     labels.label(labels.DATA_CATEGORY, "SCHULE_ZEUGNISSE") + ", "
                     + labels.label(labels.DATA_CATEGORY, "STAMMDATEN"),
                     "02.11.2026", "31.07.2027", labels.label(labels.CONSENT_STATUS, "GUELTIG")]
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None  # a valid one is not greyed
    # The new consent is selected; nothing rests on it yet.
    assert tab._current_id() == row.id and tab.edit_button.isEnabled() and tab.revoke_button.isEnabled()
    assert "SJE BK" in tab.details.text()
    assert tab.used_in.text() == _("Used in: not used yet.")


def test_a_release_without_recipient_and_categories_is_refused_in_the_dialog(qtbot, env) -> None:
    tab = env.tab
    tab.add_button.click()
    dialog = tab.dialog
    _choose(dialog, "consent_type", "SCHWEIGEPFLICHTENTBINDUNG")
    dialog.widgets["purpose"].setText("Anmeldung")
    dialog.save_button.click()
    ops.wait_all()
    assert dialog.isVisible() and dialog.message.isVisible() and tab.dialog is dialog
    text = dialog.message.text()
    assert _(CONSENT_FIELDS["partner_id"]) + ": " in text and _(CONSENT_FIELDS["categories"]) + ": " in text
    assert "partner_id" not in text and "categories" not in text
    assert consents.list_consents(env.vault, env.client_id) == []
    # Nothing typed is lost; completing it stores it.
    assert dialog.widgets["purpose"].text() == "Anmeldung"
    _choose(dialog, "partner_id", env.abh)
    _check(dialog, "categories", ["AUFENTHALT"])
    _save(qtbot, tab, dialog.save_button)
    (row,) = consents.list_consents(env.vault, env.client_id)
    assert (row.partner_id, row.categories, row.purpose) == (env.abh, ("AUFENTHALT",), "Anmeldung")


def test_a_date_problem_names_the_field_not_its_key(qtbot, env) -> None:
    tab = env.tab
    tab.add_button.click()
    dialog = tab.dialog
    _choose(dialog, "consent_type", "MESSENGER_KONTAKT")
    dialog.widgets["given_on"].setText("20.11.2026")
    dialog.widgets["valid_until"].setText("01.11.2026")
    dialog.save_button.click()
    assert dialog.isVisible() and _(CONSENT_FIELDS["valid_until"]) in dialog.message.text()
    assert "given_on" not in dialog.message.text() and _(CONSENT_FIELDS["given_on"]) in dialog.message.text()
    assert consents.list_consents(env.vault, env.client_id) == []


def test_change_a_consent_with_enter(qtbot, env) -> None:
    tab = env.tab
    consent_id = _release(env, env.school, ["STAMMDATEN"])
    _reload(qtbot, tab)
    tab.consents_table.selectRow(0)
    tab.consents_table.setFocus()
    qtbot.keyClick(tab.consents_table, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert isinstance(dialog, SavingDialog) and dialog.widgets["purpose"].text() == "Anmeldung"
    assert dialog.widgets["partner_id"].currentData() == env.school
    _check(dialog, "categories", ["STAMMDATEN", "SPRACHE"])
    _save(qtbot, tab, dialog.save_button)
    (row,) = consents.list_consents(env.vault, env.client_id)
    assert row.id == consent_id and row.categories == ("SPRACHE", "STAMMDATEN")


def test_revoke_with_a_date(qtbot, env) -> None:
    tab = env.tab
    consent_id = _release(env, env.abh, ["AUFENTHALT"])
    _reload(qtbot, tab)
    tab.consents_table.selectRow(0)
    tab.revoke_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, RevokeDialog) and dialog.day_edit.text() == "25.11.2026"
    assert any(_("From this day on the consent allows nothing; what was passed before stays on record.") == label.text()
               for label in dialog.findChildren(type(tab.note)))
    # Before the consent was given: refused in the dialog, nothing changed.
    dialog.day_edit.setText("01.10.2026")
    dialog.revoke_button.click()
    _refused(qtbot, dialog)
    assert "02.11.2026" in dialog.message.text()
    assert consents.list_consents(env.vault, env.client_id)[0].revoked_on is None
    dialog.day_edit.setText("24.11.2026")
    _save(qtbot, tab, dialog.revoke_button)
    assert _closed(dialog) and tab.dialog is None

    (row,) = consents.list_consents(env.vault, env.client_id)
    assert (row.status, row.revoked_on) == ("WIDERRUFEN", dt.date(2026, 11, 24))
    m = tab.consents
    assert m.data(m.index(0, 5)) == _("revoked on {date}").format(date="24.11.2026")
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert not tab.edit_button.isEnabled() and not tab.revoke_button.isEnabled()
    tab.edit_selected()  # Enter on a revoked consent explains instead of opening the form
    assert tab.dialog is None and tab.status.text() == _(
        "A revoked consent is kept as it was. Record a new consent instead.")
    with env.vault.session() as s:
        answer = consents.may_pass(s, env.client_id, env.abh, ["AUFENTHALT"])
    assert (answer.allowed, answer.code) == (False, "WIDERRUFEN") and consent_id


def test_a_disclosure_resting_on_a_consent_is_listed_and_named_where_it_is_used(qtbot, env) -> None:
    tab = env.tab
    consent_id = _release(env, env.school, ["STAMMDATEN", "SCHULE_ZEUGNISSE"])
    doc = documents.add_document(env.vault, env.code, "zeugnis.pdf", PDF, {"type": "ZEUGNIS", "title": "Zeugnis"})
    _reload(qtbot, tab)
    tab.disclose_button.click()
    dialog = tab.dialog
    assert dialog.widgets["partner_id"].currentData() is None  # the recipient is chosen on purpose
    assert dialog.widgets["legal_basis"].currentData() == "EINWILLIGUNG"
    assert dialog.widgets["on"].text() == "25.11.2026"
    _choose(dialog, "partner_id", env.school)
    _check(dialog, "categories", ["SCHULE_ZEUGNISSE"])
    _check(dialog, "documents", [doc.id])
    _choose(dialog, "channel", "EMAIL_VERSCHLUESSELT")
    dialog.widgets["what"].setText("Übergabebogen")
    _save(qtbot, tab, dialog.save_button)
    assert _closed(dialog)

    (d,) = consents.list_disclosures(env.vault, env.client_id)
    assert (d.partner_id, d.legal_basis, d.consent_id, d.categories, d.documents, d.channel, d.what) == (
        env.school, "EINWILLIGUNG", consent_id, ("SCHULE_ZEUGNISSE",), (doc.id,), "EMAIL_VERSCHLUESSELT",
        "Übergabebogen")
    m = tab.disclosures
    assert [m.data(m.index(0, c)) for c in (0, 1, 3, 4, 5)] == [
        "25.11.2026", "Berufskolleg Rheine", labels.label(labels.DATA_CATEGORY, "SCHULE_ZEUGNISSE"),
        labels.label(labels.SECURE_CHANNEL, "EMAIL_VERSCHLUESSELT"), "Übergabebogen"]
    assert m.data(m.index(0, 2)) == _("consent of {date}").format(date="02.11.2026")
    tab.consents_table.selectRow(0)
    assert tab.used_in.text().startswith(_("Used in:"))
    assert "25.11.2026 · Berufskolleg Rheine · Übergabebogen" in tab.used_in.text()
    # Changing a consent that carries a disclosure: the form says so.
    tab.edit_selected()
    intro = ngettext("It is the legal basis of {n} disclosure: correct only what was recorded wrongly.",
                     "It is the legal basis of {n} disclosures: correct only what was recorded wrongly.", 1).format(n=1)
    assert any(intro in label.text() for label in tab.dialog.findChildren(type(tab.note)))
    tab.dialog.reject()
    assert tab.dialog is None
    # Append-only: there is nothing to change or delete a disclosure with.
    buttons = {b for b in tab.findChildren(QPushButton) if b.window() is tab}
    assert buttons == {tab.add_button, tab.edit_button, tab.revoke_button, tab.disclose_button}


def test_a_disclosure_of_an_uncovered_category_shows_the_reason_and_stores_nothing(qtbot, env) -> None:
    tab = env.tab
    _release(env, env.school, ["STAMMDATEN"])
    _reload(qtbot, tab)
    tab.disclose_button.click()
    dialog = tab.dialog
    _choose(dialog, "partner_id", env.school)
    _check(dialog, "categories", ["STAMMDATEN", "GESUNDHEIT"])
    dialog.widgets["what"].setText("Telefonat")
    dialog.save_button.click()
    _refused(qtbot, dialog)
    text = dialog.message.text()
    assert labels.label(labels.DATA_CATEGORY, "GESUNDHEIT") in text
    assert tab.add_button.text().replace("&", "") in text  # the hint names the button
    assert consents.list_disclosures(env.vault, env.client_id) == []
    assert dialog.widgets["what"].text() == "Telefonat" and dialog.save_button.isEnabled()
    # Towards a recipient without any release: the reason says so.
    _choose(dialog, "partner_id", env.abh)
    dialog.save_button.click()
    _refused(qtbot, dialog)
    assert _("No release from confidentiality towards this recipient is recorded.") in dialog.message.text()
    assert consents.list_disclosures(env.vault, env.client_id) == []
    dialog.reject()
    assert tab.dialog is None


def test_a_disclosure_under_a_legal_duty_names_its_norm(qtbot, env) -> None:
    tab = env.tab
    tab.disclose_button.click()
    dialog = tab.dialog
    _choose(dialog, "partner_id", env.abh)
    _choose(dialog, "legal_basis", "GESETZLICHE_PFLICHT")
    _check(dialog, "categories", ["AUFENTHALT"])
    dialog.save_button.click()
    ops.wait_all()
    assert dialog.isVisible() and _(DISCLOSURE_FIELDS["legal_norm"]) + ": " in dialog.message.text()
    assert consents.list_disclosures(env.vault, env.client_id) == []
    dialog.widgets["legal_norm"].setText("§ 87 Abs. 2 AufenthG")
    _save(qtbot, tab, dialog.save_button)
    (d,) = consents.list_disclosures(env.vault, env.client_id)
    assert (d.legal_basis, d.legal_norm, d.consent_id) == ("GESETZLICHE_PFLICHT", "§ 87 Abs. 2 AufenthG", None)
    assert "§ 87 Abs. 2 AufenthG" in tab.disclosures.data(tab.disclosures.index(0, 2))


def test_keyboard_reaches_every_action(env) -> None:
    tab = env.tab
    shortcuts = {s.key().toString() for s in tab.findChildren(QShortcut)}
    assert {"Ctrl+Shift+E", "Return", "Enter"} <= shortcuts
    for button in (tab.add_button, tab.revoke_button, tab.disclose_button):
        assert "&" in button.text()
    next(s for s in tab.findChildren(QShortcut) if s.key().toString() == "Ctrl+Shift+E").activated.emit()
    assert isinstance(tab.dialog, SavingDialog)


def test_clear_drops_everything(qtbot, env) -> None:
    tab = env.tab
    _release(env, env.school, ["STAMMDATEN"])
    consents.record_disclosure(env.vault, env.code, {"on": "2026-11-20", "partner_id": env.school,
                                                     "legal_basis": "EINWILLIGUNG", "categories": ["STAMMDATEN"]})
    _reload(qtbot, tab)
    tab.consents_table.selectRow(0)
    assert tab.consents.rowCount() == 1 and tab.disclosures.rowCount() == 1 and "20.11.2026" in tab.used_in.text()
    tab.add_button.click()
    dialog = tab.dialog
    assert dialog.isVisible()
    tab.clear()
    assert _closed(dialog) and tab.dialog is None and tab._vault is None
    assert tab.consents.rowCount() == 0 and tab.disclosures.rowCount() == 0
    assert tab.partners == [] and tab.documents == [] and tab.client_id is None
    assert tab.details.text() == "" and tab.used_in.text() == ""
    assert not any(b.isEnabled() for b in (tab.add_button, tab.edit_button, tab.revoke_button, tab.disclose_button))
    tab.reload()  # nothing to load any more
    tab.add_consent()
    assert tab.dialog is None


def test_a_late_answer_for_another_client_is_dropped(qtbot, env) -> None:
    tab = env.tab
    _release(env, env.school, ["STAMMDATEN"])
    other = clients.add_client(env.vault, {"first_name": "Ali", "last_name": "Zqxother", "birth_date": "2004-01-02"})
    tab.set_client(env.code, env.client_id)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.set_client(other.case_code, other.id)
    ops.wait_all()
    qtbot.wait(50)
    assert tab.client_id == other.id and tab.consents.rowCount() == 0


def _fitting(n: int, m: int) -> str:
    return ngettext("Fitting: {n} of {m} offer", "Fitting: {n} of {m} offers", m).format(n=n, m=m)


def test_matching_offers_fitting_first_with_reasons(qtbot, env) -> None:
    vault = env.vault
    fits = offers.save_offer(vault, {"name": "Ausbildungsvorbereitung", "category": "GK_B4_VORBEREITUNG",
                                     "partner_id": env.school, "age_min": 18, "age_max": 27,
                                     "statuses": ["DULDUNG_60A"], "place": "Rheine"})
    offers.save_offer(vault, {"name": "Internationale Förderklasse <b>IFK</b>", "category": "SCHULE",
                              "age_min": 16, "age_max": 20, "place": "Rheine"})
    offers.save_offer(vault, {"name": "Sprachcafé", "category": "SPRACHE_SONSTIGE", "runs_until": "2026-11-24"})
    dialog = MatchingDialog(vault, env.client_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    m = dialog.model
    rows = [m.row_at(i) for i in range(3)]
    assert rows[0]["id"] == fits and rows[0]["fits"] and not rows[1]["fits"] and not rows[2]["fits"]
    assert m.data(m.index(0, 4)) == _("yes") and m.data(m.index(1, 4)) == _("no")
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert m.data(m.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    remarks = {m.data(m.index(i, 0)): m.data(m.index(i, 5)) for i in range(3)}
    assert remarks["Internationale Förderklasse <b>IFK</b>"] == _("up to age {max}; the client is {age}").format(
        max=20, age=23)
    assert remarks["Sprachcafé"] == _("ended on {date}").format(date="24.11.2026")
    assert dialog.count.text() == _fitting(1, 3)
    # The details of the selected offer: every value escaped; no word of entitlement.
    dialog.table.selectRow(1)
    shown = dialog.detail.toHtml()
    assert html.escape("<b>IFK</b>") in shown and "<b>IFK</b>" not in shown
    dialog.table.selectRow(0)
    text = dialog.detail.toPlainText()
    assert _("The offer fits the recorded age, residence status, German level and school qualification.") in text
    assert "entitled" not in text.lower() and "anspruch" not in text.lower()
    # Filter by category.
    dialog.category.setCurrentIndex(dialog.category.findData("SCHULE"))
    assert m.rowCount() == 1 and m.row_at(0)["category"] == "SCHULE"
    assert dialog.count.text() == _fitting(0, 1)
    dialog.category.setCurrentIndex(dialog.category.findData("JOBCENTER"))
    assert m.rowCount() == 0 and dialog.count.text() == _("No offers in this category.")
    dialog.category.setCurrentIndex(0)
    assert m.rowCount() == 3
    # Esc closes.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
