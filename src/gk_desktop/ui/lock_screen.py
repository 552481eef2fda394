"""The lock screen: passphrase, unlock off the GUI thread, the way to recovery.

Kept small: it is the first thing painted, before any heavy import (ARCHITECTURE.md §2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from gk_desktop.errors import WrongSecretError
from gk_desktop.i18n import _
from gk_desktop.ui.ops import Op, error_text
from gk_desktop.ui.fields import secret_field


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
        self.passphrase = secret_field(_("Passphrase"), defer_hints=True)
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
        forgot_row = QHBoxLayout()
        forgot_row.addWidget(self.forgot)
        forgot_row.addStretch(1)
        inner.addLayout(forgot_row)
        # Centred by stretches: no Qt alignment enums on the start path (see fields.py).
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(box)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)
        self._op: Op | None = None
        self._setup_done = False

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._setup_done:
            # Right after the first paint: the rest of the set-up needs PySide6's Qt namespace,
            # whose enums take about 13 ms to create; the screen shows first.
            QTimer.singleShot(0, self, self._finish_setup)

    def _finish_setup(self) -> None:
        if self._setup_done:
            return
        from PySide6.QtCore import Qt

        from gk_desktop.ui.fields import apply_sensitive_hints

        apply_sensitive_hints(self.passphrase)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._setup_done = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.forgot.setEnabled(not busy)

    def unlock(self) -> None:
        self._finish_setup()
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
        from gk_desktop.ui.recovery_dialog import RecoveryDialog

        RecoveryDialog(self.data_dir, self._sheet, self).exec()
