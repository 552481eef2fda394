"""Likely duplicates of a new client among the existing ones (DOMAIN.md §3, CLI ``client add``).

A client is a likely duplicate of another when

- the birth dates are equal, or the years are equal and either date is "year only": flagged
  ``birth_date_fictitious`` or 1 January. An unflagged 01.01. counts as well, because 01.01. is
  the date authorities enter when the real one is unknown and the flag is easily forgotten;
  a real 1 January birthday only costs the worker one extra hint; and
- the names are similar (first with first and last with last, or crosswise: first and last
  names are often swapped between documents), directly or through a name variant.

Only the worker decides that two records are the same person; this module finds candidates.

How names are compared (:func:`names_similar`), on top of :func:`~.folding.fold`:

- Each name is spelt in a normalised Latin form. Arabic script (Arabic, Persian, Pashto, Urdu,
  Sorani) is transliterated to a consonant skeleton, as it does not write short vowels; so is
  Ethiopic script (Tigrinya, Amharic), whose syllables do carry vowels, but whose sixth order is
  read with or without one (ፍሰሃ is Fisseha). Cyrillic (Russian, Ukrainian, Serbian) is
  transliterated letter by letter, vowels included.
- Latin transliteration variants are mapped to one form: ``ph`` → f, ``kh`` → h, ``gh`` → g,
  ``sh``/``sch``/``ş`` → s, ``tsch``/``tch``/``ç``/``č``/``ć`` → c, ``ck``/``q`` → k,
  ``x`` → ks, ``w`` → v, doubled letters once (Hassan/Hasan), ``j`` at the start of a word
  → y (Jusuf/Yusuf), ``y`` after a consonant or at the end → i (Maryam/Mariam, Aly/Ali),
  a final ``ah`` → a (Fatimah/Fatima, Abdullah/Abdulla; not ``eh``, which is often a real h:
  Saleh is not Salah), a final ``ye`` after a vowel → y (Tesfaye/Tesfay, Abdoulaye/Abdoulay),
  ``abd`` + vowels → ``abdu`` (Abdel-/Abdal-/Abdoul-/Abdi-/Abdul-). Digraphs that stand for
  different sounds in different transliterations are tried every way: ``dj`` (and ``đ``) as d
  or j (Djordjevic/Dordevic, Djamel/Jamal), ``th`` as t or s (Othman/Osman), ``ch`` as c, s, h
  or k (Aicha/Aisha, Chalid/Khalid, Christina/Kristina).
- Vowels are kept as classes: a → A, o/u → U, i → I, and e → E, which matches any class
  (e stands for a, i and u in transliterations: Ahmed/Ahmad, Hamed/Hamid, Youssef/Yusuf).
  Neighbouring vowels form one run; an ``e`` inside a run may be left out (Mueller/Müller,
  Hussein/Husein), and in names of three consonants or more a final ``e`` after a consonant
  may be left out (Hassane/Hassan, Ousmane/Usman).
- Two Latin (or Cyrillic) names are similar when these shapes are equal under the vowel rules:
  the same consonants in the same places, and compatible vowels in the same places. Names with
  at least four consonants may also differ by one edit (Abdurrahman/Abdulrahman,
  Muhumed/Mohammed). Keeping the vowels is what keeps Hassan from Hussein, Omar from Amir and
  Mohammed from Mahmoud, which share their consonants.
- When either name is in Arabic or Ethiopic script, and so has no (reliable) vowels, the
  :func:`name_key` skeletons are compared instead: equal, or one edit apart when both have at
  least four consonants. This is coarser: ``محمد`` matches Mohammed and also Mahmoud. Two names
  in the same one of these scripts are compared letter by letter after folding.
- A name of several words is compared as one joined word (Abdul Rahman/Abdulrahman,
  Al-Hassan/Alhassan) and, failing that, word by word: every word of the shorter name must match
  its own word of the longer one (Mohammed/Mohammed Ali, Hassan/Al Hassan, and word order does
  not matter).

Scripts other than Latin, Cyrillic, Arabic and Ethiopic are only compared within the same script.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gk_desktop.domain.folding import APOSTROPHES, fold

__all__ = [
    "REASONS",
    "REASON_FICTITIOUS_BIRTH_YEAR",
    "REASON_FICTITIOUS_BIRTH_YEAR_VARIANT",
    "REASON_SAME_BIRTH_DATE",
    "REASON_SAME_BIRTH_DATE_VARIANT",
    "PersonKey",
    "find_duplicates",
    "name_key",
    "names_similar",
]

REASON_SAME_BIRTH_DATE = "same_birth_date_similar_name"
REASON_SAME_BIRTH_DATE_VARIANT = "same_birth_date_name_variant"
REASON_FICTITIOUS_BIRTH_YEAR = "fictitious_birth_year_similar_name"
REASON_FICTITIOUS_BIRTH_YEAR_VARIANT = "fictitious_birth_year_name_variant"
# Strongest first: find_duplicates() lists its candidates in this order.
REASONS = (
    REASON_SAME_BIRTH_DATE,
    REASON_SAME_BIRTH_DATE_VARIANT,
    REASON_FICTITIOUS_BIRTH_YEAR,
    REASON_FICTITIOUS_BIRTH_YEAR_VARIANT,
)


@dataclass(frozen=True)
class PersonKey:
    """What the duplicate check needs of a client.

    Attributes:
        id: the record id; a candidate with the same id as the new client is skipped.
        case_code: for the report to the worker.
        name_variants: transliterations and aliases; each may be a single name (standing in
            for the first or for the last name) or a full name.
    """

    id: str
    case_code: str
    first_name: str
    last_name: str
    birth_date: dt.date
    birth_date_fictitious: bool = False
    name_variants: tuple[str, ...] = ()


# --- Latin ------------------------------------------------------------------------------------

_VOWEL_CLASS = {"a": "A", "e": "E", "i": "I", "o": "U", "u": "U"}
_VOWELS = frozenset(_VOWEL_CLASS)
_RUN_CHARS = frozenset("AEIU")

# Replaced first, so that the "ch" inside them is not read as an ambiguous "ch".
_LATIN_FIRST = (("tsch", "c"), ("tch", "c"), ("sch", "s"))
# Digraphs read more than one way; the first reading is the one name_key() reports.
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "dj": ("d", "j"),
    "th": ("t", "s"),
    "ch": ("c", "s", "h", "k"),
}
_AMBIGUOUS_RE = re.compile("(" + "|".join(_AMBIGUOUS) + ")")
_LATIN_FIXED = (("x", "ks"), ("ph", "f"), ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ck", "k"), ("q", "k"), ("w", "v"))
_ABD_RE = re.compile(r"abd[aeiou]+")
# Cap on the readings of one name (ambiguous digraphs multiply them).
_MAX_READINGS = 16
# Cap on the words of a name compared word by word.
_MAX_PARTS = 6
# Only so much of a name is compared (real names are far shorter).
_MAX_NAME_CHARS = 100

_CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "yi", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "c", "ш": "s", "щ": "s", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ў": "u",
}  # fmt: skip


_PRE_FOLD = str.maketrans({"đ": "dj", "Đ": "Dj", "й": "y", "Й": "Y"})


def _collapse(text: str) -> str:
    """Doubled letters once: Hassan → hasan, Mohammed → mohamed."""
    return "".join(ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1])


def _normalise_latin(token: str) -> str:
    for old, new in _LATIN_FIXED:
        token = token.replace(old, new)
    token = _collapse(token)
    if len(token) > 2 and token.endswith("ah"):
        token = token[:-1]
    if len(token) > 3 and token.endswith("ye") and token[-3] in _VOWELS:
        token = token[:-1]
    if token.startswith("j"):
        token = "y" + token[1:]
    chars = list(token)
    for i in range(1, len(token)):
        if token[i] == "y":
            between_vowels = token[i - 1] in _VOWELS and i + 1 < len(token) and token[i + 1] in _VOWELS
            if not between_vowels:
                chars[i] = "i"
    return "".join(chars)


def _latin_readings(token: str) -> tuple[str, ...]:
    token = "".join(_CYRILLIC.get(ch, ch) for ch in token if not ch.isdigit())
    for old, new in _LATIN_FIRST:
        token = token.replace(old, new)
    pieces = _AMBIGUOUS_RE.split(token)
    options = [(piece,) if i % 2 == 0 else _AMBIGUOUS[piece] for i, piece in enumerate(pieces)]
    readings: list[str] = []
    for combo in itertools.islice(itertools.product(*options), _MAX_READINGS):
        reading = _normalise_latin("".join(combo))
        if reading and reading not in readings:
            readings.append(reading)
    return tuple(readings)


Shape = tuple[str, ...]


def _shape(text: str) -> Shape:
    """Consonants as themselves, each run of vowels as one element of classes (``"AI"``)."""
    elements: list[str] = []
    run = ""
    for ch in text:
        cls = _VOWEL_CLASS.get(ch)
        if cls is not None:
            if not run.endswith(cls):
                run += cls
            continue
        if run:
            elements.append(run)
            run = ""
        elements.append(ch)
    if run:
        elements.append(run)
    return tuple(elements)


def _is_run(element: str) -> bool:
    return element[0] in _RUN_CHARS


def _skeleton(shape: Shape) -> str:
    """Consonants only; a leading vowel as ``'``; y and v only at the start (else they are glides)."""
    out: list[str] = []
    for i, element in enumerate(shape):
        if _is_run(element):
            if i == 0:
                out.append("'")
            continue
        if i > 0 and element in ("y", "v"):
            continue
        out.append(element)
    return _collapse("".join(out))


def _runs_compatible(a: str, b: str) -> bool:
    if len(a) == len(b) and all(x == y or "E" in (x, y) for x, y in zip(a, b, strict=True)):
        return True
    return a.replace("E", "") == b.replace("E", "")


def _compatible(a: str, b: str) -> bool:
    a_run, b_run = _is_run(a), _is_run(b)
    if a_run and b_run:
        return _runs_compatible(a, b)
    return a == b


def _strip_final_e(shape: Shape) -> Shape:
    """A final e after a consonant left out, in names of three consonants or more.

    That is the silent French e (Hassane, Ousmane, Abderrahmane). In shorter names a final e is
    more often a vowel of its own (Turkish Emine is Amina, not Amin).
    """
    if len(shape) > 1 and shape[-1] == "E" and _consonant_count(shape) >= 3:
        return shape[:-1]
    return shape


def _consonant_count(shape: Shape) -> int:
    return sum(1 for element in shape if not _is_run(element))


def _within_one_edit(a: Sequence[str], b: Sequence[str], same: Callable[[str, str], bool]) -> bool:
    """Whether one substitution, insertion or deletion at most turns ``a`` into ``b``.

    Elements for which ``same`` holds count as equal. Linear time, so that long input stays cheap.
    """
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return sum(1 for x, y in zip(a, b, strict=True) if not same(x, y)) <= 1
    # b is one longer: some element of b is the inserted one.
    prefix = 0
    while prefix < len(a) and same(a[prefix], b[prefix]):
        prefix += 1
    suffix = 0
    while suffix < len(a) and same(a[len(a) - 1 - suffix], b[len(b) - 1 - suffix]):
        suffix += 1
    return prefix + suffix >= len(a)


def _shapes_similar(a: Shape, b: Shape) -> bool:
    pairs = [(x, y) for x in dict.fromkeys((a, _strip_final_e(a))) for y in dict.fromkeys((b, _strip_final_e(b)))]
    for x, y in pairs:
        if len(x) == len(y) and all(_compatible(p, q) for p, q in zip(x, y, strict=True)):
            return True
    if _consonant_count(a) >= 4 and _consonant_count(b) >= 4:
        return any(_within_one_edit(x, y, _compatible) for x, y in pairs)
    return False


# --- Arabic and Ethiopic script -------------------------------------------------------------

# After fold(): the yeh, kaf, heh and alef forms are already unified and the harakat are gone.
_ARABIC: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "s", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "z", "ر": "r",
    "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    # Persian, Pashto, Urdu, Kurdish.
    "پ": "p", "چ": "c", "ژ": "j", "گ": "g", "ڤ": "v", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "j",
    "ښ": "s", "ګ": "g", "ڼ": "n", "ځ": "z", "څ": "ts", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n",
    "ڕ": "r", "ڵ": "l",
    # Vowel carriers: a leading vowel in the skeleton, else nothing. ع is dropped as in most
    # Latin transliterations (Ali, Omar).
    "ا": "'", "ع": "'", "ء": "'", "ۆ": "'", "ێ": "'", "ە": "'",
    # Glides: consonants at the start, long vowels inside a word.
    "و": "v", "ي": "y",
}  # fmt: skip

# The consonant of each row of eight syllables from U+1200; the vowel order is not used.
_ETHIOPIC_ROWS = ("h l h m s r s s k k k k b v t c h h n n ' k k h h v ' z j y d d j g g g t c p ts ts f p").split()


def _abjad_skeleton(token: str, script: str) -> str:
    out: list[str] = []
    last = len(token) - 1
    for i, ch in enumerate(token):
        if script == "arabic":
            mapped = _ARABIC.get(ch)
            if ch == "ه" and i == last and i > 0:
                continue  # teh marbuta and final heh: Fatima, Abdullah
        else:
            row = (ord(ch) - 0x1200) // 8
            mapped = _ETHIOPIC_ROWS[row] if 0 <= row < len(_ETHIOPIC_ROWS) else None
        if mapped is None:
            continue
        if i > 0 and mapped in ("'", "v", "y"):
            continue
        if i == 0 and mapped == "j":
            mapped = "y"  # as in Latin: Jamal → yamal
        out.append(mapped)
    return _collapse("".join(out))


def _script(token: str) -> str:
    for ch in token:
        if "\u0600" <= ch <= "\u08ff" or "\ufb50" <= ch <= "\ufeff":
            return "arabic"
        if "\u1200" <= ch <= "\u139f" or "\u2d80" <= ch <= "\u2ddf" or "\uab00" <= ch <= "\uab2f":
            return "ethiopic"
    return "latin"


# --- Name forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    script: str
    readings: tuple[str, ...]  # Latin only
    skeletons: tuple[str, ...]
    folded: str


@dataclass(frozen=True)
class _Form:
    script: str  # "latin", "arabic", "ethiopic" or "mixed"
    shapes: tuple[Shape, ...]  # Latin only
    skeletons: tuple[str, ...]  # the first is name_key()
    folded: str


@dataclass(frozen=True)
class _Forms:
    whole: _Form | None
    parts: tuple[_Form, ...]


def _token(folded: str) -> _Token | None:
    script = _script(folded)
    if script == "latin":
        readings = _latin_readings(folded)
        if not readings:
            return None
        skeletons = tuple(dict.fromkeys(_skeleton(_shape(r)) for r in readings))
        return _Token(script, readings, skeletons, folded)
    skeleton = _abjad_skeleton(folded, script)
    if not skeleton:
        return None
    return _Token(script, (), (skeleton,), folded)


def _join_skeletons(parts: Sequence[str]) -> str:
    """Only the first word keeps its leading-vowel mark: عبد الرحمن and Abdulrahman alike."""
    return _collapse(parts[0] + "".join(p.lstrip("'") for p in parts[1:]))


def _form(words: Sequence[_Token]) -> _Form:
    scripts = {w.script for w in words}
    script = scripts.pop() if len(scripts) == 1 else "mixed"
    shapes: list[Shape] = []
    if script == "latin":
        for combo in itertools.islice(itertools.product(*(w.readings for w in words)), _MAX_READINGS):
            shape = _shape(_collapse(_ABD_RE.sub("abdu", "".join(combo))))
            if shape not in shapes:
                shapes.append(shape)
    skeletons = itertools.islice(itertools.product(*(w.skeletons for w in words)), _MAX_READINGS)
    return _Form(
        script=script,
        shapes=tuple(shapes),
        skeletons=tuple(dict.fromkeys(_join_skeletons(s) for s in skeletons)),
        folded="".join(w.folded for w in words),
    )


@functools.lru_cache(maxsize=8192)
def _forms(name: str) -> _Forms:
    # Before fold() takes them apart: đ keeps its "dj" reading and й its "y" (fold makes them d
    # and и). Apostrophes join (Sa'id = Said, N'Diaye = Ndiaye).
    name = name.translate(_PRE_FOLD)
    name = "".join(ch for ch in name if ch not in APOSTROPHES)
    words = [t for t in (_token(w) for w in fold(name)[:_MAX_NAME_CHARS].split()) if t is not None]
    if not words:
        return _Forms(None, ())
    whole = _form(words)
    parts = tuple(_form([w]) for w in words) if len(words) > 1 else (whole,)
    return _Forms(whole, parts)


def _equal(a: str, b: str) -> bool:
    return a == b


def _keys_similar(a: str, b: str) -> bool:
    if a == b:
        return True
    long_enough = len(a.lstrip("'")) >= 4 and len(b.lstrip("'")) >= 4
    return long_enough and _within_one_edit(a, b, _equal)


def _forms_similar(a: _Form, b: _Form) -> bool:
    if a.script == b.script == "latin":
        return any(_shapes_similar(x, y) for x in a.shapes for y in b.shapes)
    if a.script == b.script and a.script in ("arabic", "ethiopic"):
        if a.folded == b.folded:
            return True
        return min(len(a.folded), len(b.folded)) >= 6 and _within_one_edit(a.folded, b.folded, _equal)
    return any(_keys_similar(x, y) for x in a.skeletons for y in b.skeletons)


def _assignable(small: Sequence[_Form], big: Sequence[_Form]) -> bool:
    """Whether each form of ``small`` is similar to its own form of ``big``."""
    if not small:
        return True
    head, rest = small[0], small[1:]
    for i, candidate in enumerate(big):
        if _forms_similar(head, candidate) and _assignable(rest, [*big[:i], *big[i + 1 :]]):
            return True
    return False


def name_key(name: str) -> str:
    """The consonant skeleton of ``name``: a coarse key that ignores script and spelling.

    A leading vowel is kept as ``'``; other vowels, and y and w/v inside a word, are dropped.
    Where a name can be read more than one way (``dj``, ``th``, ``ch``), this is the first reading.

    >>> {name_key(n) for n in ("Mohammed", "Muhammad", "Mohamad", "محمد")}
    {'mhmd'}
    >>> {name_key(n) for n in ("Yusuf", "Youssef", "Jusuf", "يوسف")}
    {'ysf'}

    The key alone does not decide similarity between two Latin names (Mahmoud also gives
    ``mhmd``); :func:`names_similar` compares their vowels too.
    """
    whole = _forms(name).whole
    return whole.skeletons[0] if whole is not None and whole.skeletons else ""


def names_similar(a: str, b: str) -> bool:
    """Whether two single names (first or last, one or more words) may be the same name.

    See the module docstring for the rules. Symmetric; an empty name is similar to nothing.
    """
    fa, fb = _forms(a), _forms(b)
    if fa.whole is None or fb.whole is None:
        return False
    if _forms_similar(fa.whole, fb.whole):
        return True
    small, big = (fa.parts, fb.parts) if len(fa.parts) <= len(fb.parts) else (fb.parts, fa.parts)
    if len(big) < 2 or len(big) > _MAX_PARTS:
        return False
    return _assignable(small, big)


# --- Persons --------------------------------------------------------------------------------


def _year_only(p: PersonKey) -> bool:
    return p.birth_date_fictitious or (p.birth_date.month, p.birth_date.day) == (1, 1)


def _date_match(a: PersonKey, b: PersonKey) -> str | None:
    if a.birth_date == b.birth_date:
        return "same_birth_date"
    if a.birth_date.year == b.birth_date.year and (_year_only(a) or _year_only(b)):
        return "fictitious_birth_year"
    return None


def _blank(name: str) -> bool:
    return _forms(name).whole is None


def _pair_similar(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """(first, last) against (first, last), straight or crosswise; two blank names agree."""

    def straight(x: tuple[str, str], y: tuple[str, str]) -> bool:
        first = names_similar(x[0], y[0])
        last = names_similar(x[1], y[1])
        if not (first or last):
            return False
        return (first or (_blank(x[0]) and _blank(y[0]))) and (last or (_blank(x[1]) and _blank(y[1])))

    return straight(a, b) or straight(a, (b[1], b[0]))


def _readings(p: PersonKey) -> list[tuple[str, str]]:
    """The person's (first, last) name pairs, with each variant standing in for either name,
    and each variant of several words also split into first and last name."""
    readings = [(p.first_name, p.last_name)]
    for variant in p.name_variants:
        if _blank(variant):
            continue
        readings += [(variant, p.last_name), (p.first_name, variant)]
        words = variant.split()
        readings += [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    return list(dict.fromkeys(readings))


def _name_match(a: PersonKey, b: PersonKey) -> str | None:
    if _pair_similar((a.first_name, a.last_name), (b.first_name, b.last_name)):
        return "similar_name"
    if a.name_variants or b.name_variants:
        for x in _readings(a):
            for y in _readings(b):
                if _pair_similar(x, y):
                    return "name_variant"
    return None


def find_duplicates(new: PersonKey, existing: Iterable[PersonKey]) -> list[tuple[PersonKey, str]]:
    """The existing persons that may be ``new``, each with a reason from :data:`REASONS`.

    Same birth date (or same year with a year-only date on either side, see the module
    docstring) and similar names. The result is ordered by reason as in :data:`REASONS`, then as
    given. A person with ``new``'s own id is skipped. Symmetric: if A flags B, B flags A with the
    same reason.
    """
    found: list[tuple[PersonKey, str]] = []
    for candidate in existing:
        if candidate.id == new.id:
            continue
        date = _date_match(new, candidate)
        if date is None:
            continue
        name = _name_match(new, candidate)
        if name is None:
            continue
        found.append((candidate, f"{date}_{name}"))
    found.sort(key=lambda pair: REASONS.index(pair[1]))
    return found
