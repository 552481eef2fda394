"""Sync stamps are written for every write path: the ORM and the demo generator (SYNC.md §3.2)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gk_desktop.services import demo
from gk_desktop.storage.models import SYNCED_MODELS, Case, Client, Contact, FieldVersion, RecordClock
from gk_desktop.storage.stamps import DELETED_FIELD, MissingSyncContext, SyncContext, VaultSession, verify_stamps


def _clock(s, table, row_id):
    rc = s.get(RecordClock, (table, row_id))
    return rc, json.loads(rc.vv_json)


def _fields(s, table, row_id):
    rows = s.execute(select(FieldVersion).where(FieldVersion.table_name == table, FieldVersion.row_id == row_id)).scalars()
    return {r.field: r for r in rows}


def test_orm_insert_update_delete_are_stamped(open_vault) -> None:
    v = open_vault
    dev = v.device_id
    with v.session() as s:
        c = Client(case_code="GK-26-TEST01", first_name="Aya", last_name="Haddad", birth_date=dt.date(2004, 2, 29))
        s.add(c)
        s.commit()
        cid = c.id
    assert len(cid) == 36 and cid[14] == "7", "UUIDv7 made on the device"
    with v.session() as s:
        rc, vv = _clock(s, "client", cid)
        fields = _fields(s, "client", cid)
        from gk_desktop.storage.stamps import synced_fields

        assert set(fields) == set(synced_fields(Client))
        assert {"case_code", "first_name", "last_name", "birth_date", "birth_date_fictitious", "gender"} <= set(fields)
        assert vv == {dev: fields["first_name"].dot_counter}
        assert {f.dot_device for f in fields.values()} == {dev}
        assert json.loads(fields["birth_date"].value_json) == "2004-02-29"
        assert json.loads(fields["gender"].value_json) == "KEINE_ANGABE"  # column default stamped too
        first_seq, first_counter, first_hlc = rc.change_seq, fields["first_name"].dot_counter, fields["first_name"].hlc
    with v.session() as s:
        c = s.get(Client, cid)
        c.first_name = "Aya Nour"
        s.commit()
    with v.session() as s:
        rc, vv = _clock(s, "client", cid)
        fields = _fields(s, "client", cid)
        assert rc.change_seq > first_seq
        assert fields["first_name"].dot_counter > first_counter
        assert fields["first_name"].hlc > first_hlc
        assert json.loads(fields["first_name"].value_json) == "Aya Nour"
        # An unchanged field keeps its old dot.
        assert fields["last_name"].dot_counter == first_counter
        assert vv[dev] == fields["first_name"].dot_counter
    with v.session() as s:
        s.delete(s.get(Client, cid))
        s.commit()
    with v.session() as s:
        rc, vv = _clock(s, "client", cid)
        fields = _fields(s, "client", cid)
        assert rc.deleted
        assert json.loads(fields[DELETED_FIELD].value_json) is True
        assert all(json.loads(f.value_json) is None for k, f in fields.items() if k != DELETED_FIELD)
        assert len({f.dot_counter for f in fields.values()}) == 1, "a delete is one write with one dot"


def test_demo_path_is_stamped(open_vault) -> None:
    demo.generate(open_vault, 40, seed=11)
    with open_vault.session() as s:
        assert verify_stamps(s, SYNCED_MODELS) == []
        n = sum(len(s.execute(select(m.id)).all()) for m in SYNCED_MODELS)
        clocks = s.execute(select(RecordClock)).scalars().all()
        assert len(clocks) == n
        seqs = [c.change_seq for c in clocks]
        assert len(set(seqs)) == len(seqs), "every record change gets its own change_seq"


def test_counters_survive_reopen(new_vault) -> None:
    from conftest import PASSPHRASE

    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        demo.generate(v, 3, seed=1)
        before = (v.sync.dot_counter, v.sync.change_seq, v.sync.hlc_last)
    with open_vault(paths, PASSPHRASE) as v:
        assert (v.sync.dot_counter, v.sync.change_seq, v.sync.hlc_last) == before
        demo.generate(v, 1, seed=2)
        assert v.sync.dot_counter > before[0] and v.sync.hlc_last > before[2]


def test_session_without_sync_context_refuses_synced_writes(open_vault) -> None:
    s = VaultSession(bind=open_vault.engine)
    s.add(Client(case_code="GK-26-NOCTX1", first_name="A", last_name="B", birth_date=dt.date(2000, 1, 1)))
    with pytest.raises(MissingSyncContext):
        s.commit()
    s.rollback()
    s.close()
    with open_vault.session() as s2:
        assert s2.execute(select(Client).where(Client.case_code == "GK-26-NOCTX1")).first() is None


def test_verify_stamps_finds_an_unstamped_value(open_vault) -> None:
    demo.generate(open_vault, 2, seed=5)
    with open_vault.engine.begin() as c:
        c.exec_driver_sql("UPDATE client SET first_name = 'Unstamped' WHERE rowid = 1")
    with open_vault.session() as s:
        problems = verify_stamps(s, SYNCED_MODELS)
    assert any(".first_name: no stamped value" in p for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-3_600_000, max_value=3_600_000), min_size=1, max_size=40))
def test_hlc_never_goes_backwards(jumps: list[int]) -> None:
    wall = [1_760_000_000_000]
    ctx = SyncContext(device_id="d", wall_ms=lambda: wall[0])
    last = ctx.hlc_now()
    for j in jumps:
        wall[0] += j
        now = ctx.hlc_now()
        assert now > last
        assert now >> 16 >= wall[0] or now >> 16 == last >> 16 or now >> 16 == (last >> 16) + 1
        last = now


def test_case_and_contact_stamped_with_their_own_dots(open_vault) -> None:
    with open_vault.session() as s:
        c = Client(case_code="GK-26-TEST02", first_name="Omar", last_name="Khalil", birth_date=dt.date(2001, 1, 1))
        s.add(c)
        s.flush()
        k = Case(client_id=c.id, first_contact_on=dt.date(2026, 5, 1))
        s.add(k)
        s.flush()
        s.add(Contact(case_id=k.id, at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=2))), note="x"))
        s.commit()
    with open_vault.session() as s:
        assert verify_stamps(s, SYNCED_MODELS) == []
        contact = s.execute(select(Contact)).scalar_one()
        # Stored and stamped as UTC.
        assert contact.at == dt.datetime(2026, 5, 1, 8, tzinfo=dt.timezone.utc)


def test_bulk_writes_on_synced_tables_are_refused(open_vault) -> None:
    from sqlalchemy import delete, insert, update

    from gk_desktop.storage.stamps import UnstampedWriteError

    demo.generate(open_vault, 2, seed=3)
    with open_vault.session() as s:
        for stmt in (
            insert(Client).values(id="x", case_code="GK-26-BULK01", first_name="a", last_name="b",
                                  birth_date=dt.date(2000, 1, 1), created_at=dt.datetime.now(dt.timezone.utc),
                                  updated_at=dt.datetime.now(dt.timezone.utc)),
            update(Client).values(first_name="bulk"),
            delete(Contact),
        ):
            with pytest.raises(UnstampedWriteError):
                s.execute(stmt)
        s.rollback()
    with open_vault.session() as s:
        assert verify_stamps(s, SYNCED_MODELS) == []
