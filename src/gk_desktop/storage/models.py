"""SQLAlchemy 2 typed models.

Synced tables (``__synced__ = True``) are the displayed values of records whose sync state lives in
``record_clock`` and ``field_version`` (SYNC.md §3.8); the flush hook in
:mod:`gk_desktop.storage.stamps` writes that state for every insert, update and delete. Local
tables (vault metadata, audit) never leave the device.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from gk_desktop.storage.ids import uuid7_str


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes stored as UTC; naive input is taken as UTC. Read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime}


class SyncedMixin:
    """Every synced record: a UUIDv7 made on the device, created/updated timestamps."""

    __synced__: ClassVar[bool] = True
    # Bookkeeping columns that are not synced as fields.
    __unsynced_columns__: ClassVar[frozenset[str]] = frozenset({"id", "created_at", "updated_at"})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7_str)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --------------------------------------------------------------------------- local tables


class VaultMeta(Base):
    """Device-local key/value facts: device id, counters, hybrid logical clock."""

    __tablename__ = "vault_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Security events: who (device, source), when, what kind; never the payload."""

    __tablename__ = "audit_event"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7_str)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(20))  # cli, gui, keyfile (recorded late)
    target_table: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str] = mapped_column(String(20), default="ok")


class RecordClock(Base):
    """Per-record version vector and local change sequence (SYNC.md §3.2, §3.5)."""

    __tablename__ = "record_clock"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vv_json: Mapped[str] = mapped_column(Text)
    change_seq: Mapped[int] = mapped_column(Integer, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class FieldVersion(Base):
    """The value siblings of one field, each with its dot and HLC stamp."""

    __tablename__ = "field_version"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    dot_device: Mapped[str] = mapped_column(String(36), primary_key=True)
    dot_counter: Mapped[int] = mapped_column(Integer, primary_key=True)
    hlc: Mapped[int] = mapped_column(Integer)
    value_json: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- synced tables


class Client(SyncedMixin, Base):
    """Klient:in. The first synced table; the client-register issue adds the remaining fields."""

    __tablename__ = "client"
    case_code: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    birth_date_fictitious: Mapped[bool] = mapped_column(Boolean, default=False)
    gender: Mapped[str] = mapped_column(String(20), default="KEINE_ANGABE")


class Case(SyncedMixin, Base):
    """Fall: one case-management or short-advice episode of a client."""

    __tablename__ = "case"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    phase: Mapped[str] = mapped_column(String(20), default="ERSTKONTAKT")
    case_type: Mapped[str] = mapped_column(String(20), default="CASE_MANAGEMENT")
    first_contact_on: Mapped[dt.date] = mapped_column(Date)


class Contact(SyncedMixin, Base):
    """Gespräch: one interview or contact in a case (append-only notes, SYNC.md rule 5)."""

    __tablename__ = "contact"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    duration_min: Mapped[int | None] = mapped_column(Integer)
    contact_type: Mapped[str] = mapped_column(String(20), default="PERSOENLICH")
    note: Mapped[str] = mapped_column(Text, default="")


Index("ix_contact_case_at", Contact.case_id, Contact.at)

SYNCED_MODELS: tuple[type[Base], ...] = (Client, Case, Contact)
LOCAL_TABLES = ("vault_meta", "audit_event", "record_clock", "field_version")
