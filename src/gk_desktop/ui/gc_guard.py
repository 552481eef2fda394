"""Python's cyclic garbage collector runs on whichever thread happens to allocate when a threshold
is crossed. When that is a worker of the database lane and the garbage holds Qt objects made on
the GUI thread (a document's QBuffer, a dialog's closures), their C++ destructors run on the wrong
thread and the process can crash (seen as a segfault inside ``show_client`` on a worker).

So, as Anki and pyqtgraph do, automatic collection is switched off and the GUI thread collects on
a timer, generation by generation when the counts call for it. Reference counting still frees
everything that is not in a cycle at once.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (on the GUI thread)."""
        l0, l1, l2 = gc.get_count()
        if l0 > self.thresholds[0]:
            generation = 0
            if l1 > self.thresholds[1]:
                generation = 1
                if l2 > self.thresholds[2]:
                    generation = 2
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


_guard: GarbageCollector | None = None


def install(app: QObject) -> GarbageCollector:
    """Once per process: collect on the GUI thread from now on."""
    global _guard
    if _guard is None:
        _guard = GarbageCollector(app)
    return _guard
