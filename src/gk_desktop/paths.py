"""Where things live. The only module that calls platformdirs.

The data directory is ``--data-dir``, else ``GK_DATA_DIR``, else the platform's user data directory.
Its layout is part of the gk-cli contract (CLI.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "gk-desktop"
APP_AUTHOR = "gk-desktop"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, APP_AUTHOR, roaming=False))


def config_dir() -> Path:
    """Settings that are not secret (language, auto-lock time, where the vault lives).

    ``GK_CONFIG_DIR`` overrides it (tests, portable set-ups)."""
    env = os.environ.get("GK_CONFIG_DIR")
    if env:
        return Path(env).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_DIR_NAME, APP_AUTHOR, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env = os.environ.get("GK_DATA_DIR")
    if env:
        return Path(env).expanduser().absolute()
    return default_data_dir()


@dataclass(frozen=True)
class VaultPaths:
    """The files of one data directory."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "vault.db"

    @property
    def db_wal(self) -> Path:
        return self.root / "vault.db-wal"

    @property
    def db_shm(self) -> Path:
        return self.root / "vault.db-shm"

    @property
    def keys(self) -> Path:
        return self.root / "vault.keys"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def lock(self) -> Path:
        return self.root / "vault.lock"

    def vault_files(self) -> list[Path]:
        """The files that make up the vault itself (those that exist)."""
        return [p for p in (self.db, self.db_wal, self.db_shm, self.keys) if p.exists()]

    def has_vault(self) -> bool:
        return self.keys.exists() or self.db.exists()
