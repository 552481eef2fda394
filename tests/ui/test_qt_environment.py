"""The Qt runtime the app shell builds on works offscreen: widgets, QtPdf, and signals that keep
Python's reference counts (PySide6 6.12.0 did not)."""

from __future__ import annotations


def test_widget_renders_offscreen(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel("Tresor")
    qtbot.addWidget(label)
    label.resize(200, 40)
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    assert image.width() == 200 and image.height() == 40


def test_emitting_a_signal_keeps_reference_counts() -> None:
    """PySide6 6.12.0 dropped a reference to True on every Python-side emit(); after a few hundred
    emits (every background result, every search answer) the interpreter aborted."""
    import gc
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        with_value = Signal(object)
        bare = Signal()

    emitter = Emitter()
    received: list[object] = []
    emitter.with_value.connect(received.append)
    emitter.bare.connect(lambda: received.append(None))
    gc.collect()
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    for _ in range(200):
        emitter.with_value.emit(None)
        emitter.bare.emit()
    received.clear()
    gc.collect()
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    assert all(abs(a - b) < 50 for a, b in zip(after, before)), (before, after)


def test_qtpdf_is_available(qtbot) -> None:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.pageCount() == 0


def test_standard_buttons_keep_their_text_in_both_languages(qtbot) -> None:
    """The gettext bridge must not blank Qt's own strings it does not know (a null answer)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from gk_desktop.ui import i18n as ui_i18n

    app = QApplication.instance()
    expected = {"de": ["OK", "Abbrechen"], "en": ["OK", "Cancel"]}
    try:
        for lang, texts in expected.items():
            ui_i18n.install(app, lang)
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            qtbot.addWidget(box)
            assert sorted(b.text().replace("&", "") for b in box.buttons()) == sorted(texts)
        ui_i18n.install(app, "de")
        assert QCoreApplication.translate("any", "Recovery key") == "Notfallschlüssel"
    finally:
        ui_i18n.install(app, "de")


def test_garbage_is_collected_on_the_gui_thread_only(qapp, qtbot) -> None:
    """Cycles holding Qt objects must never be freed by a worker thread (a crash seen on the
    database lane): automatic collection is off, the GUI thread collects on a timer."""
    import gc
    import weakref

    from PySide6.QtCore import QObject

    from gk_desktop.ui import gc_guard

    guard = gc_guard.install(qapp)
    assert not gc.isenabled() and guard.timer.isActive()

    class Holder:
        pass

    holder = Holder()
    holder.me = holder  # a cycle
    holder.obj = QObject()
    gone = weakref.ref(holder)
    del holder
    for _ in range(guard.thresholds[0] + 10):
        Holder()  # allocations that would trigger an automatic collection
    assert gone() is not None  # not collected behind the GUI thread's back
    gc.collect()
    assert gone() is None
