"""Text folding for search (ARCHITECTURE.md §7): the same function on write and on the query.

The search index holds folded text; a query is folded the same way and each of its tokens is
matched as a prefix. Folding is done in Python, not by the FTS5 tokenizer, so that both sides
fold alike whatever SQLite build is used, and so that the rules below can be tested.

What :func:`fold` does, in this order, and why:

1. Persian ``ۀ`` (heh with yeh above) becomes ``ه`` before decomposition; Unicode would
   decompose it to Kurdish ``ە`` (a vowel letter), which is not what a Persian writer meant.
2. Unicode NFKD, then ``str.casefold()``, then NFKD again. ``casefold`` rather than ``lower``:
   it also turns ``ß``/``ẞ`` into ``ss`` and final ``ς`` into ``σ``. NFKD also unpacks
   ligatures and compatibility forms (``ﬁ`` → ``fi``, Arabic presentation forms → letters,
   ``²`` → ``2``, full-width letters → ASCII).
3. Combining marks (categories Mn and Me) are dropped: ``é`` → ``e``, ``ş`` → ``s``,
   ``İ`` → ``i``. The Arabic harakat (U+064B–U+065F) and the superscript alef (U+0670) are
   nonspacing marks, so they go here too, and so do the hamza marks that NFKD splits off
   ``أ إ آ ؤ ئ``. Spacing marks (Mc, Indic vowel signs) are kept: they carry vowels.
4. Letters without a decomposition are spelt out: ``ı`` → ``i``, ``đ``/``ð``/``ɖ``/``ɗ`` → ``d``,
   ``æ`` → ``ae``, ``œ`` → ``oe``, ``ø`` → ``o``, ``ł`` → ``l``, ``ħ`` → ``h``, ``ŧ`` → ``t``,
   ``þ`` → ``th``, ``ŋ`` → ``ng`` (Dinka, Nuer, Wolof and Fula names are written with ``ng`` in
   passports), ``ɲ`` → ``ny``, ``ɓ`` → ``b``, ``ƙ`` → ``k``, ``ƴ`` → ``y``, ``ɛ`` → ``e``,
   ``ɔ`` → ``o`` (West African and South Sudanese orthographies), ``ə`` → ``a`` (Azerbaijani:
   passports write Məmmədov as MAMMADOV), ``ƒ`` → ``f``.
5. Arabic script: tatweel (U+0640) and the high hamza (U+0674) are dropped; ``ي ی ى ې ۍ ے``
   become ``ي`` (Arabic, Persian, alef maksura, Pashto, Urdu forms of yeh); ``ك ک ڪ`` become
   ``ك``; ``ة ه ھ ہ ۃ`` become ``ه`` (teh marbuta and the Urdu heh forms); ``ا أ إ آ ٱ ٲ ٳ ٵ``
   become ``ا``. Persian and Urdu letters that are different sounds (``پ چ ژ گ``) and the
   standalone hamza ``ء`` are kept. Kurdish ``ە`` is kept (a vowel, not ``ه``).
6. Decimal digits of every script (Arabic-Indic ``٠–٩``, Persian ``۰–۹``, Devanagari …) become
   ASCII digits, so a phone number or case code typed on a Persian keyboard matches.
7. Format characters (Cf: soft hyphen, left-to-right and right-to-left marks, BOM, zero-width
   joiner) are dropped: they are invisible and come in through copy and paste. The zero-width
   non-joiner, which Persian puts between the parts of one word, counts as a hyphen (below).
8. Punctuation, symbols, separators and control characters become spaces, and so do the
   spacing modifier letters U+02B0–U+02FF (``ʼ ʻ ʿ ʾ ˈ``, used as apostrophes and for ayn and
   hamza in transliterations). Hyphens and apostrophes are therefore word breaks:
   ``Al-Hassan`` folds like ``al hassan`` and ``N'Diaye`` like ``n diaye``;
   :func:`fold_variants` adds the joined spelling (``alhassan``, ``ndiaye``) on the stored side.
9. Whitespace is collapsed to single spaces and trimmed.

The result holds only letters, digits, spacing marks and single spaces, so its tokens can be put
into an FTS5 query without any of FTS5's operator characters (``" * ^ : ( ) - +``).

Not done here: transliteration between scripts (``محمد`` does not fold to ``mhmd``) and
spelling variants (``dj`` ↔ ``đ``, ``ou`` ↔ ``u``). The duplicate check does that on top of
:func:`fold` (see :mod:`gk_desktop.domain.duplicates`); for search it would match far too much.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["APOSTROPHES", "HYPHENS", "fold", "fold_variants", "tokens"]

# Applied before NFKD, which would otherwise take these apart the wrong way (see step 1).
_PRE_NFKD = str.maketrans({"ۀ": "ه", "ۂ": "ه"})

# Hyphen-like characters: word breaks in fold(), removed in the joined variant.
HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\u200c")
# Apostrophe-like characters: the same.
APOSTROPHES = frozenset("'\u2019\u2018\u201b\u2032\u00b4`\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02c8\uff07")

# Single characters left over after NFKD + casefold, and what they become (steps 4 and 5).
_CHAR_MAP: dict[str, str] = {
    # Latin letters without a decomposition.
    "ı": "i",
    "đ": "d",
    "ð": "d",
    "ɖ": "d",
    "ɗ": "d",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "ħ": "h",
    "ŧ": "t",
    "þ": "th",
    "ŋ": "ng",
    "ɲ": "ny",
    "ɓ": "b",
    "ƙ": "k",
    "ƴ": "y",
    "ɛ": "e",
    "ɔ": "o",
    "ə": "a",
    "ƒ": "f",
    # Arabic script.
    "\u0640": "",  # tatweel
    "\u0674": "",  # high hamza (left over from NFKD of ٵ ٶ ٷ ٸ)
    "ی": "ي",
    "ى": "ي",
    "ې": "ي",
    "ۍ": "ي",
    "ے": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ة": "ه",
    "ھ": "ه",
    "ہ": "ه",
    "ۃ": "ه",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    # Zero-width non-joiner: a word break inside a Persian compound (step 7).
    "\u200c": " ",
}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """What one character of the NFKD + casefolded text becomes."""
    mapped = _CHAR_MAP.get(ch)
    if mapped is not None:
        return mapped
    if "\u02b0" <= ch <= "\u02ff" or ch in APOSTROPHES or ch in HYPHENS:
        return " "
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category[0] in "PSZ" or category == "Cc":
        return " "
    return ch


def fold(text: str) -> str:
    """Fold ``text`` for search: the same on the stored side and on the query (see module doc).

    >>> fold("Işık Şükrü")
    'isik sukru'
    >>> fold("Al-Hassan, Straße")
    'al hassan strasse'
    """
    text = unicodedata.normalize("NFKD", text.translate(_PRE_NFKD)).casefold()
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(_fold_char(ch) for ch in text).split())


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_WRITTEN_OUT = str.maketrans({"đ": "dj", "Đ": "Dj"})
_CONTRACTIONS = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("dj", "d"))


def fold_variants(text: str) -> set[str]:
    """Every folded spelling under which ``text`` should be found: for the stored side only.

    How the index uses it: on write, all variants are put into the indexed text (for example
    joined by spaces into the one FTS5 column of the row); on search, the query is folded with
    :func:`fold` only (no variants) and each of its :func:`tokens` is matched as a prefix. A query
    then matches whichever spelling the worker typed, because the stored side holds them all:

    - ``fold(text)`` itself;
    - German umlauts written out: a text with ``ä ö ü`` also gets its ``ae oe ue`` form, so
      ``Müller`` is stored as ``muller`` and ``mueller`` and the queries ``Müller``, ``Muller``
      and ``Mueller`` all find it;
    - the reverse: a text written with ``ae oe ue`` also gets the contracted form, so a name
      stored as ``Mueller`` or ``Gueler`` (passport machine-readable zones write umlauts out) is
      found by ``Müller`` and ``Güler``. This also stores ``michal`` for ``Michael`` and
      ``samul`` for ``Samuel``; a prefix search already shows more than one hit, so the extra
      recall is worth those rare extra hits;
    - the same for the South Slavic ``đ``: ``Đorđević`` is also stored as ``djordjevic``, and a
      name stored as ``Djordjevic`` also as ``dordevic`` (what ``Đorđević`` folds to);
    - hyphens and apostrophes removed instead of turned into spaces, so ``Al-Hassan`` is found by
      ``alhassan`` as well as by ``al hassan``, ``N'Diaye`` by ``ndiaye``, and the case code
      ``GK-26-7F3Q9K`` by ``gk267f3q9k``.

    Each variant is itself a fixed point of :func:`fold`. The set is small (at most eight).
    """
    text = unicodedata.normalize("NFC", text)
    joined = "".join(ch for ch in text if ch not in HYPHENS and ch not in APOSTROPHES)
    variants: set[str] = set()
    for source in {text, joined}:
        base = fold(source)
        variants.add(base)
        if any(ch in "äöüÄÖÜ" for ch in source):
            variants.add(fold(source.translate(_UMLAUTS)))
        if any(ch in "đĐ" for ch in source):
            variants.add(fold(source.translate(_WRITTEN_OUT)))
        contracted = base
        for long, short in _CONTRACTIONS:
            contracted = contracted.replace(long, short)
        variants.add(contracted)
    return variants


def tokens(text: str) -> list[str]:
    """The folded tokens of ``text``, in order: the terms of a prefix query.

    >>> tokens("  Müller-Lüdenscheidt  GK-26 ")
    ['muller', 'ludenscheidt', 'gk', '26']
    """
    return fold(text).split()
