"""A small form for one record of a client's file (a residence period, a school record …).

Fields are described by :class:`FieldSpec`; the dialog returns the record as the JSON of
`client show` (ISO dates, enumeration identifiers), which :func:`gk_desktop.services.clients.update_client`
checks and stores. Dates are typed as dd.MM.yyyy (also ddmmyyyy); an impossible date is refused
in the dialog, before anything is sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import _
from gk_desktop import labels
from gk_desktop.ui.widgets import format_date


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # English source; translated when shown
    kind: str  # "text", "date", "enum", "bool", "choice", "multi" (several of ``choices``: a list), "int"
    # "enum": identifier → English label (translated); "choice": id → label shown as it is
    # (records of the file, e.g. the documents a certificate can point at).
    choices: dict[str, str] | None = None
    required: bool = False


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    from gk_desktop.ui.first_contact import parse_date_text

    return parse_date_text(text)


class RecordDialog(QDialog):
    def __init__(self, title: str, fields: list[FieldSpec], values: dict[str, Any] | None = None,
                 parent: QWidget | None = None, *, intro: str = "",
                 validate: Callable[[dict[str, Any]], list[str]] | None = None) -> None:
        """``validate``: further checks of the whole record (the service's rules), run before the
        dialog closes; its problems are shown in the dialog and nothing typed is lost."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self._fields = fields
        self._validate = validate
        self._values = dict(values or {})
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        for spec in fields:
            widget = self._make(spec, self._values.get(spec.key))
            self.widgets[spec.key] = widget
            label = QLabel(_(spec.label) + (" *" if spec.required else ""))
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.message.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.result_values: dict[str, Any] | None = None

    def _make(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.kind in ("enum", "choice"):
            combo = QComboBox()
            if not spec.required:
                combo.addItem("–", None)
            for key, text in (spec.choices or {}).items():
                combo.addItem(labels.label(spec.choices or {}, key) if spec.kind == "enum" else text, key)
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
            return combo
        if spec.kind == "multi":
            listing = QListWidget()
            chosen = set(value or [])
            for key in spec.choices or {}:
                item = QListWidgetItem(labels.label(spec.choices or {}, key))
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
                listing.addItem(item)
            listing.setMaximumHeight(min(200, 22 * max(3, listing.count()) + 6))
            return listing
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        edit = QLineEdit()
        if spec.kind == "date":
            edit.setPlaceholderText(_("DD.MM.YYYY"))
            if value:
                edit.setText(format_date(dt.date.fromisoformat(value)))
        elif value is not None:
            edit.setText(str(value))
        return edit

    def values(self) -> tuple[dict[str, Any] | None, list[str]]:
        """The record as JSON values, or the problems (field labels with what is wrong)."""
        out: dict[str, Any] = {}
        problems: list[str] = []
        for spec in self._fields:
            widget = self.widgets[spec.key]
            if spec.kind in ("enum", "choice"):
                value = widget.currentData()  # type: ignore[attr-defined]
            elif spec.kind == "multi":
                listing: QListWidget = widget  # type: ignore[assignment]
                value = [listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())
                         if listing.item(i).checkState() == Qt.CheckState.Checked]
                if spec.required and not value:
                    problems.append(f"{_(spec.label)}: {_('choose at least one')}")
                    continue
            elif spec.kind == "bool":
                value = widget.isChecked()  # type: ignore[attr-defined]
            else:
                text = widget.text().strip()  # type: ignore[attr-defined]
                if spec.kind == "date":
                    if text:
                        day, problem = parse_date(text)
                        if problem or day is None:
                            problems.append(f"{_(spec.label)}: {problem or _('not a valid date')}")
                            continue
                        value = day.isoformat()
                    else:
                        value = None
                elif spec.kind == "int":
                    if text and not text.isdigit():
                        problems.append(f"{_(spec.label)}: {_('expected a whole number from 0')}")
                        continue
                    value = int(text) if text else None
                else:
                    value = text  # "" clears a text field
            if spec.required and value in (None, ""):
                problems.append(f"{_(spec.label)}: {_('required')}")
                continue
            out[spec.key] = value
        return (None if problems else out), problems

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _accept(self) -> None:
        values, problems = self.values()
        if values is None:
            self.show_problem("\n".join(problems))
            return
        if self._validate is not None:
            problems = self._validate(values)
            if problems:
                self.show_problem("\n".join(problems))
                return
        self.result_values = values
        self.accept()
