"""Entwürfe: saved, replaced, listed newest first, deleted, and still there after the vault was closed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from conftest import PASSPHRASE
from gk_desktop.services import drafts
from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import verify_stamps
from gk_desktop.storage.vault import open_vault as reopen

PAYLOAD = {"case_code": "GK-26-7F3Q9K", "contact": {"note": "Bewerbung besprochen; Zeugnisse übersetzen.",
                                                    "duration_min": 45, "need_areas": ["AUSBILDUNG"]}}


def test_round_trip(open_vault) -> None:
    before = dt.datetime.now(dt.timezone.utc)
    draft_id = drafts.save_draft(open_vault, "contact", PAYLOAD, client_id="c-1")
    (info,) = drafts.list_drafts(open_vault)
    assert info.id == draft_id and info.kind == "contact"
    assert (info.client_id, info.record_id) == ("c-1", None)
    assert info.payload == PAYLOAD
    assert info.updated_at.tzinfo is not None and info.updated_at >= before - dt.timedelta(seconds=1)
    assert drafts.get_draft(open_vault, draft_id) == info
    assert drafts.get_draft(open_vault, "no-such-draft") is None


def test_update_in_place(open_vault) -> None:
    draft_id = drafts.save_draft(open_vault, "contact", PAYLOAD, client_id="c-1")
    first = drafts.get_draft(open_vault, draft_id)
    changed = {**PAYLOAD, "contact": {**PAYLOAD["contact"], "note": "Zweite Fassung"}}
    assert drafts.save_draft(open_vault, "contact", changed, draft_id=draft_id, client_id="c-1") == draft_id
    (info,) = drafts.list_drafts(open_vault)
    assert info.payload["contact"]["note"] == "Zweite Fassung"
    assert first is not None and info.updated_at >= first.updated_at


def test_a_given_id_that_is_new_is_used(open_vault) -> None:
    # The editor takes its id before the first save (a second save queued meanwhile must not
    # make a second draft).
    draft_id = drafts.new_draft_id()
    assert drafts.save_draft(open_vault, "contact", PAYLOAD, draft_id=draft_id) == draft_id
    assert drafts.save_draft(open_vault, "contact", PAYLOAD, draft_id=draft_id) == draft_id
    assert [d.id for d in drafts.list_drafts(open_vault)] == [draft_id]


def test_list_newest_first_and_filtered(open_vault) -> None:
    a = drafts.save_draft(open_vault, "contact", {"n": 1}, client_id="c-1")
    b = drafts.save_draft(open_vault, "goal", {"n": 2}, client_id="c-2")
    c = drafts.save_draft(open_vault, "contact", {"n": 3}, client_id="c-2")
    assert [d.id for d in drafts.list_drafts(open_vault)] == [c, b, a]
    assert [d.id for d in drafts.list_drafts(open_vault, "contact")] == [c, a]
    assert [d.id for d in drafts.list_drafts(open_vault, "contact", client_id="c-2")] == [c]
    drafts.save_draft(open_vault, "contact", {"n": 4}, draft_id=a)  # touched: now the newest
    assert [d.id for d in drafts.list_drafts(open_vault)] == [a, c, b]


def test_delete(open_vault) -> None:
    keep = drafts.save_draft(open_vault, "contact", PAYLOAD)
    gone = drafts.save_draft(open_vault, "contact", PAYLOAD)
    assert drafts.delete_draft(open_vault, gone) is True
    assert drafts.delete_draft(open_vault, gone) is False
    assert [d.id for d in drafts.list_drafts(open_vault)] == [keep]


def test_long_and_non_latin_text(open_vault) -> None:
    line = "Gespräch über Ausbildung – ğüşıöç – مرحبا بكم في الاستشارة – Քաղաք – 你好 😀\n"
    note = (line * (20_000 // len(line) + 1))[:20_000]
    assert len(note) == 20_000
    payload = {"contact": {"note": note, "participants": "Şükrü Yılmaz, Frau Berger"}}
    draft_id = drafts.save_draft(open_vault, "contact", payload)
    info = drafts.get_draft(open_vault, draft_id)
    assert info is not None and info.payload == payload


def test_survives_closing_and_reopening(new_vault) -> None:
    paths, _recovery = new_vault
    vault = reopen(paths, PASSPHRASE)
    try:
        draft_id = drafts.save_draft(vault, "contact", PAYLOAD, client_id="c-1", record_id="r-1")
    finally:
        vault.close()
    vault = reopen(paths, PASSPHRASE)
    try:
        (info,) = drafts.list_drafts(vault)
        assert (info.id, info.client_id, info.record_id, info.payload) == (draft_id, "c-1", "r-1", PAYLOAD)
    finally:
        vault.close()


def _stamp_counts(vault) -> tuple[int, int]:
    with vault.session() as s:
        return (s.execute(select(func.count()).select_from(M.FieldVersion)).scalar_one(),
                s.execute(select(func.count()).select_from(M.RecordClock)).scalar_one())


def test_drafts_are_local_and_leave_no_stamps(open_vault) -> None:
    before = _stamp_counts(open_vault)
    draft_id = drafts.save_draft(open_vault, "contact", PAYLOAD)
    drafts.save_draft(open_vault, "contact", PAYLOAD, draft_id=draft_id)
    drafts.delete_draft(open_vault, draft_id)
    assert _stamp_counts(open_vault) == before
    with open_vault.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []
    assert "draft" in M.LOCAL_TABLES


@pytest.mark.parametrize("kind", ["", "x" * 21])
def test_bad_kind_is_refused(open_vault, kind: str) -> None:
    with pytest.raises(ValueError):
        drafts.save_draft(open_vault, kind, PAYLOAD)
    assert drafts.list_drafts(open_vault) == []


def test_payload_must_be_an_object(open_vault) -> None:
    with pytest.raises(TypeError):
        drafts.save_draft(open_vault, "contact", ["not", "a", "dict"])  # type: ignore[arg-type]
