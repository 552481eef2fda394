"""Alembic environment: always runs on the vault's own keyed connection (never a URL)."""

from __future__ import annotations

from alembic import context

from gk_desktop.storage.migrate import include_name
from gk_desktop.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the vault always passes its connection
    raise RuntimeError("migrations run only on an unlocked vault's connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    compare_type=True,
    include_name=include_name,  # the FTS5 search index is local, derived and not in the models
)
with context.begin_transaction():
    context.run_migrations()
