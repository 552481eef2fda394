"""The "Planung" tab of the case view: the case-management cycle of one case (DOMAIN.md §2).

- Phase: the case's phase, set deliberately (moving back is confirmed), "Fall abschließen …",
  and what is still missing for the phases reached so far.
- Einschätzung: the latest assessment (earlier ones to look at), its needs and resources side by
  side for one need area at a time; offer gaps are highlighted; "Passende Angebote …" for a need.
- Ziele und Handlungsschritte: the goals (also from a template) and the steps of the selected goal
  (or all steps); "Erledigt" marks a step done with one click; overdue steps are shown in red.
- Zielvereinbarung: the agreements, "freiwillig, aber verbindlich", with signatures and the scan.

The tab shows the dict of :func:`gk_desktop.services.cycle.case_json` (the case view loads it with
the rest of the file and calls :meth:`PlanningTab.set_case`). Every write runs on the database lane
and ends in ``changed``; the case view then reloads and calls ``set_case`` again. A form the
service refuses opens again with everything typed and the service's reason.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Callable

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.domain.clock import today
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.close_case_dialog import CLOSURE_REASON, DESTINATION, CloseCaseDialog
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.widgets import format_date
from gk_desktop.labels import GOAL_STATUS, NEED_STATUS, RESOURCE_TYPE, TASK_RESPONSIBLE, TASK_STATUS  # noqa: F401 - also imported from here

Index = QModelIndex | QPersistentModelIndex

GOAL_LEVEL = {"RICHTZIEL": N_("broad goal"), "HANDLUNGSZIEL": N_("action goal")}
PRIORITY = {"1": N_("1 – high"), "2": N_("2 – medium"), "3": N_("3 – low")}
# The labels of the form fields, also used to name the fields in the service's messages.
FIELD_LABELS = {
    "date": N_("Date"), "summary": N_("Summary"), "next_reassessment_on": N_("Next assessment on"),
    "need_area": N_("Need area"), "description": N_("Description"), "own_view": N_("The client's own view"),
    "priority": N_("Priority"), "status": N_("Status"), "gap_note": N_("Gap note (what is missing)"),
    "resource_type": N_("Kind of resource"), "statement": N_("Goal"), "level": N_("Goal level"),
    "need_id": N_("Need"), "start_on": N_("Start"), "target_on": N_("Target date"), "review_on": N_("Review on"),
    "achievement": N_("Goal attainment (%)"), "achievement_note": N_("Note on the attainment"),
    "goal_id": N_("Goal"), "responsible": N_("Who"), "partner_id": N_("Partner"), "due_on": N_("Due on"),
    "done_on": N_("Done on"), "goals": N_("Goals"), "tasks": N_("Steps"),
    "signed_by_client": N_("Signed by the client"), "signed_by_worker": N_("Signed by the case worker"),
    "language": N_("Language"), "place": N_("Place"), "document_id": N_("Signed scan"),
}
ALL_AREAS = ""
NO_AREA = "-"
GAP_BACKGROUND = "#fdecea"
ALERT = "#b3261e"
MUTED = "#6b6b6b"
AGREEMENT_NOTE = N_("Freely, but bindingly: the client agrees to the goals and steps of their own free will, "
                    "and both sides keep to them.")


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _need_areas() -> dict[str, str]:
    from gk_desktop.ui.case_view import NEED_AREA

    return NEED_AREA


def confirm_delete(parent: QWidget, title: str, text: str) -> bool:
    from gk_desktop.ui.case_view import confirm_delete as ask

    return ask(parent, title, text)


def confirm_phase_back(parent: QWidget, current: str, new: str) -> bool:
    """Ask before moving the phase back ("Phase zurücksetzen" / "Abbrechen")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Set phase"))
    box.setText(_("Move the case back from “{current}” to “{new}”?").format(
        current=labels.label(labels.CASE_PHASE, current), new=labels.label(labels.CASE_PHASE, new)))
    back = box.addButton(_("Move back"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is back


def readable(message: str, field_labels: dict[str, str] | None = None) -> str:
    """The service's "key: problem" lines with the field names of the form."""
    names = {**FIELD_LABELS, **(field_labels or {})}

    def name(m: re.Match[str]) -> str:
        key = m.group(2).split(".")[-1]
        key = re.sub(r"\[\d+\]$", "", key)
        return m.group(1) + (_(names[key]) if key in names else m.group(2)) + ":"

    lines = []
    for line in message.splitlines():
        line = re.sub(r"^(\s*-?\s*)([a-z_][a-z0-9_.\[\]]*):", name, line)
        line = re.sub(r"\b([a-z]+_[a-z_]+)\b", lambda m: _(names[m.group(1)]) if m.group(1) in names else m.group(1), line)
        lines.append(line)
    return "\n".join(lines)


def _role(role: Any) -> int:
    return int(getattr(role, "value", role))


class RoleProxy(QIdentityProxyModel):
    """A RecordTableModel with colours and tooltips per row (``fn(row, column) -> value | None``)."""

    def __init__(self, source: Any, *, foreground: Callable[[dict[str, Any], int], Any] | None = None,
                 background: Callable[[dict[str, Any], int], Any] | None = None,
                 tooltip: Callable[[dict[str, Any], int], Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._roles = {_role(Qt.ItemDataRole.ForegroundRole): foreground,
                       _role(Qt.ItemDataRole.BackgroundRole): background, _role(Qt.ItemDataRole.ToolTipRole): tooltip}
        self._tooltip = _role(Qt.ItemDataRole.ToolTipRole)

    def row_at(self, row: int) -> dict[str, Any]:
        return self.sourceModel().row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            key = _role(role)
            fn = self._roles.get(key)
            if fn is not None and index.isValid():
                value = fn(self.sourceModel().row_at(index.row()), index.column())
                if value is not None:
                    return value if key == self._tooltip else QBrush(QColor(value))
            return super().data(index, role)
        except Exception:  # noqa: BLE001 - a view asks again; never raise into Qt
            return None


def signed_text(row: dict[str, Any]) -> str:
    """Who signed an agreement: "beide", "Klient:in", "Fachkraft" or "–"."""
    client, worker = bool(row.get("signed_by_client")), bool(row.get("signed_by_worker"))
    if client and worker:
        return "✓ " + _("both")
    if client:
        return "✓ " + labels.label(TASK_RESPONSIBLE, "KLIENT")
    if worker:
        return "✓ " + labels.label(TASK_RESPONSIBLE, "FACHKRAFT")
    return "–"


def _box(title: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 8, 8, 8)
    layout.setSpacing(6)
    return box, layout


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for w in widgets:
        row.addWidget(w)
    if stretch:
        row.addStretch(1)
    return row


class NeedOffersDialog(QDialog):
    """Passende Angebote for one need: the offers of categories serving its need area, checked
    against the client's file (:func:`gk_desktop.services.offers.offers_for_need`).

    Signals:
        loaded(): the offers are shown.
    """

    loaded = Signal()

    def __init__(self, vault: Any, need: dict[str, Any], parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import Column, RecordTableModel, _table

        super().__init__(parent)
        self._vault = vault
        self.need = need
        self.setWindowTitle(_("Matching offers"))
        area = labels.label(_need_areas(), need.get("need_area"))
        intro = QLabel(_("Offers for the need “{need}” ({area}), checked against the age, residence status, German "
                         "level and school qualification in the file. Whether a place is free is clarified with "
                         "the provider.").format(need=_short(need.get("description") or "", 80), area=area))
        intro.setWordWrap(True)
        self.count = QLabel(_("Checking the offers …"))
        self.source = RecordTableModel([
            Column(N_("Offer"), lambda r: r["name"] or ""),
            Column(N_("Provider"), lambda r: r["provider"] or ""),
            Column(N_("Place"), lambda r: r["place"] or ""),
            Column(N_("Fits"), lambda r: _("yes") if r["fits"] else _("no")),
            Column(N_("Why not / to check"), lambda r: "; ".join(r["notes"] if r["fits"] else r["reasons"])),
        ], self)
        self.model = RoleProxy(self.source, foreground=lambda r, _c: None if r["fits"] else MUTED,
                               tooltip=lambda r, _c: "\n".join(r["reasons"] + r["notes"]) or None, parent=self)
        self.table = _table(self.model, _("Matching offers"))
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(640, 360)
        self.resize(900, 480)
        self._load()

    def _load(self) -> None:
        from gk_desktop.services import offers

        vault, need_id = self._vault, self.need["id"]

        def load(_ctx: Any) -> list[dict[str, Any]]:
            return [{"id": e.offer.id, "name": e.offer.name, "category": e.offer.category,
                     "provider": e.offer.provider, "place": e.offer.place, "fits": e.fits,
                     "reasons": list(e.reasons), "notes": list(e.notes)}
                    for e in offers.offers_for_need(vault, need_id)]

        Op(self, load).on_success(self._show).on_failure(lambda exc: self.count.setText(error_text(exc))).run()

    def _show(self, rows: list[dict[str, Any]]) -> None:
        rows = sorted(rows, key=lambda r: not r["fits"])
        self.source.set_rows(rows)
        self.table.resizeColumnsToContents()
        for col in range(self.source.columnCount() - 1):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        fitting = sum(1 for r in rows if r["fits"])
        if not rows:
            self.count.setText(_("The directory has no offers for this need area yet."))
        else:
            self.count.setText(ngettext("Fitting: {n} of {m} offer", "Fitting: {n} of {m} offers",
                                        len(rows)).format(n=fitting, m=len(rows)))
        self.loaded.emit()


class PlanningTab(QWidget):
    """Signals:
        changed(): something was written (the case view reloads the file and calls set_case again).

    Attributes: ``retention_years`` (the setting; the main window keeps it current), ``dialog``
    (the form or dialog open right now, for tests).
    """

    changed = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import Column, RecordTableModel, _table

        super().__init__(parent)
        self._vault = vault
        self.retention_years = 3
        self.case_code: str | None = None
        self.case_id: str | None = None
        self.shown: dict[str, Any] | None = None
        self.dialog: QDialog | None = None
        self.context_menu: QMenu | None = None
        self.partners: dict[str, str] = {}
        self._closed = False
        self._epoch = 0  # counts clear(): results of work started before are dropped
        self._keep_assessment: str | None = None
        self._keep_goal: str | None = None

        # 1. Phase
        self.phase_label = QLabel()
        self.phase_label.setTextFormat(Qt.TextFormat.RichText)
        f = self.phase_label.font()
        f.setPointSize(f.pointSize() + 2)
        self.phase_label.setFont(f)
        self.phase_combo = QComboBox()
        self.phase_combo.setAccessibleName(_("New phase"))
        for key in labels.CASE_PHASE:
            if key != "ABGESCHLOSSEN":
                self.phase_combo.addItem(labels.label(labels.CASE_PHASE, key), key)
        self.phase_combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.set_phase_button = QPushButton(_("Set &phase"))
        self.set_phase_button.setToolTip(_("Move the case to the phase chosen on the left"))
        self.set_phase_button.clicked.connect(self.set_phase)
        self.close_case_button = QPushButton(_("&Close case …"))
        self.close_case_button.setToolTip(_("Record the goal attainment, the closure reason and the destination"))
        self.close_case_button.clicked.connect(lambda: self.close_case())
        self.closed_label = QLabel()
        self.closed_label.setWordWrap(True)
        self.closed_label.setStyleSheet("QLabel { background: #eef1f4; padding: 6px; border-radius: 3px; }")
        self.closed_label.hide()
        phase_row = QHBoxLayout()
        phase_row.addWidget(self.phase_label)
        phase_row.addSpacing(24)
        change_to = QLabel(_("New phase:"))
        change_to.setBuddy(self.phase_combo)
        phase_row.addWidget(change_to)
        phase_row.addWidget(self.phase_combo)
        phase_row.addWidget(self.set_phase_button)
        phase_row.addStretch(1)
        phase_row.addWidget(self.close_case_button)

        self.missing_list = QListWidget()
        self.missing_list.setAccessibleName(_("What is still missing"))
        self.missing_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.missing_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.missing_list.setWordWrap(True)
        missing_box, ml = _box(_("What is still missing"))
        ml.addWidget(self.missing_list)

        # 2. Einschätzung
        self.assessment_combo = QComboBox()
        self.assessment_combo.setAccessibleName(_("Assessment"))
        self.assessment_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.assessment_combo.currentIndexChanged.connect(lambda _i: self._show_assessment())
        self.new_assessment_button = QPushButton(_("New &assessment …"))
        self.new_assessment_button.clicked.connect(self.new_assessment)
        self.edit_assessment_button = QPushButton(_("Change …"))
        self.edit_assessment_button.setAccessibleName(_("Change the assessment"))
        self.edit_assessment_button.clicked.connect(self.edit_assessment)
        self.assessment_text = QLabel()
        self.assessment_text.setWordWrap(True)
        self.assessment_text.setTextFormat(Qt.TextFormat.RichText)
        self.assessment_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.assessment_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.area_list = QListWidget()
        self.area_list.setAccessibleName(_("Need areas"))
        self.area_list.currentItemChanged.connect(lambda _c, _p: self._show_area())
        self.area_list.setMinimumWidth(200)
        self.area_list.setSpacing(2)

        self.needs = RecordTableModel([
            Column(N_("Need area"), lambda r: labels.label(_need_areas(), r["need_area"])),
            Column(N_("Need"), lambda r: r["description"] or ""),
            Column(N_("Priority"), lambda r: labels.label(PRIORITY, str(r["priority"]))),
            Column(N_("Status"), lambda r: labels.label(NEED_STATUS, r["status"])),
            Column(N_("The client's view"), lambda r: r["own_view"] or ""),
        ], self)
        self.needs_model = RoleProxy(
            self.needs,
            background=lambda r, _c: GAP_BACKGROUND if r["status"] == "NICHT_DECKBAR" else None,
            foreground=lambda r, _c: MUTED if r["status"] in ("GEDECKT", "NICHT_MEHR_RELEVANT") else None,
            tooltip=self._need_tooltip, parent=self)
        self.needs_table = _table(self.needs_model, _("Needs"))
        self.needs_table.doubleClicked.connect(lambda _i: self.edit_need())
        self.needs_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.add_need_button = QPushButton(_("Add need …"))
        self.add_need_button.clicked.connect(self.add_need)
        self.edit_need_button = QPushButton(_("Change …"))
        self.edit_need_button.setAccessibleName(_("Change the need"))
        self.edit_need_button.clicked.connect(self.edit_need)
        self.offers_button = QPushButton(_("Matching o&ffers …"))
        self.offers_button.setToolTip(_("Offers of the directory for the selected need, checked against the file"))
        self.offers_button.clicked.connect(self.show_offers)

        self.resources = RecordTableModel([
            Column(N_("Need area"), lambda r: labels.label(_need_areas(), r["need_area"], _("general"))),
            Column(N_("Kind"), lambda r: labels.label(RESOURCE_TYPE, r["resource_type"])),
            Column(N_("Resource"), lambda r: r["description"] or ""),
        ], self)
        self.resources_model = RoleProxy(self.resources, parent=self)
        self.resources_table = _table(self.resources_model, _("Resources and strengths"))
        self.resources_table.doubleClicked.connect(lambda _i: self.edit_resource())
        self.resources_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.add_resource_button = QPushButton(_("Add reso&urce …"))
        self.add_resource_button.clicked.connect(self.add_resource)
        self.edit_resource_button = QPushButton(_("Change …"))
        self.edit_resource_button.setAccessibleName(_("Change the resource"))
        self.edit_resource_button.clicked.connect(self.edit_resource)

        needs_pane = QWidget()
        npl = QVBoxLayout(needs_pane)
        npl.setContentsMargins(0, 0, 0, 0)
        npl.addLayout(_row(self.add_need_button, self.edit_need_button, self.offers_button))
        npl.addWidget(self.needs_table, 1)
        resources_pane = QWidget()
        rpl = QVBoxLayout(resources_pane)
        rpl.setContentsMargins(0, 0, 0, 0)
        rpl.addLayout(_row(self.add_resource_button, self.edit_resource_button))
        rpl.addWidget(self.resources_table, 1)
        self.area_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.area_splitter.addWidget(self.area_list)
        self.area_splitter.addWidget(needs_pane)
        self.area_splitter.addWidget(resources_pane)
        self.area_splitter.setStretchFactor(0, 0)
        self.area_splitter.setStretchFactor(1, 3)
        self.area_splitter.setStretchFactor(2, 2)
        self.area_splitter.setChildrenCollapsible(False)
        self.area_splitter.setSizes([200, 490, 270])

        assessment_box, al = _box(_("Assessment"))
        al.addLayout(_row(self.assessment_combo, self.edit_assessment_button, self.new_assessment_button))
        al.addWidget(self.assessment_text)
        al.addWidget(self.area_splitter, 1)

        # 3. Ziele und Handlungsschritte
        self.goals = RecordTableModel([
            Column(N_("Need area"), lambda r: labels.label(_need_areas(), r["need_area"])),
            Column(N_("Goal"), lambda r: r["statement"] or ""),
            Column(N_("Goal level"), lambda r: labels.label(GOAL_LEVEL, r["level"])),
            Column(N_("Target date"), lambda r: _date(r["target_on"])),
            Column(N_("Review"), lambda r: _date(r["review_on"])),
            Column(N_("Status"), lambda r: labels.label(GOAL_STATUS, r["status"])),
            Column(N_("Attained"), lambda r: "" if r["achievement"] is None else f"{r['achievement']} %"),
        ], self)
        self.goals_model = RoleProxy(self.goals, foreground=self._goal_colour, tooltip=self._goal_tooltip, parent=self)
        self.goals_table = _table(self.goals_model, _("Goals"))
        self.goals_table.doubleClicked.connect(lambda _i: self.edit_goal())
        self.goals_table.selectionModel().selectionChanged.connect(lambda *_a: self._goal_selected())
        self.add_goal_button = QPushButton(_("Add &goal …"))
        self.add_goal_button.clicked.connect(lambda: self.add_goal())
        self.template_button = QPushButton(_("From &template …"))
        self.template_button.setToolTip(_("A common goal with a target date six months ahead, to adjust"))
        self.template_menu = QMenu(self)
        self.template_menu.aboutToShow.connect(self._fill_templates)
        self.template_button.setMenu(self.template_menu)
        self._fill_templates()
        self.edit_goal_button = QPushButton(_("Change …"))
        self.edit_goal_button.setAccessibleName(_("Change the goal"))
        self.edit_goal_button.clicked.connect(self.edit_goal)
        self.delete_goal_button = QPushButton(_("Delete"))
        self.delete_goal_button.setAccessibleName(_("Delete the goal"))
        self.delete_goal_button.clicked.connect(self.delete_goal)

        self.tasks = RecordTableModel([
            Column(N_("Step"), lambda r: r["description"] or ""),
            Column(N_("Who"), self._who),
            Column(N_("Due"), lambda r: _date(r["due_on"])),
            Column(N_("Status"), self._task_status),
            Column(N_("Goal"), self._goal_name),
        ], self)
        self.tasks_model = RoleProxy(self.tasks, foreground=self._task_colour, tooltip=self._task_tooltip, parent=self)
        self.tasks_table = _table(self.tasks_model, _("Steps"))
        self.tasks_table.doubleClicked.connect(lambda _i: self.edit_task())
        self.tasks_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.tasks_heading = QLabel()
        self.tasks_heading.setTextFormat(Qt.TextFormat.PlainText)
        hf = self.tasks_heading.font()
        hf.setBold(True)
        self.tasks_heading.setFont(hf)
        self.all_tasks_button = QPushButton(_("Show all steps"))
        self.all_tasks_button.clicked.connect(self.show_all_tasks)
        self.add_task_button = QPushButton(_("Add &step …"))
        self.add_task_button.clicked.connect(self.add_task)
        self.done_button = QPushButton(_("Mark as d&one"))
        self.done_button.setToolTip(_("Mark the selected step as done today"))
        self.done_button.clicked.connect(self.mark_done)
        self.edit_task_button = QPushButton(_("Change …"))
        self.edit_task_button.setAccessibleName(_("Change the step"))
        self.edit_task_button.clicked.connect(self.edit_task)
        self.delete_task_button = QPushButton(_("Delete"))
        self.delete_task_button.setAccessibleName(_("Delete the step"))
        self.delete_task_button.clicked.connect(self.delete_task)

        goals_pane = QWidget()
        gpl = QVBoxLayout(goals_pane)
        gpl.setContentsMargins(0, 0, 0, 0)
        gpl.addLayout(_row(self.add_goal_button, self.template_button, self.edit_goal_button, self.delete_goal_button))
        gpl.addWidget(self.goals_table, 1)
        tasks_pane = QWidget()
        tpl = QVBoxLayout(tasks_pane)
        tpl.setContentsMargins(0, 4, 0, 0)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.tasks_heading, 1)
        heading_row.addWidget(self.all_tasks_button)
        tpl.addLayout(heading_row)
        tpl.addLayout(_row(self.add_task_button, self.done_button, self.edit_task_button, self.delete_task_button))
        tpl.addWidget(self.tasks_table, 1)
        self.goal_splitter = QSplitter(Qt.Orientation.Vertical)
        self.goal_splitter.addWidget(goals_pane)
        self.goal_splitter.addWidget(tasks_pane)
        self.goal_splitter.setChildrenCollapsible(False)
        goals_box, gl = _box(_("Goals and steps"))
        gl.addWidget(self.goal_splitter, 1)

        # 4. Zielvereinbarung
        self.agreements = RecordTableModel([
            Column(N_("Date"), lambda r: _date(r["date"])),
            Column(N_("Goals"), lambda r: str(len(r.get("goals") or []))),
            Column(N_("Signed"), signed_text),
            Column(N_("Scan"), lambda r: _("yes") if r.get("document_id") else _("no")),
        ], self)
        self.agreements_model = RoleProxy(self.agreements, tooltip=self._agreement_tooltip, parent=self)
        self.agreements_table = _table(self.agreements_model, _("Goal agreements"))
        self.agreements_table.doubleClicked.connect(lambda _i: self.edit_agreement())
        self.agreements_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.add_agreement_button = QPushButton(_("Record goal agree&ment …"))
        self.add_agreement_button.clicked.connect(self.add_agreement)
        self.edit_agreement_button = QPushButton(_("Change …"))
        self.edit_agreement_button.setAccessibleName(_("Change the goal agreement"))
        self.edit_agreement_button.setToolTip(_("Signatures, signed scan, language and place"))
        self.edit_agreement_button.clicked.connect(self.edit_agreement)
        self.agreement_note = QLabel(_(AGREEMENT_NOTE))
        self.agreement_note.setWordWrap(True)
        self.agreement_note.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
        agreement_box, gbl = _box(_("Goal agreement"))
        gbl.addWidget(self.agreement_note)
        gbl.addLayout(_row(self.add_agreement_button, self.edit_agreement_button))
        gbl.addWidget(self.agreements_table, 1)

        # Layout: phase on top; left the checklist and the agreements, right assessment and goals.
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(missing_box)
        left.addWidget(agreement_box)
        left.setChildrenCollapsible(False)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(assessment_box)
        right.addWidget(goals_box)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(right)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([320, 980])
        left.setSizes([220, 520])
        right.setSizes([370, 410])
        self.left_splitter, self.right_splitter = left, right
        layout = QVBoxLayout(self)
        layout.addLayout(phase_row)
        layout.addWidget(self.closed_label)
        layout.addWidget(self.main_splitter, 1)

        for table, entries in ((self.needs_table, self._need_actions), (self.resources_table, self._resource_actions),
                               (self.goals_table, self._goal_actions), (self.tasks_table, self._task_actions),
                               (self.agreements_table, self._agreement_actions)):
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(lambda pos, t=table, e=entries: self._context_menu(t, e, pos))
        for key, slot in ((QKeySequence.StandardKey.Delete, self._delete_focused),
                          (QKeySequence("Ctrl+Return"), self.mark_done)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.clear()

    # ------------------------------------------------------------------ showing

    def set_case(self, case_code: str, case_id: str, shown: dict[str, Any]) -> None:
        """Show the case (the dict of cycle.case_json); keeps the selected assessment, area and goal."""
        self.case_code, self.case_id, self.shown = case_code, case_id, shown
        case = shown["case"]
        self._closed = case.get("phase") == "ABGESCHLOSSEN"
        self._show_phase(case)
        self._show_missing(case.get("missing") or [])
        self._show_assessments()
        self._show_goals()
        self._show_agreements()
        self._update_buttons()
        self._load_partners()

    def clear(self) -> None:
        """Drop everything shown (the app locks, or another client opens)."""
        self._epoch += 1
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.case_code = self.case_id = None
        self.shown = None
        self._closed = False
        self._keep_assessment = self._keep_goal = None
        self.partners = {}
        self.phase_label.setText(html.escape(_("Phase")) + ": –")
        self.closed_label.clear()
        self.closed_label.hide()
        self.missing_list.clear()
        self.assessment_combo.blockSignals(True)
        self.assessment_combo.clear()
        self.assessment_combo.blockSignals(False)
        self.assessment_text.clear()
        self.area_list.blockSignals(True)
        self.area_list.clear()
        self.area_list.blockSignals(False)
        for model in (self.needs, self.resources, self.goals, self.tasks, self.agreements):
            model.set_rows([])
        self.tasks_heading.setText(_("Steps"))
        self._update_buttons()

    def _show_phase(self, case: dict[str, Any]) -> None:
        phase = case.get("phase") or ""
        self.phase_label.setText(f"{html.escape(_('Phase'))}: <b>{html.escape(labels.label(labels.CASE_PHASE, phase))}</b>")
        index = self.phase_combo.findData(phase)
        self.phase_combo.blockSignals(True)
        self.phase_combo.setCurrentIndex(index)  # -1 (empty) for a closed case
        self.phase_combo.blockSignals(False)
        if self._closed:
            parts = [_("Closed on {date}").format(date=_date(case.get("closed_on")) or "–"),
                     _("Retention date {date}").format(date=_date(case.get("retention_until")) or "–")]
            details = []
            if case.get("closure_reason"):
                details.append(_("Closure reason: {reason}").format(
                    reason=labels.label(CLOSURE_REASON, case["closure_reason"])))
            if case.get("destination"):
                details.append(_("Destination: {destination}").format(
                    destination=labels.label(DESTINATION, case["destination"])))
            text = "<b>" + html.escape(" · ".join(parts)) + "</b>"
            if details:
                text += "<br>" + html.escape(" · ".join(details))
            text += "<br>" + html.escape(_("The case is closed; nothing can be changed here any more."))
            self.closed_label.setText(text)
            self.closed_label.show()
        else:
            self.closed_label.clear()
            self.closed_label.hide()

    def _show_missing(self, missing: list[dict[str, Any]]) -> None:
        self.missing_list.clear()
        if not missing:
            item = QListWidgetItem(_("Nothing open for the phases so far."))
            item.setForeground(QBrush(QColor(MUTED)))
            self.missing_list.addItem(item)
            return
        by_phase: dict[str, list[str]] = {}
        for m in missing:
            by_phase.setdefault(m.get("phase") or "", []).append(m.get("text") or m.get("key") or "")
        order = list(labels.CASE_PHASE)
        for phase in sorted(by_phase, key=lambda p: order.index(p) if p in order else len(order)):
            head = QListWidgetItem(labels.label(labels.CASE_PHASE, phase))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setFlags(Qt.ItemFlag.NoItemFlags | Qt.ItemFlag.ItemIsEnabled)
            self.missing_list.addItem(head)
            for text in by_phase[phase]:
                item = QListWidgetItem("   • " + text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.missing_list.addItem(item)

    def missing_texts(self) -> list[str]:
        """The lines of "Was noch fehlt" without the phase headings (for tests and screen readers)."""
        return [self.missing_list.item(i).text().strip().lstrip("• ").strip()
                for i in range(self.missing_list.count())
                if self.missing_list.item(i).text().startswith("   • ")]

    # -- assessment

    def _assessments(self) -> list[dict[str, Any]]:
        return list((self.shown or {}).get("assessments") or [])

    def current_assessment(self) -> dict[str, Any] | None:
        aid = self.assessment_combo.currentData()
        return next((a for a in self._assessments() if a["id"] == aid), None)

    def _show_assessments(self) -> None:
        keep = self._keep_assessment or self.assessment_combo.currentData()
        self._keep_assessment = None
        items = sorted(self._assessments(), key=lambda a: (a.get("date") or "", a["id"]), reverse=True)
        self.assessment_combo.blockSignals(True)
        self.assessment_combo.clear()
        for a in items:
            self.assessment_combo.addItem(_("Assessment of {date}").format(date=_date(a.get("date"))), a["id"])
        index = self.assessment_combo.findData(keep) if keep else -1
        self.assessment_combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
        self.assessment_combo.blockSignals(False)
        self.assessment_combo.setVisible(bool(items))
        self.edit_assessment_button.setVisible(bool(items))
        self._show_assessment()

    def _show_assessment(self) -> None:
        a = self.current_assessment()
        if a is None:
            self.assessment_text.setText(html.escape(_("No assessment yet. Start with “New assessment”: the "
                                                       "needs and resources the client and you see.")))
        else:
            parts = []
            latest = self._assessments() and max(self._assessments(), key=lambda x: (x.get("date") or "", x["id"]))
            if latest and latest["id"] != a["id"]:
                parts.append(f"<i>{html.escape(_('An earlier assessment; the latest is shown first.'))}</i>")
            nxt = _day(a.get("next_reassessment_on"))
            if nxt is not None:
                text = html.escape(_("Next assessment on {date}").format(date=format_date(nxt)))
                if nxt < today():
                    text = f'<span style="color:{ALERT}">{text} ({html.escape(_("due"))})</span>'
                parts.append(text)
            summary = (a.get("summary") or "").strip()
            if summary:
                parts.append(html.escape(summary).replace("\n", "<br>"))
            self.assessment_text.setText("<br>".join(parts) if parts else "")
        self._fill_areas()

    def _assessment_items(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        a = self.current_assessment()
        if a is None or self.shown is None:
            return [], []
        needs = [n for n in self.shown.get("needs") or [] if n.get("assessment_id") == a["id"]]
        resources = [r for r in self.shown.get("resources") or [] if r.get("assessment_id") == a["id"]]
        return needs, resources

    def _fill_areas(self) -> None:
        keep = self.current_area()
        needs, resources = self._assessment_items()
        if self.current_assessment() is None:
            self.area_list.clear()
            self._show_area()
            return
        areas = list(_need_areas())
        present = {n["need_area"] for n in needs} | {r["need_area"] or NO_AREA for r in resources}
        ordered = [a for a in areas if a in present] + sorted(present - set(areas) - {NO_AREA})
        if NO_AREA in present:
            ordered.append(NO_AREA)
        self.area_list.blockSignals(True)
        self.area_list.clear()
        entries = [(ALL_AREAS, _("All need areas"), needs, resources)]
        for area in ordered:
            name = _("general") if area == NO_AREA else labels.label(_need_areas(), area)
            entries.append((area, name, [n for n in needs if n["need_area"] == area],
                            [r for r in resources if (r["need_area"] or NO_AREA) == area]))
        for key, name, n_list, r_list in entries:
            counts = [ngettext("{n} need", "{n} needs", len(n_list)).format(n=len(n_list)),
                      ngettext("{n} resource", "{n} resources", len(r_list)).format(n=len(r_list))]
            item = QListWidgetItem(f"{name}\n{' · '.join(counts)}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            gaps = sum(1 for n in n_list if n["status"] == "NICHT_DECKBAR")
            if gaps and key != ALL_AREAS:
                item.setForeground(QBrush(QColor(ALERT)))
                item.setToolTip(ngettext("{n} offer gap", "{n} offer gaps", gaps).format(n=gaps))
            if key == ALL_AREAS:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.area_list.addItem(item)
        row = next((i for i, (k, *_r) in enumerate(entries) if k == keep), 0)
        self.area_list.setCurrentRow(row)
        self.area_list.blockSignals(False)
        self._show_area()

    def current_area(self) -> str:
        item = self.area_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ALL_AREAS

    def select_area(self, area: str) -> bool:
        for i in range(self.area_list.count()):
            if self.area_list.item(i).data(Qt.ItemDataRole.UserRole) == area:
                self.area_list.setCurrentRow(i)
                return True
        return False

    def _show_area(self) -> None:
        area = self.current_area()
        needs, resources = self._assessment_items()
        if area != ALL_AREAS:
            needs = [n for n in needs if n["need_area"] == area]
            resources = [r for r in resources if (r["need_area"] or NO_AREA) == area]
        needs.sort(key=lambda n: (n.get("priority") or 2, n["need_area"]))
        keep_need = self._selected(self.needs_table, self.needs_model)
        self.needs.set_rows(needs)
        self.resources.set_rows(resources)
        self.needs_table.setColumnHidden(0, area != ALL_AREAS)
        self.resources_table.setColumnHidden(0, area != ALL_AREAS)
        self._fit(self.needs_table, 170)
        self._fit(self.resources_table, 120)
        if keep_need is not None:
            self._select_id(self.needs_table, self.needs_model, keep_need["id"])
        self._update_buttons()

    def _need_tooltip(self, row: dict[str, Any], _col: int) -> str | None:
        if row["status"] == "NICHT_DECKBAR":
            return _("Offer gap: {note}").format(note=row.get("gap_note") or "–")
        text = " · ".join(t for t in (row.get("description"), row.get("own_view")) if t)
        return text if len(text) > 60 else None

    # -- goals and tasks

    def _goal_colour(self, row: dict[str, Any], col: int) -> str | None:
        from gk_desktop.services.cycle import FINAL_GOAL_STATUSES

        if row["status"] in FINAL_GOAL_STATUSES:
            return MUTED
        review = _day(row.get("review_on"))
        if col == 4 and review is not None and review < today():
            return ALERT
        return None

    def _goal_tooltip(self, row: dict[str, Any], col: int) -> str | None:
        lines = [row.get("statement") or ""]
        review = _day(row.get("review_on"))
        if col == 4 and review is not None and review < today():
            lines.append(_("The review was due on {date}.").format(date=format_date(review)))
        if row.get("achievement_note"):
            lines.append(_("Attainment: {note}").format(note=row["achievement_note"]))
        text = "\n".join(t for t in lines if t)
        return text if len(text) > 60 or len(lines) > 1 else None

    def _who(self, row: dict[str, Any]) -> str:
        if row.get("responsible") == "PARTNER":
            return self.partners.get(row.get("partner_id") or "", "") or labels.label(TASK_RESPONSIBLE, "PARTNER")
        return labels.label(TASK_RESPONSIBLE, row.get("responsible"))

    def _task_status(self, row: dict[str, Any]) -> str:
        text = labels.label(TASK_STATUS, row.get("status"))
        if row.get("status") == "ERLEDIGT" and row.get("done_on"):
            return _("done on {date}").format(date=_date(row["done_on"]))
        if self._overdue(row):
            return _("{status}, overdue").format(status=text)
        return text

    def _goal_name(self, row: dict[str, Any]) -> str:
        goal = next((g for g in (self.shown or {}).get("goals") or [] if g["id"] == row.get("goal_id")), None)
        return _short(goal["statement"], 50) if goal else ""

    @staticmethod
    def _overdue(row: dict[str, Any]) -> bool:
        due = _day(row.get("due_on"))
        return row.get("status") == "OFFEN" and due is not None and due < today()

    def _task_colour(self, row: dict[str, Any], _col: int) -> str | None:
        if self._overdue(row):
            return ALERT
        if row.get("status") in ("ERLEDIGT", "VERWORFEN"):
            return MUTED
        return None

    def _task_tooltip(self, row: dict[str, Any], _col: int) -> str | None:
        if self._overdue(row):
            return _("Overdue since {date}").format(date=_date(row.get("due_on")))
        text = row.get("description") or ""
        return text if len(text) > 60 else None

    def _agreement_tooltip(self, row: dict[str, Any], _col: int) -> str | None:
        goals = {g["id"]: g["statement"] for g in (self.shown or {}).get("goals") or []}
        names = [goals.get(g, "") for g in row.get("goals") or []]
        return "\n".join("• " + _short(n, 90) for n in names if n) or None

    def _show_goals(self) -> None:
        keep = self._keep_goal or (g["id"] if (g := self.selected_goal()) else None)
        self._keep_goal = None
        goals = list((self.shown or {}).get("goals") or [])
        self.goals.set_rows(goals)
        self._fit(self.goals_table)
        self.goals_table.clearSelection()
        if keep:
            self._select_id(self.goals_table, self.goals_model, keep)
        self._show_tasks()

    def selected_goal(self) -> dict[str, Any] | None:
        return self._selected(self.goals_table, self.goals_model)

    def _goal_selected(self) -> None:
        self._show_tasks()
        self._update_buttons()

    def show_all_tasks(self) -> None:
        self.goals_table.clearSelection()
        self.goals_table.setCurrentIndex(QModelIndex())
        self._show_tasks()

    def _show_tasks(self) -> None:
        goal = self.selected_goal()
        tasks = list((self.shown or {}).get("tasks") or [])
        keep = self._selected(self.tasks_table, self.tasks_model)
        if goal is not None:
            tasks = [t for t in tasks if t.get("goal_id") == goal["id"]]
            self.tasks_heading.setText(_("Steps towards: {goal}").format(goal=_short(goal["statement"], 70)))
        else:
            self.tasks_heading.setText(_("All steps"))
        self.tasks.set_rows(tasks)
        self.tasks_table.setColumnHidden(4, goal is not None)
        self._fit(self.tasks_table)
        if keep is not None:
            self._select_id(self.tasks_table, self.tasks_model, keep["id"])
        self.all_tasks_button.setEnabled(goal is not None)
        self._update_buttons()

    def _show_agreements(self) -> None:
        self.agreements.set_rows(sorted((self.shown or {}).get("agreements") or [],
                                        key=lambda a: a.get("date") or "", reverse=True))
        self._fit(self.agreements_table, 160)

    # -- helpers

    @staticmethod
    def _fit(table: QTableView, cap: int = 300) -> None:
        model = table.model()
        if model.rowCount() == 0:  # the headers only
            header = table.horizontalHeader()
            for col in range(model.columnCount()):
                table.setColumnWidth(col, max(50, header.sectionSizeHint(col) + 4))
            return
        table.resizeColumnsToContents()
        for col in range(model.columnCount() - 1):
            table.setColumnWidth(col, min(max(table.columnWidth(col), 40), cap))
        if model.columnCount():
            table.setColumnWidth(model.columnCount() - 1, 60)  # the last one stretches over the rest

    @staticmethod
    def _selected(table: QTableView, model: RoleProxy) -> dict[str, Any] | None:
        if table.selectionModel() is None:
            return None
        rows = table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= model.rowCount():
            return None
        return model.row_at(rows[0].row())

    @staticmethod
    def _select_id(table: QTableView, model: RoleProxy, record_id: str) -> bool:
        for row in range(model.rowCount()):
            if model.row_at(row).get("id") == record_id:
                table.selectRow(row)
                return True
        return False

    def selected_need(self) -> dict[str, Any] | None:
        return self._selected(self.needs_table, self.needs_model)

    def selected_resource(self) -> dict[str, Any] | None:
        return self._selected(self.resources_table, self.resources_model)

    def selected_task(self) -> dict[str, Any] | None:
        return self._selected(self.tasks_table, self.tasks_model)

    def selected_agreement(self) -> dict[str, Any] | None:
        return self._selected(self.agreements_table, self.agreements_model)

    def _update_buttons(self) -> None:
        loaded = self.shown is not None and self.case_id is not None
        edit = loaded and not self._closed
        has_assessment = self.current_assessment() is not None
        need, resource = self.selected_need(), self.selected_resource()
        goal, task, agreement = self.selected_goal(), self.selected_task(), self.selected_agreement()
        phase = (self.shown or {}).get("case", {}).get("phase") if loaded else None
        self.phase_combo.setEnabled(edit)
        self.set_phase_button.setEnabled(edit and self.phase_combo.currentData() != phase)
        self.close_case_button.setEnabled(edit)
        self.new_assessment_button.setEnabled(edit)
        self.edit_assessment_button.setEnabled(edit and has_assessment)
        self.add_need_button.setEnabled(edit and has_assessment)
        self.add_resource_button.setEnabled(edit and has_assessment)
        self.edit_need_button.setEnabled(edit and need is not None)
        self.offers_button.setEnabled(loaded and need is not None)
        self.edit_resource_button.setEnabled(edit and resource is not None)
        self.add_goal_button.setEnabled(edit)
        self.template_button.setEnabled(edit)
        self.edit_goal_button.setEnabled(edit and goal is not None)
        self.delete_goal_button.setEnabled(edit and goal is not None)
        self.add_task_button.setEnabled(edit)
        self.done_button.setEnabled(edit and task is not None and task.get("status") != "ERLEDIGT")
        self.edit_task_button.setEnabled(edit and task is not None)
        self.delete_task_button.setEnabled(edit and task is not None)
        has_goals = bool((self.shown or {}).get("goals"))
        self.add_agreement_button.setEnabled(edit and has_goals)
        self.add_agreement_button.setToolTip("" if has_goals or not edit else _("Add a goal first."))
        self.edit_agreement_button.setEnabled(edit and agreement is not None)

    def _load_partners(self) -> None:
        from gk_desktop.services import offers

        vault, epoch = self._vault, self._epoch
        if vault is None:
            return

        def done(names: dict[str, str]) -> None:
            if epoch != self._epoch:
                return
            self.partners = names
            self.tasks.set_rows([self.tasks.row_at(i) for i in range(self.tasks.rowCount())])
            self._fit(self.tasks_table)

        Op(self, lambda _ctx: {p.id: p.name for p in offers.list_partners(vault)}) \
            .on_success(done).on_failure(lambda _exc: None).run()

    # ------------------------------------------------------------------ writing

    def _write(self, work: Callable[[Any], Any], *, refused: Callable[[str], None] | None = None,
               done: Callable[[Any], None] | None = None) -> None:
        """Run ``work(vault)`` on the database lane; ``changed`` after it, the form again on a refusal."""
        vault, epoch = self._vault, self._epoch
        if vault is None:
            return

        def ok(result: Any) -> None:
            if epoch != self._epoch:
                return
            if done is not None:
                done(result)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            if epoch != self._epoch:
                return
            if isinstance(exc, InputRejectedError) and refused is not None:
                refused(exc.message)
            else:
                show_error(self, exc)

        Op(self, lambda _ctx: work(vault)).on_success(ok).on_failure(failed).run()

    def _form(self, title: str, fields: list[Any], values: dict[str, Any], save: Callable[[Any, dict[str, Any]], Any], *,
              intro: str = "", validate: Callable[[dict[str, Any]], list[str]] | None = None, message: str = "",
              done: Callable[[Any], None] | None = None) -> Any:
        """A RecordDialog; on Save ``save(vault, values)`` runs in the background. When the service
        refuses, the form opens again with what was typed and the reason."""
        from gk_desktop.ui.record_editor import RecordDialog

        if self._vault is None or self.case_id is None:
            return None
        dialog = RecordDialog(title, fields, values, self, intro=intro, validate=validate)
        dialog.setMinimumWidth(560)
        if message:
            dialog.show_problem(readable(message, {f.key: f.label for f in fields}))
        self.dialog = dialog

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            typed = dialog.result_values
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted or typed is None:
                return
            again = {**values, **typed}
            self._write(lambda vault: save(vault, typed), done=done,
                        refused=lambda msg: self._form(title, fields, again, save, intro=intro, validate=validate,
                                                       message=msg, done=done))

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    @staticmethod
    def _checker(model_name: str, extra: Callable[[dict[str, Any], Any], None] | None = None,
                 convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                 ) -> Callable[[dict[str, Any]], list[str]]:
        """The service's pure checks of a record (enumerations, date order, ranges) for ``validate``."""
        def check(values: dict[str, Any]) -> list[str]:
            from gk_desktop.services import cycle
            from gk_desktop.services.records import Problems

            # The service's own parser (pure: no session); a public check in cycle would be cleaner.
            model = getattr(cycle.M, model_name)
            data = convert(values) if convert else dict(values)
            problems = Problems()
            try:
                cycle._parse(model, data, problems, partial=True, skip=frozenset({"case_id", "assessment_id"}))
                if extra is not None:
                    extra(data, problems)
            except InputRejectedError as exc:
                return [readable(exc.message)]
            return [readable(item) for item in problems.items]
        return check

    # -- phase and closing

    def set_phase(self) -> None:
        from gk_desktop.services import cycle

        if self.shown is None or self.case_id is None or self._closed:
            return
        current = self.shown["case"].get("phase") or ""
        new = self.phase_combo.currentData()
        if not new or new == current:
            return
        order = [p for p in labels.CASE_PHASE if p not in ("ABGESCHLOSSEN", "RUHEND")]
        if current in order and new in order and order.index(new) < order.index(current):
            if not confirm_phase_back(self, current, new):
                index = self.phase_combo.findData(current)
                self.phase_combo.setCurrentIndex(max(index, 0))
                return
        case_id = self.case_id
        self._write(lambda vault: cycle.set_phase(vault, case_id, new, source="gui"))

    def close_case(self, values: dict[str, Any] | None = None, message: str = "") -> CloseCaseDialog | None:
        from gk_desktop.services import cycle

        if self.shown is None or self.case_id is None or self._closed:
            return None
        dialog = CloseCaseDialog(self.shown, self.retention_years, self, values=values, message=message)
        self.dialog = dialog
        case_id, years = self.case_id, self.retention_years

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            typed = dialog.values()
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted:
                return
            self._write(lambda vault: cycle.close_case(vault, case_id, typed, retention_years=years, source="gui"),
                        refused=lambda msg: self.close_case(typed, msg))

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    # -- assessment, needs, resources

    def _assessment_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        return [FieldSpec("date", FIELD_LABELS["date"], "date", required=True),
                FieldSpec("summary", FIELD_LABELS["summary"], "text"),
                FieldSpec("next_reassessment_on", FIELD_LABELS["next_reassessment_on"], "date")]

    def new_assessment(self) -> None:
        from gk_desktop.services import cycle

        code, case_id = self.case_code, self.case_id

        def save(vault: Any, values: dict[str, Any]) -> str:
            return cycle.add_assessment(vault, code, {**values, "needs": [], "resources": []}, case_id=case_id,
                                        source="gui")

        def done(assessment_id: str) -> None:
            self._keep_assessment = assessment_id

        self._form(_("New assessment"), self._assessment_fields(), {"date": today().isoformat()}, save,
                   intro=_("An assessment records what the client needs and what they bring, on a date. Earlier "
                           "assessments are kept. Add the needs and resources after saving."),
                   validate=self._checker("Assessment"), done=done)

    def edit_assessment(self) -> None:
        from gk_desktop.services import cycle

        a = self.current_assessment()
        if a is None:
            return
        aid = a["id"]
        self._form(_("Change assessment"), self._assessment_fields(), dict(a),
                   lambda vault, v: cycle.update_assessment(vault, aid, v, source="gui"),
                   validate=self._checker("Assessment"))

    def _need_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        return [FieldSpec("need_area", FIELD_LABELS["need_area"], "enum", _need_areas(), required=True),
                FieldSpec("description", FIELD_LABELS["description"], "text", required=True),
                FieldSpec("own_view", FIELD_LABELS["own_view"], "text"),
                FieldSpec("priority", FIELD_LABELS["priority"], "enum", PRIORITY, required=True),
                FieldSpec("status", FIELD_LABELS["status"], "enum", NEED_STATUS, required=True),
                FieldSpec("gap_note", FIELD_LABELS["gap_note"], "text")]

    @staticmethod
    def _need_data(values: dict[str, Any]) -> dict[str, Any]:
        data = dict(values)
        if data.get("priority") not in (None, ""):
            data["priority"] = int(data["priority"])
        return data

    def _need_validate(self) -> Callable[[dict[str, Any]], list[str]]:
        def gap(data: dict[str, Any], problems: Any) -> None:
            from gk_desktop.services import cycle

            cycle._need_check(None, None, data, problems)

        return self._checker("Need", gap, self._need_data)

    NEED_INTRO = N_("Status “offer gap”: no fitting offer exists. Describe what is missing; the gaps are "
                    "counted for the programme.")

    def add_need(self) -> None:
        from gk_desktop.services import cycle

        a = self.current_assessment()
        if a is None:
            return
        aid = a["id"]
        area = self.current_area()
        defaults = {"need_area": area if area not in (ALL_AREAS, NO_AREA) else None, "priority": "2",
                    "status": "OFFEN"}
        self._form(_("Add need"), self._need_fields(), defaults,
                   lambda vault, v: cycle.add_need(vault, aid, self._need_data(v), source="gui"),
                   intro=_(self.NEED_INTRO), validate=self._need_validate())

    def edit_need(self) -> None:
        from gk_desktop.services import cycle

        need = self.selected_need()
        if need is None or self._closed:
            return
        nid = need["id"]
        values = dict(need)
        values["priority"] = str(need.get("priority") or 2)
        self._form(_("Change need"), self._need_fields(), values,
                   lambda vault, v: cycle.update_need(vault, nid, self._need_data(v), source="gui"),
                   intro=_(self.NEED_INTRO), validate=self._need_validate())

    def delete_need(self) -> None:
        from gk_desktop.services import cycle

        need = self.selected_need()
        if need is None or self._closed:
            return
        if confirm_delete(self, _("Delete need"), _("Delete the need “{need}”?").format(
                need=_short(need.get("description") or "", 80))):
            nid = need["id"]
            self._write(lambda vault: cycle.delete_record(vault, "need", nid, source="gui"))

    def _resource_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        return [FieldSpec("resource_type", FIELD_LABELS["resource_type"], "enum", RESOURCE_TYPE, required=True),
                FieldSpec("need_area", FIELD_LABELS["need_area"], "enum", _need_areas()),
                FieldSpec("description", FIELD_LABELS["description"], "text", required=True)]

    def add_resource(self) -> None:
        from gk_desktop.services import cycle

        a = self.current_assessment()
        if a is None:
            return
        aid = a["id"]
        area = self.current_area()
        defaults = {"resource_type": "FAEHIGKEIT", "need_area": area if area not in (ALL_AREAS, NO_AREA) else None}
        self._form(_("Add resource"), self._resource_fields(), defaults,
                   lambda vault, v: cycle.add_resource(vault, aid, v, source="gui"),
                   intro=_("What the client brings: skills, experience, people who help, motivation."),
                   validate=self._checker("Resource"))

    def edit_resource(self) -> None:
        from gk_desktop.services import cycle

        resource = self.selected_resource()
        if resource is None or self._closed:
            return
        rid = resource["id"]
        self._form(_("Change resource"), self._resource_fields(), dict(resource),
                   lambda vault, v: cycle.update_resource(vault, rid, v, source="gui"),
                   validate=self._checker("Resource"))

    def delete_resource(self) -> None:
        from gk_desktop.services import cycle

        resource = self.selected_resource()
        if resource is None or self._closed:
            return
        if confirm_delete(self, _("Delete resource"), _("Delete the resource “{resource}”?").format(
                resource=_short(resource.get("description") or "", 80))):
            rid = resource["id"]
            self._write(lambda vault: cycle.delete_record(vault, "resource", rid, source="gui"))

    def show_offers(self) -> NeedOffersDialog | None:
        need = self.selected_need()
        if need is None or self._vault is None:
            return None
        dialog = NeedOffersDialog(self._vault, need, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    # -- goals

    def _need_choices(self) -> dict[str, str]:
        areas = _need_areas()
        return {n["id"]: f"{labels.label(areas, n['need_area'])}: {_short(n.get('description') or '', 60)}"
                for n in (self.shown or {}).get("needs") or []}

    def _goal_fields(self, *, new: bool = False) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        fields = [FieldSpec("statement", FIELD_LABELS["statement"], "text", required=True),
                FieldSpec("need_area", FIELD_LABELS["need_area"], "enum", _need_areas(), required=True),
                FieldSpec("need_id", FIELD_LABELS["need_id"], "choice", self._need_choices()),
                FieldSpec("level", FIELD_LABELS["level"], "enum", GOAL_LEVEL, required=True),
                FieldSpec("start_on", FIELD_LABELS["start_on"], "date"),
                FieldSpec("target_on", FIELD_LABELS["target_on"], "date"),
                FieldSpec("review_on", FIELD_LABELS["review_on"], "date"),
                FieldSpec("status", FIELD_LABELS["status"], "enum", GOAL_STATUS, required=True)]
        if not new:  # the attainment is recorded later (and on closing)
            fields += [FieldSpec("achievement", FIELD_LABELS["achievement"], "int"),
                       FieldSpec("achievement_note", FIELD_LABELS["achievement_note"], "text")]
        return fields

    GOAL_INTRO = N_("Word the goal as a state reached by a date, e.g. “A training place is found by 31.05.2027.” "
                    "Goals are agreed with the client in the goal agreement.")

    def add_goal(self, template: dict[str, Any] | None = None) -> None:
        from gk_desktop.services import cycle

        code, case_id = self.case_code, self.case_id
        need = self.selected_need()
        area = self.current_area()
        defaults: dict[str, Any] = {"level": "HANDLUNGSZIEL", "status": "ENTWURF", "start_on": today().isoformat(),
                                    "need_area": area if area not in (ALL_AREAS, NO_AREA) else None}
        if need is not None:
            defaults.update(need_area=need["need_area"], need_id=need["id"])
        if template:
            defaults.update(template)
            if need is not None and need["need_area"] != template.get("need_area"):
                defaults["need_id"] = None
            if not defaults.get("need_id"):
                match = [n for n in (self.shown or {}).get("needs") or [] if n["need_area"] == template.get("need_area")
                         and n["status"] not in ("GEDECKT", "NICHT_MEHR_RELEVANT")]
                if len(match) == 1:
                    defaults["need_id"] = match[0]["id"]

        def done(goal_id: str) -> None:
            self._keep_goal = goal_id

        self._form(_("Add goal"), self._goal_fields(new=True), defaults,
                   lambda vault, v: cycle.add_goal(vault, code, v, case_id=case_id, source="gui"),
                   intro=_(self.GOAL_INTRO), validate=self._checker("Goal"), done=done)

    def _fill_templates(self) -> None:
        from gk_desktop.services import cycle

        self.template_menu.clear()
        areas = _need_areas()
        for template in cycle.goal_templates(today()):
            action = self.template_menu.addAction(
                f"{labels.label(areas, template['need_area'])}: {template['statement']}")
            action.triggered.connect(lambda _checked=False, t=template: self.add_goal(t))

    def add_goal_from_template(self, index: int) -> None:
        from gk_desktop.services import cycle

        templates = cycle.goal_templates(today())
        if 0 <= index < len(templates):
            self.add_goal(templates[index])

    def edit_goal(self) -> None:
        from gk_desktop.services import cycle

        goal = self.selected_goal()
        if goal is None or self._closed:
            return
        gid = goal["id"]
        self._form(_("Change goal"), self._goal_fields(), dict(goal),
                   lambda vault, v: cycle.update_goal(vault, gid, v, source="gui"),
                   intro=_(self.GOAL_INTRO), validate=self._checker("Goal"))

    def delete_goal(self) -> None:
        from gk_desktop.services import cycle

        goal = self.selected_goal()
        if goal is None or self._closed:
            return
        if confirm_delete(self, _("Delete goal"), _("Delete the goal “{goal}”?").format(
                goal=_short(goal.get("statement") or "", 80))):
            gid = goal["id"]
            self._write(lambda vault: cycle.delete_record(vault, "goal", gid, source="gui"))

    # -- tasks

    def _goal_choices(self) -> dict[str, str]:
        return {g["id"]: _short(g.get("statement") or "", 70) for g in (self.shown or {}).get("goals") or []}

    def _task_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        partners = dict(sorted(self.partners.items(), key=lambda kv: kv[1].casefold()))
        return [FieldSpec("description", FIELD_LABELS["description"], "text", required=True),
                FieldSpec("goal_id", FIELD_LABELS["goal_id"], "choice", self._goal_choices()),
                FieldSpec("responsible", FIELD_LABELS["responsible"], "enum", TASK_RESPONSIBLE, required=True),
                FieldSpec("partner_id", FIELD_LABELS["partner_id"], "choice", partners),
                FieldSpec("due_on", FIELD_LABELS["due_on"], "date"),
                FieldSpec("status", FIELD_LABELS["status"], "enum", TASK_STATUS, required=True),
                FieldSpec("done_on", FIELD_LABELS["done_on"], "date")]

    @staticmethod
    def _task_extra(data: dict[str, Any], problems: Any) -> None:
        if data.get("responsible") == "PARTNER" and not data.get("partner_id"):
            problems.add("partner_id", _("name the partner who is responsible"))

    TASK_INTRO = N_("Who does what by when. A partner as responsible is chosen from the directory.")

    def add_task(self) -> None:
        from gk_desktop.services import cycle

        code, case_id = self.case_code, self.case_id
        goal = self.selected_goal()
        defaults = {"goal_id": goal["id"] if goal else None, "responsible": "KLIENT", "status": "OFFEN"}
        self._form(_("Add step"), self._task_fields(), defaults,
                   lambda vault, v: cycle.add_task(vault, code, v, case_id=case_id, source="gui"),
                   intro=_(self.TASK_INTRO), validate=self._checker("Task", self._task_extra))

    def edit_task(self) -> None:
        from gk_desktop.services import cycle

        task = self.selected_task()
        if task is None or self._closed:
            return
        tid = task["id"]
        self._form(_("Change step"), self._task_fields(), dict(task),
                   lambda vault, v: cycle.update_task(vault, tid, v, source="gui"),
                   intro=_(self.TASK_INTRO), validate=self._checker("Task", self._task_extra))

    def mark_done(self) -> None:
        """"Erledigt": the selected step is done today (one click)."""
        from gk_desktop.services import cycle

        task = self.selected_task()
        if task is None or self._closed or task.get("status") == "ERLEDIGT":
            return
        tid = task["id"]
        self._write(lambda vault: cycle.update_task(vault, tid, {"status": "ERLEDIGT"}, source="gui"))

    def delete_task(self) -> None:
        from gk_desktop.services import cycle

        task = self.selected_task()
        if task is None or self._closed:
            return
        if confirm_delete(self, _("Delete step"), _("Delete the step “{step}”?").format(
                step=_short(task.get("description") or "", 80))):
            tid = task["id"]
            self._write(lambda vault: cycle.delete_record(vault, "task", tid, source="gui"))

    # -- context menus (right click on a row): every action of its buttons, and Delete

    def _need_actions(self) -> list[tuple[str, Callable[[], Any], bool]]:
        edit = not self._closed
        return [(_("Change …"), self.edit_need, edit), (_("Matching offers …"), self.show_offers, True),
                (_("Add goal …"), lambda: self.add_goal(), edit), (_("Delete"), self.delete_need, edit)]

    def _resource_actions(self) -> list[tuple[str, Callable[[], Any], bool]]:
        edit = not self._closed
        return [(_("Change …"), self.edit_resource, edit), (_("Delete"), self.delete_resource, edit)]

    def _goal_actions(self) -> list[tuple[str, Callable[[], Any], bool]]:
        edit = not self._closed
        return [(_("Change …"), self.edit_goal, edit), (_("Add step …"), self.add_task, edit),
                (_("Delete"), self.delete_goal, edit)]

    def _task_actions(self) -> list[tuple[str, Callable[[], Any], bool]]:
        edit = not self._closed
        task = self.selected_task()
        return [(_("Done"), self.mark_done, edit and task is not None and task.get("status") != "ERLEDIGT"),
                (_("Change …"), self.edit_task, edit), (_("Delete"), self.delete_task, edit)]

    def _agreement_actions(self) -> list[tuple[str, Callable[[], Any], bool]]:
        return [(_("Change …"), self.edit_agreement, not self._closed)]

    def _context_menu(self, table: QTableView, entries: Callable[[], list[tuple[str, Callable[[], Any], bool]]],
                      pos: Any) -> None:
        index = table.indexAt(pos)
        if not index.isValid() or self.shown is None:
            return
        table.selectRow(index.row())
        menu = QMenu(self)
        for text, slot, enabled in entries():
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False, f=slot: f())
        self.context_menu = menu
        menu.popup(table.viewport().mapToGlobal(pos))

    def _delete_focused(self) -> None:
        focus = self.focusWidget()
        for table, action in ((self.needs_table, self.delete_need), (self.resources_table, self.delete_resource),
                              (self.goals_table, self.delete_goal), (self.tasks_table, self.delete_task)):
            if focus is table:
                action()
                return

    # -- agreements

    def _agreement_fields(self, documents: dict[str, str], *, new: bool) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        fields = []
        if new:
            tasks = {t["id"]: _short(t.get("description") or "", 70) for t in (self.shown or {}).get("tasks") or []}
            fields += [FieldSpec("date", FIELD_LABELS["date"], "date", required=True),
                       FieldSpec("goals", FIELD_LABELS["goals"], "multi", self._goal_choices(), required=True),
                       FieldSpec("tasks", FIELD_LABELS["tasks"], "multi", tasks)]
        fields += [FieldSpec("signed_by_client", FIELD_LABELS["signed_by_client"], "bool"),
                   FieldSpec("signed_by_worker", FIELD_LABELS["signed_by_worker"], "bool"),
                   FieldSpec("language", FIELD_LABELS["language"], "text"),
                   FieldSpec("place", FIELD_LABELS["place"], "text"),
                   FieldSpec("document_id", FIELD_LABELS["document_id"], "choice", documents)]
        return fields

    def _with_documents(self, then: Callable[[dict[str, str]], None]) -> None:
        """The client's documents (for the signed scan), loaded in the background."""
        from gk_desktop.services import documents
        from gk_desktop.ui.documents_tab import document_label

        vault, epoch = self._vault, self._epoch
        client_id = ((self.shown or {}).get("case") or {}).get("client_id")
        if vault is None or not client_id:
            return

        def done(rows: list[dict[str, Any]]) -> None:
            if epoch == self._epoch and self.shown is not None:
                then({r["id"]: document_label(r) for r in rows})

        Op(self, lambda _ctx: [d.as_json() for d in documents.list_documents(vault, client_id=client_id)]) \
            .on_success(done).on_failure(lambda exc: show_error(self, exc)).run()

    AGREEMENT_INTRO = N_("Record the goals and steps agreed today and who signed. The signed scan is added under "
                         "Documents first and then chosen here.")

    def add_agreement(self) -> None:
        from gk_desktop.services import cycle

        if self.shown is None or self._closed:
            return
        code, case_id = self.case_code, self.case_id
        goals = [g for g in self.shown.get("goals") or [] if g["status"] == "ENTWURF"]
        chosen = {g["id"] for g in goals}
        tasks = [t["id"] for t in self.shown.get("tasks") or [] if t.get("goal_id") in chosen and t["status"] == "OFFEN"]
        defaults = {"date": today().isoformat(), "goals": sorted(chosen), "tasks": tasks, "language": "de",
                    "signed_by_client": False, "signed_by_worker": False}

        def open_form(documents: dict[str, str]) -> None:
            self._form(_("Record goal agreement"), self._agreement_fields(documents, new=True), defaults,
                       lambda vault, v: cycle.add_agreement(vault, code, v, case_id=case_id, source="gui"),
                       intro=_(AGREEMENT_NOTE) + "\n" + _(self.AGREEMENT_INTRO), validate=self._checker("Agreement"))

        self._with_documents(open_form)

    def edit_agreement(self) -> None:
        from gk_desktop.services import cycle

        agreement = self.selected_agreement()
        if agreement is None or self._closed:
            return
        aid = agreement["id"]

        def open_form(documents: dict[str, str]) -> None:
            self._form(_("Change goal agreement"), self._agreement_fields(documents, new=False), dict(agreement),
                       lambda vault, v: cycle.update_agreement(vault, aid, v, source="gui"),
                       intro=_("The goals and steps of an agreement stay as agreed; for others record a new one."),
                       validate=self._checker("Agreement"))

        self._with_documents(open_form)


__all__ = ["GOAL_LEVEL", "GOAL_STATUS", "NEED_STATUS", "RESOURCE_TYPE", "TASK_RESPONSIBLE", "TASK_STATUS",
           "NeedOffersDialog", "PlanningTab"]
