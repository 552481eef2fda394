"""Fall abschließen: the attainment of every open goal, the closure reason, the destination, the
evaluation, and the retention date that follows from them (DOMAIN.md §2 Abschluss).

The dialog only collects; :func:`gk_desktop.services.cycle.close_case` checks and writes (the
planning tab runs it in the background and, on a refusal, opens the dialog again with the same
values and the service's reason). "Fall abschließen" stays disabled until the reason, the
destination, the evaluation and the status of every open goal are given; a line below says what
is still missing.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.domain.clock import today
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.widgets import format_date

CLOSURE_REASON = {
    "ZIEL_ERREICHT": N_("goals reached"),
    "UEBERGANG_REGELSYSTEM": N_("handed over to the regular services"),
    "WEITERLEITUNG": N_("referred elsewhere"),
    "ALTERSGRENZE": N_("age limit reached"),
    "KONTAKTABBRUCH": N_("contact broken off"),
    "WUNSCH_KLIENT": N_("at the client's request"),
    "EINWILLIGUNG_WIDERRUFEN": N_("consent revoked"),
    "UMZUG": N_("moved away"),
    "AUSREISE_FREIWILLIG": N_("left the country voluntarily"),
    "ABSCHIEBUNG": N_("deported"),
    "PROGRAMMENDE": N_("end of the programme"),
    "SONSTIGES": N_("other reason"),
}
DESTINATION = {
    "SCHULE": N_("school"),
    "AUSBILDUNG_BETRIEBLICH": N_("in-company training"),
    "AUSBILDUNG_SCHULISCH": N_("school-based training"),
    "HELFERAUSBILDUNG": N_("helper training"),
    "EINSTIEGSQUALIFIZIERUNG": N_("introductory training (EQ)"),
    "STUDIUM": N_("university studies"),
    "SV_BESCHAEFTIGUNG": N_("employment subject to social insurance"),
    "GERINGFUEGIG": N_("marginal employment"),
    "SPRACHKURS": N_("language course"),
    "MASSNAHME_BAUSTEIN": N_("measure in a GK module"),
    "SONSTIGE_MASSNAHME": N_("other measure"),
    "OHNE_ANSCHLUSS": N_("no follow-up"),
    "UNBEKANNT": N_("unknown"),
}
# The final statuses a goal takes on closing (cycle.FINAL_GOAL_STATUSES), in the order offered.
FINAL_GOAL_STATUS = {
    "ERREICHT": N_("achieved"),
    "TEILWEISE_ERREICHT": N_("partly achieved"),
    "NICHT_ERREICHT": N_("not achieved"),
    "VERWORFEN": N_("dropped"),
}
FIELD_LABELS = {
    "closed_on": N_("Closed on"), "closure_reason": N_("Closure reason"), "destination": N_("Destination"),
    "evaluation": N_("Evaluation"), "goals": N_("Goals"), "status": N_("Status"),
    "achievement": N_("Goal attainment"), "achievement_note": N_("Note"),
}
NOT_GIVEN = -1  # the spin box's "–": no attainment in per cent given


def retention_text(closed_on: dt.date | None, years: int) -> str:
    """"Löschfrist: 25.11.2029 (3 Jahre nach dem Abschluss)"."""
    from gk_desktop.services.cycle import add_years

    if closed_on is None:
        return ngettext("Retention date: – ({n} year after closing; check the closing date)",
                        "Retention date: – ({n} years after closing; check the closing date)", years).format(n=years)
    return ngettext("Retention date: {date} ({n} year after closing)",
                    "Retention date: {date} ({n} years after closing)", years).format(
        date=format_date(add_years(closed_on, years)), n=years)


class CloseCaseDialog(QDialog):
    """Attributes for tests and the planning tab: ``goal_rows`` (goal id → (status combo, spin box,
    note)), ``closed_on``, ``reason``, ``destination``, ``evaluation``, ``retention_label``,
    ``save_button``, ``missing_label``, ``message``."""

    def __init__(self, shown: dict[str, Any], retention_years: int, parent: QWidget | None = None, *,
                 values: dict[str, Any] | None = None, message: str = "") -> None:
        from gk_desktop.services.cycle import FINAL_GOAL_STATUSES

        super().__init__(parent)
        self.setWindowTitle(_("Close case"))
        self.retention_years = int(retention_years)
        self._goals = [g for g in shown.get("goals", []) if g.get("status") not in FINAL_GOAL_STATUSES]
        self.goal_rows: dict[str, tuple[QComboBox, QSpinBox, QLineEdit]] = {}

        intro = QLabel(_("Record how far each open goal was reached, why the case ends and where the client "
                         "goes next. A closed case can no longer be changed; its data are deleted when the "
                         "retention period ends."))
        intro.setWordWrap(True)

        # Goals still open
        goals_box = QGroupBox(_("Goal attainment"))
        goals_layout = QVBoxLayout(goals_box)
        if self._goals:
            grid = QGridLayout()
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(6)
            for col, text in enumerate((_("Goal"), _("Status") + " *", _("Attained"), _("Note"))):
                head = QLabel(f"<b>{html.escape(text)}</b>")
                grid.addWidget(head, 0, col)
            for row, goal in enumerate(self._goals, start=1):
                statement = QLabel(goal.get("statement") or "–")
                statement.setWordWrap(True)
                statement.setMinimumWidth(260)
                status = QComboBox()
                status.addItem(_("– please choose –"), None)
                for key in FINAL_GOAL_STATUS:
                    status.addItem(labels.label(FINAL_GOAL_STATUS, key), key)
                status.setAccessibleName(_("Status of the goal: {goal}").format(goal=goal.get("statement") or ""))
                spin = QSpinBox()
                spin.setRange(NOT_GIVEN, 100)
                spin.setSpecialValueText("–")
                spin.setSuffix(" %")
                spin.setValue(goal["achievement"] if isinstance(goal.get("achievement"), int) else NOT_GIVEN)
                spin.setAccessibleName(_("Goal attainment in per cent"))
                note = QLineEdit(goal.get("achievement_note") or "")
                note.setPlaceholderText(_("what was reached, what not"))
                note.setAccessibleName(_("Note on the goal attainment"))
                grid.addWidget(statement, row, 0)
                grid.addWidget(status, row, 1)
                grid.addWidget(spin, row, 2)
                grid.addWidget(note, row, 3)
                status.currentIndexChanged.connect(lambda _i, c=status, s=spin: self._status_changed(c, s))
                self.goal_rows[goal["id"]] = (status, spin, note)
            grid.setRowStretch(len(self._goals) + 1, 1)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(3, 2)
            inner = QWidget()
            inner.setLayout(grid)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(inner)
            scroll.setMinimumHeight(min(inner.sizeHint().height() + 6, 280))
            goals_layout.addWidget(scroll)
        else:
            goals_layout.addWidget(QLabel(_("Every goal has a final status already.")))

        # Closing
        self.closed_on = QLineEdit(format_date(today()))
        self.closed_on.setPlaceholderText(_("DD.MM.YYYY"))
        self.reason = QComboBox()
        self.reason.addItem(_("– please choose –"), None)
        for key in CLOSURE_REASON:
            self.reason.addItem(labels.label(CLOSURE_REASON, key), key)
        self.destination = QComboBox()
        self.destination.addItem(_("– please choose –"), None)
        for key in DESTINATION:
            self.destination.addItem(labels.label(DESTINATION, key), key)
        self.evaluation = QPlainTextEdit()
        self.evaluation.setPlaceholderText(_("How did the counselling go, what was reached, what remains open?"))
        self.evaluation.setTabChangesFocus(True)
        self.evaluation.setMinimumHeight(90)
        self.retention_label = QLabel()
        self.retention_label.setAccessibleName(_("Retention date"))
        form = QFormLayout()
        for text, widget in ((_("Closed &on *"), self.closed_on), (_("Closure &reason *"), self.reason),
                             (_("&Destination *"), self.destination), (_("&Evaluation *"), self.evaluation)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.retention_label)

        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("QLabel { color: #5f6368; }")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Close case"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(goals_box, 1 if self._goals else 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.missing_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(760)

        for signal in (self.closed_on.textChanged, self.reason.currentIndexChanged,
                       self.destination.currentIndexChanged, self.evaluation.textChanged):
            signal.connect(self._update)
        for status, _spin, _note in self.goal_rows.values():
            status.currentIndexChanged.connect(self._update)
        if values:
            self.set_values(values)
        if message:
            self.show_problem(message)
        self._update()

    # -- values

    def _closed_on(self) -> tuple[dt.date | None, str | None]:
        from gk_desktop.ui.record_editor import parse_date

        day, problem = parse_date(self.closed_on.text())
        if day is None and problem is None:
            return None, _("required")
        return day, problem

    def missing(self) -> list[str]:
        """What is still to be given before the case can be closed."""
        out: list[str] = []
        open_goals = sum(1 for status, _s, _n in self.goal_rows.values() if status.currentData() is None)
        if open_goals:
            out.append(ngettext("the status of {n} goal", "the status of {n} goals", open_goals).format(n=open_goals))
        day, problem = self._closed_on()
        if day is None:
            out.append(f"{_('Closed on')} ({problem})")
        if self.reason.currentData() is None:
            out.append(_("Closure reason"))
        if self.destination.currentData() is None:
            out.append(_("Destination"))
        if not self.evaluation.toPlainText().strip():
            out.append(_("Evaluation"))
        return out

    def values(self) -> dict[str, Any]:
        """The input of :func:`gk_desktop.services.cycle.close_case`."""
        day, _problem = self._closed_on()
        goals = []
        for goal_id, (status, spin, note) in self.goal_rows.items():
            goals.append({"id": goal_id, "status": status.currentData(),
                          "achievement": None if spin.value() == NOT_GIVEN else spin.value(),
                          "achievement_note": note.text().strip()})
        return {"closed_on": day.isoformat() if day else None, "closure_reason": self.reason.currentData(),
                "destination": self.destination.currentData(), "evaluation": self.evaluation.toPlainText().strip(),
                "goals": goals}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the dialog again (after a refusal): nothing typed is lost."""
        if values.get("closed_on"):
            try:
                self.closed_on.setText(format_date(dt.date.fromisoformat(values["closed_on"])))
            except ValueError:
                pass
        for combo, key in ((self.reason, "closure_reason"), (self.destination, "destination")):
            index = combo.findData(values.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        if "evaluation" in values:
            self.evaluation.setPlainText(values.get("evaluation") or "")
        for goal in values.get("goals") or []:
            row = self.goal_rows.get(goal.get("id"))
            if row is None:
                continue
            status, spin, note = row
            index = status.findData(goal.get("status"))
            if index >= 0:
                status.setCurrentIndex(index)
            spin.setValue(goal["achievement"] if isinstance(goal.get("achievement"), int) else NOT_GIVEN)
            note.setText(goal.get("achievement_note") or "")

    def show_problem(self, text: str) -> None:
        """The service's reason, with field names and goal ids in words."""
        names = {g["id"]: g.get("statement") or "" for g in self._goals}

        def goal_name(m: re.Match[str]) -> str:
            statement = names.get(m.group(1), "")
            if not statement:
                return m.group(0)
            short = statement if len(statement) <= 50 else statement[:49] + "…"
            name = _("Goal “{goal}”").format(goal=short)
            field = m.group(2)
            return f"{name}, {_(FIELD_LABELS[field])}" if field in FIELD_LABELS else name

        text = re.sub(r"goals\.([0-9a-f-]{8,})(?:\.([a-z_]+))?", goal_name, text)
        text = re.sub(r"\b([a-z]+(?:_[a-z]+)+|status|achievement|evaluation|destination|goals)\b(?=:)",
                      lambda m: _(FIELD_LABELS[m.group(1)]) if m.group(1) in FIELD_LABELS else m.group(0), text)
        self.message.setText(text)
        self.message.show()

    # -- live state

    def _status_changed(self, combo: QComboBox, spin: QSpinBox) -> None:
        # A first guess the worker can change: reached is 100 %, not reached 0 %.
        if spin.value() == NOT_GIVEN:
            guess = {"ERREICHT": 100, "NICHT_ERREICHT": 0}.get(combo.currentData())
            if guess is not None:
                spin.setValue(guess)

    def _update(self, *_args: Any) -> None:
        day, _problem = self._closed_on()
        self.retention_label.setText(retention_text(day, self.retention_years))
        missing = self.missing()
        self.save_button.setEnabled(not missing)
        self.save_button.setDefault(not missing)
        self.missing_label.setText(_("Still missing: {items}").format(items=", ".join(missing)) if missing else "")
        self.missing_label.setVisible(bool(missing))

    def _accept(self) -> None:
        if self.missing():
            return
        self.accept()


__all__ = ["CLOSURE_REASON", "DESTINATION", "CloseCaseDialog", "retention_text"]
