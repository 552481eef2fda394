"""The interview-notes index: FTS5 with the trigram tokenizer over folded note and agreements.

ARCHITECTURE.md §7: notes are searched from the third character on, unranked, newest first,
with a limit. Local and derived like the names index: kept in step by a flush hook on every
interview written, built whole at unlock when :data:`NOTE_INDEX_VERSION` changes.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import Column, MetaData, Table, Text, delete, event, insert, select, text

from gk_desktop.domain.folding import fold
from gk_desktop.storage.derived import meta_value, set_meta
from gk_desktop.storage.models import Case, Contact
from gk_desktop.storage.stamps import VaultSession

NOTE_INDEX_VERSION = "1"
META_KEY = "search_note_version"
DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS search_note USING fts5("
       "contact_id UNINDEXED, client_id UNINDEXED, at UNINDEXED, body, tokenize = 'trigram')")
_BUILT_KEY = "gk_search_note"

_meta = MetaData()
search_note = Table("search_note", _meta, Column("contact_id", Text), Column("client_id", Text),
                    Column("at", Text), Column("body", Text))


def note_body(note: str | None, agreements: str | None) -> str:
    return fold(f"{note or ''}\n{agreements or ''}")


def reindex(conn: Any, contact_ids: Iterable[str]) -> None:
    ids = [i for i in dict.fromkeys(contact_ids) if i]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        conn.execute(delete(search_note).where(search_note.c.contact_id.in_(chunk)))
        rows = [
            {"contact_id": cid, "client_id": client_id, "at": at.isoformat() if at else "", "body": note_body(note, agr)}
            for cid, client_id, at, note, agr in conn.execute(
                select(Contact.id, Case.client_id, Contact.at, Contact.note, Contact.agreements)
                .join(Case, Case.id == Contact.case_id).where(Contact.id.in_(chunk)))
        ]
        if rows:
            conn.execute(insert(search_note), rows)


def rebuild(conn: Any) -> None:
    conn.execute(text("DROP TABLE IF EXISTS search_note"))
    conn.execute(text(DDL))
    reindex(conn, list(conn.execute(select(Contact.id)).scalars()))
    set_meta(conn, META_KEY, NOTE_INDEX_VERSION)


def is_current(conn: Any) -> bool:
    if meta_value(conn, META_KEY) != NOTE_INDEX_VERSION:
        return False
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'search_note'")).first() is not None


@event.listens_for(VaultSession, "after_flush")
def _keep_in_step(session: Any, _ctx: Any) -> None:
    touched = [o.id for o in list(session.new) + list(session.dirty) + list(session.deleted) if isinstance(o, Contact)]
    if not touched:
        return
    conn = session.connection()
    if not conn.info.get(_BUILT_KEY):
        if not conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'search_note'")).first():
            return  # built whole at the next unlock
        conn.info[_BUILT_KEY] = True
    reindex(conn, touched)
