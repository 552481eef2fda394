"""Printing the consent form, the Art. 13 information sheet and the referral sheet (Übergabebogen).

Each function reads what its document needs in one short session, builds the PDF in memory
(documents/consent_forms.py, documents/referral_sheet.py) and returns the bytes; nothing is written
to disk. The referral sheet is a passing of data: it is made only when a valid release from
confidentiality towards the referral's partner covers at least one of the referral's categories,
it prints only the covered categories, and making it records the Disclosure (categories printed,
the consent, the channel, the SHA-256 of the PDF).

Errors (NotFoundError, InputRejectedError, :class:`gk_desktop.services.cycle.ConsentMissing`) speak
the language of the screen; the documents speak theirs (``lang``; German by default).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from gk_desktop.documents import consent_forms, referral_sheet as sheet
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import PASSING_CONSENT_TYPES, SecureChannel
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.i18n import _
from gk_desktop.storage import models as M

__all__ = ["DEFAULT_CHANNEL", "consent_form", "info_sheet", "referral_sheet"]

# A printed sheet reaches the provider on paper: by letter unless the caller says otherwise.
DEFAULT_CHANNEL = SecureChannel.POST.value


def _settings(settings: Any) -> Any:
    if settings is not None:
        return settings
    from gk_desktop.settings import Settings

    return Settings.load()


def _client(session: Any, case_code: str) -> Any:
    from gk_desktop.services.clients import _get_client

    return _get_client(session, case_code)


def _full_name(client: Any) -> str:
    return " ".join(p for p in (client.first_name, client.last_name) if p)


# --------------------------------------------------------------------------- consent form


def consent_form(vault: Any, case_code: str, consent_id: str | None = None, *, settings: Any = None,
                 lang: str | None = None, source: str = "gui") -> bytes:
    """The consent form of a recorded consent, or with ``consent_id`` None a blank form for the
    client (recipient, purpose and data to fill in by hand). Language: ``lang``, else the
    consent's language when it is de or en, else German."""
    with vault.session() as s:
        client = _client(s, case_code)
        consent = None
        if consent_id:
            consent = s.get(M.Consent, consent_id)
            if consent is None or consent.client_id != client.id:
                raise NotFoundError(_("No consent with this id."))
        partner = s.get(M.Partner, consent.partner_id) if consent is not None and consent.partner_id else None
        if consent is None:
            data = consent_forms.ConsentFormData(case_code=client.case_code, client_name=_full_name(client),
                                                 birth_date=client.birth_date)
        else:
            data = consent_forms.ConsentFormData(
                case_code=client.case_code, client_name=_full_name(client), birth_date=client.birth_date,
                consent_type=consent.consent_type, recipient=partner.name if partner else "",
                recipient_address=partner.address if partner else "", purpose=consent.purpose or "",
                categories=tuple(json.loads(consent.categories_json or "[]")), given_on=consent.given_on,
                valid_until=consent.valid_until, revoked_on=consent.revoked_on, form=consent.form,
                interpreted=bool(consent.interpreted), language=consent.language or "")
        vault.record_event("view", session=s, source=source, target_table="consent" if consent else "client",
                           target_id=consent.id if consent else client.id)
        s.commit()
    if lang is None:
        given = (data.language or "").split("_")[0].lower()
        lang = given if given in consent_forms.SHIPPED_LANGUAGES else consent_forms.DEFAULT_TEXT_LANGUAGE
    return consent_forms.build_consent_form(data, _settings(settings), lang)


# --------------------------------------------------------------------------- information sheet


def info_sheet(vault: Any = None, case_code: str | None = None, *, settings: Any = None,
               lang: str | None = None) -> bytes:
    """The information under Art. 13 DSGVO (no personal data; the case code in the header only
    when given — checked against the vault when one is given)."""
    code = None
    if case_code:
        from gk_desktop.services.clients import normalise_code

        code = normalise_code(case_code)
        if vault is not None:
            with vault.session() as s:
                code = _client(s, code).case_code
    return consent_forms.build_info_sheet(_settings(settings), lang or consent_forms.DEFAULT_TEXT_LANGUAGE, code)


# --------------------------------------------------------------------------- referral sheet


def _valid_consents(session: Any, client_id: str, partner_id: str, on: dt.date) -> list[Any]:
    from gk_desktop.services.consents import GUELTIG, status_on

    passing = {t.value for t in PASSING_CONSENT_TYPES}
    return [c for c in session.execute(select(M.Consent).where(
        M.Consent.client_id == client_id, M.Consent.partner_id == partner_id)).scalars()
        if c.consent_type in passing and status_on(c.given_on, c.valid_until, c.revoked_on, on) == GUELTIG]


def referral_sheet(vault: Any, case_code: str, referral_id: str, *, settings: Any = None, lang: str | None = None,
                   on: dt.date | None = None, source: str = "gui", channel: str = DEFAULT_CHANNEL) -> bytes:
    """The handover sheet of a referral for its provider, dated ``on`` (default today), with only
    the data categories a release from confidentiality valid towards that provider on that day
    covers; the referral's other categories are named as not passed. Making it records the
    Disclosure. Refused with :class:`~gk_desktop.services.cycle.ConsentMissing` (and nothing
    recorded) when no valid consent covers any of the referral's categories for that recipient."""
    from gk_desktop.services import clients, consents
    from gk_desktop.services.cycle import ConsentMissing

    on = on or today()
    if on > today():
        raise InputRejectedError(_("A handover sheet cannot be dated in the future."))
    channel = (channel or "").strip().upper()
    if channel not in SecureChannel.__members__:
        raise InputRejectedError(_("unknown value; allowed: {values}").format(
            values=", ".join(SecureChannel.__members__)))
    with vault.session() as s:
        client = _client(s, case_code)
        referral = s.get(M.Referral, referral_id) if referral_id else None
        chain = s.get(M.ServiceChain, referral.chain_id) if referral is not None else None
        case = s.get(M.Case, chain.case_id) if chain is not None else None
        if case is None or case.client_id != client.id:
            raise NotFoundError(_("This client has no such referral."))
        if not referral.passes_data:
            raise InputRejectedError(_("This referral passes no personal data; there is nothing to hand over."))
        if referral.partner_id is None:
            raise InputRejectedError(_(
                "The referral names no recipient: choose the offer's provider or a partner first."))
        partner = s.get(M.Partner, referral.partner_id)
        wanted = sorted(set(json.loads(referral.categories_json or "[]")))
        if not wanted:
            raise InputRejectedError(_("The referral names no data categories: there is nothing to hand over."))
        valid = _valid_consents(s, client.id, referral.partner_id, on)
        best: set[str] = set()
        for c in sorted(valid, key=lambda c: (c.given_on, c.id), reverse=True):
            covered = set(json.loads(c.categories_json or "[]")) & set(wanted)
            if len(covered) > len(best):
                best = covered
        passed, not_passed = sheet.passed_and_not(wanted, sorted(best))
        answer = consents.may_pass(s, client.id, referral.partner_id, passed or wanted, on)
        if not passed or not answer.allowed:
            raise ConsentMissing(
                _("No handover sheet for {recipient}: {reason}").format(recipient=partner.name if partner else "–",
                                                                        reason=answer.reason),
                partner_id=referral.partner_id, categories=tuple(wanted), code=answer.code)
        consent = s.get(M.Consent, answer.consent_id)
        offer = s.get(M.Offer, referral.offer_id) if referral.offer_id else None
        contact = s.get(M.PartnerContact, referral.partner_contact_id) if referral.partner_contact_id else None
        offer_name = offer.name if offer is not None else chain.title
        facts = dict(
            case_code=client.case_code, on=on, recipient=partner.name if partner else "",
            recipient_address=partner.address if partner else "", offer=offer_name,
            contact_person=", ".join(p for p in ((contact.name, contact.role) if contact else ()) if p),
            consent_type=consent.consent_type, consent_given_on=consent.given_on,
            consent_valid_until=consent.valid_until, consent_purpose=consent.purpose or "",
            passed=passed, not_passed=not_passed)
        partner_id = referral.partner_id
    client_data = clients.show_client(vault, case_code, source=source, on=on)["client"]
    pdf = sheet.build_referral_sheet(sheet.ReferralSheetData(client=client_data, **facts), _settings(settings),
                                     lang or consent_forms.DEFAULT_TEXT_LANGUAGE)
    consents.record_disclosure(vault, case_code, {
        "on": on.isoformat(), "partner_id": partner_id, "legal_basis": "EINWILLIGUNG", "categories": list(passed),
        "channel": channel, "what": _("Handover sheet: {offer}").format(offer=offer_name),
    }, content=pdf, source=source)
    return pdf
