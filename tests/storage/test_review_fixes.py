"""Regression tests for the twelve findings of the vault-foundation review.

Each test reproduces one finding (the scripts of the review) and fails on the code before the fix:
connection sharing, the stamp write guard, undelete, rows gone without a delete stamp, interrupted
creation, restore faults, migrations with foreign keys, data folder names, an empty database,
crafted key and backup files, pending events recorded once, and backup rotation.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy.exc
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from conftest import NEW_PASSPHRASE, PASSPHRASE, add_canary_client
from gk_desktop import cli
from gk_desktop.errors import IntegrityError, VaultExistsError
from gk_desktop.paths import VaultPaths
from gk_desktop.storage import backup, keys, migrate
from gk_desktop.storage import engine as engine_mod
from gk_desktop.storage import vault as vault_mod
from gk_desktop.storage.models import SYNCED_MODELS, AuditEvent, Case, Client, FieldVersion, RecordClock
from gk_desktop.storage.stamps import DELETED_FIELD, UnstampedWriteError, synced_fields, verify_stamps

OTHER_DEVICE = "0b5e7a51-0000-4000-8000-00000000beef"


# --------------------------------------------------------------------------- helpers


def _client(case_code: str = "GK-26-RV0001", **kw: Any) -> Client:
    base: dict[str, Any] = dict(case_code=case_code, first_name="Aya", last_name="Haddad",
                                birth_date=dt.date(2007, 1, 1))
    base.update(kw)
    return Client(**base)


@contextlib.contextmanager
def _opened(paths: VaultPaths, passphrase: str = PASSPHRASE) -> Iterator[Any]:
    v = vault_mod.open_vault(paths, passphrase)
    try:
        yield v
    finally:
        if v.conn is not None:
            v.close()


def _client_ids(v: Any) -> set[str]:
    with v.session() as s:
        return set(s.execute(select(Client.id)).scalars())


def _count_events(v: Any, kind: str) -> int:
    with v.session() as s:
        return s.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == kind)).scalar_one()


def _synced_state(v: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Every synced row and every stamp, to show that a refused write changed nothing."""
    with v.engine.connect() as c:
        clients = c.exec_driver_sql("SELECT * FROM client ORDER BY id").all()
        clocks = c.exec_driver_sql("SELECT * FROM record_clock ORDER BY table_name, row_id").all()
        fields = c.exec_driver_sql(
            "SELECT * FROM field_version ORDER BY table_name, row_id, field, dot_device, dot_counter").all()
    return clients, clocks, fields


def _stamp_problems(v: Any) -> list[str]:
    with v.session() as s:
        return verify_stamps(s, SYNCED_MODELS)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- 1 connection sharing


def test_1a_record_event_joins_the_callers_session(open_vault: Any) -> None:
    v = open_vault
    with v.session() as s:
        c = _client()
        s.add(c)
        s.flush()
        v.record_event("print", session=s)
        s.commit()
        cid = c.id
    assert cid in _client_ids(v)
    assert _count_events(v, "print") == 1


def test_1b_second_transaction_on_the_same_thread_fails_loudly_and_keeps_the_first(
    new_vault: tuple[VaultPaths, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "POOL_TIMEOUT_S", 0.2)  # read when the engine is made
    paths, _recovery = new_vault
    with _opened(paths) as v:
        with v.session() as s:
            c = _client()
            s.add(c)
            s.flush()
            with pytest.raises(sqlalchemy.exc.TimeoutError):
                v.record_event("print")  # no session=: it would need a second connection
            with pytest.raises(sqlalchemy.exc.TimeoutError):
                with v.session() as other:
                    other.execute(select(func.count()).select_from(Client)).scalar()
            s.commit()
            cid = c.id
        assert cid in _client_ids(v), "the first session's flushed rows were committed"
        assert _count_events(v, "print") == 0
        assert _stamp_problems(v) == []


def test_1c_a_reader_on_another_thread_waits_for_the_writer(open_vault: Any) -> None:
    v = open_vault
    flushed, release, reader_started, reader_done = (threading.Event() for _ in range(4))
    errors: dict[str, BaseException] = {}
    result: dict[str, Any] = {}

    def writer() -> None:
        try:
            with v.session() as w:
                c = _client()
                w.add(c)
                w.flush()
                result["id"] = c.id
                flushed.set()
                release.wait(10)
                w.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors["writer"] = exc
            flushed.set()

    def reader() -> None:
        try:
            reader_started.set()
            with v.session() as r:
                result["count"] = r.execute(select(func.count()).select_from(Client)).scalar_one()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors["reader"] = exc
        finally:
            reader_done.set()

    tw = threading.Thread(target=writer, name="rv-writer")
    tr = threading.Thread(target=reader, name="rv-reader")
    tw.start()
    try:
        assert flushed.wait(10)
        tr.start()
        assert reader_started.wait(10)
        # While the writer's transaction is open the reader cannot finish: it waits for the connection.
        assert not reader_done.wait(0.2), f"reader finished during the writer's transaction: {errors or result}"
    finally:
        release.set()
        tw.join(10)
        if tr.ident is not None:  # started
            tr.join(10)
    assert not tw.is_alive() and not tr.is_alive()
    assert errors == {}
    assert result["count"] == 1, "the reader ran after the writer committed"
    assert result["id"] in _client_ids(v)
    assert _stamp_problems(v) == []


# --------------------------------------------------------------------------- 2 write guard


def _text_update(v: Any, s: Any) -> None:
    s.execute(text("UPDATE client SET first_name='x'"))


def _core_delete_on_session_connection(v: Any, s: Any) -> None:
    s.connection().execute(delete(Client.__table__))


def _bulk_save_objects(v: Any, s: Any) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    s.bulk_save_objects([_client("GK-26-RV0003", id="00000000-0000-7000-8000-000000000003", created_at=now,
                                 updated_at=now, gender="DIVERS", birth_date_fictitious=False)])


def _bulk_insert_mappings(v: Any, s: Any) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    s.bulk_insert_mappings(Client, [dict(
        id="00000000-0000-7000-8000-000000000004", case_code="GK-26-RV0004", first_name="x", last_name="y",
        birth_date=dt.date(2007, 1, 1), birth_date_fictitious=False, gender="DIVERS", created_at=now,
        updated_at=now,
    )])


def _plain_session(v: Any, _s: Any) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    with Session(bind=v.engine) as plain:
        plain.add(_client("GK-26-RV0005", id="00000000-0000-7000-8000-000000000005", created_at=now,
                          updated_at=now))
        plain.commit()


@pytest.mark.parametrize(
    "write",
    [_text_update, _core_delete_on_session_connection, _bulk_save_objects, _bulk_insert_mappings, _plain_session],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_2_unstamped_writes_on_synced_tables_are_refused(open_vault: Any, write: Callable[[Any, Any], None]) -> None:
    v = open_vault
    with v.session() as s:
        s.add_all([_client("GK-26-RV0001"), _client("GK-26-RV0002", first_name="Noor")])
        s.commit()
    before = _synced_state(v)
    with pytest.raises(UnstampedWriteError):
        with v.session() as s:
            write(v, s)
            s.commit()
    assert _synced_state(v) == before
    assert _stamp_problems(v) == []
    # The refused attempt left no mark behind: a normal write still works and is stamped.
    with v.session() as s:
        s.add(_client("GK-26-RV0009"))
        s.commit()
    assert len(_client_ids(v)) == 3
    assert _stamp_problems(v) == []


# --------------------------------------------------------------------------- 3 undelete


def test_3_a_write_on_a_deleted_id_restores_it_with_the_version_vector(open_vault: Any) -> None:
    v = open_vault
    dev = v.device_id
    with v.session() as s:
        c = _client()
        s.add(c)
        s.commit()
        rid = c.id
    # Another device has written this record too: its dot is in the version vector.
    with v.engine.begin() as c2:
        (vv_json,) = c2.exec_driver_sql(
            "SELECT vv_json FROM record_clock WHERE table_name='client' AND row_id=?", (rid,)).one()
        vv = {**json.loads(vv_json), OTHER_DEVICE: 7}
        c2.exec_driver_sql("UPDATE record_clock SET vv_json=? WHERE table_name='client' AND row_id=?",
                           (json.dumps(vv, sort_keys=True), rid))
    with v.session() as s:
        s.delete(s.get(Client, rid))
        s.commit()
    with v.session() as s:
        s.add(_client(id=rid, first_name="Aya Nour"))
        s.commit()
    with v.session() as s:
        clock = s.get(RecordClock, ("client", rid))
        vv_after = json.loads(clock.vv_json)
        assert vv_after[OTHER_DEVICE] == 7, "the other device's counter survives the undelete"
        assert not clock.deleted
        rows = s.execute(select(FieldVersion).where(FieldVersion.table_name == "client",
                                                    FieldVersion.row_id == rid)).scalars().all()
        by_field: dict[str, list[FieldVersion]] = {}
        for r in rows:
            by_field.setdefault(r.field, []).append(r)
        assert set(by_field) == set(synced_fields(Client)) | {DELETED_FIELD}
        new_dot = (dev, vv_after[dev])
        for name, siblings in by_field.items():
            assert len(siblings) == 1, f"{name} has {len(siblings)} siblings"
            assert (siblings[0].dot_device, siblings[0].dot_counter) == new_dot, name
        assert json.loads(by_field[DELETED_FIELD][0].value_json) is False
        assert json.loads(by_field["first_name"][0].value_json) == "Aya Nour"
        assert verify_stamps(s, SYNCED_MODELS) == []


# --------------------------------------------------------------------------- 4 row gone without a stamp


def test_4_verify_stamps_flags_a_row_deleted_behind_the_stamps(open_vault: Any) -> None:
    v = open_vault
    with v.session() as s:
        c = _client()
        s.add(c)
        s.commit()
        rid = c.id
    assert _stamp_problems(v) == []
    with v.engine.begin() as c2:
        c2.exec_driver_sql("DELETE FROM client WHERE id=?", (rid,))
    assert _stamp_problems(v) == [f"client/{rid}: row gone without a delete stamp"]


# --------------------------------------------------------------------------- 5 interrupted creation


def test_5a_failed_final_rename_of_create_vault_leaves_no_vault(
    vault_paths: VaultPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = vault_paths
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: Any, dst: Any, *a: Any, **kw: Any) -> None:
        # The last step of a creation: the key file takes its name (after the database took its).
        calls.append(Path(dst).name)
        if Path(dst) == paths.keys:
            raise OSError(28, "No space left on device")
        real_replace(src, dst, *a, **kw)

    monkeypatch.setattr("gk_desktop.storage.vault.os.replace", failing_replace)
    with pytest.raises(OSError):
        vault_mod.create_vault(paths, PASSPHRASE)
    monkeypatch.setattr("gk_desktop.storage.vault.os.replace", real_replace)
    assert calls[-2:] == ["vault.db", "vault.keys"]
    assert not paths.db.exists(), "no orphan database"
    assert not paths.keys.exists()
    assert not paths.has_vault()
    assert not [p.name for p in paths.root.iterdir() if p.name.startswith((".vault", "vault.db"))]
    vault_mod.create_vault(paths, PASSPHRASE)
    with _opened(paths) as v:
        assert _stamp_problems(v) == []


def test_5b_creation_killed_between_the_renames_is_finished_at_the_next_start(
    new_vault: tuple[VaultPaths, str]
) -> None:
    paths, _recovery = new_vault
    staged = paths.root / ".vault.keys.init"
    # The state a kill between "database takes its name" and "key file takes its name" leaves.
    os.replace(paths.keys, staged)
    db_before = _digest(paths.db)
    with pytest.raises(VaultExistsError):
        vault_mod.create_vault(paths, PASSPHRASE)
    assert _digest(paths.db) == db_before, "the existing database is not overwritten"
    with _opened(paths) as v:
        assert paths.keys.exists() and not staged.exists()
        assert _count_events(v, "vault_created") == 1
    with pytest.raises(VaultExistsError):
        vault_mod.create_vault(paths, PASSPHRASE)
    with _opened(paths):
        pass


# --------------------------------------------------------------------------- 6 restore


def test_6a_failed_swap_in_restore_puts_the_working_vault_back(
    new_vault: tuple[VaultPaths, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, _recovery = new_vault
    with _opened(paths) as v:
        bak = backup.create_backup(v, tmp_path / "before-canary.gkbackup")
        canary = add_canary_client(v)
        device_id = v.device_id
    real_replace = os.replace
    failed: list[str] = []

    def failing_replace(src: Any, dst: Any, *a: Any, **kw: Any) -> None:
        # Only the staged key file's rename fails; putting the old files back must work.
        if Path(dst) == paths.keys and not failed:
            failed.append(Path(src).name)
            raise OSError(28, "No space left on device")
        real_replace(src, dst, *a, **kw)

    monkeypatch.setattr("gk_desktop.storage.backup.os.replace", failing_replace)
    with pytest.raises(OSError):
        backup.restore_backup(bak, paths, passphrase=PASSPHRASE, replace_existing=True)
    monkeypatch.setattr("gk_desktop.storage.backup.os.replace", real_replace)
    assert failed, "the swap reached the key file's rename"
    for aside in paths.root.glob("replaced-*"):
        assert not any(aside.iterdir()), f"{aside.name} still holds vault files"
    assert not list(paths.root.glob(".restore-*"))
    with _opened(paths) as v:
        assert v.device_id == device_id, "still the working vault, not the backup"
        assert canary in _client_ids(v)
        assert _count_events(v, "restore") == 0
        assert _stamp_problems(v) == []


def test_6b_backup_with_an_unknown_schema_revision_is_refused_before_the_swap(
    new_vault: tuple[VaultPaths, str], tmp_path: Path
) -> None:
    newer_paths = VaultPaths(tmp_path / "newer")
    vault_mod.create_vault(newer_paths, PASSPHRASE)
    with _opened(newer_paths) as newer:
        with newer.engine.begin() as c:
            c.exec_driver_sql("UPDATE alembic_version SET version_num='9999'")
        bak = backup.create_backup(newer, tmp_path / "newer.gkbackup")
    paths, _recovery = new_vault
    with _opened(paths) as v:
        canary = add_canary_client(v)
        device_id = v.device_id
    files_before = {p.name: _digest(p) for p in paths.vault_files()}
    with pytest.raises(IntegrityError):
        backup.restore_backup(bak, paths, passphrase=PASSPHRASE, replace_existing=True)
    assert {p.name: _digest(p) for p in paths.vault_files()} == files_before
    assert not list(paths.root.glob("replaced-*"))
    assert not list(paths.root.glob(".restore-*"))
    with _opened(paths) as v:
        assert v.device_id == device_id
        assert canary in _client_ids(v)


# --------------------------------------------------------------------------- 7 migrations and foreign keys


def _client_and_case(v: Any) -> tuple[str, str]:
    with v.session() as s:
        c = _client()
        s.add(c)
        s.flush()
        k = Case(client_id=c.id, first_contact_on=dt.date(2026, 1, 10))
        s.add(k)
        s.commit()
        return c.id, k.id


def _fake_upgrade(then: Callable[[Any], None] | None = None) -> Callable[[Any, str], None]:
    """A migration that rebuilds ``client`` the way Alembic's batch mode does."""

    def upgrade(cfg: Any, _revision: str) -> None:
        from alembic.operations import Operations
        from alembic.runtime.migration import MigrationContext

        conn = cfg.attributes["connection"]
        ops = Operations(MigrationContext.configure(conn))
        with ops.batch_alter_table("client", recreate="always"):
            pass
        if then is not None:
            then(conn)

    return upgrade


def _foreign_keys(v: Any) -> int:
    return int(v.conn.execute("PRAGMA foreign_keys").fetchone()[0])


def test_7a_batch_migration_of_a_referenced_table_succeeds(open_vault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    v = open_vault
    cid, kid = _client_and_case(v)
    before = _synced_state(v)
    monkeypatch.setattr("alembic.command.upgrade", _fake_upgrade())
    migrate.upgrade_vault(v.conn, v.engine)
    assert _foreign_keys(v) == 1
    assert _synced_state(v) == before
    with v.session() as s:
        assert s.get(Case, kid).client_id == cid
        assert verify_stamps(s, SYNCED_MODELS) == []


def test_7b_migration_leaving_a_broken_reference_is_rolled_back(
    open_vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    v = open_vault
    cid, kid = _client_and_case(v)
    before = _synced_state(v)

    def drop_the_client(conn: Any) -> None:
        conn.exec_driver_sql("DELETE FROM client WHERE id=?", (cid,))

    monkeypatch.setattr("alembic.command.upgrade", _fake_upgrade(drop_the_client))
    with pytest.raises(IntegrityError):
        migrate.upgrade_vault(v.conn, v.engine)
    assert _foreign_keys(v) == 1
    assert _synced_state(v) == before
    assert cid in _client_ids(v)
    assert _stamp_problems(v) == []


# --------------------------------------------------------------------------- 8 data folder names


@pytest.mark.parametrize("name", ["Fall#3", "a?b", "50%25"])
def test_8_data_folder_names_with_uri_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    d = base / name
    monkeypatch.setenv("GK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--data-dir", str(d), "init", "--json"]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", str(d), "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["data_dir"] == str(d)
    assert cli.main(["--data-dir", str(d), "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert sorted(p.name for p in base.iterdir()) == [name], "no stray file next to the data folder"


# --------------------------------------------------------------------------- 9 empty database


def test_9_an_empty_vault_db_is_refused_and_not_written(new_vault: tuple[VaultPaths, str]) -> None:
    paths, _recovery = new_vault
    paths.db.write_bytes(b"")
    for p in (paths.db_wal, paths.db_shm):
        p.unlink(missing_ok=True)
    with pytest.raises(IntegrityError):
        vault_mod.open_vault(paths, PASSPHRASE)
    assert paths.db.stat().st_size == 0
    with pytest.raises(IntegrityError):
        vault_mod.open_vault(paths, PASSPHRASE, read_only=True)
    assert paths.db.stat().st_size == 0
    assert not paths.db_wal.exists()


# --------------------------------------------------------------------------- 10 crafted files


def _crafted_nonce(size: int) -> Callable[[bytes], bytes]:
    def craft(good: bytes) -> bytes:
        k = json.loads(good)
        k["slots"]["passphrase"]["nonce"] = base64.b64encode(b"\x01" * size).decode()
        return json.dumps(k).encode()

    return craft


def _crafted_wrapped_key(good: bytes) -> bytes:
    k = json.loads(good)
    wrapped = base64.b64decode(k["slots"]["passphrase"]["wrapped_key"])
    k["slots"]["passphrase"]["wrapped_key"] = base64.b64encode(wrapped[:-1]).decode()
    return json.dumps(k).encode()


def _crafted_deep_json(_good: bytes) -> bytes:
    return b"[" * 5000 + b"]" * 5000


@pytest.mark.parametrize(
    "craft",
    [_crafted_nonce(0), _crafted_nonce(4), _crafted_wrapped_key, _crafted_deep_json],
    ids=["nonce-0-bytes", "nonce-4-bytes", "wrapped-key-short", "json-5000-deep"],
)
def test_10a_crafted_key_files_are_integrity_errors(
    new_vault: tuple[VaultPaths, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    craft: Callable[[bytes], bytes],
) -> None:
    paths, _recovery = new_vault
    paths.keys.write_bytes(craft(paths.keys.read_bytes()))
    crafted = paths.keys.read_bytes()
    with pytest.raises(IntegrityError) as info:
        vault_mod.open_vault(paths, PASSPHRASE)
    assert info.value.exit_code == 5
    monkeypatch.setenv("GK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--data-dir", str(paths.root), "info", "--json"]) == 5
    assert json.loads(capsys.readouterr().out)["exit_code"] == 5
    assert paths.keys.read_bytes() == crafted


def test_10b_backup_with_a_deeply_nested_header_is_an_integrity_error(tmp_path: Path, vault_paths: VaultPaths) -> None:
    crafted = tmp_path / "crafted.gkbackup"
    crafted.write_bytes(backup.MAGIC + b"[" * 3000 + b"\n")
    with pytest.raises(IntegrityError):
        backup.restore_backup(crafted, vault_paths, passphrase=PASSPHRASE)
    assert not vault_paths.has_vault()


# --------------------------------------------------------------------------- 11 pending events


def test_11_pending_event_is_recorded_once_when_clearing_the_key_file_failed(
    new_vault: tuple[VaultPaths, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, _recovery = new_vault
    vault_mod.change_passphrase(paths, PASSPHRASE, NEW_PASSPHRASE)
    real_save = keys.save_keyfile
    failures: list[Path] = []

    def save_failing_once(path: Path, keyfile: Any) -> None:
        if not failures:
            failures.append(path)
            raise OSError(28, "No space left on device")
        real_save(path, keyfile)

    monkeypatch.setattr("gk_desktop.storage.vault.keys.save_keyfile", save_failing_once)
    with pytest.raises(OSError):
        vault_mod.open_vault(paths, NEW_PASSPHRASE)
    assert failures == [paths.keys]
    with _opened(paths, NEW_PASSPHRASE) as v:
        assert _count_events(v, "passphrase_change") == 1
        assert not v.keyfile.pending_events
    with _opened(paths, NEW_PASSPHRASE) as v:
        assert _count_events(v, "passphrase_change") == 1


# --------------------------------------------------------------------------- 12 rotation


def test_12_rotation_keeps_the_pre_migration_backup(open_vault: Any) -> None:
    v = open_vault
    pre = backup.create_backup(v, kind="pre-migration")
    manual = backup.create_backup(v)
    assert pre.exists(), "the way back from a failed migration is kept"
    assert manual.exists()
    assert {b.kind for b in backup.list_backups(v.paths.backups)} == {"pre-migration", "manual"}
