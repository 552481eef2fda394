"""Case codes such as ``GK-26-7F3Q9K``: year and random base32 with a check character.

Unique without coordination between devices (30 random bits per year: a collision among 10,000
codes of one year has a probability below 5 %, and the database's unique index catches it, so the
caller draws again); short enough to read out on the phone. Never derived from a counter.
"""

from __future__ import annotations

import datetime as dt
import secrets

# Crockford's base32: no I, L, O, U, which are misread on the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
PREFIX = "GK"


def _check(chars: str) -> str:
    total = sum((i + 1) * _INDEX[c] for i, c in enumerate(chars))
    return ALPHABET[total % 31]


def new_case_code(on: dt.date, rand: secrets.SystemRandom | None = None) -> str:
    pick = rand.choice if rand is not None else secrets.choice
    body = "".join(pick(ALPHABET) for _ in range(5))
    year = f"{on.year % 100:02d}"
    return f"{PREFIX}-{year}-{body}{_check(year + body)}"


def is_valid_case_code(code: str) -> bool:
    parts = code.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 2 or len(parts[2]) != 6:
        return False
    year, rest = parts[1], parts[2]
    if not year.isdigit() or any(c not in _INDEX for c in rest):
        return False
    return _check(year + rest[:5]) == rest[5]
