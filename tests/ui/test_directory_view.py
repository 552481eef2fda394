"""The Angebote page, driven as a worker would: offers added and changed in the form, found by a
folded search, narrowed by every filter, deleted; CSV export and import (a faulty file changes
nothing); partners with their contact persons; the keys; nothing left after clear()."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _, ngettext
from gk_desktop.services import offers
from gk_desktop.ui import ops
from gk_desktop.ui.directory_view import DirectoryView, age_text, offer_html, offer_matches, select_row, split_codes

TIMEOUT = 5000


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


@pytest.fixture
def view(qtbot, open_vault):
    widget = DirectoryView(open_vault)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.reload()
    yield widget
    QTest.keyClick(widget.search, Qt.Key.Key_End)  # QTest leaves Ctrl "held" after a Ctrl+key click
    widget.clear()
    ops.wait_all()


@pytest.fixture
def confirm(monkeypatch):
    """Answers the delete confirmation; records what it was asked."""
    asked: list[str] = []
    reply = {"value": True}

    def answer(_parent, _title, text):
        asked.append(text)
        return reply["value"]

    monkeypatch.setattr("gk_desktop.ui.case_view.confirm_delete", answer)
    return asked, reply


@pytest.fixture
def warnings(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


def _type(widget: QWidget, text: str) -> None:
    """Type any text, non-ASCII included, one key event per character (STYLE.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def _choose(combo, key) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def _tick(listing, keys: set[str]) -> None:
    for i in range(listing.count()):
        item = listing.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                           else Qt.CheckState.Unchecked)


def _names(view: DirectoryView) -> list[str]:
    return [view.offers_model.row_at(i)["name"] for i in range(view.offers_model.rowCount())]


def _select(view: DirectoryView, name: str) -> None:
    for i in range(view.offers_model.rowCount()):
        if view.offers_model.row_at(i)["name"] == name:
            select_row(view.offers_table, i)
            return
    raise AssertionError(name)


def _select_partner(view: DirectoryView, name: str) -> dict:
    view.tabs.setCurrentIndex(view.PARTNERS_TAB)
    for i in range(view.partners_model.rowCount()):
        if view.partners_model.row_at(i)["name"] == name:
            select_row(view.partners_table, i)
            return view.partners_model.row_at(i)
    raise AssertionError(name)


def _save(qtbot, view: DirectoryView) -> None:
    dialog = view.dialog
    assert dialog is not None
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        dialog.save_button.click()
    assert dialog.result_values is not None


def _reload(qtbot, view: DirectoryView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.reload()


SAMPLE = [
    {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "provider": "VHS Rheine", "age_min": 18,
     "statuses": ["AUFENTHALTSGESTATTUNG", "AE_25A"], "place": "Rheine", "runs_until": "2027-03-31"},
    {"name": "Einstiegsqualifizierung Handwerk", "category": "KAMMERN", "age_min": 16, "age_max": 27,
     "place": "Kreis Steinfurt", "runs_until": "2026-07-31"},
    {"name": "Küchenhilfe-Qualifizierung", "category": "GK_B2_QUALIFIZIERUNG", "age_max": 25, "place": "Emsdetten",
     "target_group": "junge Geduldete", "statuses": ["DULDUNG_60A"]},
    {"name": "JMD-Beratung", "category": "MIGRATIONSBERATUNG", "place": "Rheine, Emsstraße 2"},
]


def _add_sample(vault) -> dict[str, str]:
    """The sample offers through the service (providers become partners); name → id."""
    vhs = offers.save_partner(vault, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"}, source="gui")
    ids = {}
    for row in SAMPLE:
        data = {k: v for k, v in row.items() if k != "provider"}
        if row.get("provider"):
            data["partner_id"] = vhs
        ids[row["name"]] = offers.save_offer(vault, data, source="gui")
    return ids


# --------------------------------------------------------------------------- offers


def test_page_layout_and_empty_state(view, qtmodeltester) -> None:
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [_("&Offers"), _("&Partners")]
    for model in (view.offers_model, view.partners_model, view.contacts_model):
        qtmodeltester.check(model)
    assert view.offers_model.rowCount() == 0
    assert view.partners_model.rowCount() == 3  # the seeded ABH, Agentur, Jobcenter
    assert view.count_label.text() == ngettext("{n} offer", "{n} offers", 0).format(n=0)
    assert "CSV" in view.offer_detail.toPlainText()  # how to begin
    assert not view.edit_offer_button.isEnabled() and not view.delete_offer_button.isEnabled()
    assert not view.export_button.isEnabled() and view.import_button.isEnabled()


def test_add_offer_through_the_dialog(qtbot, view, open_vault, qtmodeltester) -> None:
    partner = offers.save_partner(open_vault, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"}, source="gui")
    _reload(qtbot, view)
    view.new_offer_button.click()
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    w = dialog.widgets
    assert w["verified_on"].text() == "25.11.2026"  # a new entry is checked today
    _type(w["name"], "Küchenkurs <b>für</b> Einsteiger")
    _choose(w["category"], "GK_B2_QUALIFIZIERUNG")
    _choose(w["partner_id"], partner)
    _type(w["target_group"], "Geduldete ab 18")
    w["age_min"].setText("18")
    w["age_max"].setText("27")
    _tick(w["statuses"], {"DULDUNG_60A", "AUFENTHALTSGESTATTUNG"})
    _choose(w["min_language_level"], "A2")
    _choose(w["min_qualification"], "HSA_9")
    _type(w["place"], "Rheine, Lehrküche")
    w["runs_from"].setText("01.09.2026")
    w["runs_until"].setText("31.07.2027")
    w["languages"].setText("de, ar; FA")
    _type(w["cost"], "kostenfrei")
    _save(qtbot, view)
    assert view.dialog is None

    (row,) = offers.list_offers(open_vault)
    assert (row.name, row.category, row.partner_id, row.provider) == (
        "Küchenkurs <b>für</b> Einsteiger", "GK_B2_QUALIFIZIERUNG", partner, "VHS Rheine")
    assert (row.age_min, row.age_max, set(row.statuses)) == (18, 27, {"DULDUNG_60A", "AUFENTHALTSGESTATTUNG"})
    assert (row.min_language_level, row.min_qualification, row.place, row.cost) == ("A2", "HSA_9", "Rheine, Lehrküche", "kostenfrei")
    assert (row.runs_from.isoformat(), row.runs_until.isoformat(), row.verified_on.isoformat()) == (
        "2026-09-01", "2027-07-31", "2026-11-25")
    assert row.languages == ("ar", "de", "fa")

    qtmodeltester.check(view.offers_model)
    assert view.offers_model.rowCount() == 1
    cells = [view.offers_model.index(0, c).data() for c in range(view.offers_model.columnCount())]
    assert cells[0] == row.name and cells[2] == "VHS Rheine" and cells[3] == "18–27"
    assert cells[4] == "Rheine, Lehrküche" and cells[5] == "31.07.2027" and cells[6] == "25.11.2026"
    # The new offer is selected and shown in full; its values are escaped, not rendered.
    assert view.offers_table.selectionModel().selectedRows()[0].row() == 0
    detail = view.offer_detail.toPlainText()
    assert "Küchenkurs <b>für</b> Einsteiger" in detail  # the tags shown as typed: escaped
    assert "Duldung (§ 60a)" in detail and "Aufenthaltsgestattung" in detail and "DULDUNG_60A" not in detail
    assert "(ar)" in detail and "(fa)" in detail and "kostenfrei" in detail and "01.09.2026" in detail


def test_offer_html_escapes_and_reads_well() -> None:
    html_text = offer_html({"name": "<script>x</script>", "category": "SCHULE", "provider": "A & B",
                            "statuses": [], "languages": ["de", "xyz"], "prerequisites": "Zeile 1\nZeile <2>",
                            "age_min": None, "age_max": 25})
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text and "A &amp; B" in html_text
    assert "Zeile 1<br>Zeile &lt;2&gt;" in html_text and "xyz" in html_text
    assert _("open to every residence status") in html_text
    assert age_text(18, 27) == "18–27" and age_text(18, None) == _("from {min}").format(min=18)
    assert age_text(None, 25) == _("up to {max}").format(max=25) and age_text(None, None) == ""
    assert split_codes(" de, ar;fa |ti  ") == ["de", "ar", "fa", "ti"]


def test_search_folds_accents_and_case(qtbot, view, open_vault) -> None:
    _add_sample(open_vault)
    _reload(qtbot, view)
    assert view.offers_model.rowCount() == 4
    _type(view.search, "kuche")
    assert _names(view) == ["Küchenhilfe-Qualifizierung"]
    # The one match is shown at once.
    assert "Küchenhilfe-Qualifizierung" in view.offer_detail.toPlainText()
    view.search.clear()
    _type(view.search, "KÜCHENHILFE")
    assert _names(view) == ["Küchenhilfe-Qualifizierung"]
    for query, expected in (("vhs", {"Berufssprachkurs B1"}),  # provider
                            ("emsstrasse", {"JMD-Beratung"}),  # place, ß folded
                            ("geduldete", {"Küchenhilfe-Qualifizierung"}),  # target group
                            ("rheine", {"Berufssprachkurs B1", "JMD-Beratung"}),
                            ("vhs b1", {"Berufssprachkurs B1"}),  # every word, anywhere
                            ("rheine jmd", {"JMD-Beratung"})):
        view.search.setText(query)
        assert set(_names(view)) == expected, query
    view.search.setText("zzz-nothing")
    assert view.offers_model.rowCount() == 0 and view.offer_detail.toPlainText()
    view.reset_button.click()
    assert view.offers_model.rowCount() == 4 and view.search.text() == ""


def test_search_finds_the_category_label() -> None:
    from gk_desktop import labels
    from gk_desktop.domain.folding import fold

    row = {"name": "X", "category": "RECHTSBERATUNG", "statuses": []}
    assert offer_matches(row, query=fold(labels.label(labels.OFFER_CATEGORY, "RECHTSBERATUNG")))
    assert not offer_matches(row, query="zzz")


def test_each_filter_narrows_the_list(qtbot, view, open_vault) -> None:
    _add_sample(open_vault)
    _reload(qtbot, view)
    all_names = set(_names(view))
    assert view.count_label.text().startswith("4") and not view.reset_button.isEnabled()

    _choose(view.category_filter, "KAMMERN")
    assert _names(view) == ["Einstiegsqualifizierung Handwerk"]
    assert view.count_label.text().startswith("1") and view.reset_button.isEnabled()
    _choose(view.category_filter, None)
    assert set(_names(view)) == all_names

    # Open to a Duldung: those naming it and those open to every status (empty list).
    _choose(view.status_filter, "DULDUNG_60A")
    assert set(_names(view)) == {"Küchenhilfe-Qualifizierung", "Einstiegsqualifizierung Handwerk", "JMD-Beratung"}
    _choose(view.status_filter, "AE_25A")
    assert set(_names(view)) == {"Berufssprachkurs B1", "Einstiegsqualifizierung Handwerk", "JMD-Beratung"}
    _choose(view.status_filter, None)

    view.age_filter.setValue(17)  # B1 from 18 is out; EQ 16–27, Küche up to 25, JMD any age
    assert set(_names(view)) == {"Einstiegsqualifizierung Handwerk", "Küchenhilfe-Qualifizierung", "JMD-Beratung"}
    view.age_filter.setValue(26)
    assert set(_names(view)) == {"Berufssprachkurs B1", "Einstiegsqualifizierung Handwerk", "JMD-Beratung"}
    view.age_filter.setValue(30)
    assert set(_names(view)) == {"Berufssprachkurs B1", "JMD-Beratung"}
    view.age_filter.setValue(0)
    assert view.age_filter.text() == _("any age") and set(_names(view)) == all_names

    # Running on 25.11.2026: the EQ ended on 31.07.2026; offers without an end keep running.
    view.running_filter.setChecked(True)
    assert set(_names(view)) == all_names - {"Einstiegsqualifizierung Handwerk"}
    # Filters combine.
    _choose(view.status_filter, "DULDUNG_60A")
    view.age_filter.setValue(20)
    assert set(_names(view)) == {"Küchenhilfe-Qualifizierung", "JMD-Beratung"}
    assert view.count_label.text().startswith("2")
    view.reset_button.click()
    assert set(_names(view)) == all_names and not view.running_filter.isChecked()
    assert view.status_filter.currentData() is None and view.age_filter.value() == 0


def test_change_and_delete_an_offer(qtbot, view, open_vault, confirm) -> None:
    ids = _add_sample(open_vault)
    _reload(qtbot, view)
    _select(view, "JMD-Beratung")
    assert "Rheine, Emsstraße 2" in view.offer_detail.toPlainText()
    # Enter on the list opens the form with the offer's values.
    view.offers_table.setFocus()
    qtbot.keyClick(view.offers_table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog is not None and dialog.widgets["name"].text() == "JMD-Beratung"
    assert dialog.widgets["category"].currentData() == "MIGRATIONSBERATUNG"
    dialog.widgets["name"].setText("JMD-Beratung Rheine")
    dialog.widgets["languages"].setText("ar, ti")
    _save(qtbot, view)
    changed = offers.get_offer(open_vault, ids["JMD-Beratung"])
    assert changed.name == "JMD-Beratung Rheine" and changed.languages == ("ar", "ti")
    assert changed.place == "Rheine, Emsstraße 2"  # untouched fields kept
    assert "JMD-Beratung Rheine" in _names(view)
    assert view.offers_model.row_at(view.offers_table.selectionModel().selectedRows()[0].row())["id"] == ids["JMD-Beratung"]

    # Double-click opens it too; cancel changes nothing.
    _select(view, "Berufssprachkurs B1")
    rect = view.offers_table.visualRect(view.offers_table.currentIndex())
    qtbot.mouseClick(view.offers_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.offers_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.dialog is not None and view.dialog.widgets["name"].text() == "Berufssprachkurs B1"
    assert set(view.dialog.values()[0]["statuses"]) == {"AUFENTHALTSGESTATTUNG", "AE_25A"}
    view.dialog.reject()
    ops.wait_all()
    assert offers.get_offer(open_vault, ids["Berufssprachkurs B1"]).name == "Berufssprachkurs B1"

    # Delete asks first; "Cancel" keeps it.
    asked, reply = confirm
    reply["value"] = False
    view.delete_offer_button.click()
    ops.wait_all()
    assert len(offers.list_offers(open_vault)) == 4 and "Berufssprachkurs B1" in asked[-1]
    reply["value"] = True
    with qtbot.waitSignal(view.changed, timeout=TIMEOUT), qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.delete_offer_button.click()
    assert {o.name for o in offers.list_offers(open_vault)} == {
        "JMD-Beratung Rheine", "Einstiegsqualifizierung Handwerk", "Küchenhilfe-Qualifizierung"}
    assert "Berufssprachkurs B1" not in _names(view)


def test_the_form_refuses_what_the_service_refuses_and_keeps_the_input(qtbot, view, open_vault) -> None:
    view.new_offer_button.click()
    dialog = view.dialog
    _type(dialog.widgets["name"], "Jugendwerkstatt Öffnungszeiten")
    dialog.widgets["age_min"].setText("27")
    dialog.widgets["age_max"].setText("18")
    dialog.widgets["languages"].setText("deutsch")
    dialog.save_button.click()
    ops.wait_all()
    # The dialog stays open with readable reasons (field labels, not keys); nothing stored.
    assert dialog.isVisible() and view.dialog is dialog and dialog.result_values is None
    message = dialog.message.text()
    assert _("Age to") in message and _("Age from") in message and "age_max" not in message
    assert "ISO" in message
    assert offers.list_offers(open_vault) == []
    dialog.widgets["age_min"].setText("18")
    dialog.widgets["age_max"].setText("27")
    dialog.widgets["languages"].setText("de")
    _save(qtbot, view)
    assert [o.name for o in offers.list_offers(open_vault)] == ["Jugendwerkstatt Öffnungszeiten"]


def test_a_refusal_when_saving_reopens_the_form_with_everything_typed(qtbot, view, open_vault, monkeypatch) -> None:
    def refuse(*_a, **_k):
        raise InputRejectedError("Der Träger wurde inzwischen gelöscht.")

    monkeypatch.setattr(offers, "save_offer", refuse)
    view.new_offer_button.click()
    first = view.dialog
    _type(first.widgets["name"], "Nähwerkstatt für Frauen")
    _choose(first.widgets["category"], "FREIZEIT_EHRENAMT")
    first.widgets["runs_until"].setText("30.06.2027")
    _tick(first.widgets["statuses"], {"DULDUNG_60B"})
    first.save_button.click()
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog is not first, timeout=TIMEOUT)
    again = view.dialog
    assert again.isVisible() and "inzwischen gelöscht" in again.message.text()
    values, problems = again.values()
    assert problems == [] and values["name"] == "Nähwerkstatt für Frauen"
    assert values["category"] == "FREIZEIT_EHRENAMT" and values["runs_until"] == "2027-06-30"
    assert values["statuses"] == ["DULDUNG_60B"]
    again.reject()


# --------------------------------------------------------------------------- CSV


def test_export_writes_the_exact_bytes(qtbot, view, open_vault, tmp_path: Path, monkeypatch) -> None:
    _add_sample(open_vault)
    _reload(qtbot, view)
    target = tmp_path / "export" / "angebote.csv"
    target.parent.mkdir()
    asked = {}

    def save_name(_parent, _title, suggested, file_filter):
        asked["name"], asked["filter"] = Path(suggested).name, file_filter
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    view.export_button.click()
    assert not view.export_button.isEnabled()  # once at a time
    qtbot.waitUntil(lambda: str(target) in view.offer_status.text(), timeout=TIMEOUT)
    assert asked == {"name": "angebote.csv", "filter": "CSV (*.csv)"}
    assert target.read_bytes() == offers.export_csv(open_vault)
    assert str(target) in view.offer_status.text() and view.export_button.isEnabled()


def _csv(*rows: str) -> bytes:
    header = "name;category;provider;age_min;age_max;statuses;place;runs_until"
    return ("\ufeff" + "\r\n".join((header,) + rows) + "\r\n").encode("utf-8")


def test_import_of_a_good_file_adds_offers(qtbot, view, open_vault, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "angebote.csv"
    source.write_bytes(_csv("Sprachcafé Rheine;SPRACHE_SONSTIGE;Jugendzentrum Rheine;;;;Rheine;",
                            "Bewerbungstraining;GK_B4_VORBEREITUNG;;16;27;DULDUNG_60A|AE_25A;Emsdetten;2027-06-30"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda _p, _t, _d, file_filter: (str(source), "") if file_filter == "CSV (*.csv)" else ("", "")))
    with qtbot.waitSignal(view.changed, timeout=TIMEOUT), qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.import_button.click()
    assert sorted(o.name for o in offers.list_offers(open_vault)) == ["Bewerbungstraining", "Sprachcafé Rheine"]
    assert set(_names(view)) == {"Bewerbungstraining", "Sprachcafé Rheine"}
    status = view.offer_status.text()
    assert _("CSV imported: {added} added, {updated} updated.").format(added=2, updated=0) in status
    assert status.split(".", 1)[1].strip().startswith("1")  # one partner made from the provider column
    assert any(p.name == "Jugendzentrum Rheine" for p in offers.list_partners(open_vault))
    assert view.import_button.isEnabled()


def test_import_of_a_file_with_a_bad_row_warns_and_changes_nothing(qtbot, view, open_vault, tmp_path: Path,
                                                                   monkeypatch, warnings) -> None:
    _add_sample(open_vault)
    _reload(qtbot, view)
    before = offers.export_csv(open_vault)
    source = tmp_path / "angebote.csv"
    source.write_bytes(_csv("Sprachcafé Rheine;SPRACHE_SONSTIGE;;;;;Rheine;",
                            "Kaputt;SPRACHE_SONSTIGE;;30;20;;Rheine;"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), "")))
    view.import_button.click()
    qtbot.waitUntil(lambda: len(warnings) == 1, timeout=TIMEOUT)
    ops.wait_all()
    assert _("row {n}").format(n=3) in warnings[0] and "age_max" in warnings[0]
    assert offers.export_csv(open_vault) == before
    assert view.offers_model.rowCount() == 4 and view.offer_status.text() == ""
    assert view.import_button.isEnabled()


def test_import_of_an_unreadable_file_warns(qtbot, view, tmp_path: Path, monkeypatch, warnings) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(tmp_path / "gone.csv"), "")))
    view.import_button.click()
    qtbot.waitUntil(lambda: len(warnings) == 1, timeout=TIMEOUT)
    assert warnings[0] == _("The file could not be read. Nothing was changed.")


# --------------------------------------------------------------------------- partners


def test_partner_with_contact_persons(qtbot, view, open_vault, confirm, qtmodeltester) -> None:
    view.tabs.setCurrentIndex(view.PARTNERS_TAB)
    view.new_partner_button.click()
    dialog = view.dialog
    _type(dialog.widgets["name"], "Flüchtlingsberatung Diakonie")
    _choose(dialog.widgets["partner_type"], "BERATUNGSSTELLE")
    _type(dialog.widgets["address"], "Münsterstraße 5, Rheine")
    dialog.widgets["phone"].setText("05971 12345")
    dialog.widgets["alliance_member"].setChecked(True)
    _save(qtbot, view)
    (partner,) = [p for p in offers.list_partners(open_vault) if not p.seeded]
    assert (partner.name, partner.partner_type, partner.address, partner.phone, partner.email, partner.alliance_member) == (
        "Flüchtlingsberatung Diakonie", "BERATUNGSSTELLE", "Münsterstraße 5, Rheine", "05971 12345", None, True)
    selected = view.partners_model.row_at(view.partners_table.selectionModel().selectedRows()[0].row())
    assert selected["id"] == partner.id
    row = view.partners_table.selectionModel().selectedRows()[0].row()
    assert [view.partners_model.index(row, c).data() for c in range(5)] == [
        "Flüchtlingsberatung Diakonie", view.partners_model.index(row, 1).data(), "05971 12345", "", _("yes")]
    assert "Münsterstraße 5, Rheine" in view.partner_detail.toPlainText()

    # A contact person: added from the partners tab, stored with the partner.
    assert view.new_contact_button.isEnabled() and not view.edit_contact_button.isEnabled()
    view.new_contact_button.click()
    contact_dialog = view.dialog
    _type(contact_dialog.widgets["name"], "Ayşe Doğan")
    _type(contact_dialog.widgets["role"], "Verfahrensberatung")
    contact_dialog.widgets["email"].setText("dogan@example.org")
    _choose(contact_dialog.widgets["secure_channel"], "EMAIL_VERSCHLUESSELT")
    _save(qtbot, view)
    (stored,) = offers.list_partners(open_vault)[[p.id for p in offers.list_partners(open_vault)].index(partner.id)].contacts
    assert (stored["name"], stored["role"], stored["email"], stored["phone"], stored["secure_channel"]) == (
        "Ayşe Doğan", "Verfahrensberatung", "dogan@example.org", None, "EMAIL_VERSCHLUESSELT")
    qtmodeltester.check(view.contacts_model)
    assert view.contacts_model.rowCount() == 1
    assert view.contacts_model.index(0, 0).data() == "Ayşe Doğan"
    assert view.contacts_model.index(0, 4).data() not in ("", "EMAIL_VERSCHLUESSELT")

    # Change it (Enter on its row), then a second one, then delete the first.
    view.contacts_table.setFocus()
    select_row(view.contacts_table, 0)
    qtbot.keyClick(view.contacts_table, Qt.Key.Key_Return)
    view.dialog.widgets["phone"].setText("05971 999")
    _save(qtbot, view)
    contacts = {c["name"]: c for c in _partner(open_vault, partner.id).contacts}
    assert contacts["Ayşe Doğan"]["phone"] == "05971 999" and contacts["Ayşe Doğan"]["id"] == stored["id"]
    view.new_contact_button.click()
    _type(view.dialog.widgets["name"], "Jonas Weber")
    _save(qtbot, view)
    assert view.contacts_model.rowCount() == 2
    select_row(view.contacts_table, [view.contacts_model.row_at(i)["name"] for i in range(2)].index("Ayşe Doğan"))
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.delete_contact_button.click()
    assert [c["name"] for c in _partner(open_vault, partner.id).contacts] == ["Jonas Weber"]
    assert "Ayşe Doğan" in confirm[0][-1]

    # Change the partner: its contact persons stay.
    _select_partner(view, "Flüchtlingsberatung Diakonie")
    view.edit_partner_button.click()
    assert view.dialog.widgets["alliance_member"].isChecked()
    view.dialog.widgets["name"].setText("Flüchtlingsberatung der Diakonie Rheine")
    _save(qtbot, view)
    changed = _partner(open_vault, partner.id)
    assert changed.name == "Flüchtlingsberatung der Diakonie Rheine" and [c["name"] for c in changed.contacts] == ["Jonas Weber"]


def _partner(vault, partner_id: str):
    return next(p for p in offers.list_partners(vault) if p.id == partner_id)


def test_deleting_partners(qtbot, view, open_vault, confirm, warnings) -> None:
    fresh = offers.save_partner(open_vault, {"name": "Sportverein Eintracht", "partner_type": "VEREIN"}, source="gui")
    used = offers.save_partner(open_vault, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE"}, source="gui")
    offers.save_offer(open_vault, {"name": "Ausbildungsvorbereitung", "category": "SCHULE", "partner_id": used}, source="gui")
    _reload(qtbot, view)
    asked, _reply = confirm

    # A seeded partner: refused with a message, without asking first.
    seeded = next(p for p in offers.list_partners(open_vault) if p.seeded)
    _select_partner(view, seeded.name)
    view.delete_partner_button.click()
    ops.wait_all()
    assert warnings == [_("This partner comes with the app; change its name and address instead.")] and asked == []
    assert any(p.id == seeded.id for p in offers.list_partners(open_vault))

    # A partner an offer names: the service refuses; the message says why.
    _select_partner(view, "Berufskolleg Rheine")
    assert "Ausbildungsvorbereitung" in view.partner_detail.toPlainText()
    view.delete_partner_button.click()
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=TIMEOUT)
    assert warnings[1] == _("The partner is still named in {what}; it cannot be deleted.").format(what=_("offers"))
    assert any(p.id == used for p in offers.list_partners(open_vault))

    # A fresh one is deleted after the question.
    _select_partner(view, "Sportverein Eintracht")
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.delete_partner_button.click()
    assert "Sportverein Eintracht" in asked[-1]
    assert all(p.id != fresh for p in offers.list_partners(open_vault))
    assert "Sportverein Eintracht" not in [view.partners_model.row_at(i)["name"] for i in range(view.partners_model.rowCount())]


# --------------------------------------------------------------------------- keys, clear


def test_keys(qtbot, view, open_vault, confirm) -> None:
    _add_sample(open_vault)
    _reload(qtbot, view)
    view.activateWindow()
    qtbot.waitUntil(lambda: view.isActiveWindow(), timeout=TIMEOUT)
    view.offers_table.setFocus()
    qtbot.keyClick(view.offers_table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    # Down from the search field moves into the list.
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.offers_table.hasFocus() and view.offers_table.selectionModel().selectedRows()
    # Del in the search field edits the text and deletes nothing.
    view.search.setText("ab")
    view.search.setFocus()
    view.search.setCursorPosition(0)
    qtbot.keyClick(view.search, Qt.Key.Key_Delete)
    assert view.search.text() == "b" and confirm[0] == []
    view.search.clear()
    # Del in the list deletes the selected offer (after the question).
    _select(view, "JMD-Beratung")
    view.offers_table.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        qtbot.keyClick(view.offers_table, Qt.Key.Key_Delete)
    assert "JMD-Beratung" in confirm[0][-1] and "JMD-Beratung" not in _names(view)
    # Ctrl+N: a new offer on the first tab, a new partner on the second.
    qtbot.keyClick(view.age_filter, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.dialog is not None and view.dialog.windowTitle() == _("New offer")
    view.dialog.reject()
    view.tabs.setCurrentIndex(view.PARTNERS_TAB)
    view.partners_table.setFocus()
    qtbot.keyClick(view.partners_table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.dialog is not None and view.dialog.windowTitle() == _("New partner")
    view.dialog.reject()


def test_keys_win_over_the_main_windows_actions(qtbot, open_vault) -> None:
    """The main window has Ctrl+N (new client) and Ctrl+F (search clients) as window shortcuts;
    inside this page the page's meaning applies, outside it the window's."""
    window = QMainWindow()
    qtbot.addWidget(window)
    fired: list[str] = []
    for key, name in (("Ctrl+N", "new client"), ("Ctrl+F", "search clients")):
        action = QAction(name, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False, n=name: fired.append(n))
        window.addAction(action)
    page = DirectoryView(open_vault)
    holder = QWidget()
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    outside = QLineEdit()
    layout = QVBoxLayout(holder)
    layout.addWidget(page)
    layout.addWidget(outside)
    window.setCentralWidget(holder)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=TIMEOUT)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.reload()
    page.offers_table.setFocus()
    qtbot.keyClick(page.offers_table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus() and fired == []
    qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is not None and fired == []
    page.dialog.reject()
    outside.setFocus()
    qtbot.keyClick(outside, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["new client"]
    QTest.keyClick(outside, Qt.Key.Key_End)  # QTest leaves Ctrl "held" after a Ctrl+key click
    page.clear()


def test_clear_forgets_everything(qtbot, view, open_vault) -> None:
    _add_sample(open_vault)
    offers.save_partner(open_vault, {"name": "Caritas", "contacts": [{"name": "Frau Berg"}]}, source="gui")
    _reload(qtbot, view)
    _select_partner(view, "Caritas")
    assert view.contacts_model.rowCount() == 1
    view.tabs.setCurrentIndex(view.OFFERS_TAB)
    view.search.setText("kurs")
    _select(view, "Berufssprachkurs B1")
    view.edit_offer_button.click()
    dialog = view.dialog
    assert dialog is not None
    view.reload()  # its answer arrives after the lock and must not reach the screen
    view.clear()
    ops.wait_all()
    qtbot.wait(50)
    assert dialog.isHidden() and view.dialog is None
    for model in (view.offers_model, view.partners_model, view.contacts_model):
        assert model.rowCount() == 0
    assert view.search.text() == "" and view.offer_detail.toPlainText() == "" and view.partner_detail.toPlainText() == ""
    assert view.count_label.text().startswith("0")
    for button in (view.new_offer_button, view.import_button, view.export_button, view.new_partner_button,
                   view.new_contact_button, view.edit_offer_button):
        assert not button.isEnabled()
    view.reload()  # does nothing without a vault
    view.new_offer()
    ops.wait_all()
    assert view.offers_model.rowCount() == 0 and view.dialog is None
