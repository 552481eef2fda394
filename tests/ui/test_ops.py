"""The background-operation helper: results, errors and cancel come back on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from gk_desktop.errors import WrongSecretError
from gk_desktop.ui.ops import Op, wait_all


def test_success_and_progress_on_the_gui_thread(qtbot) -> None:
    seen = {}
    gui = QThread.currentThread()

    def work(ctx):
        seen["worker"] = threading.current_thread().name
        ctx.progress(0.5)
        return 42

    progress = []
    op = Op(None, work).on_progress(progress.append).on_success(lambda r: seen.update(result=r, thread=QThread.currentThread()))
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
    assert seen["result"] == 42 and seen["thread"] is gui
    assert progress == [0.5]


def test_failure_goes_to_the_handler(qtbot) -> None:
    errors = []
    op = Op(None, lambda ctx: (_ for _ in ()).throw(WrongSecretError("nein"))).on_failure(errors.append)
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
    assert isinstance(errors[0], WrongSecretError)


def test_cancel_stops_the_worker(qtbot) -> None:
    started = threading.Event()
    cancelled = []

    def work(ctx):
        started.set()
        while True:
            ctx.check()

    op = Op(None, work, lane="cpu").on_cancel(lambda: cancelled.append(True)).on_success(lambda r: None)
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
        assert started.wait(5)
        op.cancel()
    assert cancelled == [True]
    assert wait_all(5000)


def test_result_for_a_destroyed_window_is_dropped(qtbot) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    release = threading.Event()
    called = []

    def work(ctx):
        release.wait(5)
        return 1

    op = Op(label, work).on_success(lambda r: called.append(label.text()))
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
        label.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        release.set()
    assert called == []
