"""Search as you type: folding on both sides, prefixes, AND, case codes, the index kept in step."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from gk_desktop.services import clients, search
from gk_desktop.storage import models as M
from gk_desktop.storage import search_index


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def _add(vault, first: str, last: str, **kw) -> str:
    return clients.add_client(vault, {"first_name": first, "last_name": last, "birth_date": "2001-02-03", **kw}).case_code


def _codes(vault, query: str, limit: int = 50) -> list[str]:
    return [h.case_code for h in search.search_vault(vault, query, limit)]


@pytest.mark.parametrize(
    ("first", "last", "query"),
    [
        ("Deniz", "Işık", "isik"),
        ("Deniz", "Işık", "IŞIK"),
        ("Đorđe", "Đorđević", "dordevic"),
        ("Đorđe", "Đorđević", "djordjevic"),
        ("Djordje", "Djordjevic", "Đorđević"),
        ("علي", "يوسفي", "یوسفی"),  # Arabic ي stored, Persian ی typed
        ("علی", "یوسفی", "يوسفي"),  # and the other way round
        ("أحمد", "الحسن", "احمد"),  # hamza forms
        ("Hans", "Müller", "Mueller"),
        ("Hans", "Mueller", "Müller"),
        ("Hans", "Müller", "muller"),
        ("Şükrü", "Yılmaz", "sukru"),
        ("Şükrü", "Yılmaz", "yilm"),
        ("Mohammed", "Al-Hassan", "alhassan"),
        ("Mohammed", "Al-Hassan", "al hass"),
        ("Aissatou", "N'Diaye", "ndiaye"),
        ("José", "Pérez", "jose perez"),
        ("ዮናስ", "ተስፋማርያም", "ዮና"),
    ],
)
def test_folding_finds_the_name_however_typed(open_vault, first, last, query) -> None:
    code = _add(open_vault, first, last)
    _add(open_vault, "Omar", "Khalil")
    assert _codes(open_vault, query) == [code]


def test_prefix_and_and(open_vault) -> None:
    a = _add(open_vault, "Mohammed", "Haddad")
    b = _add(open_vault, "Mohammed", "Darwish")
    c = _add(open_vault, "Maryam", "Haddad")
    assert set(_codes(open_vault, "m")) == {a, b, c}
    assert set(_codes(open_vault, "moh")) == {a, b}
    assert _codes(open_vault, "moh had") == [a]
    assert _codes(open_vault, "had moh") == [a]
    assert _codes(open_vault, "mohx") == []
    assert _codes(open_vault, "") == [] and _codes(open_vault, "  - ") == []


def test_name_variants_and_case_codes_are_found(open_vault) -> None:
    code = _add(open_vault, "Mohammed", "Al-Hassan", name_variants=["Muhammad", "محمد الحسن"])
    hits = search.search_vault(open_vault, "muhammad al")
    assert [(h.case_code, h.match, h.snippet) for h in hits] == [(code, "name", "Muhammad Al-Hassan")]
    assert [h.match for h in search.search_vault(open_vault, "محمد")] == ["name"]
    for typed in (code, code.lower(), code.replace("-", ""), code[-6:-2], code.replace("-", " ")):
        hits = search.search_vault(open_vault, typed)
        assert [(h.case_code, h.match) for h in hits] == [(code, "case_code")], typed


def test_results_are_limited_and_each_client_once(open_vault) -> None:
    for i in range(12):
        _add(open_vault, "Amir", f"Karimi{i:02d}", name_variants=["Ameer"])
    hits = search.search_vault(open_vault, "am", limit=5)
    assert len(hits) == 5
    assert len({h.case_code for h in search.search_vault(open_vault, "am")}) == 12


def test_index_follows_every_write(open_vault) -> None:
    code = _add(open_vault, "Rania", "Khalil")
    clients.update_client(open_vault, code, {"last_name": "Haddad"})
    assert _codes(open_vault, "khalil") == []
    assert _codes(open_vault, "rania had") == [code]
    clients.update_client(open_vault, code, {"name_variants": ["Raniya"]})
    assert _codes(open_vault, "raniya") == [code]
    clients.update_client(open_vault, code, {"name_variants": []})
    assert _codes(open_vault, "raniya") == []


def test_index_rebuilt_at_unlock_when_the_folding_changed(new_vault) -> None:
    from conftest import PASSPHRASE

    from gk_desktop.storage.vault import open_vault

    paths, _ = new_vault
    with open_vault(paths, PASSPHRASE) as v:
        code = _add(v, "Zeynep", "Aydın")
        with v.engine.begin() as c:
            c.execute(text("DELETE FROM search_name"))
            c.execute(text("UPDATE vault_meta SET value = 'old' WHERE key = :k"), {"k": search_index.META_KEY})
        assert _codes(v, "aydin") == []
    with open_vault(paths, PASSPHRASE) as v:
        assert _codes(v, "aydin") == [code]


def test_demo_clients_are_indexed(open_vault) -> None:
    from gk_desktop.services import demo

    demo.generate(open_vault, 30, seed=3)
    with open_vault.session() as s:
        n_clients = len(s.execute(select(M.Client.id)).all())
        indexed = s.execute(text("SELECT count(DISTINCT client_id) FROM search_name")).scalar_one()
        first = s.execute(select(M.Client.first_name, M.Client.last_name, M.Client.case_code)).first()
    assert indexed == n_clients == 30
    assert first.case_code in _codes(open_vault, f"{first.first_name} {first.last_name}", limit=100)


def test_match_expression_quotes_terms() -> None:
    assert search.match_expression('Al-"Hassan') == '"al"* AND "hassan"*'
    assert search.match_expression("NEAR OR AND") == '"near"* AND "or"* AND "and"*'
    assert search.match_expression("   ") is None


def test_match_clients_for_the_list(open_vault) -> None:
    a = _add(open_vault, "Mohammed", "Al-Hassan", name_variants=["Muhammad"])
    b = _add(open_vault, "Omar", "Khalil")
    with open_vault.session() as s:
        m = search.match_clients(s, "mu")
        ids = {r.case_code: r.id for r in s.execute(select(M.Client.case_code, M.Client.id))}
        assert m.kinds == {ids[a]: "name"} and m.terms == ("mu",)
        assert search.snippet_for(m.terms, "Mohammed", "Al-Hassan", ["Muhammad"]) == "Muhammad"
        assert search.match_clients(s, b.lower()).kinds == {ids[b]: "case_code"}
        assert set(search.match_clients(s, "gk").kinds) == {ids[a], ids[b]}
        assert search.match_clients(s, "  ").kinds == {}
