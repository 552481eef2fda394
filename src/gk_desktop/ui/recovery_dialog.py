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
    """Recovery key plus a new passphrase, then the new recovery key.

    The new key is shown first and written (together with the new passphrase) only after the
    worker ticked "sicher aufbewahrt": closing the dialog before that changes nothing.
    """

    def __init__(self, data_dir: Path, sheet: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._busy = False
        self._printed = ""
        self.setWindowTitle(_("Recover with the recovery key"))
        self.resize(560, 420)
        intro = QLabel(_("Enter the recovery key from the recovery sheet and choose a new passphrase. "
                         "Afterwards the vault gets a new recovery key; the old sheet no longer works."))
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXXX-XXXXX-…")
        self.key.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        self.key.setAccessibleName(_("Recovery key"))
        self.key_label = QLabel(_("Recovery key"))
        self.pair = PassphrasePair()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Next"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._next)
        self.buttons.rejected.connect(self.reject)
        self.pair.changed.connect(self._update)
        self.key.textChanged.connect(self._update)
        self.key_view = RecoveryKeyView(sheet)
        self.key_view.hide()
        self.key_view.confirmed_changed.connect(lambda on: self.ok.setEnabled(on and not self._busy))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.key)
        layout.addWidget(self.pair)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.key_view)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        if not self._printed:
            self.ok.setEnabled(not self._busy and bool(self.key.text().strip()) and self.pair.is_acceptable())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.cancel.setEnabled(not busy)
        self.ok.setEnabled(False)

    def _next(self) -> None:
        from gk_desktop.services import session

        key, data_dir = self.key.text(), self.data_dir
        self._set_busy(True)
        if not self._printed:
            def check(_ctx: Any) -> str:
                session.verify_recovery_key(data_dir, key)
                return session.new_recovery_key_text()

            Op(self, check).on_success(self._show_key).on_failure(self._failed).run()
        else:
            new, printed = self.pair.passphrase(), self._printed
            Op(self, lambda _ctx: session.recover(data_dir, key, new, printed)) \
                .on_success(self._recovered).on_failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(error_text(exc))
        if self._printed:
            self.ok.setEnabled(self.key_view.confirm.isChecked())
        else:
            self._update()

    def _show_key(self, printed: str) -> None:
        self._set_busy(False)
        self._printed = printed
        for w in (self.key_label, self.key, self.pair):
            w.hide()
        self.message.setText(_("This is the new recovery key. The new passphrase and this key take effect "
                               "when you click \u201cSet new passphrase\u201d; until then nothing changes."))
        self.key_view.set_key(printed)
        self.key_view.show()
        self.ok.setText(_("Set new passphrase"))
        self.ok.setEnabled(False)

    def _recovered(self, _printed: str) -> None:
        self._set_busy(False)
        self.accept()

    def reject(self) -> None:
        if self._busy:  # the new passphrase and key are being written
            return
        super().reject()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self.key_view.clear()
        self.key.clear()
        self.pair.clear()
        self._printed = ""
        super().done(result)
