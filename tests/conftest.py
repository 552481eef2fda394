"""Test set-up: offscreen Qt, German locale, fast KDF profile, a fresh data folder per test.

Set before anything imports Qt or the app (STYLE.md 22).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["GK_KDF_PROFILE"] = "test"
os.environ.setdefault("LANG", "C.UTF-8")
os.environ["GK_LANG"] = "de"
for _var in ("GK_PASSPHRASE", "GK_NEW_PASSPHRASE", "GK_RECOVERY_KEY", "GK_TODAY"):
    os.environ.pop(_var, None)

import datetime as dt  # noqa: E402
import logging  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from gk_desktop.paths import VaultPaths  # noqa: E402

PASSPHRASE = "korrekt pferd batterie heftklammer"
NEW_PASSPHRASE = "blauer kater tanzt im regen 42"
CANARY_FIRST = "ZQXCANARY"
CANARY_LAST = "Mustermann-7f3a"
CANARY_NOTE = "ZQXCANARYINTERVIEW Gespräch über Ausbildung"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data folder through GK_DATA_DIR; no secret leaks in from outside."""
    monkeypatch.setenv("GK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("GK_KDF_PROFILE", "test")
    for var in ("GK_PASSPHRASE", "GK_NEW_PASSPHRASE", "GK_RECOVERY_KEY", "GK_TODAY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def _drop_file_logging():
    """The CLI attaches a file handler to the root logger; detach it after each test."""
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_gk", False):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def vault_paths(data_dir: Path) -> VaultPaths:
    return VaultPaths(data_dir)


@pytest.fixture
def new_vault(vault_paths: VaultPaths) -> tuple[VaultPaths, str]:
    """A created (locked) vault; returns its paths and the printed recovery key."""
    from gk_desktop.storage.vault import create_vault

    recovery = create_vault(vault_paths, PASSPHRASE)
    return vault_paths, recovery


@pytest.fixture
def open_vault(new_vault: tuple[VaultPaths, str]):
    """An unlocked vault, closed after the test."""
    from gk_desktop.storage.vault import open_vault as _open

    paths, _recovery = new_vault
    vault = _open(paths, PASSPHRASE)
    yield vault
    if vault.conn is not None:
        vault.close()


def add_canary_client(vault) -> str:
    """A client with canary name and interview through the ORM; returns the client id."""
    from gk_desktop.storage.models import Case, Client, Contact

    with vault.session() as s:
        client = Client(case_code="GK-26-CANARY", first_name=CANARY_FIRST, last_name=CANARY_LAST,
                        birth_date=dt.date(2003, 4, 5), gender="WEIBLICH")
        s.add(client)
        s.flush()
        case = Case(client_id=client.id, first_contact_on=dt.date(2026, 1, 10))
        s.add(case)
        s.flush()
        s.add(Contact(case_id=case.id, at=dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.timezone.utc),
                      duration_min=45, contact_type="PERSOENLICH", note=CANARY_NOTE))
        s.commit()
        return client.id
