"""Extract, update and compile the gettext catalog (Babel).

    python scripts/translations.py          # extract → update de .po → compile .mo
    python scripts/translations.py --check  # exit 1 if the .po misses strings or the .mo is stale

Source strings are English (in the code); German translations live in the .po file.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gk_desktop"
LOCALE = SRC / "i18n" / "locale"
DOMAIN = "gk_desktop"
LANGS = ("de",)


def extract() -> Catalog:
    template = Catalog(project="gk-desktop", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")],
        # _t: the domain's texts (domain/ imports no i18n; services translate them when shown)
        keywords={"_": None, "N_": None, "ngettext": (1, 2), "_t": None},
        comment_tags=("TRANSLATORS:",),
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    # The residence checks' criterion labels: plain English strings in a table of the domain.
    sys.path.insert(0, str(SRC.parent))
    from gk_desktop.domain.residence_checks import LABELS, QUESTIONS

    for text in (*LABELS.values(), *QUESTIONS.values()):
        if text not in template:
            template.add(text, None, [("domain/residence_checks.py", 0)])
    return template


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(check: bool) -> int:
    template = extract()
    status = 0
    for lang in LANGS:
        path = po_path(lang)
        if path.exists():
            with open(path, "rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="gk-desktop", charset="utf-8")
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=True)
        missing = {m.id for m in template if m.id} - before
        if check:
            if missing:
                print(f"{lang}: strings missing from the catalog: {sorted(map(str, missing))[:10]}")
                status = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        write_po(buf, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
        path.write_bytes(buf.getvalue())
        mo = io.BytesIO()
        write_mo(mo, catalog, use_fuzzy=False)
        path.with_suffix(".mo").write_bytes(mo.getvalue())
    return status


if __name__ == "__main__":
    sys.exit(update("--check" in sys.argv))
