"""Giving freed memory back to the system.

Python frees objects at once, but glibc keeps the freed heap for later use, so a process that
once held the deadlines of 10,000 files stays that large. Unlocking derives the key with Argon2id
(512 MiB) on top of whatever the process holds then; SECURITY.md caps the peak at 1.5 × that. After
locking (and before the next unlock) the app hands freed memory back, so the next unlock starts
from what is really in use. No personal data stay in the pages returned: they were freed objects.
"""

from __future__ import annotations

import ctypes
import gc
import sys


def release() -> None:
    """Collect garbage and return the freed heap to the system (glibc's malloc_trim; elsewhere
    just the collection)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass
