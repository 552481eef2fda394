"""Klient:innen on screen: the model, filters, locale-aware sorting, search as you type, opening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from gk_desktop.services import clients
from gk_desktop.ui import ops
from gk_desktop.ui.clients_view import COL_AGE, COL_CODE, COL_NAME, COL_UNTIL, ClientsView


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, non-ASCII included (qtbot.keyClicks aborts on "ü"; STYLE.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


PEOPLE = [
    ("Şükrü", "Yılmaz", "2001-05-01", "DULDUNG_60A", "2026-12-10"),
    ("Mohammed", "Al-Hassan", "2000-03-04", "DULDUNG_60A", "2027-06-30"),
    ("Aya", "Çelik", "2004-08-09", "AUFENTHALTSGESTATTUNG", "2027-02-01"),
    ("Omar", "Zaidi", "1997-01-15", "DULDUNG_60B", "2026-11-20"),
    ("Selam", "Cabral", "2003-11-11", None, None),
]


@pytest.fixture
def filled(open_vault):
    codes = {}
    for first, last, birth, status, until in PEOPLE:
        data = {"first_name": first, "last_name": last, "birth_date": birth}
        if status:
            data.update(residence_status=status, residence_valid_until=until)
        codes[last] = clients.add_client(open_vault, data).case_code
    clients.update_client(open_vault, codes["Al-Hassan"], {"name_variants": ["Muhammad", "محمد الحسن"]})
    return open_vault, codes


@pytest.fixture
def view(qtbot, filled):
    vault, _codes = filled
    v = ClientsView(vault)
    qtbot.addWidget(v)
    v.resize(1100, 600)
    v.show()
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.reload()
    yield v
    ops.wait_all()


def _names(v: ClientsView) -> list[str]:
    return [v.proxy.index(r, COL_NAME).data() for r in range(v.proxy.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester, view) -> None:
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_columns_and_values(view, filled) -> None:
    _vault, codes = filled
    assert view.model.rowCount() == 5
    row = next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, COL_CODE).data() == codes["Zaidi"])
    assert view.proxy.index(row, COL_AGE).data() == "29"
    assert view.proxy.index(row, COL_UNTIL).data() == "20.11.2026"  # dates dd.MM.yyyy
    assert view.proxy.index(row, COL_UNTIL).data(Qt.ItemDataRole.ForegroundRole) is not None  # expired: coloured
    headers = [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(view.proxy.columnCount())]
    assert headers[:2] == ["Fallnummer", "Name"] and headers[-1] == "Gefunden über"
    assert view.table.isColumnHidden(view.proxy.columnCount() - 1)  # "Gefunden über" only while searching
    assert "5 von 5" in view.count_label.text()


def test_locale_aware_sorting(view) -> None:
    view.proxy.set_locale(QLocale("de_DE"))
    view.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert _names(view) == ["Al-Hassan, Mohammed", "Cabral, Selam", "Çelik, Aya", "Yılmaz, Şükrü", "Zaidi, Omar"]
    view.table.sortByColumn(COL_AGE, Qt.SortOrder.DescendingOrder)
    assert _names(view)[0] == "Zaidi, Omar"


def test_filters(view) -> None:
    view.group_filter.setCurrentIndex(view.group_filter.findData("SEKUNDAER_GESTATTUNG"))
    assert _names(view) == ["Çelik, Aya"]
    view.group_filter.setCurrentIndex(0)
    view.expiry_filter.setCurrentIndex(view.expiry_filter.findData(28))
    assert sorted(_names(view)) == ["Yılmaz, Şükrü", "Zaidi, Omar"]  # ends within 28 days, or has ended
    view.expiry_filter.setCurrentIndex(0)
    view.phase_filter.setCurrentIndex(view.phase_filter.findData("ERSTKONTAKT"))
    assert len(_names(view)) == 5
    view.phase_filter.setCurrentIndex(view.phase_filter.findData("ABGESCHLOSSEN"))
    assert _names(view) == [] and "0 von 5" in view.count_label.text()


def test_search_as_you_type_with_diacritics(qtbot, view) -> None:
    view.search.setFocus()
    type_text(view.search, "Şük")
    qtbot.waitUntil(lambda: _names(view) == ["Yılmaz, Şükrü"], timeout=5000)
    assert not view.table.isColumnHidden(view.proxy.columnCount() - 1)  # "found by" shows while searching
    assert view.proxy.index(0, view.proxy.columnCount() - 1).data().startswith("Name")
    view.search.clear()
    qtbot.waitUntil(lambda: len(_names(view)) == 5, timeout=5000)
    type_text(view.search, "sukru yil")  # typed without diacritics
    qtbot.waitUntil(lambda: _names(view) == ["Yılmaz, Şükrü"], timeout=5000)


def test_search_shows_what_matched(qtbot, view, filled) -> None:
    _vault, codes = filled
    type_text(view.search, "muhammad")
    qtbot.waitUntil(lambda: _names(view) == ["Al-Hassan, Mohammed"], timeout=5000)
    match_col = view.proxy.columnCount() - 1
    assert view.proxy.index(0, match_col).data() == "Name: Muhammad"
    view.search.clear()
    type_text(view.search, codes["Zaidi"].lower())
    qtbot.waitUntil(lambda: _names(view) == ["Zaidi, Omar"], timeout=5000)
    assert view.proxy.index(0, view.proxy.columnCount() - 1).data().startswith("Fallnummer")


def test_only_the_newest_answer_counts(qtbot, view) -> None:
    type_text(view.search, "zai")
    qtbot.waitUntil(lambda: _names(view) == ["Zaidi, Omar"], timeout=5000)
    from gk_desktop.services.search import MatchSet

    view._search_answer(view._search_seq - 1, "z", MatchSet("z", ("z",), {}))  # a late, older answer
    assert _names(view) == ["Zaidi, Omar"]


def test_keyboard_search_down_enter_opens(qtbot, view, filled) -> None:
    _vault, codes = filled
    opened: list[str] = []
    view.open_client.connect(opened.append)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "zaid")
    qtbot.waitUntil(lambda: _names(view) == ["Zaidi, Omar"], timeout=5000)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert opened == [codes["Zaidi"]]
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() or view.table.selectionModel().hasSelection()
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert view.search.hasFocus()


def test_clear_forgets_every_name(view) -> None:
    view.clear()
    assert view.model.rowCount() == 0 and view.search.text() == ""
