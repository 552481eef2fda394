"""The recovery sheet: one A4 page, the key readable, no personal data in the metadata, built in memory."""

from __future__ import annotations

import base64
import builtins
import datetime as dt
import getpass
import io
import os
import re
import tempfile
import zlib
from pathlib import Path

import pytest

from gk_desktop import i18n
from gk_desktop.documents.recovery_sheet import recovery_sheet_pdf
from gk_desktop.storage.keys import format_recovery_key

KEY = format_recovery_key(bytes(range(32)))
GROUPS = KEY.split("-")
VAULT_ID = "3f2a9c1e-7b4d-4e0a-9c55-0123456789ab"
CREATED = dt.date(2025, 3, 7)
HINT = r"C:\Users\ZQXCANARY.Mustermann\AppData\Local\gk-desktop"


def _sheet(key: str = KEY, **kw) -> bytes:
    args = {"created": CREATED, "vault_id_short": VAULT_ID, "data_dir_hint": HINT, **kw}
    return recovery_sheet_pdf(key, **args)


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, decoded (ReportLab writes /ASCII85Decode and /FlateDecode)."""
    out = []
    for m in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        head, data = m.group(1), m.group(2)
        if b"/ASCII85Decode" in head:
            data = base64.a85decode(data.strip(), adobe=True)
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        out.append(data)
    return out


def _unescape(literal: bytes) -> str:
    text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), literal)
    text = re.sub(rb"\\(.)", rb"\1", text)
    return text.decode("cp1252", errors="replace")


def _page_text(pdf: bytes) -> str:
    """The text on the page as pdftotext reads it (the fonts are embedded subsets, so the content
    streams hold glyph codes, not letters), one line per line."""
    from . import pdftools

    return "\n".join(line.strip() for line in pdftools.text(pdf).splitlines() if line.strip())


def _info(pdf: bytes) -> bytes:
    ref = re.search(rb"/Info (\d+) 0 R", pdf)
    assert ref
    m = re.search(rb"\n" + ref.group(1) + rb" 0 obj\s*<<(.*?)>>\s*endobj", pdf, re.S)
    assert m
    return m.group(1)


def _without_streams(pdf: bytes) -> bytes:
    return re.sub(rb"stream\r?\n.*?endstream", b"stream endstream", pdf, flags=re.S)


def test_one_a4_page_pdf() -> None:
    pdf = _sheet()
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 1
    assert re.search(rb"/Count 1\b", pdf)
    assert re.search(rb"/MediaBox \[ 0 0 595\.27\d* 841\.88\d* \]", pdf)


def test_key_groups_are_printed_uncompressed_and_compressed() -> None:
    raw = _sheet(compress=False)
    packed = _sheet()
    assert len(packed) < len(raw)
    for pdf in (raw, packed):
        words = _page_text(pdf).split()
        assert [g for g in GROUPS if g in words] == GROUPS


def test_every_font_embedded_on_the_shared_page() -> None:
    from . import pdftools

    pdf = _sheet(municipality="Stadt Rheine")
    used = pdftools.fonts(pdf)
    assert used and all(embedded for _n, embedded in used) and not any("Helvetica" in n or "Courier" in n
                                                                         for n, _e in used)
    assert pdftools.qpdf_ok(pdf)
    text = _page_text(pdf)
    assert "Stadt Rheine" in text  # the municipality at the top, as on every printout
    assert "Seite 1 von 1" in _page_text(_sheet(lang="de")) and "Page 1 of 1" in _page_text(_sheet(lang="en"))


def test_key_input_form_does_not_matter() -> None:
    spaced = " ".join(GROUPS).lower()
    assert _sheet(key=spaced) == _sheet(key=KEY)


@pytest.mark.parametrize("bad", ["", KEY[:-1], KEY + "A", KEY.replace(GROUPS[0], "AAAA0"), KEY.replace("-", "+")])
def test_malformed_key_is_refused_without_echo(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        _sheet(key=bad)
    assert not any(g in str(info.value) for g in GROUPS)


def test_same_input_gives_same_bytes() -> None:
    assert _sheet() == _sheet()
    assert _sheet(compress=False) == _sheet(compress=False)
    assert _sheet() != _sheet(created=CREATED + dt.timedelta(days=1))


def test_date_vault_id_and_hint_on_the_page() -> None:
    de = _page_text(_sheet(lang="de"))
    en = _page_text(_sheet(lang="en"))
    assert "07.03.2025" in de and "2025-03-07" not in de
    assert "2025-03-07" in en and "07.03.2025" not in en
    for text in (de, en):
        assert "3f2a9c1e" in text
        assert "7b4d" not in text  # only the first 8 characters of the vault id
        assert HINT in text
        assert "gk-cli recover" in text
    assert "Recovery sheet for the gk-desktop vault" in en


def test_language_follows_the_argument_not_the_ui() -> None:
    try:
        i18n.set_language("en")
        de = _page_text(_sheet(lang="de"))
        i18n.set_language("de")
        en = _page_text(_sheet(lang="en"))
    finally:
        i18n.set_language("de")
    assert "Notfallschlüssel" in de.splitlines()  # the heading, from the German catalog
    assert "Recovery key" in en.splitlines()
    assert "Notfallschlüssel" not in en


def test_metadata_is_set_and_carries_no_personal_data() -> None:
    for lang, title in (("en", b"Recovery sheet"), ("de", i18n._("Recovery sheet").encode("cp1252"))):
        pdf = _sheet(lang=lang, compress=False)
        info = _info(pdf)
        assert b"/Title (" + title + b")" in info
        assert b"/Author (gk-desktop)" in info
        assert b"/Creator (gk-desktop)" in info
        assert b"/Subject ()" in info
        outside_page = _without_streams(pdf)
        needles = [b"ZQXCANARY", b"Mustermann", b"AppData", b"3f2a9c1e", GROUPS[0].encode(),
                   os.fsencode(Path.home())]
        user = getpass.getuser()
        if len(user) >= 4:
            needles.append(user.encode())
        for needle in needles:
            assert needle not in outside_page, needle
        assert b"ZQXCANARY" in pdf  # the hint is on the page, and only there


def test_a_hint_in_any_script_prints_as_it_is() -> None:
    pdf = _sheet(data_dir_hint="C:\\Users\\\u0645\u062d\u0645\u062f\\gk-desktop", compress=False)
    assert b"ZapfDingbats" not in pdf
    assert "\u0645\u062d\u0645\u062f" in _page_text(pdf) and "????" not in _page_text(pdf)


def test_long_hint_still_one_page() -> None:
    pdf = _sheet(data_dir_hint="D:\\" + "\\".join(["Verzeichnis"] * 30), compress=False)
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 1


def test_touches_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _sheet()  # warm-up: imports and the gettext catalog are loaded
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))

    def refuse(*args, **kwargs):
        raise AssertionError(f"file access: {args!r}")

    for owner, name in ((builtins, "open"), (io, "open"), (os, "open"), (tempfile, "mkstemp"),
                        (tempfile, "mkdtemp"), (tempfile, "NamedTemporaryFile"), (tempfile, "TemporaryFile"),
                        (tempfile, "SpooledTemporaryFile"), (tempfile, "TemporaryDirectory")):
        monkeypatch.setattr(owner, name, refuse)
    before = sorted(tmp_path.rglob("*"))
    assert _sheet() == expected
    monkeypatch.undo()
    assert sorted(tmp_path.rglob("*")) == before
    assert list(scratch.iterdir()) == []
