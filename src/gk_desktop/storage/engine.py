"""Opening the case database: only ``sqlcipher3``, a raw key, and settings asserted at every open.

``create_engine("sqlite://", module=sqlcipher3, creator=..., poolclass=StaticPool)``: the
pysqlcipher URL dialect of SQLAlchemy sends its own ``pragma key`` first and cannot take a raw key.
One long-lived connection serves the process; locking disposes the engine.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlcipher3 import dbapi2

from gk_desktop.errors import IntegrityError
from gk_desktop.i18n import _
from gk_desktop.storage.keys import SecretBytes

log = logging.getLogger(__name__)

# The wheel sqlcipher3==0.6.4 bundles exactly this SQLCipher; anything else is refused.
PINNED_CIPHER_VERSION = "4.19.0"
EXPECTED_CIPHER_SETTINGS = {
    "cipher_page_size": "4096",
    "cipher_use_hmac": "1",
    "cipher_plaintext_header_size": "0",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
}
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_DATABASE_BYTES = 1024  # a vault's database holds at least one 4 KiB page

# Per-connection settings, applied after the key is proven right.
_CONNECTION_PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA cell_size_check = ON",
    "PRAGMA busy_timeout = 5000",
)


def is_plaintext_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _not_our_database() -> IntegrityError:
    return IntegrityError(
        _("The file vault.db does not belong to this vault or is damaged. It was not changed. "
          "Restore the vault from a backup.")
    )


def connect(path: Path, dek: SecretBytes, *, create: bool = False, read_only: bool = False) -> Any:
    """Open ``path`` with the raw data key and check every setting; refuse anything else.

    A plaintext SQLite file or a foreign file is refused before anything is written to it.
    """
    if not create:
        if not path.exists() or path.stat().st_size < MIN_DATABASE_BYTES:
            # An empty file would pass the key check and then be written to: refuse it first.
            raise _not_our_database()
        if is_plaintext_sqlite(path):
            raise IntegrityError(
                _("An unencrypted database lies at the vault path. It is refused and stays untouched.")
            )
    if create and not path.exists():
        # The database and its -wal/-shm (which inherit its mode) are readable by the user only.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    immutable = False
    if read_only:
        # Without a WAL to replay, open immutable: SQLite then creates no -wal/-shm files, so a
        # read-only command leaves the data folder exactly as it was. (We hold the instance lock,
        # so nobody else writes meanwhile.)
        wal = Path(f"{path}-wal")
        immutable = not (wal.exists() and wal.stat().st_size > 0)
        # as_uri() percent-encodes '#', '?' and '%' in folder names.
        uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # The key must be the first statement on the connection.
        conn.execute(f"PRAGMA key = \"x'{dek.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_compatibility = 4")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except dbapi2.DatabaseError:
            raise _not_our_database() from None
        conn.enable_load_extension(False)
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise IntegrityError(_("The database could not be switched to its safe write mode."))
        for pragma in _CONNECTION_PRAGMAS:
            conn.execute(pragma)
        assert_settings(conn, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass(frozen=True)
class SettingsReport:
    cipher_version: str
    cipher_provider: str
    journal_mode: str


def assert_settings(conn: Any, *, read_only: bool = False) -> SettingsReport:
    """SECURITY.md A3/G1: refuse to work unless every setting is as pinned.

    A read-only connection writes nothing, so its journal mode does not matter (an immutable one
    reports "delete").
    """

    def one(sql: str) -> Any:
        row = conn.execute(sql).fetchone()
        return None if row is None else row[0]

    problems: list[str] = []
    version = str(one("PRAGMA cipher_version") or "")
    if version.split()[0:1] != [PINNED_CIPHER_VERSION]:
        problems.append(f"cipher_version={version!r}")
    provider = str(one("PRAGMA cipher_provider") or "")
    if provider != "openssl":
        problems.append(f"cipher_provider={provider!r}")
    settings = {}
    for (line,) in conn.execute("PRAGMA cipher_settings").fetchall():
        # "PRAGMA cipher_page_size = 4096;"
        body = str(line).removeprefix("PRAGMA ").rstrip(";")
        key, _sep, value = body.partition(" = ")
        settings[key.strip()] = value.strip()
    for key, value in EXPECTED_CIPHER_SETTINGS.items():
        if settings.get(key) != value:
            problems.append(f"{key}={settings.get(key)!r}")
    journal = str(one("PRAGMA journal_mode")).lower()
    if journal != "wal" and not read_only:
        problems.append(f"journal_mode={journal}")
    checks = {
        "synchronous": 2,
        "secure_delete": 1,
        "foreign_keys": 1,
        "trusted_schema": 0,
    }
    for name, expected in checks.items():
        value = one(f"PRAGMA {name}")
        if value != expected:
            problems.append(f"{name}={value}")
    temp_store = one("PRAGMA temp_store")
    options = {row[0] for row in conn.execute("PRAGMA compile_options").fetchall()}
    if temp_store not in (0, 2) or not ({"TEMP_STORE=2", "TEMP_STORE=3"} & options):
        problems.append(f"temp_store={temp_store}")
    if temp_store == 0 and "TEMP_STORE=3" not in options and "TEMP_STORE=2" not in options:
        problems.append("temp_store default is FILE")
    if "HAS_CODEC" not in options:
        problems.append("HAS_CODEC missing")
    if str(one("PRAGMA cipher_log_level")).upper() != "NONE":
        problems.append("cipher_log_level")
    try:
        conn.execute("SELECT load_extension('gk-desktop-no-such-extension')")
        problems.append("load_extension enabled")
    except dbapi2.OperationalError as exc:
        if "not authorized" not in str(exc):
            problems.append("load_extension state unknown")
    if problems:
        # Names of settings only: nothing secret or personal.
        log.error("database self-check failed: %s", ", ".join(problems))
        raise IntegrityError(
            _("The database self-check failed ({details}). The program does not start "
              "with unsafe settings.").format(details=", ".join(problems))
        )
    return SettingsReport(version, provider, journal)


POOL_TIMEOUT_S = 60


def make_engine(conn: Any) -> Any:
    """A SQLAlchemy engine over the one keyed connection.

    A queue pool of exactly one connection, not StaticPool: StaticPool hands the same connection
    to a second user while a transaction is open, whose failing BEGIN then rolls back the first
    user's work without telling anyone. Here a second user waits until the first is done (another
    thread) or times out with an error (the same thread, a programming error).
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    engine = create_engine(
        "sqlite://",
        module=dbapi2,
        creator=lambda: conn,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_S,
        hide_parameters=True,
        echo=False,
    )

    # Let SQLAlchemy, not the driver, open transactions, so BEGIN is explicit and
    # SAVEPOINTs work (SQLAlchemy's documented pysqlite recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def integrity_report(conn: Any) -> tuple[str, list[str]]:
    """``quick_check`` and ``cipher_integrity_check`` results (SECURITY.md A5, B7)."""
    quick = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    cipher = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    return ("ok" if quick == ["ok"] else "; ".join(quick[:20])), cipher[:20]
