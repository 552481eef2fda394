"""Typed settings, declared once (STYLE.md 19): key, default, type, label, limits.

Secrets live in the vault; these non-secret settings live in ``settings.json`` in the config
folder (:func:`gk_desktop.paths.config_dir`), because the lock screen needs the language and the
vault's location before anything is unlocked. Window geometry is kept by Qt (QSettings) in ui/.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gk_desktop.i18n import N_, _
from gk_desktop.paths import config_dir

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    type: type
    label: str  # English source string, translated where shown
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any) -> Any:
        """The value if it is valid, else the default (a hand-edited file never stops the app)."""
        if self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return self.default
            if self.minimum is not None and value < self.minimum:
                return self.minimum
            if self.maximum is not None and value > self.maximum:
                return self.maximum
            return value
        if self.type is str:
            if not isinstance(value, str):
                return self.default
            if self.choices and value not in self.choices:
                return self.default
            return value
        return self.default


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("language", "de", str, N_("Language"), choices=("de", "en")),
    # BSI BER.3.13: lock after inactivity, 5-15 minutes; 1 minute for shared rooms.
    SettingSpec("auto_lock_minutes", 5, int, N_("Lock after inactivity (minutes)"), 1, 15),
    SettingSpec("backup_warning_days", 7, int, N_("Warn when the last backup is older than (days)"), 1, 90),
    SettingSpec("data_dir", "", str, N_("Vault folder")),
    # Scans and PDFs larger than this are refused (a bundle's plaintext is capped at 200 MB).
    SettingSpec("max_document_mb", 25, int, N_("Largest document (MB)"), 1, 100),
    # Retention of a closed case's file (Löschfrist), and when a short-advice case is proposed for closing.
    SettingSpec("retention_years", 3, int, N_("Keep a closed case for (years)"), 1, 10),
    SettingSpec("short_advice_idle_months", 6, int, N_("Propose closing a short advice after (months without contact)"), 1, 24),
    # Fristen (DOMAIN.md §5): the periods that make a deadline, and the lead times per type
    # ("deadline_leads": JSON {"DULDUNG_ABLAUF": "28d, 14d, 3d", …}; missing or bad entries: the defaults).
    SettingSpec("referral_followup_days", 14, int, N_("Follow up a referral without an answer after (days)"), 1, 90),
    SettingSpec("no_contact_weeks", 6, int, N_("Raise “no contact” after (weeks)"), 1, 52),
    SettingSpec("offer_verify_months", 6, int, N_("Check an offer again after (months)"), 1, 36),
    SettingSpec("deadline_leads", "", str, N_("Lead times of the deadlines")),
    # Printed documents: the municipality on every page, and the controller and data-protection
    # officer the consent form and the Art. 13 information sheet name (several lines each).
    SettingSpec("municipality_name", "", str, N_("Municipality")),
    SettingSpec("municipality_logo", "", str, N_("Logo (PNG or JPEG file)")),
    SettingSpec("controller_details", "", str, N_("Controller (name, address, contact)")),
    SettingSpec("dpo_details", "", str, N_("Data-protection officer (name, contact)")),
)
_BY_KEY = {s.key: s for s in SPECS}


@dataclass(frozen=True)
class Settings:
    language: str = "de"
    auto_lock_minutes: int = 5
    backup_warning_days: int = 7
    data_dir: str = ""
    max_document_mb: int = 25
    retention_years: int = 3
    short_advice_idle_months: int = 6
    referral_followup_days: int = 14
    no_contact_weeks: int = 6
    offer_verify_months: int = 6
    deadline_leads: str = ""
    municipality_name: str = ""
    municipality_logo: str = ""
    controller_details: str = ""
    dpo_details: str = ""
    path: Path | None = field(default=None, compare=False, repr=False)

    @classmethod
    def load(cls, directory: Path | None = None) -> "Settings":
        path = (directory or config_dir()) / SETTINGS_FILE
        raw: dict[str, Any] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                raw = loaded
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            log.warning("settings file unreadable; defaults used")
        values = {spec.key: spec.coerce(raw.get(spec.key, spec.default)) for spec in SPECS}
        return cls(**values, path=path)

    def with_value(self, key: str, value: Any) -> "Settings":
        spec = _BY_KEY[key]
        return replace(self, **{key: spec.coerce(value)})

    def save(self) -> None:
        from gk_desktop.storage import fsutil

        assert self.path is not None
        fsutil.private_mkdir(self.path.parent)
        data = {spec.key: getattr(self, spec.key) for spec in SPECS}
        fsutil.atomic_write(self.path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def label(key: str) -> str:
    return _(_BY_KEY[key].label)

