"""Sync stamps, written by one SQLAlchemy flush hook (SYNC.md §3.2, §3.3, §3.5, §3.8).

Every insert, update or delete of a synced record through a :class:`VaultSession` gets, in the
same transaction:

- a new dot ``(device_id, counter)``: the counter is per device, persisted and monotonic;
- the record's version vector with ``vv[device] = counter`` and a new local ``change_seq``;
- for every field written, its value siblings replaced by one sibling stamped with the dot and a
  hybrid-logical-clock time (48-bit ms, 16-bit counter, never going backwards);
- a delete writes ``_deleted = true`` and NULL into every field, with the same dot.

A session without a :class:`SyncContext` refuses to flush synced records, so no write path can
skip the stamps. Services never think about sync.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from gk_desktop.storage.models import Base, FieldVersion, RecordClock

META_DEVICE_ID = "device_id"
META_DOT_COUNTER = "dot_counter"
META_CHANGE_SEQ = "change_seq"
META_HLC = "hlc_last"
DELETED_FIELD = "_deleted"
HLC_COUNTER_BITS = 16


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def encode_value(value: Any) -> str:
    """Canonical JSON of a field value."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot stamp a value of type {type(value).__name__}")


@dataclass
class SyncContext:
    """The device's sync identity and counters, loaded when the vault opens."""

    device_id: str
    dot_counter: int = 0
    change_seq: int = 0
    hlc_last: int = 0
    wall_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_dot(self) -> int:
        with self._lock:
            self.dot_counter += 1
            return self.dot_counter

    def next_change_seq(self) -> int:
        with self._lock:
            self.change_seq += 1
            return self.change_seq

    def hlc_now(self) -> int:
        """Send/local event rule of the HLC: max(wall, last) with a counter for ties."""
        with self._lock:
            wall = self.wall_ms()
            last_ms, last_c = self.hlc_last >> HLC_COUNTER_BITS, self.hlc_last & 0xFFFF
            if wall > last_ms:
                new = wall << HLC_COUNTER_BITS
            elif last_c < 0xFFFF:
                new = (last_ms << HLC_COUNTER_BITS) | (last_c + 1)
            else:  # counter exhausted within one ms: move the logical ms on
                new = (last_ms + 1) << HLC_COUNTER_BITS
            self.hlc_last = new
            return new

    @classmethod
    def load(cls, session_or_conn: Any) -> "SyncContext":
        rows = dict(session_or_conn.execute(text("SELECT key, value FROM vault_meta")).all())
        if META_DEVICE_ID not in rows:
            raise RuntimeError("vault has no device id")
        return cls(
            device_id=rows[META_DEVICE_ID],
            dot_counter=int(rows.get(META_DOT_COUNTER, 0)),
            change_seq=int(rows.get(META_CHANGE_SEQ, 0)),
            hlc_last=int(rows.get(META_HLC, 0)),
        )

    def persist(self, conn: Any) -> None:
        upsert = text(
            "INSERT INTO vault_meta(key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )
        conn.execute(
            upsert,
            [
                {"k": META_DOT_COUNTER, "v": str(self.dot_counter)},
                {"k": META_CHANGE_SEQ, "v": str(self.change_seq)},
                {"k": META_HLC, "v": str(self.hlc_last)},
            ],
        )


class VaultSession(Session):
    """The only Session class used on the vault. Carries ``info["sync"]``."""


class MissingSyncContext(RuntimeError):
    pass


def synced_fields(mapper_cls: type) -> list[str]:
    unsynced = getattr(mapper_cls, "__unsynced_columns__", frozenset())
    return [c.key for c in inspect(mapper_cls).column_attrs if c.key not in unsynced]


def _is_synced(obj: Any) -> bool:
    return bool(getattr(type(obj), "__synced__", False))


class UnstampedWriteError(RuntimeError):
    """An INSERT/UPDATE/DELETE on a synced table outside the stamping flush."""


FLUSHING_KEY = "gk_stamping_flush"
ALLOW_KEY = "gk_allow_unstamped"
# Anywhere in the text: comments or a WITH clause may come first.
_DML_TEXT = re.compile(r"\b(?:insert|update|delete|replace)\b", re.IGNORECASE)


def synced_table_names() -> frozenset[str]:
    return frozenset(
        m.class_.__tablename__ for m in Base.registry.mappers if getattr(m.class_, "__synced__", False)
    )


def install_write_guard(engine: Any) -> None:
    """Refuse every data change on a synced table that does not come from a stamping flush.

    This covers ``session.execute(insert/update/delete(...))``, ``text("UPDATE ...")``, Core
    statements on ``session.connection()``, the ``bulk_*`` methods and any plain ``Session``: all
    of them pass through the engine, and only a :class:`VaultSession` flush marks the connection
    as stamping. (Raw driver SQL is out of reach; nothing in the app uses it on synced tables.)
    """
    from sqlalchemy.sql.dml import UpdateBase
    from sqlalchemy.sql.elements import TextClause

    synced = synced_table_names()

    @event.listens_for(engine, "before_execute")
    def _guard(conn: Any, clause: Any, _multi: Any, _params: Any, _opts: Any) -> None:
        if conn.info.get(FLUSHING_KEY) or conn.info.get(ALLOW_KEY):
            return
        if isinstance(clause, UpdateBase):
            name = getattr(getattr(clause, "table", None), "name", None)
            if name in synced:
                raise UnstampedWriteError(f"{clause.__visit_name__} on synced table {name} outside a stamping flush")
        elif isinstance(clause, TextClause) and _DML_TEXT.search(clause.text):
            lowered = clause.text.lower()
            if any(re.search(rf"\b{re.escape(t)}\b", lowered) for t in synced):
                raise UnstampedWriteError("SQL text changes a synced table outside a stamping flush")


class allow_unstamped:
    """Context for the few writers that keep the stamps themselves (migrations, sync import)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __enter__(self) -> Any:
        self.conn.info[ALLOW_KEY] = True
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.info.pop(ALLOW_KEY, None)


@event.listens_for(VaultSession, "after_soft_rollback")
def _clear_flushing(session: Session, _previous: Any) -> None:
    # A failed flush never reaches after_flush; its rollback must not leave the mark behind.
    conn = session.info.pop("_gk_flush_conn", None)
    if conn is not None:
        conn.info.pop(FLUSHING_KEY, None)


@event.listens_for(VaultSession, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    now = now_utc()
    for obj in session.new:
        if _is_synced(obj):
            if obj.id is None:
                from gk_desktop.storage.ids import uuid7_str

                obj.id = uuid7_str()
            if getattr(obj, "created_at", None) is None:
                obj.created_at = now
            obj.updated_at = now
            # Python-side column defaults apply only at INSERT; apply them now so that the
            # stamped value is the stored value.
            for col in inspect(type(obj)).columns:
                if getattr(obj, col.key, None) is None and col.default is not None and col.default.is_scalar:
                    setattr(obj, col.key, col.default.arg)
    for obj in session.dirty:
        if _is_synced(obj) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now
    conn = session.connection()
    session.info["_gk_flush_conn"] = conn
    conn.info[FLUSHING_KEY] = True


@event.listens_for(VaultSession, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    session.connection().info.pop(FLUSHING_KEY, None)
    session.info.pop("_gk_flush_conn", None)
    writes: list[tuple[Any, str, dict[str, Any]]] = []
    for obj in session.new:
        if _is_synced(obj):
            state = inspect(obj)
            values = {f: state.attrs[f].value for f in synced_fields(type(obj))}
            writes.append((type(obj), obj.id, values))
    for obj in session.dirty:
        if not _is_synced(obj) or obj in session.deleted:
            continue
        state = inspect(obj)
        changed = {
            f: state.attrs[f].value
            for f in synced_fields(type(obj))
            if state.attrs[f].history.has_changes()
        }
        if changed:
            writes.append((type(obj), obj.id, changed))
    deletes = [(type(o), o.id) for o in session.deleted if _is_synced(o)]
    if not writes and not deletes:
        return
    ctx: SyncContext | None = session.info.get("sync")
    if ctx is None:
        raise MissingSyncContext("synced records written without a sync context")
    conn = session.connection()
    clocks = _load_clocks(conn, [(c.__tablename__, i) for c, i, _v in writes] + [(c.__tablename__, i) for c, i in deletes])
    for cls, row_id, values in writes:
        table = cls.__tablename__
        previous = clocks.get((table, row_id))
        if previous is not None and previous[1]:
            # A write on a deleted id is a restore (SYNC.md §3.4): every field and _deleted=false,
            # replacing the tombstone's NULLs, keeping the version vector.
            values = _all_values(session, cls, row_id, values)
            values[DELETED_FIELD] = False
            _stamp(conn, ctx, table, row_id, values, previous=previous, replace_all=True, deleted=False)
        else:
            _stamp(conn, ctx, table, row_id, values, previous=previous, replace_all=False, deleted=False)
    for cls, row_id in deletes:
        values: dict[str, Any] = {f: None for f in synced_fields(cls)}
        values[DELETED_FIELD] = True
        _stamp(conn, ctx, cls.__tablename__, row_id, values, previous=clocks.get((cls.__tablename__, row_id)),
               replace_all=True, deleted=True)
    ctx.persist(conn)


def _all_values(session: Session, cls: type, row_id: str, given: dict[str, Any]) -> dict[str, Any]:
    obj = session.get(cls, row_id)
    state = inspect(obj)
    values = {f: state.attrs[f].value for f in synced_fields(cls)}
    values.update(given)
    return values


def _load_clocks(conn: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict[str, int], bool]]:
    """The existing clocks (version vector, deleted) of the records a flush writes, in few queries."""
    clock_t = RecordClock.__table__
    by_table: dict[str, list[str]] = {}
    for table, row_id in keys:
        by_table.setdefault(table, []).append(row_id)
    found: dict[tuple[str, str], tuple[dict[str, int], bool]] = {}
    for table, ids in by_table.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = conn.execute(
                select(clock_t.c.row_id, clock_t.c.vv_json, clock_t.c.deleted).where(
                    clock_t.c.table_name == table, clock_t.c.row_id.in_(chunk)
                )
            ).all()
            for row_id, vv_json, deleted in rows:
                found[(table, row_id)] = (json.loads(vv_json), bool(deleted))
    return found


def _stamp(
    conn: Any,
    ctx: SyncContext,
    table: str,
    row_id: str,
    values: dict[str, Any],
    *,
    previous: tuple[dict[str, int], bool] | None,
    replace_all: bool,
    deleted: bool,
) -> None:
    counter = ctx.next_dot()
    hlc = ctx.hlc_now()
    seq = ctx.next_change_seq()
    fv_t = FieldVersion.__table__
    vv: dict[str, int] = dict(previous[0]) if previous is not None else {}
    vv[ctx.device_id] = counter
    vv_json = json.dumps(vv, sort_keys=True, separators=(",", ":"))
    conn.execute(
        text(
            "INSERT INTO record_clock(table_name, row_id, vv_json, change_seq, deleted) "
            "VALUES (:t, :r, :vv, :seq, :d) ON CONFLICT(table_name, row_id) DO UPDATE SET "
            "vv_json = excluded.vv_json, change_seq = excluded.change_seq, deleted = excluded.deleted"
        ),
        {"t": table, "r": row_id, "vv": vv_json, "seq": seq, "d": deleted},
    )
    names = list(values)
    if previous is not None:
        where = [fv_t.c.table_name == table, fv_t.c.row_id == row_id]
        if not replace_all:
            where.append(fv_t.c.field.in_(names))
        conn.execute(fv_t.delete().where(*where))
    conn.execute(
        fv_t.insert(),
        [
            {
                "table_name": table,
                "row_id": row_id,
                "field": name,
                "dot_device": ctx.device_id,
                "dot_counter": counter,
                "hlc": hlc,
                "value_json": encode_value(values[name]),
            }
            for name in names
        ],
    )


# --------------------------------------------------------------------------- verification


def read_time_defaults(model: type) -> dict[str, str]:
    """Encoded value of each synced field a row may hold without a stamp: the column default
    (or NULL for a nullable column without one), as for fields a migration added."""
    out: dict[str, str] = {}
    for col in inspect(model).columns:
        if col.key not in synced_fields(model):
            continue
        if col.default is not None and col.default.is_scalar:
            out[col.key] = encode_value(col.default.arg)
        elif col.default is None and col.nullable:
            out[col.key] = encode_value(None)
    return out


def verify_stamps(session: Session, models: Iterable[type[Base]]) -> list[str]:
    """Problems with the stamps of every synced row (empty when all is right).

    Each row must have a record clock (not deleted, a non-empty version vector) and, for every
    synced field, a sibling whose value equals the stored value.
    """
    problems: list[str] = []
    clocks = {
        (t, r): (json.loads(vv), d)
        for t, r, vv, d in session.execute(
            select(RecordClock.table_name, RecordClock.row_id, RecordClock.vv_json, RecordClock.deleted)
        ).all()
    }
    siblings: dict[tuple[str, str, str], set[str]] = {}
    for t, r, f, v in session.execute(
        select(FieldVersion.table_name, FieldVersion.row_id, FieldVersion.field, FieldVersion.value_json)
    ).all():
        siblings.setdefault((t, r, f), set()).add(v)
    for model in models:
        table = model.__tablename__
        fields = synced_fields(model)
        defaults = read_time_defaults(model)
        cols = [getattr(model, "id")] + [getattr(model, f) for f in fields]
        rows = session.execute(select(*cols)).all()
        present = {row[0] for row in rows}
        for (t, r), (_vv, deleted) in clocks.items():
            if t == table and not deleted and r not in present:
                problems.append(f"{table}/{r}: row gone without a delete stamp")
        for row in rows:
            row_id = row[0]
            clock = clocks.get((table, row_id))
            if clock is None:
                problems.append(f"{table}/{row_id}: no record clock")
                continue
            vv, deleted = clock
            if not vv or deleted:
                problems.append(f"{table}/{row_id}: empty or deleted clock")
            for name, value in zip(fields, row[1:]):
                stamped = siblings.get((table, row_id, name))
                if stamped is None and name in defaults and encode_value(value) == defaults[name]:
                    continue  # a field added by a migration: its default at read time (SYNC.md §3.8)
                if encode_value(value) not in (stamped or set()):
                    problems.append(f"{table}/{row_id}.{name}: no stamped value")
    return problems
