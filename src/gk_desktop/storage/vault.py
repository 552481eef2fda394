"""The vault: creating, unlocking, locking, and the key-file-only operations.

``vault.keys`` is written last when a vault is created, so its presence marks a complete vault.
A wrong passphrase is found by the failed unwrap: the database is never opened then, and no file
of the vault changes. Commands that write only ``vault.keys`` (passphrase change, recovery, new
recovery key) leave their security events in the key file, authenticated under the data key, and
the next unlock moves them into the audit table.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from gk_desktop.errors import IntegrityError, NoVaultError, VaultExistsError
from gk_desktop.i18n import _
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import engine as engine_mod
from gk_desktop.storage import fsutil, keys
from gk_desktop.storage.keys import KdfParams, KeyFile, SecretBytes
from gk_desktop.storage.lock import InstanceLock

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
# quick_check at unlock up to this size (about 0.3 s per 55 MB measured, SECURITY.md B7).
QUICK_CHECK_MAX_BYTES = 24 * 1024 * 1024


@dataclass
class UnlockTimings:
    kdf_ms: float = 0.0
    rest_ms: float = 0.0


@dataclass
class Vault:
    """An unlocked vault. Close it (lock) to dispose the engine and wipe the data key."""

    paths: VaultPaths
    keyfile: KeyFile
    conn: Any
    engine: Any
    sync: Any
    read_only: bool
    _dek: SecretBytes | None = field(repr=False)
    _lock: InstanceLock = field(repr=False)
    timings: UnlockTimings = field(default_factory=UnlockTimings)
    source: str = "cli"
    migrated_from: str | None = None

    @property
    def device_id(self) -> str:
        return str(self.sync.device_id)

    @property
    def dek(self) -> SecretBytes:
        if self._dek is None:
            raise RuntimeError("vault is locked")
        return self._dek

    def session(self) -> Any:
        """A short-lived session; every write through it is stamped for sync."""
        from gk_desktop.storage.stamps import VaultSession

        return VaultSession(bind=self.engine, expire_on_commit=False, info={"sync": self.sync})

    def record_event(self, kind: str, *, session: Any = None, **kw: Any) -> None:
        """Record a security event; inside ``session``'s transaction when one is given (the
        vault's single connection cannot serve a second transaction meanwhile)."""
        from gk_desktop.storage import audit

        source = kw.pop("source", self.source)
        if session is not None:
            audit.record(session, kind, device_id=self.device_id, source=source, **kw)
            return
        with self.engine.begin() as c:
            audit.record(c, kind, device_id=self.device_id, source=source, **kw)

    # -- key-file operations on an open vault (the GUI holds the instance lock already)

    def change_passphrase(self, old_passphrase: str, new_passphrase: str, *,
                          params: KdfParams | None = None) -> None:
        """Rewrap the data key under a new passphrase; the old one must be right."""
        keys.require_passphrase_policy(new_passphrase)
        keyfile = keys.load_keyfile(self.paths.keys)
        keys.unlock_with_passphrase(keyfile, old_passphrase).wipe()
        updated = keys.with_passphrase(keyfile, self.dek, new_passphrase, params or keys.calibrate_kdf())
        keys.save_keyfile(self.paths.keys, updated)
        self.keyfile = updated
        self.record_event("passphrase_change")
        log.info("passphrase changed")

    def verify_passphrase(self, passphrase: str) -> None:
        """Raises WrongSecretError unless ``passphrase`` opens this vault's key file."""
        keys.unlock_with_passphrase(keys.load_keyfile(self.paths.keys), passphrase).wipe()

    def reissue_recovery_key(self, passphrase: str, printed: str | None = None) -> str:
        """A new recovery key (the passphrase confirms it is the worker); the old one stops."""
        keyfile = keys.load_keyfile(self.paths.keys)
        keys.unlock_with_passphrase(keyfile, passphrase).wipe()
        updated, printed = keys.with_new_recovery_key(keyfile, self.dek, printed)
        keys.save_keyfile(self.paths.keys, updated)
        self.keyfile = updated
        self.record_event("recovery_key_reissue")
        log.info("new recovery key issued")
        return printed

    def close(self, *, record_lock: bool = False) -> None:
        """Lock: checkpoint, dispose the engine, close the connection, wipe the key, release."""
        try:
            if self.conn is not None:
                if record_lock and not self.read_only:
                    try:
                        self.record_event("lock")
                    except Exception:  # noqa: BLE001 - locking must always finish
                        log.exception("could not record the lock event")
                if not self.read_only:
                    try:
                        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    except Exception:  # noqa: BLE001
                        log.warning("WAL checkpoint on close failed")
                if self.engine is not None:
                    self.engine.dispose()
                self.conn.close()
        finally:
            self.conn = None
            self.engine = None
            if self._dek is not None:
                self._dek.wipe()
                self._dek = None
            self._lock.release()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Vault(data_dir=<{len(str(self.paths.root))} chars>, locked={self._dek is None})"


# --------------------------------------------------------------------------- create


def create_vault(
    paths: VaultPaths,
    passphrase: str,
    *,
    params: KdfParams | None = None,
    progress: Progress | None = None,
    source: str = "cli",
) -> str:
    """Create a vault at ``paths``; returns the printed recovery key."""
    keys.require_passphrase_policy(passphrase)
    fsutil.private_mkdir(paths.root)
    with InstanceLock(paths.lock):
        finish_interrupted_init(paths)
        if paths.has_vault():
            raise VaultExistsError(_("A vault already exists in this folder. Nothing was changed."))
        if params is None:
            params = keys.calibrate_kdf(progress=(lambda f: progress(0.8 * f)) if progress else None)
        keyfile, dek, printed = keys.new_keyfile(passphrase, params)
        tmp_db = paths.root / f".vault-init-{secrets.token_hex(4)}.db"
        try:
            conn = engine_mod.connect(tmp_db, dek, create=True)
            eng = vault_engine(conn)
            try:
                from gk_desktop.storage import migrate

                migrate.upgrade_vault(conn, eng)
                device_id = str(uuid.uuid4())
                _init_meta(eng, device_id, keyfile.vault_id)
                from gk_desktop.storage import audit

                with eng.begin() as c:
                    audit.record(c, "vault_created", device_id=device_id, source=source)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                eng.dispose()
                conn.close()
            # The key file is staged complete before the database takes its name, so a crash
            # between the two renames leaves a vault that the next start finishes
            # (finish_interrupted_init), never a database whose key is lost.
            keys.save_keyfile(_init_keys_path(paths), keyfile)
            os.replace(tmp_db, paths.db)
            os.replace(_init_keys_path(paths), paths.keys)  # last: marks the vault complete
            fsutil._fsync_dir(paths.root)
        except BaseException:
            if not paths.keys.exists():
                paths.db.unlink(missing_ok=True)  # ours: the folder had no vault (checked above)
            _init_keys_path(paths).unlink(missing_ok=True)
            raise
        finally:
            for leftover in (tmp_db, Path(f"{tmp_db}-wal"), Path(f"{tmp_db}-shm")):
                leftover.unlink(missing_ok=True)
            dek.wipe()
        if progress:
            progress(1.0)
    log.info("vault created")
    return printed


def _init_keys_path(paths: VaultPaths) -> Path:
    return paths.root / ".vault.keys.init"


def finish_interrupted_init(paths: VaultPaths) -> None:
    """Complete a creation or restore that was killed between its two final renames.

    Both stage the complete key file first, then give the database its name, then the key file:
    a database without ``vault.keys`` next to a staged key file is finished by renaming it.
    """
    staged = [_init_keys_path(paths)] + sorted(paths.root.glob(".restore-*.keys"))
    staged = [p for p in staged if p.exists()]
    if not staged:
        return
    if paths.db.exists() and not paths.keys.exists():
        newest = max(staged, key=lambda p: p.stat().st_mtime_ns)
        os.replace(newest, paths.keys)
        fsutil._fsync_dir(paths.root)
        log.info("finished an interrupted vault creation or restore")
    elif paths.keys.exists() or not paths.db.exists():
        for p in staged:
            p.unlink(missing_ok=True)


def vault_engine(conn: Any) -> Any:
    """The SQLAlchemy engine of a vault connection, with the guard that keeps stamps complete."""
    from gk_desktop.storage.stamps import install_write_guard

    eng = engine_mod.make_engine(conn)
    install_write_guard(eng)
    return eng


def _init_meta(eng: Any, device_id: str, vault_id: str) -> None:
    from sqlalchemy import text

    with eng.begin() as c:
        c.execute(
            text("INSERT INTO vault_meta(key, value) VALUES (:k, :v)"),
            [
                {"k": "device_id", "v": device_id},
                {"k": "vault_id", "v": vault_id},
                {"k": "dot_counter", "v": "0"},
                {"k": "change_seq", "v": "0"},
                {"k": "hlc_last", "v": "0"},
            ],
        )


# --------------------------------------------------------------------------- open


def _load_keyfile(paths: VaultPaths) -> KeyFile:
    if not paths.has_vault():
        raise NoVaultError(_("There is no vault in this folder yet."))
    if not paths.keys.exists():
        raise IntegrityError(
            _("The key file vault.keys is missing. Without it the vault cannot be opened; "
              "restore the vault from a backup.")
        )
    return keys.load_keyfile(paths.keys)


def unwrap_dek(keyfile: KeyFile, passphrase: str | None, recovery_key: str | None) -> SecretBytes:
    if passphrase is not None:
        return keys.unlock_with_passphrase(keyfile, passphrase)
    if recovery_key is not None:
        return keys.unlock_with_recovery_key(keyfile, recovery_key)
    raise ValueError("a passphrase or a recovery key is needed")


def open_vault(
    paths: VaultPaths,
    passphrase: str | None = None,
    *,
    recovery_key: str | None = None,
    source: str = "cli",
    read_only: bool = False,
    migrate: bool = True,
    record_unlock: bool = True,
) -> Vault:
    """Unlock the vault. ``read_only`` opens without any write (``info``, ``check``)."""
    lock = InstanceLock(paths.lock)
    if not paths.has_vault():
        raise NoVaultError(_("There is no vault in this folder yet."))
    lock.acquire()
    dek: SecretBytes | None = None
    conn = None
    try:
        finish_interrupted_init(paths)
        keyfile = _load_keyfile(paths)
        # Argon2 runs in C without the GIL: import what the rest of the unlock needs meanwhile.
        preload = threading.Thread(target=_preload_modules, name="gk-preload", daemon=True)
        preload.start()
        t0 = time.perf_counter()
        dek = unwrap_dek(keyfile, passphrase, recovery_key)
        t1 = time.perf_counter()
        preload.join()
        if not read_only:
            _remove_stale_temp_files(paths)
        conn = engine_mod.connect(paths.db, dek, read_only=read_only)
        eng = vault_engine(conn)
        from gk_desktop.storage import migrate as migrate_mod
        from gk_desktop.storage.stamps import SyncContext

        if not read_only and paths.db.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            # Catch damage before new writes build on it (SECURITY.md §2: quick_check on open
            # where it fits the unlock budget; `gk-cli check` runs the full page check).
            quick = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
            if quick != ["ok"]:
                log.error("quick_check failed at unlock")
                raise IntegrityError(
                    _("The vault database is damaged. Please restore the newest backup "
                      "(gk-cli restore) and tell the IT support.")
                )
        with eng.connect() as c:
            revision = migrate_mod.current_revision(c)
        migrated_from = None
        if revision is None:
            raise IntegrityError(_("The vault database has no schema. It is damaged; restore it from a backup."))
        if revision != migrate_mod.HEAD_REVISION:
            if revision not in _known_revisions_lazy():
                raise IntegrityError(
                    _("The vault was written by a newer version of this program. Please update the program.")
                )
        with eng.connect() as c:
            sync = SyncContext.load(c)
        vault = Vault(paths, keyfile, conn, eng, sync, read_only, dek, lock, source=source)
        # info/check/backup look at an older schema as it is; every other unlock migrates it.
        if revision != migrate_mod.HEAD_REVISION and migrate and not read_only:
            from gk_desktop.storage import backup as backup_mod

            backup_mod.create_backup(vault, kind="pre-migration")
            migrate_mod.upgrade_vault(conn, eng)
            vault.migrated_from = revision
            log.info("vault schema migrated")
        if not read_only:
            _flush_pending_events(vault)
            _prepare_data(vault)
            if vault.migrated_from is not None:
                vault.record_event("migration")
            if record_unlock:
                vault.record_event("unlock")
        vault.timings = UnlockTimings(kdf_ms=(t1 - t0) * 1000, rest_ms=(time.perf_counter() - t1) * 1000)
        return vault
    except BaseException:
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
        if dek is not None:
            dek.wipe()
        lock.release()
        raise


def _preload_modules() -> None:
    import sqlalchemy.orm  # noqa: F401
    import sqlalchemy.pool  # noqa: F401

    from gk_desktop.storage import audit, migrate, stamps  # noqa: F401


def _remove_stale_temp_files(paths: VaultPaths) -> None:
    """Temp files a killed process left behind (all encrypted or key-slot copies)."""
    stale = fsutil.stale_temp_files(paths.keys)
    stale += list(paths.root.glob(".vault-init-*.db*")) + list(paths.root.glob(".restore-*.db*"))
    stale += list(paths.root.glob(".restore-*.keys*"))
    if paths.backups.is_dir():
        stale += list(paths.backups.glob(".gk-backup-*.tmp*")) + list(paths.backups.glob("*.gkbackup.part"))
    for p in stale:
        p.unlink(missing_ok=True)
    if stale:
        log.info("removed %d temp files left by an interrupted run", len(stale))


def _prepare_data(vault: Vault) -> None:
    """Seed rows the vault lacks; the derived tables (names index, client rows) when their
    rules changed or they are missing (names and notes index, client rows)."""
    from gk_desktop.storage import client_rows, note_index, search_index, seed

    with vault.session() as s:
        changed = False
        if not note_index.is_current(s.connection()):
            note_index.rebuild(s.connection())
            changed = True
        if not client_rows.is_current(s.connection()):
            client_rows.rebuild(s.connection())
            changed = True
        if seed.missing_seed(s):
            seed.ensure_seed(s)
            changed = True
        if not search_index.is_current(s.connection()):
            search_index.rebuild(s.connection())
            changed = True
        if changed:
            s.commit()


def _known_revisions_lazy() -> list[str]:
    from gk_desktop.storage import migrate

    return migrate.known_revisions()


def _flush_pending_events(vault: Vault) -> None:
    events = keys.verified_pending_events(vault.keyfile, vault.dek)
    if not events and not vault.keyfile.pending_events:
        return
    import datetime as dt

    from gk_desktop.storage import audit

    with vault.engine.begin() as c:
        for event in events:
            try:
                at = dt.datetime.fromisoformat(event.at)
            except ValueError:
                at = None
            kind = event.kind if event.kind in audit.KINDS else None
            if kind:
                audit.record(c, kind, device_id=vault.device_id, source=f"keys:{event.source}"[:20], at=at,
                             event_id=event.id or None)
    cleared = vault.keyfile.with_events((), vault.dek)
    keys.save_keyfile(vault.paths.keys, cleared)
    vault.keyfile = cleared


# --------------------------------------------------------------------------- key-file-only operations


def change_passphrase(
    paths: VaultPaths,
    old_passphrase: str,
    new_passphrase: str,
    *,
    source: str = "cli",
    params: KdfParams | None = None,
) -> None:
    """Rewrap the data key under a new passphrase. Only ``vault.keys`` changes."""
    keys.require_passphrase_policy(new_passphrase)
    with InstanceLock(paths.lock) if paths.has_vault() else _no_vault():
        keyfile = _load_keyfile(paths)
        dek = keys.unlock_with_passphrase(keyfile, old_passphrase)
        try:
            # Re-tuned whenever the passphrase changes.
            updated = keys.with_passphrase(keyfile, dek, new_passphrase, params or keys.calibrate_kdf())
            updated = keys.add_pending_event(updated, dek, "passphrase_change", source)
            keys.save_keyfile(paths.keys, updated)
        finally:
            dek.wipe()
    log.info("passphrase changed")


def verify_recovery_key(paths: VaultPaths, recovery_key: str) -> None:
    """Raises WrongSecretError unless ``recovery_key`` opens the vault; changes nothing."""
    keys.unlock_with_recovery_key(_load_keyfile(paths), recovery_key).wipe()


def recover(
    paths: VaultPaths,
    recovery_key: str,
    new_passphrase: str,
    *,
    source: str = "cli",
    params: KdfParams | None = None,
    new_recovery: str | None = None,
) -> str:
    """Set a new passphrase with the recovery key; issues a new recovery key (the used one stops)."""
    keys.require_passphrase_policy(new_passphrase)
    with InstanceLock(paths.lock) if paths.has_vault() else _no_vault():
        keyfile = _load_keyfile(paths)
        dek = keys.unlock_with_recovery_key(keyfile, recovery_key)
        try:
            updated = keys.with_passphrase(keyfile, dek, new_passphrase, params or keys.calibrate_kdf())
            updated, printed = keys.with_new_recovery_key(updated, dek, new_recovery)
            updated = keys.add_pending_event(updated, dek, "recovery", source)
            updated = keys.add_pending_event(updated, dek, "recovery_key_reissue", source)
            keys.save_keyfile(paths.keys, updated)
        finally:
            dek.wipe()
    log.info("vault recovered with the recovery key; new recovery key issued")
    return printed


def reissue_recovery_key(paths: VaultPaths, passphrase: str, *, source: str = "cli") -> str:
    """A new recovery key; the old one stops working. Only ``vault.keys`` changes."""
    with InstanceLock(paths.lock) if paths.has_vault() else _no_vault():
        keyfile = _load_keyfile(paths)
        dek = keys.unlock_with_passphrase(keyfile, passphrase)
        try:
            updated, printed = keys.with_new_recovery_key(keyfile, dek)
            updated = keys.add_pending_event(updated, dek, "recovery_key_reissue", source)
            keys.save_keyfile(paths.keys, updated)
        finally:
            dek.wipe()
    log.info("new recovery key issued")
    return printed


def _no_vault() -> Any:
    raise NoVaultError(_("There is no vault in this folder yet."))


def read_kdf_params(paths: VaultPaths) -> KdfParams:
    return _load_keyfile(paths).kdf_params
