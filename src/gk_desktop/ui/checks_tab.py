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
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _
from gk_desktop.ui.ops import Op, show_error
from gk_desktop.ui.tables import Col, RowsModel, table_view
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


def _heading(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _criteria_columns() -> list[Col]:
    return [
        Col(N_("Status"), status_text),
        Col(N_("Criterion"), lambda c: c.get("label") or "", tip=lambda c: c.get("label") or ""),
        Col(N_("What the file shows"), lambda c: c.get("value") or "", tip=lambda c: c.get("value") or ""),
        Col(N_("To clarify"), lambda c: c.get("to_clarify") or "", tip=lambda c: c.get("to_clarify") or ""),
    ]


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
        self.check_button = QPushButton(_("&Check again"))
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

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addWidget(self.criteria_table, 3)
        rl.addWidget(self.open_group, 2)
        rl.addWidget(self.missing_label)
        rl.addWidget(self.possible_label)
        rl.addWidget(self.deadline_label)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.status)

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
            self.model.set_rows([])
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

        def run(_ctx: Any) -> list[dict[str, Any]]:
            return [residence.result_json(r) for r in residence.check_client(vault, code, source="gui")]

        def done(rows: list[dict[str, Any]]) -> None:
            if token != self._token or self._vault is None:
                return  # locked, another client or a newer check meanwhile
            self._busy = False
            self._show_results(rows)
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
        self.model.set_rows([])
        self._show_pathway(None)
        self._show_stand(None)
        self.status.clear()
        self._update_buttons()

    def results(self) -> list[dict[str, Any]]:
        return list(self._results)

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
            self._show_pathway(self._results[row])
        else:
            self._show_pathway(None)
        self._update_buttons()

    def _show_stand(self, stand: str | None) -> None:
        self.stand_label.setText(_(STAND).format(date=_date(stand) if stand else "–"))

    def _current_pathway(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        index = rows[0] if rows else self.table.currentIndex()
        if index.isValid() and 0 <= index.row() < self.model.rowCount():
            return self.model.row_at(index.row())["pathway"]
        return None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and 0 <= current.row() < self.model.rowCount():
            self._show_pathway(self.model.row_at(current.row()))

    def _show_pathway(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.title.setText(_("Choose a pathway on the left.") if self._results else "")
            self.criteria_model.set_rows([])
            self.open_model.set_rows([])
            for label in (self.missing_label, self.possible_label, self.deadline_label):
                label.clear()
            return
        name = pathway_name(result["pathway"])
        self.title.setText(_("{pathway} – {light}").format(pathway=name, light=light_word(result["result"])))
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
        self.check_button.setEnabled(self._vault is not None and self.case_code is not None and not self._busy)
