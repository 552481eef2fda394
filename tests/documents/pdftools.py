"""Reading printed documents back in the tests: poppler-utils and qpdf (installed by `make test`)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                             capture_output=True, text=True, timeout=60)
    if tool != "qpdf" and out.returncode != 0:
        raise AssertionError(f"{tool}: {out.stderr}")
    return out.stdout + (out.stderr if tool == "qpdf" else "")


def text(pdf: bytes) -> str:
    """The text pdftotext reads, NFKC-normalised (Arabic presentation forms back to letters),
    without bidi control characters."""
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", _run("pdftotext", pdf, "-enc", "UTF-8")))


def words(pdf: bytes) -> set[str]:
    return set(re.findall(r"\w+", text(pdf)))


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the document."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        emb = parts[-5] if len(parts) >= 5 else "no"
        out.append((parts[0], emb == "yes"))
    return out


def qpdf_ok(pdf: bytes) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    return out.returncode == 0 and "No syntax or stream encoding errors" in out.stdout


def info(pdf: bytes) -> dict[str, str]:
    out = {}
    for line in _run("pdfinfo", pdf).splitlines():
        key, _sep, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out
