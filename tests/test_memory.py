"""Freed memory goes back to the system after a lock (the next unlock's Argon2 starts from what is in use)."""

from __future__ import annotations

import sys

import pytest

from gk_desktop import memory


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_returns_freed_heap() -> None:
    memory.release()
    before = _rss_kib()
    junk = [bytes(600) for _ in range(150_000)]  # ~100 MiB of small blocks on the heap
    grown = _rss_kib()
    del junk
    memory.release()
    after = _rss_kib()
    assert grown - before > 50_000
    assert after - before < (grown - before) / 2
