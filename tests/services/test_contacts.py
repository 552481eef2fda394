"""Interviews: recorded from JSON, listed by `client show`, found by a word in the note."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, contacts, search
from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import verify_stamps


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


INTERVIEW = {
    "datetime": "2026-11-24T09:30:00+01:00", "duration_min": 45, "contact_type": "PERSOENLICH",
    "place": "Büro", "participants": "Klient, Frau Berger (Mentorin)", "interpreter": "PROFESSIONELL",
    "interpreter_language": "ar", "need_areas": ["AUSBILDUNG", "aufenthalt"],
    "note": "Bewerbung für die Ausbildung zum Elektroniker besprochen; Zeugnisse übersetzen lassen.",
    "agreements": "Klient bringt bis Freitag die Zeugnisse.", "next_appointment": "2026-12-01T10:00:00+01:00",
}


@pytest.fixture
def code(open_vault) -> str:
    return clients.add_client(open_vault, {"first_name": "Şükrü", "last_name": "Yılmaz", "birth_date": "2003-03-03"}).case_code


def test_add_and_show_an_interview(open_vault, code) -> None:
    cid = contacts.add_contact(open_vault, code, INTERVIEW)
    shown = clients.show_client(open_vault, code)
    (c,) = shown["contacts"]
    assert c["id"] == cid and c["case_id"] == shown["cases"][0]["id"]
    assert c["datetime"] == "2026-11-24T08:30:00+00:00"  # stored in UTC
    assert c["need_areas"] == ["AUSBILDUNG", "AUFENTHALT"]
    assert (c["interpreter"], c["interpreter_language"], c["place"]) == ("PROFESSIONELL", "ar", "Büro")
    assert c["next_appointment"] == "2026-12-01T09:00:00+00:00"
    again = contacts.add_contact(open_vault, code, c)  # what show printed is accepted again
    assert again != cid and len(clients.show_client(open_vault, code)["contacts"]) == 2
    with open_vault.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []
    row = next(r for r in clients.list_clients(open_vault) if r.case_code == code)
    assert row.last_contact == dt.datetime(2026, 11, 24, 8, 30, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("patch", "path"), [
    ({"datetime": None}, "datetime"),
    ({"datetime": "2026-11-24T09:30:00"}, "datetime"),  # no offset
    ({"datetime": "2026-02-30T09:30:00+01:00"}, "datetime"),
    ({"duration_min": 2000}, "duration_min"),
    ({"contact_type": "BRIEFTAUBE"}, "contact_type"),
    ({"need_areas": ["WETTER"]}, "need_areas[0].need_area"),
    ({"need_areas": "AUSBILDUNG"}, "need_areas"),
    ({"mood": "gut"}, "mood"),
])
def test_bad_interview_refused_nothing_changed(open_vault, code, patch, path) -> None:
    data = {**INTERVIEW, **patch}
    if patch.get("datetime", 1) is None:
        del data["datetime"]
    with pytest.raises(InputRejectedError) as err:
        contacts.add_contact(open_vault, code, data)
    assert path in err.value.message
    with open_vault.session() as s:
        assert s.execute(select(func.count()).select_from(M.Contact)).scalar_one() == 0


def test_unknown_case_code(open_vault) -> None:
    with pytest.raises(NotFoundError):
        contacts.add_contact(open_vault, "GK-26-ZZZZZZ", INTERVIEW)


def test_notes_search_from_the_third_character_newest_first(open_vault, code) -> None:
    contacts.add_contact(open_vault, code, {**INTERVIEW, "datetime": "2026-10-01T09:00:00+02:00",
                                           "note": "Erstgespräch über die Schule.", "agreements": ""})
    newest = contacts.add_contact(open_vault, code, {**INTERVIEW, "note": "Über die Ausbildung gesprochen, Straße ü."})
    with open_vault.session() as s:
        hits = search.search_notes(s, "über")
        assert [h.match for h in hits] == ["note", "note"] and hits[0].contact_id == newest
        assert "Ausbildung" in hits[0].snippet
        assert search.search_notes(s, "ub") == []  # two characters: not searched
        assert [h.contact_id for h in search.search_notes(s, "strasse")] == [newest]  # folded: ß → ss
        assert [h.contact_id for h in search.search_notes(s, "bildung gespr")] == [newest]
        assert search.search_notes(s, "zeugnisse")[0].snippet.startswith(("Über", "…"))  # in the agreements
        combined = search.search_all(s, "yilmaz")
        assert [h.match for h in combined] == ["name"]


def test_saving_an_interview_deletes_its_draft_in_the_same_transaction(open_vault, code) -> None:
    from gk_desktop.services import drafts

    draft_id = drafts.save_draft(open_vault, "contact", {"note": "halb getippt"})
    contacts.add_contact(open_vault, code, INTERVIEW, draft_id=draft_id)
    assert drafts.list_drafts(open_vault) == []
    with pytest.raises(InputRejectedError):
        draft_two = drafts.save_draft(open_vault, "contact", {"note": "noch einer"})
        contacts.add_contact(open_vault, code, {**INTERVIEW, "duration_min": 5000}, draft_id=draft_two)
    assert len(drafts.list_drafts(open_vault)) == 1  # a refused interview keeps its draft
