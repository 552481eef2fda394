"""Encrypted backups and restore (ARCHITECTURE.md §3, SECURITY.md A8/A9).

A backup is one file: a header line, then the key slots, then the database copied with SQLite's
backup API into a target keyed with the same data key (so the copy is encrypted page by page,
exactly like the vault). It opens with the passphrase or the recovery key that were valid when it
was made, on any machine. Every backup is verified before it gets its final name.

File layout::

    GKBACKUP1\\n
    {"format": ..., "keys_len": N, "db_len": M, "sha256": ...}\\n
    <N bytes vault.keys><M bytes encrypted database>
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from gk_desktop.errors import InputRejectedError, IntegrityError, VaultExistsError
from gk_desktop.i18n import _
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import engine as engine_mod
from gk_desktop.storage import fsutil, keys
from gk_desktop.storage.lock import InstanceLock

if TYPE_CHECKING:
    from gk_desktop.storage.vault import Vault

log = logging.getLogger(__name__)

MAGIC = b"GKBACKUP1\n"
FORMAT = "gk-desktop-backup"
SUFFIX = ".gkbackup"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_PRE_MIGRATION = 3
MAX_HEADER = 4096


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    kind: str


def _backup_name(now: dt.datetime, kind: str) -> str:
    # Neutral names: a time stamp and the kind, never anything about a client.
    return f"gk-backup-{now.strftime('%Y%m%dT%H%M%S')}{now.microsecond // 1000:03d}Z-{kind}{SUFFIX}"


def create_backup(
    vault: "Vault",
    dest: Path | None = None,
    *,
    kind: str = "manual",
    rotate: bool = True,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Back up the open vault; into ``backups/`` (rotated) unless ``dest`` is given."""
    now = dt.datetime.now(dt.timezone.utc)
    if dest is None:
        fsutil.private_mkdir(vault.paths.backups)
        dest = vault.paths.backups / _backup_name(now, kind)
    else:
        dest = Path(dest).absolute()
        if dest.exists():
            raise InputRejectedError(_("The backup file already exists. Please choose another name."))
        dest.parent.mkdir(parents=True, exist_ok=True)
    work_dir = dest.parent
    tmp_db = work_dir / f".gk-backup-{secrets.token_hex(6)}.tmp"
    try:
        target = engine_mod.connect(tmp_db, vault.dek, create=True)
        try:
            def _pages(status: int, remaining: int, total: int) -> None:
                if progress and total:
                    progress(0.8 * (total - remaining) / total)

            vault.conn.backup(target, pages=256, progress=_pages)
            # Verify the copy before it gets its name (SECURITY.md: verify on creation).
            quick, cipher = engine_mod.integrity_report(target)
            if quick != "ok" or cipher:
                raise IntegrityError(_("The backup copy failed its check. No backup was made."))
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        if engine_mod.is_plaintext_sqlite(tmp_db):  # A9: never a plaintext copy
            raise IntegrityError(_("The backup copy was not encrypted. No backup was made."))
        _write_container(dest, vault.paths.keys.read_bytes(), tmp_db, created=now, kind=kind)
    finally:
        for p in (tmp_db, Path(f"{tmp_db}-journal"), Path(f"{tmp_db}-wal"), Path(f"{tmp_db}-shm")):
            p.unlink(missing_ok=True)
    if progress:
        progress(1.0)
    if not vault.read_only:
        vault.record_event("backup")
    if rotate and dest.parent == vault.paths.backups:
        rotate_backups(vault.paths.backups)
    log.info("backup written (%s)", kind)
    return dest


def _write_container(dest: Path, keys_bytes: bytes, db_file: Path, *, created: dt.datetime, kind: str) -> None:
    db_len = db_file.stat().st_size
    digest = hashlib.sha256(keys_bytes)
    with open(db_file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    header = {
        "format": FORMAT,
        "version": 1,
        "created": created.isoformat(timespec="seconds"),
        "kind": kind,
        "keys_len": len(keys_bytes),
        "db_len": db_len,
        "sha256": digest.hexdigest(),
    }
    part = dest.with_name(dest.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC)
            out.write(json.dumps(header, sort_keys=True).encode("ascii") + b"\n")
            out.write(keys_bytes)
            with open(db_file, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, dest)
        fsutil._fsync_dir(dest.parent)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class _Container:
    header: dict[str, Any]
    keys_bytes: bytes
    db_offset: int


def _damaged_backup() -> IntegrityError:
    return IntegrityError(_("The backup file is damaged or not a backup of this program. Nothing was changed."))


def _read_container(path: Path) -> _Container:
    try:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise _damaged_backup()
            line = fh.readline(MAX_HEADER)
            header = json.loads(line.decode("ascii"))
            if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != 1:
                raise _damaged_backup()
            keys_len, db_len = int(header["keys_len"]), int(header["db_len"])
            if not (0 < keys_len <= 64 * 1024) or db_len <= 0:
                raise _damaged_backup()
            keys_bytes = fh.read(keys_len)
            db_offset = fh.tell()
            digest = hashlib.sha256(keys_bytes)
            remaining = db_len
            while remaining:
                chunk = fh.read(min(1 << 20, remaining))
                if not chunk:
                    raise _damaged_backup()
                digest.update(chunk)
                remaining -= len(chunk)
            if fh.read(1):
                raise _damaged_backup()
    except (OSError, ValueError, KeyError, UnicodeDecodeError, RecursionError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise InputRejectedError(_("The backup file was not found.")) from None
        raise _damaged_backup() from None
    if digest.hexdigest() != header.get("sha256"):
        raise _damaged_backup()
    return _Container(header, keys_bytes, db_offset)


def restore_backup(
    backup_file: Path,
    paths: VaultPaths,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    new_passphrase: str | None = None,
    replace_existing: bool = False,
    source: str = "cli",
) -> str:
    """Bring a backup back into ``paths`` (also on a fresh machine). Returns the new device id.

    The backup is checked (hash, key unwrap, database integrity) in a staging file inside the data
    directory before anything of an existing vault is touched; an existing vault is moved aside
    into ``replaced-<time>/``, never deleted.
    """
    container = _read_container(Path(backup_file))
    keyfile = keys.KeyFile.from_bytes(container.keys_bytes)
    if new_passphrase is not None:
        keys.require_passphrase_policy(new_passphrase)
    from gk_desktop.storage.vault import unwrap_dek

    dek = unwrap_dek(keyfile, passphrase, recovery_key)
    fsutil.private_mkdir(paths.root)
    lock = InstanceLock(paths.lock).acquire()
    token = secrets.token_hex(6)
    stage = paths.root / f".restore-{token}.db"
    staged_keys = paths.root / f".restore-{token}.keys"
    try:
        if paths.has_vault() and not replace_existing:
            raise VaultExistsError(
                _("A vault already exists in this folder. Use --replace to set it aside and restore.")
            )
        with open(backup_file, "rb") as src, open(stage, "wb") as out:
            src.seek(container.db_offset)
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        device_id = str(uuid.uuid4())
        conn = engine_mod.connect(stage, dek)
        try:
            quick, cipher = engine_mod.integrity_report(conn)
            if quick != "ok" or cipher:
                raise _damaged_backup()
            from sqlalchemy import text

            from gk_desktop.storage import audit

            eng = engine_mod.make_engine(conn)
            try:
                from gk_desktop.storage import migrate

                with eng.connect() as c:
                    revision = migrate.current_revision(c)
                if revision is None:
                    raise _damaged_backup()
                if revision not in migrate.known_revisions():
                    raise IntegrityError(
                        _("The backup was made by a newer version of this program. Please update the "
                          "program first. Nothing was changed.")
                    )
                with eng.begin() as c:
                    # A restored vault is a new device for sync (SYNC.md rule 1).
                    c.execute(text("UPDATE vault_meta SET value = :v WHERE key = 'device_id'"), {"v": device_id})
                    audit.record(c, "restore", device_id=device_id, source=source)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                eng.dispose()
        finally:
            conn.close()
        if new_passphrase is not None:
            keyfile = keys.with_passphrase(keyfile, dek, new_passphrase, keys.calibrate_kdf())
            keyfile = keys.add_pending_event(keyfile, dek, "passphrase_change", source)
        # Everything that can fail is done before the working vault is touched: the key file
        # is staged complete next to the staged database.
        keys.save_keyfile(staged_keys, keyfile)
        moved: list[tuple[Path, Path]] = []
        try:
            if paths.has_vault():
                aside = paths.root / f"replaced-{dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dT%H%M%SZ')}"
                aside.mkdir(mode=0o700)
                for p in (paths.db, paths.db_wal, paths.db_shm, paths.keys):
                    if p.exists():
                        os.replace(p, aside / p.name)
                        moved.append((aside / p.name, p))
            for p in (paths.db_wal, paths.db_shm):
                p.unlink(missing_ok=True)
            os.replace(stage, paths.db)
            os.replace(staged_keys, paths.keys)
            fsutil._fsync_dir(paths.root)
        except BaseException:
            # Put the working vault back as it was.
            if moved:
                for p in (paths.db, paths.db_wal, paths.db_shm, paths.keys):
                    p.unlink(missing_ok=True)
                for src, dst in moved:
                    os.replace(src, dst)
            raise
    finally:
        for p in (stage, Path(f"{stage}-wal"), Path(f"{stage}-shm"), staged_keys):
            p.unlink(missing_ok=True)
        dek.wipe()
        lock.release()
    log.info("vault restored from a backup; new device id")
    return device_id


def list_backups(directory: Path) -> list[BackupInfo]:
    result = []
    if not directory.is_dir():
        return result
    for p in directory.glob(f"gk-backup-*{SUFFIX}"):
        stem = p.name[len("gk-backup-") : -len(SUFFIX)]
        stamp, _sep, kind = stem.partition("Z-")
        try:
            created = dt.datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue
        result.append(BackupInfo(p, created, kind))
    return sorted(result, key=lambda b: (b.created, b.path.name))


def rotate_backups(directory: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY) -> list[Path]:
    """Keep the newest backup of each of the last ``keep_daily`` days and of the last
    ``keep_weekly`` ISO weeks; delete the rest. Returns the deleted paths."""
    everything = list_backups(directory)
    # Backups taken before a schema migration are the way back from a failed one: the newest
    # few stay, whatever the daily backups do.
    pre_migration = [b for b in everything if b.kind == "pre-migration"]
    backups = [b for b in everything if b.kind != "pre-migration"]
    keep: set[Path] = {b.path for b in pre_migration[-KEEP_PRE_MIGRATION:]}
    for b in pre_migration[:-KEEP_PRE_MIGRATION]:
        b.path.unlink(missing_ok=True)
    days: dict[dt.date, BackupInfo] = {}
    weeks: dict[tuple[int, int], BackupInfo] = {}
    for b in backups:  # ascending: later ones overwrite, so the newest of each bucket stays
        days[b.created.date()] = b
        iso = b.created.isocalendar()
        weeks[(iso[0], iso[1])] = b
    for day in sorted(days)[-keep_daily:]:
        keep.add(days[day].path)
    for week in sorted(weeks)[-keep_weekly:]:
        keep.add(weeks[week].path)
    deleted = [b.path for b in pre_migration[:-KEEP_PRE_MIGRATION]]
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            deleted.append(b.path)
    return deleted
