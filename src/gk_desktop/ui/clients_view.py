"""Klient:innen: the client list with filters, locale-aware sorting and search as you type.

The table is a :class:`ClientTableModel` over :class:`~gk_desktop.services.clients.ClientRow`
dataclasses behind a :class:`ClientFilterProxy`. Loading and searching run on the database lane
of :mod:`gk_desktop.ui.ops`; a search answer that arrives after a newer keystroke is dropped.

The "next deadline" column is not loaded here: the main window hands over the deadlines the start
page computed (:meth:`ClientsView.set_deadlines`), and the model keeps each client's nearest open one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.domain.clock import today
from gk_desktop.domain.deadlines import Deadline, DeadlineStatus
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop import labels
from gk_desktop.ui.ops import Op
from gk_desktop.services.search import snippet_for
from gk_desktop.ui.privacy import display_name, display_text, privacy
from gk_desktop.ui.widgets import format_date

Index = QModelIndex | QPersistentModelIndex

# "Found by" stays the last column: it shows only while searching (the last visible one stretches).
(COL_CODE, COL_NAME, COL_AGE, COL_GROUP, COL_STATUS, COL_UNTIL, COL_PHASE, COL_LAST, COL_DEADLINE,
 COL_MATCH) = range(10)
HEADERS = (N_("Case code"), N_("Name"), N_("Age"), N_("Target group"), N_("Residence status"),
           N_("valid until"), N_("Phase"), N_("Last contact"), N_("Next deadline"), N_("Found by"))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
EXPIRY_CHOICES = (0, 14, 28, 90)  # 0: no filter
NO_CONTACT_WEEKS = (0, 4, 6, 12)  # 0: no filter; 6 weeks is the KEIN_KONTAKT deadline of DOMAIN.md §5
EXPIRED_COLOUR = QColor("#b3261e")
EXPIRING_COLOUR = QColor("#8a5300")
EXPIRING_SOON_DAYS = 28
DEADLINE_OVERDUE = -1  # the deadline filter's "overdue"; other values: due within N days (overdue included)
DEADLINE_CHOICES = (0, DEADLINE_OVERDUE, 7, 30)  # 0: no filter
NO_DEADLINE_KEY = 10**7  # sorts after every date


class ClientTableModel(QAbstractTableModel):
    """Rows of the client list; the search's "found by" text per client id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._matches: Any = None  # a search.MatchSet while searching
        self._found: dict[str, str] = {}  # "found by" texts computed for rows shown
        self._next: dict[str, Deadline] = {}  # client id → nearest open deadline
        self.today = today()
        self.deadlines_on = self.today  # the day the deadlines were computed for
        self.sort_column = COL_NAME
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.generation = 0  # changes whenever rows change place: the proxy's filter flags follow
        self.set_locale(QLocale())

    def set_locale(self, locale: QLocale) -> None:
        self._collator = QCollator(locale)
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    # -- data in

    def set_rows(self, rows: Iterable[Any], on: dt.date | None = None) -> None:
        self.beginResetModel()
        self.today = on or today()
        self._rows = self._sorted(list(rows))
        self.generation += 1
        self.endResetModel()

    def set_matches(self, matches: Any) -> None:
        self._matches = matches
        self._found = {}
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_MATCH), self.index(len(self._rows) - 1, COL_MATCH))

    def set_deadlines(self, deadlines: Iterable[Deadline], on: dt.date) -> None:
        """Keep each client's nearest open deadline (one pass; the rows stay where they are unless
        the list is sorted by the deadline)."""
        nearest: dict[str, Deadline] = {}
        get = nearest.get
        offen = DeadlineStatus.OFFEN
        for d in deadlines:
            cid = d.client_id
            if cid and d.status == offen:
                best = get(cid)
                if best is None or d.due < best.due:
                    nearest[cid] = d
        self._next = nearest
        self.deadlines_on = on
        if self.sort_column == COL_DEADLINE:
            self.sort(self.sort_column, self.sort_order)
        elif self._rows:
            self.dataChanged.emit(self.index(0, COL_DEADLINE), self.index(len(self._rows) - 1, COL_DEADLINE))

    def next_deadline(self, client_id: str) -> Deadline | None:
        return self._next.get(client_id)

    def next_deadlines(self) -> dict[str, Deadline]:
        """Client id → nearest open deadline, not copied (for the proxy's one-pass filter)."""
        return self._next

    def clear(self) -> None:
        self._next = {}
        self.set_rows([])
        self._matches = None
        self._found = {}

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rows_view(self) -> list[Any]:
        """The rows in model order, not copied (for the proxy's one-pass filter)."""
        return self._rows

    # -- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS:
                return labels.label(labels.RESIDENCE_STATUS, r.residence_status)
            if col == COL_AGE and r.birth_date_fictitious:
                return _("Birth date fictitious")
            if col == COL_GROUP:
                return _("Leaves the target group on {date}").format(date=format_date(r.leaves_target_group_on))
            if col == COL_DEADLINE:
                return self._deadline_tooltip(r)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_UNTIL and r.residence_valid_until is not None:
            days = (r.residence_valid_until - self.today).days
            if days < 0:
                return QBrush(EXPIRED_COLOUR)
            if days <= EXPIRING_SOON_DAYS:
                return QBrush(EXPIRING_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_DEADLINE:
            d = self._next.get(r.id)
            if d is not None:
                days = (d.due - self.deadlines_on).days
                if days < 0:
                    return QBrush(EXPIRED_COLOUR)
                if days <= 7:  # today or this week (the start page's groups)
                    return QBrush(EXPIRING_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: Any, col: int) -> str:
        if col == COL_CODE:
            return r.case_code
        if col == COL_NAME:
            return display_name(r.id, r.first_name, r.last_name)
        if col == COL_AGE:
            if r.age is None:
                return "–"
            return f"{r.age}*" if r.birth_date_fictitious else str(r.age)
        if col == COL_GROUP:
            return labels.label(labels.TARGET_GROUP, r.target_group)
        if col == COL_STATUS:
            return labels.label(labels.RESIDENCE_STATUS_SHORT, r.residence_status)
        if col == COL_UNTIL:
            return format_date(r.residence_valid_until) if r.residence_valid_until else ""
        if col == COL_PHASE:
            return labels.label(labels.CASE_PHASE, r.phase)
        if col == COL_LAST:
            return format_date(r.last_contact.astimezone().date()) if r.last_contact else ""
        if col == COL_DEADLINE:
            d = self._next.get(r.id)
            # The type's label only, never the follow-up's own words: those may name someone.
            return f"{format_date(d.due)} – {labels.label(labels.DEADLINE_TYPE, d.type)}" if d is not None else ""
        if col == COL_MATCH:
            return self._found_by(r)
        return ""

    def _deadline_tooltip(self, r: Any) -> str | None:
        d = self._next.get(r.id)
        if d is None:
            return None
        days = (d.due - self.deadlines_on).days
        if days < 0:
            when = ngettext("{n} day overdue", "{n} days overdue", -days).format(n=-days)
        elif days == 0:
            when = _("due today")
        else:
            when = ngettext("in {n} day", "in {n} days", days).format(n=days)
        lines = [labels.label(labels.DEADLINE_TYPE, d.type), f"{format_date(d.due)} – {when}"]
        if d.text:
            lines.append(display_text(r.id, d.text))
        return "\n".join(lines)

    def _found_by(self, r: Any) -> str:
        """What the search matched, worked out only for the rows someone looks at."""
        m = self._matches
        if m is None or r.id not in m.kinds:
            return ""
        kind = m.kinds[r.id]
        text = self._found.get(r.id)
        if text is None:
            if kind == "note":
                snippet = m.notes[r.id][1]
            elif kind == "case_code":
                snippet = r.case_code
            else:
                snippet = snippet_for(m.terms, r.first_name, r.last_name, r.name_variants)
            text = self._found[r.id] = f"{labels.label(labels.SEARCH_MATCH, kind)}: {snippet}"
        return text if kind == "case_code" else display_text(r.id, text)

    # -- sorting: in Python with collation keys, not by the proxy (whose C++ sort would call
    # back into Python for every comparison: seconds at 10,000 rows)

    def _key_function(self, col: int) -> Any:
        sort_key = self._sort_key
        if col == COL_DEADLINE:
            nxt = self._next
            return lambda r: (nxt[r.id].due.toordinal(), self._collator.sortKey(f"{r.last_name} {r.first_name}"))
        if col in (COL_AGE, COL_UNTIL, COL_PHASE, COL_GROUP, COL_LAST):
            return lambda r: (sort_key(r, col), self._collator.sortKey(f"{r.last_name} {r.first_name}"))
        if col == COL_NAME:  # the real name, also while names are masked
            return lambda r: self._collator.sortKey(f"{r.last_name}, {r.first_name}")
        return lambda r: self._collator.sortKey(sort_key(r, col))

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if not 0 <= self.sort_column < len(HEADERS):
            return rows
        reverse = self.sort_order == Qt.SortOrder.DescendingOrder
        if self.sort_column == COL_DEADLINE:  # clients without an open deadline last, either way round
            nxt = self._next
            with_one = [r for r in rows if r.id in nxt]
            without = [r for r in rows if r.id not in nxt]
            name = self._key_function(COL_NAME)
            return (sorted(with_one, key=self._key_function(COL_DEADLINE), reverse=reverse)
                    + sorted(without, key=name))
        return sorted(rows, key=self._key_function(self.sort_column), reverse=reverse)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D102
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self.sort_column, self.sort_order = column, order
        self._rows = self._sorted(before)
        self.generation += 1
        where = {id(r): i for i, r in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(where[id(before[ix.row()])], ix.column()) for ix in persistent])
        self.layoutChanged.emit()

    def names_changed(self) -> None:
        """Diskret-Modus switched: the name and "found by" cells repaint."""
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_NAME), self.index(len(self._rows) - 1, COL_MATCH))

    def _sort_key(self, r: Any, col: int) -> Any:
        if col == COL_AGE:
            return -1 if r.age is None else r.age
        if col == COL_UNTIL:
            return r.residence_valid_until.toordinal() if r.residence_valid_until else 10**7
        if col == COL_LAST:
            return r.last_contact.timestamp() if r.last_contact else 0.0
        if col == COL_PHASE:
            return list(labels.CASE_PHASE).index(r.phase) if r.phase in labels.CASE_PHASE else 99
        if col == COL_GROUP:
            return list(labels.TARGET_GROUP).index(r.target_group) if r.target_group in labels.TARGET_GROUP else 99
        if col == COL_DEADLINE:
            d = self._next.get(r.id)
            return d.due.toordinal() if d is not None else NO_DEADLINE_KEY
        return self._display(r, col)


class ClientFilterProxy(QSortFilterProxyModel):
    """Filters (target group, phase, status expiring within N days, no contact for N weeks, next
    deadline overdue or due within N days, search hits). Sorting is the source model's, with the
    locale's collation (Ç after C, not after Z)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target_group: str | None = None
        self.phase: str | None = None
        self.expiring_days = 0
        self.no_contact_weeks = 0
        self.deadline_days = 0  # 0: any; DEADLINE_OVERDUE; N: the next deadline is due within N days
        self.search_ids: set[str] | None = None
        self._accept: list[bool] | None = None  # per source row, computed in one Python pass
        self._accept_generation = -1
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)  # filters change only through the setters below

    def set_locale(self, locale: QLocale) -> None:
        model = self.sourceModel()
        model.set_locale(locale)
        model.sort(model.sort_column, model.sort_order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D102
        # The source model sorts (fast, in Python); the proxy keeps its order and only filters.
        self.sourceModel().sort(column, order)

    def set_filters(self, *, target_group: str | None = None, phase: str | None = None, expiring_days: int = 0,
                    no_contact_weeks: int = 0, deadline_days: int = 0) -> None:
        self.target_group, self.phase, self.expiring_days = target_group, phase, expiring_days
        self.no_contact_weeks = no_contact_weeks
        self.deadline_days = deadline_days
        self._refilter()

    def deadlines_changed(self) -> None:
        """The model's deadlines were replaced: only the deadline filter depends on them."""
        if self.deadline_days:
            self._refilter()

    def set_search(self, ids: set[str] | None) -> None:
        self.search_ids = ids
        self._refilter()

    def _refilter(self) -> None:
        self.beginFilterChange()
        self._accept = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _flags(self) -> list[bool]:
        model = self.sourceModel()
        rows = model.rows_view()
        ids = self.search_ids
        group, phase, days, on = self.target_group, self.phase, self.expiring_days, model.today
        weeks = self.no_contact_weeks
        # No interview on or after this day (a client never seen counts as "no contact" too).
        quiet_since = on - dt.timedelta(weeks=weeks) if weeks else None
        # The nearest open deadline is due on or before this day (overdue ones are within any period).
        due_by = None
        if self.deadline_days:
            due_by = model.deadlines_on + dt.timedelta(days=-1 if self.deadline_days == DEADLINE_OVERDUE
                                                       else self.deadline_days)
        nxt = model.next_deadlines()

        def accepts(r: Any) -> bool:
            if ids is not None and r.id not in ids:
                return False
            if group and r.target_group != group:
                return False
            if phase and r.phase != phase:
                return False
            if days and (r.residence_valid_until is None or (r.residence_valid_until - on).days > days):
                return False
            if quiet_since is not None and r.last_contact is not None and r.last_contact.astimezone().date() > quiet_since:
                return False
            if due_by is not None:
                d = nxt.get(r.id)
                if d is None or d.due > due_by:
                    return False
            return True

        if ids is not None and not (group or phase or days or weeks or due_by):
            return [r.id in ids for r in rows]
        return [accepts(r) for r in rows]

    def invalidate_flags(self) -> None:
        self._accept = None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        generation = self.sourceModel().generation
        if self._accept is None or self._accept_generation != generation:
            self._accept = self._flags()
            self._accept_generation = generation
        return self._accept[source_row]



class ClientsView(QWidget):
    """Signals:
        open_client(str): the case code the worker opened (Enter, double click, "Öffnen").
        new_client_requested(): the "Neue:r Klient:in" button.
        loaded(int): the list was (re)loaded with N clients.
        searched(str): the answer to the search text shown is in.
    """

    open_client = Signal(str)
    open_interview = Signal(str, str)  # case code, interview id: a hit in an interview note
    new_client_requested = Signal()
    loaded = Signal(int)
    searched = Signal(str)

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._search_seq = 0
        self._shown_query = ""
        heading = QLabel(_("Clients"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search: name, name variant or case code (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search clients"))
        self.search.textChanged.connect(self._search_changed)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search)

        self.group_filter = QComboBox()
        self.group_filter.addItem(_("all target groups"), None)
        for key in labels.TARGET_GROUP:
            self.group_filter.addItem(labels.label(labels.TARGET_GROUP, key), key)
        self.phase_filter = QComboBox()
        self.phase_filter.addItem(_("all phases"), None)
        for key in labels.CASE_PHASE:
            self.phase_filter.addItem(labels.label(labels.CASE_PHASE, key), key)
        self.expiry_filter = QComboBox()
        for days in EXPIRY_CHOICES:
            text = _("any validity") if days == 0 else ngettext(
                "status ends within {n} day or has ended", "status ends within {n} days or has ended", days).format(n=days)
            self.expiry_filter.addItem(text, days)
        self.contact_filter = QComboBox()
        for weeks in NO_CONTACT_WEEKS:
            text = _("any last contact") if weeks == 0 else ngettext(
                "no contact for {n} week", "no contact for {n} weeks", weeks).format(n=weeks)
            self.contact_filter.addItem(text, weeks)
        self.deadline_filter = QComboBox()
        for days in DEADLINE_CHOICES:
            if days == 0:
                # TRANSLATORS: the deadline filter, after the label "Deadline:": all clients
                text = _("all")
            elif days == DEADLINE_OVERDUE:
                # TRANSLATORS: the deadline filter, after the label "Deadline:"
                text = _("overdue")
            else:
                # TRANSLATORS: the deadline filter, after the label "Deadline:"
                text = ngettext("within {n} day", "within {n} days", days).format(n=days)
            self.deadline_filter.addItem(text, days)
        self.deadline_filter.setToolTip(_("The client's next open deadline. Overdue deadlines count as due within "
                                          "any period."))
        for combo, name in ((self.group_filter, _("Filter by target group")), (self.phase_filter, _("Filter by phase")),
                            (self.expiry_filter, _("Filter by end of residence status")),
                            (self.contact_filter, _("Filter by last contact")),
                            (self.deadline_filter, _("Filter by next deadline"))):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self._filters_changed)
        self.deadline_filter.setMinimumContentsLength(9)
        filter_label = QLabel(_("&Filter:"))
        filter_label.setBuddy(self.group_filter)
        # TRANSLATORS: keep the mnemonic apart from Suche, Filter, Neue:r, Öffnen and the menus
        deadline_label = QLabel(_("Dead&line:"))
        deadline_label.setBuddy(self.deadline_filter)

        self.model = ClientTableModel(self)
        privacy.changed.connect(self.model.names_changed)
        self.proxy = ClientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAccessibleName(_("Client list"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((COL_CODE, 120), (COL_NAME, 230), (COL_AGE, 60), (COL_GROUP, 170),
                           (COL_STATUS, 150), (COL_UNTIL, 95), (COL_PHASE, 120), (COL_LAST, 110),
                           (COL_DEADLINE, 240)):
            self.table.setColumnWidth(col, width)
        self.table.setColumnHidden(COL_MATCH, True)  # "found by" shows only while searching
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())

        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Number of clients shown"))
        self.new_button = QPushButton(_("&New client"))
        self.new_button.setToolTip(_("New client (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_client_requested)
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setToolTip(_("Open the selected client (Enter)"))
        self.open_button.clicked.connect(self.open_selected)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 3)
        filters = QHBoxLayout()
        filters.addWidget(filter_label)
        filters.addWidget(self.group_filter)
        filters.addWidget(self.phase_filter)
        filters.addWidget(self.expiry_filter)
        filters.addWidget(self.contact_filter)
        filters.addSpacing(8)
        filters.addWidget(deadline_label)
        filters.addWidget(self.deadline_filter)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.search, self.table)

        # Down from the search field moves into the list; Esc in the list goes back to searching.
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self._update_count()

    # -- loading

    def reload(self) -> None:
        vault = self._vault
        if vault is None:
            return
        from gk_desktop.services import clients

        Op(self, lambda _ctx: (clients.list_clients(vault, sort=False), today())).on_success(self._loaded).run()

    def _loaded(self, result: tuple[list[Any], dt.date]) -> None:
        if self._vault is None:
            return  # locked while loading: the rows must not reach the screen
        rows, on = result
        selected = self.selected_case_code()
        self.model.set_rows(rows, on)
        if self.search.text().strip():
            self._search_changed(self.search.text())
        self._update_count()
        if selected:
            self.select_case_code(selected)
        self.loaded.emit(len(rows))

    def set_deadlines(self, deadlines: list[Deadline], on: dt.date) -> None:
        """Every deadline of the vault as the start page computed them (an empty list on lock):
        the "next deadline" column shows each client's nearest open one; the list is not reloaded."""
        if self._vault is None and deadlines:
            return  # locked meanwhile: nothing reaches the screen
        self.model.set_deadlines(deadlines, on)
        self.proxy.deadlines_changed()
        self._update_count()

    def clear(self) -> None:
        """Forget every name shown (the app locks)."""
        self._vault = None
        self._search_seq += 1
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.proxy.set_search(None)
        self.table.setColumnHidden(COL_MATCH, True)
        self.model.clear()
        self._update_count()

    # -- search

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        from gk_desktop.services import search

        self._search_seq += 1
        seq = self._search_seq
        query = text.strip()
        if not query or search.match_expression(query) is None:
            self._shown_query = ""
            self.proxy.set_search(None)
            self.model.set_matches(None)
            self.table.setColumnHidden(COL_MATCH, True)
            self._update_count()
            self.searched.emit(text)
            return
        vault = self._vault
        if vault is None:
            return
        Op(self, lambda _ctx: search.match_clients_vault(vault, query)).on_success(
            lambda matches: self._search_answer(seq, text, matches)).run()

    def _search_answer(self, seq: int, text: str, matches: Any) -> None:
        if seq != self._search_seq or self._vault is None:
            return  # a newer keystroke is on its way
        self._shown_query = text
        self.model.set_matches(matches)
        self.proxy.set_search(set(matches.kinds))
        self.table.setColumnHidden(COL_MATCH, False)
        self._update_count()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.searched.emit(text)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount():
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                self.open_selected()
                return True
        if obj is self.table and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.focus_search()
            return True
        return super().eventFilter(obj, event)

    # -- filters and selection

    def _filters_changed(self) -> None:
        self.proxy.set_filters(target_group=self.group_filter.currentData(), phase=self.phase_filter.currentData(),
                               expiring_days=int(self.expiry_filter.currentData() or 0),
                               no_contact_weeks=int(self.contact_filter.currentData() or 0),
                               deadline_days=int(self.deadline_filter.currentData() or 0))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(_("{shown} of {total} clients").format(shown=shown, total=total))
        self.open_button.setEnabled(shown > 0)

    def selected_case_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return rows[0].data(ROW_ROLE).case_code

    def select_case_code(self, code: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ROW_ROLE).case_code == code:
                self.table.selectRow(row)
                return True
        return False

    def open_selected(self) -> None:
        code = self.selected_case_code()
        if code is None and self.proxy.rowCount():
            code = self.proxy.index(0, 0).data(ROW_ROLE).case_code
        if code:
            matches = self.model._matches
            row = next((r for r in self.model.rows_view() if r.case_code == code), None)
            if matches is not None and row is not None and matches.kinds.get(row.id) == "note":
                self.open_interview.emit(code, matches.notes[row.id][0])
                return
            self.open_client.emit(code)
