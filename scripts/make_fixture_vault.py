"""Write the fixture vault of the current schema to tests/fixtures/vaults/<revision>/.

Run once per released schema (``GK_KDF_PROFILE=test python scripts/make_fixture_vault.py``) and
commit the result; tests/storage/test_migrations.py migrates every fixture to head.
Passphrase of every fixture: FIXTURE_PASSPHRASE below (test KDF profile, synthetic data only).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ["GK_KDF_PROFILE"] = "test"
os.environ.setdefault("GK_TODAY", "2026-11-25")

from gk_desktop.paths import VaultPaths  # noqa: E402
from gk_desktop.services import demo  # noqa: E402
from gk_desktop.storage.migrations import HEAD_REVISION  # noqa: E402
from gk_desktop.storage.vault import create_vault, open_vault  # noqa: E402

FIXTURE_PASSPHRASE = "fixture vault passphrase only for tests"
ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    target = ROOT / "tests" / "fixtures" / "vaults" / HEAD_REVISION
    if target.exists():
        print(f"{target} exists; remove it first to regenerate", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        paths = VaultPaths(Path(tmp) / "data")
        recovery = create_vault(paths, FIXTURE_PASSPHRASE)
        with open_vault(paths, FIXTURE_PASSPHRASE) as v:
            demo.generate(v, 25, seed=7)
        target.mkdir(parents=True)
        shutil.copy2(paths.db, target / "vault.db")
        shutil.copy2(paths.keys, target / "vault.keys")
        (target / "RECOVERY_KEY.txt").write_text(recovery + "\n", encoding="ascii")
    print(f"fixture written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
