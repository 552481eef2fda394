"""Process hardening: no core dumps (SECURITY.md E2, finding 5)."""

from __future__ import annotations

import os


def disable_core_dumps() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if os.name == "posix":
        try:
            import ctypes

            libc = ctypes.CDLL(None)
            PR_SET_DUMPABLE = 4
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass
