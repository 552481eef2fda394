"""Neues Gespräch: typing, autosaved drafts, saving, keeping or discarding, and locking."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton, QWidget

from gk_desktop.i18n import _
from gk_desktop.services import clients, contacts, drafts
from gk_desktop.ui import ops
from gk_desktop.ui import interview_editor as ie
from gk_desktop.ui.interview_editor import DRAFT_KIND, InterviewEditor

TODAY = "2026-11-25"
NOTE = "Gespräch über die Ausbildung: Zeugnisse übersetzen lassen, Termin bei der ABH – Şükrü bringt die Duldung mit."
AGREEMENTS = "Klient lässt das Zeugnis bis Freitag übersetzen."


# --------------------------------------------------------------------------- helpers


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, ü, ş and Arabic included (qtbot.keyClicks aborts on those; STYLE.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def answer_question(button_name: str, seen: list[str]) -> None:
    """Answer the next modal question with a button (by object name)."""

    def handle() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.findChild(QPushButton, button_name).click()

    QTimer.singleShot(0, handle)


def settle(editor: InterviewEditor | None = None) -> None:
    """Let every draft save land (and its result come back to the GUI thread)."""
    ops.wait_all()
    QApplication.processEvents()
    ops.wait_all()


def the_drafts(vault) -> list[drafts.DraftInfo]:
    settle()
    return drafts.list_drafts(vault, DRAFT_KIND)


@pytest.fixture
def vault(open_vault, monkeypatch):
    monkeypatch.setenv("GK_TODAY", TODAY)
    yield open_vault
    ops.wait_all()


@pytest.fixture
def client(vault) -> clients.AddResult:
    return clients.add_client(vault, {"first_name": "Şükrü", "last_name": "Yılmaz", "birth_date": "2003-03-03"})


@pytest.fixture
def make_editor(qtbot, vault, client):
    made: list[InterviewEditor] = []

    def make(draft: drafts.DraftInfo | None = None, interval: int = 50) -> InterviewEditor:
        editor = InterviewEditor(vault, client.case_code, client.id, draft=draft)
        editor.autosave_timer.setInterval(interval)
        # Closed at the end without the question (which would wait for an answer) and without
        # further autosaves.
        qtbot.addWidget(editor, before_close_func=_close_quietly)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.at)
        made.append(editor)
        return editor

    yield make
    ops.wait_all()


def _close_quietly(editor: InterviewEditor) -> None:
    editor._closed = True
    editor.autosave_timer.stop()
    QDialog.done(editor, QDialog.DialogCode.Rejected)


@pytest.fixture
def editor(make_editor) -> InterviewEditor:
    return make_editor()


def fill(editor: InterviewEditor) -> None:
    editor.duration.setValue(45)
    editor.contact_type.setCurrentIndex(editor.contact_type.findData("TELEFONISCH"))
    type_text(editor.place, "Büro")
    type_text(editor.participants, "Klient, Frau Özdemir (Mentorin)")
    editor.interpreter.setCurrentIndex(editor.interpreter.findData("PROFESSIONELL"))
    type_text(editor.interpreter_language, "Arabisch")
    for area in ("AUSBILDUNG", "AUFENTHALT"):
        tick(editor, area)
    type_text(editor.note, NOTE)
    type_text(editor.agreements, AGREEMENTS)


def mnemonic(label: QLabel) -> Qt.Key:
    text = label.text()
    return Qt.Key(ord(text[text.index("&") + 1].upper()))


def tick(editor: InterviewEditor, area: str) -> None:
    for row in range(editor.need_areas.count()):
        item = editor.need_areas.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == area:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(area)


# --------------------------------------------------------------------------- autosave


def test_typing_is_autosaved_as_a_draft(qtbot, vault, client, editor) -> None:
    fill(editor)
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    (draft,) = the_drafts(vault)
    assert draft.id == editor.draft_id and draft.client_id == client.id and draft.kind == "contact"
    data = draft.payload["contact"]
    assert draft.payload["case_code"] == client.case_code
    assert data["note"] == NOTE and data["agreements"] == AGREEMENTS
    assert (data["place"], data["participants"]) == ("Büro", "Klient, Frau Özdemir (Mentorin)")
    assert (data["interpreter"], data["interpreter_language"]) == ("PROFESSIONELL", "Arabisch")
    assert data["need_areas"] == ["AUSBILDUNG", "AUFENTHALT"]
    assert (data["duration_min"], data["contact_type"]) == (45, "TELEFONISCH")
    assert editor.status.text().startswith(_("Draft saved {time}").split("{")[0])

    # Typing on updates the same draft.
    type_text(editor.note, " Nachtrag: الموعد")
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    (again,) = the_drafts(vault)
    assert again.id == draft.id and again.payload["contact"]["note"] == NOTE + " Nachtrag: الموعد"


def test_nothing_is_saved_before_anything_changed(qtbot, vault, editor) -> None:
    qtbot.wait(200)  # four autosave intervals
    assert the_drafts(vault) == []
    assert not editor.autosave_timer.isActive()


def test_leaving_the_note_saves_at_once(qtbot, vault, make_editor) -> None:
    editor = make_editor(interval=60_000)  # the timer would not fire within the test
    editor.note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.note)
    type_text(editor.note, NOTE)
    assert editor.autosave_timer.isActive()
    with qtbot.waitSignal(editor.draft_saved, timeout=5000):
        QTest.keyClick(editor.note, Qt.Key.Key_Tab)  # Tab leaves the note
    assert QApplication.focusWidget() is editor.agreements
    assert the_drafts(vault)[0].payload["contact"]["note"] == NOTE


def test_at_most_one_save_in_flight_and_the_latest_text_wins(qtbot, vault, editor, monkeypatch) -> None:
    gate = threading.Event()
    calls: list[str] = []
    real = drafts.save_draft

    def slow_save(vault_, kind, payload, **kw):
        calls.append(payload["contact"]["note"])
        if len(calls) == 1:
            assert gate.wait(10)
        return real(vault_, kind, payload, **kw)

    monkeypatch.setattr(drafts, "save_draft", slow_save)
    type_text(editor.note, "erste Fassung")
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)
    type_text(editor.note, ", zweite")
    qtbot.wait(200)  # the timer fires while the first save hangs: no second save starts
    assert len(calls) == 1 and not editor.draft_is_current()
    type_text(editor.note, ", dritte")
    editor.autosave_now()
    assert len(calls) == 1
    gate.set()
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    assert calls == ["erste Fassung", "erste Fassung, zweite, dritte"]
    assert [d.payload["contact"]["note"] for d in the_drafts(vault)] == ["erste Fassung, zweite, dritte"]


def test_a_long_note_costs_a_keystroke_only_a_timer_restart(qtbot, vault, editor, monkeypatch) -> None:
    # The design that keeps 20,000 characters fluid: a keystroke marks the form and restarts the
    # timer; the text is read (and sent to the vault) once per autosave, never per keystroke.
    long_note = ("Lange Notiz über den Verlauf – ğüşıöç – مرحبا. " * 500)[:20_000]
    editor.autosave_timer.setInterval(60_000)
    editor.note.setPlainText(long_note)  # pasted
    editor.note.setFocus()
    editor.note.moveCursor(editor.note.textCursor().MoveOperation.End)
    reads: list[int] = []
    real_payload = editor.form_payload
    monkeypatch.setattr(editor, "form_payload", lambda: reads.append(1) or real_payload())
    starts: list[int] = []
    real_start = editor.autosave_timer.start
    monkeypatch.setattr(editor.autosave_timer, "start", lambda *a: starts.append(1) or real_start(*a))
    fired: list[int] = []
    editor.autosave_timer.timeout.connect(lambda: fired.append(1))
    typed = " Ergänzung nach dem Telefonat"
    type_text(editor.note, typed)
    # Per keystroke: one timer (re)start, no read of the text, no save.
    assert len(starts) == len(typed) and reads == [] and fired == []
    assert editor.autosave_timer.isActive() and not editor.draft_is_current()
    editor.autosave_timer.setInterval(50)
    editor.autosave_timer.start()
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    assert reads == [1]
    (draft,) = the_drafts(vault)
    assert draft.payload["contact"]["note"] == long_note + " Ergänzung nach dem Telefonat"


def test_steady_typing_is_saved_without_a_pause(qtbot, vault, editor, monkeypatch) -> None:
    # The timer restarts with every change, but not for ever: a worker typing on without a pause
    # still gets a draft at the latest AUTOSAVE_MAX_DELAY_MS (+ one interval) after the first change.
    monkeypatch.setattr(ie, "AUTOSAVE_MAX_DELAY_MS", 100)
    editor.autosave_timer.setInterval(300)
    landed: list[str] = []
    editor.draft_saved.connect(landed.append)
    for _i in range(250):  # one key every 20 ms: never a pause as long as the interval
        type_text(editor.note, "x")
        qtbot.wait(20)
        if landed:
            break
    assert landed, "no draft while typing on"
    assert the_drafts(vault)[0].payload["contact"]["note"].startswith("x")


def test_leaving_the_dialog_saves_at_once(qtbot, vault, make_editor) -> None:
    editor = make_editor(interval=60_000)
    type_text(editor.note, NOTE)
    other = QWidget()
    qtbot.addWidget(other)
    with qtbot.waitSignal(editor.draft_saved, timeout=5000):
        other.show()
        other.activateWindow()
    assert the_drafts(vault)[0].payload["contact"]["note"] == NOTE


# --------------------------------------------------------------------------- saving


def test_save_records_the_interview_and_deletes_the_draft(qtbot, vault, client, editor) -> None:
    fill(editor)
    editor.has_next.setChecked(True)
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    assert len(the_drafts(vault)) == 1
    with qtbot.waitSignal(editor.saved, timeout=5000) as blocker:
        QTest.keyClick(editor.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible() and editor.result() == QDialog.DialogCode.Accepted
    (c,) = clients.show_client(vault, client.case_code)["contacts"]
    assert c["id"] == blocker.args[0]
    assert c["note"] == NOTE and c["agreements"] == AGREEMENTS
    assert c["need_areas"] == ["AUSBILDUNG", "AUFENTHALT"]
    assert (c["duration_min"], c["contact_type"], c["place"]) == (45, "TELEFONISCH", "Büro")
    assert (c["interpreter"], c["interpreter_language"]) == ("PROFESSIONELL", "Arabisch")
    assert c["datetime"].startswith("2026-11-2") and c["next_appointment"] is not None
    assert the_drafts(vault) == []


def test_save_with_ctrl_s_right_after_typing(qtbot, vault, client, make_editor) -> None:
    editor = make_editor(interval=60_000)  # no autosave ran: the draft never existed
    type_text(editor.note, NOTE)
    with qtbot.waitSignal(editor.saved, timeout=5000):
        QTest.keyClick(editor.note, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [c["note"] for c in clients.show_client(vault, client.case_code)["contacts"]] == [NOTE]
    assert the_drafts(vault) == []


def test_refused_input_shows_the_message_and_keeps_everything(qtbot, vault, client, editor) -> None:
    fill(editor)
    # The spin box stops at 1440; a form that let more through gets the service's message.
    editor.duration.setMaximum(5000)
    editor.duration.setValue(2000)
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.message.isVisible(), timeout=5000)
    text = editor.message.text()
    assert _("D&uration").replace("&", "") + ": " in text and "1440" in text
    assert "duration_min" not in text  # the label, not the JSON key
    assert editor.isVisible() and editor.note.toPlainText() == NOTE
    assert editor.agreements.toPlainText() == AGREEMENTS
    assert QApplication.focusWidget() is editor.duration
    assert clients.show_client(vault, client.case_code)["contacts"] == []
    (draft,) = the_drafts(vault)  # the draft holds exactly what the form holds
    assert draft.payload["contact"]["note"] == NOTE and draft.payload["contact"]["duration_min"] == 2000
    # Corrected, it saves.
    editor.duration.setValue(90)
    assert not editor.message.isVisible()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save_button.click()
    assert [c["duration_min"] for c in clients.show_client(vault, client.case_code)["contacts"]] == [90]
    assert the_drafts(vault) == []


def test_a_note_longer_than_allowed_is_refused_with_its_label(qtbot, vault, client, editor) -> None:
    too_long = "ü" * (contacts.MAX_NOTE_CHARS + 1)
    editor.note.setPlainText(too_long)
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.message.isVisible(), timeout=5000)
    assert editor.message.text().count(_("&Note").replace("&", "") + ":") == 1
    assert editor.note.toPlainText() == too_long
    assert QApplication.focusWidget() is editor.note
    assert clients.show_client(vault, client.case_code)["contacts"] == []


# --------------------------------------------------------------------------- resuming


def test_resume_from_a_draft(qtbot, vault, client, make_editor) -> None:
    payload = {"version": 1, "case_code": client.case_code, "contact": {
        "datetime": "2026-11-24T09:30:00+01:00", "duration_min": 30, "contact_type": "AUFSUCHEND",
        "place": "Unterkunft", "participants": "Klient", "interpreter": "FAMILIE",
        "interpreter_language": "Tigrinya", "need_areas": ["WOHNEN", "GESUNDHEIT"], "note": NOTE,
        "agreements": AGREEMENTS, "next_appointment": "2026-12-01T10:00:00+01:00"}}
    draft_id = drafts.save_draft(vault, DRAFT_KIND, payload, client_id=client.id)
    (draft,) = drafts.list_drafts(vault, DRAFT_KIND)
    editor = make_editor(draft=draft)
    assert editor.draft_id == draft_id
    assert editor.contact_data() == {**payload["contact"],
                                     "datetime": editor.contact_data()["datetime"],
                                     "next_appointment": editor.contact_data()["next_appointment"]}
    assert editor.at.dateTime().toString("dd.MM.yyyy") in ("24.11.2026", "25.11.2026")
    assert editor.next_at.isEnabled() and editor.interpreter_language.isEnabled()
    assert editor.status.text().startswith(_("Continuing the draft of {date}, {time}").split("{")[0])
    assert editor.draft_is_current()  # filling the fields is no change
    type_text(editor.note, " – ergänzt")
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    (after,) = the_drafts(vault)
    assert after.id == draft_id and after.payload["contact"]["note"] == NOTE + " – ergänzt"
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save()
    (c,) = clients.show_client(vault, client.case_code)["contacts"]
    assert c["datetime"] == "2026-11-24T08:30:00+00:00" and c["need_areas"] == ["WOHNEN", "GESUNDHEIT"]
    assert c["next_appointment"] == "2026-12-01T09:00:00+00:00"
    assert the_drafts(vault) == []


# --------------------------------------------------------------------------- cancelling and locking


def test_cancel_and_keep_the_draft(qtbot, vault, make_editor) -> None:
    editor = make_editor(interval=60_000)
    type_text(editor.note, NOTE)  # no autosave yet: keeping must save it
    seen: list[str] = []
    answer_question("keep_draft", seen)
    QTest.keyClick(editor.note, Qt.Key.Key_Escape)
    assert seen == [_("Keep the draft?")]
    assert not editor.isVisible()
    (draft,) = the_drafts(vault)
    assert draft.id == editor.draft_id and draft.payload["contact"]["note"] == NOTE


def test_cancel_and_discard(qtbot, vault, editor) -> None:
    type_text(editor.note, NOTE)
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    assert len(the_drafts(vault)) == 1
    seen: list[str] = []
    answer_question("discard", seen)
    editor.cancel_button.click()
    assert seen and not editor.isVisible()
    assert the_drafts(vault) == []


def test_cancel_then_continue_editing(qtbot, vault, editor) -> None:
    type_text(editor.note, NOTE)
    seen: list[str] = []
    answer_question("keep_editing", seen)
    editor.cancel_button.click()
    assert seen and editor.isVisible() and editor.note.toPlainText() == NOTE
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    assert the_drafts(vault)[0].payload["contact"]["note"] == NOTE


def test_cancel_without_content_closes_without_asking(qtbot, vault, editor, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda self: pytest.fail("asked"))
    type_text(editor.place, "x")
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    editor.place.setText("")  # typed and taken back: nothing to keep
    editor.cancel_button.click()
    assert not editor.isVisible()
    assert the_drafts(vault) == []


def test_close_for_lock_keeps_the_latest_text(qtbot, vault, client, make_editor, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda self: pytest.fail("asked"))
    editor = make_editor(interval=50)
    type_text(editor.note, "früher Stand")
    qtbot.waitUntil(editor.draft_is_current, timeout=5000)
    editor.autosave_timer.setInterval(60_000)
    type_text(editor.note, " und der letzte Satz vor dem Sperren")
    type_text(editor.participants, "Frau Özdemir")
    assert not editor.draft_is_current()
    editor.close_for_lock()
    assert not editor.isVisible()
    # Nothing of the case is left in the widgets.
    texts = [w.text() for w in editor.findChildren(QLabel)] + [editor.note.toPlainText(), editor.participants.text()]
    assert not any("Sperren" in t or "Özdemir" in t for t in texts)
    assert not editor.note.document().isUndoAvailable()
    # The save was queued before the lock would close the vault, so it lands.
    (draft,) = the_drafts(vault)
    assert draft.payload["contact"]["note"] == "früher Stand und der letzte Satz vor dem Sperren"
    assert draft.payload["contact"]["participants"] == "Frau Özdemir"


def test_close_for_lock_while_the_interview_is_being_saved(qtbot, vault, client, editor) -> None:
    fill(editor)
    editor.save()
    editor.close_for_lock()
    settle()
    assert [c["note"] for c in clients.show_client(vault, client.case_code)["contacts"]] == [NOTE]
    assert the_drafts(vault) == []


# --------------------------------------------------------------------------- keyboard


def test_every_field_has_a_label_with_a_mnemonic_and_a_tab_stop(editor) -> None:
    labels = [editor.at_label, editor.duration_label, editor.type_label, editor.place_label,
              editor.participants_label, editor.interpreter_label, editor.language_label,
              editor.need_areas_label, editor.note_label, editor.agreements_label, editor.next_label]
    keys = []
    for label in labels:
        assert label.buddy() is not None and "&" in label.text()
        keys.append(label.text()[label.text().index("&") + 1].lower())
    keys.append(editor.save_button.text()[editor.save_button.text().index("&") + 1].lower())
    assert len(set(keys)) == len(keys), keys  # no mnemonic twice
    for widget in (editor.at, editor.duration, editor.contact_type, editor.place, editor.participants,
                   editor.interpreter, editor.need_areas, editor.note, editor.agreements, editor.has_next):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert widget.accessibleName()


def test_keyboard_only(qtbot, vault, client, editor) -> None:
    # Alt+mnemonic jumps to a field; Enter in a one-line field moves on; Space ticks a need area.
    QTest.keyClick(editor, mnemonic(editor.place_label), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.place)
    type_text(editor.place, "Büro")
    QTest.keyClick(editor.place, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor.participants and editor.isVisible()
    editor.need_areas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.need_areas)
    QTest.keyClick(editor.need_areas, Qt.Key.Key_Down)
    QTest.keyClick(editor.need_areas, Qt.Key.Key_Space)
    assert editor.checked_need_areas() == ["SCHULE_BILDUNG"]
    QTest.keyClick(editor.need_areas, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.note
    type_text(editor.note, NOTE)
    QTest.keyClick(editor.note, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.agreements
    QTest.keyClick(editor.agreements, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.has_next
    QTest.keyClick(editor.has_next, Qt.Key.Key_Space)
    assert editor.has_next.isChecked() and editor.next_at.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        QTest.keyClick(editor.has_next, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (c,) = clients.show_client(vault, client.case_code)["contacts"]
    assert (c["place"], c["need_areas"], c["note"]) == ("Büro", ["SCHULE_BILDUNG"], NOTE)


def test_default_time_is_now_rounded_to_five_minutes(monkeypatch) -> None:
    import datetime as dt

    monkeypatch.setenv("GK_TODAY", TODAY)
    assert ie.default_start(dt.datetime(2026, 3, 1, 9, 32, 29)) == dt.datetime(2026, 11, 25, 9, 30)
    assert ie.default_start(dt.datetime(2026, 3, 1, 9, 32, 31)) == dt.datetime(2026, 11, 25, 9, 35)
    assert ie.default_start(dt.datetime(2026, 3, 1, 23, 58)) == dt.datetime(2026, 11, 26, 0, 0)
