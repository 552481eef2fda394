"""The "Vermittlungen" tab of the case view: the client's service chains (Dienstleistungsketten)
and, for the chain selected, its referrals in order.

A referral starts as "proposed"; its status changes in one click (the "Change status" menu) and
runs in the background through :func:`gk_desktop.services.cycle.set_referral_status`. Data go to
the provider from "requested" on, and only with a release from confidentiality towards that
provider: when it is missing, expired, revoked or does not cover the categories, the service
refuses with :class:`~gk_desktop.services.cycle.ConsentMissing`, nothing is sent, and the tab offers
to record the consent (``consent_needed``; the case view opens the Einwilligungen tab). Counselling
itself never waits for a consent.

The case view loads the case (:func:`gk_desktop.services.cycle.case_json`) and hands it over with
:meth:`ReferralsTab.set_case`; after every write the tab emits ``changed`` and the case view
reloads. Offer and partner names come from the directory, read in the background. Nothing is
kept once the app locks (:meth:`ReferralsTab.clear`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHeaderView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.services import cycle
from gk_desktop.ui.consents_tab import SavingDialog, categories_text, field_problems, status_text
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.record_editor import FieldSpec
from gk_desktop.ui.widgets import ask, format_date
from gk_desktop.ui.tables import Col, RowsModel
from gk_desktop.labels import REFERRAL_STATUS  # noqa: F401 - also imported from here

Index = QModelIndex | QPersistentModelIndex

FUNDING_COMPONENT = {
    "GK_B1": N_("GK module 1"),
    "GK_B2": N_("GK module 2"),
    "GK_B3": N_("GK module 3"),
    "GK_B4": N_("GK module 4"),
    "GK_B5": N_("GK module 5"),
    "REGELANGEBOT": N_("standard service"),
    "SONSTIGE": N_("other"),
}
# The funding component an offer of a "Gemeinsam klappt's" category is usually paid from.
FUNDING_OF_CATEGORY = {"GK_B1_COACHING": "GK_B1", "GK_B2_QUALIFIZIERUNG": "GK_B2", "GK_B3_HSA": "GK_B3",
                       "GK_B4_VORBEREITUNG": "GK_B4", "GK_B5_INNOVATION": "GK_B5"}
# The order of the status menu; None is a separator.
STATUS_MENU_ORDER: tuple[str | None, ...] = (
    "ANGEFRAGT", "ZUGESAGT", "WARTELISTE", "BEGONNEN", None,
    "ABGESCHLOSSEN_ERFOLGREICH", "ABGESCHLOSSEN_OHNE_ERFOLG", "ABGEBROCHEN", "NICHT_ANGETRETEN", None,
    "ABGELEHNT_ANBIETER", "ABGELEHNT_KLIENT", None,
    "VORGESCHLAGEN",
)
LONG_WAIT_DAYS = 28

NOTE = N_("Data go to the provider from “Requested” on, and only with a release from confidentiality towards "
          "that provider. A referral without data (a tip for the client) needs none.")
CONSENT_MISSING_HINT = N_("Nothing was sent; the status stays “{status}”. Record the release from "
                          "confidentiality, then change the status again.")

CHAIN_FIELDS = {
    "title": N_("Title"), "goal": N_("Goal"), "goal_id": N_("Goal of the plan"), "start_on": N_("Start"),
    "planned_end_on": N_("Planned end"), "coordinator": N_("Coordinated by"),
}
REFERRAL_FIELDS = {
    "offer_id": N_("Offer"), "partner_id": N_("Partner"), "partner_contact_id": N_("Contact person"),
    "passes_data": N_("Passes personal data"), "categories": N_("Categories of data passed"),
    "referred_on": N_("Requested on"), "accepted_on": N_("Accepted on"), "start_on": N_("Started on"),
    "planned_end_on": N_("Planned end"), "actual_end_on": N_("Ended on"),
    "funding_component": N_("Funding component"), "feedback": N_("Feedback"), "dropout_reason": N_("Dropout reason"),
}


# --------------------------------------------------------------------------- small helpers


def _date(value: Any) -> str:
    if not value:
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(day)


def status_label(status: str | None) -> str:
    return labels.label(REFERRAL_STATUS, status)


def first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def refusal_text(exc: BaseException, fields: dict[str, str]) -> str:
    """A service refusal ("… nothing was changed:\\n  - key: message") with the dialog's field labels."""
    text = error_text(exc)
    head, *lines = text.split("\n")
    items = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    if not items:
        return text
    return "\n".join([head] + ["  - " + p for p in field_problems(items, fields)])


def _alive(widget: Any) -> bool:
    import shiboken6

    return widget is not None and shiboken6.isValid(widget) and widget.isVisible()


def select_row(table: QTableView, row: int) -> None:
    """Select one row whatever keys are held."""
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)


def select_id(table: QTableView, model: "RowsModel", wanted: str | None) -> bool:
    row = model.find(wanted)
    if row is None:
        return False
    select_row(table, row)
    return True


def fit_columns(table: QTableView, widest: int = 300) -> None:
    table.resizeColumnsToContents()
    for col in range(table.model().columnCount() - 1):
        table.setColumnWidth(col, min(table.columnWidth(col), widest))


def stretch_column(table: QTableView, column: int) -> None:
    """Give the spare width to ``column`` (a text column) instead of the last one."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


class StatusButton(QPushButton):
    """ "Change status" with a menu of every referral status: one click moves the referral on.
    The current status is marked and cannot be chosen again.

    Signals:
        chosen(str): the status chosen (an identifier of ReferralStatus).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(_("Change s&tatus"))
        self.setToolTip(_("Change the status of the selected referral in one click"))
        menu = QMenu(self)
        group = QActionGroup(menu)
        group.setExclusive(True)
        self.status_actions: dict[str, QAction] = {}
        for status in STATUS_MENU_ORDER:
            if status is None:
                menu.addSeparator()
                continue
            action = menu.addAction(status_label(status))
            action.setData(status)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, s=status: self.chosen.emit(s))
            self.status_actions[status] = action
        self.setMenu(menu)
        self.set_current(None)

    def set_current(self, status: str | None, enabled: bool = True) -> None:
        for key, action in self.status_actions.items():
            action.setChecked(key == status)
            action.setEnabled(status is not None and key != status)
        self.setEnabled(enabled and status is not None)


def ask_to_record_consent(parent: QWidget, exc: BaseException, status: str) -> bool:
    """The refusal of a status change for want of a consent; True when the worker chooses to record it."""
    return ask(parent, _("Consent missing"), error_text(exc), _("Record consent …"),
               info=_(CONSENT_MISSING_HINT).format(status=status_label(status)), icon=QMessageBox.Icon.Information)


# --------------------------------------------------------------------------- dialogs


class _PlainEdit(QPlainTextEdit):
    """A several-line text field with the QLineEdit calls RecordDialog uses."""

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        self.setPlainText(text)


class ReferralDialog(SavingDialog):
    """The details of a referral; ``feedback`` is a several-line field."""

    MULTILINE = frozenset({"feedback"})

    def _make(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.key in self.MULTILINE and spec.kind == "text":
            edit = _PlainEdit()
            edit.setTabChangesFocus(True)
            edit.setPlainText("" if value is None else str(value))
            edit.setMaximumHeight(90)
            return edit
        return _fit_list(super()._make(spec, value))


def _fit_list(widget: QWidget) -> QWidget:
    """A list of check boxes (the categories) as high as its rows, no higher."""
    if isinstance(widget, QListWidget) and widget.count():
        height = widget.sizeHintForRow(0) * widget.count() + 2 * widget.frameWidth() + 4
        widget.setMaximumHeight(max(60, min(height, 220)))
    return widget


class AddReferralDialog(ReferralDialog):
    """A new referral: an offer of the directory checked against the client (fitting ones first,
    with the reasons), or a partner without an offer; then what passes and how it is paid."""

    def __init__(self, matches: list[dict[str, Any]], partners: list[dict[str, Any]], parent: QWidget | None, *,
                 save: Callable[[dict[str, Any]], None]) -> None:
        from gk_desktop.ui.case_view import _table
        from gk_desktop.ui.matching_dialog import remark_text

        f = REFERRAL_FIELDS
        fields = [
            FieldSpec("passes_data", f["passes_data"], "bool"),
            FieldSpec("categories", f["categories"], "multi", labels.DATA_CATEGORY),
            FieldSpec("planned_end_on", f["planned_end_on"], "date"),
            FieldSpec("funding_component", f["funding_component"], "enum", FUNDING_COMPONENT),
        ]
        super().__init__(_("Add referral"), fields, {"categories": ["STAMMDATEN"], "passes_data": True}, parent,
                         save=save)
        self._funding_auto = True
        self.offer_radio = QRadioButton(_("An &offer of the directory"))
        self.partner_radio = QRadioButton(_("A &partner without an offer"))
        group = QButtonGroup(self)
        group.addButton(self.offer_radio)
        group.addButton(self.partner_radio)
        self.offer_radio.setChecked(True)
        self.offers_model = RowsModel([
            Col(N_("Offer"), lambda r: r["name"]),
            Col(N_("Provider"), lambda r: r["provider"] or ""),
            Col(N_("Category"), lambda r: labels.label(labels.OFFER_CATEGORY, r["category"])),
            Col(N_("Fits"), lambda r: _("yes") if r["fits"] else _("no")),
            Col(N_("Why not / to check"), remark_text, tip=remark_text),
        ], self, muted=lambda r: not r["fits"])
        # Fitting offers first (the service's order within each group).
        self.offers_model.set_rows(sorted(matches, key=lambda r: not r["fits"]))
        self.offers_table = _table(self.offers_model, _("Offers"))
        self.offers_table.setMinimumHeight(220)
        fit_columns(self.offers_table, 260)
        self.offers_table.selectionModel().currentRowChanged.connect(self._offer_changed)
        fitting = sum(1 for r in matches if r["fits"])
        self.offer_count = QLabel(
            ngettext("Fitting: {n} of {m} offer", "Fitting: {n} of {m} offers", len(matches)).format(
                n=fitting, m=len(matches)) if matches else _("There are no offers in the directory yet."))
        self.offer_count.setWordWrap(True)
        self.partner_combo = QComboBox()
        self.partner_combo.addItem("–", None)
        for p in partners:
            self.partner_combo.addItem(p["name"], p["id"])
        self.partner_combo.setAccessibleName(_("Partner"))
        self.offer_radio.toggled.connect(self._mode_changed)
        self.widgets["passes_data"].toggled.connect(self._passes_changed)  # type: ignore[attr-defined]
        self.widgets["funding_component"].activated.connect(self._funding_touched)  # type: ignore[attr-defined]

        intro = QLabel(_("Checked against the age, residence status, German level and school qualification "
                         "recorded in the file. Whether a place is free is clarified with the provider."))
        intro.setWordWrap(True)
        picker = QWidget()
        pl = QVBoxLayout(picker)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(intro)
        pl.addWidget(self.offer_radio)
        pl.addWidget(self.offers_table, 1)
        pl.addWidget(self.offer_count)
        partner_row = QHBoxLayout()
        partner_row.addWidget(self.partner_radio)
        partner_row.addWidget(self.partner_combo, 1)
        pl.addLayout(partner_row)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, picker, 1)
        self._mode_changed(True)
        self.resize(980, 720)

    def _mode_changed(self, _checked: bool) -> None:
        offer = self.offer_radio.isChecked()
        self.offers_table.setEnabled(offer)
        self.partner_combo.setEnabled(not offer)

    def _passes_changed(self, passes: bool) -> None:
        self.widgets["categories"].setEnabled(passes)

    def _funding_touched(self, _index: int) -> None:
        self._funding_auto = False

    def _offer_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or not self._funding_auto:
            return
        category = self.offers_model.row_at(current.row())["category"]
        combo = self.widgets["funding_component"]
        combo.setCurrentIndex(max(combo.findData(FUNDING_OF_CATEGORY.get(category)), 0))  # type: ignore[attr-defined]

    def choose_offer(self, offer_id: str) -> bool:
        self.offer_radio.setChecked(True)
        return select_id(self.offers_table, self.offers_model, offer_id)

    def choose_partner(self, partner_id: str) -> bool:
        index = self.partner_combo.findData(partner_id)
        if index < 0:
            return False
        self.partner_radio.setChecked(True)
        self.partner_combo.setCurrentIndex(index)
        return True

    def choice(self) -> dict[str, Any] | None:
        if self.offer_radio.isChecked():
            rows = self.offers_table.selectionModel().selectedRows()
            if not rows:
                return None
            return {"offer_id": self.offers_model.row_at(rows[0].row())["id"], "partner_id": None}
        partner = self.partner_combo.currentData()
        return {"offer_id": None, "partner_id": partner} if partner else None

    def values(self) -> tuple[dict[str, Any] | None, list[str]]:
        out, problems = super().values()
        choice = self.choice()
        if choice is None:
            return None, [_("Choose an offer or a partner.")] + problems
        if out is None:
            return None, problems
        if not out.get("passes_data"):
            out["categories"] = []
        return {**choice, **out}, problems


# --------------------------------------------------------------------------- the tab


class ReferralsTab(QWidget):
    """Signals:
        changed(): a chain or referral was added, changed, deleted, or its status changed (the case
            view reloads and calls :meth:`set_case`).
        consent_needed(dict): the worker chose to record the missing consent:
            {"partner_id", "categories", "purpose"}.
        loaded(): the case is shown with the names of offers and providers.
    """

    changed = Signal()
    consent_needed = Signal(object)
    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import _heading, _table

        super().__init__(parent)
        self._vault = vault
        self.case_code: str | None = None
        self.case_id: str | None = None
        self.client_id: str | None = None
        self.shown: dict[str, Any] | None = None
        self._generation = 0
        self._busy = False
        self._select_chain: str | None = None
        self._select_referral: str | None = None
        self._offers: dict[str, dict[str, Any]] = {}
        self._partners: dict[str, dict[str, Any]] = {}
        self._consents: dict[str, dict[str, Any]] = {}
        self._goals: dict[str, dict[str, Any]] = {}
        self.dialog: QDialog | None = None

        self.note = QLabel(_(NOTE))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background: palette(alternate-base); padding: 6px; }")

        # Chains
        self.chains = RowsModel([
            Col(N_("Title"), lambda r: r["title"] or ""),
            Col(N_("Goal"), self._goal_text),
            Col(N_("Start"), lambda r: _date(r["start_on"])),
            Col(N_("Planned end"), lambda r: _date(r["planned_end_on"])),
            Col(N_("Coordinated by"), lambda r: r["coordinator"] or ""),
            Col(N_("Referrals"), lambda r: str(r["_count"]), right=True),
        ], self)
        self.chains_table = _table(self.chains, _("Service chains"))
        stretch_column(self.chains_table, 1)
        self.chains_table.selectionModel().currentRowChanged.connect(self._chain_changed)
        self.chains_table.doubleClicked.connect(lambda _i: self.edit_chain())
        self.new_chain_button = QPushButton(_("New &chain …"))
        self.new_chain_button.setToolTip(_("A service chain holds the referrals towards one goal, in order"))
        self.new_chain_button.clicked.connect(self.add_chain)
        self.edit_chain_button = QPushButton(_("Change …"))
        self.edit_chain_button.setAccessibleName(_("Change the service chain"))
        self.edit_chain_button.clicked.connect(self.edit_chain)
        chain_buttons = QHBoxLayout()
        for b in (self.new_chain_button, self.edit_chain_button):
            chain_buttons.addWidget(b)
        chain_buttons.addStretch(1)
        self.empty_hint = QLabel(_("No service chain yet. Start with “New chain …”; then add its referrals in order."))
        self.empty_hint.setWordWrap(True)

        # Referrals of the chain
        self.referrals = RowsModel([
            Col(N_("No."), lambda r: str(r["position"]), right=True),
            Col(N_("Offer"), lambda r: r["_offer"]),
            Col(N_("Provider"), lambda r: r["_partner"]),
            Col(N_("Status"), lambda r: status_label(r["status"])),
            Col(N_("since"), lambda r: _date(r["status_since"])),
            Col(N_("Sent"), self._sent_mark, tip=self._sent_tip),
            Col(N_("Categories passed"), lambda r: categories_text(r["categories"]) if r["passes_data"] else "–"),
            Col(N_("Feedback"), lambda r: first_line(r["feedback"]), tip=lambda r: r["feedback"] or ""),
        ], self, muted=lambda r: r["status"] in cycle.FINAL_REFERRAL_STATUSES)
        self.referrals_table = _table(self.referrals, _("Referrals"))
        self.referrals_table.selectionModel().currentRowChanged.connect(lambda *_a: self._referral_changed())
        self.referrals_table.doubleClicked.connect(lambda _i: self.edit_referral())
        self.referrals_heading = _heading(_("Referrals"))
        self.add_referral_button = QPushButton(_("&Add referral …"))
        self.add_referral_button.setToolTip(_("Refer the client to an offer or a partner, at the end of the chain"))
        self.add_referral_button.clicked.connect(self.add_referral)
        self.status_button = StatusButton()
        self.status_button.chosen.connect(self.change_status)
        self.edit_referral_button = QPushButton(_("Change …"))
        self.edit_referral_button.setAccessibleName(_("Change the referral"))
        self.edit_referral_button.setToolTip(_("Feedback, dropout reason, dates, contact person (Enter)"))
        self.edit_referral_button.clicked.connect(self.edit_referral)
        self.delete_referral_button = QPushButton(_("Delete"))
        self.delete_referral_button.setAccessibleName(_("Delete the referral"))
        self.delete_referral_button.setToolTip(_("Only a referral that has not been sent (Del)"))
        self.delete_referral_button.clicked.connect(self.delete_referral)
        referral_buttons = QHBoxLayout()
        for b in (self.add_referral_button, self.status_button, self.edit_referral_button, self.delete_referral_button):
            referral_buttons.addWidget(b)
        referral_buttons.addStretch(1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName(_("Details of the referral"))

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the referrals"))

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(_heading(_("Service chains")))
        tl.addLayout(chain_buttons)
        tl.addWidget(self.chains_table, 1)
        tl.addWidget(self.empty_hint)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 10, 0, 0)
        bl.addWidget(self.referrals_heading)
        bl.addLayout(referral_buttons)
        bl.addWidget(self.referrals_table, 1)
        bl.addWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.referrals_table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_referral)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.referrals_table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.edit_referral)
            chain_enter = QShortcut(QKeySequence(key), self.chains_table)
            chain_enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            chain_enter.activated.connect(self.edit_chain)
        self._render()

    # -- content

    def set_case(self, case_code: str, case_id: str, client_id: str, shown: dict[str, Any]) -> None:
        """Show the chains and referrals of this case (``shown`` as :func:`cycle.case_json` gives it)."""
        if case_id != self.case_id:
            self._select_chain = self._select_referral = None
            self.chains.set_rows([])
            self.referrals.set_rows([])
            self.status.clear()
        self.case_code, self.case_id, self.client_id = case_code, case_id, client_id
        self.shown = shown
        self._consents = {c["id"]: c for c in shown.get("consents") or []}
        self._goals = {g["id"]: g for g in shown.get("goals") or []}
        self._render()
        self._load_directory()

    def clear(self) -> None:
        """Drop everything (the app locks); an open dialog is closed without saving."""
        self._vault = None
        self._generation += 1
        self.case_code = self.case_id = self.client_id = None
        self.shown = None
        self._busy = False
        self._select_chain = self._select_referral = None
        self._offers, self._partners, self._consents, self._goals = {}, {}, {}, {}
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()
        self.chains.set_rows([])
        self.referrals.set_rows([])
        self.details.clear()
        self.status.clear()
        self._render()

    def _load_directory(self) -> None:
        """The names of offers and partners (and the partners' contact persons), in the background."""
        from gk_desktop.services import offers

        vault = self._vault
        if vault is None:
            return
        self._generation += 1
        generation = self._generation

        def load(_ctx: Any) -> tuple[dict[str, Any], dict[str, Any]]:
            found_offers = {o.id: {"name": o.name, "category": o.category, "partner_id": o.partner_id}
                            for o in offers.list_offers(vault)}
            found_partners = {p.id: {"id": p.id, "name": p.name, "contacts": [dict(c) for c in p.contacts]}
                              for p in offers.list_partners(vault)}
            return found_offers, found_partners

        def loaded(result: tuple[dict[str, Any], dict[str, Any]]) -> None:
            if generation != self._generation or self._vault is None:
                return
            self._offers, self._partners = result
            self._render()
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation and self._vault is not None:
                self.status.setText(error_text(exc))

        Op(self, load).on_success(loaded).on_failure(failed).run()

    def _render(self) -> None:
        shown = self.shown or {}
        keep_chain = self._select_chain or self._current_chain_id()
        keep_referral = self._select_referral or self._current_referral_id()
        self._select_chain = self._select_referral = None
        referrals = shown.get("referrals") or []
        counts: dict[str, int] = {}
        for r in referrals:
            counts[r["chain_id"]] = counts.get(r["chain_id"], 0) + 1
        chains = [dict(c, _count=counts.get(c["id"], 0)) for c in shown.get("service_chains") or []]
        self.chains.set_rows(chains)
        fit_columns(self.chains_table, 320)
        self.empty_hint.setVisible(self.shown is not None and not chains)
        if not select_id(self.chains_table, self.chains, keep_chain) and chains:
            select_row(self.chains_table, 0)
        self._show_referrals(keep_referral)

    def _rows_of(self, chain_id: str | None) -> list[dict[str, Any]]:
        rows = []
        for r in (self.shown or {}).get("referrals") or []:
            if r["chain_id"] != chain_id:
                continue
            offer = self._offers.get(r["offer_id"] or "")
            partner = self._partners.get(r["partner_id"] or "")
            rows.append(dict(r, _offer=offer["name"] if offer else ("" if not r["offer_id"] else "…"),
                             _partner=partner["name"] if partner else ("" if not r["partner_id"] else "…")))
        rows.sort(key=lambda r: r["position"])
        return rows

    def _show_referrals(self, keep: str | None = None) -> None:
        chain = self._current_chain()
        keep = keep or self._current_referral_id()
        rows = self._rows_of(chain["id"]) if chain else []
        self.referrals.set_rows(rows)
        fit_columns(self.referrals_table, 280)
        if chain is not None:
            self.referrals_heading.setText(_("Referrals of the chain “{chain}”").format(chain=chain["title"]))
        else:
            self.referrals_heading.setText(_("Referrals"))
        select_id(self.referrals_table, self.referrals, keep)
        self._referral_changed()

    def _chain_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_referrals()

    def _referral_changed(self) -> None:
        row = self._current_referral()
        self._show_details(row)
        self._update_buttons()

    # -- the selection

    def _current_of(self, table: QTableView, model: RowsModel) -> dict[str, Any] | None:
        rows = table.selectionModel().selectedRows()
        if rows and rows[0].row() < model.rowCount():
            return model.row_at(rows[0].row())
        index = table.currentIndex()
        if index.isValid() and index.row() < model.rowCount():
            return model.row_at(index.row())
        return None

    def _current_chain(self) -> dict[str, Any] | None:
        return self._current_of(self.chains_table, self.chains)

    def _current_chain_id(self) -> str | None:
        chain = self._current_chain()
        return chain["id"] if chain else None

    def _current_referral(self) -> dict[str, Any] | None:
        return self._current_of(self.referrals_table, self.referrals)

    def _current_referral_id(self) -> str | None:
        row = self._current_referral()
        return row["id"] if row else None

    def _update_buttons(self) -> None:
        ready = self._vault is not None and self.case_code is not None and self.shown is not None
        chain = self._current_chain() if ready else None
        referral = self._current_referral() if ready else None
        self.new_chain_button.setEnabled(ready)
        self.edit_chain_button.setEnabled(chain is not None)
        self.add_referral_button.setEnabled(chain is not None and not self._busy)
        self.status_button.set_current(referral["status"] if referral else None, enabled=not self._busy)
        self.edit_referral_button.setEnabled(referral is not None)
        self.delete_referral_button.setEnabled(referral is not None and not self._busy)

    # -- texts

    def _goal_text(self, chain: dict[str, Any]) -> str:
        if chain.get("goal"):
            return chain["goal"]
        goal = self._goals.get(chain.get("goal_id") or "")
        return goal["statement"] if goal else ""

    def _sent_mark(self, row: dict[str, Any]) -> str:
        if row.get("consent_id"):
            return "✓"
        return ""

    def _sent_tip(self, row: dict[str, Any]) -> str:
        if row.get("consent_id"):
            return self._consent_text(row)
        if not row.get("passes_data"):
            return _("Passes no personal data.")
        return _("Not sent yet.")

    def _consent_text(self, row: dict[str, Any]) -> str:
        consent = self._consents.get(row.get("consent_id") or "")
        sent = _("Data went to the provider on {date}").format(date=_date(row.get("referred_on")) or "–")
        if consent is None:
            return sent + "."
        basis = _("on the basis of the consent of {date} towards {recipient} ({categories}; {status})").format(
            date=_date(consent.get("given_on")), recipient=consent.get("recipient") or "–",
            categories=categories_text(consent.get("categories")), status=status_text(consent))
        return f"{sent}, {basis}."

    def _show_details(self, row: dict[str, Any] | None) -> None:
        if row is None:
            self.details.clear()
            return
        lines = []
        if row.get("consent_id"):
            lines.append("✓ " + self._consent_text(row))
        elif not row.get("passes_data"):
            lines.append(_("Passes no personal data."))
        elif row["status"] in cycle.PASSED_STATUSES:
            lines.append(_("No data were sent with this referral."))
        else:
            lines.append(_("Not sent yet. With “Requested”, {categories} go to {recipient}; this needs a release "
                           "from confidentiality towards the recipient.").format(
                categories=categories_text(row.get("categories")) or "–", recipient=row.get("_partner") or "–"))
        parts = []
        for key, text in (("referred_on", N_("requested on {date}")), ("accepted_on", N_("accepted on {date}")),
                          ("start_on", N_("started on {date}")), ("planned_end_on", N_("planned until {date}")),
                          ("actual_end_on", N_("ended on {date}"))):
            if row.get(key):
                parts.append(_(text).format(date=_date(row[key])))
        if row.get("funding_component"):
            parts.append(_("funding: {component}").format(
                component=labels.label(FUNDING_COMPONENT, row["funding_component"])))
        contact = self._contact_name(row)
        if contact:
            parts.append(_("contact person: {name}").format(name=contact))
        if parts:
            lines.append(" · ".join(parts))
        if row.get("dropout_reason"):
            lines.append(_("Dropout reason: {reason}").format(reason=" ".join(row["dropout_reason"].split())))
        if row.get("feedback"):
            lines.append(_("Feedback: {text}").format(text=row["feedback"].strip()))
        self.details.setText("\n".join(lines))

    def _contacts_of(self, partner_id: str | None) -> dict[str, str]:
        partner = self._partners.get(partner_id or "")
        out = {}
        for c in (partner or {}).get("contacts") or []:
            out[c["id"]] = f"{c['name']} ({c['role']})" if c.get("role") else c["name"]
        return out

    def _contact_name(self, row: dict[str, Any]) -> str:
        return self._contacts_of(row.get("partner_id")).get(row.get("partner_contact_id") or "", "")

    # -- dialogs

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _written(self, dialog: SavingDialog | None, message: str) -> None:
        if self._vault is None:
            return
        if dialog is not None and _alive(dialog):
            dialog.succeed({})
        self.status.setText(message)
        self.changed.emit()

    def _refused(self, dialog: SavingDialog, exc: BaseException, fields: dict[str, str]) -> None:
        if self._vault is None:
            return
        if _alive(dialog):
            dialog.refuse(refusal_text(exc, fields))
        else:
            show_error(self, exc)

    # -- chains

    def _chain_fields(self) -> list[FieldSpec]:
        f = CHAIN_FIELDS
        goals = {g["id"]: " ".join((g.get("statement") or "").split())[:90] for g in self._goals.values()}
        return [
            FieldSpec("title", f["title"], "text", required=True),
            FieldSpec("goal", f["goal"], "text"),
            FieldSpec("goal_id", f["goal_id"], "choice", goals),
            FieldSpec("start_on", f["start_on"], "date"),
            FieldSpec("planned_end_on", f["planned_end_on"], "date"),
            FieldSpec("coordinator", f["coordinator"], "text"),
        ]

    def add_chain(self) -> None:
        from gk_desktop.domain.clock import today

        if self._vault is None or self.case_code is None or self.dialog is not None:
            return
        self._chain_dialog(None, {"start_on": today().isoformat()})

    def edit_chain(self) -> None:
        chain = self._current_chain()
        if chain is None or self._vault is None or self.dialog is not None:
            return
        self._chain_dialog(chain, {k: chain.get(k) for k in CHAIN_FIELDS})

    def _chain_dialog(self, current: dict[str, Any] | None, values: dict[str, Any]) -> None:
        vault, code, case_id = self._vault, self.case_code, self.case_id

        def save(data: dict[str, Any]) -> None:
            if current is None:
                def work(_ctx: Any) -> Any:
                    return cycle.add_chain(vault, code, data, case_id=case_id, source="gui")
            else:
                chain_id = current["id"]

                def work(_ctx: Any) -> Any:
                    return cycle.update_chain(vault, chain_id, data, source="gui")

            def stored(result: Any) -> None:
                if current is None and isinstance(result, str):
                    self._select_chain = result
                self._written(dialog, _("Service chain added.") if current is None else _("Service chain changed."))

            Op(self, work).on_success(stored).on_failure(lambda exc: self._refused(dialog, exc, CHAIN_FIELDS)).run()

        title = _("New service chain") if current is None else _("Change service chain")
        intro = _("A service chain holds the referrals towards one goal, in order (for example language course, "
                  "then introductory training, then training).")
        dialog = SavingDialog(title, self._chain_fields(), values, self, save=save, intro=intro)
        dialog.setMinimumWidth(560)
        self._open(dialog)

    # -- referrals

    def add_referral(self) -> None:
        from gk_desktop.services import offers

        chain = self._current_chain()
        vault, client_id = self._vault, self.client_id
        if chain is None or vault is None or client_id is None or self.dialog is not None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        self.status.setText(_("Checking the offers …"))
        chain_id = chain["id"]

        def load(_ctx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            matches = [{"id": e.offer.id, "name": e.offer.name, "category": e.offer.category,
                        "provider": e.offer.provider, "partner_id": e.offer.partner_id, "fits": e.fits,
                        "reasons": list(e.reasons), "notes": list(e.notes)}
                       for e in offers.matching_offers(vault, client_id)]
            partners = [{"id": p.id, "name": p.name} for p in offers.list_partners(vault)]
            return matches, partners

        def loaded(result: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
            self._busy = False
            self._update_buttons()
            self.status.clear()
            if self._vault is None or self.dialog is not None:
                return
            self._add_referral_dialog(chain_id, *result)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            self.status.clear()
            if self._vault is not None:
                show_error(self, exc)

        Op(self, load).on_success(loaded).on_failure(failed).run()

    def _add_referral_dialog(self, chain_id: str, matches: list[dict[str, Any]],
                             partners: list[dict[str, Any]]) -> None:
        vault = self._vault

        def save(data: dict[str, Any]) -> None:
            def stored(result: Any) -> None:
                if isinstance(result, str):
                    self._select_referral = result
                self._written(dialog, _("Referral added."))

            Op(self, lambda _ctx: cycle.add_referral(vault, chain_id, data, source="gui")).on_success(stored) \
                .on_failure(lambda exc: self._refused(dialog, exc, REFERRAL_FIELDS)).run()

        dialog = AddReferralDialog(matches, partners, self, save=save)
        self._open(dialog)

    def edit_referral(self) -> None:
        row = self._current_referral()
        vault = self._vault
        if row is None or vault is None or self.dialog is not None:
            return
        f = REFERRAL_FIELDS
        sent = row["status"] in cycle.PASSED_STATUSES or bool(row.get("consent_id"))
        contacts = self._contacts_of(row["partner_id"])
        fields = [FieldSpec("partner_contact_id", f["partner_contact_id"], "choice", contacts)]
        if not sent:
            fields += [FieldSpec("passes_data", f["passes_data"], "bool"),
                       FieldSpec("categories", f["categories"], "multi", labels.DATA_CATEGORY)]
        fields += [
            FieldSpec("referred_on", f["referred_on"], "date"),
            FieldSpec("accepted_on", f["accepted_on"], "date"),
            FieldSpec("start_on", f["start_on"], "date"),
            FieldSpec("planned_end_on", f["planned_end_on"], "date"),
            FieldSpec("actual_end_on", f["actual_end_on"], "date"),
            FieldSpec("funding_component", f["funding_component"], "enum", FUNDING_COMPONENT),
            FieldSpec("feedback", f["feedback"], "text"),
            FieldSpec("dropout_reason", f["dropout_reason"], "text"),
        ]
        values = {spec.key: row.get(spec.key) for spec in fields}
        what = row.get("_offer") or row.get("_partner") or ""
        intro = _("{offer} · status: {status}. The status changes with “Change status”.").format(
            offer=what, status=status_label(row["status"]))
        if sent:
            intro += "\n" + _("Data went to this provider already: the recipient and the categories stay as they were.")
        referral_id = row["id"]

        def save(data: dict[str, Any]) -> None:
            if "categories" in data and not data.get("passes_data"):
                data = {**data, "categories": []}
            Op(self, lambda _ctx: cycle.update_referral(vault, referral_id, data, source="gui")) \
                .on_success(lambda _r: self._written(dialog, _("Referral changed."))) \
                .on_failure(lambda exc: self._refused(dialog, exc, REFERRAL_FIELDS)).run()

        dialog = ReferralDialog(_("Change referral"), fields, values, self, save=save, intro=intro)
        dialog.setMinimumWidth(600)
        if not sent:
            passes = dialog.widgets["passes_data"]
            categories = dialog.widgets["categories"]
            passes.toggled.connect(categories.setEnabled)  # type: ignore[attr-defined]
            categories.setEnabled(bool(row.get("passes_data")))
        self._open(dialog)

    def delete_referral(self) -> None:
        from gk_desktop.ui.case_view import confirm_delete

        row = self._current_referral()
        vault = self._vault
        if row is None or vault is None or self._busy:
            return
        referral_id = row["id"]
        if row.get("consent_id") and row["status"] not in cycle.PASSED_STATUSES:
            # Data went out although the status went back: the referral stays all the same.
            self._show_refusal(_("Data went to the provider for this referral; it stays on record."))
            return
        if row["status"] not in cycle.PASSED_STATUSES:
            what = row.get("_offer") or row.get("_partner") or "–"
            question = _("Delete the referral to “{offer}”?").format(offer=what)
            if not confirm_delete(self, _("Delete referral"), question):
                return
        # A sent referral is refused by the service; its message is shown as it is.
        self._busy = True
        self._update_buttons()

        def done(_result: Any) -> None:
            self._busy = False
            self._written(None, _("Referral deleted."))

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            if self._vault is not None:
                self._show_refusal(error_text(exc))

        Op(self, lambda _ctx: cycle.delete_record(vault, "referral", referral_id, source="gui")) \
            .on_success(done).on_failure(failed).run()

    def _show_refusal(self, text: str) -> None:
        self.status.setText(text)
        QMessageBox.information(self, _("Delete referral"), text)

    # -- status

    def change_status(self, status: str) -> None:
        """Move the selected referral to ``status`` (one click; the consent is checked by the service)."""
        row = self._current_referral()
        vault = self._vault
        if row is None or vault is None or self._busy or row["status"] == status:
            return
        self._busy = True
        self._update_buttons()
        referral_id = row["id"]

        def done(_result: Any) -> None:
            self._busy = False
            self._select_referral = referral_id
            self._written(None, _("Status changed to “{status}”.").format(status=status_label(status)))

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            if self._vault is None:
                return
            if isinstance(exc, cycle.ConsentMissing):
                self._consent_missing(row, exc)
            else:
                show_error(self, exc)

        Op(self, lambda _ctx: cycle.set_referral_status(vault, referral_id, status, source="gui")) \
            .on_success(done).on_failure(failed).run()

    def _consent_missing(self, row: dict[str, Any], exc: cycle.ConsentMissing) -> None:
        self.status.setText(error_text(exc))
        if not ask_to_record_consent(self, exc, row["status"]):
            return
        chain = self._current_chain()
        what = row.get("_offer") or (chain or {}).get("title") or row.get("_partner") or ""
        self.consent_needed.emit({
            "partner_id": exc.partner_id,
            "categories": list(exc.categories),
            "purpose": _("Referral: {offer}").format(offer=what),
        })


__all__ = ["FUNDING_COMPONENT", "REFERRAL_STATUS", "AddReferralDialog", "Col", "ReferralsTab", "RowsModel",
           "StatusButton", "ask_to_record_consent", "first_line", "status_label"]
