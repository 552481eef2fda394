"""Demo data (services/demo.py): reproducible, stamped, and shaped like the caseload it imitates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from gk_desktop.domain.case_code import is_valid_case_code
from gk_desktop.domain.enums import ResidenceStatus
from gk_desktop.domain.target_group import age_on
from gk_desktop.paths import VaultPaths
from gk_desktop.services import demo
from gk_desktop.storage.models import (
    CLIENT_CHILD_MODELS,
    SYNCED_MODELS,
    Case,
    Document,
    Client,
    ClientNameVariant,
    Contact,
    ResidencePeriod,
)
from gk_desktop.storage.seed import programme_id
from gk_desktop.storage.stamps import verify_stamps

TODAY = dt.date(2026, 11, 25)
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "client_id", "case_id"})
DULDUNG_FAMILY = frozenset({ResidenceStatus.DULDUNG_60A.value, ResidenceStatus.ERMESSENSDULDUNG_60A.value,
                            ResidenceStatus.DULDUNG_60B.value, ResidenceStatus.AUSBILDUNGSDULDUNG_60C.value,
                            ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D.value})
GESTATTUNG = frozenset({ResidenceStatus.AUFENTHALTSGESTATTUNG.value, ResidenceStatus.ANKUNFTSNACHWEIS.value})


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())


def _another_vault(tmp_path: Path, name: str) -> Any:
    from conftest import PASSPHRASE

    from gk_desktop.storage.vault import create_vault, open_vault

    paths = VaultPaths(tmp_path / name)
    create_vault(paths, PASSPHRASE)
    return open_vault(paths, PASSPHRASE)


def _values(obj: Any) -> tuple[tuple[str, Any], ...]:
    # A link to a document counts as there or not (document ids are random like every id);
    # a scan's hash holds its case's random id.
    return tuple((c.key, (getattr(obj, c.key) is not None) if c.key == "document_id" else getattr(obj, c.key))
                 for c in inspect(type(obj)).columns if c.key not in BOOKKEEPING | {"sha256"})


def _dump(vault: Any) -> dict[str, Any]:
    """Everything demo wrote, ids and timestamps aside, keyed by case code; lists sorted by content."""
    with vault.session() as s:
        clients = s.execute(select(Client)).scalars().all()
        code = {c.id: c.case_code for c in clients}
        out: dict[str, Any] = {c.case_code: {"client": _values(c)} for c in clients}
        for model in CLIENT_CHILD_MODELS:
            for row in s.execute(select(model)).scalars():
                out[code[row.client_id]].setdefault(model.__tablename__, []).append(repr(_values(row)))
        case_key = {}
        for case in s.execute(select(Case)).scalars():
            case_key[case.id] = (code[case.client_id], case.number)
            out[code[case.client_id]].setdefault("cases", []).append(repr(_values(case)))
        for doc in s.execute(select(Document)).scalars():
            client_code, number = case_key[doc.case_id]
            out[client_code].setdefault(f"documents_{number}", []).append(repr(_values(doc)))
        for contact in s.execute(select(Contact)).scalars():
            client_code, number = case_key[contact.case_id]
            out[client_code].setdefault(f"contacts_{number}", []).append(repr(_values(contact)))
    for entry in out.values():
        for key, value in entry.items():
            if isinstance(value, list):
                value.sort()
    return dict(sorted(out.items()))


def _current_status(periods: list[ResidencePeriod]) -> str:
    """The history is consecutive, so the current period is the one that started last."""
    return max(periods, key=lambda p: p.valid_from or dt.date.min).status


def test_same_seed_same_data_other_seed_other_data(open_vault, tmp_path: Path) -> None:
    first = demo.generate(open_vault, 40, seed=5)
    with _another_vault(tmp_path, "second") as second_vault:
        second = demo.generate(second_vault, 40, seed=5)
        assert first == second
        same = _dump(second_vault)
    with _another_vault(tmp_path, "third") as third_vault:
        demo.generate(third_vault, 40, seed=6)
        other = _dump(third_vault)
    mine = _dump(open_vault)
    assert len(mine) == 40
    assert mine == same
    assert mine != other
    assert set(mine).isdisjoint(other)  # other case codes, not only other details


def test_appending_keeps_case_codes_unique_and_reports_progress(open_vault) -> None:
    seen: list[float] = []
    demo.generate(open_vault, 25, seed=1, progress=seen.append, batch=10)
    assert seen == pytest.approx([0.4, 0.8, 1.0])
    demo.generate(open_vault, 25, seed=1)  # the same seed draws the same codes first
    with open_vault.session() as s:
        codes = list(s.execute(select(Client.case_code)).scalars())
        assert verify_stamps(s, SYNCED_MODELS) == []
    assert len(codes) == len(set(codes)) == 50
    assert all(is_valid_case_code(c) for c in codes)


def test_two_hundred_clients(open_vault) -> None:
    result = demo.generate(open_vault, 200, seed=1)
    assert result.clients == 200
    with open_vault.session() as s:
        assert verify_stamps(s, SYNCED_MODELS) == []
        assert s.execute(select(func.count()).select_from(Client)).scalar_one() == 200
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == result.cases
        assert s.execute(select(func.count()).select_from(Contact)).scalar_one() == result.contacts
        clients = s.execute(select(Client)).scalars().all()
        periods: dict[str, list[ResidencePeriod]] = {}
        for p in s.execute(select(ResidencePeriod)).scalars():
            periods.setdefault(p.client_id, []).append(p)
        cases: dict[str, list[Case]] = {}
        for case in s.execute(select(Case)).scalars():
            cases.setdefault(case.client_id, []).append(case)
        variants = list(s.execute(select(ClientNameVariant.name)).scalars())

    # Every client: a residence history ending in a current period, and a case of the programme.
    programme = programme_id("GK_BAUSTEIN_6")
    for c in clients:
        history = sorted(periods[c.id], key=lambda p: p.valid_from)
        assert history and all(p.valid_from <= TODAY for p in history)
        for a, b in zip(history, history[1:]):
            assert a.valid_until is not None and a.valid_until < b.valid_from
        own = sorted(cases[c.id], key=lambda k: k.number)
        assert [k.number for k in own] == list(range(1, len(own) + 1))
        assert all(k.funding_programme_id == programme for k in own)
        assert all(k.phase == "ABGESCHLOSSEN" and k.closed_on for k in own[:-1])
        assert 1 <= (TODAY - c.entry_date_de).days / 365.25 <= 9.01
    assert 1.0 < result.cases / 200 < 1.15  # some clients have an earlier, closed case

    # Names and variants in Latin, Arabic and Ethiopic script; a few own names in another script.
    names = [c.first_name for c in clients] + [c.last_name for c in clients] + variants
    assert any("\u0600" <= ch <= "\u06ff" for n in names for ch in n)
    assert any("\u1200" <= ch <= "\u137f" for n in names for ch in n)
    non_latin = [c for c in clients if not any(ch.isascii() and ch.isalpha() for ch in c.first_name)]
    assert 2 <= len(non_latin) <= 25
    assert len({(c.first_name, c.last_name) for c in clients}) > 180

    # Current statuses: about 55 % Duldung family, 30 % Gestattung, the rest permits or unknown.
    current = [_current_status(periods[c.id]) for c in clients]
    assert 0.42 <= sum(s in DULDUNG_FAMILY for s in current) / 200 <= 0.68
    assert 0.18 <= sum(s in GESTATTUNG for s in current) / 200 <= 0.42
    assert any(s not in DULDUNG_FAMILY | GESTATTUNG for s in current)
    assert ResidenceStatus.DULDUNG_60A.value in current

    # Ages mostly 18–27, a few outside; some fictitious birth dates on 1 January; mostly men.
    ages = [age_on(c.birth_date, TODAY) for c in clients]
    assert min(ages) >= 17 and max(ages) <= 29
    assert sum(18 <= a <= 27 for a in ages) / 200 >= 0.88
    fictitious = [c for c in clients if c.birth_date_fictitious]
    assert 0.05 <= len(fictitious) / 200 <= 0.2
    assert all((c.birth_date.month, c.birth_date.day) == (1, 1) for c in fictitious)
    assert 0.55 <= sum(c.gender == "MAENNLICH" for c in clients) / 200 <= 0.8


def test_add_interviews_tops_up_to_a_total(open_vault, monkeypatch) -> None:
    from sqlalchemy import func, select

    from gk_desktop.services import demo
    from gk_desktop.storage.models import SYNCED_MODELS, Contact
    from gk_desktop.storage.stamps import verify_stamps

    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    demo.generate(open_vault, 10, seed=4)
    assert demo.add_interviews(open_vault, 80, seed=2, batch=25) > 0
    with open_vault.session() as s:
        assert s.execute(select(func.count()).select_from(Contact)).scalar_one() == 80
        assert verify_stamps(s, SYNCED_MODELS) == []
    assert demo.add_interviews(open_vault, 50) == 0  # already more


def test_demo_cases_run_the_cycle_and_referrals_rest_on_consents(open_vault) -> None:
    """At least a fifth of the clients have a case in UMSETZUNG or later with needs, goals and
    referrals, and every referral that passed data rests on a release covering its recipient and
    categories on the day it was sent."""
    import json

    from sqlalchemy import select

    from gk_desktop.services.consents import GUELTIG, status_on
    from gk_desktop.storage import models as M

    demo.generate(open_vault, 60, seed=4)
    with open_vault.session() as s:
        later = {"UMSETZUNG", "MONITORING", "EVALUATION", "ABGESCHLOSSEN"}
        cases = [c for c in s.execute(select(M.Case)).scalars() if c.phase in later and c.case_type == "CASE_MANAGEMENT"]
        with_cycle = {c.client_id for c in cases
                      if s.execute(select(M.Goal.id).where(M.Goal.case_id == c.id).limit(1)).first()}
        assert len(with_cycle) >= 60 // 5
        referrals = list(s.execute(select(M.Referral)).scalars())
        assert referrals
        for r in referrals:
            consent = s.get(M.Consent, r.consent_id)
            assert consent is not None and consent.partner_id == r.partner_id
            assert status_on(consent.given_on, consent.valid_until, consent.revoked_on, r.referred_on) == GUELTIG
            assert set(json.loads(r.categories_json)) <= set(json.loads(consent.categories_json))
        assert any(c.phase == "ABGESCHLOSSEN" for c in s.execute(select(M.Case)).scalars())
        assert s.execute(select(M.Need).where(M.Need.status == "NICHT_DECKBAR")).first() is not None
