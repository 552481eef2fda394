"""Logging, configured once per process (STYLE.md 20).

Log files live in ``<data dir>/logs``. They must never hold personal data or secrets, so besides
our own discipline (log lines name events, never values) two guards apply to every record:
exception tracebacks are written as frames and exception types only, without the exception's
message (which could quote a value), and anything that looks like key material (long hex or
base32 runs) is masked.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import traceback
from pathlib import Path

_SECRETISH = re.compile(r"(?:x')?[0-9a-fA-F]{32,}'?|(?:[A-Z2-7]{5}-){4,}[A-Z2-7]{5}")
LOG_FILE = "gk-desktop.log"


def scrub(text: str) -> str:
    return _SECRETISH.sub("<redacted>", text)


class SafeFormatter(logging.Formatter):
    """Formats exceptions without their messages, and masks key-like runs."""

    def formatException(self, ei) -> str:  # noqa: N802 - logging API name
        exc_type, _exc, tb = ei
        frames = traceback.extract_tb(tb)
        lines = ["Traceback (frames only; messages are not logged):"]
        for fr in frames:
            lines.append(f'  File "{Path(fr.filename).name}", line {fr.lineno}, in {fr.name}')
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}" if exc_type else "?")
        return "\n".join(lines)

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the formatted traceback in record.exc_text; another handler's cache
        # would carry the exception message, so format our own and restore theirs.
        cached = record.exc_text
        record.exc_text = None
        try:
            return scrub(super().format(record))
        finally:
            record.exc_text = cached


_configured = False


def setup_logging(log_dir: Path | None, *, console_level: int | None = None) -> None:
    """Rotating file log in ``log_dir`` (if given), optional console output (stderr)."""
    global _configured
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_gk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.INFO)
    fmt = SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            fh = logging.handlers.RotatingFileHandler(
                log_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
            fh.setFormatter(fmt)
            fh._gk = True  # type: ignore[attr-defined]
            root.addHandler(fh)
        except OSError:
            pass  # a read-only or missing folder must not stop the program
    if console_level is not None:
        ch = logging.StreamHandler(sys.stderr)
        ch.setLevel(console_level)
        ch.setFormatter(fmt)
        ch._gk = True  # type: ignore[attr-defined]
        root.addHandler(ch)
    # SQLAlchemy must never echo statements or parameters.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    _configured = True
