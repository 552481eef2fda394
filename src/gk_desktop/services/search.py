"""Search as you type over names, name variants and case codes (ARCHITECTURE.md §7).

The query is folded exactly as the stored side (:func:`gk_desktop.domain.folding.tokens`); its
terms are combined with AND and each is matched as a prefix in the names index
(:mod:`gk_desktop.storage.search_index`). Interview notes join with the case-file issue.
This is the function the GUI calls on every keystroke: one indexed query, then a few dozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from gk_desktop.domain.folding import fold_variants, tokens
from gk_desktop.storage.search_index import KIND_CASE_CODE, KIND_NAME

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_TERMS = 8
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class SearchHit:
    client_id: str
    case_code: str
    first_name: str
    last_name: str
    match: str  # "name", "case_code" or "note"
    snippet: str  # the name, name variant or case code that matched, or words around the note's hit
    contact_id: str | None = None  # for a note: the interview to open

    def as_json(self) -> dict[str, Any]:
        out = {"case_code": self.case_code, "first_name": self.first_name, "last_name": self.last_name,
               "match": self.match, "snippet": self.snippet}
        if self.contact_id is not None:
            out["contact_id"] = self.contact_id
        return out


def match_expression(query: str) -> str | None:
    """The FTS5 expression for ``query``: each folded term quoted, as a prefix, joined by AND."""
    terms = tokens(query[:MAX_QUERY_CHARS])[:MAX_TERMS]
    if not terms:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)


_SQL = text(
    "SELECT s.client_id, s.kind, c.case_code, c.first_name, c.last_name "
    "FROM search_name AS s JOIN client AS c ON c.id = s.client_id "
    "WHERE search_name MATCH :q "
    "ORDER BY s.kind = 'case_code', c.last_name, c.first_name, c.case_code LIMIT :n"
)
_VARIANTS = text("SELECT client_id, name FROM client_name_variant WHERE client_id IN (SELECT value FROM json_each(:ids)) ORDER BY id")


def _snippet(terms: list[str], names: list[str]) -> str:
    """The first of ``names`` whose folded spellings cover every term by prefix, else all joined."""
    for name in names:
        words = {w for v in fold_variants(name) for w in v.split()}
        if all(any(w.startswith(t) for w in words) for t in terms):
            return name
    return " ".join(names)


def snippet_for(terms: list[str] | tuple[str, ...], first_name: str, last_name: str,
                variants: list[str] | tuple[str, ...]) -> str:
    """What matched a name search: the full name, a name variant, or a variant with the other name."""
    own = list(variants)
    return _snippet(list(terms), [f"{first_name} {last_name}", *own, *(f"{v} {last_name}" for v in own),
                                  *(f"{first_name} {v}" for v in own)])


@dataclass(frozen=True)
class MatchSet:
    """Every client a query matches, for filtering a list that holds the names already
    (with :func:`snippet_for` it says what matched for the rows on screen).

    ``kinds``: client id → ``name`` or ``case_code``.
    """

    query: str
    terms: tuple[str, ...]
    kinds: dict[str, str]
    # client id → (interview id, words around the hit) for clients found by an interview note
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)


GUI_LIMIT = 50_000
GUI_NOTE_LIMIT = 500  # newest interviews whose notes match; each client once
_IDS_SQL = "SELECT client_id, kind FROM search_name WHERE search_name MATCH ? LIMIT ?"


KIND_NOTE = "note"
_GUI_NOTES_SQL = (
    "SELECT n.client_id, n.contact_id, k.note, k.agreements FROM search_note AS n "
    "JOIN contact AS k ON k.id = n.contact_id WHERE search_note MATCH ? ORDER BY n.at DESC LIMIT ?"
)


def match_clients(session: Any, query: str, limit: int = GUI_LIMIT) -> MatchSet:
    """The clients ``query`` matches, unordered: one FTS5 query. What the client list calls on
    every keystroke."""
    expr = match_expression(query)
    terms = tuple(tokens(query[:MAX_QUERY_CHARS])[:MAX_TERMS])
    if expr is None:
        return MatchSet(query, terms, {})
    rows = session.connection().exec_driver_sql(_IDS_SQL, (expr, limit)).fetchall()
    kinds: dict[str, str] = {}
    for client_id, kind in rows:
        if kinds.get(client_id) != KIND_NAME:
            kinds[client_id] = kind
    notes: dict[str, tuple[str, str]] = {}
    note_expr = note_expression(query)
    if note_expr is not None:
        for client_id, contact_id, note, agreements in session.connection().exec_driver_sql(
                _GUI_NOTES_SQL, (note_expr, GUI_NOTE_LIMIT)).fetchall():
            if client_id in kinds or client_id in notes:
                continue  # a name hit says more; and each client once, with the newest interview
            body = f"{note}\n{agreements}" if agreements else note
            notes[client_id] = (contact_id, note_snippet(body or "", list(terms)))
    for client_id in notes:
        kinds[client_id] = KIND_NOTE
    return MatchSet(query, terms, kinds, notes)


def match_clients_vault(vault: Any, query: str, limit: int = GUI_LIMIT) -> MatchSet:
    with vault.session() as s:
        return match_clients(s, query, limit)


def search(session: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    expr = match_expression(query)
    if expr is None:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = session.execute(_SQL, {"q": expr, "n": limit * 2}).all()
    seen: set[str] = set()
    picked = []
    for row in rows:
        if row.client_id in seen:
            continue
        seen.add(row.client_id)
        picked.append(row)
        if len(picked) == limit:
            break
    if not picked:
        return []
    terms = tokens(query[:MAX_QUERY_CHARS])[:MAX_TERMS]
    import json

    variants: dict[str, list[str]] = {}
    name_ids = [r.client_id for r in picked if r.kind == KIND_NAME]
    if name_ids:
        for cid, name in session.execute(_VARIANTS, {"ids": json.dumps(name_ids)}):
            variants.setdefault(cid, []).append(name)
    hits = []
    for r in picked:
        if r.kind == KIND_CASE_CODE:
            hits.append(SearchHit(r.client_id, r.case_code, r.first_name, r.last_name, "case_code", r.case_code))
        else:
            snippet = snippet_for(terms, r.first_name, r.last_name, variants.get(r.client_id, []))
            hits.append(SearchHit(r.client_id, r.case_code, r.first_name, r.last_name, "name", snippet))
    return hits


NOTE_MIN_CHARS = 3  # trigram index: a shorter term cannot be looked up
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 80
_NOTES_SQL = text(
    "SELECT n.contact_id, n.client_id, c.case_code, c.first_name, c.last_name, k.note, k.agreements "
    "FROM search_note AS n JOIN client AS c ON c.id = n.client_id JOIN contact AS k ON k.id = n.contact_id "
    "WHERE search_note MATCH :q ORDER BY n.at DESC LIMIT :n"
)


def note_expression(query: str) -> str | None:
    """The trigram FTS5 expression: every folded term of at least three characters, AND."""
    terms = tokens(query[:MAX_QUERY_CHARS])[:MAX_TERMS]
    if not terms or any(len(t) < NOTE_MIN_CHARS for t in terms):
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def note_snippet(text_value: str, terms: list[str]) -> str:
    """A few words around the first term found in the note (folded comparison), one line."""
    import re

    from gk_desktop.domain.folding import fold

    head = text_value[:20_000]
    at = -1
    for term in terms:
        found = re.search(re.escape(term), head, re.IGNORECASE)
        if found:
            at = found.start()
            break
    if at < 0:  # the match needed folding (ş, é …): map folded positions back, char by char
        starts, pieces, length = [], [], 0
        for ch in head[:5000]:
            starts.append(length)
            piece = fold(ch) or " "
            pieces.append(piece)
            length += len(piece)
        folded = "".join(pieces)
        for term in terms:
            idx = folded.find(term)
            if idx >= 0:
                at = max(i for i, start in enumerate(starts) if start <= idx)
                break
    at = max(at, 0)
    start, end = max(0, at - SNIPPET_BEFORE), at + SNIPPET_AFTER
    piece = " ".join(head[start:end].split())
    return ("… " if start > 0 else "") + piece + (" …" if end < len(head) else "")


def search_notes(session: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Interviews whose note or agreements contain every term (from the third character), newest first."""
    expr = note_expression(query)
    if expr is None:
        return []
    terms = tokens(query[:MAX_QUERY_CHARS])[:MAX_TERMS]
    hits = []
    for r in session.execute(_NOTES_SQL, {"q": expr, "n": max(1, min(int(limit), MAX_LIMIT))}):
        body = f"{r.note}\n{r.agreements}" if r.agreements else r.note
        hits.append(SearchHit(r.client_id, r.case_code, r.first_name, r.last_name, "note",
                              note_snippet(body, terms), r.contact_id))
    return hits


def search_all(session: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Names and case codes first (each client once), then interviews, newest first; ``limit`` in all."""
    hits = search(session, query, limit)
    if len(hits) < limit:
        hits += search_notes(session, query, limit - len(hits))
    return hits


def search_vault(vault: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    with vault.session() as s:
        return search(s, query, limit)
