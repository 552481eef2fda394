"""The consent form, the Art. 13 information sheet and the referral sheet: only consented data go
out, making the referral sheet records the disclosure once, the controller and the data-protection
officer come from the settings (or a placeholder to fill in by hand), both languages render, every
font is embedded and the metadata carry no names."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import func, select

from gk_desktop import i18n
from gk_desktop.documents import consent_forms
from gk_desktop.documents.consent_forms import document_language, load_text
from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, consents, cycle, offers, print_consent
from gk_desktop.settings import Settings
from gk_desktop.storage import models as M

from . import pdftools

TODAY = dt.date(2026, 11, 25)
CONTROLLER = "Stadt Rheine, Der Bürgermeister\nKlosterstraße 14, 48431 Rheine\nintegration@rheine.example"
DPO = "Datenschutzbeauftragte der Stadt Rheine\ndatenschutz@rheine.example"
SETTINGS = Settings(municipality_name="Stadt Rheine", controller_details=CONTROLLER, dpo_details=DPO,
                    retention_years=4)
EMPTY = Settings(municipality_name="Stadt Rheine")
ARABIC_FIRST, ARABIC_LAST = "شفيق", "عزيزي"
SCHOOL_CANARY = "Qqschulcanary"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())
    i18n.set_language("de")
    yield
    i18n.set_language("de")


@pytest.fixture
def case(open_vault):
    v = open_vault
    code = clients.add_client(v, {
        "first_name": "Sami", "last_name": "Haddad", "birth_date": "2003-05-06", "phone": "0151 2345678",
        "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2026-06-01", "valid_until": "2027-01-31",
                               "employment_permission": "NUR_MIT_ERLAUBNIS_ABH"}],
        "education_records": [{"institution": SCHOOL_CANARY, "programme": "Internationale Förderklasse",
                               "start_date": "2024-08-01"}],
    }).case_code
    school = offers.save_partner(v, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE",
                                     "address": "Mühlenstraße 1, 48431 Rheine"})
    offer = offers.save_offer(v, {"name": "Ausbildungsvorbereitung", "category": "GK_B4_VORBEREITUNG",
                                  "partner_id": school})
    return v, code, school, offer


def _release(v, code, partner, categories, **extra) -> str:
    return consents.add_consent(v, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": partner,
                                          "purpose": "Anmeldung zur Ausbildungsvorbereitung", "categories": categories,
                                          "given_on": "2026-10-01", **extra})


def _referral(v, code, offer, categories=("STAMMDATEN", "AUFENTHALT", "SCHULE_ZEUGNISSE")) -> str:
    chain = cycle.add_chain(v, code, {"title": "Weg in die Ausbildung"})
    return cycle.add_referral(v, chain, {"offer_id": offer, "categories": list(categories)})


def _disclosures(v) -> int:
    with v.session() as s:
        return s.execute(select(func.count()).select_from(M.Disclosure)).scalar_one()


def _client_id(v, code) -> str:
    return clients.show_client(v, code)["client"]["id"]


def _de(message: str) -> str:
    with document_language("de"):
        return i18n._(message)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_pdf(pdf: bytes, *forbidden: str) -> None:
    used = pdftools.fonts(pdf)
    assert used and all(embedded for _name, embedded in used), used
    assert not any("Helvetica" in name for name, _e in used)
    assert pdftools.qpdf_ok(pdf)
    meta = pdftools.info(pdf)
    assert meta.get("Author", "") == "" and meta.get("Subject", "") == ""
    for value in meta.values():
        for word in forbidden:
            assert word not in value


# --------------------------------------------------------------------------- the texts


def test_texts_load_with_tags_placeholders_and_fallback() -> None:
    blocks = load_text("consent", "de", {"validity": "vom 01.10.2026 bis zum 31.10.2027"},
                       tags=["SCHWEIGEPFLICHTENTBINDUNG"])
    kinds = {k for k, _t in blocks}
    assert {"heading", "para", "slot"} <= kinds
    text = " ".join(t for _k, t in blocks)
    assert "Schweigepflicht" in text and "Fallakte" not in text  # only the section of its type
    assert "vom 01.10.2026 bis zum 31.10.2027" in text and "{validity}" not in text
    assert [t for k, t in blocks if k == "slot"] == ["controller", "dpo", "signatures"]
    assert load_text("consent", "ti") == load_text("consent", "de")  # no Tigrinya file yet: German
    english = " ".join(t for _k, t in load_text("info_sheet", "en", {"retention_years": 3}))
    assert "supervisory authority" in english and "3 more years" in english
    bullets = [t for k, t in load_text("info_sheet", "de") if k == "bullet"]
    assert any("Art. 15 DSGVO" in b for b in bullets) and any("Art. 21 DSGVO" in b for b in bullets)


def test_a_value_with_braces_is_inserted_as_it_is() -> None:
    blocks = load_text("consent", "de", {"validity": "{retention_years} {x}"}, tags=["SONSTIGE"])
    assert any("{retention_years} {x}" in t for _k, t in blocks)


# --------------------------------------------------------------------------- the referral sheet


def test_referral_sheet_prints_only_consented_categories_and_records_once(case) -> None:
    v, code, school, offer = case
    consent = _release(v, code, school, ["STAMMDATEN", "AUFENTHALT"])
    referral = _referral(v, code, offer)
    pdf = print_consent.referral_sheet(v, code, referral, settings=SETTINGS)
    text = _flat(pdftools.text(pdf))
    assert "Sami Haddad" in text and "06.05.2003" in text and "0151 2345678" in text
    assert "Duldung (§ 60a)" in text and "31.01.2027" in text
    assert "Berufskolleg Rheine" in text and "Ausbildungsvorbereitung" in text and "25.11.2026" in text
    assert SCHOOL_CANARY not in text and "Förderklasse" not in text  # the category without consent
    not_passed = _de("Not passed (no consent): {categories}").format(categories="Schule und Zeugnisse")
    assert not_passed in text
    assert pdftools.info(pdf)["Title"] == _de("Handover sheet")
    _check_pdf(pdf, "Sami", "Haddad", code)
    (disclosure,) = consents.list_disclosures(v, _client_id(v, code))
    assert disclosure.categories == ("AUFENTHALT", "STAMMDATEN") and disclosure.consent_id == consent
    assert disclosure.partner_id == school and disclosure.legal_basis == "EINWILLIGUNG"
    assert disclosure.channel == print_consent.DEFAULT_CHANNEL and disclosure.on == TODAY
    assert disclosure.content_hash == hashlib.sha256(pdf).hexdigest()


def test_a_fully_covered_referral_names_nothing_as_not_passed(case) -> None:
    v, code, school, offer = case
    _release(v, code, school, ["STAMMDATEN", "AUFENTHALT", "SCHULE_ZEUGNISSE"])
    referral = _referral(v, code, offer)
    pdf = print_consent.referral_sheet(v, code, referral, settings=SETTINGS, lang="en", channel="PERSOENLICH")
    text = _flat(pdftools.text(pdf))
    assert SCHOOL_CANARY in text and "Not passed" not in text and "Handover sheet" in text
    assert "2027-01-31" in text  # English: ISO dates
    (disclosure,) = consents.list_disclosures(v, _client_id(v, code))
    assert disclosure.categories == ("AUFENTHALT", "SCHULE_ZEUGNISSE", "STAMMDATEN")
    assert disclosure.channel == "PERSOENLICH"


@pytest.mark.parametrize("setup", ["none", "expired", "revoked", "other_partner", "other_categories"])
def test_referral_sheet_without_a_valid_consent_raises_and_records_nothing(case, setup) -> None:
    v, code, school, offer = case
    if setup == "expired":
        _release(v, code, school, ["STAMMDATEN", "AUFENTHALT"], valid_until="2026-11-01")
    elif setup == "revoked":
        consents.revoke_consent(v, _release(v, code, school, ["STAMMDATEN", "AUFENTHALT"]), dt.date(2026, 11, 2))
    elif setup == "other_partner":
        other = offers.save_partner(v, {"name": "VHS Rheine", "partner_type": "BILDUNGSTRAEGER"})
        _release(v, code, other, ["STAMMDATEN", "AUFENTHALT"])
    elif setup == "other_categories":
        _release(v, code, school, ["GESUNDHEIT"])
    referral = _referral(v, code, offer)
    with pytest.raises(cycle.ConsentMissing) as err:
        print_consent.referral_sheet(v, code, referral, settings=SETTINGS)
    assert "Berufskolleg Rheine" in err.value.message and err.value.partner_id == school
    assert err.value.code == {"none": "KEINE", "expired": "ABGELAUFEN", "revoked": "WIDERRUFEN",
                              "other_partner": "KEINE", "other_categories": "KATEGORIEN"}[setup]
    assert _disclosures(v) == 0


def test_referral_sheet_consent_checked_on_the_day_of_the_sheet(case) -> None:
    v, code, school, offer = case
    _release(v, code, school, ["STAMMDATEN"], valid_until="2026-11-10")
    referral = _referral(v, code, offer, ("STAMMDATEN",))
    with pytest.raises(cycle.ConsentMissing):
        print_consent.referral_sheet(v, code, referral, settings=SETTINGS)
    pdf = print_consent.referral_sheet(v, code, referral, settings=SETTINGS, on=dt.date(2026, 11, 5))
    assert "05.11.2026" in pdftools.text(pdf)
    (disclosure,) = consents.list_disclosures(v, _client_id(v, code))
    assert disclosure.on == dt.date(2026, 11, 5)
    with pytest.raises(InputRejectedError):
        print_consent.referral_sheet(v, code, referral, settings=SETTINGS, on=dt.date(2026, 11, 26))
    with pytest.raises(InputRejectedError):
        print_consent.referral_sheet(v, code, referral, settings=SETTINGS, channel="BRIEFTAUBE")
    assert _disclosures(v) == 1


def test_referral_sheet_of_another_client_or_unknown_id_is_not_found(case) -> None:
    v, code, school, offer = case
    _release(v, code, school, ["STAMMDATEN"])
    referral = _referral(v, code, offer, ("STAMMDATEN",))
    other = clients.add_client(v, {"first_name": "Lina", "last_name": "Omar", "birth_date": "2004-02-03"}).case_code
    with pytest.raises(NotFoundError):
        print_consent.referral_sheet(v, other, referral, settings=SETTINGS)
    with pytest.raises(NotFoundError):
        print_consent.referral_sheet(v, code, "no-such-id", settings=SETTINGS)
    assert _disclosures(v) == 0


# --------------------------------------------------------------------------- the consent form


def test_consent_form_in_german_with_controller_and_dpo(case) -> None:
    v, code, school, _offer = case
    consent = _release(v, code, school, ["STAMMDATEN", "AUFENTHALT"], valid_until="2027-10-31")
    pdf = print_consent.consent_form(v, code, consent, settings=SETTINGS)
    text = _flat(pdftools.text(pdf))
    for needle in ("Sami Haddad", code, "Berufskolleg Rheine", "Mühlenstraße 1",
                   "Anmeldung zur Ausbildungsvorbereitung",
                   "Stammdaten", "Aufenthalt", "01.10.2026", "31.10.2027", "widerrufen", "freiwillig",
                   "Klosterstraße 14, 48431 Rheine", "datenschutz@rheine.example"):
        assert needle in text, needle
    release = _de(consent_forms.TITLE_RELEASE)  # "Schweigepflichtentbindung"
    assert pdftools.info(pdf)["Title"] == release
    assert f"{release} · {code}" in text  # the running header
    assert _de("(please fill in)") not in text
    assert _de("Signature of the interpreter") not in text  # not interpreted
    _check_pdf(pdf, "Sami", "Haddad")


def test_consent_form_placeholder_when_the_settings_are_empty(case) -> None:
    v, code, school, _offer = case
    consent = _release(v, code, school, ["STAMMDATEN"])
    text = _flat(pdftools.text(print_consent.consent_form(v, code, consent, settings=EMPTY)))
    assert text.count(_de("(please fill in)")) == 2  # controller and data-protection officer
    assert _de("name, address and contact of the controller") in text


def test_consent_form_in_english_and_in_the_consent_language(case) -> None:
    v, code, school, _offer = case
    english = _release(v, code, school, ["STAMMDATEN"], language="en", interpreted=True)
    pdf = print_consent.consent_form(v, code, english, settings=SETTINGS)  # the consent's language
    text = _flat(pdftools.text(pdf))
    assert "Release from confidentiality" in text and "voluntary" in text and "revoke" in text
    assert "2026-10-01" in text and "Signature of the interpreter" in text
    assert pdftools.info(pdf)["Title"] == "Release from confidentiality"
    german = _flat(pdftools.text(print_consent.consent_form(v, code, english, settings=SETTINGS, lang="de")))
    assert "freiwillig" in german
    arabic = _release(v, code, school, ["STAMMDATEN"], language="ar")
    assert "freiwillig" in pdftools.text(print_consent.consent_form(v, code, arabic, settings=SETTINGS))
    assert i18n.language() == "de"  # the screen's language is left as it was


def test_consent_form_of_other_types(case) -> None:
    v, code, _school, _offer = case
    file_consent = consents.add_consent(v, code, {"consent_type": "VERARBEITUNG_FALLAKTE", "purpose": "Beratung",
                                                  "given_on": "2026-10-01", "form": "MUENDLICH_DOKUMENTIERT"})
    pdf = print_consent.consent_form(v, code, file_consent, settings=SETTINGS)
    text = _flat(pdftools.text(pdf))
    assert pdftools.info(pdf)["Title"] == _de(consent_forms.TITLE_CONSENT)
    assert "Fallakte" in text and "Schweigepflicht" not in text
    consents.revoke_consent(v, file_consent, TODAY)
    text = _flat(pdftools.text(print_consent.consent_form(v, code, file_consent, settings=SETTINGS)))
    assert "25.11.2026" in text  # the revocation is shown
    with pytest.raises(NotFoundError):
        print_consent.consent_form(v, code, "no-such-consent", settings=SETTINGS)


def test_blank_consent_form_for_the_client(case) -> None:
    v, code, _school, _offer = case
    pdf = print_consent.consent_form(v, code, None, settings=SETTINGS)
    text = _flat(pdftools.text(pdf))
    assert "Sami Haddad" in text and code in text and "widerrufen" in text
    for category in ("Stammdaten", "Aufenthalt", "Schule und Zeugnisse", "Gesundheit"):
        assert category in text
    assert _de("Signature of the interpreter") in text and _de("Signature of the client") in text
    _check_pdf(pdf, "Sami", "Haddad")


def test_an_arabic_name_round_trips_on_the_consent_form(open_vault) -> None:
    v = open_vault
    code = clients.add_client(v, {"first_name": ARABIC_FIRST, "last_name": ARABIC_LAST,
                                  "birth_date": "2002-01-15"}).case_code
    partner = offers.save_partner(v, {"name": "Jobcenter Rheine", "partner_type": "BEHOERDE"})
    consent = _release(v, code, partner, ["STAMMDATEN"])
    pdf = print_consent.consent_form(v, code, consent, settings=SETTINGS)
    assert {ARABIC_FIRST, ARABIC_LAST} <= pdftools.words(pdf)
    assert {n.split("+")[-1] for n, _e in pdftools.fonts(pdf)} >= {"NotoSansArabic-Regular", "NotoSans-Regular"}
    _check_pdf(pdf, ARABIC_FIRST, ARABIC_LAST)
    blank = print_consent.consent_form(v, code, None, settings=SETTINGS, lang="en")
    assert {ARABIC_FIRST, ARABIC_LAST} <= pdftools.words(blank)


# --------------------------------------------------------------------------- the information sheet


def test_info_sheet_in_german_without_personal_data(case) -> None:
    v, code, _school, _offer = case
    pdf = print_consent.info_sheet(settings=SETTINGS)
    text = _flat(pdftools.text(pdf))
    for needle in ("Art. 13", "Klosterstraße 14, 48431 Rheine", "datenschutz@rheine.example", "4 Jahre",
                   "LDI NRW", "Art. 6 Abs. 1 Buchstabe a", "Art. 9 Abs. 2 Buchstabe a", "widerrufen", "freiwillig",
                   "Berichtigen".lower(), "Einschränk", "widersprechen", "Stadt Rheine"):
        assert needle.lower() in text.lower(), needle
    assert "GK-" not in text and "Sami" not in text
    assert pdftools.info(pdf)["Title"] == _de("Information under Art. 13 GDPR")
    _check_pdf(pdf)
    with_code = _flat(pdftools.text(print_consent.info_sheet(v, code.lower(), settings=SETTINGS)))
    assert with_code.count(code) == int(pdftools.info(pdf)["Pages"]) and "Sami" not in with_code
    with pytest.raises(NotFoundError):
        print_consent.info_sheet(v, "GK-26-NOSUCH", settings=SETTINGS)


def test_info_sheet_placeholder_and_english() -> None:
    text = _flat(pdftools.text(print_consent.info_sheet(settings=EMPTY)))
    assert text.count(_de("(please fill in)")) == 2
    english = print_consent.info_sheet(settings=SETTINGS, lang="en")
    etext = _flat(pdftools.text(english))
    assert "Information under Art. 13 GDPR" in etext and "supervisory authority" in etext and "4 more years" in etext
    assert "voluntary" in etext and "confidential" in etext  # the footer speaks English too
    _check_pdf(english)


def test_dates_and_titles() -> None:
    assert consent_forms.format_date(dt.date(2026, 3, 4), "de") == "04.03.2026"
    assert consent_forms.format_date(dt.date(2026, 3, 4), "en") == "2026-03-04"
    with document_language("en"):
        assert consent_forms.consent_title("SCHWEIGEPFLICHTENTBINDUNG") == "Release from confidentiality"
        assert consent_forms.consent_title("VERARBEITUNG_FALLAKTE") == "Consent"
    assert i18n.language() == "de"


def test_shots(case, tmp_path) -> None:
    """Render every document once (pdftoppm) so that a layout error that breaks rendering fails."""
    import subprocess

    v, code, school, offer = case
    consent = _release(v, code, school, ["STAMMDATEN", "AUFENTHALT"])
    referral = _referral(v, code, offer)
    docs = {"consent": print_consent.consent_form(v, code, consent, settings=SETTINGS),
            "info": print_consent.info_sheet(settings=EMPTY),
            "referral": print_consent.referral_sheet(v, code, referral, settings=SETTINGS)}
    for name, pdf in docs.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / name)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and list(tmp_path.glob(f"{name}-*.png")), out.stderr
    assert re.search(r"[0-9a-f]{64}", consents.list_disclosures(v, _client_id(v, code))[0].content_hash)
