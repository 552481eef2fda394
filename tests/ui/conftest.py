"""Qt tests collect garbage on the GUI thread only, as the app does (gk_desktop.ui.gc_guard)."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp):
    from gk_desktop.ui import gc_guard

    gc_guard.install(qapp)
    yield
    from gk_desktop.ui import ops

    ops.wait_all()
    gc.collect()
