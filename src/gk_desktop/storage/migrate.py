"""Running Alembic on an unlocked vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from gk_desktop.storage.migrations import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


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
    """Upgrade to head on the given SQLAlchemy connection (one transaction per Alembic)."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
