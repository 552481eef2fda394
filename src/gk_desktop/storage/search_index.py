"""The names index: one small FTS5 table, folded in Python on write and on the query.

ARCHITECTURE.md §7: names, name variants and case codes of every client, matched by prefix as the
worker types. The table is local and derived (never synced, never backed up as a source of
truth): a flush hook keeps it in step with every write of a client or a name variant, and an
unlock rebuilds it whole when :data:`INDEX_VERSION` (the folding rules) changed.

Rows: ``(client_id, kind, body)`` with ``kind`` ``name`` (first and last name and every name
variant, each in all its folded spellings) or ``case_code``. A query's terms must all match one
row, each as a prefix.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import Column, MetaData, Table, Text, delete, event, select

from gk_desktop.domain.folding import fold_variants
from gk_desktop.storage.derived import meta_value, replace_rows, set_meta
from gk_desktop.storage.models import Client, ClientNameVariant
from gk_desktop.storage.stamps import VaultSession

# Bump when folding or the row layout changes: the next unlock rebuilds the index.
INDEX_VERSION = "2"
META_KEY = "search_name_version"
TABLE_PREFIX = "search_"

_meta = MetaData()
search_name = Table(
    "search_name", _meta,
    Column("client_id", Text), Column("kind", Text), Column("body", Text),
)

KIND_NAME = "name"
KIND_CASE_CODE = "case_code"


def name_body(names: Iterable[str]) -> str:
    """All folded spellings of the given names, joined for the one indexed column."""
    seen: dict[str, None] = {}
    for name in names:
        if name:
            for variant in sorted(fold_variants(name)):
                if variant:
                    seen.setdefault(variant, None)
    return " ".join(seen)


def _rows_for(conn: Any, client_ids: list[str]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    names: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for i in range(0, len(client_ids), 500):
        chunk = client_ids[i : i + 500]
        for cid, code, first, last in conn.execute(
            select(Client.id, Client.case_code, Client.first_name, Client.last_name).where(Client.id.in_(chunk))
        ):
            names[cid] = [first, last]
            codes[cid] = code
        for cid, name in conn.execute(
            select(ClientNameVariant.client_id, ClientNameVariant.name)
            .where(ClientNameVariant.client_id.in_(chunk)).order_by(ClientNameVariant.id)
        ):
            if cid in names:
                names[cid].append(name)
    for cid in client_ids:
        if cid not in names:
            continue  # deleted
        rows.append({"client_id": cid, "kind": KIND_NAME, "body": name_body(names[cid])})
        rows.append({"client_id": cid, "kind": KIND_CASE_CODE, "body": name_body([codes[cid]])})
    return rows


def reindex(conn: Any, client_ids: Iterable[str]) -> None:
    replace_rows(conn, search_name, client_ids, _rows_for)


def rebuild(conn: Any) -> None:
    conn.execute(delete(search_name))
    reindex(conn, list(conn.execute(select(Client.id)).scalars()))
    set_meta(conn, META_KEY, INDEX_VERSION)


def is_current(conn: Any) -> bool:
    return meta_value(conn, META_KEY) == INDEX_VERSION


@event.listens_for(VaultSession, "after_flush")
def _keep_in_step(session: Any, _ctx: Any) -> None:
    touched: set[str] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Client):
            touched.add(obj.id)
        elif isinstance(obj, ClientNameVariant):
            touched.add(obj.client_id)
            hist = getattr(obj, "_sa_instance_state").attrs.client_id.history
            touched.update(x for x in (hist.deleted or ()) if x)
    if touched:
        reindex(session.connection(), [t for t in touched if t])
