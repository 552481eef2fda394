"""Helpers for the derived local tables (names index, client rows): rebuilt from the synced
tables at will, kept in step per client by flush hooks, versioned in ``vault_meta``."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from sqlalchemy import delete, insert, text

CHUNK = 500


def replace_rows(conn: Any, table: Any, client_ids: Iterable[str],
                 compute: Callable[[Any, list[str]], list[dict[str, Any]]]) -> None:
    """Delete the rows of ``table`` for these clients and insert what ``compute`` gives for them."""
    ids = [i for i in dict.fromkeys(client_ids) if i]
    if not ids:
        return
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(table).where(table.c.client_id.in_(ids[i : i + CHUNK])))
    rows = compute(conn, ids)
    if rows:
        conn.execute(insert(table), rows)


def meta_value(conn: Any, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM vault_meta WHERE key = :k"), {"k": key}).first()
    return None if row is None else str(row[0])


def set_meta(conn: Any, key: str, value: str) -> None:
    conn.execute(
        text("INSERT INTO vault_meta(key, value) VALUES (:k, :v) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": value},
    )
