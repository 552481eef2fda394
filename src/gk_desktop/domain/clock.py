""""Today" for everything that depends on the date; ``GK_TODAY`` fixes it for tests and demos."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    value = os.environ.get("GK_TODAY")
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return dt.date.today()
