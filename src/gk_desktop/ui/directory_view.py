"""The "Angebote" page: the regional directory of offers and the partners behind them.

Two tabs. *Angebote*: every offer of the region, searched as you type (accents and case folded)
and narrowed by category, residence status, age and "only running"; the selected offer is shown
in full beside the list; offers are added, changed and deleted in a form, and the whole directory
is imported from or exported to CSV (:mod:`gk_desktop.services.offers`, all-or-nothing import).
*Kooperationspartner*: the organisations of the network (the Ausländerbehörde is one of them,
never an offer) with their contact persons.

Everything that touches the vault or a file runs in the background (:class:`gk_desktop.ui.ops.Op`);
filtering works on the rows already loaded. ``clear()`` forgets every row when the app locks.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.domain.clock import today
from gk_desktop.domain.folding import fold
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.case_view import Column, RecordTableModel, _heading, _table
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.widgets import format_date

CSV_FILTER = "CSV (*.csv)"
SUGGESTED_EXPORT_NAME = "angebote.csv"

# The fields of an offer as the form shows them (English source, translated when shown).
OFFER_FIELDS = {
    "name": N_("Name"),
    "category": N_("Category"),
    "partner_id": N_("Provider"),
    "target_group": N_("Target group"),
    "age_min": N_("Age from"),
    "age_max": N_("Age to"),
    "statuses": N_("Residence statuses (none = all)"),
    "min_language_level": N_("German at least"),
    "min_qualification": N_("School qualification at least"),
    "prerequisites": N_("Prerequisites"),
    "cost": N_("Costs"),
    "place": N_("Place"),
    "schedule": N_("Times"),
    "runs_from": N_("Runs from"),
    "runs_until": N_("Runs until"),
    "capacity_note": N_("Capacity"),
    "languages": N_("Languages (ISO codes)"),
    "verified_on": N_("Last verified on"),
}
# The first field of the right-hand column of the offer form.
OFFER_FORM_SECOND_COLUMN = "prerequisites"
PARTNER_FIELDS = {
    "name": N_("Name"),
    "partner_type": N_("Type"),
    "address": N_("Address"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "alliance_member": N_("Member of the local alliance"),
    "note": N_("Note"),
}
CONTACT_FIELDS = {
    "name": N_("Name"),
    "role": N_("Role"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "secure_channel": N_("Secure channel"),
}
# Minimum German level of an offer: certificate levels only (the column holds two characters).
GERMAN_LEVELS = {k: v for k, v in labels.LANGUAGE_LEVEL.items() if len(k) == 2}
# Languages an offer is often held in; other ISO 639 codes are shown as they are.
LANGUAGE_NAMES = {
    "de": N_("German"), "en": N_("English"), "fr": N_("French"), "ar": N_("Arabic"), "fa": N_("Persian"),
    "prs": N_("Dari"), "ps": N_("Pashto"), "ku": N_("Kurdish"), "kmr": N_("Kurmanji"), "ckb": N_("Sorani"),
    "ti": N_("Tigrinya"), "am": N_("Amharic"), "so": N_("Somali"), "tr": N_("Turkish"), "ru": N_("Russian"),
    "uk": N_("Ukrainian"), "sq": N_("Albanian"), "ur": N_("Urdu"), "ro": N_("Romanian"), "es": N_("Spanish"),
}
_FIELD_KEY = re.compile(r"\b(" + "|".join(OFFER_FIELDS) + r")\b")


# --------------------------------------------------------------------------- plain helpers


def _safe(fn: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
    """A cell value that never raises (model data() is called by Qt)."""
    def value(row: dict[str, Any]) -> str:
        try:
            return fn(row)
        except Exception:  # noqa: BLE001 - a broken value shows empty, never an exception in data()
            return ""
    return value


def _iso_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def date_text(value: Any) -> str:
    day = _iso_date(value)
    return format_date(day) if day else ""


def age_text(age_min: int | None, age_max: int | None) -> str:
    """The age band as the table shows it: "18–27", "ab 18", "bis 25" or empty."""
    if age_min is not None and age_max is not None:
        return f"{age_min}\u2013{age_max}"
    if age_min is not None:
        return _("from {min}").format(min=age_min)
    if age_max is not None:
        return _("up to {max}").format(max=age_max)
    return ""


def language_text(code: str) -> str:
    name = LANGUAGE_NAMES.get(code)
    return f"{_(name)} ({code})" if name else code


def split_codes(text: str) -> list[str]:
    """"de, ar; fa" → ["de", "ar", "fa"] (commas, semicolons, | or spaces between codes)."""
    return [part for part in re.split(r"[\s,;|]+", text or "") if part]


def offer_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the JSON :func:`gk_desktop.services.offers.save_offer` takes."""
    data = dict(values)
    data["languages"] = split_codes(str(values.get("languages") or ""))
    return data


def offer_form_values(row: dict[str, Any]) -> dict[str, Any]:
    """An offer (``OfferRow.as_json``) as the form's values."""
    values = {k: row.get(k) for k in OFFER_FIELDS}
    values["languages"] = ", ".join(row.get("languages") or [])
    values["statuses"] = list(row.get("statuses") or [])
    return values


def offer_problems(values: dict[str, Any]) -> list[str]:
    """The service's checks of an offer, readable: run in the form before it closes."""
    from gk_desktop.services import offers
    from gk_desktop.services.records import Problems

    problems = Problems()
    offers.parse_offer(offer_data(values), problems)
    return [readable_problem(item) for item in problems.items]


def readable_problem(item: str) -> str:
    """"age_max: lies below age_min" → "Alter bis: liegt unter Alter von" (field labels for keys)."""
    def field(match: re.Match[str]) -> str:
        return _(OFFER_FIELDS[match.group(1)])

    key, sep, message = item.partition(": ")
    if not sep:
        return item
    return f"{_(OFFER_FIELDS[key]) if key in OFFER_FIELDS else key}: {_FIELD_KEY.sub(field, message)}"


def offer_search_text(row: dict[str, Any]) -> str:
    """What the search field looks through (folded): name, provider, place, target group."""
    return fold(" ".join(str(row.get(k) or "") for k in ("name", "provider", "place", "target_group")))


def offer_matches(row: dict[str, Any], *, query: str = "", category: str | None = None, status: str | None = None,
                  age: int | None = None, running_on: dt.date | None = None,
                  category_texts: dict[str, str] | None = None) -> bool:
    """Whether an offer passes the search and the filters.

    ``query`` (folded): every word of it occurs somewhere in the name, provider, place, target
    group or category label ("vhs b1" finds the B1 course of the VHS).

    ``status``: offers open to that status (an empty status list is open to all); ``age``: offers
    whose band contains it; ``running_on``: offers without an end or ending on that day or later.
    """
    if category is not None and row.get("category") != category:
        return False
    statuses = row.get("statuses") or []
    if status is not None and statuses and status not in statuses:
        return False
    if age is not None:
        low, high = row.get("age_min"), row.get("age_max")
        if (low is not None and age < low) or (high is not None and age > high):
            return False
    if running_on is not None:
        until = _iso_date(row.get("runs_until"))
        if until is not None and until < running_on:
            return False
    if query:
        text = row.get("_search")
        if text is None:
            text = offer_search_text(row)
        category_text = (category_texts or {}).get(row.get("category") or "")
        if category_text is None:
            category_text = fold(labels.label(labels.OFFER_CATEGORY, row.get("category"), ""))
        haystack = f"{text} {category_text}"
        if not all(token in haystack for token in query.split()):
            return False
    return True


def category_search_texts() -> dict[str, str]:
    """The folded category labels in the current language (searched beside the offer's fields)."""
    return {key: fold(labels.label(labels.OFFER_CATEGORY, key)) for key in labels.OFFER_CATEGORY}


def _para(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:#555; padding-right:12px; white-space:nowrap'>{html.escape(label)}</td>"
        f"<td>{value}</td></tr>" for label, value in rows)
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


def offer_html(row: dict[str, Any]) -> str:
    """Every field of an offer with its label; every value escaped."""
    def text(key: str) -> str:
        value = row.get(key)
        return _para(str(value)) if value not in (None, "") else "–"

    statuses = row.get("statuses") or []
    if statuses:
        order = list(labels.RESIDENCE_STATUS)
        ordered = sorted(statuses, key=lambda s: (order.index(s) if s in order else len(order), s))
        status_value = ", ".join(html.escape(labels.label(labels.RESIDENCE_STATUS, s)) for s in ordered)
    else:
        status_value = html.escape(_("open to every residence status"))
    languages = row.get("languages") or []
    age = age_text(row.get("age_min"), row.get("age_max"))
    left = [
        (_("Category"), html.escape(labels.label(labels.OFFER_CATEGORY, row.get("category")))),
        (_("Provider"), text("provider")),
        (_("Target group"), text("target_group")),
        (_("Age"), html.escape(age) if age else "–"),
        (_("Residence status"), status_value),
        (_("German at least"), html.escape(labels.label(labels.LANGUAGE_LEVEL, row.get("min_language_level")))),
        (_("School qualification at least"),
         html.escape(labels.label(labels.QUALIFICATION, row.get("min_qualification")))),
        (_("Languages"), html.escape(", ".join(language_text(c) for c in languages)) if languages else "–"),
    ]
    right = [
        (_("Prerequisites"), text("prerequisites")),
        (_("Costs"), text("cost")),
        (_("Place"), text("place")),
        (_("Times"), text("schedule")),
        (_("Runs from"), html.escape(date_text(row.get("runs_from")) or "–")),
        (_("Runs until"), html.escape(date_text(row.get("runs_until")) or "–")),
        (_("Capacity"), text("capacity_note")),
        (_("Last verified on"), html.escape(date_text(row.get("verified_on")) or "–")),
    ]
    return (f"<h3>{html.escape(str(row.get('name') or ''))}</h3>"
            "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
            f"<td width='50%' valign='top'>{_rows_html(left)}</td>"
            f"<td width='50%' valign='top'>{_rows_html(right)}</td></tr></table>")


def partner_html(row: dict[str, Any], offer_names: list[str]) -> str:
    def text(key: str) -> str:
        value = row.get(key)
        return _para(str(value)) if value not in (None, "") else "–"

    shown = offer_names[:6] + (["…"] if len(offer_names) > 6 else [])
    rows = [
        (_("Type"), html.escape(labels.label(labels.PARTNER_TYPE, row.get("partner_type")))),
        (_("Address"), text("address")),
        (_("Phone"), text("phone")),
        (_("E-mail"), text("email")),
        (_("Local alliance"), html.escape(_("yes") if row.get("alliance_member") else _("no"))),
        (_("Note"), text("note")),
        (_("Offers"), html.escape(", ".join(shown)) if shown else "–"),
    ]
    out = f"<h3>{html.escape(str(row.get('name') or ''))}</h3>" + _rows_html(rows)
    if row.get("seeded"):
        out += "<p style='color:#555'>" + html.escape(
            _("This partner comes with the app; change its name and address instead.")) + "</p>"
    return out


def _selected(table: QTableView, model: RecordTableModel) -> dict[str, Any] | None:
    """The selected row (only a visibly selected one: Del must not hit a mere focus frame)."""
    rows = table.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows and 0 <= rows[0].row() < model.rowCount() else None


def select_row(table: QTableView, row: int) -> None:
    """Select one row whatever keys are held (QTableView.selectRow toggles while Ctrl is down)."""
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)


def _select_id(table: QTableView, model: RecordTableModel, wanted: str | None) -> bool:
    if wanted is None:
        return False
    for i in range(model.rowCount()):
        if model.row_at(i).get("id") == wanted:
            select_row(table, i)
            return True
    return False


class FitColumns(QObject):
    """Spreads a table's width over its columns until the worker drags a column border: the
    ``samples`` columns as wide as their header or sample text (an age band, a date), the others
    by their ``shares`` of the rest, so that the name never shrinks to a sliver on a small screen."""

    MINIMUM = 60

    def __init__(self, table: QTableView, samples: dict[int, str], shares: dict[int, float]) -> None:
        super().__init__(table)
        self._table = table
        self._samples = samples
        self._shares = shares
        self._applying = False
        self.user_sized = False
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._section_resized)
        table.viewport().installEventFilter(self)

    def _section_resized(self, *_args: Any) -> None:
        if not self._applying:
            self.user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and not self.user_sized:
            self.apply()
        return False

    def apply(self) -> None:
        table = self._table
        model = table.model()
        if model is None:
            return
        font = QFont(table.horizontalHeader().font())
        font.setBold(True)  # the header may be drawn bold
        header_metrics, cell_metrics = QFontMetrics(font), table.fontMetrics()
        widths: dict[int, int] = {}
        for col, sample in self._samples.items():
            title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            widths[col] = max(cell_metrics.horizontalAdvance(sample), header_metrics.horizontalAdvance(title)) + 24
        rest = max(0, table.viewport().width() - sum(widths.values()))
        for col, share in self._shares.items():
            widths[col] = max(self.MINIMUM, int(rest * share))
        if self._shares:  # rounding leftovers to the first share
            first = next(iter(self._shares))
            widths[first] += max(0, table.viewport().width() - sum(widths.values()))
        self._applying = True
        try:
            for col, width in widths.items():
                table.setColumnWidth(col, width)
        finally:
            self._applying = False


def _two_columns(dialog: QDialog, first_right_key: str) -> None:
    """Put the rows of a RecordDialog's form from ``first_right_key`` on into a second column, so
    that a long form fits on a laptop screen."""
    outer = dialog.layout()
    form = next((outer.itemAt(i).layout() for i in range(outer.count())
                 if isinstance(outer.itemAt(i).layout(), QFormLayout)), None)
    widget = getattr(dialog, "widgets", {}).get(first_right_key)
    if form is None or widget is None:
        return
    start, _role = form.getWidgetPosition(widget)
    if start < 0:
        return
    right = QFormLayout()
    while form.rowCount() > start:
        taken = form.takeRow(start)
        label = taken.labelItem.widget() if taken.labelItem else None
        field = taken.fieldItem.widget() if taken.fieldItem else None
        if field is not None:
            right.addRow(label, field)
    index = outer.indexOf(form)
    outer.takeAt(index)
    row = QHBoxLayout()
    row.addLayout(form, 3)  # the left column holds the long status names
    row.addSpacing(16)
    row.addLayout(right, 2)
    outer.insertLayout(index, row)


# --------------------------------------------------------------------------- the page


class DirectoryView(QWidget):
    """Signals:
        changed(): an offer, partner or contact person was added, changed, deleted or imported.
        loaded(): the offers and partners were (re)loaded and are shown.
    """

    changed = Signal()
    loaded = Signal()

    OFFERS_TAB = 0
    PARTNERS_TAB = 1

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._generation = 0
        self._offers: list[dict[str, Any]] = []
        self._partners: list[dict[str, Any]] = []
        self._select_offer: str | None = None
        self._select_partner: str | None = None
        self._select_contact: str | None = None
        self.dialog: QDialog | None = None
        self._busy_import = False
        self._busy_export = False

        heading = QLabel(_("Offers and partners"))
        f = heading.font()
        f.setPointSize(f.pointSize() + 5)
        heading.setFont(f)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_offers_tab(), _("&Offers"))
        self.tabs.addTab(self._build_partners_tab(), _("&Partners"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        delete_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete_key.activated.connect(self.delete_selected)
        self._update_buttons()
        self._update_count()

    # -- building

    def _build_offers_tab(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, provider, place …"))
        self.search.setToolTip(_("Search offers (Ctrl+F); accents and case do not matter"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search offers"))
        self.search.textChanged.connect(self.apply_filters)
        self.search.installEventFilter(self)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search)

        self.category_filter = QComboBox()
        self.category_filter.addItem(_("all categories"), None)
        for key in labels.OFFER_CATEGORY:
            self.category_filter.addItem(labels.label(labels.OFFER_CATEGORY, key), key)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("every status"), None)
        for key in labels.RESIDENCE_STATUS_SHORT:
            if key != "UNBEKANNT":
                self.status_filter.addItem(labels.label(labels.RESIDENCE_STATUS_SHORT, key), key)
        for combo, name in ((self.category_filter, _("Filter by category")),
                            (self.status_filter, _("Filter by residence status"))):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.currentIndexChanged.connect(self.apply_filters)
        self.status_filter.setToolTip(_("Offers open to this residence status"))
        self.age_filter = QSpinBox()
        self.age_filter.setRange(0, 99)
        self.age_filter.setSpecialValueText(_("any age"))
        self.age_filter.setAccessibleName(_("Filter by age"))
        self.age_filter.setToolTip(_("Offers whose age band contains this age"))
        self.age_filter.valueChanged.connect(self.apply_filters)
        age_label = QLabel(_("&Age:"))
        age_label.setBuddy(self.age_filter)
        self.running_filter = QCheckBox(_("only running offers"))
        self.running_filter.setToolTip(_("Hide offers that have ended"))
        self.running_filter.toggled.connect(self.apply_filters)
        self.reset_button = QPushButton(_("Show all"))
        self.reset_button.setToolTip(_("Clear the search and every filter"))
        self.reset_button.clicked.connect(self.reset_filters)
        filter_label = QLabel(_("&Filter:"))
        filter_label.setBuddy(self.category_filter)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Number of offers shown"))

        self.offers_model = RecordTableModel([
            Column(N_("Name"), _safe(lambda r: r["name"] or "")),
            Column(N_("Category"), _safe(lambda r: labels.label(labels.OFFER_CATEGORY, r["category"], ""))),
            Column(N_("Provider"), _safe(lambda r: r["provider"] or "")),
            Column(N_("Age"), _safe(lambda r: age_text(r["age_min"], r["age_max"]))),
            Column(N_("Place"), _safe(lambda r: r["place"] or "")),
            Column(N_("Runs until"), _safe(lambda r: date_text(r["runs_until"]))),
            Column(N_("Last verified"), _safe(lambda r: date_text(r["verified_on"]))),
        ], self)
        self.offers_table = _table(self.offers_model, _("Offers"))
        age_sample = max(("00–00", age_text(88, None), age_text(None, 88)), key=len)
        self._offer_columns = FitColumns(self.offers_table, {3: age_sample, 5: "00.00.0000", 6: "00.00.0000"},
                                         {0: 0.36, 1: 0.21, 2: 0.24, 4: 0.19})
        self.offers_table.selectionModel().currentRowChanged.connect(lambda *_a: self._offer_changed())
        self.offers_table.selectionModel().selectionChanged.connect(lambda *_a: self._offer_changed())
        self.offers_table.activated.connect(lambda _i: self.edit_offer())
        self.offer_detail = QTextBrowser()
        self.offer_detail.setOpenLinks(False)
        self.offer_detail.setAccessibleName(_("Offer details"))

        self.new_offer_button = QPushButton(_("&New offer …"))
        self.new_offer_button.setToolTip(_("Add an offer to the directory (Ctrl+N)"))
        self.new_offer_button.clicked.connect(self.new_offer)
        self.edit_offer_button = QPushButton(_("Change …"))
        self.edit_offer_button.setToolTip(_("Change the selected offer (Enter or double-click)"))
        self.edit_offer_button.clicked.connect(self.edit_offer)
        self.delete_offer_button = QPushButton(_("Delete"))
        self.delete_offer_button.setToolTip(_("Delete the selected offer (Del)"))
        self.delete_offer_button.clicked.connect(self.delete_offer)
        self.import_button = QPushButton(_("Import CSV …"))
        self.import_button.setToolTip(_("Add or update offers from a CSV file; a file with a faulty row "
                                        "changes nothing"))
        self.import_button.clicked.connect(self.import_csv)
        self.export_button = QPushButton(_("Export CSV …"))
        self.export_button.setToolTip(_("Save every offer as a CSV file"))
        self.export_button.clicked.connect(self.export_csv)
        self.offer_status = QLabel()
        self.offer_status.setWordWrap(True)
        self.offer_status.setAccessibleName(_("Status of the offers"))

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        filters = QHBoxLayout()
        filters.addWidget(filter_label)
        filters.addWidget(self.category_filter)
        filters.addWidget(self.status_filter)
        filters.addSpacing(8)
        filters.addWidget(age_label)
        filters.addWidget(self.age_filter)
        filters.addSpacing(8)
        filters.addWidget(self.running_filter)
        filters.addWidget(self.reset_button)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for b in (self.new_offer_button, self.edit_offer_button, self.delete_offer_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        self.offers_splitter = QSplitter(Qt.Orientation.Vertical)
        self.offers_splitter.addWidget(self.offers_table)
        self.offers_splitter.addWidget(self.offer_detail)
        self.offers_splitter.setStretchFactor(0, 3)
        self.offers_splitter.setStretchFactor(1, 2)
        self.offers_splitter.setSizes([380, 240])

        page = QWidget()
        pl = QVBoxLayout(page)
        pl.addLayout(top)
        pl.addLayout(filters)
        pl.addLayout(buttons)
        pl.addWidget(self.offers_splitter, 1)
        pl.addWidget(self.offer_status)
        page.setTabOrder(self.search, self.category_filter)
        return page

    def _build_partners_tab(self) -> QWidget:
        self.partners_model = RecordTableModel([
            Column(N_("Name"), _safe(lambda r: r["name"] or "")),
            Column(N_("Type"), _safe(lambda r: labels.label(labels.PARTNER_TYPE, r["partner_type"], ""))),
            Column(N_("Phone"), _safe(lambda r: r["phone"] or "")),
            Column(N_("E-mail"), _safe(lambda r: r["email"] or "")),
            Column(N_("Local alliance"), _safe(lambda r: _("yes") if r["alliance_member"] else _("no"))),
        ], self)
        self.partners_table = _table(self.partners_model, _("Partners"))
        self._partner_columns = FitColumns(self.partners_table, {4: _("no")},
                                           {0: 0.38, 1: 0.18, 2: 0.16, 3: 0.28})
        self.partners_table.selectionModel().currentRowChanged.connect(lambda *_a: self._partner_changed())
        self.partners_table.selectionModel().selectionChanged.connect(lambda *_a: self._partner_changed())
        self.partners_table.activated.connect(lambda _i: self.edit_partner())
        self.partner_detail = QTextBrowser()
        self.partner_detail.setOpenLinks(False)
        self.partner_detail.setAccessibleName(_("Partner details"))

        self.contacts_model = RecordTableModel([
            Column(N_("Name"), _safe(lambda r: r["name"] or "")),
            Column(N_("Role"), _safe(lambda r: r["role"] or "")),
            Column(N_("Phone"), _safe(lambda r: r["phone"] or "")),
            Column(N_("E-mail"), _safe(lambda r: r["email"] or "")),
            Column(N_("Secure channel"), _safe(lambda r: labels.label(labels.SECURE_CHANNEL, r["secure_channel"], ""))),
        ], self)
        self.contacts_table = _table(self.contacts_model, _("Contact persons"))
        self._contact_columns = FitColumns(self.contacts_table, {},
                                           {0: 0.2, 1: 0.22, 2: 0.16, 3: 0.22, 4: 0.2})
        self.contacts_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.contacts_table.activated.connect(lambda _i: self.edit_contact())

        self.new_partner_button = QPushButton(_("New &partner …"))
        self.new_partner_button.setToolTip(_("Add a partner organisation (Ctrl+N)"))
        self.new_partner_button.clicked.connect(self.new_partner)
        self.edit_partner_button = QPushButton(_("Change …"))
        self.edit_partner_button.setToolTip(_("Change the selected partner (Enter or double-click)"))
        self.edit_partner_button.clicked.connect(self.edit_partner)
        self.delete_partner_button = QPushButton(_("Delete"))
        self.delete_partner_button.setToolTip(_("Delete the selected partner (Del)"))
        self.delete_partner_button.clicked.connect(self.delete_partner)
        self.new_contact_button = QPushButton(_("Add &contact person …"))
        self.new_contact_button.clicked.connect(self.new_contact)
        self.edit_contact_button = QPushButton(_("Change …"))
        self.edit_contact_button.setToolTip(_("Change the selected contact person (Enter or double-click)"))
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.delete_contact_button = QPushButton(_("Delete"))
        self.delete_contact_button.setToolTip(_("Delete the selected contact person (Del)"))
        self.delete_contact_button.clicked.connect(self.delete_contact)
        self.partner_status = QLabel()
        self.partner_status.setWordWrap(True)

        buttons = QHBoxLayout()
        for b in (self.new_partner_button, self.edit_partner_button, self.delete_partner_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        contact_buttons = QHBoxLayout()
        for b in (self.new_contact_button, self.edit_contact_button, self.delete_contact_button):
            contact_buttons.addWidget(b)
        contact_buttons.addStretch(1)
        contacts = QWidget()
        cl = QVBoxLayout(contacts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(_heading(_("Contact persons")))
        cl.addLayout(contact_buttons)
        cl.addWidget(self.contacts_table, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.partner_detail)
        lower.addWidget(contacts)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        lower.setSizes([400, 860])
        self.partners_splitter = QSplitter(Qt.Orientation.Vertical)
        self.partners_splitter.addWidget(self.partners_table)
        self.partners_splitter.addWidget(lower)
        self.partners_splitter.setStretchFactor(0, 3)
        self.partners_splitter.setStretchFactor(1, 2)
        self.partners_splitter.setSizes([380, 260])

        page = QWidget()
        pl = QVBoxLayout(page)
        pl.addLayout(buttons)
        pl.addWidget(self.partners_splitter, 1)
        pl.addWidget(self.partner_status)
        return page

    # -- keyboard

    _CTRL_N = QKeySequence("Ctrl+N")[0]
    _CTRL_F = QKeySequence("Ctrl+F")[0]

    def event(self, event: QEvent) -> bool:
        # Ctrl+N and Ctrl+F belong to this page while the focus is inside it (the main window uses
        # the same keys for its client actions; two shortcuts for one key would cancel each other).
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.keyCombination() in (self._CTRL_N, self._CTRL_F):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        combo = event.keyCombination()
        if combo == self._CTRL_F:
            self.focus_search()
        elif combo == self._CTRL_N:
            self.new_record()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Down (or Enter) in the search field moves into the list.
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.offers_model.rowCount():
            self.offers_table.setFocus()
            if _selected(self.offers_table, self.offers_model) is None:
                select_row(self.offers_table, 0)
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(self.OFFERS_TAB)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_record(self) -> None:
        """Ctrl+N: a new offer or a new partner, by the tab shown."""
        if self.tabs.currentIndex() == self.PARTNERS_TAB:
            self.new_partner()
        else:
            self.new_offer()

    def delete_selected(self) -> None:
        """Del: the offer, the contact person (when its list has the focus) or the partner."""
        if self.tabs.currentIndex() == self.OFFERS_TAB:
            self.delete_offer()
        elif self.contacts_table.hasFocus():
            self.delete_contact()
        else:
            self.delete_partner()

    # -- loading

    def reload(self) -> None:
        """Load the offers and partners in the background; keeps the selection."""
        from gk_desktop.services import offers

        vault = self._vault
        if vault is None:
            return
        generation = self._generation

        def load(_ctx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            rows = []
            for o in offers.list_offers(vault):
                row = o.as_json()
                row["_search"] = offer_search_text(row)
                rows.append(row)
            partners = [p.as_json() | {"seeded": p.seeded} for p in offers.list_partners(vault)]
            return rows, partners

        Op(self, load).on_success(self._live(lambda result: self._loaded(generation, result))) \
            .on_failure(self._live(lambda exc: show_error(self, exc))).run()

    def _live(self, fn: Callable[..., Any]) -> Callable[..., None]:
        """``fn`` as the answer of background work: dropped when the page was cleared (the app
        locked) meanwhile, so nothing reaches the screen after the lock."""
        generation = self._generation

        def call(*args: Any) -> None:
            if self._vault is not None and generation == self._generation:
                fn(*args)
        return call

    def _loaded(self, generation: int, result: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        if self._vault is None or generation != self._generation:
            return  # locked (or cleared) while loading: the rows must not reach the screen
        keep_offer = self._select_offer or self._current_offer_id()
        keep_partner = self._select_partner or self._current_partner_id()
        keep_contact = self._select_contact or self._current_contact_id()
        self._select_offer = self._select_partner = self._select_contact = None
        self._offers, self._partners = result
        self._apply_filters(keep_offer)
        self.partners_model.set_rows(self._partners)
        if not _select_id(self.partners_table, self.partners_model, keep_partner):
            self._partner_changed()
        _select_id(self.contacts_table, self.contacts_model, keep_contact)
        self._update_buttons()
        self.loaded.emit()

    def clear(self) -> None:
        """Forget every offer, partner and contact person shown (the app locks)."""
        self._vault = None
        self._generation += 1
        self._offers = []
        self._partners = []
        self._select_offer = self._select_partner = self._select_contact = None
        self._busy_import = self._busy_export = False
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for model in (self.offers_model, self.partners_model, self.contacts_model):
            model.set_rows([])
        self.offer_detail.clear()
        self.partner_detail.clear()
        self.offer_status.clear()
        self.partner_status.clear()
        self._update_count()
        self._update_buttons()

    # -- offers: list, filters, details

    def reset_filters(self) -> None:
        for widget in (self.search, self.category_filter, self.status_filter, self.age_filter, self.running_filter):
            widget.blockSignals(True)
        self.search.clear()
        self.category_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.age_filter.setValue(0)
        self.running_filter.setChecked(False)
        for widget in (self.search, self.category_filter, self.status_filter, self.age_filter, self.running_filter):
            widget.blockSignals(False)
        self.apply_filters()

    def filters_active(self) -> bool:
        return bool(self.search.text().strip() or self.category_filter.currentData() is not None
                    or self.status_filter.currentData() is not None or self.age_filter.value()
                    or self.running_filter.isChecked())

    def apply_filters(self, *_args: Any) -> None:
        """Show the offers that pass the search and the filters (keeps the selection if shown)."""
        self._apply_filters(self._current_offer_id())

    def _apply_filters(self, keep: str | None) -> None:
        query = fold(self.search.text())
        age = self.age_filter.value() or None
        running_on = today() if self.running_filter.isChecked() else None
        category, status = self.category_filter.currentData(), self.status_filter.currentData()
        texts = category_search_texts() if query else None
        rows = [r for r in self._offers if offer_matches(r, query=query, category=category, status=status, age=age,
                                                         running_on=running_on, category_texts=texts)]
        self.offers_model.set_rows(rows)
        if len(rows) == 1:
            keep = rows[0]["id"]  # the one match is shown at once
        if not _select_id(self.offers_table, self.offers_model, keep):
            self._offer_changed()
        self._update_count()

    def _update_count(self) -> None:
        n = self.offers_model.rowCount()
        self.count_label.setText(ngettext("{n} offer", "{n} offers", n).format(n=n))
        self.reset_button.setEnabled(self.filters_active())

    def _current_offer(self) -> dict[str, Any] | None:
        return _selected(self.offers_table, self.offers_model)

    def _current_offer_id(self) -> str | None:
        row = self._current_offer()
        return row["id"] if row else None

    def _offer_changed(self) -> None:
        row = self._current_offer()
        if row is not None:
            self.offer_detail.setHtml(offer_html(row))
        elif self._vault is None:
            self.offer_detail.clear()
        elif not self._offers:
            self.offer_detail.setHtml("<p style='color:#555'>" + html.escape(
                _("No offers yet. Add one with “New offer” or import a CSV file.")) + "</p>")
        elif not self.offers_model.rowCount():
            self.offer_detail.setHtml("<p style='color:#555'>" + html.escape(
                _("No offer matches the search and the filters.")) + "</p>")
        else:
            self.offer_detail.setHtml("<p style='color:#555'>" + html.escape(
                _("Select an offer to see all its details.")) + "</p>")
        self._update_buttons()

    def _update_buttons(self) -> None:
        open_ = self._vault is not None
        has_offer = open_ and self._current_offer() is not None
        partner = self._current_partner() if open_ else None
        has_contact = partner is not None and _selected(self.contacts_table, self.contacts_model) is not None
        self.new_offer_button.setEnabled(open_)
        self.edit_offer_button.setEnabled(has_offer)
        self.delete_offer_button.setEnabled(has_offer)
        self.import_button.setEnabled(open_ and not self._busy_import)
        self.export_button.setEnabled(open_ and bool(self._offers) and not self._busy_export)
        self.new_partner_button.setEnabled(open_)
        self.edit_partner_button.setEnabled(partner is not None)
        self.delete_partner_button.setEnabled(partner is not None)
        self.new_contact_button.setEnabled(partner is not None)
        self.edit_contact_button.setEnabled(has_contact)
        self.delete_contact_button.setEnabled(has_contact)

    # -- offers: editing

    def _offer_fields(self, current: dict[str, Any] | None) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        partners = {p["id"]: p["name"] for p in self._partners}
        if current and current.get("partner_id") and current["partner_id"] not in partners:
            partners[current["partner_id"]] = current.get("provider") or current["partner_id"]
        # A foreign qualification is no minimum (it cannot be ranked); kept only if already set.
        qualifications = {k: v for k, v in labels.QUALIFICATION.items()
                          if k != "AUSLAENDISCH" or (current or {}).get("min_qualification") == k}
        kinds = {"category": ("enum", labels.OFFER_CATEGORY), "partner_id": ("choice", partners),
                 "age_min": ("int", None), "age_max": ("int", None), "statuses": ("multi", labels.RESIDENCE_STATUS),
                 "min_language_level": ("enum", GERMAN_LEVELS), "min_qualification": ("enum", qualifications),
                 "runs_from": ("date", None), "runs_until": ("date", None), "verified_on": ("date", None)}
        return [FieldSpec(key, label, *kinds.get(key, ("text", None)), required=key in ("name", "category"))
                for key, label in OFFER_FIELDS.items()]

    def new_offer(self) -> None:
        if self._vault is None:
            return
        self.tabs.setCurrentIndex(self.OFFERS_TAB)
        defaults = {"category": self.category_filter.currentData() or "SONSTIGE",
                    "verified_on": today().isoformat()}
        self._offer_dialog(None, defaults)

    def edit_offer(self) -> None:
        row = self._current_offer()
        if row is None or self._vault is None:
            return
        self._offer_dialog(row, offer_form_values(row))

    def _offer_dialog(self, current: dict[str, Any] | None, values: dict[str, Any], problem: str = "") -> None:
        from gk_desktop.services import offers
        from gk_desktop.ui.record_editor import RecordDialog

        if self._vault is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        title = _("New offer") if current is None else _("Change offer")
        dialog = RecordDialog(title, self._offer_fields(current), values, self, validate=offer_problems)
        _two_columns(dialog, OFFER_FORM_SECOND_COLUMN)
        dialog.setMinimumWidth(1020)
        dialog.widgets["languages"].setPlaceholderText("de, ar, fa")
        if problem:
            dialog.show_problem(problem)
        self.dialog = dialog
        offer_id = current["id"] if current else None

        def done(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            typed = dialog.result_values
            vault = self._vault
            if result != QDialog.DialogCode.Accepted or typed is None or vault is None:
                return
            data = offer_data(typed)

            def saved(new_id: str) -> None:
                self._select_offer = new_id
                self.offer_status.setText(_("Offer “{name}” saved.").format(name=data.get("name") or ""))
                self.reload()
                self.changed.emit()

            def refused(exc: BaseException) -> None:
                # Nothing typed is lost: the form opens again with the values and the reason.
                self._offer_dialog(current, typed, error_text(exc))

            Op(self, lambda _ctx: offers.save_offer(vault, data, offer_id, source="gui")) \
                .on_success(self._live(saved)).on_failure(self._live(refused)).run()

        dialog.finished.connect(done)
        dialog.open()

    def delete_offer(self) -> None:
        from gk_desktop.services import offers
        from gk_desktop.ui.case_view import confirm_delete

        row = self._current_offer()
        vault = self._vault
        if row is None or vault is None:
            return
        if not confirm_delete(self, _("Delete offer"), _("Delete the offer “{name}” from the directory?").format(
                name=row.get("name") or "")):
            return
        offer_id = row["id"]

        def deleted(_result: Any) -> None:
            self.offer_status.setText(_("Offer deleted."))
            self.reload()
            self.changed.emit()

        Op(self, lambda _ctx: offers.delete_offer(vault, offer_id, source="gui")).on_success(self._live(deleted)) \
            .on_failure(self._live(lambda exc: (show_error(self, exc), self.reload()))).run()

    # -- offers: CSV

    def _start_dir(self) -> Path:
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))

    def import_csv(self) -> None:
        """Choose a CSV file, read it and import it in the background (all rows or none)."""
        from gk_desktop.services import offers

        if self._vault is None:
            return
        name, _filter = QFileDialog.getOpenFileName(self, _("Import offers"), str(self._start_dir()), CSV_FILTER)
        if not name:
            return
        path = Path(name)
        self._busy_import = True
        self._update_buttons()
        self.offer_status.setText(_("Reading {name} …").format(name=path.name))

        def read(_ctx: Any) -> bytes:
            try:
                with open(path, "rb") as fh:
                    return fh.read(offers.MAX_CSV_BYTES + 1)  # the service refuses a larger file
            except OSError as exc:
                raise InputRejectedError(_("The file could not be read. Nothing was changed.")) from exc

        def refused(exc: BaseException) -> None:
            self._busy_import = False
            self._update_buttons()
            self.offer_status.clear()
            QMessageBox.warning(self, _("Import offers"), error_text(exc))

        def imported(result: Any) -> None:
            self._busy_import = False
            self._update_buttons()
            text = _("CSV imported: {added} added, {updated} updated.").format(
                added=result.added, updated=result.updated)
            if result.partners_added:
                text += " " + ngettext("{n} partner was created from the provider column.",
                                       "{n} partners were created from the provider column.",
                                       result.partners_added).format(n=result.partners_added)
            self.offer_status.setText(text)
            self.reload()
            self.changed.emit()

        def store(data: bytes) -> None:
            vault = self._vault
            if vault is None:
                self._busy_import = False
                self._update_buttons()
                return
            self.offer_status.setText(_("Importing …"))
            Op(self, lambda _ctx: offers.import_csv(vault, data, source="gui")).on_success(self._live(imported)) \
                .on_failure(self._live(refused)).run()

        Op(self, read, lane="io").on_success(self._live(store)).on_failure(self._live(refused)).run()

    def export_csv(self) -> None:
        """Every offer into a CSV file of the worker's choice (written atomically)."""
        from gk_desktop.services import offers
        from gk_desktop.storage import fsutil

        vault = self._vault
        if vault is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, _("Export offers"),
                                                    str(self._start_dir() / SUGGESTED_EXPORT_NAME), CSV_FILTER)
        if not name:
            return
        target = Path(name)
        if not target.suffix:
            target = target.with_suffix(".csv")
        self._busy_export = True
        self._update_buttons()
        self.offer_status.setText(_("Exporting …"))

        def done_export(ok: bool) -> None:
            self._busy_export = False
            self._update_buttons()
            if ok:
                self.offer_status.setText(_("Exported to {path}.").format(path=target))
            else:
                self.offer_status.clear()

        def write(data: bytes) -> None:
            def failed(_exc: BaseException) -> None:
                done_export(False)
                QMessageBox.warning(self, _("Export offers"),
                                    _("The file could not be written. Please choose another place."))

            Op(self, lambda _ctx: fsutil.atomic_write(target, data), lane="io") \
                .on_success(self._live(lambda _r: done_export(True))).on_failure(self._live(failed)).run()

        Op(self, lambda _ctx: offers.export_csv(vault)).on_success(self._live(write)) \
            .on_failure(self._live(lambda exc: (done_export(False), show_error(self, exc)))).run()

    # -- partners

    def _current_partner(self) -> dict[str, Any] | None:
        return _selected(self.partners_table, self.partners_model)

    def _current_partner_id(self) -> str | None:
        row = self._current_partner()
        return row["id"] if row else None

    def _current_contact_id(self) -> str | None:
        row = _selected(self.contacts_table, self.contacts_model)
        return row["id"] if row else None

    def _partner_changed(self) -> None:
        row = self._current_partner()
        if row is None:
            self.partner_detail.clear()
            if self.contacts_model.rowCount():
                self.contacts_model.set_rows([])
        else:
            names = [o["name"] for o in self._offers if o.get("partner_id") == row["id"]]
            self.partner_detail.setHtml(partner_html(row, names))
            keep = self._current_contact_id()
            contacts = list(row.get("contacts") or [])
            if contacts != [self.contacts_model.row_at(i) for i in range(self.contacts_model.rowCount())]:
                self.contacts_model.set_rows(contacts)
                _select_id(self.contacts_table, self.contacts_model, keep)
        self._update_buttons()

    def _partner_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        kinds = {"partner_type": ("enum", labels.PARTNER_TYPE), "alliance_member": ("bool", None)}
        return [FieldSpec(key, label, *kinds.get(key, ("text", None)), required=key in ("name", "partner_type"))
                for key, label in PARTNER_FIELDS.items()]

    def new_partner(self) -> None:
        if self._vault is None:
            return
        self.tabs.setCurrentIndex(self.PARTNERS_TAB)
        self._partner_dialog(None, {"partner_type": "SONSTIGE"})

    def edit_partner(self) -> None:
        row = self._current_partner()
        if row is None or self._vault is None:
            return
        self._partner_dialog(row, {k: row.get(k) for k in PARTNER_FIELDS})

    def _partner_dialog(self, current: dict[str, Any] | None, values: dict[str, Any], problem: str = "") -> None:
        from gk_desktop.services import offers
        from gk_desktop.ui.record_editor import RecordDialog

        if self._vault is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        title = _("New partner") if current is None else _("Change partner")
        dialog = RecordDialog(title, self._partner_fields(), values, self)
        dialog.setMinimumWidth(520)
        if problem:
            dialog.show_problem(problem)
        self.dialog = dialog
        partner_id = current["id"] if current else None

        def done(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            typed = dialog.result_values
            vault = self._vault
            if result != QDialog.DialogCode.Accepted or typed is None or vault is None:
                return
            data = {k: (None if k in ("phone", "email") and v == "" else v) for k, v in typed.items()}

            def saved(new_id: str) -> None:
                self._select_partner = new_id
                self.partner_status.setText(_("Partner “{name}” saved.").format(name=data.get("name") or ""))
                self.reload()
                self.changed.emit()

            Op(self, lambda _ctx: offers.save_partner(vault, data, partner_id, source="gui")) \
                .on_success(self._live(saved)) \
                .on_failure(self._live(lambda exc: self._partner_dialog(current, typed, error_text(exc)))).run()

        dialog.finished.connect(done)
        dialog.open()

    def delete_partner(self) -> None:
        from gk_desktop.services import offers
        from gk_desktop.ui.case_view import confirm_delete

        row = self._current_partner()
        vault = self._vault
        if row is None or vault is None:
            return
        if row.get("seeded"):
            QMessageBox.warning(self, _("Delete partner"),
                                _("This partner comes with the app; change its name and address instead."))
            return
        if not confirm_delete(self, _("Delete partner"), _(
                "Delete the partner “{name}” and its contact persons?").format(name=row.get("name") or "")):
            return
        partner_id = row["id"]

        def deleted(_result: Any) -> None:
            self.partner_status.setText(_("Partner deleted."))
            self.reload()
            self.changed.emit()

        def refused(exc: BaseException) -> None:
            QMessageBox.warning(self, _("Delete partner"), error_text(exc))

        Op(self, lambda _ctx: offers.delete_partner(vault, partner_id, source="gui")).on_success(self._live(deleted)) \
            .on_failure(self._live(refused)).run()

    # -- contact persons of a partner

    def _contact_fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        kinds = {"secure_channel": ("enum", labels.SECURE_CHANNEL)}
        return [FieldSpec(key, label, *kinds.get(key, ("text", None)), required=key == "name")
                for key, label in CONTACT_FIELDS.items()]

    def new_contact(self) -> None:
        partner = self._current_partner()
        if partner is not None:
            self._contact_dialog(partner, None, {})

    def edit_contact(self) -> None:
        partner = self._current_partner()
        contact = _selected(self.contacts_table, self.contacts_model)
        if partner is not None and contact is not None:
            self._contact_dialog(partner, contact, {k: contact.get(k) for k in CONTACT_FIELDS})

    def _contact_dialog(self, partner: dict[str, Any], current: dict[str, Any] | None, values: dict[str, Any],
                        problem: str = "") -> None:
        from gk_desktop.ui.record_editor import RecordDialog

        if self._vault is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        title = _("New contact person") if current is None else _("Change contact person")
        dialog = RecordDialog(title, self._contact_fields(), values, self, intro=partner.get("name") or "")
        dialog.setMinimumWidth(460)
        if problem:
            dialog.show_problem(problem)
        self.dialog = dialog

        def done(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            typed = dialog.result_values
            if result != QDialog.DialogCode.Accepted or typed is None or self._vault is None:
                return
            item = {k: (None if k in ("phone", "email") and v == "" else v) for k, v in typed.items()}
            contacts = [dict(c) for c in partner.get("contacts") or []]
            if current is None:
                contacts.append(item)
            else:
                for c in contacts:
                    if c.get("id") == current["id"]:
                        c.update(item)
            self._save_contacts(partner, contacts, current["id"] if current else None,
                                lambda exc: self._contact_dialog(partner, current, typed, error_text(exc)))

        dialog.finished.connect(done)
        dialog.open()

    def delete_contact(self) -> None:
        from gk_desktop.ui.case_view import confirm_delete

        partner = self._current_partner()
        contact = _selected(self.contacts_table, self.contacts_model)
        if partner is None or contact is None or self._vault is None:
            return
        if not confirm_delete(self, _("Delete contact person"), _("Delete the contact person “{name}”?").format(
                name=contact.get("name") or "")):
            return
        contacts = [dict(c) for c in partner.get("contacts") or [] if c.get("id") != contact["id"]]
        self._save_contacts(partner, contacts, None, lambda exc: show_error(self, exc))

    def _save_contacts(self, partner: dict[str, Any], contacts: list[dict[str, Any]], select: str | None,
                       failed: Callable[[BaseException], None]) -> None:
        """Store the partner's complete list of contact persons (those with an id are changed,
        missing ones deleted)."""
        from gk_desktop.services import offers

        vault = self._vault
        if vault is None:
            return
        partner_id = partner["id"]

        def saved(_id: str) -> None:
            self._select_partner = partner_id
            self._select_contact = select
            self.partner_status.setText(_("Contact persons of “{name}” saved.").format(
                name=partner.get("name") or ""))
            self.reload()
            self.changed.emit()

        Op(self, lambda _ctx: offers.save_partner(vault, {"contacts": contacts}, partner_id, source="gui")) \
            .on_success(self._live(saved)).on_failure(self._live(failed)).run()
