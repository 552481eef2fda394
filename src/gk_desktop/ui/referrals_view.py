"""The "Vermittlungen" page of the main window: the referrals of every client in one list, waiting
ones first and the longest wait first (:func:`gk_desktop.services.cycle.referral_overview`), and
below it the short-advice cases without a contact for six months, proposed for closing
(:func:`gk_desktop.services.cycle.short_advice_to_close`).

The page shows case codes only, never a name, so it can stay open during a consultation. A
referral's status changes in one click, as in the case view; when the consent for passing data
is missing, the message says why and offers to open the case, where it is recorded. Double-click
or Enter on a row opens that client's file (``open_case``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.services import cycle
from gk_desktop.ui.widgets import ask
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.tables import current_row
from gk_desktop.ui.referrals_tab import (
    LONG_WAIT_DAYS,
    Col,
    RowsModel,
    StatusButton,
    _date,
    fit_columns,
    select_id,
    select_row,
    status_label,
    stretch_column,
)

PRIVACY_NOTE = N_("Case codes only, no names: this page can stay open during a consultation.")
OPEN_CASE_HINT = N_("Nothing was sent; the status stays “{status}”. Open the case {code} and record the release "
                    "from confidentiality there, then change the status again.")


def waits_long(row: dict[str, Any]) -> bool:
    """Waiting for an answer of the provider for more than four weeks."""
    return row.get("status") in cycle.WAITING_STATUSES and (row.get("days") or 0) > LONG_WAIT_DAYS


def ask_to_open_case(parent: QWidget, exc: BaseException, status: str, case_code: str) -> bool:
    """The refusal of a status change for want of a consent; True when the worker opens the case."""
    return ask(parent, _("Consent missing"), error_text(exc), _("Open case"),
               info=_(OPEN_CASE_HINT).format(status=status_label(status), code=case_code),
               icon=QMessageBox.Icon.Information)


class ReferralsView(QWidget):
    """Signals:
        open_case(str): a case code; the main window opens that client's file.
        changed(): a referral's status was changed here.
        loaded(): the lists were (re)loaded and are shown.
    """

    open_case = Signal(str)
    changed = Signal()
    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import _heading, _table

        super().__init__(parent)
        self._vault = vault
        self._generation = 0
        self._busy = False
        self._select_after: str | None = None
        self.short_advice_months = cycle.DEFAULT_SHORT_ADVICE_IDLE_MONTHS

        heading = QLabel(_("Referrals"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)
        self.note = QLabel(_(PRIVACY_NOTE))
        self.note.setWordWrap(True)

        self.open_only = QCheckBox(_("only &open ones"))
        self.open_only.setToolTip(_("Hide referrals that are completed, declined or dropped out"))
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.status_button = StatusButton()
        self.status_button.chosen.connect(self.change_status)
        self.open_button = QPushButton(_("&Open case"))
        self.open_button.setToolTip(_("Open the file of the selected referral (Enter, double-click)"))
        self.open_button.clicked.connect(self.open_selected)
        controls = QHBoxLayout()
        controls.addWidget(self.open_only)
        controls.addSpacing(12)
        controls.addWidget(self.status_button)
        controls.addWidget(self.open_button)
        controls.addStretch(1)

        self.model = RowsModel([
            Col(N_("Case code"), lambda r: r["case_code"]),
            Col(N_("Chain"), lambda r: r["chain_title"] or ""),
            Col(N_("Offer"), lambda r: r["offer"] or ""),
            Col(N_("Provider"), lambda r: r["partner"] or ""),
            Col(N_("Status"), lambda r: status_label(r["status"])),
            Col(N_("since"), lambda r: _date(r["since"])),
            Col(N_("Days"), lambda r: "" if r["days"] is None else str(r["days"]), right=True,
                tip=lambda r: _("No answer for more than four weeks: ask the provider.") if waits_long(r) else ""),
        ], self, muted=lambda r: r["status"] in cycle.FINAL_REFERRAL_STATUSES, marked=waits_long)
        self.table = _table(self.model, _("Referrals of every client"))
        stretch_column(self.table, 3)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of referrals"))
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.short_heading = _heading("")
        short_hint = QLabel(_("Proposed for closing: open the case and close it there, so that it gets a "
                              "retention date."))
        short_hint.setWordWrap(True)
        self.short_model = RowsModel([
            Col(N_("Case code"), lambda r: r["case_code"]),
            Col(N_("Last contact"), lambda r: _date(r["last_contact"])),
        ], self)
        self.short_table = _table(self.short_model, _("Short-advice cases without contact"))
        self.short_table.doubleClicked.connect(lambda _i: self.open_selected_short())
        self.short_table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.short_open_button = QPushButton(_("Open c&ase"))
        self.short_open_button.setToolTip(_("Open the selected short-advice case to close it"))
        self.short_open_button.clicked.connect(self.open_selected_short)
        self.short_count = QLabel()
        short_buttons = QHBoxLayout()
        short_buttons.addWidget(self.short_open_button)
        short_buttons.addWidget(self.short_count, 1)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(controls)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.count)
        tl.addWidget(self.status)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 10, 0, 0)
        bl.addWidget(self.short_heading)
        bl.addWidget(short_hint)
        bl.addLayout(short_buttons)
        bl.addWidget(self.short_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)

        for table, slot in ((self.table, self.open_selected), (self.short_table, self.open_selected_short)):
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shortcut = QShortcut(QKeySequence(key), table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
        self._show_headings()
        self._update_buttons()

    # -- loading

    def reload(self) -> None:
        """Load both lists in the background; keeps the selection."""
        vault = self._vault
        if vault is None:
            return
        self._generation += 1
        generation = self._generation
        open_only = self.open_only.isChecked()
        months = self.short_advice_months

        def load(_ctx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            referrals = [{"id": r.id, "case_code": r.case_code, "client_id": r.client_id, "chain_title": r.chain_title,
                          "offer": r.offer, "partner": r.partner, "status": r.status,
                          "since": r.since.isoformat() if r.since else None, "days": r.days}
                         for r in cycle.referral_overview(vault, open_only=open_only)]
            short = [{"id": a.case_id, "case_code": a.case_code, "client_id": a.client_id,
                      "last_contact": a.last_contact.isoformat()}
                     for a in cycle.short_advice_to_close(vault, months=months)]
            return referrals, short

        def failed(exc: BaseException) -> None:
            if generation == self._generation and self._vault is not None:
                self.status.setText(error_text(exc))

        Op(self, load).on_success(lambda result: self._loaded(generation, months, result)).on_failure(failed).run()

    def _loaded(self, generation: int, months: int, result: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        if generation != self._generation or self._vault is None:
            return  # locked, cleared or reloaded meanwhile
        referrals, short = result
        keep = self._select_after or self._current_id(self.table, self.model)
        keep_short = self._current_id(self.short_table, self.short_model)
        self._select_after = None
        self.model.set_rows(referrals)
        fit_columns(self.table, 320)
        select_id(self.table, self.model, keep)
        self.short_model.set_rows(short)
        fit_columns(self.short_table, 320)
        if not select_id(self.short_table, self.short_model, keep_short) and short:
            select_row(self.short_table, 0)  # "Open case" works at once; opening changes nothing
        self._show_headings(months)
        self._show_count()
        self._update_buttons()
        self.loaded.emit()

    def clear(self) -> None:
        """Forget everything shown (the app locks)."""
        self._vault = None
        self._generation += 1
        self._busy = False
        self._select_after = None
        self.model.set_rows([])
        self.short_model.set_rows([])
        self.count.clear()
        self.short_count.clear()
        self.status.clear()
        self._update_buttons()

    def _show_headings(self, months: int | None = None) -> None:
        n = self.short_advice_months if months is None else months
        self.short_heading.setText(ngettext("Short-advice cases without contact for {n} month",
                                            "Short-advice cases without contact for {n} months", n).format(n=n))

    def _show_count(self) -> None:
        rows = self.model.rows()
        n = len(rows)
        if self.open_only.isChecked():
            text = ngettext("{n} open referral", "{n} open referrals", n).format(n=n)
        else:
            text = ngettext("{n} referral", "{n} referrals", n).format(n=n)
        long = sum(1 for r in rows if waits_long(r))
        if long:
            text += " · " + _("{n} of them without an answer for more than four weeks (highlighted)").format(n=long)
        self.count.setText(text)
        m = self.short_model.rowCount()
        self.short_count.setText(ngettext("{n} case", "{n} cases", m).format(n=m) if m
                                 else _("None at the moment."))

    # -- the selection

    _current = staticmethod(current_row)

    def _current_id(self, table: QTableView, model: RowsModel) -> str | None:
        row = self._current(table, model)
        return row["id"] if row else None

    def _update_buttons(self) -> None:
        ready = self._vault is not None
        row = self._current(self.table, self.model) if ready else None
        self.status_button.set_current(row["status"] if row else None, enabled=not self._busy)
        self.open_button.setEnabled(row is not None)
        self.short_open_button.setEnabled(ready and self._current(self.short_table, self.short_model) is not None)
        self.open_only.setEnabled(ready)

    def open_selected(self) -> None:
        row = self._current(self.table, self.model)
        if row is not None and self._vault is not None:
            self.open_case.emit(row["case_code"])

    def open_selected_short(self) -> None:
        row = self._current(self.short_table, self.short_model)
        if row is not None and self._vault is not None:
            self.open_case.emit(row["case_code"])

    # -- status

    def change_status(self, status: str) -> None:
        """Move the selected referral to ``status`` (one click; the consent is checked by the service)."""
        row = self._current(self.table, self.model)
        vault = self._vault
        if row is None or vault is None or self._busy or row["status"] == status:
            return
        self._busy = True
        self._update_buttons()
        referral_id = row["id"]

        def done(_result: Any) -> None:
            self._busy = False
            if self._vault is None:
                return
            self._select_after = referral_id
            self.status.setText(_("{code}: status changed to “{status}”.").format(
                code=row["case_code"], status=status_label(status)))
            self.reload()
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            if self._vault is None:
                return
            if isinstance(exc, cycle.ConsentMissing):
                self.status.setText(f"{row['case_code']}: {error_text(exc)}")
                if ask_to_open_case(self, exc, row["status"], row["case_code"]):
                    self.open_case.emit(row["case_code"])
            else:
                show_error(self, exc)

        Op(self, lambda _ctx: cycle.set_referral_status(vault, referral_id, status, source="gui")) \
            .on_success(done).on_failure(failed).run()


__all__ = ["ReferralsView", "ask_to_open_case", "waits_long"]
