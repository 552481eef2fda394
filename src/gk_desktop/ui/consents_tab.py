"""The "Einwilligungen" tab of the case view: a client's consents and every passing of data.

Each consent is recorded on its own (type, recipient, purpose, categories, form, language, dates,
the signed scan); revoking is one action with a date, and the consent stays as the record of what
it allowed before. Disclosures (Übermittlungen) are append-only: recorded with their legal basis,
never changed or deleted here. A disclosure resting on a consent is checked with
:func:`gk_desktop.services.consents.may_pass` before it is stored; a refusal is shown in the
dialog, with nothing typed lost.

Counselling never waits for a consent: nothing in this tab blocks any other part of the file.
All reading and writing runs in the background (:class:`gk_desktop.ui.ops.Op`); nothing is kept
once the app locks (:meth:`ConsentsTab.clear`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gk_desktop import labels
from gk_desktop.i18n import N_, _, ngettext
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.record_editor import FieldSpec, RecordDialog
from gk_desktop.ui.widgets import format_date
from gk_desktop.ui.tables import MutedTableModel

NOTE = N_("Counselling never depends on a consent to pass data to the immigration office. Each consent is "
          "recorded on its own; a release from confidentiality names its recipient.")
REVOKE_EFFECT = N_("From this day on the consent allows nothing; what was passed before stays on record.")

# The fields of the two dialogs: service key → English label (problems are shown with these).
CONSENT_FIELDS = {
    "consent_type": N_("Type of consent"), "partner_id": N_("Recipient"), "purpose": N_("Purpose"),
    "categories": N_("Categories of data"), "form": N_("Form"), "language": N_("Language of the form"),
    "interpreted": N_("Explained with an interpreter"), "given_on": N_("Given on"), "valid_until": N_("Valid until"),
    "document_id": N_("Signed scan"), "info_sheet_on": N_("Information sheet (Art. 13) handed out on"),
    "note": N_("Note"),
}
DISCLOSURE_FIELDS = {
    "on": N_("Date"), "partner_id": N_("Recipient"), "legal_basis": N_("Legal basis"),
    "legal_norm": N_("Legal norm (for a legal duty)"), "categories": N_("Categories of data"),
    "documents": N_("Documents passed"), "channel": N_("Channel"), "what": N_("What was passed"),
    "note": N_("Note"),
}
MUTED_STATUSES = frozenset({"WIDERRUFEN", "ABGELAUFEN"})

Index = QModelIndex | QPersistentModelIndex


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _today() -> dt.date:
    from gk_desktop.domain.clock import today

    return today()


def categories_text(categories: Any) -> str:
    """The categories of data, readable and comma-joined."""
    return ", ".join(labels.label(labels.DATA_CATEGORY, c) for c in categories or ())


def status_text(row: dict[str, Any]) -> str:
    """valid / expired / revoked on dd.MM.yyyy / not yet valid."""
    if row.get("status") == "WIDERRUFEN" and row.get("revoked_on"):
        return _("revoked on {date}").format(date=_date(row["revoked_on"]))
    return labels.label(labels.CONSENT_STATUS, row.get("status"))


def field_problems(items: list[str], fields: dict[str, str]) -> list[str]:
    """Problems of a service ("key: message") with the dialog's field labels instead of the keys."""
    out: list[str] = []
    for item in items:
        key, sep, message = item.partition(": ")
        base = key.split("[", 1)[0].split(".", 1)[0]
        if not sep or base not in fields:
            line = item
        else:
            for other, source in fields.items():  # "lies before given_on"
                if "_" in other:
                    message = re.sub(rf"\b{re.escape(other)}\b", _(source), message)
            line = f"{_(fields[base])}: {message}"
        if line not in out:
            out.append(line)
    return out


def _alive(dialog: QDialog) -> bool:
    """Still open (not closed, not deleted) when a background answer comes back."""
    import shiboken6

    return shiboken6.isValid(dialog) and dialog.isVisible()


class SavingDialog(RecordDialog):
    """A :class:`RecordDialog` that stays open while its record is checked and stored in the
    background: a refusal is shown in it and nothing typed is lost.

    ``save(values)`` starts the work; it ends with :meth:`succeed` or :meth:`refuse`.
    """

    def __init__(self, title: str, fields: list[FieldSpec], values: dict[str, Any] | None, parent: QWidget | None,
                 *, save: Callable[[dict[str, Any]], None], intro: str = "",
                 validate: Callable[[dict[str, Any]], list[str]] | None = None) -> None:
        super().__init__(title, fields, values, parent, intro=intro, validate=validate)
        self._save = save
        self.busy = False

    def _accept(self) -> None:
        if self.busy:
            return
        values, problems = self.values()
        if values is None:
            self.show_problem("\n".join(problems))
            return
        if self._validate is not None:
            problems = self._validate(values)
            if problems:
                self.show_problem("\n".join(problems))
                return
        self.message.hide()
        self._set_busy(True)
        self._save(values)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)

    def refuse(self, text: str) -> None:
        self._set_busy(False)
        self.show_problem(text)

    def succeed(self, values: dict[str, Any]) -> None:
        self._set_busy(False)
        self.result_values = values
        self.accept()


class RevokeDialog(QDialog):
    """Asks for the day of the revocation (default today). ``chosen(date)`` starts the work,
    which ends with :meth:`succeed` or :meth:`refuse` (the dialog stays open on a refusal)."""

    chosen = Signal(object)

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Revoke consent"))
        self.busy = False
        what = QLabel(summary)
        what.setWordWrap(True)
        what.setTextFormat(Qt.TextFormat.PlainText)
        effect = QLabel(_(REVOKE_EFFECT))
        effect.setWordWrap(True)
        self.day_edit = QLineEdit(format_date(_today()))
        self.day_edit.setPlaceholderText(_("DD.MM.YYYY"))
        day_label = QLabel(_("Revoked &on") + " *")
        day_label.setBuddy(self.day_edit)
        form = QFormLayout()
        form.addRow(day_label, self.day_edit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.message.hide()
        buttons = QDialogButtonBox()
        self.revoke_button = buttons.addButton(_("Revoke"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.revoke_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(effect)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _accept(self) -> None:
        from gk_desktop.ui.record_editor import parse_date

        if self.busy:
            return
        text = self.day_edit.text().strip()
        day, problem = parse_date(text)
        if day is None:
            self.refuse(problem or _("Enter the day of the revocation."))
            return
        self.message.hide()
        self.busy = True
        self.revoke_button.setEnabled(False)
        self.chosen.emit(day)

    def refuse(self, text: str) -> None:
        self.busy = False
        self.revoke_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()

    def succeed(self) -> None:
        self.busy = False
        self.accept()


class ConsentsTab(QWidget):
    """Signals:
        changed(): a consent or a disclosure was recorded, changed or revoked (the case view reloads).
        loaded(): the client's consents and disclosures are shown.
    """

    changed = Signal()
    loaded = Signal()

    def __init__(self, vault: Any, parent: QWidget | None = None) -> None:
        # Imported here: the case view imports this module (as it does the documents tab).
        from gk_desktop.ui.case_view import Column, _heading, _table

        super().__init__(parent)
        self._vault = vault
        self.case_code: str | None = None
        self.client_id: str | None = None
        self._generation = 0
        self._select_after_load: str | None = None
        self.partners: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self._disclosures_by_id: dict[str, dict[str, Any]] = {}
        self._consents_by_id: dict[str, dict[str, Any]] = {}
        self.dialog: QDialog | None = None

        self.note = QLabel(_(NOTE))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background: palette(alternate-base); padding: 6px; }")

        # Consents
        self.consents = MutedTableModel([
            Column(N_("Type"), lambda r: labels.label(labels.CONSENT_TYPE, r["consent_type"])),
            Column(N_("Recipient"), lambda r: r["recipient"] or ""),
            Column(N_("Categories"), lambda r: categories_text(r["categories"])),
            Column(N_("Given on"), lambda r: _date(r["given_on"])),
            Column(N_("Valid until"), lambda r: _date(r["valid_until"])),
            Column(N_("Status"), status_text),
        ], lambda r: r["status"] in MUTED_STATUSES, self)
        self.consents_table = _table(self.consents, _("Consents"))
        self.consents_table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.consents_table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(_("Rec&ord consent …"))
        self.add_button.setToolTip(_("Record a consent of the client (Ctrl+Shift+E)"))
        self.add_button.clicked.connect(self.add_consent)
        self.edit_button = QPushButton(_("Change …"))
        self.edit_button.setToolTip(_("Correct the details of the selected consent (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.revoke_button = QPushButton(_("Re&voke …"))
        self.revoke_button.setToolTip(_("The client withdraws the selected consent from a given day on"))
        self.revoke_button.clicked.connect(self.revoke_selected)
        consent_buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.revoke_button):
            consent_buttons.addWidget(b)
        consent_buttons.addStretch(1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.used_in = QLabel()
        self.used_in.setWordWrap(True)
        self.used_in.setTextFormat(Qt.TextFormat.PlainText)
        self.used_in.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.used_in.setAccessibleName(_("Used in"))

        # Disclosures
        self.disclosures = MutedTableModel([
            Column(N_("Date"), lambda r: _date(r["on"])),
            Column(N_("Recipient"), lambda r: r["recipient"] or ""),
            Column(N_("Legal basis"), self._basis_text),
            Column(N_("Categories"), lambda r: categories_text(r["categories"])),
            Column(N_("Channel"), lambda r: labels.label(labels.SECURE_CHANNEL, r["channel"])),
            Column(N_("What"), lambda r: r["what"] or ""),
        ], lambda _r: False, self)
        self.disclosures_table = _table(self.disclosures, _("Disclosures"))
        self.disclose_button = QPushButton(_("Record a disc&losure …"))
        self.disclose_button.setToolTip(_("Record that data of the client were passed on, with the legal basis"))
        self.disclose_button.clicked.connect(self.record_disclosure)
        disclosure_buttons = QHBoxLayout()
        disclosure_buttons.addWidget(self.disclose_button)
        disclosure_buttons.addStretch(1)
        disclosure_note = QLabel(_("Every passing of data is kept as it was recorded; it cannot be changed or "
                                   "deleted."))
        disclosure_note.setWordWrap(True)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the consents"))

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(_heading(_("Consents")))
        tl.addLayout(consent_buttons)
        tl.addWidget(self.consents_table, 1)
        tl.addWidget(self.details)
        tl.addWidget(self.used_in)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 10, 0, 0)
        bl.addWidget(_heading(_("Disclosures")))
        bl.addLayout(disclosure_buttons)
        bl.addWidget(self.disclosures_table, 1)
        bl.addWidget(disclosure_note)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        add_key = QShortcut(QKeySequence("Ctrl+Shift+E"), self)
        add_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add_key.activated.connect(self.add_consent)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.consents_table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.edit_selected)
        self._show_selected(None)
        self._update_buttons()

    # -- loading

    def set_client(self, case_code: str, client_id: str) -> None:
        """Show the consents and disclosures of this client (loaded in the background)."""
        if client_id != self.client_id:
            self._drop_rows()
        self.case_code, self.client_id = case_code, client_id
        self.reload()

    def reload(self) -> None:
        from gk_desktop.services import consents, documents, offers

        vault, client_id = self._vault, self.client_id
        if vault is None or client_id is None:
            return
        self._generation += 1
        generation = self._generation

        def load(_ctx: Any) -> dict[str, Any]:
            return {
                "consents": [r.as_json() for r in consents.list_consents(vault, client_id)],
                "disclosures": [r.as_json() for r in consents.list_disclosures(vault, client_id)],
                "partners": [{"id": p.id, "name": p.name, "partner_type": p.partner_type}
                             for p in offers.list_partners(vault)],
                "documents": [d.as_json() for d in documents.list_documents(vault, client_id=client_id)],
            }

        def failed(exc: BaseException) -> None:
            if generation == self._generation and self._vault is not None:
                self.status.setText(error_text(exc))

        Op(self, load).on_success(lambda data: self._show(generation, data)).on_failure(failed).run()

    def _show(self, generation: int, data: dict[str, Any]) -> None:
        if generation != self._generation or self._vault is None:
            return  # another client chosen meanwhile, or locked
        keep = self._select_after_load or self._current_id()
        self._select_after_load = None
        self.partners = data["partners"]
        self.documents = data["documents"]
        self._consents_by_id = {c["id"]: c for c in data["consents"]}
        self._disclosures_by_id = {d["id"]: d for d in data["disclosures"]}
        self.consents.set_rows(data["consents"])
        self.disclosures.set_rows(data["disclosures"])
        for table in (self.consents_table, self.disclosures_table):
            table.resizeColumnsToContents()
            for col in range(table.model().columnCount() - 1):
                table.setColumnWidth(col, min(table.columnWidth(col), 300))
        row = next((i for i, r in enumerate(data["consents"]) if r["id"] == keep), None)
        if row is not None:
            self.consents_table.selectRow(row)
        self._show_selected(self._current_row())
        self._update_buttons()
        self.loaded.emit()

    def _drop_rows(self) -> None:
        self._generation += 1
        self._select_after_load = None
        self.partners, self.documents = [], []
        self._consents_by_id, self._disclosures_by_id = {}, {}
        self.consents.set_rows([])
        self.disclosures.set_rows([])
        self.details.clear()
        self.used_in.clear()
        self.status.clear()
        self._update_buttons()

    def clear(self) -> None:
        """Drop everything (the app locks); an open dialog is closed without saving."""
        self._vault = None
        self.case_code = self.client_id = None
        self._drop_rows()
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()
        self._update_buttons()

    # -- the selected consent

    def _current_row(self) -> dict[str, Any] | None:
        rows = self.consents_table.selectionModel().selectedRows()
        if rows:
            return self.consents.row_at(rows[0].row())
        index = self.consents_table.currentIndex()
        if index.isValid() and index.row() < self.consents.rowCount():
            return self.consents.row_at(index.row())
        return None

    def _current_id(self) -> str | None:
        row = self._current_row()
        return row["id"] if row else None

    def _update_buttons(self) -> None:
        ready = self._vault is not None and self.client_id is not None
        row = self._current_row() if ready else None
        self.add_button.setEnabled(ready)
        self.disclose_button.setEnabled(ready)
        self.edit_button.setEnabled(row is not None and row["status"] != "WIDERRUFEN")
        self.revoke_button.setEnabled(row is not None and row["status"] != "WIDERRUFEN")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        self._show_selected(self.consents.row_at(current.row()) if current.isValid() else None)

    def _show_selected(self, row: dict[str, Any] | None) -> None:
        if row is None:
            self.details.clear()
            self.details.hide()
            self.used_in.setText(_("Select a consent to see what it allows and where it was used."))
            return
        parts = []
        if row.get("purpose"):
            parts.append(_("Purpose: {purpose}").format(purpose=row["purpose"]))
        parts.append(labels.label(labels.CONSENT_FORM, row.get("form")))
        language = row.get("language") or "–"
        if row.get("interpreted"):
            parts.append(_("language: {language}, explained with an interpreter").format(language=language))
        else:
            parts.append(_("language: {language}").format(language=language))
        if row.get("document_id"):
            parts.append(_("signed scan: {document}").format(document=self._document_name(row["document_id"])))
        if row.get("info_sheet_on"):
            parts.append(_("information sheet handed out on {date}").format(date=_date(row["info_sheet_on"])))
        if row.get("note"):
            parts.append(_("note: {note}").format(note=" ".join(row["note"].split())))
        self.details.setText(" · ".join(parts))
        self.details.show()
        used = [self._disclosures_by_id[d] for d in row.get("used_in") or () if d in self._disclosures_by_id]
        if not used:
            self.used_in.setText(_("Used in: not used yet."))
            return
        lines = [_("Used in:")]
        for d in used:
            lines.append("• " + " · ".join(p for p in (_date(d["on"]), d["recipient"] or "", d["what"] or "") if p))
        self.used_in.setText("\n".join(lines))

    def _document_name(self, doc_id: str | None) -> str:
        from gk_desktop.ui.documents_tab import document_label

        for d in self.documents:
            if d["id"] == doc_id:
                return document_label(d)
        return "–"

    def _basis_text(self, row: dict[str, Any]) -> str:
        basis = labels.label(labels.LEGAL_BASIS, row["legal_basis"])
        if row["legal_basis"] == "EINWILLIGUNG" and row.get("consent_id") in self._consents_by_id:
            return _("consent of {date}").format(date=_date(self._consents_by_id[row["consent_id"]]["given_on"]))
        if row.get("legal_norm"):
            norm = " ".join(row["legal_norm"].split())
            return f"{basis} ({norm})"
        return basis

    # -- choices

    def _partner_choices(self) -> dict[str, str]:
        return {p["id"]: p["name"] for p in self.partners}

    def _document_choices(self) -> dict[str, str]:
        from gk_desktop.ui.documents_tab import document_label

        return {d["id"]: document_label(d) for d in self.documents}

    @staticmethod
    def _with_placeholder(dialog: RecordDialog, key: str) -> None:
        """A required choice starts empty ("–"): the worker chooses on purpose."""
        combo = dialog.widgets[key]
        if combo.findData(None) < 0:  # type: ignore[attr-defined]
            combo.insertItem(0, "–", None)  # type: ignore[attr-defined]
        combo.setCurrentIndex(0)  # type: ignore[attr-defined]

    # -- consents

    def _consent_fields(self) -> list[FieldSpec]:
        f = CONSENT_FIELDS
        return [
            FieldSpec("consent_type", f["consent_type"], "enum", labels.CONSENT_TYPE, required=True),
            FieldSpec("partner_id", f["partner_id"], "choice", self._partner_choices()),
            FieldSpec("purpose", f["purpose"], "text"),
            FieldSpec("categories", f["categories"], "multi", labels.DATA_CATEGORY),
            FieldSpec("form", f["form"], "enum", labels.CONSENT_FORM, required=True),
            FieldSpec("language", f["language"], "text"),
            FieldSpec("interpreted", f["interpreted"], "bool"),
            FieldSpec("given_on", f["given_on"], "date", required=True),
            FieldSpec("valid_until", f["valid_until"], "date"),
            FieldSpec("document_id", f["document_id"], "choice", self._document_choices()),
            FieldSpec("info_sheet_on", f["info_sheet_on"], "date"),
            FieldSpec("note", f["note"], "text"),
        ]

    @staticmethod
    def _consent_data(values: dict[str, Any]) -> dict[str, Any]:
        data = dict(values)
        data["language"] = (data.get("language") or "").strip() or "de"
        return data

    def _validate_consent(self, values: dict[str, Any]) -> list[str]:
        from gk_desktop.services.consents import parse_consent
        from gk_desktop.services.records import Problems

        problems = Problems()
        parse_consent(self._consent_data(values), problems, partial=False)
        return field_problems(problems.items, CONSENT_FIELDS)

    def add_consent(self, prefill: dict[str, Any] | None = None) -> None:
        """Open the form for a new consent; ``prefill`` (recipient, categories, purpose …) comes
        from a referral that waits for it."""
        if self._vault is None or self.case_code is None or self.dialog is not None:
            return
        values = {"form": "SCHRIFTLICH", "language": "de", "given_on": _today().isoformat()}
        if prefill:
            values.update({"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", **prefill})
        self._consent_dialog(None, values)

    def edit_selected(self) -> None:
        row = self._current_row()
        if row is None or self._vault is None or self.dialog is not None:
            return
        if row["status"] == "WIDERRUFEN":
            self.status.setText(_("A revoked consent is kept as it was. Record a new consent instead."))
            return
        self._consent_dialog(row, {k: row.get(k) for k in CONSENT_FIELDS})

    def _consent_dialog(self, current: dict[str, Any] | None, values: dict[str, Any]) -> None:
        from gk_desktop.services import consents

        vault, code = self._vault, self.case_code
        intro = _("A release from confidentiality names its recipient, its purpose and the categories of data it "
                  "covers. Record each consent on its own.")
        used = len((current or {}).get("used_in") or ())
        if used:
            intro += "\n" + ngettext(
                "It is the legal basis of {n} disclosure: correct only what was recorded wrongly.",
                "It is the legal basis of {n} disclosures: correct only what was recorded wrongly.", used).format(n=used)

        def save(data: dict[str, Any]) -> None:
            data = self._consent_data(data)
            if current is None:
                work: Callable[[Any], Any] = lambda _ctx: consents.add_consent(vault, code, data, source="gui")
            else:
                consent_id = current["id"]
                work = lambda _ctx: consents.update_consent(vault, consent_id, data, source="gui")  # noqa: E731

            def stored(result: Any) -> None:
                if current is None and isinstance(result, str):
                    self._select_after_load = result
                self._written(dialog, data, _("Consent recorded.") if current is None else _("Consent changed."))

            Op(self, work).on_success(stored).on_failure(lambda exc: self._refused(dialog, exc)).run()

        title = _("Record consent") if current is None else _("Change consent")
        dialog = SavingDialog(title, self._consent_fields(), values, self, save=save, intro=intro,
                              validate=self._validate_consent)
        if current is None and not values.get("consent_type"):
            self._with_placeholder(dialog, "consent_type")  # chosen on purpose, unless a referral asks for one
        dialog.setMinimumWidth(560)
        self._open(dialog)

    def revoke_selected(self) -> None:
        from gk_desktop.services import consents

        row = self._current_row()
        if row is None or self._vault is None or self.dialog is not None or row["status"] == "WIDERRUFEN":
            return
        kind = labels.label(labels.CONSENT_TYPE, row["consent_type"])
        if row.get("recipient"):
            summary = _("{kind} towards {recipient}, given on {date}.").format(
                kind=kind, recipient=row["recipient"], date=_date(row["given_on"]))
        else:
            summary = _("{kind}, given on {date}.").format(kind=kind, date=_date(row["given_on"]))
        dialog = RevokeDialog(summary, self)
        vault, consent_id = self._vault, row["id"]

        def revoke(day: dt.date) -> None:
            Op(self, lambda _ctx: consents.revoke_consent(vault, consent_id, day, source="gui")) \
                .on_success(lambda _r: self._written(dialog, None, _("Consent revoked."))) \
                .on_failure(lambda exc: self._refused(dialog, exc)).run()

        dialog.chosen.connect(revoke)
        self._open(dialog)

    # -- disclosures

    def _disclosure_fields(self) -> list[FieldSpec]:
        f = DISCLOSURE_FIELDS
        return [
            FieldSpec("on", f["on"], "date", required=True),
            FieldSpec("partner_id", f["partner_id"], "choice", self._partner_choices(), required=True),
            FieldSpec("legal_basis", f["legal_basis"], "enum", labels.LEGAL_BASIS, required=True),
            FieldSpec("legal_norm", f["legal_norm"], "text"),
            FieldSpec("categories", f["categories"], "multi", labels.DATA_CATEGORY, required=True),
            FieldSpec("documents", f["documents"], "multi", self._document_choices()),
            FieldSpec("channel", f["channel"], "enum", labels.SECURE_CHANNEL, required=True),
            FieldSpec("what", f["what"], "text"),
            FieldSpec("note", f["note"], "text"),
        ]

    @staticmethod
    def _validate_disclosure(values: dict[str, Any]) -> list[str]:
        from gk_desktop.services.consents import parse_disclosure
        from gk_desktop.services.records import Problems

        problems = Problems()
        parse_disclosure(values, problems)
        return field_problems(problems.items, DISCLOSURE_FIELDS)

    def record_disclosure(self) -> None:
        from gk_desktop.services import consents

        if self._vault is None or self.case_code is None or self.client_id is None or self.dialog is not None:
            return
        vault, code, client_id = self._vault, self.case_code, self.client_id
        intro = _("Record what was passed, to whom and on which legal basis. With the basis “consent”, a valid "
                  "release from confidentiality towards this recipient must cover every category. A legal duty "
                  "names its norm.")

        def save(data: dict[str, Any]) -> None:
            def work(_ctx: Any) -> tuple[str, str]:
                if data["legal_basis"] == "EINWILLIGUNG":
                    with vault.session() as s:
                        answer = consents.may_pass(s, client_id, data["partner_id"], data["categories"],
                                                   dt.date.fromisoformat(data["on"]))
                    if not answer.allowed:
                        return "refused", answer.reason
                return "stored", consents.record_disclosure(vault, code, data, source="gui")

            def done(result: tuple[str, str]) -> None:
                kind, text = result
                if kind == "refused" and not _alive(dialog):
                    return  # cancelled meanwhile
                if kind == "refused":
                    button = self.add_button.text().replace("&", "")
                    hint = _("Record the consent first (button “{button}”).").format(button=button)
                    dialog.refuse(text + "\n" + hint)
                else:
                    self._written(dialog, data, _("Disclosure recorded."))

            Op(self, work).on_success(done).on_failure(lambda exc: self._refused(dialog, exc)).run()

        values = {"on": _today().isoformat(), "legal_basis": "EINWILLIGUNG", "channel": "PERSOENLICH"}
        dialog = SavingDialog(_("Record a disclosure"), self._disclosure_fields(), values, self, save=save,
                              intro=intro, validate=self._validate_disclosure)
        self._with_placeholder(dialog, "partner_id")
        dialog.setMinimumWidth(560)
        self._open(dialog)

    # -- dialogs and writes

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()  # what was typed goes with it

        dialog.finished.connect(finished)
        dialog.open()

    def _written(self, dialog: QDialog, values: dict[str, Any] | None, message: str) -> None:
        """A write went through: close its dialog, show the new state, tell the case view."""
        if self._vault is None:
            return
        if _alive(dialog):
            if isinstance(dialog, SavingDialog):
                dialog.succeed(values or {})
            elif isinstance(dialog, RevokeDialog):
                dialog.succeed()
        self.status.setText(message)
        self.reload()
        self.changed.emit()

    def _refused(self, dialog: QDialog, exc: BaseException) -> None:
        from gk_desktop.ui.ops import show_error

        if self._vault is None:
            return
        if _alive(dialog) and isinstance(dialog, (SavingDialog, RevokeDialog)):
            dialog.refuse(error_text(exc))
        else:
            show_error(self, exc)


__all__ = ["ConsentsTab", "MutedTableModel", "RevokeDialog", "SavingDialog", "categories_text", "field_problems",
           "status_text"]
