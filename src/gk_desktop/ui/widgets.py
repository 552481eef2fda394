"""Small widgets shared by the wizard, the lock screen and the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import _, language
from gk_desktop.ui.fields import secret_field


class PassphrasePair(QWidget):
    """New passphrase twice, with strength feedback and the vault's policy.

    Signals:
        changed: the entries or their assessment changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = secret_field(_("at least 14 characters, several words are best"))
        self.second = secret_field()
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_("New passphrase"), self.first)
        form.addRow(_("Repeat"), self.second)
        form.addRow(_("Strength"), self.meter)
        form.addRow("", self.feedback)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._ok = False
        self._update()

    def _update(self) -> None:
        from gk_desktop.storage.keys import assess_passphrase

        text = self.first.text()
        if not text:
            self.meter.setValue(0)
            self.feedback.setText(_("Tip: four or five unrelated words, e.g. from a dice list, are easy to remember and hard to guess."))
            self._ok = False
        else:
            result = assess_passphrase(text)
            self.meter.setValue(result.score if result.ok else min(result.score, 1))
            problems = list(result.problems)
            if result.ok and self.second.text() and self.second.text() != text:
                problems.append(_("The two entries differ."))
            if result.ok and not self.second.text():
                problems.append(_("Please repeat the passphrase."))
            self._ok = not problems
            self.feedback.setText(" ".join(problems) if problems else _("Good. Remember it well: nobody can look it up."))
        self.changed.emit()

    def is_acceptable(self) -> bool:
        return self._ok

    def passphrase(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()


def format_date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y") if language() == "de" else value.isoformat()


class RecoveryKeyView(QWidget):
    """Shows a recovery key with "Notfallblatt speichern" and a confirmation.

    Signals:
        confirmed_changed(bool): the worker ticked (or unticked) "stored safely".
    """

    confirmed_changed = Signal(bool)

    def __init__(self, sheet: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sheet = sheet
        self._key = ""
        intro = QLabel(_(
            "This is the recovery key of the vault. It is the only way back in if the passphrase "
            "is forgotten. Write it down or save the recovery sheet and print it, then keep it "
            "sealed in the office safe. Whoever holds it can open the vault."))
        intro.setWordWrap(True)
        self.key_label = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 3)
        font.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleName(_("Recovery key"))
        self.save_button = QPushButton(_("Save recovery sheet …"))
        self.save_button.clicked.connect(self._save)
        self.confirm = QCheckBox(_("I have stored the recovery key safely."))
        self.confirm.toggled.connect(self.confirmed_changed)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.key_label)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.confirm)

    def set_key(self, printed: str) -> None:
        self._key = printed
        groups = printed.split("-")
        self.key_label.setText("  ".join(groups[:5]) + "\n" + "  ".join(groups[5:10]) + "\n" + "  ".join(groups[10:]))
        self.confirm.setChecked(False)
        self.status.clear()

    def clear(self) -> None:
        self._key = ""
        self.key_label.clear()

    def _save(self) -> None:
        # Only where the worker chooses; the name carries no personal data.
        suggested = _("Recovery-sheet") + "-gk-desktop.pdf"
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save recovery sheet"), str(Path.home() / suggested), "PDF (*.pdf)")
        if not name:
            return
        from gk_desktop.ui.ops import Op

        key, sheet = self._key, self._sheet

        def work(_ctx: object) -> None:
            from gk_desktop.storage import fsutil

            fsutil.atomic_write(Path(name), sheet(key))  # PDF built in memory, written once

        def failed(_exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            QMessageBox.warning(self, _("Save recovery sheet"), _("The file could not be written. Please choose another place."))

        def done(_result: object) -> None:
            self.save_button.setEnabled(True)
            self.status.setText(_("Saved. Print it, keep the printout in the safe, and delete the file."))

        self.save_button.setEnabled(False)
        Op(self, work, lane="cpu").on_success(done).on_failure(failed).run()


def ask(parent: QWidget | None, title: str, text: str, verb: str, *, info: str = "",
        role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question, default_is_verb: bool = True) -> bool:
    """A question with a verb on its button and "Abbrechen" beside it (Esc cancels); True when the
    worker chose the verb."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if info:
        box.setInformativeText(info)
    yes = box.addButton(verb, role)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes if default_is_verb else cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is yes
