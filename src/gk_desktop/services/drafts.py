"""Entwürfe: forms being typed, autosaved into the vault (DOMAIN.md §3 Contact, "a crash or power
loss loses at most the last seconds").

A draft is local to this device (table ``draft``, never synced) and encrypted with the vault like
everything else; it never goes to a temporary file or a log. Each call opens its own short session
and commits before it returns, so a draft that was saved survives a crash (the vault runs WAL with
``synchronous=FULL``). The payload is the form's state as a JSON object; its meaning belongs to
the form that wrote it (``kind``), e.g. ``"contact"`` for the interview editor.

Nothing here logs the payload, the ids or any text: only event names.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from gk_desktop.storage.ids import uuid7_str
from gk_desktop.storage.models import Draft

log = logging.getLogger(__name__)

KIND_MAX_CHARS = 20  # the column's length


@dataclass(frozen=True)
class DraftInfo:
    """One saved draft as plain data. ``updated_at`` is aware UTC."""

    id: str
    kind: str
    client_id: str | None
    record_id: str | None
    updated_at: dt.datetime
    payload: dict[str, Any] = field(repr=False)


def new_draft_id() -> str:
    """An id for a draft that is not saved yet.

    A form takes its id before the first save, so a second save queued while the first is still
    running updates the same draft instead of making another one.
    """
    return uuid7_str()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _encode(payload: dict[str, Any]) -> str:
    if not isinstance(payload, dict):
        raise TypeError("a draft payload is a dict")
    # ensure_ascii=False: the text is stored as it is (inside the encrypted vault), at its real size.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _info(row: Draft) -> DraftInfo:
    try:
        payload = json.loads(row.payload_json)
    except ValueError:
        log.warning("draft payload unreadable")
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    return DraftInfo(row.id, row.kind, row.client_id, row.record_id, row.updated_at, payload)


def save_draft(
    vault: Any,
    kind: str,
    payload: dict[str, Any],
    *,
    draft_id: str | None = None,
    client_id: str | None = None,
    record_id: str | None = None,
) -> str:
    """Insert or replace a draft and commit; returns its id.

    Without ``draft_id`` a new draft is made; with one, that draft is replaced (made with this id
    if it does not exist yet). ``updated_at`` becomes now.
    """
    if not isinstance(kind, str) or not kind or len(kind) > KIND_MAX_CHARS:
        raise ValueError("a draft kind is a short identifier")
    text = _encode(payload)
    with vault.session() as s:
        row = s.get(Draft, draft_id) if draft_id is not None else None
        if row is None:
            row = Draft(id=draft_id or uuid7_str(), kind=kind)
            s.add(row)
        row.kind = kind
        row.client_id = client_id
        row.record_id = record_id
        row.payload_json = text
        row.updated_at = _now()
        s.commit()
        saved_id = row.id
    log.debug("draft saved")
    return saved_id


def get_draft(vault: Any, draft_id: str) -> DraftInfo | None:
    with vault.session() as s:
        row = s.get(Draft, draft_id)
        return _info(row) if row is not None else None


def list_drafts(vault: Any, kind: str | None = None, *, client_id: str | None = None) -> list[DraftInfo]:
    """Every draft (of ``kind``, of ``client_id`` when given), newest first."""
    query = select(Draft)
    if kind is not None:
        query = query.where(Draft.kind == kind)
    if client_id is not None:
        query = query.where(Draft.client_id == client_id)
    with vault.session() as s:
        rows = s.execute(query.order_by(Draft.updated_at.desc(), Draft.id.desc())).scalars().all()
        return [_info(r) for r in rows]


def delete_draft(vault: Any, draft_id: str) -> bool:
    """Delete a draft and commit; False when there was none with this id."""
    with vault.session() as s:
        row = s.get(Draft, draft_id)
        if row is None:
            return False
        s.delete(row)
        s.commit()
    log.debug("draft deleted")
    return True
