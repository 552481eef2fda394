"""Durable file writes: temp name, fsync, rename, fsync of the directory.

Each step is a separate function call through ``STEPS`` so that crash-injection tests (SECURITY.md
B3) can fail at any one of them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
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
    _fsync_dir(path.parent)


def private_mkdir(path: Path) -> None:
    """Create a directory readable only by the user (where the OS has such permissions)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
