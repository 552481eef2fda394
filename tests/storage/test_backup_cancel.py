"""A backup stopped from its progress callback leaves no file behind."""

from __future__ import annotations

import pytest

from gk_desktop.services import demo
from gk_desktop.storage import backup


class Stop(Exception):
    pass


def test_backup_stopped_midway_leaves_nothing(open_vault) -> None:
    demo.generate(open_vault, 300, seed=2)
    calls = []

    def report(fraction: float) -> None:
        calls.append(fraction)
        raise Stop()

    with pytest.raises(Stop):
        backup.create_backup(open_vault, progress=report)
    assert calls
    assert not list(open_vault.paths.backups.glob("*gkbackup*"))
    assert not [p for p in open_vault.paths.root.rglob("*") if p.name.startswith(".gk-backup")]
    # The vault is fine and a later backup works.
    assert backup.create_backup(open_vault).exists()
