"""UUIDv7 (RFC 9562): time-ordered ids made on the device, no coordination needed.

Python 3.14 has ``uuid.uuid7``; before that this small generator does the same, monotonic within
one millisecond (the 12-bit ``rand_a`` field is a counter, as RFC 9562 §6.2 method 1 allows).
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:  # exhausted within this millisecond: borrow the next one
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= _counter << 64
        value |= 0b10 << 62
        value |= rand_b
    return uuid.UUID(int=value)


def uuid7_str() -> str:
    return str(uuid7())


def uuid5_str(key: str) -> str:
    """Fixed ids for seed rows, the same on every device."""
    return str(uuid.uuid5(uuid.UUID("6f6b2b8e-9c55-4d2e-8a3a-3c1f2a6f0b11"), key))
