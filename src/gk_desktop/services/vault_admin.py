"""Vault administration for the command line and the GUI: one function per use case.

Each returns a plain dataclass; storage details (engines, sessions) never leave this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select, text

from gk_desktop.errors import IntegrityError
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import backup as backup_mod
from gk_desktop.storage import engine as engine_mod
from gk_desktop.storage import keys
from gk_desktop.storage import vault as vault_mod
from gk_desktop.storage.migrate import current_revision
from gk_desktop.storage.models import Base, SYNCED_MODELS
from gk_desktop.storage.stamps import verify_stamps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KdfInfo:
    profile: str
    memory_kib: int
    time_cost: int
    parallelism: int


@dataclass(frozen=True)
class VaultInfo:
    data_dir: str
    schema_version: str | None
    sqlcipher_version: str
    kdf: KdfInfo
    device_id: str
    counts: dict[str, int]
    vault_id: str
    backups: int
    last_backup: str | None


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    quick_check: str
    cipher_integrity_check: list[str]
    settings_ok: bool
    stamp_problems: list[str] = field(default_factory=list)


def init_vault(data_dir: Path, passphrase: str, progress: Callable[[float], None] | None = None,
               source: str = "cli") -> str:
    """Create a vault; returns the recovery key as printed."""
    return vault_mod.create_vault(VaultPaths(data_dir), passphrase, progress=progress, source=source)


def vault_info(data_dir: Path, passphrase: str | None = None, recovery_key: str | None = None) -> VaultInfo:
    paths = VaultPaths(data_dir)
    with vault_mod.open_vault(paths, passphrase, recovery_key=recovery_key, read_only=True) as v:
        params = v.keyfile.kdf_params
        with v.session() as s:
            version = str(s.execute(text("PRAGMA cipher_version")).scalar_one())
            counts = {}
            for table in sorted(Base.metadata.tables):
                t = Base.metadata.tables[table]
                counts[table] = int(s.execute(select(func.count()).select_from(t)).scalar_one())
            revision = current_revision(s)
            vault_id = s.execute(text("SELECT value FROM vault_meta WHERE key = 'vault_id'")).scalar_one_or_none()
        backups = backup_mod.list_backups(paths.backups)
        return VaultInfo(
            data_dir=str(paths.root),
            schema_version=revision,
            sqlcipher_version=version.split()[0],
            kdf=KdfInfo(params.profile, params.memory_kib, params.time_cost, params.parallelism),
            device_id=v.device_id,
            counts=counts,
            vault_id=str(vault_id or v.keyfile.vault_id),
            backups=len(backups),
            last_backup=backups[-1].created.isoformat(timespec="seconds") if backups else None,
        )


def check_vault(data_dir: Path, passphrase: str | None = None, recovery_key: str | None = None) -> CheckResult:
    """Integrity checks without any write: SQLite, SQLCipher's HMACs, settings, sync stamps."""
    paths = VaultPaths(data_dir)
    from sqlalchemy.exc import DBAPIError
    from sqlcipher3 import dbapi2

    with vault_mod.open_vault(paths, passphrase, recovery_key=recovery_key, read_only=True) as v:
        try:
            quick, cipher = engine_mod.integrity_report(v.conn)
        except dbapi2.DatabaseError as exc:
            # A damaged page can stop the check itself: that is a finding, not a crash.
            quick, cipher = f"error: {exc}", []
        settings_ok = True
        try:
            engine_mod.assert_settings(v.conn, read_only=True)
        except IntegrityError:
            settings_ok = False
        try:
            with v.session() as s:
                stamp_problems = verify_stamps(s, SYNCED_MODELS)[:50]
        except (DBAPIError, dbapi2.DatabaseError):
            stamp_problems = ["the records could not be read"]
    ok = quick == "ok" and not cipher and settings_ok and not stamp_problems
    if not ok:
        log.error("vault check failed")
    return CheckResult(ok, quick, cipher, settings_ok, stamp_problems)


def change_passphrase(data_dir: Path, old: str, new: str, source: str = "cli") -> None:
    vault_mod.change_passphrase(VaultPaths(data_dir), old, new, source=source)


def recover(data_dir: Path, recovery_key: str, new_passphrase: str, source: str = "cli") -> str:
    return vault_mod.recover(VaultPaths(data_dir), recovery_key, new_passphrase, source=source)


def reissue_recovery_key(data_dir: Path, passphrase: str, source: str = "cli") -> str:
    return vault_mod.reissue_recovery_key(VaultPaths(data_dir), passphrase, source=source)


def backup(data_dir: Path, passphrase: str | None = None, recovery_key: str | None = None,
           to: Path | None = None, source: str = "cli",
           progress: Callable[[float], None] | None = None) -> Path:
    paths = VaultPaths(data_dir)
    # A backup copies the vault as it is: no migration, and the unlock itself is not recorded
    # (the backup event is).
    with vault_mod.open_vault(paths, passphrase, recovery_key=recovery_key, source=source,
                              migrate=False, record_unlock=False) as v:
        return backup_mod.create_backup(v, to, progress=progress)


def restore(backup_file: Path, data_dir: Path, passphrase: str | None = None,
            recovery_key: str | None = None, new_passphrase: str | None = None,
            replace_existing: bool = False, source: str = "cli") -> str:
    return backup_mod.restore_backup(
        backup_file, VaultPaths(data_dir), passphrase=passphrase, recovery_key=recovery_key,
        new_passphrase=new_passphrase, replace_existing=replace_existing, source=source,
    )


def assess_passphrase(passphrase: str) -> keys.PassphraseAssessment:
    return keys.assess_passphrase(passphrase)

