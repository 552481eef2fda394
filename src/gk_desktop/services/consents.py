"""Einwilligungen und Übermittlungen (DOMAIN.md §3 Consent, Disclosure).

Consents are recorded one by one, each specific: type, recipient, purpose, data categories, form,
language, given on, valid until. Revoking is one action with a date; the consent stays as the
record of what was allowed before, and from the revocation on it allows nothing.

:func:`may_pass` answers the one question every later passing of data asks ("may data of
categories C of this client go to recipient R on day D?") with the consent that allows it or the
reason why not. Only a release from confidentiality (SCHWEIGEPFLICHTENTBINDUNG) naming the
recipient allows passing data; one consent must cover every category asked for.

Counselling never depends on a consent to share data with the ABH: nothing here or in the UI
makes any part of the case file wait for one.

Every passing of data is a :class:`~gk_desktop.storage.models.Disclosure` (append-only): recipient,
legal basis (which consent, or which legal duty, or the client's own access request), categories,
documents, channel and a SHA-256 of what was passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import select

from gk_desktop import labels
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import (
    PASSING_CONSENT_TYPES,
    ConsentForm,
    ConsentType,
    DataCategory,
    LegalBasis,
    SecureChannel,
)
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.services.records import Problems, parse_record, plain_json
from gk_desktop.storage import models as M

# Consent types that name a recipient.
NEEDS_RECIPIENT = frozenset({ConsentType.SCHWEIGEPFLICHTENTBINDUNG.value, ConsentType.EINHOLUNG_AUSKUENFTE.value})

GUELTIG = "GUELTIG"
ABGELAUFEN = "ABGELAUFEN"
WIDERRUFEN = "WIDERRUFEN"
NOCH_NICHT = "NOCH_NICHT_GUELTIG"


def status_on(given_on: dt.date, valid_until: dt.date | None, revoked_on: dt.date | None, on: dt.date) -> str:
    """GUELTIG, ABGELAUFEN, WIDERRUFEN or NOCH_NICHT_GUELTIG on day ``on``."""
    if revoked_on is not None and revoked_on <= on:
        return WIDERRUFEN
    if given_on > on:
        return NOCH_NICHT
    if valid_until is not None and valid_until < on:
        return ABGELAUFEN
    return GUELTIG


@dataclass(frozen=True, slots=True)
class ConsentRow:
    id: str
    consent_type: str
    partner_id: str | None
    recipient: str
    purpose: str
    categories: tuple[str, ...]
    form: str
    language: str
    interpreted: bool
    given_on: dt.date
    valid_until: dt.date | None
    revoked_on: dt.date | None
    document_id: str | None
    info_sheet_on: dt.date | None
    note: str
    status: str
    used_in: tuple[str, ...]  # ids of disclosures that rest on it

    def as_json(self) -> dict[str, Any]:
        return plain_json(self)


@dataclass(frozen=True, slots=True)
class DisclosureRow:
    id: str
    on: dt.date
    partner_id: str
    recipient: str
    legal_basis: str
    consent_id: str | None
    legal_norm: str
    categories: tuple[str, ...]
    documents: tuple[str, ...]
    channel: str
    content_hash: str
    what: str
    note: str

    def as_json(self) -> dict[str, Any]:
        return plain_json(self)


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer of :func:`may_pass`: ``allowed`` with the consent, or the reason why not."""

    allowed: bool
    consent_id: str | None
    reason: str  # "" when allowed
    code: str  # OK, KEINE, ABGELAUFEN, WIDERRUFEN, NOCH_NICHT_GUELTIG, KATEGORIEN
    missing: tuple[str, ...] = ()  # categories no consent for this recipient covers


# --------------------------------------------------------------------------- the question


def _categories_label(categories: Iterable[str]) -> str:
    return ", ".join(labels.label(labels.DATA_CATEGORY, c) for c in categories)


def may_pass(session: Any, client_id: str, partner_id: str, categories: Iterable[str],
             on: dt.date | None = None) -> Answer:
    """May data of ``categories`` of this client go to ``partner_id`` on ``on`` (default today)?"""
    on = on or today()
    wanted = sorted(set(categories))
    consents = [c for c in session.execute(select(M.Consent).where(
        M.Consent.client_id == client_id, M.Consent.partner_id == partner_id)).scalars()
        if c.consent_type in {t.value for t in PASSING_CONSENT_TYPES}]
    if not consents:
        return Answer(False, None, _("No release from confidentiality towards this recipient is recorded."), "KEINE",
                      tuple(wanted))
    valid = [c for c in consents if status_on(c.given_on, c.valid_until, c.revoked_on, on) == GUELTIG]
    for c in sorted(valid, key=lambda c: (c.given_on, c.id), reverse=True):
        if set(wanted) <= set(json.loads(c.categories_json or "[]")):
            return Answer(True, c.id, "", "OK")
    if valid:
        covered: set[str] = set()
        for c in valid:
            covered |= set(json.loads(c.categories_json or "[]"))
        best = max(valid, key=lambda c: len(set(wanted) & set(json.loads(c.categories_json or "[]"))))
        missing = tuple(sorted(set(wanted) - set(json.loads(best.categories_json or "[]"))))
        return Answer(False, None, _("The consent towards this recipient does not cover: {categories}.").format(
            categories=_categories_label(missing)), "KATEGORIEN", missing)
    latest = max(consents, key=lambda c: (c.given_on, c.id))
    state = status_on(latest.given_on, latest.valid_until, latest.revoked_on, on)
    if state == WIDERRUFEN:
        text = _("The consent towards this recipient was revoked on {date}.").format(date=_d(latest.revoked_on))
    elif state == ABGELAUFEN:
        text = _("The consent towards this recipient expired on {date}.").format(date=_d(latest.valid_until))
    else:
        text = _("The consent towards this recipient applies only from {date}.").format(date=_d(latest.given_on))
    return Answer(False, None, text, state, tuple(wanted))


def _d(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


# --------------------------------------------------------------------------- consents


def _client(session: Any, case_code: str) -> Any:
    from gk_desktop.services.clients import _get_client

    return _get_client(session, case_code)


def _parse_categories(raw: Any, path: str, problems: Problems) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(path, _("expected a list"))
        return []
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or item.strip().upper() not in DataCategory.__members__:
            problems.add(f"{path}[{i}]", _("unknown value; allowed: {values}").format(
                values=", ".join(DataCategory.__members__)))
        elif item.strip().upper() not in out:
            out.append(item.strip().upper())
    return sorted(out)


def parse_consent(data: Any, problems: Problems, *, partial: bool, current: dict[str, Any] | None = None,
                  on: dt.date | None = None) -> dict[str, Any]:
    on = on or today()
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    given = {k: v for k, v in data.items() if k not in ("categories",)}
    values = parse_record(M.Consent, given, "", problems, partial=partial,
                          skip=frozenset({"client_id", "categories_json", "revoked_on"}),
                          ignore=frozenset({"id", "client_id", "recipient", "status", "used_in", "revoked_on"}))
    for key, enum_cls in (("consent_type", ConsentType), ("form", ConsentForm)):
        if values.get(key) is not None and values[key] not in enum_cls.__members__:
            problems.add(key, _("unknown value; allowed: {values}").format(values=", ".join(enum_cls.__members__)))
    if "categories" in data or not partial:
        values["categories_json"] = json.dumps(_parse_categories(data.get("categories"), "categories", problems))
    merged = {**(current or {}), **values}
    if merged.get("consent_type") in NEEDS_RECIPIENT and not merged.get("partner_id"):
        problems.add("partner_id", _("this consent names a recipient: choose the partner"))
    if merged.get("consent_type") in NEEDS_RECIPIENT and json.loads(merged.get("categories_json") or "[]") == []:
        problems.add("categories", _("name the categories of data it covers"))
    for key in ("given_on", "info_sheet_on"):
        day = values.get(key)
        if isinstance(day, dt.date) and day > on:
            problems.add(key, _("lies in the future"))
    a, b = merged.get("given_on"), merged.get("valid_until")
    if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
        problems.add("valid_until", _("lies before {field}").format(field="given_on"))
    if isinstance(values.get("purpose"), str):
        values["purpose"] = values["purpose"].strip()
    if merged.get("consent_type") == ConsentType.SCHWEIGEPFLICHTENTBINDUNG.value and not (merged.get("purpose") or "").strip():
        problems.add("purpose", _("a release from confidentiality states its purpose"))
    return values


def _check_refs(session: Any, client_id: str, values: dict[str, Any], problems: Problems) -> None:
    from gk_desktop.services.documents import check_document_refs

    if values.get("partner_id") and session.get(M.Partner, values["partner_id"]) is None:
        problems.add("partner_id", _("no such partner"))
    check_document_refs(session, client_id, problems, [("document_id", values.get("document_id"))])


def add_consent(vault: Any, case_code: str, data: Any, *, source: str = "cli") -> str:
    problems = Problems()
    values = parse_consent(data, problems, partial=False)
    problems.raise_if_any()
    with vault.session() as s:
        client = _client(s, case_code)
        _check_refs(s, client.id, values, problems)
        problems.raise_if_any()
        consent = M.Consent(client_id=client.id, **values)
        s.add(consent)
        s.flush()
        vault.record_event("create", session=s, source=source, target_table="consent", target_id=consent.id)
        s.commit()
        return consent.id


def update_consent(vault: Any, consent_id: str, data: Any, *, source: str = "cli") -> None:
    """Change a consent's details (a correction); a revoked consent stays as it was."""
    problems = Problems()
    with vault.session() as s:
        consent = _get(s, consent_id)
        if consent.revoked_on is not None:
            raise InputRejectedError(_("A revoked consent is kept as it was. Record a new consent instead."))
        current = {c.key: getattr(consent, c.key) for c in M.Consent.__table__.columns}
        values = parse_consent(data, problems, partial=True, current=current)
        _check_refs(s, consent.client_id, values, problems)
        used = s.execute(select(M.Disclosure.id).where(M.Disclosure.consent_id == consent.id).limit(1)).first()
        if used is not None:
            for key in ("consent_type", "partner_id", "categories_json", "given_on"):
                if key in values and values[key] != current[key]:
                    problems.add(key.removesuffix("_json"), _(
                        "data were passed on the strength of this consent; it stays as it was (record a new one)"))
        problems.raise_if_any()
        for k, v in values.items():
            if getattr(consent, k) != v:
                setattr(consent, k, v)
        vault.record_event("update", session=s, source=source, target_table="consent", target_id=consent.id)
        s.commit()


def revoke_consent(vault: Any, consent_id: str, on: dt.date | None = None, *, source: str = "cli") -> ConsentRow:
    """Revoke with effect from ``on`` (default today; not in the future, not before it was given)."""
    on = on or today()
    with vault.session() as s:
        consent = _get(s, consent_id)
        if consent.revoked_on is not None:
            raise InputRejectedError(_("This consent was already revoked on {date}.").format(date=_d(consent.revoked_on)))
        if on > today():
            raise InputRejectedError(_("A revocation cannot lie in the future."))
        if on < consent.given_on:
            raise InputRejectedError(_("The revocation cannot lie before the consent was given ({date}).").format(
                date=_d(consent.given_on)))
        consent.revoked_on = on
        vault.record_event("update", session=s, source=source, target_table="consent", target_id=consent.id)
        s.commit()
        return _consent_rows(s, [consent], on)[0]


def _get(session: Any, consent_id: str) -> Any:
    consent = session.get(M.Consent, consent_id)
    if consent is None:
        raise NotFoundError(_("No consent with this id."))
    return consent


def _consent_rows(session: Any, consents: list[Any], on: dt.date) -> list[ConsentRow]:
    names = dict(session.execute(select(M.Partner.id, M.Partner.name)).all())
    used: dict[str, list[str]] = {}
    ids = [c.id for c in consents]
    if ids:
        for did, cid in session.execute(select(M.Disclosure.id, M.Disclosure.consent_id).where(
                M.Disclosure.consent_id.in_(ids)).order_by(M.Disclosure.on, M.Disclosure.id)):
            used.setdefault(cid, []).append(did)
    return [ConsentRow(
        id=c.id, consent_type=c.consent_type, partner_id=c.partner_id, recipient=names.get(c.partner_id or "", ""),
        purpose=c.purpose, categories=tuple(json.loads(c.categories_json or "[]")), form=c.form, language=c.language,
        interpreted=c.interpreted, given_on=c.given_on, valid_until=c.valid_until, revoked_on=c.revoked_on,
        document_id=c.document_id, info_sheet_on=c.info_sheet_on, note=c.note,
        status=status_on(c.given_on, c.valid_until, c.revoked_on, on), used_in=tuple(used.get(c.id, ())),
    ) for c in consents]


def list_consents(vault: Any, client_id: str, on: dt.date | None = None) -> list[ConsentRow]:
    on = on or today()
    with vault.session() as s:
        consents = list(s.execute(select(M.Consent).where(M.Consent.client_id == client_id)
                                  .order_by(M.Consent.given_on.desc(), M.Consent.id.desc())).scalars())
        return _consent_rows(s, consents, on)


# --------------------------------------------------------------------------- disclosures


def content_hash(content: bytes | str) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def parse_disclosure(data: Any, problems: Problems) -> tuple[dict[str, Any], list[str], list[str]]:
    if not isinstance(data, dict):
        raise InputRejectedError(_("The input must be one JSON object. Nothing was changed."))
    given = {k: v for k, v in data.items() if k not in ("categories", "documents", "content")}
    values = parse_record(M.Disclosure, given, "", problems,
                          skip=frozenset({"client_id", "categories_json", "documents_json", "content_hash"}),
                          ignore=frozenset({"id", "client_id", "recipient", "content_hash"}))
    for key, enum_cls in (("legal_basis", LegalBasis), ("channel", SecureChannel)):
        if values.get(key) is not None and values[key] not in enum_cls.__members__:
            problems.add(key, _("unknown value; allowed: {values}").format(values=", ".join(enum_cls.__members__)))
    categories = _parse_categories(data.get("categories"), "categories", problems)
    if not categories:
        problems.add("categories", _("name the categories of data passed"))
    documents = data.get("documents") or []
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        problems.add("documents", _("expected a list of document ids"))
        documents = []
    if values.get("legal_basis") == LegalBasis.GESETZLICHE_PFLICHT.value and not (values.get("legal_norm") or "").strip():
        problems.add("legal_norm", _("name the norm that obliges to pass the data"))
    on = values.get("on")
    if isinstance(on, dt.date) and on > today():
        problems.add("on", _("lies in the future"))
    return values, categories, sorted(set(documents))


def record_disclosure(vault: Any, case_code: str, data: Any, *, content: bytes | str | None = None,
                      source: str = "cli") -> str:
    """Record one passing of data. With legal basis EINWILLIGUNG it is refused unless
    :func:`may_pass` says yes for that recipient and those categories on that day (the consent
    used is stored). ``content``: what was passed (a PDF, a text); its SHA-256 is stored."""
    problems = Problems()
    values, categories, documents = parse_disclosure(data, problems)
    problems.raise_if_any()
    with vault.session() as s:
        client = _client(s, case_code)
        if s.get(M.Partner, values["partner_id"]) is None:
            problems.add("partner_id", _("no such partner"))
            problems.raise_if_any()
        from gk_desktop.services.documents import check_document_refs

        check_document_refs(s, client.id, problems, [(f"documents[{i}]", d) for i, d in enumerate(documents)])
        problems.raise_if_any()
        basis = values.get("legal_basis") or LegalBasis.EINWILLIGUNG.value
        if basis == LegalBasis.EINWILLIGUNG.value:
            answer = may_pass(s, client.id, values["partner_id"], categories, values["on"])
            if not answer.allowed:
                raise InputRejectedError(answer.reason + " " + _("Nothing was passed on record. Record the consent first."))
            values["consent_id"] = answer.consent_id
        elif values.get("consent_id"):
            problems.add("consent_id", _("only with the legal basis EINWILLIGUNG"))
            problems.raise_if_any()
        if content is None:
            digest_source = json.dumps({"what": values.get("what", ""), "categories": categories, "documents": [
                s.get(M.Document, d).sha256 for d in documents]}, sort_keys=True, ensure_ascii=False)
            digest = content_hash(digest_source)
        else:
            digest = content_hash(content)
        disclosure = M.Disclosure(client_id=client.id, categories_json=json.dumps(categories),
                                  documents_json=json.dumps(documents), content_hash=digest, **values)
        s.add(disclosure)
        s.flush()
        vault.record_event("export", session=s, source=source, target_table="disclosure", target_id=disclosure.id)
        s.commit()
        return disclosure.id


def list_disclosures(vault: Any, client_id: str) -> list[DisclosureRow]:
    with vault.session() as s:
        names = dict(s.execute(select(M.Partner.id, M.Partner.name)).all())
        rows = s.execute(select(M.Disclosure).where(M.Disclosure.client_id == client_id)
                         .order_by(M.Disclosure.on.desc(), M.Disclosure.id.desc())).scalars()
        return [DisclosureRow(
            id=d.id, on=d.on, partner_id=d.partner_id, recipient=names.get(d.partner_id, ""), legal_basis=d.legal_basis,
            consent_id=d.consent_id, legal_norm=d.legal_norm, categories=tuple(json.loads(d.categories_json or "[]")),
            documents=tuple(json.loads(d.documents_json or "[]")), channel=d.channel, content_hash=d.content_hash,
            what=d.what, note=d.note) for d in rows]


__all__ = ["Answer", "ConsentRow", "DisclosureRow", "add_consent", "list_consents", "list_disclosures", "may_pass",
           "record_disclosure", "revoke_consent", "status_on", "update_consent"]
