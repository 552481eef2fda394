"""The history of a client's file from the sync stamps: who changed which field when."""

from __future__ import annotations

import pytest

from gk_desktop.services import clients, contacts, history


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_TODAY", "2026-11-25")


def test_last_change_of_every_field_newest_first(open_vault) -> None:
    code = clients.add_client(open_vault, {"first_name": "Aya", "last_name": "Nour", "birth_date": "2004-08-09",
                                           "residence_status": "DULDUNG_60A", "residence_valid_until": "2027-01-31"}).case_code
    contacts.add_contact(open_vault, code, {"datetime": "2026-11-20T10:00:00+01:00", "note": "Erstgespräch",
                                            "need_areas": ["SPRACHE"]})
    clients.update_client(open_vault, code, {"phone": "+49 1570 000 1111"})
    changes = history.client_history(open_vault, code)
    assert changes[0].table == "client" and changes[0].field == "phone" and changes[0].value == "+49 1570 000 1111"
    assert all(c.this_device and c.device_id == open_vault.device_id for c in changes)
    assert [c.at for c in changes] == sorted((c.at for c in changes), reverse=True)
    tables = {c.table for c in changes}
    assert {"client", "residence_period", "case", "contact", "contact_need_area"} <= tables
    assert not any(c.field in ("client_id", "case_id", "_deleted") for c in changes)
    assert any(c.table == "contact" and c.field == "note" and c.value == "Erstgespräch" for c in changes)
