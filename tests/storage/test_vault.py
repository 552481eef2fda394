"""The vault at rest, unlocking, backups and the key-file-only operations (SECURITY.md §3: A1, A2,
A3, A7, A8, C3, C4) and backup rotation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import select, text

from conftest import (
    CANARY_FIRST,
    CANARY_LAST,
    CANARY_NOTE,
    NEW_PASSPHRASE,
    PASSPHRASE,
    add_canary_client,
)
from gk_desktop.errors import IntegrityError, InputRejectedError, VaultExistsError, WrongSecretError
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import backup, engine, keys
from gk_desktop.storage.models import Client, Contact
from gk_desktop.storage.vault import (
    change_passphrase,
    create_vault,
    open_vault,
    recover,
    reissue_recovery_key,
)

SQLITE_HEADER = b"SQLite format 3\x00"
CANARY_TOKENS = [CANARY_FIRST, CANARY_LAST, "ZQXCANARYINTERVIEW", CANARY_NOTE, "GK-26-CANARY", "ZQXUPDATED"]


# --------------------------------------------------------------------------- helpers


def _files(root: Path, *, skip_logs: bool = True) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not (skip_logs and p.relative_to(root).parts[0] == "logs")
    )


def _snapshot(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, tuple[str, int, int]]:
    """sha256, size and mtime of every file (logs and ``skip`` aside), and the set of directories."""
    snap: dict[str, Any] = {}
    for p in _files(root):
        if p.name in skip:
            continue
        st = p.stat()
        snap[str(p.relative_to(root))] = (hashlib.sha256(p.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    snap["<dirs>"] = sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir() and p.relative_to(root).parts[0] != "logs"
    )
    return snap


# The empty lock file may be created by an open attempt; the OS lock on it, not its content, counts.
NO_LOCK = ("vault.lock",)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _patterns(tokens: list[str]) -> list[bytes]:
    out = []
    for token in tokens:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(token.encode(encoding))
    return out


def _canary_hits(root: Path) -> list[tuple[str, str]]:
    hits = []
    patterns = _patterns(CANARY_TOKENS)
    for path in _files(root, skip_logs=False):
        data = path.read_bytes()
        for pattern in patterns:
            if pattern in data:
                hits.append((path.name, pattern.decode("latin-1")))
        if b"SQLite format 3" in data:
            hits.append((path.name, "SQLite format 3"))
    return hits


def _write_canary_update(vault: Any, client_id: str) -> None:
    with vault.session() as s:
        client = s.get(Client, client_id)
        client.first_name = CANARY_FIRST + " ZQXUPDATED"
        contact = s.execute(select(Contact).where(Contact.note == CANARY_NOTE)).scalars().one()
        contact.note = CANARY_NOTE + " Nachtrag ZQXUPDATED"
        s.commit()


SYNCED_STATE_TABLES = ("client", "case", "contact", "record_clock", "field_version")


def content_hash(conn: Any) -> tuple[str, dict[str, int]]:
    """A canonical hash over every row of the synced tables and their sync state, ordered by the
    primary key; also the row counts."""
    digest = hashlib.sha256()
    counts = {}
    for table in SYNCED_STATE_TABLES:
        info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        columns = [row[1] for row in info]
        pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        assert pk, table
        order = ", ".join(f'"{c}"' for c in pk)
        rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
        counts[table] = len(rows)
        digest.update(json.dumps([table, columns, [list(r) for r in rows]], default=repr, ensure_ascii=False).encode())
    return digest.hexdigest(), counts


def _fill(vault: Any) -> str:
    from gk_desktop.services import demo

    client_id = add_canary_client(vault)
    demo.generate(vault, 12, seed=5)
    _write_canary_update(vault, client_id)
    return client_id


def _audit_kinds(vault: Any) -> list[tuple[str, str]]:
    with vault.engine.connect() as c:
        return [tuple(r) for r in c.execute(text("SELECT kind, source FROM audit_event ORDER BY at, id")).all()]


# --------------------------------------------------------------------------- A1 canary at rest


def test_a1_no_canary_in_any_file_while_open_and_after_close(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    vault = open_vault(paths, PASSPHRASE)
    try:
        client_id = add_canary_client(vault)
        _write_canary_update(vault, client_id)
        with vault.session() as s:  # the canary really is in the database
            assert s.get(Client, client_id).last_name == CANARY_LAST
        assert paths.db_wal.exists() and paths.db_wal.stat().st_size > 0
        open_files = _files(paths.root, skip_logs=False)
        assert {paths.db, paths.db_wal, paths.db_shm, paths.keys} <= set(open_files)
        assert _canary_hits(paths.root) == []

        backup_file = backup.create_backup(vault)
        outside = backup.create_backup(vault, paths.root.parent / "elsewhere" / "copy.gkbackup")
        assert backup_file.parent == paths.backups
        assert _canary_hits(paths.root) == []
        assert _canary_hits(outside.parent) == []
    finally:
        vault.close()

    files = _files(paths.root, skip_logs=False)
    names = {p.relative_to(paths.root).as_posix() for p in files}
    # Nothing but the vault, its lock and the backup: no temporary or journal file left behind.
    assert names == {"vault.db", "vault.keys", "vault.lock", f"backups/{backup_file.name}"}
    assert _canary_hits(paths.root) == []
    with open(paths.db, "rb") as fh:
        assert fh.read(16) != SQLITE_HEADER
    for f in files + [outside]:
        with open(f, "rb") as fh:
            assert fh.read(16) != SQLITE_HEADER
    # The files are the user's alone.
    if os.name == "posix":
        for f in (paths.db, paths.keys, backup_file, outside):
            assert f.stat().st_mode & 0o077 == 0, f.name

    # Negative control: the same search finds the canary in a plaintext database.
    control = paths.root.parent / "control"
    control.mkdir()
    conn = sqlcipher3.connect(str(control / "plain.db"))
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (CANARY_NOTE,))
    conn.commit()
    conn.close()
    assert _canary_hits(control)


# --------------------------------------------------------------------------- A2 foreign database


def _other_vault_keys(tmp_path: Path) -> bytes:
    other = VaultPaths(tmp_path / "other")
    create_vault(other, PASSPHRASE)
    return other.keys.read_bytes()


def test_a2_plaintext_database_is_refused_and_untouched(tmp_path: Path, vault_paths: VaultPaths) -> None:
    vault_paths.root.mkdir(parents=True)
    conn = sqlcipher3.connect(str(vault_paths.db))  # no key: a plain SQLite file
    conn.execute("CREATE TABLE client (id TEXT, first_name TEXT)")
    conn.execute("INSERT INTO client VALUES ('1', ?)", (CANARY_FIRST,))
    conn.commit()
    conn.close()
    with open(vault_paths.db, "rb") as fh:
        assert fh.read(16) == SQLITE_HEADER
    vault_paths.keys.write_bytes(_other_vault_keys(tmp_path))
    before = _snapshot(vault_paths.root, skip=NO_LOCK)

    with pytest.raises(IntegrityError) as info:
        open_vault(vault_paths, PASSPHRASE)
    assert info.value.exit_code == 5
    with pytest.raises(IntegrityError):
        open_vault(vault_paths, PASSPHRASE, read_only=True)
    assert _snapshot(vault_paths.root, skip=NO_LOCK) == before
    assert not vault_paths.db_wal.exists() and not vault_paths.db_shm.exists()


def test_a2_plaintext_database_without_key_file_is_refused(vault_paths: VaultPaths) -> None:
    vault_paths.root.mkdir(parents=True)
    conn = sqlcipher3.connect(str(vault_paths.db))
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.commit()
    conn.close()
    before = _sha(vault_paths.db)
    with pytest.raises(IntegrityError):
        open_vault(vault_paths, PASSPHRASE)
    assert _sha(vault_paths.db) == before
    assert not vault_paths.db_wal.exists()


def test_a2_random_bytes_database_is_refused_and_untouched(tmp_path: Path, vault_paths: VaultPaths) -> None:
    vault_paths.root.mkdir(parents=True)
    vault_paths.db.write_bytes(os.urandom(8192))
    vault_paths.keys.write_bytes(_other_vault_keys(tmp_path))
    before = _snapshot(vault_paths.root, skip=NO_LOCK)
    with pytest.raises(IntegrityError):
        open_vault(vault_paths, PASSPHRASE)
    with pytest.raises(IntegrityError):
        open_vault(vault_paths, PASSPHRASE, read_only=True)
    assert _snapshot(vault_paths.root, skip=NO_LOCK) == before
    assert not vault_paths.db_wal.exists() and not vault_paths.db_shm.exists()


def test_a2_database_of_another_vault_is_refused_and_untouched(tmp_path: Path, new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    other = VaultPaths(tmp_path / "other")
    create_vault(other, PASSPHRASE)
    other.keys.write_bytes(paths.keys.read_bytes())  # keys of the first vault, database of the second
    before = _snapshot(other.root)
    with pytest.raises(IntegrityError):
        open_vault(other, PASSPHRASE)
    assert _snapshot(other.root) == before
    assert not other.db_wal.exists()


# --------------------------------------------------------------------------- A3 pinned settings


def _one(conn: Any, sql: str) -> Any:
    return conn.execute(sql).fetchone()[0]


def test_a3_settings_are_as_pinned(open_vault: Any) -> None:
    conn = open_vault.conn
    assert str(_one(conn, "PRAGMA cipher_version")).startswith("4.19.0")
    assert _one(conn, "PRAGMA cipher_provider") == "openssl"
    assert str(_one(conn, "PRAGMA journal_mode")).lower() == "wal"
    assert _one(conn, "PRAGMA synchronous") == 2
    options = {r[0] for r in conn.execute("PRAGMA compile_options").fetchall()}
    temp_store = _one(conn, "PRAGMA temp_store")
    assert temp_store == 2 or (temp_store == 0 and {"TEMP_STORE=2", "TEMP_STORE=3"} & options)
    assert "HAS_CODEC" in options
    assert _one(conn, "PRAGMA secure_delete") == 1
    assert _one(conn, "PRAGMA foreign_keys") == 1
    assert _one(conn, "PRAGMA trusted_schema") == 0
    assert str(_one(conn, "PRAGMA cipher_log_level")).upper() == "NONE"
    settings = {str(r[0]) for r in conn.execute("PRAGMA cipher_settings").fetchall()}
    for key, value in engine.EXPECTED_CIPHER_SETTINGS.items():
        assert f"PRAGMA {key} = {value};" in settings
    with pytest.raises(sqlcipher3.dbapi2.OperationalError, match="not authorized"):
        conn.execute("SELECT load_extension('gk-desktop-no-such-extension')")
    report = engine.assert_settings(conn)
    assert report.cipher_version.startswith("4.19.0")
    # Through the engine's connection as well (the same one).
    with open_vault.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert c.execute(text("PRAGMA secure_delete")).scalar_one() == 1


def test_a3_read_only_open_is_checked_as_well(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    with open_vault(paths, PASSPHRASE, read_only=True) as vault:
        engine.assert_settings(vault.conn, read_only=True)
        assert _one(vault.conn, "PRAGMA synchronous") == 2
        assert _one(vault.conn, "PRAGMA trusted_schema") == 0


@pytest.mark.parametrize(
    ("change", "restore"),
    [
        ("PRAGMA synchronous = NORMAL", "PRAGMA synchronous = FULL"),
        ("PRAGMA synchronous = OFF", "PRAGMA synchronous = FULL"),
        ("PRAGMA secure_delete = OFF", "PRAGMA secure_delete = ON"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"),
        ("PRAGMA trusted_schema = ON", "PRAGMA trusted_schema = OFF"),
        ("PRAGMA temp_store = FILE", "PRAGMA temp_store = MEMORY"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = WAL"),
        ("PRAGMA cipher_log_level = WARN", "PRAGMA cipher_log_level = NONE"),
    ],
)
def test_a3_assert_settings_refuses_a_changed_setting(open_vault: Any, change: str, restore: str) -> None:
    conn = open_vault.conn
    engine.assert_settings(conn)
    conn.execute(change)
    with pytest.raises(IntegrityError) as info:
        engine.assert_settings(conn)
    assert info.value.exit_code == 5
    conn.execute(restore)
    engine.assert_settings(conn)


def test_a3_assert_settings_refuses_enabled_extension_loading(open_vault: Any) -> None:
    conn = open_vault.conn
    conn.enable_load_extension(True)
    try:
        with pytest.raises(IntegrityError):
            engine.assert_settings(conn)
    finally:
        conn.enable_load_extension(False)
    engine.assert_settings(conn)


# --------------------------------------------------------------------------- A7 failed unlocks change nothing


WRONG_PASSPHRASES = [
    "",
    "korrekt pferd batterie heftklammer ",
    " korrekt pferd batterie heftklammer",
    "Korrekt pferd batterie heftklammer",
    "korrekt pferd batterie heftklamme",
    "korrekt  pferd batterie heftklammer",
    NEW_PASSPHRASE,
    "x",
    "ä" * 200,
    "\x00",
] + [f"falsche passphrase nummer {i}" for i in range(10)]


def test_a7_twenty_wrong_passphrases_change_nothing(new_vault: tuple[VaultPaths, str]) -> None:
    paths, recovery = new_vault
    with open_vault(paths, PASSPHRASE) as vault:  # some content and a checkpointed database
        _fill(vault)
    before = _snapshot(paths.root)
    assert len(WRONG_PASSPHRASES) == 20
    for wrong in WRONG_PASSPHRASES:
        with pytest.raises(WrongSecretError) as info:
            open_vault(paths, wrong)
        assert info.value.exit_code == 3
        with pytest.raises(WrongSecretError):
            open_vault(paths, wrong, read_only=True)
    assert _snapshot(paths.root) == before
    # And the vault still opens.
    with open_vault(paths, PASSPHRASE) as vault:
        assert vault.dek is not None


def test_a7_twenty_wrong_passphrases_through_the_cli_change_nothing(
    new_vault: tuple[VaultPaths, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gk_desktop import cli

    paths, _recovery = new_vault
    before = _snapshot(paths.root)
    commands = (["info"], ["check"], ["backup"], ["demo", "--clients", "3"], ["reissue-recovery-key"])
    for i in range(20):
        monkeypatch.setenv("GK_PASSPHRASE", f"falsche passphrase nummer {i}")
        monkeypatch.setenv("GK_NEW_PASSPHRASE", NEW_PASSPHRASE)
        for command in commands:
            assert cli.main(["--data-dir", str(paths.root), *command, "--json"]) == 3, command
            out = capsys.readouterr().out
            assert json.loads(out)["exit_code"] == 3
        assert cli.main(["--data-dir", str(paths.root), "change-passphrase"]) == 3
    assert _snapshot(paths.root) == before


def test_a7_wrong_recovery_key_changes_nothing(
    new_vault: tuple[VaultPaths, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gk_desktop import cli

    paths, recovery = new_vault
    before = _snapshot(paths.root)
    foreign = keys.format_recovery_key(os.urandom(32))  # well-formed, but of no vault
    typo = recovery[:-1] + ("A" if recovery[-1] != "A" else "B")
    for wrong in (foreign, typo, "ABCDE", ""):
        with pytest.raises(WrongSecretError):
            open_vault(paths, recovery_key=wrong)
        with pytest.raises(WrongSecretError):
            recover(paths, wrong, NEW_PASSPHRASE)
    monkeypatch.setenv("GK_RECOVERY_KEY", foreign)
    monkeypatch.setenv("GK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    assert cli.main(["--data-dir", str(paths.root), "info"]) == 3
    assert cli.main(["--data-dir", str(paths.root), "recover"]) == 3
    capsys.readouterr()
    assert _snapshot(paths.root) == before
    with open_vault(paths, recovery_key=recovery) as vault:
        assert vault.dek is not None


# --------------------------------------------------------------------------- A8 backup and restore


@pytest.fixture
def filled_backup(new_vault: tuple[VaultPaths, str]) -> tuple[VaultPaths, str, Path, str, str]:
    """A vault with canary and demo data, its backup, the content hash and the device id."""
    paths, recovery = new_vault
    with open_vault(paths, PASSPHRASE) as vault:
        _fill(vault)
        digest, counts = content_hash(vault.conn)
        assert counts["client"] == 13 and counts["field_version"] > 0
        device_id = vault.device_id
        backup_file = backup.create_backup(vault)
    return paths, recovery, backup_file, digest, device_id


def test_a8_restore_gives_identical_content_and_a_new_device(
    tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]
) -> None:
    from gk_desktop.services import vault_admin

    paths, _recovery, backup_file, digest, device_id = filled_backup
    target = VaultPaths(tmp_path / "restored")
    new_device = backup.restore_backup(backup_file, target, passphrase=PASSPHRASE)
    assert new_device != device_id
    with open_vault(target, PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
        assert vault.device_id == new_device
        quick, cipher = engine.integrity_report(vault.conn)
        assert quick == "ok" and cipher == []
        assert ("restore", "cli") in _audit_kinds(vault)
        assert vault.keyfile.vault_id == keys.load_keyfile(paths.keys).vault_id
    with open(target.db, "rb") as fh:
        assert fh.read(16) != SQLITE_HEADER
    assert {p.name for p in _files(target.root)} == {"vault.db", "vault.keys", "vault.lock"}
    assert vault_admin.check_vault(target.root, PASSPHRASE).ok
    # The original is unchanged in content and keeps its device id.
    with open_vault(paths, PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
        assert vault.device_id == device_id


def test_a8_restore_with_the_recovery_key(tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]) -> None:
    paths, recovery, backup_file, digest, device_id = filled_backup
    target = VaultPaths(tmp_path / "restored-rk")
    new_device = backup.restore_backup(backup_file, target, recovery_key=recovery.lower().replace("-", " "))
    assert new_device != device_id
    with open_vault(target, PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
    with open_vault(target, recovery_key=recovery) as vault:
        assert content_hash(vault.conn)[0] == digest


def test_a8_restore_with_a_new_passphrase(tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]) -> None:
    _paths, recovery, backup_file, digest, _device_id = filled_backup
    target = VaultPaths(tmp_path / "restored-new")
    backup.restore_backup(backup_file, target, recovery_key=recovery, new_passphrase=NEW_PASSPHRASE)
    with pytest.raises(WrongSecretError):
        open_vault(target, PASSPHRASE)
    with open_vault(target, NEW_PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
        assert ("passphrase_change", "keys:cli") in _audit_kinds(vault)


def test_a8_restore_with_a_weak_new_passphrase_is_rejected(
    tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]
) -> None:
    _paths, _recovery, backup_file, _digest, _device_id = filled_backup
    target = tmp_path / "restored-weak"
    with pytest.raises(InputRejectedError):
        backup.restore_backup(backup_file, VaultPaths(target), passphrase=PASSPHRASE, new_passphrase="passwordpassword")
    assert not target.exists()


def test_a8_restore_with_wrong_secret_creates_nothing(
    tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]
) -> None:
    _paths, _recovery, backup_file, _digest, _device_id = filled_backup
    target = tmp_path / "restored-wrong"
    with pytest.raises(WrongSecretError) as info:
        backup.restore_backup(backup_file, VaultPaths(target), passphrase=NEW_PASSPHRASE)
    assert info.value.exit_code == 3
    assert not target.exists()
    with pytest.raises(WrongSecretError):
        backup.restore_backup(backup_file, VaultPaths(target), recovery_key=keys.format_recovery_key(os.urandom(32)))
    assert not target.exists()
    # An existing empty folder stays empty.
    target.mkdir()
    with pytest.raises(WrongSecretError):
        backup.restore_backup(backup_file, VaultPaths(target), passphrase=NEW_PASSPHRASE)
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("where", ["middle", "keys-part", "header", "last-byte", "truncated", "appended"])
def test_a8_damaged_backup_is_refused_and_target_unchanged(
    tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str], where: str
) -> None:
    _paths, _recovery, backup_file, _digest, _device_id = filled_backup
    damaged = tmp_path / "damaged.gkbackup"
    raw = bytearray(backup_file.read_bytes())
    if where == "middle":
        raw[len(raw) // 2] ^= 0x40
    elif where == "keys-part":
        raw[raw.index(b'"wrapped_key"') + 20] ^= 0x01
    elif where == "header":
        raw[raw.index(b'"sha256"') + 15] ^= 0x01
    elif where == "last-byte":
        raw[-1] ^= 0x01
    elif where == "truncated":
        del raw[-100:]
    else:
        raw += b"\x00" * 16
    damaged.write_bytes(bytes(raw))

    # An empty target stays absent; an existing vault stays as it is, even with replace.
    target = VaultPaths(tmp_path / "target")
    with pytest.raises(IntegrityError) as info:
        backup.restore_backup(damaged, target, passphrase=PASSPHRASE)
    assert info.value.exit_code == 5
    assert not target.root.exists()

    existing = VaultPaths(tmp_path / "existing")
    create_vault(existing, NEW_PASSPHRASE)
    before = _snapshot(existing.root)
    with pytest.raises(IntegrityError):
        backup.restore_backup(damaged, existing, passphrase=PASSPHRASE, replace_existing=True)
    assert _snapshot(existing.root) == before


def test_a8_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.gkbackup"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(IntegrityError):
        backup.restore_backup(junk, VaultPaths(tmp_path / "t"), passphrase=PASSPHRASE)
    with pytest.raises(InputRejectedError):
        backup.restore_backup(tmp_path / "missing.gkbackup", VaultPaths(tmp_path / "t"), passphrase=PASSPHRASE)
    assert not (tmp_path / "t").exists()


def test_a8_restore_into_an_existing_vault_needs_replace(
    tmp_path: Path, filled_backup: tuple[VaultPaths, str, Path, str, str]
) -> None:
    _paths, _recovery, backup_file, digest, device_id = filled_backup
    existing = VaultPaths(tmp_path / "existing")
    create_vault(existing, NEW_PASSPHRASE)
    before = _snapshot(existing.root)
    with pytest.raises(VaultExistsError) as info:
        backup.restore_backup(backup_file, existing, passphrase=PASSPHRASE)
    assert info.value.exit_code == 8
    assert _snapshot(existing.root) == before

    # With replace, the old vault is set aside (never deleted) and the backup takes its place.
    old_files = {name: _sha(existing.root / name) for name in ("vault.db", "vault.keys")}
    new_device = backup.restore_backup(backup_file, existing, passphrase=PASSPHRASE, replace_existing=True)
    assert new_device != device_id
    aside = [p for p in existing.root.iterdir() if p.name.startswith("replaced-")]
    assert len(aside) == 1
    assert {name: _sha(aside[0] / name) for name in old_files} == old_files
    with open_vault(existing, PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest


def test_a8_backup_to_an_existing_file_is_refused(open_vault: Any, tmp_path: Path) -> None:
    dest = tmp_path / "b.gkbackup"
    dest.write_bytes(b"keep")
    with pytest.raises(InputRejectedError):
        backup.create_backup(open_vault, dest)
    assert dest.read_bytes() == b"keep"


# --------------------------------------------------------------------------- C3 passphrase change


def test_c3_passphrase_change_writes_only_the_key_file(new_vault: tuple[VaultPaths, str]) -> None:
    paths, recovery = new_vault
    with open_vault(paths, PASSPHRASE) as vault:
        _fill(vault)
        digest = content_hash(vault.conn)[0]
    before = _snapshot(paths.root)
    keys_before = paths.keys.read_bytes()

    change_passphrase(paths, PASSPHRASE, NEW_PASSPHRASE)

    after = _snapshot(paths.root)
    assert paths.keys.read_bytes() != keys_before
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert changed == {"vault.keys"}
    keyfile = keys.load_keyfile(paths.keys)
    assert [e.kind for e in keyfile.pending_events] == ["passphrase_change"]

    with pytest.raises(WrongSecretError):
        open_vault(paths, PASSPHRASE)
    with pytest.raises(WrongSecretError):
        keys.unlock_with_passphrase(keys.load_keyfile(paths.keys), PASSPHRASE)

    # A read-only unlock does not move the events.
    with open_vault(paths, NEW_PASSPHRASE, read_only=True) as vault:
        assert ("passphrase_change", "keys:cli") not in _audit_kinds(vault)
    assert keys.load_keyfile(paths.keys).pending_events == keyfile.pending_events

    with open_vault(paths, NEW_PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
        kinds = _audit_kinds(vault)
        assert kinds.count(("passphrase_change", "keys:cli")) == 1
    flushed = keys.load_keyfile(paths.keys)
    assert flushed.pending_events == ()
    # The recovery key is not affected by a passphrase change.
    with open_vault(paths, recovery_key=recovery) as vault:
        assert _audit_kinds(vault).count(("passphrase_change", "keys:cli")) == 1


def test_c3_change_needs_the_right_old_passphrase_and_a_good_new_one(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    before = _snapshot(paths.root)
    with pytest.raises(WrongSecretError):
        change_passphrase(paths, NEW_PASSPHRASE, "grüne wolke über dem rhein")
    with pytest.raises(InputRejectedError):
        change_passphrase(paths, PASSPHRASE, "passwordpassword")
    assert _snapshot(paths.root) == before
    with open_vault(paths, PASSPHRASE) as vault:
        assert vault.dek is not None


def test_c3_forged_pending_event_is_ignored(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    data = json.loads(paths.keys.read_bytes())
    data["pending_events"]["events"] = [{"kind": "erasure", "at": "2026-01-01T00:00:00+00:00", "source": "cli"}]
    paths.keys.write_bytes((json.dumps(data, indent=2, sort_keys=True) + "\n").encode())
    with open_vault(paths, PASSPHRASE) as vault:
        assert "erasure" not in {kind for kind, _source in _audit_kinds(vault)}
    assert keys.load_keyfile(paths.keys).pending_events == ()


# --------------------------------------------------------------------------- C4 recovery drill


def test_c4_recovery_drill(new_vault: tuple[VaultPaths, str]) -> None:
    paths, printed = new_vault
    with open_vault(paths, PASSPHRASE) as vault:
        client_id = _fill(vault)
        digest = content_hash(vault.conn)[0]
    db_before = _sha(paths.db)

    new_key = recover(paths, printed.lower().replace("-", " "), NEW_PASSPHRASE)
    assert new_key != printed
    assert keys.parse_recovery_key(new_key)  # well-formed
    assert _sha(paths.db) == db_before  # only the key file changes

    with pytest.raises(WrongSecretError):
        open_vault(paths, PASSPHRASE)
    with pytest.raises(WrongSecretError):
        open_vault(paths, recovery_key=printed)
    with pytest.raises(WrongSecretError):
        recover(paths, printed, "noch eine ganz andere passphrase")
    with open_vault(paths, NEW_PASSPHRASE) as vault:
        assert content_hash(vault.conn)[0] == digest
        with vault.session() as s:
            assert s.get(Client, client_id).last_name == CANARY_LAST
        kinds = [kind for kind, _source in _audit_kinds(vault)]
        assert kinds.count("recovery") == 1 and kinds.count("recovery_key_reissue") == 1
    with open_vault(paths, recovery_key=new_key) as vault:
        assert content_hash(vault.conn)[0] == digest


def test_c4_reissue_invalidates_the_previous_recovery_key(new_vault: tuple[VaultPaths, str]) -> None:
    paths, first = new_vault
    db_before = _sha(paths.db)
    second = reissue_recovery_key(paths, PASSPHRASE)
    assert second != first
    assert _sha(paths.db) == db_before
    with pytest.raises(WrongSecretError):
        open_vault(paths, recovery_key=first)
    third = reissue_recovery_key(paths, PASSPHRASE)
    with pytest.raises(WrongSecretError):
        open_vault(paths, recovery_key=second)
    with pytest.raises(WrongSecretError):
        reissue_recovery_key(paths, NEW_PASSPHRASE)
    with open_vault(paths, recovery_key=third) as vault:
        kinds = [kind for kind, _source in _audit_kinds(vault)]
        assert kinds.count("recovery_key_reissue") == 2
    with open_vault(paths, PASSPHRASE) as vault:  # the passphrase still works
        assert vault.dek is not None
    # A backup made now opens with the newest recovery key, not an older one.
    with open_vault(paths, PASSPHRASE) as vault:
        backup_file = backup.create_backup(vault)
    with pytest.raises(WrongSecretError):
        backup.restore_backup(backup_file, VaultPaths(paths.root.parent / "r1"), recovery_key=first)
    backup.restore_backup(backup_file, VaultPaths(paths.root.parent / "r2"), recovery_key=third)


# --------------------------------------------------------------------------- backup rotation


def _backup_name(when: dt.datetime, kind: str = "manual") -> str:
    return f"gk-backup-{when.strftime('%Y%m%dT%H%M%S')}{when.microsecond // 1000:03d}Z-{kind}.gkbackup"


def test_backup_rotation_keeps_newest_per_day_and_per_iso_week(tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    directory.mkdir()
    last_day = dt.datetime(2026, 11, 25)  # a Wednesday, ISO week 48
    names = []
    for back in range(40):
        day = last_day - dt.timedelta(days=back)
        for hour, minute, ms, kind in ((8, 0, 0, "pre-migration"), (10, 15, 0, "manual"), (10, 15, 500, "manual")):
            if back % 3 == 1 and hour == 8:
                continue
            when = day.replace(hour=hour, minute=minute, microsecond=ms * 1000)
            name = _backup_name(when, kind)
            (directory / name).write_bytes(b"")
            names.append(name)
    other = ["notes.txt", "gk-backup-garbage.gkbackup", "gk-backup-20261125T101500000Z-manual.gkbackup.part"]
    for name in other:
        (directory / name).write_bytes(b"")

    deleted = backup.rotate_backups(directory)

    def newest(day: dt.date) -> str:
        return _backup_name(dt.datetime(day.year, day.month, day.day, 10, 15, 0, 500_000))

    days = [dt.date(2026, 11, d) for d in range(19, 26)]  # the last 7 days
    weeks = [dt.date(2026, 11, 8), dt.date(2026, 11, 15), dt.date(2026, 11, 22), dt.date(2026, 11, 25)]
    expected = {newest(d) for d in days} | {newest(d) for d in weeks}
    assert len(expected) == 9
    # The newest three pre-migration backups stay apart from the daily/weekly rule.
    expected |= {_backup_name(dt.datetime(2026, 11, d, 8, 0), "pre-migration") for d in (25, 23, 22)}
    remaining = {p.name for p in directory.iterdir()}
    assert remaining == expected | set(other)
    assert {p.name for p in deleted} == set(names) - expected
    # A second run deletes nothing more.
    assert backup.rotate_backups(directory) == []
    listed = backup.list_backups(directory)
    assert [b.path.name for b in listed] == sorted(expected)


def test_backup_rotation_keeps_everything_when_there_are_few(tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    directory.mkdir()
    when = dt.datetime(2026, 11, 25, 9, 0)
    names = {_backup_name(when - dt.timedelta(weeks=w)) for w in range(3)}
    for name in names:
        (directory / name).write_bytes(b"")
    assert backup.rotate_backups(directory) == []
    assert {p.name for p in directory.iterdir()} == names


def test_backup_into_backups_folder_rotates(open_vault: Any) -> None:
    directory = open_vault.paths.backups
    directory.mkdir(exist_ok=True)
    old = _backup_name(dt.datetime(2020, 1, 1, 12, 0))
    (directory / old).write_bytes(b"")
    for offset in range(1, 9):
        (directory / _backup_name(dt.datetime(2020, 1, 1, 12, 0) + dt.timedelta(days=offset))).write_bytes(b"")
    made = backup.create_backup(open_vault)
    assert made.exists()
    assert not (directory / old).exists()
