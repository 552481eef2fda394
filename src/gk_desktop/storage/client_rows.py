"""One compact, derived row per client for the client list (local, never synced).

The list shows every client with age, target group, current residence status, phase and last
contact. Read from the synced tables that means scanning every residence period, case and
interview, page by encrypted page: about a second at 10,000 clients. This table holds what the
list needs in one row per client (the residence periods as a small JSON array, since the current
one depends on the day the list is shown), kept in step by a flush hook like the names index and
rebuilt whole at unlock when :data:`ROWS_VERSION` changes. It is derived data: deleting it loses
nothing.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import Boolean, Column, MetaData, String, Table, Text, event, select, text

from gk_desktop.storage.derived import meta_value, replace_rows, set_meta
from gk_desktop.storage.models import Case, Client, ClientNameVariant, Contact, ResidencePeriod
from gk_desktop.storage.stamps import VaultSession

ROWS_VERSION = "4"
META_KEY = "derived_client_row_version"
CLOSED_PHASE = "ABGESCHLOSSEN"
_BUILT_KEY = "gk_derived_client_row"

_meta = MetaData()
derived_client_row = Table(
    "derived_client_row", _meta,
    Column("client_id", String(36), primary_key=True),
    Column("case_code", String(20)),
    Column("first_name", Text),
    Column("last_name", Text),
    Column("birth_date", String(10)),
    Column("birth_date_fictitious", Boolean),
    Column("exclusion_outcome", String(40)),
    Column("periods", Text),  # "STATUS|valid_from|valid_until;…" in id order, "" for an open date
    Column("phase", String(20)),
    Column("programme_id", String(36)),
    Column("last_contact", String(40)),  # ISO time of the newest interview (UTC) or NULL
    Column("name_variants", Text),  # joined by newlines, in id order
    # The current residence period as of the day the row was written, and the days [since,
    # before) on which that answer holds (domain.periods.current_period_span): the list parses
    # the periods only for rows whose span does not include today.
    Column("cur_status", String(40)),
    Column("cur_until", String(10)),
    Column("cur_since", String(10)),
    Column("cur_before", String(10)),
    sqlite_with_rowid=False,
)

DDL = (
    "CREATE TABLE IF NOT EXISTS derived_client_row ("
    "client_id VARCHAR(36) NOT NULL PRIMARY KEY, case_code VARCHAR(20), first_name TEXT, last_name TEXT, "
    "birth_date VARCHAR(10), birth_date_fictitious BOOLEAN, exclusion_outcome VARCHAR(40), periods TEXT, "
    "phase VARCHAR(20), programme_id VARCHAR(36), last_contact VARCHAR(40), name_variants TEXT, "
    "cur_status VARCHAR(40), cur_until VARCHAR(10), cur_since VARCHAR(10), cur_before VARCHAR(10)) WITHOUT ROWID"
)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _compute(conn: Any, client_ids: list[str]) -> list[dict[str, Any]]:
    from gk_desktop.domain.clock import today
    from gk_desktop.domain.periods import current_period_span

    on = today().isoformat()
    out: list[dict[str, Any]] = []
    for i in range(0, len(client_ids), 500):
        chunk = client_ids[i : i + 500]
        periods: dict[str, list[str]] = {}
        for cid, status, vf, vu in conn.execute(
            select(ResidencePeriod.client_id, ResidencePeriod.status, ResidencePeriod.valid_from,
                   ResidencePeriod.valid_until).where(ResidencePeriod.client_id.in_(chunk)).order_by(ResidencePeriod.id)
        ):
            periods.setdefault(cid, []).append(f"{status}|{_iso(vf) or ''}|{_iso(vu) or ''}")
        variants: dict[str, list[str]] = {}
        for cid, name in conn.execute(
            select(ClientNameVariant.client_id, ClientNameVariant.name)
            .where(ClientNameVariant.client_id.in_(chunk)).order_by(ClientNameVariant.id)
        ):
            variants.setdefault(cid, []).append(" ".join(name.split()))
        cases: dict[str, tuple[int, bool, str, str | None]] = {}
        for cid, number, phase, prog in conn.execute(
            select(Case.client_id, Case.number, Case.phase, Case.funding_programme_id).where(Case.client_id.in_(chunk))
        ):
            # The current case: the open one with the highest number, else the last closed one.
            key = (phase != CLOSED_PHASE, number)
            held = cases.get(cid)
            if held is None or key > (held[1], held[0]):
                cases[cid] = (number, phase != CLOSED_PHASE, phase, prog)
        last: dict[str, Any] = dict(conn.execute(
            select(Case.client_id, Contact.at).join(Contact, Contact.case_id == Case.id)
            .where(Case.client_id.in_(chunk)).order_by(Contact.at)
        ).all())
        for row in conn.execute(
            select(Client.id, Client.case_code, Client.first_name, Client.last_name, Client.birth_date,
                   Client.birth_date_fictitious, Client.exclusion_outcome).where(Client.id.in_(chunk))
        ):
            case = cases.get(row.id)
            lc = last.get(row.id)
            own = periods.get(row.id, [])
            current, since, before = current_period_span(parse_periods(";".join(own)), on)
            out.append({
                "client_id": row.id, "case_code": row.case_code, "first_name": row.first_name,
                "last_name": row.last_name, "birth_date": row.birth_date.isoformat(),
                "birth_date_fictitious": bool(row.birth_date_fictitious), "exclusion_outcome": row.exclusion_outcome,
                "periods": ";".join(periods.get(row.id, [])),
                "phase": case[2] if case else None, "programme_id": case[3] if case else None,
                "last_contact": _iso(lc) if lc is not None else None,
                "name_variants": "\n".join(variants.get(row.id, [])),
                "cur_status": current[0] if current else None,
                "cur_until": current[2] if current else None,
                "cur_since": since, "cur_before": before,
            })
    return out


def refresh(conn: Any, client_ids: Iterable[str]) -> None:
    replace_rows(conn, derived_client_row, client_ids, _compute)


def rebuild(conn: Any) -> None:
    """Drop and build the table whole (its layout may have changed with ROWS_VERSION)."""
    conn.execute(text("DROP TABLE IF EXISTS derived_client_row"))
    conn.execute(text(DDL))
    refresh(conn, list(conn.execute(select(Client.id)).scalars()))
    set_meta(conn, META_KEY, ROWS_VERSION)


def is_current(conn: Any) -> bool:
    if meta_value(conn, META_KEY) != ROWS_VERSION:
        return False
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived_client_row'")).first() is not None


def parse_periods(text_value: str) -> list[tuple[str, str | None, str | None]]:
    """The periods column back as (status, valid_from, valid_until) with None for open dates."""
    if not text_value:
        return []
    out = []
    for item in text_value.split(";"):
        status, vf, vu = item.split("|")
        out.append((status, vf or None, vu or None))
    return out


# Column order of read_all()'s tuples.
READ_COLUMNS = ("client_id", "case_code", "first_name", "last_name", "birth_date", "birth_date_fictitious",
                "exclusion_outcome", "phase", "programme_id", "last_contact", "name_variants", "cur_status",
                "cur_until", "cur_since", "cur_before")
_READ_SQL = f"SELECT {', '.join(READ_COLUMNS)} FROM derived_client_row"


def read_all(conn: Any) -> list[tuple[Any, ...]]:
    """Every row as a plain tuple in :data:`READ_COLUMNS` order (the driver's own rows: at
    10,000 clients SQLAlchemy's row objects alone would cost more than the query)."""
    return conn.exec_driver_sql(_READ_SQL).fetchall()


def read_periods(conn: Any, client_ids: list[str]) -> dict[str, str]:
    """The periods column of some clients (for rows whose stored answer does not hold today)."""
    out: dict[str, str] = {}
    for i in range(0, len(client_ids), 500):
        chunk = client_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for cid, periods in conn.exec_driver_sql(
                f"SELECT client_id, periods FROM derived_client_row WHERE client_id IN ({marks})", tuple(chunk)):
            out[cid] = periods
    return out


@event.listens_for(VaultSession, "after_flush")
def _keep_in_step(session: Any, _ctx: Any) -> None:
    touched: set[str] = set()
    case_ids: set[str] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Client):
            touched.add(obj.id)
        elif isinstance(obj, (ResidencePeriod, Case, ClientNameVariant)):
            touched.add(obj.client_id)
            hist = getattr(obj, "_sa_instance_state").attrs.client_id.history
            touched.update(x for x in (hist.deleted or ()) if x)
        elif isinstance(obj, Contact):
            case_ids.add(obj.case_id)
    if not touched and not case_ids:
        return
    conn = session.connection()
    if not conn.info.get(_BUILT_KEY):
        if not conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived_client_row'")).first():
            return  # not built yet (a vault being created or migrated): the unlock builds it whole
        conn.info[_BUILT_KEY] = True
    if case_ids:
        ids = list(case_ids)
        for i in range(0, len(ids), 500):
            touched.update(conn.execute(select(Case.client_id).where(Case.id.in_(ids[i : i + 500]))).scalars())
    refresh(conn, touched)
