"""Auto-lock after inactivity (SECURITY.md D1: default 5 minutes, at most 15)."""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = {
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once when no input arrived for ``minutes``. The clock is injectable.

    Signals:
        idle: the idle time was reached.
        lock_key: Ctrl+L was pressed in any window, modal dialogs included (a window's own
            shortcut is blocked while a modal dialog is open).
    """

    idle = Signal()
    lock_key = Signal()

    def __init__(self, minutes: int, clock: Callable[[], float] = time.monotonic,
                 check_interval_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_s = minutes * 60.0
        self._last = clock()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._last = self._clock()
        self._fired = False
        QApplication.instance().installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._timeout_s = minutes * 60.0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in _INPUT_EVENTS:
            self._last = self._clock()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and _is_lock_key(event):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # deliver as a key press to us, not as some widget's shortcut
                return False
            self.lock_key.emit()
            return True
        return False

    def check(self) -> None:
        if not self._fired and self._clock() - self._last >= self._timeout_s:
            self._fired = True
            self.idle.emit()


def _is_lock_key(event: QEvent) -> bool:
    from PySide6.QtCore import Qt

    key = getattr(event, "key", None)
    mods = getattr(event, "modifiers", None)
    if key is None or mods is None:
        return False
    return key() == Qt.Key.Key_L and bool(mods() & Qt.KeyboardModifier.ControlModifier)
