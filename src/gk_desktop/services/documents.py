"""Dokumente: scans and PDFs in the case file (DOMAIN.md §3 Document).

The bytes of a document live in the vault's ``blob`` table under their SHA-256 (encrypted with
every other page of the database); the :class:`~gk_desktop.storage.models.Document` record says
what they are. Nothing of a document is written outside the vault unless the worker exports it:
viewing hands the bytes to the UI in memory, and :func:`export_document` writes only to the path
the worker chose (``*.part`` beside it, fsync, rename).

Refused, with nothing stored: a file larger than the limit (setting, default 25 MB), a file whose
content is not what its extension claims (or not PDF, JPEG or PNG at all), and a copy of an
identity document without a purpose and a delete-by date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import IDENTITY_COPY_TYPES
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _, language
from gk_desktop.services.records import Problems, parse_record
from gk_desktop.storage import models as M
from gk_desktop.storage.fsutil import atomic_write
from gk_desktop.storage.stamps import now_utc

MB = 1024 * 1024
DEFAULT_MAX_MB = 25

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
MIME_BY_SUFFIX = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
SUFFIX_BY_MIME = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
KIND_LABEL = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# Columns the service fills itself.
COMPUTED = frozenset({"case_id", "sha256", "mime", "size"})
# Records that can point at a document as their evidence (the signed scan, the certificate …).
REFERRING_MODELS: tuple[type, ...] = (M.IdentityEffort, M.EducationRecord, M.LanguageCertificate, M.WorkRecord,
                                      M.Consent, M.Agreement)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One document as the UI and the CLI show it (no bytes)."""

    id: str
    case_id: str
    case_number: int
    doc_type: str
    title: str
    date: dt.date | None
    valid_until: dt.date | None
    source: str | None
    purpose: str
    delete_by: dt.date | None
    sha256: str
    mime: str
    size: int
    added_at: dt.datetime
    used_by: tuple[str, ...]  # table names of records that point at it

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "case_number": self.case_number, "type": self.doc_type, "title": self.title,
            "date": _iso(self.date), "valid_until": _iso(self.valid_until), "source": self.source,
            "purpose": self.purpose, "delete_by": _iso(self.delete_by), "sha256": self.sha256,
            "mime": self.mime, "size": self.size, "added_at": self.added_at.isoformat(),
            "used_by": list(self.used_by),
        }


@dataclass(frozen=True, slots=True)
class AddedDocument:
    id: str
    sha256: str


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------- checking a file


def sniff(data: bytes) -> str | None:
    """The type the content says it is (PDF, JPEG or PNG), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _complete(data: bytes, mime: str) -> bool:
    """The file ends as its kind must (a cut-off download or a damaged scan fails here)."""
    tail = data[-2048:]
    if mime == PDF:
        return b"%%EOF" in tail
    if mime == JPEG:
        return b"\xff\xd9" in tail
    return b"IEND" in tail


def max_bytes_of(max_mb: int | None) -> int:
    return (max_mb if max_mb and max_mb > 0 else DEFAULT_MAX_MB) * MB


def check_size(size: int, max_mb: int | None) -> None:
    limit = max_bytes_of(max_mb)
    if size > limit:
        raise InputRejectedError(
            _("The file is {size} MB; documents may be at most {limit} MB (setting in Einstellungen). "
              "Nothing was stored.").format(size=_mb(size), limit=limit // MB))
    if size == 0:
        raise InputRejectedError(_("The file is empty. Nothing was stored."))


def _mb(size: int) -> str:
    text = f"{size / MB:.1f}"
    return text.replace(".", ",") if language() == "de" else text


def check_file(filename: str, data: bytes, max_mb: int | None) -> str:
    """The document's MIME type, or :class:`InputRejectedError` with the reason."""
    check_size(len(data), max_mb)
    suffix = Path(filename).suffix.lower()
    claimed = MIME_BY_SUFFIX.get(suffix)
    if claimed is None:
        raise InputRejectedError(
            _("Only PDF, JPEG and PNG files can be attached (this one ends in “{suffix}”). Nothing was stored.")
            .format(suffix=suffix or "–"))
    actual = sniff(data)
    if actual != claimed:
        if actual is None:
            raise InputRejectedError(
                _("The file is called {kind} but its content is not a {kind} file. Nothing was stored.")
                .format(kind=KIND_LABEL[claimed]))
        raise InputRejectedError(
            _("The file is called {kind} but its content is {actual}. Rename it to what it is, or choose "
              "another file. Nothing was stored.").format(kind=KIND_LABEL[claimed], actual=KIND_LABEL[actual]))
    if not _complete(data, actual):
        raise InputRejectedError(
            _("The {kind} file is incomplete or damaged. Nothing was stored.").format(kind=KIND_LABEL[actual]))
    return actual


def read_file_checked(path: Path, max_mb: int | None) -> bytes:
    """The bytes of ``path``, refusing a file above the limit before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputRejectedError(_("The file cannot be read: {reason}").format(reason=exc.strerror or exc)) from exc
    if not path.is_file():
        raise InputRejectedError(_("This is not a file."))
    check_size(size, max_mb)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputRejectedError(_("The file cannot be read: {reason}").format(reason=exc.strerror or exc)) from exc


# --------------------------------------------------------------------------- fields


def parse_fields(data: Any, problems: Problems, *, partial: bool, on: dt.date,
                 current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Type, title, date, valid until, source, purpose, delete-by from JSON (keys as ``document
    list`` prints them; ``type`` is the document type)."""
    if isinstance(data, dict) and "type" in data:
        data = {("doc_type" if k == "type" else k): v for k, v in data.items()}
    values = parse_record(M.Document, data, "", problems, partial=partial, skip=COMPUTED,
                          ignore=frozenset({"id", "case_number", "added_at", "used_by", *COMPUTED}))
    problems.items[:] = [("type" + item[8:]) if item.startswith("doc_type:") else item for item in problems.items]
    merged = {**(current or {}), **values}
    for key in ("title", "purpose"):
        if isinstance(values.get(key), str):
            values[key] = " ".join(values[key].split())
            merged[key] = values[key]
    if merged.get("doc_type") in {t.value for t in IDENTITY_COPY_TYPES}:
        if not merged.get("purpose"):
            problems.add("purpose", _("required for a copy of an identity document: why must the copy be kept?"))
        if merged.get("delete_by") is None:
            problems.add("delete_by", _("required for a copy of an identity document"))
    delete_by = values.get("delete_by")
    if isinstance(delete_by, dt.date) and delete_by < on:
        problems.add("delete_by", _("lies in the past"))
    a, b = merged.get("date"), merged.get("valid_until")
    if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
        problems.add("valid_until", _("lies before {field}").format(field="date"))
    return values


def suggested_name(case_code: str, doc_type: str, date: dt.date | None, mime: str) -> str:
    """A file name for an export: case code, type and date; never the client's name."""
    parts = [case_code.replace(" ", ""), doc_type]
    if date is not None:
        parts.append(date.isoformat())
    return "_".join(parts) + SUFFIX_BY_MIME.get(mime, ".bin")


# --------------------------------------------------------------------------- writing


def _case_for(session: Any, case_code: str, case_id: str | None) -> Any:
    from gk_desktop.services.clients import _get_client
    from gk_desktop.services.contacts import _current_case

    client = _get_client(session, case_code)
    if case_id is None:
        return _current_case(session, client.id)
    case = session.get(M.Case, case_id)
    if case is None or case.client_id != client.id:
        raise NotFoundError(_("This client has no such case."))
    return case


def add_document(vault: Any, case_code: str, filename: str, data: bytes, fields: Any = None, *,
                 max_mb: int | None = DEFAULT_MAX_MB, case_id: str | None = None,
                 source: str = "cli") -> AddedDocument:
    """Store ``data`` in the client's current case (or ``case_id``). ``fields``: a JSON object of
    type, title, date, valid_until, source, purpose, delete_by; the title defaults to nothing
    (the type is shown)."""
    mime = check_file(filename, data, max_mb)
    problems = Problems()
    values = parse_fields(fields or {}, problems, partial=False, on=today())
    problems.raise_if_any()
    digest = hashlib.sha256(data).hexdigest()
    with vault.session() as s:
        case = _case_for(s, case_code, case_id)
        if s.get(M.Blob, digest) is None:
            s.add(M.Blob(sha256=digest, size=len(data), data=data, created_at=now_utc()))
        doc = M.Document(case_id=case.id, sha256=digest, mime=mime, size=len(data), **values)
        s.add(doc)
        s.flush()
        vault.record_event("create", session=s, source=source, target_table="document", target_id=doc.id)
        s.commit()
        return AddedDocument(doc.id, digest)


def update_document(vault: Any, document_id: str, fields: Any, *, source: str = "cli") -> None:
    """Change the given fields (the file itself never changes: attach a new one instead)."""
    problems = Problems()
    with vault.session() as s:
        doc = _get(s, document_id)
        current = {c.key: getattr(doc, c.key) for c in M.Document.__table__.columns}
        values = parse_fields(fields, problems, partial=True, on=today(), current=current)
        problems.raise_if_any()
        changed = False
        for k, v in values.items():
            if getattr(doc, k) != v:
                setattr(doc, k, v)
                changed = True
        if changed:
            vault.record_event("update", session=s, source=source, target_table="document", target_id=doc.id)
        s.commit()


def delete_document(vault: Any, document_id: str, *, source: str = "cli") -> int:
    """Delete the document; records that pointed at it lose the link (in the same transaction).
    Its bytes are deleted too (``secure_delete`` overwrites them) unless another document holds the
    same file. Returns how many links were removed."""
    with vault.session() as s:
        doc = _get(s, document_id)
        unlinked = 0
        for model in REFERRING_MODELS:
            for rec in s.execute(select(model).where(model.document_id == doc.id)).scalars():
                rec.document_id = None
                unlinked += 1
        digest = doc.sha256
        s.delete(doc)
        s.flush()
        others = s.execute(select(func.count()).select_from(M.Document).where(M.Document.sha256 == digest)).scalar_one()
        if not others:
            blob = s.get(M.Blob, digest)
            if blob is not None:
                s.delete(blob)
        vault.record_event("delete", session=s, source=source, target_table="document", target_id=document_id)
        s.commit()
        return unlinked


def export_document(vault: Any, document_id: str, target: Path, *, source: str = "cli") -> DocumentRow:
    """Write the document, byte for byte, to ``target`` (checked against its SHA-256 first)."""
    row, data = read_document(vault, document_id, source=source, audit=False)
    target = Path(target)
    if target.is_dir():
        raise InputRejectedError(_("{path} is a folder; give a file name.").format(path=target))
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise InputRejectedError(
            _("The file could not be written: {reason}. Nothing was exported.").format(reason=exc.strerror or exc)
        ) from exc
    vault.record_event("export", source=source, target_table="document", target_id=document_id)
    return row


# --------------------------------------------------------------------------- reading


def _get(session: Any, document_id: str) -> Any:
    doc = session.get(M.Document, document_id)
    if doc is None:
        raise NotFoundError(_("No document with this id."))
    return doc


def _used_by(session: Any, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not ids:
        return out
    for model in REFERRING_MODELS:
        for (doc_id,) in session.execute(select(model.document_id).where(model.document_id.in_(ids))):
            out.setdefault(doc_id, []).append(model.__tablename__)
    return out


def _rows(session: Any, docs: list[Any]) -> list[DocumentRow]:
    numbers = dict(session.execute(select(M.Case.id, M.Case.number).where(
        M.Case.id.in_({d.case_id for d in docs}))).all()) if docs else {}
    used = _used_by(session, [d.id for d in docs])
    return [DocumentRow(
        id=d.id, case_id=d.case_id, case_number=numbers.get(d.case_id, 0), doc_type=d.doc_type, title=d.title,
        date=d.date, valid_until=d.valid_until, source=d.source, purpose=d.purpose, delete_by=d.delete_by,
        sha256=d.sha256, mime=d.mime, size=d.size, added_at=d.created_at, used_by=tuple(used.get(d.id, ())),
    ) for d in docs]


def list_documents(vault: Any, *, case_code: str | None = None, client_id: str | None = None) -> list[DocumentRow]:
    """The documents of every case of a client, newest first."""
    with vault.session() as s:
        if client_id is None:
            from gk_desktop.services.clients import _get_client

            client_id = _get_client(s, case_code or "").id
        docs = list(s.execute(
            select(M.Document).join(M.Case, M.Case.id == M.Document.case_id)
            .where(M.Case.client_id == client_id)
            .order_by(M.Document.date.desc().nulls_last(), M.Document.created_at.desc())
        ).scalars())
        return _rows(s, docs)


def get_document(vault: Any, document_id: str) -> DocumentRow:
    with vault.session() as s:
        return _rows(s, [_get(s, document_id)])[0]


def read_document(vault: Any, document_id: str, *, source: str = "cli", audit: bool = True) -> tuple[DocumentRow, bytes]:
    """The document and its bytes, checked against the SHA-256 (a mismatch is an integrity error)."""
    from gk_desktop.errors import IntegrityError

    with vault.session() as s:
        doc = _get(s, document_id)
        row = _rows(s, [doc])[0]
        blob = s.get(M.Blob, doc.sha256)
        if blob is None:
            raise NotFoundError(_("The file of this document is not on this device yet."))
        data = bytes(blob.data)
        s.expunge(blob)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise IntegrityError(_("The stored file does not match its checksum; it is damaged."))
    if audit:
        vault.record_event("view", source=source, target_table="document", target_id=document_id)
    return row, data


def client_document_choices(vault: Any, client_id: str) -> list[DocumentRow]:
    """Documents a record of this client may point at (every case of the client)."""
    return list_documents(vault, client_id=client_id)


def check_document_refs(session: Any, client_id: str, problems: Problems, items: list[tuple[str, str | None]]) -> None:
    """Each (path, document id) must name a document of this client."""
    ids = {doc_id for _path, doc_id in items if doc_id}
    if not ids:
        return
    found = set(session.execute(
        select(M.Document.id).join(M.Case, M.Case.id == M.Document.case_id)
        .where(M.Case.client_id == client_id, M.Document.id.in_(ids))).scalars())
    for path, doc_id in items:
        if doc_id and doc_id not in found:
            problems.add(path, _("no such document of this client"))


def raise_field_problems(data: Any) -> None:
    """:class:`InputRejectedError` when the fields of a new document are wrong."""
    problems = Problems()
    parse_fields(data or {}, problems, partial=False, on=today())
    problems.raise_if_any()


def field_problems(data: dict[str, Any], *, current: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The problems of the fields of a document as (key, message), for a form to show before it
    closes (the same rules :func:`add_document` and :func:`update_document` apply)."""
    problems = Problems()
    parse_fields(data, problems, partial=current is not None, on=today(), current=current)
    out = []
    for item in problems.items:
        key, _sep, message = item.partition(": ")
        out.append(("doc_type" if key == "type" else key, message))
    return out
