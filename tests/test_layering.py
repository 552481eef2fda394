"""PySide6 is imported only under ui/ and in app.py (ARCHITECTURE.md §1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import gk_desktop

SRC = Path(gk_desktop.__file__).parent


def _modules_outside_ui() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(SRC)], prefix="gk_desktop."):
        name = info.name
        if name.startswith("gk_desktop.ui") or name == "gk_desktop.app" or name == "gk_desktop.__main__":
            continue
        if ".migrations.versions." in name or name.endswith(".migrations.env"):
            continue  # run only inside Alembic
        names.append(name)
    return names


def test_no_pyside6_outside_ui() -> None:
    mods = _modules_outside_ui()
    assert "gk_desktop.storage.vault" in mods and "gk_desktop.cli" in mods
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_only_sqlcipher3_opens_databases() -> None:
    """SECURITY.md A10: no stdlib sqlite3 and no QSqlDatabase anywhere in the source."""
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("import sqlite3", "from sqlite3", "QSqlDatabase", "sqlite+pysqlite", "sqlite+pysqlcipher"):
            if needle in text:
                offenders.append(f"{path.relative_to(SRC)}: {needle}")
    assert offenders == []


def test_cli_imports_without_sqlite3_module() -> None:
    code = (
        "import sys\n"
        "import gk_desktop.cli, gk_desktop.services.vault_admin, gk_desktop.storage.vault\n"
        "print('sqlite3' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
