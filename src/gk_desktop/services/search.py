"""Search as you type over names, name variants and case codes (ARCHITECTURE.md §7).

The query is folded exactly as the stored side (:func:`gk_desktop.domain.folding.tokens`); its
terms are combined with AND and each is matched as a prefix in the names index
(:mod:`gk_desktop.storage.search_index`). Interview notes join with the case-file issue.
This is the function the GUI calls on every keystroke: one indexed query, then a few dozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    match: str  # "name" or "case_code" (later "note")
    snippet: str  # the name, name variant or case code that matched

    def as_json(self) -> dict[str, Any]:
        return {"case_code": self.case_code, "first_name": self.first_name, "last_name": self.last_name,
                "match": self.match, "snippet": self.snippet}


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


GUI_LIMIT = 50_000
_IDS_SQL = "SELECT client_id, kind FROM search_name WHERE search_name MATCH ? LIMIT ?"


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
    return MatchSet(query, terms, kinds)


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


def search_vault(vault: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    with vault.session() as s:
        return search(s, query, limit)
