"""Alembic migrations of the vault schema.

``HEAD_REVISION`` lets an unlock decide without importing Alembic whether a migration is due; a
test checks that it equals Alembic's head.
"""

HEAD_REVISION = "0008"
