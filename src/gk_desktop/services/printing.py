"""One door to every printed document (CLI.md `print`): the kind, the case, the record, the language
→ PDF bytes in memory and a file name made of the case code and the kind — never a name.

The builders live in services/print_case.py (Fallblatt, Zielvereinbarung) and
services/print_consent.py (Einwilligung, Art. 13 information sheet, Übergabebogen). Nothing is
written here: saving goes to a path the worker chose (`save_pdf`), printing renders the bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from gk_desktop.domain.clock import today
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import N_, _

KINDS: dict[str, str] = {
    "casesheet": N_("Case sheet"),
    "agreement": N_("Goal agreement"),
    "consent": N_("Consent"),
    "info-sheet": N_("Information sheet"),
    "referral": N_("Handover sheet"),
}
# The file names use the German words whatever the language (they are read in the German office).
FILE_WORDS = {"casesheet": "Fallblatt", "agreement": "Zielvereinbarung", "consent": "Einwilligung",
              "info-sheet": "Informationsblatt", "referral": "Uebergabebogen"}
NEEDS_ID = frozenset({"referral"})


def suggested_name(kind: str, case_code: str | None, on: dt.date | None = None) -> str:
    """"GK-26-ABC123_Fallblatt_2026-11-25.pdf": case code, kind, date — never a person's name."""
    on = on or today()
    code = re.sub(r"[^A-Za-z0-9-]", "", case_code or "")
    parts = [p for p in (code, FILE_WORDS.get(kind, "Dokument"), on.isoformat()) if p]
    return "_".join(parts) + ".pdf"


def make_pdf(vault: Any, kind: str, case_code: str | None, *, record_id: str | None = None, lang: str | None = None,
             settings: Any = None, source: str = "gui", interview_ids: list[str] | None = None) -> bytes:
    """The document ``kind`` (see :data:`KINDS`) as PDF bytes. A referral sheet records the
    disclosure it makes; the others change nothing. ``interview_ids``: the interviews the case
    sheet prints with it (the worker's choice; none by default)."""
    if kind not in KINDS:
        raise InputRejectedError(_("Unknown document; allowed: {values}").format(values=", ".join(KINDS)))
    if lang is not None and lang not in ("de", "en"):
        raise InputRejectedError(_("Unknown language; allowed: de, en"))
    if kind in NEEDS_ID and not record_id:
        raise InputRejectedError(_("This document needs the id of its record (--id)."))
    if kind != "info-sheet" and not case_code:
        raise InputRejectedError(_("This document needs a case code."))
    if kind in ("casesheet", "agreement"):
        from gk_desktop.services import print_case

        if kind == "casesheet":
            return print_case.casesheet(vault, case_code, settings=settings, lang=lang, interview_ids=interview_ids,
                                        source=source)
        return print_case.agreement(vault, case_code, record_id, settings=settings, lang=lang, source=source)
    from gk_desktop.services import print_consent

    if kind == "consent":
        return print_consent.consent_form(vault, case_code, record_id, settings=settings, lang=lang, source=source)
    if kind == "info-sheet":
        return print_consent.info_sheet(vault, case_code, settings=settings, lang=lang)
    return print_consent.referral_sheet(vault, case_code, record_id, settings=settings, lang=lang, source=source)


def save_pdf(data: bytes, path: Path | str) -> Path:
    """Write the bytes to exactly the path the worker chose (atomically; nothing else on disk)."""
    from gk_desktop.storage.fsutil import atomic_write

    target = Path(path)
    if target.is_dir():
        raise InputRejectedError(_("{path} is a folder; give a file name.").format(path=target))
    if not target.parent.is_dir():
        raise InputRejectedError(_("The folder {path} does not exist.").format(path=target.parent))
    atomic_write(target, data)
    return target
