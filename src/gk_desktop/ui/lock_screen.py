"""The lock screen: passphrase, unlock off the GUI thread, recovery with the recovery key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gk_desktop.errors import WrongSecretError
from gk_desktop.i18n import _
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.widgets import PassphrasePair, RecoveryKeyView, secret_field


class LockScreen(QWidget):
    """Signals:
        unlocked(object): the vault handle, after a successful unlock.
    """

    unlocked = Signal(object)

    def __init__(self, data_dir: Path, sheet: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._sheet = sheet
        self.setObjectName("LockScreen")
        title = QLabel(_("The vault is locked"))
        title.setObjectName("title")
        f = title.font()
        f.setPointSize(f.pointSize() + 6)
        title.setFont(f)
        hint = QLabel(_("Enter the passphrase to open the vault."))
        self.passphrase = secret_field(_("Passphrase"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: Argon2 takes about a second
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        # Room for a three-line message, so nothing moves or overlaps when one appears.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 3 + 6)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.forgot = QPushButton(_("Forgot the passphrase?"))
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self.open_recovery)

        box = QWidget()
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(hint)
        inner.addSpacing(8)
        inner.addWidget(self.passphrase)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.busy)
        inner.addSpacing(6)
        inner.addWidget(self.message)
        inner.addSpacing(8)
        inner.addWidget(self.forgot, alignment=Qt.AlignmentFlag.AlignLeft)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self._op: Op | None = None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.forgot.setEnabled(not busy)

    def unlock(self) -> None:
        text = self.passphrase.text()
        if not text or self._op is not None:
            return
        self.message.clear()
        self.set_busy(True)
        data_dir = self.data_dir

        def work(_ctx: Any) -> Any:
            # The heavy imports (SQLAlchemy, Alembic, SQLCipher) happen here, off the GUI thread.
            from gk_desktop.services import session

            return session.unlock(data_dir, text)

        self._op = Op(self, work).on_success(self._done).on_failure(self._failed)
        self._op.finished.connect(self._op_finished)
        self._op.run()

    def _op_finished(self) -> None:
        self._op = None

    def _done(self, vault: Any) -> None:
        self.set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit(vault)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.message.setText(error_text(exc))
        if isinstance(exc, WrongSecretError):
            self.passphrase.selectAll()
        self.passphrase.setFocus()

    def clear(self) -> None:
        self.passphrase.clear()
        self.message.clear()

    def open_recovery(self) -> None:
        RecoveryDialog(self.data_dir, self._sheet, self).exec()


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



