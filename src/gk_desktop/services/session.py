"""The GUI's use cases on an unlocked vault: unlock, lock, summary, key changes, backup.

The GUI holds the :class:`~gk_desktop.storage.vault.Vault` as an opaque handle and calls these
functions on its database thread; everything it gets back is a plain dataclass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import func, select

from gk_desktop.domain.clock import today
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import backup as backup_mod
from gk_desktop.storage import vault as vault_mod
from gk_desktop.storage.models import Case, Client, Contact


@dataclass(frozen=True)
class VaultSummary:
    clients: int
    open_cases: int
    contacts: int
    last_backup: dt.datetime | None
    backup_age_days: int | None
    kdf_memory_mib: int
    kdf_time_cost: int
    device_id: str


def unlock(data_dir: Path, passphrase: str | None = None, recovery_key: str | None = None) -> Any:
    return vault_mod.open_vault(VaultPaths(data_dir), passphrase, recovery_key=recovery_key, source="gui")


def lock(vault: Any) -> None:
    """Close sessions, dispose the engine, wipe the key, release the instance lock."""
    if vault is not None and vault.conn is not None:
        vault.close(record_lock=True)


def summary(vault: Any) -> VaultSummary:
    with vault.session() as s:
        clients = s.execute(select(func.count()).select_from(Client)).scalar_one()
        open_cases = s.execute(
            select(func.count()).select_from(Case).where(Case.phase != "ABGESCHLOSSEN")
        ).scalar_one()
        contacts = s.execute(select(func.count()).select_from(Contact)).scalar_one()
    backups = backup_mod.list_backups(vault.paths.backups)
    last = backups[-1].created if backups else None
    age = (today() - last.date()).days if last else None
    params = vault.keyfile.kdf_params
    return VaultSummary(int(clients), int(open_cases), int(contacts), last, age,
                        params.memory_kib // 1024, params.time_cost, vault.device_id)


def change_passphrase(vault: Any, old: str, new: str) -> None:
    vault.change_passphrase(old, new)


def verify_passphrase(vault: Any, passphrase: str) -> None:
    vault.verify_passphrase(passphrase)


def new_recovery_key_text() -> str:
    """A fresh recovery key to show; it takes effect only when written with the functions below."""
    from gk_desktop.storage.keys import new_recovery_key

    secret, printed = new_recovery_key()
    secret.wipe()
    return printed


def reissue_recovery_key(vault: Any, passphrase: str, printed: str | None = None) -> str:
    return str(vault.reissue_recovery_key(passphrase, printed))


def verify_recovery_key(data_dir: Path, recovery_key: str) -> None:
    vault_mod.verify_recovery_key(VaultPaths(data_dir), recovery_key)


def recover(data_dir: Path, recovery_key: str, new_passphrase: str, printed: str) -> str:
    return vault_mod.recover(VaultPaths(data_dir), recovery_key, new_passphrase, source="gui",
                             new_recovery=printed)


def backup_now(vault: Any, progress: Callable[[float], None] | None = None) -> Path:
    return backup_mod.create_backup(vault, progress=progress)


def vault_exists(data_dir: Path) -> bool:
    return VaultPaths(data_dir).has_vault()
