"""Einstellungen › Rechtsgrundlagen: the funding programme and the legal rules, with their Stand.

Every computed result (target group, residence checks, deadlines) reads these values from the
vault, so they are shown with their source note and the day they were last checked, and a change
is confirmed before it is written. The values are decision support; they never state an
entitlement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.errors import GkError
from gk_desktop.i18n import N_, _, language, ngettext
from gk_desktop.labels import RESIDENCE_STATUS, label
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import format_date

# Readable labels for the rule keys, in the order the table shows them (by norm). A key missing
# here (a rule added to the vault later) is shown by its identifier, after these.
RULE_LABELS: dict[str, str] = {
    "P25A_MIN_DULDUNG_MONTHS": N_("§ 25a: minimum period of Duldung"),
    "P25A_APPLY_BEFORE_BIRTHDAY": N_("§ 25a: age limit for the application"),
    "P25A_MIN_STAY_YEARS": N_("§ 25a: minimum period of stay"),
    "P25A_MIN_SCHOOL_YEARS": N_("§ 25a: minimum period of school attendance"),
    "P25A_MAX_HARMLESS_BREAK_MONTHS": N_("§ 25a: longest harmless break in the stay"),
    "P25A_COUNTING_STATUSES": N_("§ 25a: statuses that count as Duldung time"),
    "P25B_MIN_STAY_YEARS": N_("§ 25b: minimum period of stay"),
    "P25B_MIN_STAY_YEARS_WITH_CHILD": N_("§ 25b: minimum period of stay with a minor child"),
    "P60C_MIN_DULDUNG_MONTHS": N_("§ 60c: minimum period of Duldung"),
    "P60C_APPLY_MONTHS_BEFORE_START": N_("§ 60c: application at the earliest before training starts"),
    "P60C_GRANT_MONTHS_BEFORE_START": N_("§ 60c: grant at the earliest before training starts"),
    "P60C_IDENTITY_MONTHS_AFTER_ENTRY": N_("§ 60c: time to clarify identity after entry"),
    "P60D_ENTRY_BY": N_("§ 60d: entry at the latest on"),
    "P60D_MIN_DULDUNG_MONTHS": N_("§ 60d: minimum period of Duldung"),
    "P60D_MIN_EMPLOYMENT_MONTHS": N_("§ 60d: minimum period of employment"),
    "P60D_MIN_HOURS_PER_WEEK": N_("§ 60d: minimum working hours per week"),
    "P104C_NO_NEW_APPLICATIONS_FROM": N_("§ 104c: no new applications from"),
    "P104C_DURATION_MONTHS": N_("§ 104c: duration of the residence permit"),
    "GREEN_WITHIN_MONTHS": N_("Residence checks: green when met within"),
    "P25A_STAY_STATUSES": N_("§ 25a: statuses that count as stay"),
    "P25A_SCHOOL_GAP_MONTHS": N_("§ 25a: longest harmless gap between school periods"),
    "P25B_STAY_STATUSES": N_("§ 25b: statuses that count as stay"),
    "P25B_MAX_HARMLESS_BREAK_MONTHS": N_("§ 25b: longest harmless break in the stay"),
    "P25B_DULDUNG_STATUSES": N_("§ 25b: statuses that count as Duldung"),
    "P60C_COUNTING_STATUSES": N_("§ 60c: statuses that count as Duldung time"),
    "P60C_IDENTITY_EARLY_ENTRY_UNTIL": N_("§ 60c: early entries (identity by the application) up to"),
    "P60C_IDENTITY_MID_ENTRY_UNTIL": N_("§ 60c: entries with the transitional identity deadline up to"),
    "P60C_IDENTITY_MID_ENTRY_DEADLINE": N_("§ 60c: transitional identity deadline"),
    "P16G_FROM": N_("§ 16g: in force from"),
    "P19D_JOB_SEARCH_MONTHS": N_("§ 19d: time to find a job after the training"),
    "P60D_COUNTING_STATUSES": N_("§ 60d: statuses that count as Duldung time"),
    "P60D_IDENTITY_EARLY_ENTRY_UNTIL": N_("§ 60d: early entries (identity by the application) up to"),
    "P60D_IDENTITY_DEADLINE": N_("§ 60d: identity deadline for later entries"),
    "P104C_CUTOFF": N_("§ 104c: reference day for the stay"),
    "P104C_STAY_YEARS_ON": N_("§ 104c: minimum stay on the reference day"),
    "P104C_STAY_STATUSES": N_("§ 104c: statuses that count as stay"),
    "P104C_MAX_HARMLESS_BREAK_MONTHS": N_("§ 104c: longest harmless break in the stay"),
    "P104C_DULDUNG_STATUSES": N_("§ 104c: statuses that count as Duldung"),
}

NUMBER_UNITS = ("months", "years", "age", "hours_per_week")


def keep_section_together(text: str) -> str:
    """"§ 60d" or "Abs. 2" never broken across two lines (no-break spaces)."""
    for part in ("§ ", "Abs. ", "Satz ", "S. ", "Nr. "):
        text = text.replace(part, part[:-1] + "\u00a0")
    return text


def rule_label(key: str) -> str:
    return keep_section_together(_(RULE_LABELS[key])) if key in RULE_LABELS else key


def status_label(status: str) -> str:
    """The readable status (the one label table, gk_desktop/labels.py); identifiers stay in tooltips."""
    return keep_section_together(label(RESIDENCE_STATUS, status))


def statuses_text(statuses: list[str]) -> str:
    """The statuses readably, in the order of the status list (not alphabetically by identifier)."""
    order = list(RESIDENCE_STATUS)
    ordered = sorted(statuses, key=lambda s: (order.index(s) if s in order else len(order), s))
    return ", ".join(status_label(s) for s in ordered) if ordered else "–"


def unit_name(unit: str) -> str:
    """The unit beside a number field."""
    return {
        "months": _("months"),
        "years": _("years"),
        "age": _("years (age)"),
        "hours_per_week": _("hours per week"),
    }.get(unit, "")


def value_text(unit: str, value: Any) -> str:
    """A rule's value with its unit, as the worker reads it ("12 Monate", "31.12.2022")."""
    if unit == "statuses":
        return statuses_text(list(value or []))
    if unit == "date":
        try:
            return format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if unit in NUMBER_UNITS and isinstance(value, int):
        if unit == "months":
            return ngettext("{n} month", "{n} months", value).format(n=value)
        if unit == "hours_per_week":
            return ngettext("{n} hour per week", "{n} hours per week", value).format(n=value)
        return ngettext("{n} year", "{n} years", value).format(n=value)
    return str(value)


def date_text(day: dt.date | None) -> str:
    return format_date(day) if day else "–"


def _rule_order(key: str) -> tuple[int, str]:
    order = list(RULE_LABELS)
    return (order.index(key) if key in order else len(order), key)


def confirm_change(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask before a change that every computed result will use; verb buttons, Esc cancels."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    change = box.addButton(_("Change"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(change)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is change


def _effect_text() -> str:
    from gk_desktop.domain.clock import today

    return (_("From now on, every computed result (target group, residence checks and deadlines) "
              "uses the new value.") + " "
            + _("The date last checked becomes today ({date}).").format(date=format_date(today())))


# --------------------------------------------------------------------------- the rules table


@dataclass(frozen=True)
class RuleRow:
    """One row of the table: the service's RuleView plus its readable label."""

    rule: Any  # services.rules.RuleView
    label: str


class RulesTableModel(QAbstractTableModel):
    """The legal rules as rows; SortRole holds native values (STYLE.md 7)."""

    COL_RULE, COL_VALUE, COL_SOURCE, COL_STAND = range(4)
    SortRole = Qt.ItemDataRole.UserRole
    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RuleRow] = []

    def set_rows(self, rules: list[Any]) -> None:
        self.beginResetModel()
        self._rows = [RuleRow(r, rule_label(r.key)) for r in sorted(rules, key=lambda r: _rule_order(r.key))]
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rule_at(self, row: int) -> Any:
        return self._rows[row].rule

    def row_of(self, key: str) -> int:
        for i, r in enumerate(self._rows):
            if r.rule.key == key:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return (_("Rule"), _("Value"), _("Source"), _("Last checked"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        rule, col = row.rule, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_RULE:
                return row.label
            if col == self.COL_VALUE:
                return value_text(rule.unit, rule.value)
            if col == self.COL_SOURCE:
                return keep_section_together(rule.source)
            if col == self.COL_STAND:
                return date_text(rule.stand)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_RULE:
                tip = rule.key
                if rule.valid_from:
                    tip += "\n" + _("Current wording in force since {date}").format(date=format_date(rule.valid_from))
                return tip
            if col == self.COL_VALUE:
                return value_text(rule.unit, rule.value)
            if col == self.COL_SOURCE:
                return rule.source
        elif role == self.SortRole:
            return (_rule_order(rule.key), rule.value, rule.source, rule.stand.isoformat() if rule.stand else "")[col]
        elif role == self.KeyRole:
            return rule.key
        return None


class RulesTable(QTableView):
    """The table; Enter, Return and F2 ask to edit the current row (the model is read-only).

    Signals:
        edit_requested(int): the row to edit.
    """

    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.doubleClicked.connect(lambda index: self.edit_requested.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and self.currentIndex().isValid():
            self.edit_requested.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------- small editors


class StatusChecklist(QListWidget):
    """Every residence status as a checkable line (Space ticks it); identifiers in the tooltip."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from gk_desktop.domain.enums import ResidenceStatus

        self.setAccessibleName(accessible_name)
        for status in sorted(ResidenceStatus.__members__, key=lambda s: _status_order(s)):
            item = QListWidgetItem(status_label(status))
            item.setData(Qt.ItemDataRole.UserRole, status)
            item.setToolTip(status)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        # The first line is current (a focus frame for the keyboard) but not shown as selected.
        self.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)

    def set_checked(self, statuses: list[str]) -> None:
        wanted = set(statuses)
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked(self) -> list[str]:
        return sorted(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                      if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_status(self, status: str, on: bool) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == status:
                self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _status_order(status: str) -> tuple[int, str]:
    order = list(RESIDENCE_STATUS)
    return (order.index(status) if status in order else len(order), status)


def _message_label() -> QLabel:
    message = QLabel()
    message.setWordWrap(True)
    message.setStyleSheet("color: #8a4b00;")
    message.setAccessibleName(_("Message"))
    return message


def _buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    box = QDialogButtonBox()
    save = box.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    save.setDefault(True)
    save.setAutoDefault(True)
    box.rejected.connect(dialog.reject)
    return box, save, cancel


class RuleEditDialog(QDialog):
    """Change one rule's value and, optionally, its source note.

    "Speichern" checks the value, asks for confirmation and writes it in the background; the
    dialog stays open with a message if the vault refuses the value.

    Signals:
        saved(object): the rule as written (a RuleView).
    """

    saved = Signal(object)

    def __init__(self, vault: Any, rule: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._rule = rule
        self._busy = False
        self.setWindowTitle(_("Change legal rule"))
        self.setMinimumWidth(640)

        title = QLabel(rule_label(rule.key))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        ident = QLabel(rule.key)
        ident.setStyleSheet("color: palette(mid);")
        ident.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.spin: QSpinBox | None = None
        self.date: QDateEdit | None = None
        self.statuses: StatusChecklist | None = None
        form = QFormLayout()
        form.addRow(_("Current value"), _wrapping_label(value_text(rule.unit, rule.value)))
        if rule.unit in NUMBER_UNITS:
            self.spin = QSpinBox()
            self.spin.setRange(0, 1000)
            self.spin.setValue(int(rule.value))
            self.spin.setMaximumWidth(120)
            self.spin.setAccessibleName(_("New value"))
            row = QHBoxLayout()
            row.addWidget(self.spin)
            row.addWidget(QLabel(unit_name(rule.unit)))
            row.addStretch(1)
            form.addRow(_("New value"), row)
            self.editor: QWidget = self.spin
        elif rule.unit == "date":
            self.date = QDateEdit()
            self.date.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "yyyy-MM-dd")
            self.date.setCalendarPopup(True)
            day = dt.date.fromisoformat(str(rule.value))
            self.date.setDate(QDate(day.year, day.month, day.day))
            self.date.setMaximumWidth(150)
            self.date.setAccessibleName(_("New value"))
            form.addRow(_("New value"), self.date)
            self.editor = self.date
        else:
            self.statuses = StatusChecklist(_("New value"))
            self.statuses.set_checked(list(rule.value or []))
            self.statuses.setMinimumHeight(300)
            form.addRow(_("New value"), self.statuses)
            self.editor = self.statuses
        self.source = QLineEdit(rule.source)
        self.source.setAccessibleName(_("Source"))
        self.source.setCursorPosition(0)
        form.addRow(_("Source"), self.source)
        form.addRow(_("Last checked"), QLabel(date_text(rule.stand)))

        hint = _wrapping_label(_("When you save, the date last checked becomes today."))
        self.message = _message_label()
        self.buttons, self.save_button, self.cancel_button = _buttons(self)
        self.save_button.clicked.connect(self._save)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(ident)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.editor.setFocus()

    def value(self) -> Any:
        """The value as entered: a number, an ISO date or a list of status identifiers."""
        if self.spin is not None:
            return self.spin.value()
        if self.date is not None:
            return self.date.date().toPython().isoformat()
        assert self.statuses is not None
        return self.statuses.checked()

    def _save(self) -> None:
        from gk_desktop.services import rules

        if self._busy:
            return
        rule = self._rule
        try:
            new_value = rules.parse_rule_value(rule.unit, self.value())
        except GkError as exc:
            self.message.setText(error_text(exc))
            return
        source = self.source.text().strip()
        source_changed = source != rule.source
        old_value = sorted(rule.value) if rule.unit == "statuses" else rule.value
        if new_value == old_value and not source_changed:
            self.message.setText(_("You have not changed anything."))
            return
        if not source:
            self.message.setText(_("Please enter a source note."))
            self.source.setFocus()
            return
        lines = []
        if new_value != old_value:
            lines.append(_("“{rule}”: so far {old}, from now on {new}.").format(
                rule=rule_label(rule.key), old=value_text(rule.unit, rule.value), new=value_text(rule.unit, new_value)))
        if source_changed:
            lines.append(_("The source note changes as well."))
        text = "\n".join(lines) + "\n\n" + _effect_text()
        if not confirm_change(self, _("Change legal rule"), text):
            return
        self.message.setText(_("Please wait …"))
        self._set_busy(True)
        vault, key = self._vault, rule.key
        Op(self, lambda _ctx: rules.update_rule(vault, key, new_value, source=source if source_changed else None)) \
            .on_success(self._saved).on_failure(self._failed).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def _saved(self, result: Any) -> None:
        self._set_busy(False)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(error_text(exc))

    def reject(self) -> None:
        if not self._busy:  # a write in progress finishes first, so its result is not lost
            super().reject()


class ProgrammeEditDialog(QDialog):
    """Change the funding programme's age band and its target group statuses.

    Signals:
        saved(object): the programme as written (a ProgrammeView).
    """

    saved = Signal(object)

    def __init__(self, vault: Any, programme: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._programme = programme
        self._busy = False
        self.setWindowTitle(_("Change funding programme"))
        self.resize(860, 560)

        title = QLabel(programme.name)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)

        self.age_min = QSpinBox()
        self.age_max = QSpinBox()
        for spin, value, name in ((self.age_min, programme.age_min, _("Age from")),
                                  (self.age_max, programme.age_max, _("Age to"))):
            spin.setRange(0, 120)
            spin.setValue(value)
            spin.setMaximumWidth(90)
            spin.setAccessibleName(name)
        age_row = QHBoxLayout()
        age_row.addWidget(QLabel(_("from")))
        age_row.addWidget(self.age_min)
        age_row.addWidget(QLabel(_("to")))
        age_row.addWidget(self.age_max)
        age_row.addWidget(QLabel(_("years")))
        age_row.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Age band"), age_row)

        self.primary = StatusChecklist(_("Target group (primary)"))
        self.primary.set_checked(programme.primary_statuses)
        self.secondary = StatusChecklist(_("Target group (secondary)"))
        self.secondary.set_checked(programme.secondary_statuses)
        lists = QGridLayout()
        primary_label = QLabel(_("Target group (primary)"))
        primary_label.setBuddy(self.primary)
        secondary_label = QLabel(_("Target group (secondary)"))
        secondary_label.setBuddy(self.secondary)
        lists.addWidget(primary_label, 0, 0)
        lists.addWidget(secondary_label, 0, 1)
        lists.addWidget(self.primary, 1, 0)
        lists.addWidget(self.secondary, 1, 1)

        hint = _wrapping_label(_("A residence status belongs to at most one target group. "
                                 "When you save, the date last checked becomes today."))
        self.message = _message_label()
        self.buttons, self.save_button, self.cancel_button = _buttons(self)
        self.save_button.clicked.connect(self._save)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(lists, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.age_min.setFocus()

    def _save(self) -> None:
        from gk_desktop.services import rules

        if self._busy:
            return
        p = self._programme
        lo, hi = self.age_min.value(), self.age_max.value()
        primary, secondary = self.primary.checked(), self.secondary.checked()
        try:
            # The same checks the service makes, before asking: nothing to confirm if it is refused.
            if not 0 < lo <= hi:
                raise_rejected(_("The age band must run from a lower to a higher age."))
            primary = rules.parse_rule_value("statuses", primary)
            secondary = rules.parse_rule_value("statuses", secondary)
            if set(primary) & set(secondary):
                raise_rejected(_("A residence status cannot belong to both the primary and the secondary target group."))
        except GkError as exc:
            self.message.setText(error_text(exc))
            return
        lines = []
        if (lo, hi) != (p.age_min, p.age_max):
            lines.append(_("Age band: {old} → {new}").format(old=age_band_text(p.age_min, p.age_max),
                                                             new=age_band_text(lo, hi)))
        for name, old, new in ((_("Target group (primary)"), p.primary_statuses, primary),
                               (_("Target group (secondary)"), p.secondary_statuses, secondary)):
            added = sorted(set(new) - set(old))
            removed = sorted(set(old) - set(new))
            if added:
                lines.append(_("{group}, added: {statuses}").format(group=name, statuses=statuses_text(added)))
            if removed:
                lines.append(_("{group}, removed: {statuses}").format(group=name, statuses=statuses_text(removed)))
        if not lines:
            self.message.setText(_("You have not changed anything."))
            return
        text = "\n".join(lines) + "\n\n" + _effect_text()
        if not confirm_change(self, _("Change funding programme"), text):
            return
        self.message.setText(_("Please wait …"))
        self._set_busy(True)
        vault, key = self._vault, p.key
        Op(self, lambda _ctx: rules.update_programme(vault, key, age_min=lo, age_max=hi, primary_statuses=primary,
                                                     secondary_statuses=secondary)) \
            .on_success(self._saved).on_failure(self._failed).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def _saved(self, result: Any) -> None:
        self._set_busy(False)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(error_text(exc))

    def reject(self) -> None:
        if not self._busy:
            super().reject()


def raise_rejected(message: str) -> None:
    from gk_desktop.errors import InputRejectedError

    raise InputRejectedError(message)


def age_band_text(age_min: int, age_max: int) -> str:
    return _("{min} to {max} years").format(min=age_min, max=age_max)


def _wrapping_label(text: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    return widget


# --------------------------------------------------------------------------- the tab


class LegalRulesView(QWidget):
    """The "Rechtsgrundlagen" tab: the funding programme and the legal rules, each editable.

    Signals:
        rules_changed: a rule or the programme was changed in the vault (after the write).

    Attributes:
        model: the rules table model.
        editor: the edit dialog open at the moment, if any.
    """

    rules_changed = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._generation = 0  # results of a load started before clear() are dropped
        self._programmes: list[Any] = []
        self.loaded = False
        self.editor: QDialog | None = None

        note = QLabel(_("These values are the basis of the decision support: target group, residence checks "
                        "and deadlines. No entitlement follows from them. When the law changes, please check "
                        "the values against it and change them here."))
        note.setWordWrap(True)
        note.setFrameShape(QFrame.Shape.StyledPanel)
        note.setMargin(8)
        note.setStyleSheet("QLabel { background: palette(alternate-base); }")
        self.note = note

        self.programme_box = self._programme_box()

        self.model = RulesTableModel(self)
        self.table = RulesTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Legal rules"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RulesTableModel.COL_RULE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RulesTableModel.COL_VALUE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RulesTableModel.COL_SOURCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RulesTableModel.COL_STAND, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.table.setColumnWidth(RulesTableModel.COL_RULE, 330)
        self.table.setColumnWidth(RulesTableModel.COL_VALUE, 220)
        # Row heights follow the wrapped source notes once the columns have their real widths
        # (the tab may be built hidden, when the stretched column is still narrow).
        self._fit_rows = QTimer(self)
        self._fit_rows.setSingleShot(True)
        self._fit_rows.setInterval(0)
        self._fit_rows.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_a: self._fit_rows.start())
        self.edit_rule_button = QPushButton(_("Change rule …"))
        self.edit_rule_button.setEnabled(False)
        rules_box = QGroupBox(_("Legal rules"))
        rl = QVBoxLayout(rules_box)
        rl.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(_wrapping_label(_("Enter or double-click opens the selected rule.")), 1)
        row.addWidget(self.edit_rule_button)
        rl.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.programme_box)
        layout.addWidget(rules_box, 1)
        self._connect_signals()
        self.reload()

    def _programme_box(self) -> QGroupBox:
        box = QGroupBox(_("Funding programme"))
        self.programme_choice = QComboBox()
        self.programme_choice.setAccessibleName(_("Funding programme"))
        self.programme_choice.hide()  # only when the vault holds more than one
        self.p_name = _wrapping_label("–")
        self.p_authority = _wrapping_label("–")
        self.p_period = _wrapping_label("–")
        self.p_share = _wrapping_label("–")
        self.p_age = _wrapping_label("–")
        self.p_primary = _wrapping_label("–")
        self.p_secondary = _wrapping_label("–")
        self.p_source = _wrapping_label("–")
        self.p_stand = _wrapping_label("–")
        for field in (self.p_name, self.p_authority, self.p_share, self.p_primary, self.p_secondary, self.p_source):
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QFormLayout()
        left.addRow(_("Name"), self.p_name)
        left.addRow(_("Funding authority"), self.p_authority)
        left.addRow(_("Funding period"), self.p_period)
        left.addRow(_("Post share"), self.p_share)
        left.addRow(_("Source"), self.p_source)
        right = QFormLayout()
        right.addRow(_("Age band"), self.p_age)
        right.addRow(_("Target group (primary)"), self.p_primary)
        right.addRow(_("Target group (secondary)"), self.p_secondary)
        right.addRow(_("Last checked"), self.p_stand)
        self.edit_programme_button = QPushButton(_("Change age band and target group …"))
        self.edit_programme_button.setEnabled(False)
        grid = QGridLayout(box)
        grid.addWidget(self.programme_choice, 0, 0, 1, 2)
        grid.addLayout(left, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_programme_button)
        grid.addLayout(buttons, 2, 0, 1, 2)
        return box

    def _connect_signals(self) -> None:
        self.table.edit_requested.connect(self.edit_rule)
        self.edit_rule_button.clicked.connect(lambda: self.edit_rule(self.table.currentIndex().row()))
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.edit_programme_button.clicked.connect(self.edit_programme)
        self.programme_choice.currentIndexChanged.connect(self._show_programme)

    # -- loading

    def reload(self) -> None:
        """Load the rules and programmes again (in the background)."""
        from gk_desktop.services import rules

        vault = self._vault
        if vault is None:
            return
        generation = self._generation
        Op(self, lambda _ctx: rules.list_rules(vault)) \
            .on_success(lambda result: self._show(result, generation)).run()

    def set_vault(self, vault: Any) -> None:
        """Use another (unlocked) vault handle and load from it."""
        self._vault = vault
        self.reload()

    def _show(self, result: tuple[list[Any], list[Any]], generation: int) -> None:
        if generation != self._generation:
            return  # cleared meanwhile
        rule_views, programmes = result
        current_key = self._current_rule_key()
        self.model.set_rows(rule_views)
        if current_key is not None and self.model.row_of(current_key) >= 0:
            self.table.selectRow(self.model.row_of(current_key))
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._fit_rows.start()
        shown = self._programmes[self.programme_choice.currentIndex()].key \
            if self._programmes and self.programme_choice.currentIndex() >= 0 else None
        self._programmes = list(programmes)
        self.programme_choice.blockSignals(True)
        self.programme_choice.clear()
        for p in self._programmes:
            self.programme_choice.addItem(p.name, p.key)
        keys = [p.key for p in self._programmes]
        self.programme_choice.setCurrentIndex(keys.index(shown) if shown in keys else 0)
        self.programme_choice.blockSignals(False)
        self.programme_choice.setVisible(len(self._programmes) > 1)
        self._show_programme()
        self.loaded = True

    def _current_rule_key(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rule_at(index.row()).key if index.isValid() else None

    def current_programme(self) -> Any:
        i = self.programme_choice.currentIndex()
        return self._programmes[i] if 0 <= i < len(self._programmes) else None

    def _show_programme(self) -> None:
        p = self.current_programme()
        if p is None:
            for field in self._programme_labels():
                field.setText("–")
        else:
            self.p_name.setText(p.name)
            self.p_authority.setText(p.funding_authority or "–")
            self.p_period.setText(_("{start} to {end}").format(start=date_text(p.period_from),
                                                               end=date_text(p.period_until))
                                  if p.period_from or p.period_until else "–")
            self.p_share.setText(p.post_share_note or "–")
            self.p_age.setText(age_band_text(p.age_min, p.age_max))
            self.p_primary.setText(statuses_text(p.primary_statuses))
            self.p_secondary.setText(statuses_text(p.secondary_statuses))
            self.p_source.setText(keep_section_together(p.source) if p.source else "–")
            self.p_stand.setText(date_text(p.stand))
        self._update_buttons()

    def _programme_labels(self) -> tuple[QLabel, ...]:
        return (self.p_name, self.p_authority, self.p_period, self.p_share, self.p_age, self.p_primary,
                self.p_secondary, self.p_source, self.p_stand)

    def _update_buttons(self, *_args: Any) -> None:
        self.edit_rule_button.setEnabled(self._vault is not None and self.table.currentIndex().isValid())
        self.edit_programme_button.setEnabled(self._vault is not None and self.current_programme() is not None)

    def clear(self) -> None:
        """Forget everything shown and the vault handle (before locking); close an open editor."""
        self._generation += 1
        editor, self.editor = self.editor, None
        if editor is not None:
            editor.done(QDialog.DialogCode.Rejected)  # closes even while a write runs; its result is dropped
            editor.deleteLater()
        self._vault = None
        self.loaded = False
        self.model.clear()
        self._programmes = []
        self.programme_choice.clear()
        self.programme_choice.hide()
        self._show_programme()

    # -- editing

    def edit_rule(self, row: int) -> None:
        if self._vault is None or not 0 <= row < self.model.rowCount():
            return
        self._open_editor(RuleEditDialog(self._vault, self.model.rule_at(row), self))

    def edit_programme(self) -> None:
        programme = self.current_programme()
        if self._vault is None or programme is None:
            return
        self._open_editor(ProgrammeEditDialog(self._vault, programme, self))

    def _open_editor(self, dialog: QDialog) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
        self.editor = dialog
        dialog.saved.connect(self._changed)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _code: self._editor_closed(dialog))
        dialog.open()  # window-modal, without a nested event loop

    def _editor_closed(self, dialog: QDialog) -> None:
        if self.editor is dialog:
            self.editor = None
            dialog.deleteLater()
            self.table.setFocus()

    def _changed(self, _result: Any) -> None:
        self.reload()
        self.rules_changed.emit()
