"""The start page "Heute": the open deadlines of every file in the groups overdue / today / this week
/ later, worked out in the background (never on its own), done and dismissed in one step (dismissing
asks), opened where they are dealt with, a follow-up of one's own through a dialog that keeps what
was typed on a refusal, one client worked out again after an edit, the calendar file, case codes
only, clear() on lock, and mnemonics unique in German and English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from gk_desktop import i18n, labels
from gk_desktop.domain import deadlines as dl
from gk_desktop.i18n import _, ngettext
from gk_desktop.services import calendar, clients, deadlines, offers
from gk_desktop.ui import deadlines_view as page_mod
from gk_desktop.ui import ops, widgets
from gk_desktop.ui.case_view import CaseView
from gk_desktop.ui.consents_tab import _alive
from gk_desktop.ui.deadlines_view import GROUP_EMPTY, PLACES, WORKING, DeadlinesView, place_of
from gk_desktop.ui.referrals_tab import select_row

U = dl.Urgency
T = dl.DeadlineType
FIRSTS = ("Zqxsamir", "Zqxlina", "Zqxomar", "Zqxamal")
LAST = "Zqxhaddadname"
ON = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def _duldung(until: str) -> list[dict[str, str]]:
    return [{"status": "DULDUNG_60A", "valid_from": "2025-05-01", "valid_until": until}]


@pytest.fixture
def files(open_vault):
    """Four clients: a Duldung ended on 20.11. (overdue), one ending today, one on 30.11. (this
    week), and a passport valid until 31.03.2027 (first reminder six months before: later)."""
    v = open_vault
    base = {"last_name": LAST, "birth_date": "2001-03-01"}
    over = clients.add_client(v, dict(base, first_name=FIRSTS[0], residence_periods=_duldung("2026-11-20"))).case_code
    today = clients.add_client(v, dict(base, first_name=FIRSTS[1], residence_periods=_duldung("2026-11-25"))).case_code
    week = clients.add_client(v, dict(base, first_name=FIRSTS[2], residence_periods=_duldung("2026-11-30"))).case_code
    later = clients.add_client(v, dict(base, first_name=FIRSTS[3], identity_status={
        "clarified": "NEIN", "passport_valid_until": "2027-03-31"})).case_code
    return v, over, today, week, later


def _view(qtbot, vault, config: dl.DeadlineConfig | None = None) -> DeadlinesView:
    view = DeadlinesView(vault)
    view.config = config or dl.DeadlineConfig()  # the settings files do not matter here
    qtbot.addWidget(view)
    view.resize(1300, 850)
    view.show()
    return view


@pytest.fixture
def page(qtbot, files):
    v, over, today, week, later = files
    view = _view(qtbot, v)
    counts: list[tuple[int, int]] = []
    view.counts_changed.connect(lambda a, b: counts.append((a, b)))
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    yield view, v, over, today, week, later, counts
    ops.wait_all()


def _groups(view: DeadlinesView) -> dict[U, list[tuple[str | None, str]]]:
    return {u: [(r["case_code"], r["type"]) for r in g.model.rows()] for u, g in view.groups.items()}


def _cell(model, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


def _all_texts(view: DeadlinesView) -> list[str]:
    out: list[str] = []
    for group in view.groups.values():
        model = group.model
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = _cell(model, row, col, role)
                    if value:
                        out.append(str(value))
        out += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    out += [label.text() for label in view.findChildren(QLabel)]
    buttons = view.findChildren(QAbstractButton)
    out += [b.text() for b in buttons] + [b.toolTip() for b in buttons]
    return out


def _status_of(vault, key: str) -> dl.DeadlineStatus:
    found = [d for d in deadlines.compute(vault, on=ON, config=dl.DeadlineConfig()) if d.key == key]
    assert len(found) == 1
    return found[0].status


def _select(view: DeadlinesView, urgency: U, row: int = 0) -> dl.Deadline:
    group = view.groups[urgency]
    select_row(group.table, row)
    chosen = view.selected()
    assert chosen is not None and chosen.key == group.model.row_at(row)["id"]
    return chosen


# --------------------------------------------------------------------------- loading and content


def test_the_page_does_not_compute_on_its_own(qtbot, files, monkeypatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(deadlines, "compute", lambda *a, **k: calls.append(k) or [])
    view = _view(qtbot, files[0])
    qtbot.wait(50)
    ops.wait_all()
    assert calls == [] and view.deadlines() == []
    assert all(g.model.rowCount() == 0 and g.empty.isHidden() for g in view.groups.values())  # no "nothing due" yet
    assert not view.done_button.isEnabled() and not view.open_button.isEnabled()


def test_a_status_line_while_the_deadlines_are_worked_out(qtbot, files) -> None:
    view = _view(qtbot, files[0])
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
        assert view.status.text() == _(WORKING) and view.is_loading()
    assert view.status.text() == "" and not view.is_loading()


def test_the_groups_hold_the_right_case_codes_nearest_first(qtbot, page) -> None:
    view, _v, over, today, week, later, counts = page
    assert _groups(view) == {
        U.UEBERFAELLIG: [(over, "DULDUNG_ABLAUF")],
        U.HEUTE: [(today, "DULDUNG_ABLAUF")],
        U.DIESE_WOCHE: [(week, "DULDUNG_ABLAUF")],
        U.ERINNERUNG: [(later, "PASS_ABLAUF")],
    }
    assert counts == [(2, 1)]
    # every deadline of the computation, not only those shown (birthdays, no-contact …)
    everything = view.deadlines()
    assert len(everything) > 4 and {d.type for d in everything} >= {T.GEBURTSTAG_27, T.KEIN_KONTAKT}
    over_model = view.groups[U.UEBERFAELLIG].model
    overdue = ngettext("{n} day overdue", "{n} days overdue", 5).format(n=5)
    assert _cell(over_model, 0, 0) == f"20.11.2026, {overdue}"
    assert _cell(over_model, 0, 1) == over
    assert _cell(over_model, 0, 2) == labels.label(labels.DEADLINE_TYPE, "DULDUNG_ABLAUF")
    assert _cell(over_model, 0, 3) == "23.10.2026"  # 28 days before
    assert _cell(over_model, 0, 0, Qt.ItemDataRole.DecorationRole) is not None  # the red dot
    assert "23.10.2026" in _cell(over_model, 0, 3, Qt.ItemDataRole.ToolTipRole)  # every reminder day
    assert _cell(view.groups[U.HEUTE].model, 0, 0) == "25.11.2026"
    assert _cell(view.groups[U.ERINNERUNG].model, 0, 3) == "30.09.2026"  # six months before 31.03.2027
    for group in view.groups.values():
        assert not group.table.isHidden() and group.empty.isHidden()
        assert "(1)" in group.heading.text()
    assert "25.11.2026" in view.day_label.text() and _("Wednesday") in view.day_label.text()
    assert view.note.text() and view.status.text() == ""


def test_no_name_appears_anywhere(qtbot, page) -> None:
    view = page[0]
    texts = _all_texts(view)
    for name in (*FIRSTS, LAST):
        assert not any(name.lower() in t.lower() for t in texts), name


def test_choosing_a_row_in_one_group_lets_go_of_the_others(qtbot, page) -> None:
    view, _v, over, today, week, later, _c = page
    _select(view, U.UEBERFAELLIG)
    assert view.done_button.isEnabled() and view.dismiss_button.isEnabled() and view.open_button.isEnabled()
    chosen = _select(view, U.DIESE_WOCHE)
    assert chosen.case_code == week
    overdue = view.groups[U.UEBERFAELLIG].table
    assert not overdue.selectionModel().hasSelection() and not overdue.currentIndex().isValid()
    # Tab into a list chooses its first row
    view.groups[U.ERINNERUNG].table.setFocus()
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().case_code == later, timeout=2000)


# --------------------------------------------------------------------------- decisions


def test_done_removes_the_row_and_the_decision_persists(qtbot, page) -> None:
    view, v, over, today, week, later, counts = page
    chosen = _select(view, U.UEBERFAELLIG)
    with qtbot.waitSignal(view.deadlines_changed, timeout=10000):
        view.done_button.click()
    assert view.groups[U.UEBERFAELLIG].model.rowCount() == 0
    group = view.groups[U.UEBERFAELLIG]
    assert group.table.isHidden() and not group.empty.isHidden() and group.empty.text() == _(GROUP_EMPTY[U.UEBERFAELLIG])
    assert "(0)" in group.heading.text()
    assert over in view.status.text()
    assert counts[-1] == (1, 1)
    assert _status_of(v, chosen.key) is dl.DeadlineStatus.ERLEDIGT
    # the full list knows it too (the client list reads it)
    assert next(d for d in view.deadlines() if d.key == chosen.key).status is dl.DeadlineStatus.ERLEDIGT
    # and a new computation keeps it off the page
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    assert view.groups[U.UEBERFAELLIG].model.rowCount() == 0


def test_dismiss_asks_first_and_then_removes(qtbot, page, monkeypatch) -> None:
    view, v, over, today, week, later, counts = page
    asked: list[tuple[str, str]] = []
    answer = [False]

    def ask(_parent, title, text, verb, **_kw):
        asked.append((text, verb))
        return answer[0]

    monkeypatch.setattr(widgets, "ask", ask)
    chosen = _select(view, U.HEUTE)
    view.dismiss_button.click()
    ops.wait_all()
    assert len(asked) == 1 and today in asked[0][0] and asked[0][1] == _("Dismiss")
    assert view.groups[U.HEUTE].model.rowCount() == 1  # "Cancel": nothing happens
    assert _status_of(v, chosen.key) is dl.DeadlineStatus.OFFEN
    answer[0] = True
    with qtbot.waitSignal(view.deadlines_changed, timeout=10000):
        view.dismiss_button.click()
    assert view.groups[U.HEUTE].model.rowCount() == 0
    assert _status_of(v, chosen.key) is dl.DeadlineStatus.VERWORFEN
    assert counts[-1] == (1, 1)


def test_after_done_the_next_row_is_chosen(qtbot, files) -> None:
    v, over, today, week, later = files
    # a second overdue deadline: a follow-up of one's own, due yesterday
    deadlines.add_follow_up(v, week, "2026-11-24", "Zeugnis nachreichen")
    view = _view(qtbot, v)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    assert [r["case_code"] for r in view.groups[U.UEBERFAELLIG].model.rows()] == [over, week]
    _select(view, U.UEBERFAELLIG, 0)
    with qtbot.waitSignal(view.deadlines_changed, timeout=10000):
        view.done_button.click()
    chosen = view.selected()
    assert chosen is not None and chosen.type is T.WIEDERVORLAGE and view.done_button.isEnabled()
    ops.wait_all()


# --------------------------------------------------------------------------- opening


def test_open_emits_where_the_deadline_is_dealt_with(qtbot, page) -> None:
    view, _v, over, today, week, later, _c = page
    _select(view, U.UEBERFAELLIG)
    with qtbot.waitSignal(view.open_place, timeout=2000) as opened:
        view.open_button.click()
    assert opened.args == [over, "residence"]
    # Enter on the table, and a double-click
    _select(view, U.ERINNERUNG)
    table = view.groups[U.ERINNERUNG].table
    table.setFocus()
    with qtbot.waitSignal(view.open_place, timeout=2000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [later, "residence"]
    table = view.groups[U.DIESE_WOCHE].table
    rect = table.visualRect(view.groups[U.DIESE_WOCHE].model.index(0, 1))
    with qtbot.waitSignal(view.open_place, timeout=2000) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [week, "residence"]


def test_every_kind_of_deadline_has_a_place_in_the_file() -> None:
    for kind in T:
        if kind is T.ANGEBOT_AKTUALISIEREN:
            assert place_of(kind) is None
        else:
            assert place_of(kind) in CaseView.PLACES, kind
    assert PLACES[T.P25A_MOEGLICH_AB] == PLACES[T.GEBURTSTAG_27] == "checks"
    assert PLACES[T.P60C_ANTRAG_FRUEHESTENS] == PLACES[T.AUSBILDUNG_ENDE] == "learning"
    assert (PLACES[T.VERMITTLUNG_NACHFASSEN], PLACES[T.KEIN_KONTAKT], PLACES[T.EINWILLIGUNG_PRUEFEN],
            PLACES[T.DOKUMENT_LOESCHEN], PLACES[T.LOESCHFRIST], PLACES[T.WIEDERVORLAGE], PLACES[T.ZIELGRUPPE_ENDE]) \
        == ("referrals", "interviews", "consents", "documents", "planning", "interviews", "personal")


def test_an_offer_to_check_opens_the_offers_and_stays_on_refresh(qtbot, files) -> None:
    v, over, today, week, later = files
    offers.save_offer(v, {"name": "Berufssprachkurs B1", "category": "SPRACHE_BAMF", "verified_on": "2026-05-25"})
    view = _view(qtbot, v)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    rows = view.groups[U.HEUTE].model.rows()
    assert sorted((r["case_code"] or "", r["type"]) for r in rows) == sorted(
        [(today, "DULDUNG_ABLAUF"), ("", "ANGEBOT_AKTUALISIEREN")])
    row = next(i for i, r in enumerate(rows) if r["case_code"] is None)
    assert _cell(view.groups[U.HEUTE].model, row, 1) == _("Offer")
    _select(view, U.HEUTE, row)
    with qtbot.waitSignal(view.open_offers, timeout=2000):
        view.open_button.click()
    # one client worked out again: the offer's row stays
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh_client(today)
    assert len(view.groups[U.HEUTE].model.rows()) == 2
    ops.wait_all()


# --------------------------------------------------------------------------- follow-ups


def test_a_follow_up_through_the_dialog_shows_this_week(qtbot, page) -> None:
    view, v, over, today, week, later, counts = page
    _select(view, U.ERINNERUNG)
    view.follow_up_button.click()
    dialog = view.dialog
    assert dialog is not None and not view.follow_up_button.isEnabled()
    assert dialog.widgets["case_code"].text() == later  # the chosen row's client, to start with
    dialog.widgets["due"].setText("27.11.2026")
    dialog.widgets["text"].setText("Zeugnisse mitbringen lassen")
    with qtbot.waitSignal(view.deadlines_changed, timeout=10000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=2000)
    rows = view.groups[U.DIESE_WOCHE].model.rows()
    assert sorted((r["case_code"], r["type"]) for r in rows) == sorted(
        [(week, "DULDUNG_ABLAUF"), (later, "WIEDERVORLAGE")])
    chosen = view.selected()
    assert chosen is not None and chosen.type is T.WIEDERVORLAGE and chosen.text == "Zeugnisse mitbringen lassen"
    model = view.groups[U.DIESE_WOCHE].model
    row = model.find(chosen.key)
    assert _cell(model, row, 2) == labels.label(labels.DEADLINE_TYPE, "WIEDERVORLAGE") + ": Zeugnisse mitbringen lassen"
    assert later in view.status.text() and "27.11.2026" in view.status.text()
    assert counts[-1] == (2, 2)
    assert view.follow_up_button.isEnabled()


def test_a_follow_up_later_says_when_it_shows(qtbot, page) -> None:
    view, v, over, today, week, later, _c = page
    view.follow_up_button.click()
    dialog = view.dialog
    dialog.widgets["case_code"].setText(over.lower())  # the service reads it as the code it is
    dialog.widgets["due"].setText("15.01.2027")
    dialog.widgets["text"].setText("Nachfragen")
    with qtbot.waitSignal(view.deadlines_changed, timeout=10000):
        dialog.save_button.click()
    assert all(r["type"] != "WIEDERVORLAGE" for g in view.groups.values() for r in g.model.rows())
    assert any(d.type is T.WIEDERVORLAGE and d.case_code == over for d in view.deadlines())
    assert _("It shows here from {date} on.").format(date="15.01.2027") in view.status.text()


def test_follow_up_refusals_are_shown_in_the_dialog_and_nothing_typed_is_lost(qtbot, page) -> None:
    view, v, over, today, week, later, _c = page
    view.follow_up_button.click()
    dialog = view.dialog
    dialog.widgets["case_code"].setText(week)
    dialog.widgets["due"].setText("27.11.2026")
    dialog.save_button.click()  # no text
    assert not dialog.message.isHidden() and _("What is to be done") in dialog.message.text()
    assert view.dialog is dialog and dialog.isVisible()
    dialog.widgets["due"].setText("31.02.2026")
    dialog.widgets["text"].setText("Anrufen")
    dialog.save_button.click()  # an impossible date: refused before anything is sent
    assert _("Due on") in dialog.message.text() and dialog.isVisible()
    dialog.widgets["due"].setText("27.11.2026")
    dialog.widgets["case_code"].setText("GK-26-NOSUCH")
    dialog.save_button.click()  # the service refuses an unknown case code
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.isVisible() and _("No client with this case code.") in dialog.message.text()
    assert (dialog.widgets["case_code"].text(), dialog.widgets["due"].text(), dialog.widgets["text"].text()) == (
        "GK-26-NOSUCH", "27.11.2026", "Anrufen")
    assert not any(d.type is T.WIEDERVORLAGE for d in deadlines.compute(v, on=ON, config=dl.DeadlineConfig()))
    dialog.reject()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=2000)


# --------------------------------------------------------------------------- one client again


def test_refresh_client_works_out_only_that_client_and_moves_its_row(qtbot, page, monkeypatch) -> None:
    view, v, over, today, week, later, counts = page
    clients.update_client(v, week, {"residence_periods": _duldung("2026-11-25")})
    calls: list[dict] = []
    real = deadlines.compute

    def spy(*a, **k):
        calls.append(k)
        return real(*a, **k)

    monkeypatch.setattr(deadlines, "compute", spy)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh_client(week)
    assert [k.get("case_code") for k in calls] == [week]
    groups = _groups(view)
    assert sorted(groups[U.HEUTE]) == sorted([(today, "DULDUNG_ABLAUF"), (week, "DULDUNG_ABLAUF")])
    assert groups[U.DIESE_WOCHE] == [] and groups[U.UEBERFAELLIG] == [(over, "DULDUNG_ABLAUF")]
    assert groups[U.ERINNERUNG] == [(later, "PASS_ABLAUF")]
    assert counts[-1] == (3, 0)
    assert sum(1 for d in view.deadlines() if d.case_code == week and d.type is T.DULDUNG_ABLAUF) == 1


def test_a_stale_answer_is_dropped(qtbot, page) -> None:
    view, v, over, today, week, later, _c = page
    clients.update_client(v, week, {"residence_periods": _duldung("2026-11-25")})
    view.refresh_client(week)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()  # worked out anew: the refresh's answer no longer counts
    ops.wait_all()
    qtbot.wait(20)
    assert sorted(_groups(view)[U.HEUTE]) == sorted([(today, "DULDUNG_ABLAUF"), (week, "DULDUNG_ABLAUF")])


# --------------------------------------------------------------------------- the calendar file


def test_the_calendar_file_is_written_where_the_worker_chooses(qtbot, page, monkeypatch, tmp_path: Path) -> None:
    view, v, over, today, week, later, _c = page
    offered: list[str] = []

    def choose(_parent, _title, start, filters):
        offered.append(start)
        assert "*.ics" in filters
        return str(tmp_path / "fristen")

    monkeypatch.setattr(page_mod, "save_file_name", choose)
    view.calendar_button.click()
    qtbot.waitUntil(lambda: view.calendar_button.isEnabled(), timeout=10000)
    assert Path(offered[0]).name == calendar.suggested_name(ON)
    target = tmp_path / "fristen.ics"
    data = target.read_bytes().decode("utf-8")
    assert data.startswith("BEGIN:VCALENDAR") and over in data and later in data
    for name in (*FIRSTS, LAST):
        assert name.lower() not in data.lower()
    n = data.count("BEGIN:VEVENT")
    assert n >= 4
    assert view.status.text() == ngettext("Calendar file written: {n} deadline", "Calendar file written: {n} deadlines",
                                          n).format(n=n)


def test_the_calendar_export_runs_with_the_page_s_day_and_settings(qtbot, page, monkeypatch, tmp_path: Path) -> None:
    view, v, *_rest = page
    calls: list[tuple] = []
    monkeypatch.setattr(calendar, "export", lambda vault, path, **k: calls.append((vault, Path(path), k)) or 1)
    monkeypatch.setattr(page_mod, "save_file_name", lambda *a: "")
    view.calendar_button.click()  # the dialog cancelled: nothing
    ops.wait_all()
    assert calls == []
    monkeypatch.setattr(page_mod, "save_file_name", lambda *a: str(tmp_path / "a.ICS"))
    view.calendar_button.click()
    qtbot.waitUntil(lambda: bool(calls) and view.calendar_button.isEnabled(), timeout=5000)
    assert calls == [(v, tmp_path / "a.ICS", {"on": ON, "config": view.config})]
    assert view.status.text() == ngettext("Calendar file written: {n} deadline", "Calendar file written: {n} deadlines",
                                          1).format(n=1)


# --------------------------------------------------------------------------- lock, keyboard


def test_clear_forgets_everything_and_drops_pending_answers(qtbot, page) -> None:
    view, v, *_rest = page
    view.follow_up_button.click()
    dialog = view.dialog
    dialog.widgets["text"].setText("Zqxsecret")
    view.reload()
    view.clear()
    ops.wait_all()
    qtbot.wait(20)
    assert view.dialog is None and not _alive(dialog)  # closed and gone, with what was typed
    assert view.deadlines() == [] and view._vault is None
    assert all(g.model.rowCount() == 0 for g in view.groups.values())
    assert view.status.text() == ""
    for button in (view.done_button, view.dismiss_button, view.open_button, view.follow_up_button,
                   view.calendar_button):
        assert not button.isEnabled()
    view.reload()  # locked: nothing happens
    view.refresh_client("GK-26-ANY")
    ops.wait_all()
    assert view.deadlines() == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_mnemonics_are_unique_on_the_page_and_against_the_menus(qtbot, files, lang) -> None:
    i18n.set_language(lang)
    try:
        view = _view(qtbot, files[0])
        texts = [b.text() for b in view.findChildren(QAbstractButton)]
        texts += [label.text() for label in view.findChildren(QLabel) if label.buddy() is not None]
        texts += [_("&Vault"), _("&Clients")]  # the main window's menus
        keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(keys) == 5 + 4 + 2 and len(set(keys)) == len(keys), texts
    finally:
        i18n.set_language("de")
