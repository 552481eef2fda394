"""Who changed what when in a client's file, read from the sync stamps (SYNC.md §3.8).

Every field of every synced record keeps the stamp of its last write: the device that wrote it
and a hybrid-logical-clock time. This lists those stamps for one client's records (the client,
its histories, cases, interviews), newest first: the quiet history view of the case view. It
shows the last change of each field, not every earlier value (the vault keeps no old values).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import DELETED_FIELD, HLC_COUNTER_BITS

HIDDEN_FIELDS = frozenset({"client_id", "case_id", "contact_id", DELETED_FIELD})


@dataclass(frozen=True)
class FieldChange:
    at: dt.datetime  # UTC
    device_id: str
    this_device: bool
    table: str
    record_id: str
    field: str
    value: Any


def hlc_time(hlc: int) -> dt.datetime:
    return dt.datetime.fromtimestamp((hlc >> HLC_COUNTER_BITS) / 1000, tz=dt.timezone.utc)


def client_history(vault: Any, case_code: str, limit: int = 2000) -> list[FieldChange]:
    from gk_desktop.services.clients import _get_client

    with vault.session() as s:
        client = _get_client(s, case_code)
        records: dict[str, list[str]] = {"client": [client.id]}
        for model in M.CLIENT_CHILD_MODELS:
            records[model.__tablename__] = list(s.execute(select(model.id).where(model.client_id == client.id)).scalars())
        case_ids = list(s.execute(select(M.Case.id).where(M.Case.client_id == client.id)).scalars())
        records["case"] = case_ids
        contact_ids = list(s.execute(select(M.Contact.id).where(M.Contact.case_id.in_(case_ids))).scalars()) if case_ids else []
        records["contact"] = contact_ids
        records["contact_need_area"] = list(s.execute(
            select(M.ContactNeedArea.id).where(M.ContactNeedArea.contact_id.in_(contact_ids))).scalars()) if contact_ids else []
        fv = M.FieldVersion
        changes: list[FieldChange] = []
        for table, ids in records.items():
            for i in range(0, len(ids), 500):
                for row_id, field, device, hlc, value_json in s.execute(
                    select(fv.row_id, fv.field, fv.dot_device, fv.hlc, fv.value_json)
                    .where(fv.table_name == table, fv.row_id.in_(ids[i : i + 500]))
                ):
                    if field in HIDDEN_FIELDS:
                        continue
                    changes.append(FieldChange(hlc_time(hlc), device, device == vault.device_id, table, row_id,
                                               field, json.loads(value_json)))
    changes.sort(key=lambda c: (c.at, c.table, c.field), reverse=True)
    return changes[:limit]
