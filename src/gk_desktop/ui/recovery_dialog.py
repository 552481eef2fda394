"""Recovery with the recovery key: a new passphrase, then the new recovery key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.i18n import _
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import PassphrasePair, RecoveryKeyView


class RecoveryDialog(QDialog):
    """Recovery key plus a new passphrase; then shows the new recovery key."""

    def __init__(self, data_dir: Path, sheet: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.setWindowTitle(_("Recover with the recovery key"))
        self.resize(560, 420)
        intro = QLabel(_("Enter the recovery key from the recovery sheet and choose a new passphrase. "
                         "Afterwards the vault gets a new recovery key; the old sheet no longer works."))
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXXX-XXXXX-…")
        self.key.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        self.key.setAccessibleName(_("Recovery key"))
        self.pair = PassphrasePair()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Set new passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._recover)
        self.buttons.rejected.connect(self.reject)
        self.pair.changed.connect(self._update)
        self.key.textChanged.connect(self._update)
        self.key_view = RecoveryKeyView(sheet)
        self.key_view.hide()
        self.key_view.confirmed_changed.connect(self._confirmed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(_("Recovery key")))
        layout.addWidget(self.key)
        layout.addWidget(self.pair)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.key_view)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.key.text().strip()) and self.pair.is_acceptable())

    def _recover(self) -> None:
        key, new, data_dir = self.key.text(), self.pair.passphrase(), self.data_dir
        self.busy.show()
        self.ok.setEnabled(False)

        def work(_ctx: Any) -> str:
            from gk_desktop.paths import VaultPaths
            from gk_desktop.storage.vault import recover

            return recover(VaultPaths(data_dir), key, new, source="gui")

        Op(self, work).on_success(self._recovered).on_failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.message.setText(error_text(exc))
        self._update()

    def _recovered(self, printed: str) -> None:
        self.busy.hide()
        self.key.clear()
        self.pair.clear()
        for w in (self.key, self.pair):
            w.hide()
        self.message.setText(_("The new passphrase is set. Here is the new recovery key; the old one no longer works."))
        self.key_view.set_key(printed)
        self.key_view.show()
        self.buttons.clear()
        self.close_button = self.buttons.addButton(_("Done"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setEnabled(False)
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.accept)

    def _confirmed(self, checked: bool) -> None:
        self.close_button.setEnabled(checked)

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self.key_view.clear()
        super().done(result)
