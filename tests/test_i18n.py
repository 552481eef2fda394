"""The German catalog is complete, compiled, and keeps every placeholder (STYLE.md 16)."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "gk_desktop" / "i18n" / "locale" / "de" / "LC_MESSAGES" / "gk_desktop.po"


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f is not None}


def test_catalog_has_every_source_string() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_german_string_translated_with_same_placeholders() -> None:
    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="de")
    problems = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        if not all(strings) or m.fuzzy:
            problems.append(f"untranslated: {m.id!r}")
        elif any(_fields(t) != _fields(ids[-1]) for t in strings):
            problems.append(f"placeholders differ: {m.id!r}")
    assert problems == []


def _key(value):
    return tuple(value) if isinstance(value, (tuple, list)) else value


def test_mo_is_up_to_date() -> None:
    with open(PO, "rb") as fh:
        po = {_key(m.id): _key(m.string) for m in read_po(fh, locale="de") if m.id}
    with open(PO.with_suffix(".mo"), "rb") as fh:
        mo = {_key(m.id): _key(m.string) for m in read_mo(fh) if m.id}
    assert po == mo, "run: make translations"


def test_german_is_default_and_english_available(monkeypatch) -> None:
    from gk_desktop import i18n

    monkeypatch.delenv("GK_LANG", raising=False)
    assert i18n.set_language(None) == "de"
    assert i18n._("Passphrase") == "Passphrase"
    assert i18n._("Recovery key") == "Notfallschlüssel"
    i18n.set_language("en")
    assert i18n._("Recovery key") == "Recovery key"
    i18n.set_language("de")
