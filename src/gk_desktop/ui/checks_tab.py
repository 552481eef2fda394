"""The "Prüfungen" tab of the case view: the residence-law checks of a client's file.

A calm banner says what this is (preparation for the conversation with the Ausländerbehörde, no
legal decision) and the "Stand" of the rules. On the left the seven pathways with a traffic light
(colour *and* word), on the right the criteria of the chosen pathway: what the file shows, what is
expected and when, and — in a group of their own — the questions the file cannot answer ("zu
klären"). The checks run in the background (:func:`gk_desktop.services.residence.check_client`);
the GUI thread only sees the plain dicts of ``residence.result_json``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _
from gk_desktop.ui.consents_tab import SavingDialog, _alive, field_problems
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.record_editor import FieldSpec, parse_date
from gk_desktop.ui.tables import Col, RowsModel, current_row, heading, table_view
from gk_desktop.ui.widgets import format_date

BANNER = N_("Preparation for the conversation with the immigration office – not a legal decision.")
STAND = N_("Legal basis as of: {date}")

# The order in which the pathways are listed (the service returns them in this order, too).
PATHWAYS: dict[str, str] = {
    "P60C": N_("§ 60c Training Duldung"),
    "P16G": N_("§ 16g Residence permit for vocational training"),
    "P19D_1A": N_("§ 19d (1a) after a Training Duldung"),
    "P60D": N_("§ 60d Employment Duldung"),
    "P25A": N_("§ 25a Well-integrated young people"),
    "P25B": N_("§ 25b Sustainable integration"),
    "P104C": N_("§ 104c Opportunity residence right"),
}

LIGHTS: dict[str, tuple[str, str]] = {  # light → (colour, word)
    "GRUEN": ("#2e7d32", N_("green")),
    "GELB": ("#f9a825", N_("yellow")),
    "ROT": ("#c62828", N_("red")),
    "GRAU": ("#9e9e9e", N_("grey")),
}
LIGHT_TIPS: dict[str, str] = {
    "GRUEN": N_("As far as the file shows, every criterion that can be read from it is met."),
    "GELB": N_("Criteria are expected to be met later, or some points are still unclear."),
    "ROT": N_("At least one criterion is not met according to the file."),
    "GRAU": N_("Not enough information in the file to say more."),
}

STATUS_COLORS: dict[str, str] = {
    "ERFUELLT": "#2e7d32", "ABSEHBAR": "#f9a825", "NICHT_ERFUELLT": "#c62828", "UNKLAR": "#9e9e9e",
}
STATUS_WORDS: dict[str, str] = {
    "ERFUELLT": N_("fulfilled"),
    "ABSEHBAR": N_("expected"),
    "NICHT_ERFUELLT": N_("not fulfilled"),
    "UNKLAR": N_("unclear"),
}
EXPECTED_ON = N_("expected from {date}")
OVERRIDDEN = N_("(set by hand)")


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else ""


def pathway_name(key: str) -> str:
    return _(PATHWAYS[key]) if key in PATHWAYS else key


def light_word(light: str) -> str:
    return _(LIGHTS[light][1]) if light in LIGHTS else light


def status_text(criterion: dict[str, Any]) -> str:
    """erfüllt / absehbar ab dd.MM.yyyy / nicht erfüllt / unklar (plus "von Hand gesetzt")."""
    status = criterion.get("status") or ""
    if status == "ABSEHBAR" and criterion.get("expected_date"):
        text = _(EXPECTED_ON).format(date=_date(criterion["expected_date"]))
    else:
        text = _(STATUS_WORDS[status]) if status in STATUS_WORDS else status
    if criterion.get("overridden"):
        text = f"{text} {_(OVERRIDDEN)}"
    return text


_icons: dict[str, QIcon] = {}


def dot_icon(color: str) -> QIcon:
    """A small filled circle in ``color`` (cached; needs a QGuiApplication)."""
    icon = _icons.get(color)
    if icon is None:
        pixmap = QPixmap(28, 28)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(color).darker(130))
        painter.setBrush(QBrush(QColor(color)))
        painter.drawEllipse(3, 3, 22, 22)
        painter.end()
        icon = _icons[color] = QIcon(pixmap)
    return icon


class DotModel(RowsModel):
    """A :class:`RowsModel` whose first column carries a coloured dot (``color_of(row)``)."""

    def __init__(self, columns: list[Col], color_of: Any, parent: Any = None, **kw: Any) -> None:
        super().__init__(columns, parent, **kw)
        self._color_of = color_of

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == 0 \
                and 0 <= index.row() < len(self._rows):
            try:
                color = self._color_of(self._rows[index.row()])
                return dot_icon(color) if color else None
            except Exception:  # noqa: BLE001 - painting must never fail
                return None
        return super().data(index, role)


def _table(model: RowsModel, name: str, *, wrap: bool = False) -> QTableView:
    return table_view(model, name, wrap=wrap, single=True)


_heading = heading


def _criteria_columns() -> list[Col]:
    return [
        Col(N_("Status"), status_text),
        Col(N_("Criterion"), lambda c: c.get("label") or "", tip=lambda c: c.get("label") or ""),
        Col(N_("What the file shows"), lambda c: c.get("value") or "", tip=lambda c: c.get("value") or ""),
        Col(N_("To clarify"), lambda c: c.get("to_clarify") or "", tip=lambda c: c.get("to_clarify") or ""),
    ]


# --------------------------------------------------------------------------- saving a check

ABH_FIELDS: dict[str, str] = {
    "abh_consulted_on": N_("ABH consulted on"),
    "abh_result": N_("Result of the consultation"),
    "applied_on": N_("Application submitted on"),
    "decided_on": N_("Decided on"),
    "decision": N_("Decision"),
    "note": N_("Note"),
}
OUTCOME_CHOICES: dict[str, str] = {"": N_("not recorded"), "JA": N_("yes"), "NEIN": N_("no")}
IDENTITY_STEPS = N_("All reasonable steps to clarify the identity were taken in time")
OVERRIDE_CHOICES: dict[str, str] = {
    "": N_("as read from the file"),
    "ERFUELLT": N_("fulfilled"),
    "ABSEHBAR": N_("expected"),
    "NICHT_ERFUELLT": N_("not fulfilled"),
    "UNKLAR": N_("unclear"),
}
SAVE_INTRO = N_("The check is saved with today's result and the legal basis it used. Preparation for the "
                "conversation with the immigration office – not a legal decision.")


def abh_fields() -> list[FieldSpec]:
    kinds = {"abh_consulted_on": "date", "applied_on": "date", "decided_on": "date"}
    return [FieldSpec(key, label, kinds.get(key, "text")) for key, label in ABH_FIELDS.items()]


def _combo(choices: dict[str, str], value: str | None, name: str) -> QComboBox:
    combo = QComboBox()
    for key, text in choices.items():
        combo.addItem(_(text), key)
    combo.setCurrentIndex(max(combo.findData(value or ""), 0))
    combo.setAccessibleName(name)
    return combo


class SaveCheckDialog(SavingDialog):
    """Save the check of one pathway: the worker's outcomes for what the file cannot answer (in
    force for every pathway until changed), hand overrides with their reasons, and the
    coordination with the ABH. ``save(data)`` receives the JSON of ``residence.save_check``."""

    def __init__(self, result: dict[str, Any], outcomes: dict[str, str], parent: QWidget | None, *,
                 save: Any) -> None:
        self._save_data = save
        super().__init__(_("Save check: {pathway}").format(pathway=pathway_name(result["pathway"])), abh_fields(), {},
                         parent, save=self._collect, intro=_(SAVE_INTRO))
        self.pathway = result["pathway"]
        criteria = result.get("criteria") or []
        keys = {c["key"] for c in criteria}

        # -- outcomes: the questions the file cannot answer
        self.outcome_combos: dict[str, QComboBox] = {}
        self._outcomes_in_force = dict(outcomes)
        outcome_box = QGroupBox(_("Outcomes the file cannot show (they apply to every pathway until changed)"))
        og = QGridLayout(outcome_box)
        questions = [(c["key"], c["label"]) for c in criteria if not c.get("answerable", True)]
        if "identity_in_time" in keys:
            questions.append(("identity_steps_in_time", _(IDENTITY_STEPS)))
        for row, (key, label) in enumerate(questions):
            combo = _combo(OUTCOME_CHOICES, outcomes.get(key), label)
            text = QLabel(label)
            text.setWordWrap(True)
            text.setBuddy(combo)
            og.addWidget(text, row, 0)
            og.addWidget(combo, row, 1)
            self.outcome_combos[key] = combo
        og.setColumnStretch(0, 1)
        outcome_box.setVisible(bool(questions))

        # -- overrides: a criterion set by hand, with its reason
        self.override_rows: dict[str, tuple[QComboBox, QLineEdit, QLineEdit]] = {}
        override_box = QGroupBox(_("Set a criterion by hand (with the reason)"))
        grid = QGridLayout(override_box)
        for col, head in enumerate((_("Criterion"), _("From the file"), _("Set to"), _("expected from"), _("Reason"))):
            grid.addWidget(_heading(head), 0, col)
        for row, c in enumerate(criteria, 1):
            name = QLabel(c["label"])
            name.setWordWrap(True)
            combo = _combo(OVERRIDE_CHOICES, None, _("Set “{criterion}” to").format(criterion=c["label"]))
            name.setBuddy(combo)
            day = QLineEdit()
            day.setPlaceholderText(_("DD.MM.YYYY"))
            day.setMaximumWidth(day.fontMetrics().horizontalAdvance("00.00.00000") + 24)
            day.setAccessibleName(_("Expected from"))
            reason = QLineEdit()
            reason.setAccessibleName(_("Reason for “{criterion}”").format(criterion=c["label"]))
            reason.setPlaceholderText(_("Why – e.g. a document not yet in the file"))
            grid.addWidget(name, row, 0)
            grid.addWidget(QLabel(status_text(c)), row, 1)
            grid.addWidget(combo, row, 2)
            grid.addWidget(day, row, 3)
            grid.addWidget(reason, row, 4)
            self.override_rows[c["key"]] = (combo, day, reason)
            combo.currentIndexChanged.connect(lambda _i, k=c["key"]: self._override_changed(k))
            self._override_changed(c["key"])
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(4, 3)

        inner = QWidget()
        il = QVBoxLayout(inner)
        il.setContentsMargins(0, 0, 0, 0)
        il.addWidget(outcome_box)
        il.addWidget(override_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = self.layout()
        layout.insertWidget(1, scroll, 1)  # after the intro, before the ABH form
        layout.insertWidget(2, _heading(_("Coordination with the immigration office")))
        self.resize(1000, 760)
        first = next(iter(self.outcome_combos.values()), None) or next(iter(self.override_rows.values()))[0]
        first.setFocus()

    def _override_changed(self, key: str) -> None:
        combo, day, reason = self.override_rows[key]
        chosen = combo.currentData() or ""
        day.setEnabled(chosen == "ABSEHBAR")
        reason.setEnabled(bool(chosen))

    def outcomes(self) -> dict[str, str | None]:
        """Changed outcomes only (None takes one back)."""
        out: dict[str, str | None] = {}
        for key, combo in self.outcome_combos.items():
            value = combo.currentData() or None
            if value != self._outcomes_in_force.get(key):
                out[key] = value
        return out

    def overrides(self) -> tuple[dict[str, Any], list[str]]:
        out: dict[str, Any] = {}
        problems: list[str] = []
        labels = {c: self.override_rows[c][0].accessibleName() for c in self.override_rows}
        for key, (combo, day, reason) in self.override_rows.items():
            status = combo.currentData() or ""
            if not status:
                continue
            name = labels[key]
            item: dict[str, Any] = {"status": status, "reason": " ".join(reason.text().split())}
            if not item["reason"]:
                problems.append(_("{field}: a criterion set by hand needs its reason").format(field=name))
            if status == "ABSEHBAR":
                parsed, problem = parse_date(day.text().strip()) if day.text().strip() else (None, _("required"))
                if problem or parsed is None:
                    problems.append(_("{field}: expected from: {problem}").format(field=name, problem=problem))
                else:
                    item["expected_date"] = parsed.isoformat()
            out[key] = item
        return out, problems

    def _collect(self, values: dict[str, Any]) -> None:
        overrides, problems = self.overrides()
        if problems:
            self.refuse("\n".join(problems))
            return
        data = {k: v for k, v in values.items() if v not in (None, "")}
        outcomes = self.outcomes()
        if outcomes:
            data["outcomes"] = outcomes
        if overrides:
            data["overrides"] = overrides
        self._save_data(data)


def refusal_text(exc: BaseException) -> str:
    """A service's refusal with the dialog's field labels instead of the keys ("decided_on: …")."""
    lines = error_text(exc).splitlines()
    items = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    if not items:
        return "\n".join(lines)
    return "\n".join(field_problems(items, ABH_FIELDS))


def saved_tip(row: dict[str, Any]) -> str:
    """What the saved check holds besides its light: overrides with reasons, outcomes, the note."""
    lines = []
    for key, value in (row.get("overrides") or {}).items():
        label = next((c.get("label") for c in (row.get("result") or {}).get("criteria", []) if c.get("key") == key), key)
        lines.append(_("Set by hand: {criterion} – {reason}").format(criterion=label, reason=value[1] if len(value) > 1 else ""))
    if row.get("abh_result"):
        lines.append(_("Result of the consultation: {text}").format(text=row["abh_result"]))
    if row.get("note"):
        lines.append(_("Note: {text}").format(text=row["note"]))
    return "\n".join(lines)


class ChecksTab(QWidget):
    """Signals:
        loaded(): the checks of the file were (re)computed and are shown.
    """

    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.case_code: str | None = None
        self._results: list[dict[str, Any]] = []
        self._saved: list[dict[str, Any]] = []
        self._outcomes: dict[str, str] = {}
        self._showing_saved = False
        self._token = 0  # the newest load; older answers are dropped
        self._busy = False

        # -- banner
        self.banner = QFrame()
        self.banner.setObjectName("checksBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet("QFrame#checksBanner { background: #e8f0fe; border: 1px solid #aecbfa;"
                                  " border-radius: 3px; } QFrame#checksBanner QLabel { color: #1f3a5f; }")
        self.banner_text = QLabel(_(BANNER))
        self.banner_text.setWordWrap(True)
        self.stand_label = QLabel()
        self.check_button = QPushButton(_("Check a&gain"))
        self.check_button.setToolTip(_("Run the checks again with the current file"))
        self.check_button.clicked.connect(self.reload)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.banner_text)
        texts.addWidget(self.stand_label)
        banner_layout.addLayout(texts, 1)
        banner_layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # -- left: the pathways
        self.model = DotModel([
            Col(N_("Traffic light"), lambda r: light_word(r["result"]),
                tip=lambda r: _(LIGHT_TIPS.get(r["result"], ""))),
            Col(N_("Pathway"), lambda r: pathway_name(r["pathway"]), tip=lambda r: pathway_name(r["pathway"])),
            Col(N_("Possible from"), lambda r: _date(r.get("expected_eligible_on"))
                or (_("now (file)") if r["result"] == "GRUEN" else "")),
        ], lambda r: LIGHTS.get(r["result"], ("", ""))[0], self)
        self.table = _table(self.model, _("Residence pathways"))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        # -- right: the chosen pathway
        self.title = _heading()
        self.title.setWordWrap(True)
        self.criteria_model = DotModel(_criteria_columns(), lambda c: STATUS_COLORS.get(c.get("status"), ""), self)
        self.criteria_table = _table(self.criteria_model, _("Criteria from the file"), wrap=True)
        self.open_model = DotModel(_criteria_columns(), lambda c: STATUS_COLORS.get(c.get("status"), ""), self)
        self.open_table = _table(self.open_model, _("Questions the file cannot answer"), wrap=True)
        for table in (self.criteria_table, self.open_table):
            table.horizontalHeader().sectionResized.connect(lambda *_a, t=table: t.resizeRowsToContents())
        self.open_group = QGroupBox(_("To clarify – the file cannot answer these; they do not change the colour"))
        og = QVBoxLayout(self.open_group)
        og.setContentsMargins(6, 6, 6, 6)
        og.addWidget(self.open_table)
        self.missing_label = QLabel()
        self.possible_label = QLabel()
        self.deadline_label = QLabel()
        for label in (self.missing_label, self.possible_label, self.deadline_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the checks"))
        self.save_button = QPushButton(_("Sa&ve check …"))
        self.save_button.setToolTip(_("Save the check of the chosen pathway with your outcomes, criteria set by hand "
                                      "and the coordination with the immigration office"))
        self.save_button.clicked.connect(self.save_check)

        # -- the saved checks
        self.saved_model = DotModel([
            Col(N_("Saved on"), lambda r: _date(r["on"]), tip=saved_tip),
            Col(N_("Pathway"), lambda r: pathway_name(r["pathway"]), tip=lambda r: pathway_name(r["pathway"])),
            Col(N_("Traffic light"), lambda r: light_word(r["light"])),
            Col(N_("Legal basis as of"), lambda r: _date(r.get("stand"))),
            Col(N_("ABH consulted"), lambda r: _date(r.get("abh_consulted_on"))),
            Col(N_("Applied"), lambda r: _date(r.get("applied_on"))),
            Col(N_("Decision"), lambda r: " ".join(p for p in (_date(r.get("decided_on")), r.get("decision") or "") if p),
                tip=lambda r: r.get("decision") or ""),
        ], lambda r: LIGHTS.get(r["light"], ("", ""))[0], self)
        self.saved_table = _table(self.saved_model, _("Saved checks"))
        self.saved_table.selectionModel().currentRowChanged.connect(self._saved_changed)
        self.abh_button = QPushButton(_("ABH s&teps …"))
        self.abh_button.setToolTip(_("Record later steps of the coordination with the immigration office on the "
                                     "selected saved check: consultation, application, decision"))
        self.abh_button.clicked.connect(self.record_abh_steps)
        self.saved_group = QGroupBox(_("Saved checks"))
        sg = QVBoxLayout(self.saved_group)
        sg.setContentsMargins(6, 6, 6, 6)
        sg.addWidget(self.saved_table, 1)
        sb = QHBoxLayout()
        sb.addWidget(self.abh_button)
        sb.addStretch(1)
        sg.addLayout(sb)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addWidget(self.criteria_table, 3)
        rl.addWidget(self.open_group, 2)
        rl.addWidget(self.missing_label)
        rl.addWidget(self.possible_label)
        rl.addWidget(self.deadline_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        rl.addLayout(buttons)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 3)
        ll.addWidget(self.status)
        ll.addWidget(self.saved_group, 2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([500, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self._show_stand(None)
        self._show_pathway(None)
        self._update_buttons()

    # -- content

    def set_client(self, case_code: str) -> None:
        """Check the file of ``case_code`` in the background (keeps the chosen pathway)."""
        if case_code != self.case_code:
            self.case_code = case_code
            self._results = []
            self._saved = []
            self._outcomes = {}
            self.model.set_rows([])
            self.saved_model.set_rows([])
            self._show_pathway(None)
        self.reload()

    def reload(self) -> None:
        from gk_desktop.services import residence

        vault, code = self._vault, self.case_code
        if vault is None or code is None:
            return
        self._token += 1
        token = self._token
        self._busy = True
        self.status.setText(_("Checking the file …"))
        self._update_buttons()

        def run(_ctx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            checks = [residence.result_json(r) for r in residence.check_client(vault, code, source="gui")]
            return checks, residence.list_checks(vault, code)

        def done(answer: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
            if token != self._token or self._vault is None:
                return  # locked, another client or a newer check meanwhile
            self._busy = False
            rows, saved = answer
            was_saved = self._current_saved() if self._showing_saved else None
            self._show_saved(saved)
            self._show_results(rows)
            row = self.saved_model.find(was_saved) if was_saved else None
            if row is not None:
                self.saved_table.selectRow(row)  # the saved check stays in view
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if token != self._token:
                return
            self._busy = False
            self.status.clear()
            self._update_buttons()
            show_error(self, exc)

        Op(self, run).on_success(done).on_failure(failed).run()

    def clear(self) -> None:
        """Drop every result (the app locks)."""
        self._vault = None
        self.case_code = None
        self._token += 1
        self._busy = False
        self._results = []
        self._saved = []
        self._outcomes = {}
        self.model.set_rows([])
        self.saved_model.set_rows([])
        self._show_pathway(None)
        self._show_stand(None)
        self.status.clear()
        self._update_buttons()

    def results(self) -> list[dict[str, Any]]:
        return list(self._results)

    def saved(self) -> list[dict[str, Any]]:
        return list(self._saved)

    def select_pathway(self, pathway: str) -> None:
        row = self.model.find(pathway)
        if row is not None:
            self.table.selectRow(row)

    # -- display

    def _show_results(self, rows: list[dict[str, Any]]) -> None:
        keep = self._current_pathway()
        order = list(PATHWAYS)
        rows = sorted(rows, key=lambda r: order.index(r["pathway"]) if r["pathway"] in order else len(order))
        self._results = [dict(r, id=r["pathway"]) for r in rows]
        self.model.set_rows(self._results)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1) + 8, 340))
        stands = [r["rule_stand"] for r in rows if r.get("rule_stand")]
        self._show_stand(max(stands) if stands else None)
        self.status.setText(_("Checked on {date}.").format(date=_date(rows[0]["on"])) if rows else "")
        row = self.model.find(keep)
        if row is None and self._results:
            row = 0
        if row is not None:
            self.table.selectRow(row)
            self._show_live(self._results[row])
        else:
            self._show_pathway(None)
        self._update_buttons()

    def _show_saved(self, saved: list[dict[str, Any]]) -> None:
        keep = self._current_saved()
        self._saved = saved
        # each saved check carries the outcomes in force; the newest one holds them
        self._outcomes = dict(saved[0].get("outcomes") or {}) if saved else {}
        self.saved_model.set_rows(saved)
        self.saved_table.resizeColumnsToContents()
        self.saved_group.setTitle(_("Saved checks ({n})").format(n=len(saved)) if saved else _("Saved checks"))
        if keep is not None and self.saved_model.find(keep) is not None:
            self.saved_table.selectionModel().blockSignals(True)
            self.saved_table.selectRow(self.saved_model.find(keep))
            self.saved_table.selectionModel().blockSignals(False)

    def _current_saved(self) -> str | None:
        row = current_row(self.saved_table, self.saved_model)
        return row["id"] if row else None

    def _saved_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not (current.isValid() and 0 <= current.row() < self.saved_model.rowCount()):
            return
        saved = self.saved_model.row_at(current.row())
        self._showing_saved = True
        selection = self.table.selectionModel()
        selection.blockSignals(True)  # a click on a pathway shows the live check again
        selection.clear()
        selection.blockSignals(False)
        self.table.viewport().update()
        self._show_pathway(saved.get("result") or None, saved_on=saved["on"])
        self._update_buttons()

    def _show_live(self, result: dict[str, Any] | None) -> None:
        self._showing_saved = False
        if self.saved_table.selectionModel().hasSelection():
            self.saved_table.selectionModel().blockSignals(True)
            self.saved_table.clearSelection()
            self.saved_table.setCurrentIndex(QModelIndex())
            self.saved_table.selectionModel().blockSignals(False)
        self._show_pathway(result)
        self._update_buttons()

    def _show_stand(self, stand: str | None) -> None:
        self.stand_label.setText(_(STAND).format(date=_date(stand) if stand else "–"))

    def _current_pathway(self) -> str | None:
        row = current_row(self.table, self.model)
        return row["pathway"] if row else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and 0 <= current.row() < self.model.rowCount():
            self._show_live(self.model.row_at(current.row()))

    def _show_pathway(self, result: dict[str, Any] | None, *, saved_on: str | None = None) -> None:
        if result is None:
            self.title.setText(_("Choose a pathway on the left.") if self._results else "")
            self.criteria_model.set_rows([])
            self.open_model.set_rows([])
            for label in (self.missing_label, self.possible_label, self.deadline_label):
                label.clear()
            return
        name = pathway_name(result["pathway"])
        title = _("{pathway} – {light}").format(pathway=name, light=light_word(result["result"]))
        if saved_on:
            title = _("{title} (saved on {date})").format(title=title, date=_date(saved_on))
        self.title.setText(title)
        self.title.setToolTip(_(LIGHT_TIPS.get(result["result"], "")))
        criteria = result.get("criteria") or []
        self.criteria_model.set_rows([c for c in criteria if c.get("answerable", True)])
        self.open_model.set_rows([c for c in criteria if not c.get("answerable", True)])
        self.open_group.setVisible(self.open_model.rowCount() > 0)
        for table in (self.criteria_table, self.open_table):
            table.resizeColumnToContents(0)
            table.setColumnWidth(0, min(table.columnWidth(0) + 8, 200))
            rest = max(table.viewport().width() - table.columnWidth(0), 450)
            table.setColumnWidth(1, rest * 3 // 10)
            table.setColumnWidth(2, rest * 4 // 10)
            table.resizeRowsToContents()

        missing = result.get("missing") or []
        self.missing_label.setText(_("Missing so far: {items}").format(items="; ".join(missing)) if missing
                                   else _("Missing so far: nothing, as far as the file shows"))
        if result.get("expected_eligible_on"):
            possible = _date(result["expected_eligible_on"])
        elif result["result"] == "GRUEN":
            possible = _("now, as far as the file shows")
        else:
            possible = "–"
        self.possible_label.setText(_("Possible from: {date}").format(date=possible))
        if result.get("deadline"):
            deadline = _date(result["deadline"])
            if result["pathway"] == "P25A":
                deadline = _("{date} (day before the 27th birthday)").format(date=deadline)
            self.deadline_label.setText(_("Deadline: {date}").format(date=deadline))
            self.deadline_label.show()
        else:
            self.deadline_label.clear()
            self.deadline_label.hide()

    def _update_buttons(self) -> None:
        ready = self._vault is not None and self.case_code is not None and not self._busy
        self.check_button.setEnabled(ready)
        self.save_button.setEnabled(ready and not self._showing_saved and self._current_pathway() is not None)
        self.abh_button.setEnabled(ready and self._current_saved() is not None)

    # -- saving

    def _current_result(self) -> dict[str, Any] | None:
        key = self._current_pathway()
        return next((r for r in self._results if r["pathway"] == key), None)

    def _store(self, dialog: Any, work: Callable[[], Any], values: dict[str, Any]) -> None:
        """Run ``work`` (a service call) in the background for ``dialog``: it closes on success and
        the checks load anew; a refusal shows in the dialog with nothing typed lost."""

        def ok(_answer: Any) -> None:
            if _alive(dialog):
                dialog.succeed(values)
            self.reload()

        def refused(exc: BaseException) -> None:
            if _alive(dialog):
                dialog.refuse(refusal_text(exc))
            else:
                show_error(self, exc)

        Op(self, lambda _ctx: work()).on_success(ok).on_failure(refused).run()

    def save_check(self) -> SaveCheckDialog | None:
        """Open the dialog that saves the chosen pathway's check (modeless in tests: returned)."""
        from gk_desktop.services import residence

        result = self._current_result()
        vault, code = self._vault, self.case_code
        if result is None or vault is None or code is None:
            return None
        pathway = result["pathway"]
        dialog = SaveCheckDialog(result, self._outcomes, self, save=lambda data: self._store(
            dialog, lambda: residence.save_check(vault, code, pathway, data, source="gui"), data))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def record_abh_steps(self) -> SavingDialog | None:
        """Record later steps of the ABH coordination on the selected saved check."""
        from gk_desktop.services import residence

        check_id = self._current_saved()
        vault, code = self._vault, self.case_code
        if check_id is None or vault is None or code is None:
            return None
        saved = next(r for r in self._saved if r["id"] == check_id)
        title = _("Coordination with the immigration office: {pathway}, saved on {date}").format(
            pathway=pathway_name(saved["pathway"]), date=_date(saved["on"]))
        dialog = SavingDialog(title, abh_fields(), {k: saved.get(k) for k in ABH_FIELDS}, self, save=lambda values: self._store(
            dialog, lambda: residence.update_check(vault, code, check_id, values, source="gui"), values),
            intro=_("The result of the check stays as saved; here you record what happened since."))
        dialog.setModal(True)
        dialog.show()
        return dialog
