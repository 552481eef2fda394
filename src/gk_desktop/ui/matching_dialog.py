"""Passende Angebote: the offers of the regional directory checked against one client's file.

An offer *fits* when it matches the age, the current residence status, the German level and the
school qualification recorded in the file (:func:`gk_desktop.services.offers.matching_offers`);
for the others the dialog says why not, and for every offer what is still to be checked. It
never says a client is entitled to anything: whether a place is free and what the provider asks
for is clarified with the provider.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.consents_tab import MutedTableModel
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import format_date

INTRO = N_("Offers of the directory, checked against the age, residence status, German level and school "
           "qualification recorded in the file. Whether a place is free and what the provider asks for is "
           "clarified with the provider.")


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def age_text(age_min: int | None, age_max: int | None) -> str:
    if age_min is not None and age_max is not None:
        return _("{min} to {max} years").format(min=age_min, max=age_max)
    if age_min is not None:
        return _("from {min} years").format(min=age_min)
    if age_max is not None:
        return _("up to {max} years").format(max=age_max)
    return _("any age")


def remark_text(row: dict[str, Any]) -> str:
    """Why it does not fit, or what to check although it fits."""
    return "; ".join(row["notes"] if row["fits"] else row["reasons"])


def offer_html(row: dict[str, Any]) -> str:
    """The selected offer, every value escaped."""
    o = row["offer"]
    e = html.escape
    lines = [f"<h3>{e(o['name'] or '')}</h3>", '<table cellspacing="0" cellpadding="2">']

    def add(label: str, value: str) -> None:
        if value:
            lines.append(f"<tr><td><b>{e(label)}:</b>&nbsp;</td><td>{e(value)}</td></tr>")

    add(_("Category"), labels.label(labels.OFFER_CATEGORY, o["category"]))
    add(_("Provider"), o.get("provider") or "")
    add(_("Place"), o.get("place") or "")
    add(_("Schedule"), o.get("schedule") or "")
    add(_("Age"), age_text(o.get("age_min"), o.get("age_max")))
    statuses = o.get("statuses") or []
    add(_("Open to"), ", ".join(labels.label(labels.RESIDENCE_STATUS_SHORT, s) for s in statuses)
        if statuses else _("every residence status"))
    add(_("German from level"), o.get("min_language_level") or "")
    if o.get("min_qualification"):
        add(_("School qualification from"), labels.label(labels.QUALIFICATION, o["min_qualification"]))
    add(_("Target group"), o.get("target_group") or "")
    add(_("Prerequisites"), o.get("prerequisites") or "")
    add(_("Cost"), o.get("cost") or "")
    start, end = _date(o.get("runs_from")), _date(o.get("runs_until"))
    if start or end:
        add(_("Runs"), f"{start or '…'} – {end or '…'}")
    add(_("Places"), o.get("capacity_note") or "")
    add(_("Languages"), ", ".join(o.get("languages") or []))
    add(_("Details checked on"), _date(o.get("verified_on")))
    lines.append("</table>")
    if row["fits"]:
        lines.append("<p>" + e(_("The offer fits the recorded age, residence status, German level and "
                                 "school qualification.")) + "</p>")
    else:
        lines.append("<p><b>" + e(_("It does not fit the recorded data:")) + "</b></p><ul>")
        lines += [f"<li>{e(r)}</li>" for r in row["reasons"]]
        lines.append("</ul>")
    if row["notes"]:
        lines.append("<p><b>" + e(_("To check:")) + "</b></p><ul>")
        lines += [f"<li>{e(n)}</li>" for n in row["notes"]]
        lines.append("</ul>")
    return "".join(lines)


class MatchingDialog(QDialog):
    """Signals:
        loaded(): the offers are checked and shown.
    """

    loaded = Signal()

    def __init__(self, vault: Any, client_id: str, parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import Column, _table

        super().__init__(parent)
        self._vault = vault
        self.client_id = client_id
        self._all: list[dict[str, Any]] = []
        self.setWindowTitle(_("Matching offers"))
        intro = QLabel(_(INTRO))
        intro.setWordWrap(True)

        self.category = QComboBox()
        self.category.addItem(_("all categories"), None)
        for key in labels.OFFER_CATEGORY:
            self.category.addItem(labels.label(labels.OFFER_CATEGORY, key), key)
        self.category.currentIndexChanged.connect(lambda _i: self._filter())
        category_label = QLabel(_("&Category:"))
        category_label.setBuddy(self.category)
        self.count = QLabel(_("Checking the offers …"))
        filter_row = QHBoxLayout()
        filter_row.addWidget(category_label)
        filter_row.addWidget(self.category)
        filter_row.addSpacing(16)
        filter_row.addWidget(self.count, 1)

        self.model = MutedTableModel([
            Column(N_("Offer"), lambda r: r["name"]),
            Column(N_("Category"), lambda r: labels.label(labels.OFFER_CATEGORY, r["category"])),
            Column(N_("Provider"), lambda r: r["provider"] or ""),
            Column(N_("Place"), lambda r: r["place"] or ""),
            Column(N_("Fits"), lambda r: _("yes") if r["fits"] else _("no")),
            Column(N_("Why not / to check"), remark_text),
        ], lambda r: not r["fits"], self)
        self.table = _table(self.model, _("Matching offers"))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName(_("Offer details"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filter_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 700)
        self._load()

    def _load(self) -> None:
        from gk_desktop.services import offers

        vault, client_id = self._vault, self.client_id
        if vault is None:
            return

        def load(_ctx: Any) -> list[dict[str, Any]]:
            return [{
                "id": e.offer.id, "name": e.offer.name, "category": e.offer.category, "provider": e.offer.provider,
                "place": e.offer.place, "fits": e.fits, "reasons": list(e.reasons), "notes": list(e.notes),
                "offer": e.offer.as_json() | {"provider": e.offer.provider},
            } for e in offers.matching_offers(vault, client_id)]

        def failed(exc: BaseException) -> None:
            if self._vault is not None:
                self.count.setText(error_text(exc))

        Op(self, load).on_success(self._show).on_failure(failed).run()

    def _show(self, rows: list[dict[str, Any]]) -> None:
        if self._vault is None:
            return
        # Fitting offers first (the service's order within each group).
        self._all = sorted(rows, key=lambda r: not r["fits"])
        self._filter()
        self.loaded.emit()

    def _filter(self) -> None:
        wanted = self.category.currentData()
        rows = [r for r in self._all if wanted is None or r["category"] == wanted]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 280))
        fitting = sum(1 for r in rows if r["fits"])
        if not self._all:
            self.count.setText(_("There are no offers in the directory yet."))
        elif not rows:
            self.count.setText(_("No offers in this category."))
        else:
            self.count.setText(ngettext("Fitting: {n} of {m} offer", "Fitting: {n} of {m} offers",
                                        len(rows)).format(n=fitting, m=len(rows)))
        if rows:
            self.table.selectRow(0)
        else:
            self.detail.clear()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        self.detail.setHtml(offer_html(self.model.row_at(current.row())))

    def clear(self) -> None:
        """Drop everything (the app locks) and close."""
        self._vault = None
        self._all = []
        self.model.set_rows([])
        self.detail.clear()
        self.reject()


__all__ = ["MatchingDialog", "age_text", "offer_html", "remark_text"]
