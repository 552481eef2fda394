"""Background work off the GUI thread (STYLE.md 12-13).

``Op(parent, fn).on_success(cb).on_failure(cb).on_progress(cb).run()`` runs ``fn(ctx)`` in a
worker thread; ``ctx.progress(fraction)`` reports progress and ``ctx.cancelled`` tells whether the
worker should stop. Results come back through Qt signals to the GUI thread; workers never touch
widgets. Work on the vault runs on one dedicated thread (the ``db`` lane), so the vault's single
connection is never asked for twice; other work (PDFs, key derivation) uses the global pool.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from gk_desktop.errors import GkError
from gk_desktop.i18n import _

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a worker that noticed ``ctx.cancelled``."""


class OpContext:
    def __init__(self, emit_progress: Callable[[float], None]) -> None:
        self._emit = emit_progress
        self._cancel = threading.Event()

    def progress(self, fraction: float) -> None:
        self._emit(max(0.0, min(1.0, float(fraction))))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()


_db_pool: QThreadPool | None = None


def db_pool() -> QThreadPool:
    global _db_pool
    if _db_pool is None:
        _db_pool = QThreadPool()
        _db_pool.setMaxThreadCount(1)
    return _db_pool


class _Runner(QRunnable):
    def __init__(self, op: "Op") -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        op = self.op
        try:
            result = op._fn(op.ctx)
        except Cancelled:
            op._cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            if not isinstance(exc, GkError):
                log.error("background operation failed", exc_info=True)
            op._failed.emit(exc)
        else:
            op._succeeded.emit(result)


class Op(QObject):
    """One background operation. Keep no reference: it keeps itself alive until it ends."""

    _succeeded = Signal(object)
    _failed = Signal(object)
    _cancelled = Signal()
    _progressed = Signal(float)
    finished = Signal()

    _running: set["Op"] = set()

    def __init__(self, parent: QWidget | None, fn: Callable[[OpContext], Any], *, lane: str = "db") -> None:
        super().__init__()
        self._parent = parent
        self._fn = fn
        self._lane = lane
        self.ctx = OpContext(self._progressed.emit)
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = self._show_error
        self._on_cancel: Callable[[], None] | None = None
        self._succeeded.connect(self._handle_success)
        self._failed.connect(self._handle_failure)
        self._cancelled.connect(self._handle_cancel)

    def on_success(self, cb: Callable[[Any], None]) -> "Op":
        self._on_success = cb
        return self

    def on_failure(self, cb: Callable[[BaseException], None]) -> "Op":
        self._on_failure = cb
        return self

    def on_cancel(self, cb: Callable[[], None]) -> "Op":
        self._on_cancel = cb
        return self

    def on_progress(self, cb: Callable[[float], None]) -> "Op":
        self._progressed.connect(cb)
        return self

    def cancel(self) -> None:
        self.ctx.cancel()

    def run(self) -> "Op":
        Op._running.add(self)
        pool = db_pool() if self._lane == "db" else QThreadPool.globalInstance()
        pool.start(_Runner(self))
        return self

    # -- GUI thread

    def _end(self) -> None:
        Op._running.discard(self)
        self.finished.emit()

    def _parent_gone(self) -> bool:
        # The window that started the work may have been destroyed meanwhile (locking destroys
        # every view): its result then has nowhere to go and is dropped.
        import shiboken6

        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _handle_success(self, result: Any) -> None:
        try:
            if self._on_success and not self._parent_gone():
                self._on_success(result)
        finally:
            self._end()

    def _handle_failure(self, exc: BaseException) -> None:
        try:
            if self._on_failure and not self._parent_gone():
                self._on_failure(exc)
        finally:
            self._end()

    def _handle_cancel(self) -> None:
        try:
            if self._on_cancel and not self._parent_gone():
                self._on_cancel()
        finally:
            self._end()

    def _show_error(self, exc: BaseException) -> None:
        show_error(self._parent, exc)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, GkError):
        return exc.message
    return _("An unexpected error occurred. Details (without personal data) are in the log.")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    QMessageBox.warning(parent, _("Something went wrong"), error_text(exc))


def wait_all(timeout_ms: int = 30_000) -> bool:
    """Wait for every background operation (used on quit and in tests)."""
    ok = db_pool().waitForDone(timeout_ms)
    return QThreadPool.globalInstance().waitForDone(timeout_ms) and ok
