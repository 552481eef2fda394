"""Every released schema has a fixture vault that is migrated to head (STYLE.md 23)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gk_desktop.paths import VaultPaths
from gk_desktop.storage import migrate
from gk_desktop.storage.migrations import HEAD_REVISION
from gk_desktop.storage.models import SYNCED_MODELS, Base, Client
from gk_desktop.storage.stamps import verify_stamps
from gk_desktop.storage.vault import open_vault

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vaults"
FIXTURE_PASSPHRASE = "fixture vault passphrase only for tests"


def test_head_constant_matches_alembic() -> None:
    assert migrate.head_revision() == HEAD_REVISION
    assert HEAD_REVISION in migrate.known_revisions()


def test_every_revision_has_a_fixture() -> None:
    have = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert set(migrate.known_revisions()) <= have, "commit a fixture vault (scripts/make_fixture_vault.py)"


@pytest.mark.parametrize("revision", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_vault_migrates_to_head(revision: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("vault.db", "vault.keys"):
        shutil.copy2(FIXTURES / revision / name, data / name)
    paths = VaultPaths(data)
    with open_vault(paths, FIXTURE_PASSPHRASE) as v:
        with v.session() as s:
            assert migrate.current_revision(s) == HEAD_REVISION
            assert s.execute(select(func.count()).select_from(Client)).scalar_one() == 25
            assert verify_stamps(s, SYNCED_MODELS) == []
            # Every table of the current models exists after the migration.
            tables = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert set(Base.metadata.tables) <= tables
        if revision != HEAD_REVISION:
            assert v.migrated_from == revision
            assert any(b.kind == "pre-migration" for b in __import__(
                "gk_desktop.storage.backup", fromlist=["list_backups"]).list_backups(paths.backups))
    # The recovery key printed for the fixture opens it too.
    recovery = (FIXTURES / revision / "RECOVERY_KEY.txt").read_text().strip()
    with open_vault(paths, recovery_key=recovery) as v:
        assert v.device_id


def test_schema_matches_models(open_vault) -> None:
    """The migrations create exactly what the models declare (no drift)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with open_vault.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": False, "include_name": migrate.include_name}), Base.metadata)
    assert diff == []


def test_vault_from_a_newer_program_is_refused(new_vault) -> None:
    from conftest import PASSPHRASE

    from gk_desktop.errors import IntegrityError

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        with v.engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = paths.db.read_bytes()
    with pytest.raises(IntegrityError, match="neueren Version"):
        open_vault(paths, PASSPHRASE)
    assert paths.db.read_bytes() == before
