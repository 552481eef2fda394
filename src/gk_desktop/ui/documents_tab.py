"""The "Dokumente" tab of the case view: the scans and PDFs of a client's file.

Attach by drag and drop or a file dialog (PDF, JPEG, PNG; the size limit and the content check
of :mod:`gk_desktop.services.documents` refuse the rest with a clear message), read them on the
right without leaving the app and without a temporary file (:class:`DocumentViewer`), export one
on purpose to a chosen path (the suggested name holds the case code and the type, never a name).
Reading a file and storing it run in the background.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import N_, _, language
from gk_desktop import labels
from gk_desktop.ui.document_viewer import DocumentViewer
from gk_desktop.ui.ops import Op, error_text, show_error
from gk_desktop.ui.widgets import format_date

FILE_FILTER = N_("Documents (*.pdf *.jpg *.jpeg *.png)")
FIELD_LABELS = {
    "doc_type": N_("Document type"), "title": N_("Title"), "date": N_("Date of the document"),
    "valid_until": N_("Valid until"), "source": N_("Source"), "purpose": N_("Purpose of the copy"),
    "delete_by": N_("Delete by"),
}
USED_BY = {
    "identity_effort": N_("identity and passport efforts"), "education_record": N_("school and education"),
    "language_certificate": N_("language certificates"), "work_record": N_("training and work"),
    "consent": N_("consents"), "agreement": N_("goal agreements"),
}


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else ""


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        text = f"{max(1, round(size / 1024))} KB"
    else:
        text = f"{size / (1024 * 1024):.1f} MB"
    return text.replace(".", ",") if language() == "de" else text


def document_label(row: dict[str, Any]) -> str:
    """How a document is named in lists and choices: its title, else its type, with the date."""
    name = row.get("title") or labels.label(labels.DOCUMENT_TYPE, row.get("type"))
    when = _date(row.get("date"))
    return f"{name} ({when})" if when else name


class DocumentsTab(QWidget):
    """Signals:
        changed(): a document was added, changed or deleted (the case view reloads the file).
    """

    changed = Signal()

    def __init__(self, vault: Any, limit_mb: Callable[[], int], parent: QWidget | None = None) -> None:
        from gk_desktop.ui.case_view import Column, RecordTableModel, _table

        super().__init__(parent)
        self._vault = vault
        self._limit_mb = limit_mb
        self.case_code: str | None = None
        self._queue: list[Path] = []
        self._busy = False
        self._shown_id: str | None = None
        self._select_after_load: str | None = None
        self.dialog: QDialog | None = None
        self.setAcceptDrops(True)

        self.model = RecordTableModel([
            Column(N_("Type"), lambda r: labels.label(labels.DOCUMENT_TYPE, r["type"])),
            Column(N_("Title"), lambda r: r["title"] or ""),
            Column(N_("Date"), lambda r: _date(r["date"])),
            Column(N_("Valid until"), lambda r: _date(r["valid_until"])),
            Column(N_("Delete by"), lambda r: _date(r["delete_by"])),
            Column(N_("Size"), lambda r: size_text(r["size"])),
            Column(N_("Case"), lambda r: str(r["case_number"])),
        ], self)
        self.table = _table(self.model, _("Documents"))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())

        self.attach_button = QPushButton(_("&Attach file …"))
        self.attach_button.setToolTip(_("Attach a PDF, JPEG or PNG (Ctrl+O); or drag files onto this tab"))
        self.attach_button.clicked.connect(self.choose_files)
        self.edit_button = QPushButton(_("Change details …"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.export_button = QPushButton(_("E&xport …"))
        self.export_button.setToolTip(_("Save a copy of the document to a folder of your choice (Ctrl+E)"))
        self.export_button.clicked.connect(self.export_selected)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for b in (self.attach_button, self.edit_button, self.export_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.hint = QLabel(_("Drag PDF, JPEG or PNG files here, or use “Attach file”. Documents are kept "
                             "encrypted in the vault; copies of identity documents only with a purpose "
                             "and a delete-by date."))
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status of the documents"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.viewer = DocumentViewer()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(buttons)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.details)
        ll.addWidget(self.hint)
        ll.addWidget(self.status)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        for key, slot in (("Ctrl+O", self.choose_files), ("Ctrl+E", self.export_selected),
                          (QKeySequence.StandardKey.Delete, self.delete_selected)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # -- content

    def set_documents(self, case_code: str, rows: list[dict[str, Any]]) -> None:
        """The documents of the file (as `client show` prints them); keeps the selection."""
        keep = self._select_after_load or self._current_id()
        self._select_after_load = None
        self.case_code = case_code
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        row = next((i for i, r in enumerate(rows) if r["id"] == keep), None)
        if row is not None:
            self.table.selectRow(row)
        else:
            self._shown_id = None
            self.viewer.clear()
            self.details.clear()
        self._update_buttons()

    def clear(self) -> None:
        """Drop every document and its bytes (the app locks)."""
        self._vault = None
        self.case_code = None
        self._queue.clear()
        self._shown_id = None
        self.model.set_rows([])
        self.viewer.clear()
        self.details.clear()
        self.status.clear()
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None

    def _current_id(self) -> str | None:
        row = self._current_row()
        return row["id"] if row else None

    def _current_row(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.row_at(rows[0].row())
        if index.isValid():
            return self.model.row_at(index.row())
        return None

    def _update_buttons(self) -> None:
        has = self._current_row() is not None
        for b in (self.edit_button, self.export_button, self.delete_button):
            b.setEnabled(has)
        self.attach_button.setEnabled(self._vault is not None and self.case_code is not None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if not current.isValid():
            return
        row = self.model.row_at(current.row())
        self._show_details(row)
        if row["id"] != self._shown_id:
            self._view(row)

    def _show_details(self, row: dict[str, Any]) -> None:
        parts = [labels.label(labels.DOCUMENT_TYPE, row["type"])]
        if row.get("source"):
            parts.append(_("from: {source}").format(source=labels.label(labels.DOCUMENT_SOURCE, row["source"])))
        if row.get("purpose"):
            parts.append(_("purpose: {purpose}").format(purpose=row["purpose"]))
        if row.get("used_by"):
            parts.append(_("linked in: {places}").format(
                places=", ".join(_(USED_BY.get(t, t)) for t in row["used_by"])))
        parts.append(_("added on {date}").format(date=_date(row["added_at"][:10])))
        self.details.setText(" · ".join(parts))

    def _view(self, row: dict[str, Any]) -> None:
        from gk_desktop.services import documents

        vault = self._vault
        if vault is None:
            return
        doc_id = row["id"]
        self._shown_id = doc_id

        def shown(result: tuple[Any, bytes]) -> None:
            if self._vault is None or self._shown_id != doc_id:
                return  # locked or another document chosen meanwhile
            found, data = result
            self.viewer.show_document(data, found.mime)

        def failed(exc: BaseException) -> None:
            if self._shown_id == doc_id:
                self.viewer.clear()
                self.status.setText(error_text(exc))

        Op(self, lambda _ctx: documents.read_document(vault, doc_id, source="gui")).on_success(shown) \
            .on_failure(failed).run()

    # -- attaching

    def choose_files(self) -> None:
        if self._vault is None or self.case_code is None:
            return
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        names, _filter = QFileDialog.getOpenFileNames(self, _("Attach documents"), start, _(FILE_FILTER))
        self.attach_files([Path(n) for n in names])

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.dragEnterEvent(event)

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        event.acceptProposedAction()
        self.attach_files([Path(url.toLocalFile()) for url in event.mimeData().urls()])

    def _accepts(self, mime: Any) -> bool:
        return (self._vault is not None and self.case_code is not None and mime.hasUrls()
                and all(url.isLocalFile() for url in mime.urls()))

    def attach_files(self, paths: list[Path]) -> None:
        """Attach each file in turn: read and check it in the background, then ask for its details."""
        self._queue.extend(paths)
        self._next()

    def _next(self) -> None:
        from gk_desktop.services import documents

        if self._busy or not self._queue or self._vault is None:
            return
        path = self._queue.pop(0)
        limit = self._limit_mb()
        self._busy = True
        self.status.setText(_("Reading {name} …").format(name=path.name))

        def read(_ctx: Any) -> tuple[str, bytes, str]:
            data = documents.read_file_checked(path, limit)
            return path.name, data, documents.check_file(path.name, data, limit)

        def refused(exc: BaseException) -> None:
            self._busy = False
            self.status.setText(_("{name}: {reason}").format(name=path.name, reason=error_text(exc)))
            self._next()

        Op(self, read, lane="io").on_success(lambda r: self._ask_details(*r)).on_failure(refused).run()

    def _fields(self) -> list[Any]:
        from gk_desktop.ui.record_editor import FieldSpec

        return [
            FieldSpec("doc_type", FIELD_LABELS["doc_type"], "enum", labels.DOCUMENT_TYPE, required=True),
            FieldSpec("title", FIELD_LABELS["title"], "text"),
            FieldSpec("date", FIELD_LABELS["date"], "date"),
            FieldSpec("valid_until", FIELD_LABELS["valid_until"], "date"),
            FieldSpec("source", FIELD_LABELS["source"], "enum", labels.DOCUMENT_SOURCE),
            FieldSpec("purpose", FIELD_LABELS["purpose"], "text"),
            FieldSpec("delete_by", FIELD_LABELS["delete_by"], "date"),
        ]

    @staticmethod
    def _validate(values: dict[str, Any]) -> list[str]:
        from gk_desktop.services import documents

        return [f"{_(FIELD_LABELS.get(key, key))}: {message}"
                for key, message in documents.field_problems(values)]

    def _dialog(self, title: str, values: dict[str, Any], intro: str) -> Any:
        from gk_desktop.ui.record_editor import RecordDialog

        dialog = RecordDialog(title, self._fields(), values, self, intro=intro, validate=self._validate)
        dialog.setMinimumWidth(520)
        self.dialog = dialog
        return dialog

    def _ask_details(self, name: str, data: bytes, mime: str) -> None:
        if self._vault is None or self.case_code is None:
            self._busy = False
            return
        self.status.clear()
        intro = _("{name} ({size}). For a copy of an identity document, state why it must be kept and "
                  "when it will be deleted.").format(name=name, size=size_text(len(data)))
        dialog = self._dialog(_("Attach document"), {"doc_type": "SONSTIGES", "source": "KLIENT",
                                                     "title": Path(name).stem}, intro)

        def done(result: int) -> None:
            self.dialog = None
            values = dialog.result_values
            if result != QDialog.DialogCode.Accepted or values is None or self._vault is None:
                self._busy = False
                self._next()
                return
            self._store(name, data, values)

        dialog.finished.connect(done)
        dialog.open()

    def _store(self, name: str, data: bytes, values: dict[str, Any]) -> None:
        from gk_desktop.services import documents

        vault, code, limit = self._vault, self.case_code, self._limit_mb()
        assert vault is not None and code is not None

        def stored(added: Any) -> None:
            self._busy = False
            self._select_after_load = added.id
            self.status.setText(_("{name} attached.").format(name=name))
            self.changed.emit()
            self._next()

        def failed(exc: BaseException) -> None:
            self._busy = False
            show_error(self, exc)
            self._next()

        Op(self, lambda _ctx: documents.add_document(vault, code, name, data, values, max_mb=limit, source="gui")) \
            .on_success(stored).on_failure(failed).run()

    # -- changing, exporting, deleting

    def edit_selected(self) -> None:
        from gk_desktop.services import documents

        row = self._current_row()
        if row is None or self._vault is None:
            return
        values = {"doc_type": row["type"], **{k: row[k] for k in FIELD_LABELS if k != "doc_type"}}
        dialog = self._dialog(_("Document details"), values, "")
        vault, doc_id = self._vault, row["id"]

        def done(result: int) -> None:
            self.dialog = None
            if result != QDialog.DialogCode.Accepted or dialog.result_values is None or self._vault is None:
                return
            changed = dialog.result_values
            Op(self, lambda _ctx: documents.update_document(vault, doc_id, changed, source="gui")) \
                .on_success(lambda _r: self.changed.emit()).run()

        dialog.finished.connect(done)
        dialog.open()

    def export_selected(self) -> None:
        from gk_desktop.services import documents

        row = self._current_row()
        if row is None or self._vault is None or self.case_code is None:
            return
        date = dt.date.fromisoformat(row["date"]) if row["date"] else None
        name = documents.suggested_name(self.case_code, row["type"], date, row["mime"])
        start = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)) / name
        target, _filter = QFileDialog.getSaveFileName(self, _("Export document"), str(start), _(FILE_FILTER))
        if not target:
            return
        vault, doc_id = self._vault, row["id"]
        self.status.setText(_("Exporting …"))
        Op(self, lambda _ctx: documents.export_document(vault, doc_id, Path(target), source="gui")) \
            .on_success(lambda _r: self.status.setText(_("Exported to {path}.").format(path=target))) \
            .on_failure(lambda exc: (self.status.clear(), show_error(self, exc))).run()

    def delete_selected(self) -> None:
        from gk_desktop.services import documents
        from gk_desktop.ui.case_view import confirm_delete

        row = self._current_row()
        if row is None or self._vault is None:
            return
        text = _("Delete “{name}” from the file? The file itself is deleted from the vault too.").format(
            name=document_label(row))
        if row["used_by"]:
            text += "\n\n" + _("It is linked in: {places}. The links are removed.").format(
                places=", ".join(_(USED_BY.get(t, t)) for t in row["used_by"]))
        if not confirm_delete(self, _("Delete document"), text):
            return
        vault, doc_id = self._vault, row["id"]
        self._shown_id = None
        self.viewer.clear()
        Op(self, lambda _ctx: documents.delete_document(vault, doc_id, source="gui")) \
            .on_success(lambda _n: (self.status.setText(_("Document deleted.")), self.changed.emit())).run()
