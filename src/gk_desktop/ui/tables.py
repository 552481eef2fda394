"""Read-only tables over plain dicts, shared by the tabs and pages: a column's text, tooltip and
alignment come from functions of the row; rows can be greyed (``muted``: revoked, ended, not
fitting) or tinted (``marked``: waiting too long). ``data()`` never raises: a missing key shows
an empty cell (an exception inside a Qt virtual would take the process down)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from gk_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex


def blend(color: QColor, share: float) -> QColor:
    """``color`` laid over the table's background at ``share``: readable in light and dark themes."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QColor(round(color.red() * share + base.red() * (1 - share)),
                  round(color.green() * share + base.green() * (1 - share)),
                  round(color.blue() * share + base.blue() * (1 - share)))


def muted_color() -> QColor:
    """Between text and background: readable, but clearly set back (dark themes too)."""
    palette = QGuiApplication.palette()
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    return QColor(round(text.red() * 0.55 + base.red() * 0.45), round(text.green() * 0.55 + base.green() * 0.45),
                  round(text.blue() * 0.55 + base.blue() * 0.45))


@dataclass(frozen=True)
class Col:
    header: str  # English source, translated at display
    value: Callable[[dict[str, Any]], str]
    tip: Callable[[dict[str, Any]], str] | None = None
    right: bool = False  # numbers


class RowsModel(QAbstractTableModel):
    """A read-only table over dicts whose rows can be greyed (``muted``) or tinted (``marked``),
    with tooltips per cell. ``data()`` never raises: a missing key shows an empty cell."""

    MARK = QColor(255, 170, 0)

    def __init__(self, columns: list[Col], parent: Any = None, *, muted: Callable[[dict[str, Any]], bool] | None = None,
                 marked: Callable[[dict[str, Any]], bool] | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._muted = muted
        self._marked = marked
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def find(self, row_id: str | None) -> int | None:
        if row_id is None:
            return None
        return next((i for i, r in enumerate(self._rows) if r.get("id") == row_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        try:
            if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                    and 0 <= section < len(self._columns):
                return _(self._columns[section].header)
        except Exception:  # noqa: BLE001 - painting must never fail
            return None
        return None

    def _flag(self, fn: Callable[[dict[str, Any]], bool] | None, row: dict[str, Any]) -> bool:
        try:
            return fn is not None and bool(fn(row))
        except Exception:  # noqa: BLE001
            return False

    def is_marked(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._flag(self._marked, self._rows[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self._columns):
            return None
        try:
            row, col = self._rows[index.row()], self._columns[index.column()]
            if role == Qt.ItemDataRole.DisplayRole:
                return " ".join(str(col.value(row) or "").split())[:200]
            if role == Qt.ItemDataRole.ToolTipRole:
                if getattr(col, "tip", None) is not None:
                    return col.tip(row) or None
                text = str(col.value(row) or "")
                return text if len(text) > 60 else None
            if role == Qt.ItemDataRole.ForegroundRole:
                return muted_color() if self._flag(self._muted, row) else None
            if role == Qt.ItemDataRole.BackgroundRole:
                return blend(self.MARK, 0.3) if self._flag(self._marked, row) else None
            if role == Qt.ItemDataRole.TextAlignmentRole and getattr(col, "right", False):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        except Exception:  # noqa: BLE001 - a missing key shows an empty cell, never a crash
            return None
        return None




class MutedTableModel(RowsModel):
    """Rows greyed by ``muted`` (revoked consents, offers that do not fit)."""

    def __init__(self, columns: list[Any], muted: Callable[[dict[str, Any]], bool], parent: Any = None) -> None:
        super().__init__(columns, parent, muted=muted)

    def is_muted(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._flag(self._muted, self._rows[row])


def table_view(model: Any, name: str, *, wrap: bool = False, single: bool = False) -> QTableView:
    """A read-only table for ``model``: whole rows selected, no editing, Tab leaves the table,
    alternating rows, the last column stretched; ``name`` for screen readers."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setAccessibleName(name)
    return table


def current_row(table: QTableView, model: Any) -> dict[str, Any] | None:
    """The row of ``model`` the worker chose in ``table``: the selected one, else the current one."""
    rows = table.selectionModel().selectedRows()
    if rows and rows[0].row() < model.rowCount():
        return model.row_at(rows[0].row())
    index = table.currentIndex()
    if index.isValid() and index.row() < model.rowCount():
        return model.row_at(index.row())
    return None


def heading(text: str = "") -> QLabel:
    """A bold label over a table or a group of fields."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
