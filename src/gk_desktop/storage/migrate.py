"""Running Alembic on an unlocked vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from gk_desktop.storage.migrations import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Autogenerate and schema comparison leave out the derived local tables (the FTS5 names
    index with its shadow tables, the client rows of the list)."""
    return not (type_ == "table" and name is not None and name.startswith(("search_", "derived_")))


def current_revision(conn: Any) -> str | None:
    """The schema revision without importing Alembic (None for an empty database)."""
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    ).first()
    if not exists:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def needs_upgrade(conn: Any) -> bool:
    return current_revision(conn) != HEAD_REVISION


def alembic_config(conn: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads
    return str(heads[0])


def upgrade(conn: Any) -> None:
    """Upgrade to head on the given SQLAlchemy connection, inside the caller's transaction.

    The caller switches foreign keys off before the transaction (SQLite ignores the pragma inside
    one), because Alembic's batch mode rebuilds a table by dropping it, which enforced foreign
    keys would refuse. Before the transaction commits, ``foreign_key_check`` must find nothing.
    Migrations may rewrite synced tables only dot-preserving (SYNC.md §3.8), so they run with the
    stamp guard lifted.
    """
    from alembic import command

    from gk_desktop.errors import IntegrityError
    from gk_desktop.storage.stamps import allow_unstamped

    with allow_unstamped(conn):
        command.upgrade(alembic_config(conn), "head")
    broken = conn.execute(text("PRAGMA foreign_key_check")).all()
    if broken:
        from gk_desktop.i18n import _

        raise IntegrityError(_("The schema update would leave broken references. Nothing was changed; "
                               "please tell the IT support."))


def upgrade_vault(raw_conn: Any, engine: Any) -> None:
    """Run :func:`upgrade` in one transaction with foreign keys off, and switch them on again."""
    raw_conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with engine.begin() as c:
            upgrade(c)
    finally:
        raw_conn.execute("PRAGMA foreign_keys = ON")
