"""The start page "Heute": the open deadlines of every file in four calm groups — overdue, today,
this week, and later ones whose first reminder has come ("Später") — each nearest first
(:func:`gk_desktop.domain.deadlines.start_page` over :func:`gk_desktop.services.deadlines.compute`).

Working out every deadline of the vault takes about a second with 10,000 clients, so it runs in
the background (never in the constructor: the main window calls :meth:`DeadlinesView.reload`);
after an edit of one file :meth:`DeadlinesView.refresh_client` recomputes that client only (some
20 ms) and replaces its rows. A group without deadlines shows one quiet line instead of a table.

A deadline is marked as done ("Erledigt") or dismissed ("Verwerfen", after a question: it hides
the deadline) in one step; "Öffnen" (Enter, double-click) opens the client's file where the
deadline is dealt with (``open_place``), or the directory of offers for an offer to check
(``open_offers``). "Neue Wiedervorlage" records a follow-up of the worker's own; "Kalenderdatei"
writes the open deadlines to an .ics file (case codes and kinds of deadline only).

The page shows case codes only, never a name, so it can stay open during a consultation; the
words of a hand-made follow-up are shown, as everywhere inside the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.domain import deadlines as dl
from gk_desktop.errors import NotFoundError
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui import widgets
from gk_desktop.ui.checks_tab import DotModel, dot_icon
from gk_desktop.ui.consents_tab import SavingDialog, _alive, field_problems
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.record_editor import FieldSpec
from gk_desktop.ui.referrals_tab import select_id, select_row
from gk_desktop.ui.referrals_view import PRIVACY_NOTE
from gk_desktop.ui.tables import Col, heading, table_view
from gk_desktop.ui.widgets import format_date

T = dl.DeadlineType
U = dl.Urgency

# The groups of the page, in this order (SPAETER, not reminded yet, is not shown).
GROUPS: tuple[dl.Urgency, ...] = (U.UEBERFAELLIG, U.HEUTE, U.DIESE_WOCHE, U.ERINNERUNG)
GROUP_COLORS: dict[dl.Urgency, str] = {
    U.UEBERFAELLIG: "#c62828", U.HEUTE: "#ef6c00", U.DIESE_WOCHE: "#f9a825", U.ERINNERUNG: "#9e9e9e",
}
# Headings with a mnemonic that moves into the group's table. Unique within the page together with
# the buttons and the main window's menus (en: &Vault, &Clients; de: &Tresor, &Klient:innen).
GROUP_HEADINGS: dict[dl.Urgency, str] = {
    U.UEBERFAELLIG: N_("Ove&rdue"), U.HEUTE: N_("&Today"), U.DIESE_WOCHE: N_("This &week"), U.ERINNERUNG: N_("&Later"),
}
GROUP_TIPS: dict[dl.Urgency, str] = {
    U.UEBERFAELLIG: N_("Due before today and neither done nor dismissed"),
    U.HEUTE: N_("Due today"),
    U.DIESE_WOCHE: N_("Due within the next seven days"),
    U.ERINNERUNG: N_("Due later; their first reminder has come"),
}
GROUP_EMPTY: dict[dl.Urgency, str] = {
    U.UEBERFAELLIG: N_("Nothing overdue."),
    U.HEUTE: N_("Nothing due today."),
    U.DIESE_WOCHE: N_("Nothing else due this week."),
    U.ERINNERUNG: N_("No reminders for later deadlines."),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))
OFFER = N_("Offer")
WORKING = N_("Working out the deadlines …")
DISMISS_INFO = N_("It no longer shows here or in the calendar file. Should its date change, it comes back as a "
                  "new deadline.")
FOLLOW_UP_FIELDS = {"case_code": N_("Case code"), "due": N_("Due on"), "text": N_("What is to be done")}
FOLLOW_UP_INTRO = N_("A reminder of your own for one client: it shows on this page on its day. The text stays in "
                     "the vault; the calendar file shows only “Follow-up”.")

# Where in the client's file a deadline is dealt with (a place of CaseView.show_place).
PLACES: dict[dl.DeadlineType, str] = {
    T.DULDUNG_ABLAUF: "residence",
    T.GESTATTUNG_ABLAUF: "residence",
    T.PASS_ABLAUF: "residence",
    T.AE_ABLAUF: "residence",
    T.FIKTION_ABLAUF: "residence",
    T.P104C_ABLAUF: "residence",
    T.IDENTITAET_FRIST_60C: "residence",
    T.BESCHEID_ZUGESTELLT: "residence",
    T.GEBURTSTAG_27: "checks",
    T.P25A_MOEGLICH_AB: "checks",
    T.P25B_MOEGLICH_AB: "checks",
    T.P60D_KRITERIEN: "checks",
    T.ZIELGRUPPE_ENDE: "personal",
    T.AUSBILDUNG_ENDE: "learning",
    T.AUSBILDUNG_ABBRUCH: "learning",
    T.P60C_ANTRAG_FRUEHESTENS: "learning",
    T.P60C_ERTEILUNG_FRUEHESTENS: "learning",
    T.ZIEL_UEBERPRUEFUNG: "planning",
    T.AUFGABE_FAELLIG: "planning",
    T.LOESCHFRIST: "planning",
    T.VERMITTLUNG_NACHFASSEN: "referrals",
    T.KEIN_KONTAKT: "interviews",
    T.WIEDERVORLAGE: "interviews",
    T.EINWILLIGUNG_PRUEFEN: "consents",
    T.DOKUMENT_LOESCHEN: "documents",
}
MIN_ROWS = 3  # a table shrinks to this many rows before the page scrolls
FIT_ROWS = 100  # rows read to fit the columns


def place_of(kind: dl.DeadlineType) -> str | None:
    """Where the deadline is dealt with; None for an offer's (the directory, not a file)."""
    return PLACES.get(kind)


def save_file_name(parent: QWidget | None, title: str, start: str, filters: str) -> str:
    """The save dialog (a function of its own so that tests can answer it)."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, start, filters)
    return name


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(found) if found else Path.home()
    return path if path.is_dir() else Path.home()


def _today() -> dt.date:
    from gk_desktop.domain.clock import today

    return today()


def day_text(day: dt.date) -> str:
    """"Mittwoch, 25.11.2026"."""
    weekday = _(WEEKDAYS[day.weekday()])
    return f"{weekday}, {format_date(day)}"


def what_text(d: dl.Deadline) -> str:
    """The kind of deadline; a follow-up with the worker's own words after it."""
    kind = labels.label(labels.DEADLINE_TYPE, d.type.value)
    return f"{kind}: {d.text}" if d.type is T.WIEDERVORLAGE and d.text else kind


def case_text(d: dl.Deadline) -> str:
    return d.case_code or _(OFFER)


def _row(d: dl.Deadline, on: dt.date) -> dict[str, Any]:
    return {"id": d.key, "deadline": d, "case_code": d.case_code, "type": d.type.value,
            "overdue": max((on - d.due).days, 0)}


def overdue_text(n: int) -> str:
    return ngettext("{n} day overdue", "{n} days overdue", n).format(n=n)


def _due_text(r: dict[str, Any]) -> str:
    day = format_date(r["deadline"].due)
    return f"{day}, {overdue_text(r['overdue'])}" if r["overdue"] else day


def _due_tip(r: dict[str, Any]) -> str:
    day = day_text(r["deadline"].due)
    return f"{day} – {overdue_text(r['overdue'])}" if r["overdue"] else day


def _reminders_tip(r: dict[str, Any]) -> str:
    return _("Reminders: {dates}").format(dates=", ".join(format_date(x) for x in r["deadline"].reminders))


def _case_tip(r: dict[str, Any]) -> str:
    return "" if r["deadline"].case_code else _("An offer of the directory: “Open” shows the offers.")


def _columns() -> list[Col]:
    return [
        Col(N_("Due"), _due_text, tip=_due_tip),
        Col(N_("Case code"), lambda r: case_text(r["deadline"]), tip=_case_tip),
        Col(N_("What"), lambda r: what_text(r["deadline"]), tip=lambda r: what_text(r["deadline"])),
        Col(N_("Reminded since"), lambda r: format_date(r["deadline"].remind_from), tip=_reminders_tip),
    ]


_bold = heading


class _Group:
    """One group of the page: heading with dot and count, the calm empty line, the table."""

    def __init__(self, urgency: dl.Urgency, parent: QWidget) -> None:
        self.urgency = urgency
        color = GROUP_COLORS[urgency]
        self.dot = QLabel()
        self.dot.setPixmap(dot_icon(color).pixmap(14, 14))
        self.heading = _bold(_(GROUP_HEADINGS[urgency]))
        self.heading.setToolTip(_(GROUP_TIPS[urgency]))
        self.empty = QLabel(_(GROUP_EMPTY[urgency]))
        self.empty.setContentsMargins(20, 0, 0, 0)
        self.model = DotModel(_columns(), lambda _r, c=color: c, parent)
        name = labels.label(labels.DEADLINE_URGENCY, urgency.value)
        self.table = table_view(self.model, name, single=True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Fitting the columns reads the shown rows and some more, not thousands (nearest first: the
        # widest "… days overdue" is at the top).
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.heading.setBuddy(self.table)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.dot)
        head.addWidget(self.heading)
        head.addStretch(1)
        for label in (self.heading, self.empty):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        # The group is never taller than its rows: the space left over stays below the last group.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: list[dict[str, Any]] | None) -> None:
        """``None``: nothing worked out yet (heading only)."""
        self.model.set_rows(rows or [])
        n = len(rows or [])
        title = _(GROUP_HEADINGS[self.urgency])
        self.heading.setText(title if rows is None else "{title} ({n})".format(title=title, n=n))
        self.dot.setVisible(bool(n))
        self.empty.setVisible(rows is not None and not n)
        self.table.setVisible(bool(n))
        self.fit_height()

    def rows_height(self, n: int) -> int:
        table = self.table
        header = table.horizontalHeader().sizeHint().height()
        return header + table.verticalHeader().defaultSectionSize() * n + 2 * table.frameWidth() + 2

    def fit_height(self) -> None:
        n = self.model.rowCount()
        self.table.setMinimumHeight(self.rows_height(min(n, MIN_ROWS)))
        self.table.setMaximumHeight(self.rows_height(max(n, 1)))


class DeadlinesView(QWidget):
    """Signals:
        loaded(): the deadlines were (re)computed and are shown.
        counts_changed(int, int): overdue + today, and this week (for the navigation's count).
        open_place(str, str): a case code and where in the file the deadline is dealt with
            (a place of CaseView.show_place).
        open_offers(): an offer's deadline was opened: show the directory of offers.
        deadlines_changed(): a deadline was decided or a follow-up recorded here (the list of
            :meth:`deadlines` is already up to date).
    """

    loaded = Signal()
    counts_changed = Signal(int, int)
    open_place = Signal(str, str)
    open_offers = Signal()
    deadlines_changed = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.config: dl.DeadlineConfig | None = None  # None: the service reads the settings
        self._generation = 0  # the newest computation; answers of older ones are dropped
        self._op: Op | None = None
        self._all: list[dl.Deadline] | None = None  # the last computation, every deadline
        self._on: dt.date | None = None  # the day it was worked out for
        self._busy = False  # a decision is being stored
        self._exporting = False
        self._select_after: str | None = None
        self._message_after_load = ""  # what an action said, shown once the lists are new
        self.dialog: QDialog | None = None

        heading = QLabel(_("Today"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)
        self.day_label = _bold(day_text(_today()))
        self.note = QLabel(_(PRIVACY_NOTE))
        self.note.setWordWrap(True)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day_label)
        day_row.addSpacing(16)
        day_row.addWidget(self.note, 1)

        # -- actions on the chosen deadline, and the two of the page
        self.done_button = QPushButton(_("&Done"))
        self.done_button.setToolTip(_("Mark the selected deadline as done: it leaves this page and the calendar file"))
        self.done_button.clicked.connect(lambda: self.decide_selected("ERLEDIGT"))
        self.dismiss_button = QPushButton(_("Dis&miss"))
        self.dismiss_button.setToolTip(_("Hide the selected deadline because it does not apply (asks first)"))
        self.dismiss_button.clicked.connect(lambda: self.decide_selected("VERWORFEN"))
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setToolTip(_("Open the file where the selected deadline is dealt with (Enter, double-click)"))
        self.open_button.clicked.connect(self.open_selected)
        self.follow_up_button = QPushButton(_("New &follow-up …"))
        self.follow_up_button.setToolTip(_("A reminder of your own for one client on a day you choose"))
        self.follow_up_button.clicked.connect(self.new_follow_up)
        self.calendar_button = QPushButton(_("C&alendar file …"))
        self.calendar_button.setToolTip(_("Save the open deadlines as a calendar file (.ics) for your calendar "
                                          "program: case codes and kinds of deadline only, no names, no texts"))
        self.calendar_button.clicked.connect(self.export_calendar)
        controls = QHBoxLayout()
        for button in (self.done_button, self.dismiss_button, self.open_button):
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.follow_up_button)
        controls.addWidget(self.calendar_button)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the deadlines"))

        # -- the groups, in a scroll area for small windows
        self.groups: dict[dl.Urgency, _Group] = {}
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # the scroll area learns of a longer page
        bl.setContentsMargins(0, 0, 0, 0)
        bl.setSpacing(8)
        for urgency in GROUPS:
            group = _Group(urgency, self)
            self.groups[urgency] = group
            bl.addWidget(group.box, 1)
            table = group.table
            table.doubleClicked.connect(lambda _i, g=group: self._open_from(g))
            table.selectionModel().currentRowChanged.connect(lambda current, _p, g=group: self._row_changed(g, current))
            table.installEventFilter(self)
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shortcut = QShortcut(QKeySequence(key), table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(lambda g=group: self._open_from(g))
        bl.addStretch(0)  # only what the groups leave (each stops at its last row)
        self._body_layout = bl
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        self._active: _Group = self.groups[U.UEBERFAELLIG]  # the group whose row the buttons act on

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(day_row)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll, 1)

        for group in self.groups.values():
            group.show_rows(None)
        self._update_buttons()

    # -- loading

    def is_loading(self) -> bool:
        return self._op is not None

    def reload(self) -> None:
        """Work out every deadline of the vault in the background (a run still going is dropped)."""
        from gk_desktop.services import deadlines

        vault = self._vault
        if vault is None:
            return
        self._stop()
        self._generation += 1
        generation = self._generation
        on, config = _today(), self.config

        def work(ctx: Any) -> list[dl.Deadline]:
            return deadlines.compute(vault, on=on, config=config, cancelled=lambda: ctx.cancelled)

        def current() -> bool:
            return generation == self._generation and self._vault is not None

        def done(result: list[dl.Deadline]) -> None:
            if current():
                self._op = None
                self._loaded(on, result)

        def failed(exc: BaseException) -> None:
            if current():
                self._op = None
                self.status.setText(error_text(exc))
                self._update_buttons()

        def cancelled() -> None:
            if current():
                self._op = None

        self._op = Op(self, work).on_success(done).on_failure(failed).on_cancel(cancelled)
        self.status.setText(_(WORKING))
        self._op.run()

    def _stop(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self._op = None

    def _loaded(self, on: dt.date, result: list[dl.Deadline]) -> None:
        self._on = on
        self._all = list(result)
        self.day_label.setText(day_text(on))
        if self._message_after_load or self.status.text() == _(WORKING):  # what an action said meanwhile stays
            self.status.setText(self._message_after_load)
        self._message_after_load = ""
        self._show()
        self.loaded.emit()

    def refresh_client(self, case_code: str, *, changed: bool = False,
                       then: Callable[[], None] | None = None) -> None:
        """Work out one client's deadlines again (after an edit of the file) and replace that client's
        rows; the offers' and every other client's rows stay. ``changed``: emit ``deadlines_changed``
        once shown; ``then``: called once shown."""
        from gk_desktop.services import deadlines
        from gk_desktop.services.clients import normalise_code

        vault = self._vault
        if vault is None:
            return
        if self._all is None:
            if self._op is None:
                self.reload()  # nothing worked out yet: all of it
            return  # the computation under way reads the file as it is now
        generation = self._generation
        on, config, code = self._on or _today(), self.config, normalise_code(case_code)

        def work(_ctx: Any) -> list[dl.Deadline]:
            try:
                return deadlines.compute(vault, on=on, config=config, case_code=code)
            except NotFoundError:
                return []  # the client is gone: so are the rows

        def done(result: list[dl.Deadline]) -> None:
            if generation != self._generation or self._vault is None or self._all is None:
                return  # locked, or worked out anew meanwhile (that run includes the edit)
            self._all = [d for d in self._all if d.case_code != code] + list(result)
            self._show()
            self.loaded.emit()
            if changed:
                self.deadlines_changed.emit()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            if generation == self._generation and self._vault is not None:
                self.status.setText(error_text(exc))

        Op(self, work).on_success(done).on_failure(failed).run()

    def clear(self) -> None:
        """Forget everything (the app locks); a computation under way is dropped, an open dialog
        closed without saving."""
        self._stop()
        self._vault = None
        self._generation += 1
        self._all = None
        self._on = None
        self._busy = self._exporting = False
        self._select_after = None
        self._message_after_load = ""
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()
        for group in self.groups.values():
            group.show_rows(None)
        self.status.clear()
        self._update_buttons()

    def deadlines(self) -> list[dl.Deadline]:
        """Every deadline of the last computation (open, done and dismissed; shown or not)."""
        return list(self._all or [])

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # Left open overnight: "today" is another day now.
        if self._all is not None and self._op is None and self._on is not None and _today() != self._on:
            self.reload()

    # -- display

    def _show(self) -> None:
        """The groups from the last computation; keeps the chosen deadline (or the row in its place)."""
        assert self._all is not None and self._on is not None
        on = self._on
        active = self._active
        keep = self._select_after or self._current_id(active)
        position = self._current_position(active)
        self._select_after = None
        shown = dl.start_page(self._all, on)
        for urgency, group in self.groups.items():
            group.show_rows([_row(d, on) for d in shown[urgency]])
            # a long list gets more of the height than a short one
            self._body_layout.setStretchFactor(group.box, max(1, min(group.model.rowCount(), 30)))
        self._fit_columns()
        found = next((g for g in self.groups.values() if keep and g.model.find(keep) is not None), None)
        if found is not None:
            select_id(found.table, found.model, keep)
            self._active = found
        elif position is not None and active.model.rowCount():
            select_row(active.table, min(position, active.model.rowCount() - 1))  # the next one moves up
            self._active = active
        n_urgent = len(shown[U.UEBERFAELLIG]) + len(shown[U.HEUTE])
        self._update_buttons()
        self.counts_changed.emit(n_urgent, len(shown[U.DIESE_WOCHE]))

    def _fit_columns(self) -> None:
        """The same widths in every table, so the four lists read as one; "What" takes the rest."""
        tables = [g.table for g in self.groups.values()]
        widths = [0, 0, 0, 0]
        for table in tables:
            table.resizeColumnsToContents()
            for col in (0, 1, 3):
                widths[col] = max(widths[col], min(table.columnWidth(col), 320))
        for table in tables:
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            for col in (0, 1, 3):
                table.setColumnWidth(col, widths[col] + 12)

    # -- the selection

    @staticmethod
    def _current_row(group: _Group) -> dict[str, Any] | None:
        table, model = group.table, group.model
        rows = table.selectionModel().selectedRows()
        if rows and rows[0].row() < model.rowCount():
            return model.row_at(rows[0].row())
        index = table.currentIndex()
        if index.isValid() and index.row() < model.rowCount():
            return model.row_at(index.row())
        return None

    def _current_id(self, group: _Group) -> str | None:
        row = self._current_row(group)
        return row["id"] if row else None

    @staticmethod
    def _current_position(group: _Group) -> int | None:
        index = group.table.currentIndex()
        return index.row() if index.isValid() else None

    def _row_changed(self, group: _Group, current: Any) -> None:
        """A row chosen in one table is the one the buttons act on: the others let go of theirs."""
        if current.isValid():
            self._active = group
            for other in self.groups.values():
                if other is not group and (other.table.selectionModel().hasSelection()
                                           or other.table.currentIndex().isValid()):
                    other.table.selectionModel().clear()
        self._update_buttons()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn:
            group = next((g for g in self.groups.values() if g.table is obj), None)
            if group is not None and self._current_row(group) is None and group.model.rowCount():
                select_row(group.table, 0)  # Tab into a list chooses its first row: Enter opens it at once
        return super().eventFilter(obj, event)

    def selected(self) -> dl.Deadline | None:
        """The deadline the buttons act on (of the table chosen last)."""
        row = self._current_row(self._active)
        return row["deadline"] if row else None

    def select(self, key: str) -> bool:
        """Choose the deadline ``key`` in whichever group shows it."""
        for group in self.groups.values():
            if select_id(group.table, group.model, key):
                self._active = group
                group.table.setFocus()
                return True
        return False

    def _update_buttons(self) -> None:
        ready = self._vault is not None
        chosen = ready and self.selected() is not None
        self.done_button.setEnabled(chosen and not self._busy)
        self.dismiss_button.setEnabled(chosen and not self._busy)
        self.open_button.setEnabled(chosen)
        self.follow_up_button.setEnabled(ready and self.dialog is None)
        self.calendar_button.setEnabled(ready and not self._exporting)

    # -- opening

    def _open_from(self, group: _Group) -> None:
        row = self._current_row(group)
        if row is None or self._vault is None:
            return
        d: dl.Deadline = row["deadline"]
        place = place_of(d.type)
        if d.case_code is None or place is None:
            self.open_offers.emit()
        else:
            self.open_place.emit(d.case_code, place)

    def open_selected(self) -> None:
        self._open_from(self._active)

    # -- decisions

    def decide_selected(self, decision: str) -> None:
        """Mark the selected deadline as done ("ERLEDIGT") or dismiss it ("VERWORFEN", after asking)."""
        from gk_desktop.services import deadlines

        d = self.selected()
        vault = self._vault
        if d is None or vault is None or self._busy:
            return
        kind = labels.label(labels.DEADLINE_TYPE, d.type.value)
        code = case_text(d)
        if decision == "VERWORFEN" and not widgets.ask(
                self, _("Dismiss deadline"),
                _("Dismiss “{what}” ({code}, due {date})?").format(what=kind, code=code, date=format_date(d.due)),
                _("Dismiss"), info=_(DISMISS_INFO)):
            return
        self._busy = True
        self._update_buttons()
        on, config, key = self._on or _today(), self.config, d.key

        def done(_result: Any) -> None:
            self._busy = False
            if self._vault is None or self._all is None:
                return
            status = dl.DeadlineStatus(decision)
            self._all = [x._replace(status=status) if x.key == key else x for x in self._all]
            if decision == "ERLEDIGT":
                self.status.setText(_("{code}: “{what}” marked as done.").format(code=code, what=kind))
            else:
                self.status.setText(_("{code}: “{what}” dismissed.").format(code=code, what=kind))
            self._show()  # the row below moves up and is chosen: "Erledigt" again goes on down the list
            self.deadlines_changed.emit()

        def failed(exc: BaseException) -> None:
            self._busy = False
            if self._vault is None:
                return
            self.status.setText(f"{code}: {error_text(exc)}")
            self._update_buttons()
            if isinstance(exc, NotFoundError):  # the file no longer raises it: show the file as it is
                self._message_after_load = self.status.text()
                self.reload()

        Op(self, lambda _ctx: deadlines.decide(vault, key, decision, on=on, config=config, source="gui")) \
            .on_success(done).on_failure(failed).run()

    # -- a follow-up of one's own

    def new_follow_up(self) -> None:
        from gk_desktop.services import deadlines

        vault = self._vault
        if vault is None or self.dialog is not None:
            return
        chosen = self.selected()
        values = {"case_code": chosen.case_code} if chosen is not None and chosen.case_code else {}
        fields = [
            FieldSpec("case_code", FOLLOW_UP_FIELDS["case_code"], "text", required=True),
            FieldSpec("due", FOLLOW_UP_FIELDS["due"], "date", required=True),
            FieldSpec("text", FOLLOW_UP_FIELDS["text"], "text", required=True),
        ]

        def save(data: dict[str, Any]) -> None:
            def done(result: dict[str, Any]) -> None:
                if self._vault is None:
                    return
                if _alive(dialog):
                    dialog.succeed(data)
                due = dt.date.fromisoformat(result["due"])
                key = dl.deadline_key(T.WIEDERVORLAGE, result["id"], due)
                self._select_after = key
                self.status.setText(_("Follow-up for {code} on {date} recorded.").format(
                    code=result["case_code"], date=format_date(due)))
                self._after_follow_up(result["case_code"], key)

            def failed(exc: BaseException) -> None:
                if self._vault is None:
                    return
                text = "\n".join(field_problems([error_text(exc)], FOLLOW_UP_FIELDS))
                if _alive(dialog):
                    dialog.refuse(text)
                else:
                    self.status.setText(text)

            Op(self, lambda _ctx: deadlines.add_follow_up(vault, data["case_code"], data["due"], data["text"],
                                                          source="gui")) \
                .on_success(done).on_failure(failed).run()

        dialog = SavingDialog(_("New follow-up"), fields, values, self, save=save, intro=_(FOLLOW_UP_INTRO))
        dialog.setMinimumWidth(480)
        self._open_dialog(dialog)

    def _after_follow_up(self, case_code: str, key: str) -> None:
        """Show the client's deadlines with the new follow-up; say when it will show if not yet."""
        def shown() -> None:
            found = next((d for d in self._all or [] if d.key == key), None)
            if found is not None and self._on is not None and found.urgency(self._on) is U.SPAETER:
                self.status.setText(self.status.text() + " " + _("It shows here from {date} on.").format(
                    date=format_date(found.remind_from)))

        self.refresh_client(case_code, changed=True, then=shown)

    def _open_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()  # what was typed goes with it
            self._update_buttons()

        dialog.finished.connect(finished)
        self._update_buttons()
        dialog.open()

    # -- the calendar file

    def export_calendar(self) -> None:
        """Ask where, then write the open deadlines to an .ics file in the background."""
        from gk_desktop.services import calendar

        vault = self._vault
        if vault is None or self._exporting:
            return
        on, config = self._on or _today(), self.config
        start = documents_folder() / calendar.suggested_name(on)
        name = save_file_name(self, _("Save calendar file"), str(start), _("Calendar file (*.ics)"))
        if not name or self._vault is None:
            return
        path = Path(name)
        if path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        self._exporting = True
        self._update_buttons()
        self.status.setText(_("Writing the calendar file …"))

        def done(n: int) -> None:
            self._exporting = False
            if self._vault is None:
                return
            self.status.setText(ngettext("Calendar file written: {n} deadline", "Calendar file written: {n} deadlines",
                                         n).format(n=n))
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self._exporting = False
            if self._vault is None:
                return
            self.status.setText(error_text(exc))
            self._update_buttons()

        Op(self, lambda _ctx: calendar.export(vault, path, on=on, config=config)) \
            .on_success(done).on_failure(failed).run()


__all__ = ["DeadlinesView", "PLACES", "day_text", "place_of", "save_file_name", "what_text"]
