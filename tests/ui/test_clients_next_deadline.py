"""Klient:innen: the "next deadline" column and filter fed by the start page's deadlines."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from gk_desktop import labels
from gk_desktop.domain.deadlines import Deadline, DeadlineConfig, DeadlineStatus, DeadlineType
from gk_desktop.services import clients
from gk_desktop.ui import ops
from gk_desktop.ui.clients_view import (
    COL_DEADLINE,
    COL_MATCH,
    COL_NAME,
    DEADLINE_OVERDUE,
    ClientsView,
    ClientTableModel,
    ClientFilterProxy,
)
from gk_desktop.ui.privacy import MASK, privacy

ON = dt.date(2026, 11, 25)
PEOPLE = [  # first, last, birth date
    ("Leyla", "Aydin", "2002-02-02"),
    ("Rojin", "Baran", "2003-03-03"),
    ("Aya", "Celik", "2004-04-04"),
    ("Kerem", "Demir", "2001-01-01"),
    ("Samir", "Ehsan", "2000-06-06"),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", ON.isoformat())


@pytest.fixture
def filled(open_vault):
    people = {}
    for first, last, birth in PEOPLE:
        c = clients.add_client(open_vault, {"first_name": first, "last_name": last, "birth_date": birth})
        people[last] = c
    return open_vault, people


@pytest.fixture
def view(qtbot, filled):
    vault, _people = filled
    v = ClientsView(vault)
    qtbot.addWidget(v)
    v.resize(1400, 600)
    v.show()
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.reload()
    yield v
    ops.wait_all()


def _client_ids(view: ClientsView) -> dict[str, str]:
    return {r.last_name: r.id for r in view.model.rows_view()}


def dl(n: int, client_id: str | None, due: dt.date, status: DeadlineStatus = DeadlineStatus.OFFEN,
       kind: DeadlineType = DeadlineType.DULDUNG_ABLAUF, text: str = "") -> Deadline:
    remind = due - dt.timedelta(days=28)
    return Deadline(f"{kind}:x{n}:{due}", kind, due, remind, (remind,), "residence_period", f"x{n}",
                    "GK-X", client_id, status, text)


def hand_built(ids: dict[str, str]) -> list[Deadline]:
    def d(days: int) -> dt.date:
        return ON + dt.timedelta(days=days)

    return [
        dl(1, ids["Aydin"], d(-5)),  # overdue: nearest
        dl(2, ids["Aydin"], d(6), kind=DeadlineType.AUFGABE_FAELLIG),
        dl(3, ids["Aydin"], d(-15), DeadlineStatus.ERLEDIGT),  # done: skipped
        dl(4, ids["Baran"], d(30), kind=DeadlineType.PASS_ABLAUF),
        dl(5, ids["Baran"], d(1), DeadlineStatus.VERWORFEN),  # dismissed: skipped
        dl(6, ids["Baran"], d(3), kind=DeadlineType.WIEDERVORLAGE, text="Rückruf Rojin Baran"),
        dl(7, ids["Celik"], d(20), kind=DeadlineType.AE_ABLAUF),
        dl(8, ids["Demir"], d(96), kind=DeadlineType.P104C_ABLAUF),
        dl(9, ids["Ehsan"], d(2), DeadlineStatus.ERLEDIGT),  # only a done one: no next deadline
        dl(10, None, d(-40), kind=DeadlineType.ANGEBOT_AKTUALISIEREN),  # an offer's: no client
    ]


def _names(view: ClientsView) -> list[str]:
    return [view.proxy.index(r, COL_NAME).data().split(",")[0] for r in range(view.proxy.rowCount())]


def _cell(view: ClientsView, last: str, role: int = Qt.ItemDataRole.DisplayRole):
    for r in range(view.proxy.rowCount()):
        if view.proxy.index(r, COL_NAME).data().startswith(last + ","):
            return view.proxy.index(r, COL_DEADLINE).data(role)
    raise AssertionError(f"{last} not shown")


def _type(kind: DeadlineType) -> str:
    return labels.label(labels.DEADLINE_TYPE, kind)


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def test_the_column_shows_the_nearest_open_deadline(view) -> None:
    ids = _client_ids(view)
    rows_before = list(view.model.rows_view())
    view.set_deadlines(hand_built(ids), ON)
    assert [a is b for a, b in zip(view.model.rows_view(), rows_before)] == [True] * 5  # not reloaded
    assert _cell(view, "Aydin") == f"20.11.2026 – {_type(DeadlineType.DULDUNG_ABLAUF)}"  # done 10.11. skipped
    assert _cell(view, "Baran") == f"28.11.2026 – {_type(DeadlineType.WIEDERVORLAGE)}"  # dismissed 26.11. skipped
    assert _cell(view, "Celik") == f"15.12.2026 – {_type(DeadlineType.AE_ABLAUF)}"
    assert _cell(view, "Demir").startswith("01.03.2027 – ")
    assert _cell(view, "Ehsan") == ""
    header = view.proxy.headerData(COL_DEADLINE, Qt.Orientation.Horizontal)
    assert header in ("Nächste Frist", "Next deadline")
    assert COL_MATCH == view.proxy.columnCount() - 1  # "found by" stays last
    # colours: overdue red, this week orange, later plain
    red = _cell(view, "Aydin", Qt.ItemDataRole.ForegroundRole).color()
    orange = _cell(view, "Baran", Qt.ItemDataRole.ForegroundRole).color()
    assert red != orange and red.red() > red.green() and orange.red() > orange.blue()
    assert _cell(view, "Celik", Qt.ItemDataRole.ForegroundRole) is None
    assert _cell(view, "Ehsan", Qt.ItemDataRole.ForegroundRole) is None
    # tooltips: the full label and how far off
    tip = _cell(view, "Aydin", Qt.ItemDataRole.ToolTipRole)
    assert _type(DeadlineType.DULDUNG_ABLAUF) in tip and "5" in tip and "20.11.2026" in tip
    tip = _cell(view, "Demir", Qt.ItemDataRole.ToolTipRole)
    assert _type(DeadlineType.P104C_ABLAUF) in tip and "96" in tip
    assert _cell(view, "Ehsan", Qt.ItemDataRole.ToolTipRole) is None


def test_the_column_never_shows_a_name(view) -> None:
    ids = _client_ids(view)
    view.set_deadlines(hand_built(ids), ON)
    for r in range(view.proxy.rowCount()):
        text = view.proxy.index(r, COL_DEADLINE).data()
        assert not any(first in text or last in text for first, last, _b in PEOPLE)
    # The follow-up's own words (which name someone) are in the tooltip only, masked in Diskret-Modus.
    assert "Rojin" in _cell(view, "Baran", Qt.ItemDataRole.ToolTipRole)
    privacy.set_enabled(True)
    try:
        tips = [view.proxy.index(r, COL_DEADLINE).data(Qt.ItemDataRole.ToolTipRole) or ""
                for r in range(view.proxy.rowCount())]
        assert not any("Rojin" in t or "Baran" in t for t in tips) and any(MASK in t for t in tips)
        # the column itself stays visible and filled: it holds no name
        assert sum(bool(view.proxy.index(r, COL_DEADLINE).data()) for r in range(view.proxy.rowCount())) == 4
        assert not view.table.isColumnHidden(COL_DEADLINE)
    finally:
        privacy.reset()


def test_sorting_by_the_next_deadline(view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    view.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert _names(view) == ["Aydin", "Baran", "Celik", "Demir", "Ehsan"]
    view.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.DescendingOrder)
    assert _names(view) == ["Demir", "Celik", "Baran", "Aydin", "Ehsan"]  # without one: last either way
    # New deadlines re-sort a list sorted by them (and only then).
    ids = _client_ids(view)
    view.set_deadlines([dl(1, ids["Ehsan"], ON), dl(2, ids["Celik"], ON + dt.timedelta(days=1))], ON)
    assert _names(view)[:2] == ["Celik", "Ehsan"]
    view.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    view.set_deadlines(hand_built(ids), ON)
    assert _names(view) == ["Aydin", "Baran", "Celik", "Demir", "Ehsan"]


def test_each_filter_value_narrows_the_rows(view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    f = view.deadline_filter
    assert [f.itemData(i) for i in range(f.count())] == [0, DEADLINE_OVERDUE, 7, 30]
    f.setCurrentIndex(f.findData(DEADLINE_OVERDUE))
    assert _names(view) == ["Aydin"]
    assert "1 von 5" in view.count_label.text()
    f.setCurrentIndex(f.findData(7))
    assert _names(view) == ["Aydin", "Baran"]  # overdue counts as within any period
    f.setCurrentIndex(f.findData(30))
    assert _names(view) == ["Aydin", "Baran", "Celik"]
    # combined with another filter
    view.phase_filter.setCurrentIndex(view.phase_filter.findData("ABGESCHLOSSEN"))
    assert _names(view) == []
    view.phase_filter.setCurrentIndex(0)
    # new deadlines while filtering: the filter follows
    ids = _client_ids(view)
    view.set_deadlines([dl(1, ids["Demir"], ON + dt.timedelta(days=2))], ON)
    assert _names(view) == ["Demir"]
    view.set_deadlines([], ON)
    assert _names(view) == []
    f.setCurrentIndex(0)
    assert len(_names(view)) == 5


def test_the_filter_combines_with_the_search(qtbot, view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    view.deadline_filter.setCurrentIndex(view.deadline_filter.findData(7))
    view.search.setFocus()
    type_text(view.search, "Baran")
    qtbot.waitUntil(lambda: _names(view) == ["Baran"], timeout=5000)
    view.search.clear()
    qtbot.waitUntil(lambda: _names(view) == ["Aydin", "Baran"], timeout=5000)
    type_text(view.search, "Demir")  # found, but its deadline is months away
    qtbot.waitUntil(lambda: view._shown_query == "Demir", timeout=5000)
    assert _names(view) == []
    view.deadline_filter.setCurrentIndex(0)
    assert _names(view) == ["Demir"]


def test_clear_forgets_the_deadlines(view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    view.clear()
    assert view.model.next_deadlines() == {} and view.model.rowCount() == 0
    # a late answer after the lock does not reach the screen
    view.set_deadlines([dl(1, "someone", ON)], ON)
    assert view.model.next_deadlines() == {}


def test_an_empty_list_empties_the_column(view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    view.set_deadlines([], ON)
    assert all(view.proxy.index(r, COL_DEADLINE).data() == "" for r in range(view.proxy.rowCount()))


def test_the_filter_is_keyboard_reachable_with_its_own_mnemonic(qtbot, view) -> None:
    buddy_label = next(lb for lb in view.findChildren(QLabel) if lb.buddy() is view.deadline_filter)
    text = buddy_label.text()
    letter = text[text.index("&") + 1].lower()
    others = [w.text() for w in view.findChildren(QLabel) + view.findChildren(QAbstractButton)
              if w is not buddy_label and "&" in w.text()]
    assert letter not in [t[t.index("&") + 1].lower() for t in others]
    view.search.setFocus()
    QTest.keyClick(view, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.deadline_filter.hasFocus, timeout=2000)


def test_real_deadlines_from_compute(qtbot, view, filled) -> None:
    from gk_desktop.services import deadlines

    vault, people = filled
    clients.update_client(vault, people["Aydin"].case_code,
                          {"residence_status": "DULDUNG_60A", "residence_valid_until": "2026-11-20"})
    clients.update_client(vault, people["Celik"].case_code,
                          {"residence_status": "DULDUNG_60A", "residence_valid_until": "2026-12-20"})
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    found = deadlines.compute(vault, config=DeadlineConfig())
    view.set_deadlines(found, ON)
    for row in view.model.rows_view():
        mine = [d for d in found if d.client_id == row.id and d.status == DeadlineStatus.OFFEN]
        shown = _cell(view, row.last_name)
        if not mine:
            assert shown == ""
            continue
        nearest = min(d.due for d in mine)
        assert shown.startswith(nearest.strftime("%d.%m.%Y") + " – ")
    assert _cell(view, "Aydin").startswith("20.11.2026")
    assert _cell(view, "Aydin", Qt.ItemDataRole.ForegroundRole) is not None


def test_ten_thousand_clients_in_one_pass() -> None:
    from gk_desktop.services.clients import ClientRow

    model = ClientTableModel()
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    rows = [ClientRow(f"id{i}", f"GK-{i:05d}", f"F{i}", f"L{i}", dt.date(2000, 1, 1), False, 26, "PRIMAER_DULDUNG",
                      None, None, None, None, dt.date(2028, 1, 1)) for i in range(10_000)]
    model.set_rows(rows, ON)
    many = [dl(n, f"id{n % 10_000}", ON + dt.timedelta(days=n % 97 - 10)) for n in range(60_000)]
    start = time.perf_counter()
    model.set_deadlines(many, ON)
    proxy.set_filters(deadline_days=7)
    shown = proxy.rowCount()
    elapsed = time.perf_counter() - start
    assert 0 < shown < 10_000
    assert elapsed < 1.0, elapsed


def test_model_with_deadlines_passes_the_model_tester(qtmodeltester, view) -> None:
    view.set_deadlines(hand_built(_client_ids(view)), ON)
    view.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
