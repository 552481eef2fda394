"""Security events in the vault's audit table: who, when, what kind, never the payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert

from gk_desktop.storage.ids import uuid7_str
from gk_desktop.storage.models import AuditEvent

# The kinds of event (DOMAIN.md AuditEvent, ARCHITECTURE.md §3).
KINDS = frozenset({
    "vault_created", "unlock", "lock", "passphrase_change", "recovery", "recovery_key_reissue",
    "backup", "restore", "migration", "export", "import", "print", "erasure",
    "create", "update", "view", "delete",
})


def record(conn: Any, kind: str, *, device_id: str, source: str, at: dt.datetime | None = None,
           target_table: str | None = None, target_id: str | None = None, outcome: str = "ok",
           event_id: str | None = None) -> None:
    """Insert one event on a SQLAlchemy connection or session (inside the caller's transaction).

    With ``event_id`` an event already recorded is skipped (events carried in the key file).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown audit event kind {kind!r}")
    conn.execute(
        insert(AuditEvent).prefix_with("OR IGNORE").values(
            id=event_id or uuid7_str(),
            at=at or dt.datetime.now(dt.timezone.utc),
            kind=kind,
            device_id=device_id,
            source=source,
            target_table=target_table,
            target_id=target_id,
            outcome=outcome,
        )
    )
