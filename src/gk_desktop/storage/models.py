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
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
    __table_args__ = {"sqlite_with_rowid": False}  # the primary key is the storage order
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vv_json: Mapped[str] = mapped_column(Text)
    change_seq: Mapped[int] = mapped_column(Integer, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class FieldVersion(Base):
    """The value siblings of one field, each with its dot and HLC stamp."""

    __tablename__ = "field_version"
    # Stored in primary-key order without a separate rowid b-tree: about a third smaller.
    __table_args__ = {"sqlite_with_rowid": False}
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    dot_device: Mapped[str] = mapped_column(String(36), primary_key=True)
    dot_counter: Mapped[int] = mapped_column(Integer, primary_key=True)
    hlc: Mapped[int] = mapped_column(Integer)
    value_json: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- synced tables


class FundingProgramme(SyncedMixin, Base):
    """Förderprogramm: the age band and status lists the target group is computed with.

    Seeded rows have fixed ids (UUIDv5 of their key), so devices seeded apart hold the same rows.
    Status lists are configuration, stored as JSON arrays of ``ResidenceStatus`` identifiers.
    """

    __tablename__ = "funding_programme"
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(Text)
    funding_authority: Mapped[str] = mapped_column(Text, default="")
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_until: Mapped[dt.date | None] = mapped_column(Date)
    post_share_note: Mapped[str] = mapped_column(Text, default="")
    age_min: Mapped[int] = mapped_column(Integer)
    age_max: Mapped[int] = mapped_column(Integer)
    primary_statuses_json: Mapped[str] = mapped_column(Text)
    secondary_statuses_json: Mapped[str] = mapped_column(Text)
    report_layout: Mapped[str] = mapped_column(String(40), default="GK_BAUSTEIN_6")
    source: Mapped[str] = mapped_column(Text, default="")
    stand: Mapped[dt.date] = mapped_column(Date)


class LegalRuleRow(SyncedMixin, Base):
    """Rechtsregel: one value the rules compute with, with its unit, source and "Stand"."""

    __tablename__ = "legal_rule"
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value_json: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    stand: Mapped[dt.date] = mapped_column(Date)


class Client(SyncedMixin, Base):
    """Klient:in (DOMAIN.md §3). Multi-valued facts live in child tables."""

    __tablename__ = "client"
    case_code: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    birth_date_fictitious: Mapped[bool] = mapped_column(Boolean, default=False)
    gender: Mapped[str] = mapped_column(String(20), default="KEINE_ANGABE")
    country_of_origin: Mapped[str | None] = mapped_column(String(2))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(40))
    entry_date_de: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(Text)
    housing_type: Mapped[str | None] = mapped_column(String(30))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    preferred_contact_channel: Mapped[str | None] = mapped_column(String(30))
    minor_children: Mapped[int] = mapped_column(Integer, default=0)
    responsible_abh: Mapped[str | None] = mapped_column(Text)
    # The exclusion check as an outcome only (ExclusionOutcome), never the facts behind it.
    exclusion_outcome: Mapped[str | None] = mapped_column(String(40))
    exclusion_checked_on: Mapped[dt.date | None] = mapped_column(Date)
    internal_notes: Mapped[str] = mapped_column(Text, default="")


class _ClientChild(SyncedMixin):
    """A record that belongs to one client."""

    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)


class ClientNameVariant(_ClientChild, Base):
    """Namensvariante: a transliteration, the name in the original script, an alias."""

    __tablename__ = "client_name_variant"
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="TRANSLITERATION")


class ClientNationality(_ClientChild, Base):
    __tablename__ = "client_nationality"
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2; "XX" stateless/unknown


class ClientLanguage(_ClientChild, Base):
    __tablename__ = "client_language"
    language: Mapped[str] = mapped_column(String(40))  # ISO 639 code or name
    level: Mapped[str | None] = mapped_column(String(20))  # LanguageLevel


class ResidencePeriod(_ClientChild, Base):
    """Aufenthaltsstatus: one period of the residence history."""

    __tablename__ = "residence_period"
    status: Mapped[str] = mapped_column(String(40))
    legal_detail: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    employment_permission: Mapped[str] = mapped_column(String(30), default="UNBEKANNT")
    residence_obligation: Mapped[str | None] = mapped_column(Text)
    issuing_office: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(30), default="ANGABE_KLIENT")


class AsylumProcedure(_ClientChild, Base):
    __tablename__ = "asylum_procedure"
    stage: Mapped[str] = mapped_column(String(40))
    applied_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_served_on: Mapped[dt.date | None] = mapped_column(Date)
    legal_counsel: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


class IdentityStatus(_ClientChild, Base):
    """Identitätsklärung: one per client."""

    __tablename__ = "identity_status"
    clarified: Mapped[str] = mapped_column(String(20), default="UNBEKANNT")
    documents_available: Mapped[str] = mapped_column(Text, default="")
    passport_valid_until: Mapped[dt.date | None] = mapped_column(Date)


class IdentityEffort(_ClientChild, Base):
    """Passbeschaffung: one step of the effort log."""

    __tablename__ = "identity_effort"
    date: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(Text, default="")
    proof: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))


class EducationRecord(_ClientChild, Base):
    __tablename__ = "education_record"
    institution: Mapped[str] = mapped_column(Text, default="")
    programme: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2), default="DE")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    attendance_ok: Mapped[bool | None] = mapped_column(Boolean)
    qualification: Mapped[str | None] = mapped_column(String(30))
    recognised: Mapped[bool | None] = mapped_column(Boolean)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))


class LanguageCertificate(_ClientChild, Base):
    __tablename__ = "language_certificate"
    language: Mapped[str] = mapped_column(String(40), default="de")
    level: Mapped[str] = mapped_column(String(2))
    skill: Mapped[str] = mapped_column(String(20), default="GESAMT")
    evidence: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))


class WorkRecord(_ClientChild, Base):
    """Ausbildung/Beschäftigung."""

    __tablename__ = "work_record"
    type: Mapped[str] = mapped_column(String(40))
    employer: Mapped[str] = mapped_column(Text, default="")
    occupation: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_end_date: Mapped[dt.date | None] = mapped_column(Date)
    actual_end_date: Mapped[dt.date | None] = mapped_column(Date)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    work_permit_on: Mapped[dt.date | None] = mapped_column(Date)
    chamber_registered: Mapped[bool | None] = mapped_column(Boolean)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    income_covers: Mapped[str | None] = mapped_column(String(20))
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))


class PersonalContact(_ClientChild, Base):
    """Bezugsperson."""

    __tablename__ = "personal_contact"
    name: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(String(30), default="SONSTIGE")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    contact_data: Mapped[str] = mapped_column(Text, default="")
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class Case(SyncedMixin, Base):
    """Fall: one case-management or short-advice episode of a client."""

    __tablename__ = "case"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)  # 1, 2, … per client
    phase: Mapped[str] = mapped_column(String(20), default="ERSTKONTAKT")
    case_type: Mapped[str] = mapped_column(String(20), default="CASE_MANAGEMENT")
    access_route: Mapped[str | None] = mapped_column(String(30))
    first_contact_on: Mapped[dt.date] = mapped_column(Date)
    intake_on: Mapped[dt.date | None] = mapped_column(Date)
    request: Mapped[str] = mapped_column(Text, default="")
    mandate: Mapped[str] = mapped_column(Text, default="")
    funding_programme_id: Mapped[str | None] = mapped_column(
        ForeignKey("funding_programme.id", ondelete="RESTRICT"), index=True)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(String(30))
    destination: Mapped[str | None] = mapped_column(String(30))
    evaluation: Mapped[str] = mapped_column(Text, default="")
    retention_until: Mapped[dt.date | None] = mapped_column(Date)


class Contact(SyncedMixin, Base):
    """Gespräch: one interview or contact in a case (append-only notes, SYNC.md rule 5)."""

    __tablename__ = "contact"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    duration_min: Mapped[int | None] = mapped_column(Integer)
    contact_type: Mapped[str] = mapped_column(String(20), default="PERSOENLICH")
    note: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[str] = mapped_column(Text, default="")
    interpreter: Mapped[str] = mapped_column(String(20), default="KEINE")
    interpreter_language: Mapped[str | None] = mapped_column(String(40))
    agreements: Mapped[str] = mapped_column(Text, default="")
    next_appointment: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ContactNeedArea(SyncedMixin, Base):
    """A need area an interview touched (many per interview)."""

    __tablename__ = "contact_need_area"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contact.id", ondelete="RESTRICT"), index=True)
    need_area: Mapped[str] = mapped_column(String(30))


class Document(SyncedMixin, Base):
    """Dokument: a scan or PDF in the case file. The bytes live in :class:`Blob` under their
    SHA-256; this record says what they are. Copies of identity documents carry a purpose and a
    delete-by date (required by the service)."""

    __tablename__ = "document"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    doc_type: Mapped[str] = mapped_column(String(30), default="SONSTIGES")
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text, default="")
    delete_by: Mapped[dt.date | None] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)


class Blob(Base):
    """Content-addressed file contents (SYNC.md §3.7): immutable, encrypted with the vault like
    every page, referenced by :class:`Document` records. Not a synced record: a blob travels by
    its hash. Deleted (with ``secure_delete``) as soon as no document refers to it."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class OfferCategoryRow(SyncedMixin, Base):
    """A category of the offers directory, seeded with a fixed id (UUIDv5 of its key): which need
    areas its offers serve (the matching of needs to offers reads it; editable data)."""

    __tablename__ = "offer_category"
    key: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(Text)
    need_areas_json: Mapped[str] = mapped_column(Text, default="[]")


class Partner(SyncedMixin, Base):
    """Kooperationspartner: an organisation of the regional network (the ABH is one, of type
    BEHOERDE; it is never an offer)."""

    __tablename__ = "partner"
    name: Mapped[str] = mapped_column(Text)
    partner_type: Mapped[str] = mapped_column(String(30), default="SONSTIGE")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    alliance_member: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class PartnerContact(SyncedMixin, Base):
    """A contact person at a partner, with role and preferred secure channel."""

    __tablename__ = "partner_contact"
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    secure_channel: Mapped[str | None] = mapped_column(String(30))


class Offer(SyncedMixin, Base):
    """Angebot of the regional directory. Lists (eligible statuses, languages) are JSON arrays of
    identifiers; an empty status list means every status."""

    __tablename__ = "offer"
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30), default="SONSTIGE")
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    target_group: Mapped[str] = mapped_column(Text, default="")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    statuses_json: Mapped[str] = mapped_column(Text, default="[]")
    min_language_level: Mapped[str | None] = mapped_column(String(2))
    min_qualification: Mapped[str | None] = mapped_column(String(30))
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[str] = mapped_column(Text, default="")
    runs_from: Mapped[dt.date | None] = mapped_column(Date)
    runs_until: Mapped[dt.date | None] = mapped_column(Date)
    capacity_note: Mapped[str] = mapped_column(Text, default="")
    languages_json: Mapped[str] = mapped_column(Text, default="[]")
    verified_on: Mapped[dt.date | None] = mapped_column(Date)


class Consent(SyncedMixin, Base):
    """Einwilligung / Schweigepflichtentbindung: one specific consent of a client. Revoking sets
    ``revoked_on``; the record stays (it is the legal basis of what was passed before)."""

    __tablename__ = "consent"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    consent_type: Mapped[str] = mapped_column(String(30))
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    categories_json: Mapped[str] = mapped_column(Text, default="[]")
    form: Mapped[str] = mapped_column(String(30), default="SCHRIFTLICH")
    language: Mapped[str] = mapped_column(String(40), default="de")
    interpreted: Mapped[bool] = mapped_column(Boolean, default=False)
    given_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))
    info_sheet_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Disclosure(SyncedMixin, Base):
    """Übermittlung: one passing of a client's data to a recipient, with its legal basis, the
    categories and documents passed, the channel and a SHA-256 of what was passed. Append-only."""

    __tablename__ = "disclosure"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    legal_basis: Mapped[str] = mapped_column(String(30), default="EINWILLIGUNG")
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id", ondelete="RESTRICT"), index=True)
    legal_norm: Mapped[str] = mapped_column(Text, default="")
    categories_json: Mapped[str] = mapped_column(Text, default="[]")
    documents_json: Mapped[str] = mapped_column(Text, default="[]")
    channel: Mapped[str] = mapped_column(String(30), default="PERSOENLICH")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    what: Mapped[str] = mapped_column(Text, default="")  # e.g. "Übergabebogen", "Telefonat"
    note: Mapped[str] = mapped_column(Text, default="")


class Assessment(SyncedMixin, Base):
    """Einschätzung: needs and resources found on a date; a re-assessment adds a new one and keeps
    the earlier ones."""

    __tablename__ = "assessment"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    next_reassessment_on: Mapped[dt.date | None] = mapped_column(Date)


class Need(SyncedMixin, Base):
    """Bedarf (one per need area and concern); NICHT_DECKBAR marks an Angebotslücke with a gap note."""

    __tablename__ = "need"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="RESTRICT"), index=True)
    need_area: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    own_view: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 1 high, 2 medium, 3 low
    status: Mapped[str] = mapped_column(String(30), default="OFFEN")
    gap_note: Mapped[str] = mapped_column(Text, default="")


class Resource(SyncedMixin, Base):
    """Ressource / Potenzial found in an assessment."""

    __tablename__ = "resource"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="RESTRICT"), index=True)
    need_area: Mapped[str | None] = mapped_column(String(30))
    resource_type: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")


class Goal(SyncedMixin, Base):
    """Ziel, agreed "freiwillig, aber verbindlich"."""

    __tablename__ = "goal"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    need_area: Mapped[str] = mapped_column(String(30))
    need_id: Mapped[str | None] = mapped_column(ForeignKey("need.id", ondelete="RESTRICT"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20), default="HANDLUNGSZIEL")
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    target_on: Mapped[dt.date | None] = mapped_column(Date)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="ENTWURF")
    achievement: Mapped[int | None] = mapped_column(Integer)  # 0–100 %
    achievement_note: Mapped[str] = mapped_column(Text, default="")


class Task(SyncedMixin, Base):
    """Handlungsschritt: who does what by when."""

    __tablename__ = "task"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    goal_id: Mapped[str | None] = mapped_column(ForeignKey("goal.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(20), default="KLIENT")
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="OFFEN")


class Agreement(SyncedMixin, Base):
    """Zielvereinbarung: the goals and tasks agreed on a date, the signatures, the signed scan."""

    __tablename__ = "agreement"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    goals_json: Mapped[str] = mapped_column(Text, default="[]")
    tasks_json: Mapped[str] = mapped_column(Text, default="[]")
    signed_by_client: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_by_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(40), default="de")
    place: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))


class ServiceChain(SyncedMixin, Base):
    """Dienstleistungskette: an ordered list of referrals towards one goal."""

    __tablename__ = "service_chain"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(Text)
    goal: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[str | None] = mapped_column(ForeignKey("goal.id", ondelete="RESTRICT"))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    planned_end_on: Mapped[dt.date | None] = mapped_column(Date)
    coordinator: Mapped[str] = mapped_column(Text, default="")


class Referral(SyncedMixin, Base):
    """Vermittlung: one link of a service chain. A referral that passes personal data reaches
    ANGEFRAGT only with a consent that covers its recipient and categories."""

    __tablename__ = "referral"
    chain_id: Mapped[str] = mapped_column(ForeignKey("service_chain.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    offer_id: Mapped[str | None] = mapped_column(ForeignKey("offer.id", ondelete="RESTRICT"), index=True)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    partner_contact_id: Mapped[str | None] = mapped_column(ForeignKey("partner_contact.id", ondelete="RESTRICT"))
    passes_data: Mapped[bool] = mapped_column(Boolean, default=True)
    categories_json: Mapped[str] = mapped_column(Text, default="[]")
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id", ondelete="RESTRICT"))
    referred_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    planned_end_on: Mapped[dt.date | None] = mapped_column(Date)
    actual_end_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="VORGESCHLAGEN")
    status_since: Mapped[dt.date | None] = mapped_column(Date)
    feedback: Mapped[str] = mapped_column(Text, default="")
    dropout_reason: Mapped[str] = mapped_column(Text, default="")
    funding_component: Mapped[str | None] = mapped_column(String(20))


class ResidenceCheck(SyncedMixin, Base):
    """Aufenthaltsrechtliche Prüfung as saved: the result on its day with the Stand of the rules it
    used, the worker's recorded outcomes and overrides (with reasons), and the coordination with
    the ABH (consulted on, result, application, decision). Decision support, never a decision."""

    __tablename__ = "residence_check"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    pathway: Mapped[str] = mapped_column(String(20))
    light: Mapped[str] = mapped_column(String(10))
    possible_from: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    stand: Mapped[dt.date | None] = mapped_column(Date)
    result_json: Mapped[str] = mapped_column(Text, default="{}")
    outcomes_json: Mapped[str] = mapped_column(Text, default="{}")
    overrides_json: Mapped[str] = mapped_column(Text, default="{}")
    abh_consulted_on: Mapped[dt.date | None] = mapped_column(Date)
    abh_result: Mapped[str] = mapped_column(Text, default="")
    applied_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class DeadlineDecision(SyncedMixin, Base):
    """The worker's word on a computed deadline: ERLEDIGT, VERWORFEN, or OFFEN again. Deadlines are
    never stored; this is, under the deadline's key (type, source record, due date), so it survives
    recomputation. The newest decision for a key counts (no unique key: two devices may decide)."""

    __tablename__ = "deadline_decision"
    key: Mapped[str] = mapped_column(String(120), index=True)
    type: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(36))
    due: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)


class FollowUp(SyncedMixin, Base):
    """Wiedervorlage: a follow-up the worker set by hand, beside the computed deadlines."""

    __tablename__ = "follow_up"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    due: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class Draft(Base):
    """A form being typed (an interview …), autosaved every few seconds: local to this device,
    never synced, encrypted with the vault; offered again after a crash. Deleted on save."""

    __tablename__ = "draft"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7_str)
    kind: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[str | None] = mapped_column(String(36), index=True)
    record_id: Mapped[str | None] = mapped_column(String(36))  # the record being edited, if any
    payload_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


Index("ix_contact_case_at", Contact.case_id, Contact.at)
Index("ix_residence_period_client_from", ResidencePeriod.client_id, ResidencePeriod.valid_from)
Index("ix_client_birth_date", Client.birth_date)

# Records that belong to one client, in the order `client show` lists them.
CLIENT_CHILD_MODELS: tuple[type[Base], ...] = (
    ClientNameVariant, ClientNationality, ClientLanguage, ResidencePeriod, AsylumProcedure,
    IdentityStatus, IdentityEffort, EducationRecord, LanguageCertificate, WorkRecord, PersonalContact,
)
SYNCED_MODELS: tuple[type[Base], ...] = (
    FundingProgramme, LegalRuleRow, Client, *CLIENT_CHILD_MODELS, Case, Contact, ContactNeedArea, Document,
    OfferCategoryRow, Partner, PartnerContact, Offer, Consent, Disclosure,
    Assessment, Need, Resource, Goal, Task, Agreement, ServiceChain, Referral, ResidenceCheck,
    DeadlineDecision, FollowUp,
)
LOCAL_TABLES = ("vault_meta", "audit_event", "record_clock", "field_version", "draft")
# Content-addressed file contents: synced by hash, not as records (SYNC.md §3.7).
BLOB_TABLES = ("blob",)
