"""Durable file writes: temp name, fsync, rename, fsync of the directory.

Each step is a separate function call through ``STEPS`` so that crash-injection tests (SECURITY.md
B3) can fail at any one of them.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


def stale_temp_files(path: Path) -> list[Path]:
    """Temp files of ``path`` left by a crash (a pattern no other file matches)."""
    return sorted(path.parent.glob(f".{path.name}.*.part"))


def _write_temp(path: Path, data: bytes) -> Path:
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _replace(tmp: Path, path: Path) -> None:
    os.replace(tmp, path)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content."""
    tmp = _write_temp(path, data)
    try:
        _replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        _fsync_dir(path.parent)
    except OSError:
        # The new content is in place; only the rename's durability is uncertain. Reporting a
        # failure now would tell the worker the change did not happen when it did.
        log.warning("fsync of the folder failed after a replace")


def private_mkdir(path: Path) -> None:
    """Create a directory readable only by the user (where the OS has such permissions)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
