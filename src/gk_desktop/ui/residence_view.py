"""The "Prüfungen" page of the main window: the residence-law checks across clients
(:func:`gk_desktop.services.residence.overview`).

Above, every pathway that is green or yellow for someone, by pathway; below, everyone whose last
day to apply for § 25a (the day before the 27th birthday) falls within a year while § 25a is not
red, the nearest first, those with fewer than 90 days left highlighted. Preparation for the
conversation with the Ausländerbehörde, never a legal decision: the calm banner says so and names
the "Stand" of the rules.

Checking every file takes a few seconds with many clients, so it runs in the background with a
progress bar and "Abbrechen"; a cancelled run leaves the lists as they were. The page never checks
on its own: the main window calls :meth:`ResidenceView.reload` when the page is shown. The
pathway filter narrows the upper list without checking again; "also clients without a running
case" checks again. The page shows case codes only, never a name, so it can stay open during a
consultation. Double-click or Enter on a row, or "Fall öffnen", opens that client's file
(``open_case``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.checks_tab import (
    BANNER,
    LIGHT_TIPS,
    LIGHTS,
    PATHWAYS,
    STAND,
    DotModel,
    _date,
    light_word,
    pathway_name,
)
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.referrals_tab import fit_columns, select_id, select_row
from gk_desktop.ui.referrals_view import PRIVACY_NOTE
from gk_desktop.ui.tables import Col, RowsModel, current_row, heading, table_view

MONTHS_TO_27 = 12
SOON_DAYS = 90  # fewer days left than this: highlighted
NOW_FROM_FILE = N_("now (file)")
NO_RUNNING_CASE = N_("No running case")


def days_left(row: dict[str, Any]) -> int | None:
    """Days from the day of the check to the last day to apply (None without both dates)."""
    try:
        return (dt.date.fromisoformat(row["deadline"]) - dt.date.fromisoformat(row["on"])).days
    except (KeyError, TypeError, ValueError):
        return None


def soon(row: dict[str, Any]) -> bool:
    n = days_left(row)
    return n is not None and n < SOON_DAYS


def possible_from(row: dict[str, Any]) -> str:
    """The date from which the pathway could be open; "now (file)" when green without a date."""
    return _date(row.get("expected_eligible_on")) or (_(NOW_FROM_FILE) if row.get("result") == "GRUEN" else "")


def _light_color(row: dict[str, Any]) -> str:
    return LIGHTS.get(row.get("result") or "", ("", ""))[0]


def _case_tip(row: dict[str, Any]) -> str:
    return "" if row.get("open_case", True) else _(NO_RUNNING_CASE)


def _light_column() -> Col:
    """The traffic light as a word (the dot comes from the model), its meaning as the tooltip."""
    return Col(N_("Traffic light"), lambda r: light_word(r["result"]), tip=lambda r: _(LIGHT_TIPS.get(r["result"], "")))


def _missing(row: dict[str, Any]) -> str:
    return "; ".join(row.get("missing") or [])


class _DotAtModel(DotModel):
    """A :class:`DotModel` whose coloured dot sits in column ``dot_column`` instead of the first."""

    def __init__(self, columns: list[Col], color_of: Any, parent: Any = None, *, dot_column: int = 0,
                 **kw: Any) -> None:
        super().__init__(columns, color_of, parent, **kw)
        self._dot_column = dot_column

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DecorationRole:
            if not index.isValid() or index.column() != self._dot_column:
                return None
            return super().data(self.index(index.row(), 0), role)
        return super().data(index, role)


_heading = heading


class ResidenceView(QWidget):
    """Signals:
        open_case(str): a case code; the main window opens that client's file.
        loaded(): a check across every file ended and its result is shown.
    """

    open_case = Signal(str)
    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._generation = 0  # the newest run; answers of older runs are dropped
        self._op: Op | None = None
        self._result: dict[str, Any] | None = None  # the last complete check
        self._pathway_rows: list[dict[str, Any]] = []

        heading = QLabel(_("Residence checks"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)

        # -- the calm banner: what this is, and the Stand of the rules
        self.banner = QFrame()
        self.banner.setObjectName("residenceBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet("QFrame#residenceBanner { background: #e8f0fe; border: 1px solid #aecbfa;"
                                  " border-radius: 3px; } QFrame#residenceBanner QLabel { color: #1f3a5f; }")
        self.banner_text = QLabel(_(BANNER))
        self.banner_text.setWordWrap(True)
        self.stand_label = QLabel()
        bl = QVBoxLayout(self.banner)
        bl.setContentsMargins(10, 6, 10, 6)
        bl.setSpacing(2)
        bl.addWidget(self.banner_text)
        bl.addWidget(self.stand_label)
        self.note = QLabel(_(PRIVACY_NOTE))
        self.note.setWordWrap(True)

        # -- controls
        self.pathway_label = QLabel(_("&Pathway:"))
        self.pathway_filter = QComboBox()
        self.pathway_filter.addItem(_("All pathways"), "")
        for key in PATHWAYS:
            self.pathway_filter.addItem(pathway_name(key), key)
        self.pathway_filter.setAccessibleName(_("Show only this pathway"))
        self.pathway_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.pathway_label.setBuddy(self.pathway_filter)
        self.all_clients = QCheckBox(_("also clients &without a running case"))
        self.all_clients.setToolTip(_("Also check the files of clients whose case is closed"))
        self.all_clients.toggled.connect(lambda _on: self.reload())
        self.check_button = QPushButton(_("Check a&gain"))
        self.check_button.setToolTip(_("Check every file again with the current records and legal rules"))
        self.check_button.clicked.connect(self.reload)
        self.open_button = QPushButton(_("&Open case"))
        self.open_button.setToolTip(_("Open the file of the selected row (Enter, double-click)"))
        self.open_button.clicked.connect(self.open_selected)
        controls = QHBoxLayout()
        controls.addWidget(self.pathway_label)
        controls.addWidget(self.pathway_filter)
        controls.addSpacing(12)
        controls.addWidget(self.all_clients)
        controls.addStretch(1)
        controls.addWidget(self.check_button)
        controls.addWidget(self.open_button)

        # -- the running check
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the checks"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(320)
        self.progress.setAccessibleName(_("Progress of the checks"))
        self.cancel_button = QPushButton(_("C&ancel"))
        self.cancel_button.setToolTip(_("Stop checking; the lists keep what they showed (Esc)"))
        self.cancel_button.clicked.connect(self.cancel)
        running = QHBoxLayout()
        running.addWidget(self.status, 1)
        running.addWidget(self.progress)
        running.addWidget(self.cancel_button)
        self.cancel_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.cancel_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_key.activated.connect(self.cancel)

        # -- green or yellow, by pathway
        self.model = DotModel([
            _light_column(),
            Col(N_("Pathway"), lambda r: pathway_name(r["pathway"]), tip=lambda r: pathway_name(r["pathway"])),
            Col(N_("Case code"), lambda r: r["case_code"], tip=_case_tip),
            Col(N_("Possible from"), possible_from),
            Col(N_("Deadline"), lambda r: _date(r.get("deadline"))),
            Col(N_("Missing so far"), _missing, tip=lambda r: "\n".join(r.get("missing") or [])),
        ], _light_color, self, muted=lambda r: not r.get("open_case", True))
        self.table = table_view(self.model, _("Green or yellow pathways"), single=True)
        self.table_heading = _heading(_("Green or &yellow, by pathway"))
        self.table_heading.setBuddy(self.table)
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of green or yellow pathways"))

        # -- turning 27 within a year
        self.turning_model = _DotAtModel([
            Col(N_("Case code"), lambda r: r["case_code"], tip=_case_tip),
            Col(N_("Last day to apply"), lambda r: _date(r.get("deadline"))),
            Col(N_("Days left"), lambda r: "" if days_left(r) is None else str(days_left(r)), right=True,
                tip=lambda r: _("Fewer than 90 days until the last day to apply.") if soon(r) else ""),
            _light_column(),
            Col(N_("Possible from"), possible_from),
        ], _light_color, self, dot_column=3, muted=lambda r: not r.get("open_case", True), marked=soon)
        self.turning_table = table_view(self.turning_model, _("Turning 27 within a year"), single=True)
        self.turning_heading = _heading(_("Tu&rning 27 within a year – § 25a not red"))
        self.turning_heading.setBuddy(self.turning_table)
        turning_hint = QLabel(_("The last day to apply for § 25a is the day before the 27th birthday. "
                                "Highlighted: fewer than 90 days left."))
        turning_hint.setWordWrap(True)
        self.turning_count = QLabel()
        self.turning_count.setAccessibleName(_("Number of clients turning 27 within a year"))

        for table in (self.table, self.turning_table):
            table.doubleClicked.connect(lambda _i, t=table: self._open_from(t))
            table.selectionModel().currentRowChanged.connect(lambda current, _p, t=table: self._row_changed(t, current))
            table.installEventFilter(self)
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shortcut = QShortcut(QKeySequence(key), table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(lambda t=table: self._open_from(t))
        self._active: QTableView = self.table  # the table whose row "Open case" opens

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table_heading)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.count)
        bottom = QWidget()
        bol = QVBoxLayout(bottom)
        bol.setContentsMargins(0, 10, 0, 0)
        bol.addWidget(self.turning_heading)
        bol.addWidget(turning_hint)
        bol.addWidget(self.turning_table, 1)
        bol.addWidget(self.turning_count)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addLayout(controls)
        layout.addLayout(running)
        layout.addWidget(self.splitter, 1)

        self._show_stand(None)
        self._show_running(False)
        self._update_buttons()

    # -- loading

    def is_running(self) -> bool:
        return self._op is not None

    def reload(self) -> None:
        """Check every file in the background (a run still going is cancelled first)."""
        from gk_desktop.services import residence

        vault = self._vault
        if vault is None:
            return
        self._stop()
        self._generation += 1
        generation = self._generation
        open_only = not self.all_clients.isChecked()

        def run(ctx: Any) -> dict[str, Any] | None:
            return residence.overview(vault, months_to_27=MONTHS_TO_27, open_cases_only=open_only,
                                      progress=lambda done, total: ctx.progress(done / max(total, 1)),
                                      cancelled=lambda: ctx.cancelled, source="gui")

        def current() -> bool:
            return generation == self._generation and self._vault is not None

        def done(result: dict[str, Any] | None) -> None:
            if not current():
                return  # locked, cleared, cancelled or checked again meanwhile
            self._op = None
            if result is None:  # the service noticed the cancel
                self._cancelled()
                return
            self._loaded(result)

        def failed(exc: BaseException) -> None:
            if not current():
                return
            self._op = None
            self._show_running(False)
            self.status.setText(error_text(exc))
            self._update_buttons()

        def cancelled() -> None:
            if current():
                self._op = None
                self._cancelled()

        def progressed(fraction: float) -> None:
            if current():
                self.progress.setValue(int(fraction * 1000))

        self._op = Op(self, run).on_success(done).on_failure(failed).on_cancel(cancelled).on_progress(progressed)
        self.progress.setValue(0)
        self.status.setText(_("Checking every file …"))
        self._show_running(True)
        self._update_buttons()
        self._op.run()

    def cancel(self) -> None:
        """Stop the running check; the lists keep what they showed."""
        if self._op is None:
            return
        self._stop()
        self._generation += 1  # whatever the stopped run still answers is dropped
        self._cancelled()

    def _stop(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self._op = None

    def _cancelled(self) -> None:
        self._show_running(False)
        if self._result is not None:
            self.status.setText(_("Cancelled. The lists still show the check of {date}.").format(
                date=_date(self._result["on"])))
        else:
            self.status.setText(_("Cancelled. There is no result yet."))
        self._update_buttons()

    def _loaded(self, result: dict[str, Any]) -> None:
        self._result = result
        self._show_running(False)
        # Only one table holds a row at a time (see _row_changed): that one keeps it.
        active = self._active
        keep = self._current_id(active, self._model_of(active))
        self._pathway_rows = [dict(r, id=f"{r['case_code']}/{r['pathway']}", on=result["on"])
                              for r in result.get("pathways") or []]
        turning = [dict(r, id=r["case_code"], on=result["on"]) for r in result.get("turning_27") or []]
        self.turning_model.set_rows(turning)
        fit_columns(self.turning_table, 320)
        self._apply_filter(keep if active is self.table else "")
        if active is self.turning_table:
            select_id(self.turning_table, self.turning_model, keep)
        self._active = active
        self._show_stand(result.get("rule_stand"))
        self.status.setText(_("Checked on {date}.").format(date=_date(result["on"])))
        self._show_counts()
        self._update_buttons()
        self.loaded.emit()

    def clear(self) -> None:
        """Forget everything shown (the app locks); a running check is cancelled."""
        self._stop()
        self._vault = None
        self._generation += 1
        self._result = None
        self._pathway_rows = []
        self.model.set_rows([])
        self.turning_model.set_rows([])
        self.count.clear()
        self.turning_count.clear()
        self.status.clear()
        self._show_stand(None)
        self._show_running(False)
        self._update_buttons()

    # -- display

    def _apply_filter(self, keep: str | None = None) -> None:
        """Show the rows of the chosen pathway (all when none is chosen); no new check."""
        if keep is None:
            keep = self._current_id(self.table, self.model)
        key = self.pathway_filter.currentData() or ""
        rows = [r for r in self._pathway_rows if not key or r["pathway"] == key]
        self.model.set_rows(rows)
        fit_columns(self.table, 320)
        select_id(self.table, self.model, keep)
        if self._result is not None:
            self._show_counts()
        self._update_buttons()

    def _show_stand(self, stand: str | None) -> None:
        self.stand_label.setText(_(STAND).format(date=_date(stand) if stand else "–"))

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_key.setEnabled(running)  # Esc stays free for the rest of the window otherwise

    def _show_counts(self) -> None:
        n = self.model.rowCount()
        clients = len({r["case_code"] for r in self.model.rows()})
        text = ngettext("{n} green or yellow pathway", "{n} green or yellow pathways", n).format(n=n)
        text += " · " + ngettext("{n} client", "{n} clients", clients).format(n=clients)
        if self.pathway_filter.currentData():
            total = len(self._pathway_rows)
            text += " · " + _("filtered: {pathway} ({total} in all)").format(
                pathway=self.pathway_filter.currentText(), total=total)
        self.count.setText(text)
        m = self.turning_model.rowCount()
        if m:
            text = ngettext("{n} client turns 27 within a year", "{n} clients turn 27 within a year", m).format(n=m)
            urgent = sum(1 for r in self.turning_model.rows() if soon(r))
            if urgent:
                text += " · " + _("{n} of them with fewer than 90 days left (highlighted)").format(n=urgent)
        else:
            text = _("Nobody turns 27 within a year with § 25a not red.")
        self.turning_count.setText(text)

    # -- the selection

    _current = staticmethod(current_row)

    def _current_id(self, table: QTableView, model: RowsModel) -> str | None:
        row = self._current(table, model)
        return row["id"] if row else None

    def _model_of(self, table: QTableView) -> RowsModel:
        return self.model if table is self.table else self.turning_model

    def _other(self, table: QTableView) -> QTableView:
        return self.turning_table if table is self.table else self.table

    def _row_changed(self, table: QTableView, current: Any) -> None:
        """A row chosen in one table is the one "Open case" opens: the other table lets go of its row."""
        if current.isValid():
            self._active = table
            other = self._other(table)
            if other.selectionModel().hasSelection() or other.currentIndex().isValid():
                other.selectionModel().clear()
        self._update_buttons()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn and obj in (self.table, self.turning_table):
            table: QTableView = obj  # type: ignore[assignment]
            model = self._model_of(table)
            if self._current(table, model) is None and model.rowCount():
                select_row(table, 0)  # Tab into a list chooses its first row: Enter opens it at once
        return super().eventFilter(obj, event)

    def selected(self) -> dict[str, Any] | None:
        """The row "Open case" opens (of the table chosen last)."""
        return self._current(self._active, self._model_of(self._active))

    def _update_buttons(self) -> None:
        ready = self._vault is not None
        self.open_button.setEnabled(ready and self.selected() is not None)
        self.check_button.setEnabled(ready and not self.is_running())
        self.all_clients.setEnabled(ready)
        self.pathway_filter.setEnabled(ready)

    def _open_from(self, table: QTableView) -> None:
        row = self._current(table, self._model_of(table))
        if row is not None and self._vault is not None:
            self.open_case.emit(row["case_code"])

    def open_selected(self) -> None:
        self._open_from(self._active)


__all__ = ["ResidenceView", "days_left", "possible_from", "soon"]
