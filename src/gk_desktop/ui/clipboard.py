"""Whatever the app puts on the clipboard (a case code, a phone number, selected text) is cleared
after 15 seconds and when the app locks (SECURITY.md: personal data outside the vault only as
long as needed)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 15_000
# Platforms whose clipboard does not report ownership: every change counts as the app's own.
_NO_OWNERSHIP = {"offscreen", "minimal", "wayland"}


class ClipboardGuard(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CLEAR_AFTER_MS)
        self.timer.timeout.connect(self.clear_if_ours)
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.dataChanged.connect(self._changed)

    def _ours(self) -> bool:
        clipboard = QGuiApplication.clipboard()
        if clipboard is None:
            return False
        return clipboard.ownsClipboard() or QGuiApplication.platformName() in _NO_OWNERSHIP

    def _changed(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and clipboard.text() and self._ours():
            self.timer.start()

    def clear_if_ours(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self._ours():
            clipboard.clear()

    def clear_now(self) -> None:
        self.timer.stop()
        self.clear_if_ours()


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard (the guard clears it after 15 s)."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
