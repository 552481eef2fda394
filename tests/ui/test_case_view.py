"""The case view: tabs along the case, read from the file; the embassy warning; interviews."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gk_desktop.services import clients, contacts
from gk_desktop.ui import ops
from gk_desktop.ui.case_view import CaseView, embassy_warning_applies
from gk_desktop.ui.client_view import client_html


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


FILE = {
    "first_name": "Aya", "last_name": "Nour", "birth_date": "2004-08-09", "internal_notes": "<b>nicht fett</b>",
    "name_variants": ["آية نور"],
    "residence_periods": [{"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2024-01-10", "valid_until": "2027-01-09",
                           "issuing_office": "ABH Rheine", "source": "DOKUMENT_GESEHEN"}],
    "asylum_procedures": [{"stage": "ANHOERUNG", "applied_on": "2024-01-20"}],
    "identity_status": {"clarified": "TEILWEISE", "documents_available": "Geburtsurkunde"},
    "identity_efforts": [{"date": "2026-12-01", "action": "BOTSCHAFTSTERMIN", "result": "geplant"}],
    "education_records": [{"institution": "Berufskolleg Rheine", "programme": "IFK", "country": "DE",
                           "start_date": "2024-08-01", "attendance_ok": True}],
    "language_certificates": [{"language": "de", "level": "A2", "evidence": "DTZ", "date": "2025-06-01"}],
    "work_records": [{"type": "PRAKTIKUM", "employer": "Bäckerei Schmitz", "start_date": "2025-03-01",
                      "actual_end_date": "2025-03-28"}],
}


@pytest.fixture
def opened(qtbot, open_vault):
    code = clients.add_client(open_vault, FILE).case_code
    contacts.add_contact(open_vault, code, {"datetime": "2026-11-20T10:00:00+01:00", "contact_type": "PERSOENLICH",
                                            "note": "Zeugnisse besprochen.", "need_areas": ["SCHULE_BILDUNG"],
                                            "agreements": "Kopien bis Montag."})
    view = CaseView(open_vault)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.open(code)
    yield view, code
    ops.wait_all()


def test_every_tab_shows_the_file(qtmodeltester, opened) -> None:
    view, code = opened
    assert "Nour, Aya" in view.title.text() and code in view.title.text()
    assert [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())] == [
        "Stammdaten", "Aufenthalt", "Bildung und Arbeit", "Gespräche", "Planung", "Vermittlungen", "Prüfungen", "Dokumente", "Einwilligungen", "Verlauf"]
    text = view.overview.toPlainText()
    assert "آية نور" in text and "<b>nicht fett</b>" in text  # escaped, shown as typed
    for model in (view.periods, view.asylum, view.efforts, view.education, view.certificates, view.work, view.interviews):
        qtmodeltester.check(model)
        assert model.rowCount() == 1
    assert view.periods.index(0, 0).data() == "Aufenthaltsgestattung" and view.periods.index(0, 1).data() == "10.01.2024"
    assert view.work.index(0, 1).data() == "Bäckerei Schmitz"
    assert "Zeugnisse besprochen." in view.interview_text.toPlainText()
    assert "Kopien bis Montag." in view.interview_text.toPlainText()


def test_embassy_warning_for_a_gestattung_holder(opened) -> None:
    view, _code = opened
    assert not view.embassy_warning.isHidden() and "Botschaft" in view.embassy_warning.text()
    assert not embassy_warning_applies({"residence_status": "DULDUNG_60A",
                                        "identity_efforts": [{"action": "BOTSCHAFTSTERMIN"}]})


def test_keyboard_back_and_new_interview(qtbot, opened) -> None:
    view, code = opened
    requested: list[tuple[str, str]] = []
    backs: list[bool] = []
    view.new_interview_requested.connect(lambda c, i: requested.append((c, i)))
    view.back.connect(lambda: backs.append(True))
    view.set_interviews_enabled(True)
    view.tabs.setCurrentIndex(3)
    view.interview_table.setFocus()
    qtbot.keyClick(view.interview_table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert requested and requested[0][0] == code
    qtbot.keyClick(view.interview_table, Qt.Key.Key_Escape)
    assert backs


def test_clear_forgets_everything(opened) -> None:
    view, _code = opened
    view.clear()
    assert view.title.text() == "" and view.overview.toPlainText() == "" and view.interviews.rowCount() == 0


def test_page_escapes_every_value(open_vault) -> None:
    code = clients.add_client(open_vault, {**FILE, "internal_notes": "<script>x</script>"}).case_code
    assert "&lt;script&gt;" in client_html(clients.show_client(open_vault, code))


def test_history_tab_lists_the_last_change_of_each_field(qtbot, opened, qtmodeltester) -> None:
    view, code = opened
    clients.update_client(view._vault, code, {"phone": "+49 1570 000 2222"})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    qtmodeltester.check(view.history)
    first = [view.history.index(0, c).data() for c in range(5)]
    assert first[1:] == ["Stammdaten", "Telefon", "+49 1570 000 2222", "dieses Gerät"]
    rows = [[view.history.index(r, c).data() for c in range(5)] for r in range(view.history.rowCount())]
    assert any(r[1].startswith("Aufenthaltsstatus") and r[2:4] == ["Status", "Aufenthaltsgestattung"] for r in rows)


def test_history_values_read_by_field() -> None:
    import datetime as dt

    from gk_desktop.services.history import FieldChange
    from gk_desktop.ui.case_view import history_row, record_names

    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
    changes = [FieldChange(at, "dev", True, "contact", "c1", "interpreter", "KEINE"),
               FieldChange(at, "dev", True, "contact", "c1", "at", "2026-11-06T13:15:00+00:00"),
               FieldChange(at, "dev", True, "client", "k1", "exclusion_outcome", "KEINE")]
    names = record_names(changes)
    rows = [history_row(c, names) for c in changes]
    assert rows[0]["value"] == "keine" and rows[0]["field"] == "Dolmetschung"
    assert rows[0]["where"].startswith("Gespräch 06.11.2026")
    assert rows[2]["value"] == "kein Ausschluss"


def test_residence_history_is_edited_in_the_case_view(qtbot, opened, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    view, code = opened
    view.tabs.setCurrentIndex(1)
    # Add: a Duldung that follows the Gestattung.
    view.add_period()
    dialog = view.period_dialog
    dialog.widgets["status"].setCurrentIndex(dialog.widgets["status"].findData("DULDUNG_60A"))
    dialog.widgets["valid_from"].setText("10.01.2027")
    dialog.widgets["valid_until"].setText("09.07.2027")
    dialog.widgets["issuing_office"].setText("ABH Rheine")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    periods = clients.show_client(view._vault, code)["client"]["residence_periods"]
    assert [(p["status"], p["valid_from"]) for p in periods] == [
        ("AUFENTHALTSGESTATTUNG", "2024-01-10"), ("DULDUNG_60A", "2027-01-10")]
    assert view.periods.index(0, 0).data() == "Duldung (§ 60a)"  # newest first
    # An impossible date is refused in the dialog; nothing is sent.
    view.periods_table.selectRow(0)
    view.edit_period()
    dialog = view.period_dialog
    dialog.widgets["valid_until"].setText("31.02.2027")
    dialog.save_button.click()
    assert dialog.isVisible() and not dialog.message.isHidden()
    dialog.widgets["valid_until"].setText("31.03.2027")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    assert clients.show_client(view._vault, code)["client"]["residence_periods"][1]["valid_until"] == "2027-03-31"
    # Delete after a question.
    monkeypatch.setattr("gk_desktop.ui.case_view.confirm_delete", lambda *a, **k: True)
    view.periods_table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.delete_period()
    assert [p["status"] for p in clients.show_client(view._vault, code)["client"]["residence_periods"]] == [
        "AUFENTHALTSGESTATTUNG"]
    # The change shows in the Verlauf.
    assert any(view.history.index(r, 1).data().startswith("Aufenthaltsstatus") for r in range(view.history.rowCount()))


def test_education_certificates_work_and_efforts_are_edited(qtbot, opened, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    view, code = opened
    view.tabs.setCurrentIndex(2)
    add, change, delete = view.list_buttons["language_certificates"]
    add.click()
    dialog = view.item_dialog
    dialog.widgets["level"].setCurrentIndex(dialog.widgets["level"].findData("B1"))
    dialog.widgets["evidence"].setText("telc Deutsch B1")
    dialog.widgets["date"].setText("12.06.2026")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    certs = clients.show_client(view._vault, code)["client"]["language_certificates"]
    assert [(c["level"], c["evidence"], c["date"]) for c in certs] == [("A2", "DTZ", "2025-06-01"),
                                                                      ("B1", "telc Deutsch B1", "2026-06-12")]
    view.work_table.selectRow(0)
    view.list_buttons["work_records"][1].click()
    dialog = view.item_dialog
    dialog.widgets["end_reason"].setCurrentIndex(dialog.widgets["end_reason"].findData("BESTANDEN"))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    assert clients.show_client(view._vault, code)["client"]["work_records"][0]["end_reason"] == "BESTANDEN"
    monkeypatch.setattr("gk_desktop.ui.case_view.confirm_delete", lambda *a, **k: True)
    view.efforts_table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.list_buttons["identity_efforts"][2].click()
    client = clients.show_client(view._vault, code)["client"]
    assert client["identity_efforts"] == [] and not embassy_warning_applies(client)
    assert view.embassy_warning.isHidden()  # no embassy appointment any more


def test_personal_data_and_asylum_are_edited(qtbot, opened) -> None:
    view, code = opened
    view.edit_personal()
    dialog = view.personal_dialog
    dialog.widgets["phone"].setText("+49 1570 000 3333")
    dialog.widgets["last_name"].setText("Nour-Haddad")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    client = clients.show_client(view._vault, code)["client"]
    assert (client["phone"], client["last_name"]) == ("+49 1570 000 3333", "Nour-Haddad")
    assert "Nour-Haddad, Aya" in view.title.text()
    rows = [[view.history.index(r, c).data() for c in range(5)] for r in range(view.history.rowCount())]
    assert ["Stammdaten", "Telefon", "+49 1570 000 3333"] in [r[1:4] for r in rows]
    view.tabs.setCurrentIndex(1)
    view.asylum_table.selectRow(0)
    view.list_buttons["asylum_procedures"][1].click()
    dialog = view.item_dialog
    dialog.widgets["stage"].setCurrentIndex(dialog.widgets["stage"].findData("BESCHEID_NEGATIV"))
    dialog.widgets["decision_served_on"].setText("20.11.2026")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    (procedure,) = clients.show_client(view._vault, code)["client"]["asylum_procedures"]
    assert (procedure["stage"], procedure["decision_served_on"]) == ("BESCHEID_NEGATIV", "2026-11-20")


def test_name_variants_languages_and_personal_contacts_are_edited(qtbot, opened) -> None:
    view, code = opened
    assert view.variants.rowCount() == 1 and view.variants.index(0, 0).data() == "آية نور"
    view.list_buttons["personal_contacts"][0].click()
    dialog = view.item_dialog
    dialog.widgets["name"].setText("Frau Berger")
    dialog.widgets["consent_to_contact"].setChecked(True)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    (person,) = clients.show_client(view._vault, code)["client"]["personal_contacts"]
    assert (person["name"], person["relation"], person["consent_to_contact"]) == ("Frau Berger", "MENTOR", True)
    view.list_buttons["name_variants"][0].click()
    dialog = view.item_dialog
    dialog.widgets["name"].setText("Aja Nur")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    from gk_desktop.services import search

    assert [h.case_code for h in search.search_vault(view._vault, "aja nur")] == [code]  # the index follows


def test_identity_status_and_nationalities_are_edited(qtbot, opened) -> None:
    view, code = opened
    view.edit_identity()
    dialog = view.identity_dialog
    dialog.widgets["clarified"].setCurrentIndex(dialog.widgets["clarified"].findData("JA"))
    dialog.widgets["passport_valid_until"].setText("31.12.2030")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    ident = clients.show_client(view._vault, code)["client"]["identity_status"]
    assert (ident["clarified"], ident["passport_valid_until"]) == ("JA", "2030-12-31")
    view.edit_personal()
    dialog = view.personal_dialog
    dialog.widgets["nationalities"].setText("sy; iq")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save_button.click()
    assert sorted(clients.show_client(view._vault, code)["client"]["nationalities"]) == ["IQ", "SY"]


def test_delete_question_has_verbs_and_cancel_is_the_default(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from gk_desktop.ui.case_view import confirm_delete

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []

    def answer(press_delete: bool) -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(sorted(b.text().replace("&", "") for b in box.buttons()))
        target = next(b for b in box.buttons() if b.text().replace("&", "") == ("Löschen" if press_delete else "Abbrechen"))
        assert box.defaultButton().text().replace("&", "") == "Abbrechen"
        target.click()

    QTimer.singleShot(0, lambda: answer(False))
    assert confirm_delete(parent, "Titel", "Eintrag löschen?") is False
    QTimer.singleShot(0, lambda: answer(True))
    assert confirm_delete(parent, "Titel", "Eintrag löschen?") is True
    assert seen[0] == ["Abbrechen", "Löschen"]
