"""The Fallblatt and the Zielvereinbarung: every name prints (and reads back), every font is
embedded, the structure is valid, the metadata and the running header carry no name, empty sections
are left out, the agreement says "freiwillig, aber verbindlich", and a demo case fits three pages."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest

from gk_desktop import i18n
from gk_desktop.documents import agreement as agreement_doc
from gk_desktop.documents import casesheet as casesheet_doc
from gk_desktop.errors import NotFoundError
from gk_desktop.services import clients, consents, contacts, cycle, demo, offers, print_case
from gk_desktop.settings import Settings

from . import pdftools

TODAY = dt.date(2026, 11, 25)
_ = i18n._

# One name per script the office meets: Latin with diacritics, Turkish, Kurdish (Latin and
# Sorani), Arabic, Persian, Tigrinya and Amharic (Ethiopic).
NAMES = {
    "latin": ("Jürgen", "Müller-Lüdenscheidt"),
    "turkish": ("Şükrü İçli", "Yılmaz Ağrı"),
    "kurdish_latin": ("Şêrko Hêvî", "Xwîn"),
    "arabic": ("شفيق", "عزيزي"),
    "persian": ("پژمان ژیلا", "رضایی"),
    "kurdish_sorani": ("ڕۆژان", "ئەحمەد"),
    "tigrinya": ("ተስፋይ", "ገብረሚካኤል"),
    "amharic": ("ሰላም", "አበበ"),
}
VARIANTS = ["Schafik Asisi", "شفیق عزیزی", "ሰላም አበበ", "Şêrko Hêvî", "ڕۆژان ئەحمەد"]
NOTE_CHOSEN = "Zzchosen Gespräch über die Ausbildung"
NOTE_OTHER = "Zzother Gespräch über die Wohnung"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())
    before = i18n.language()
    i18n.set_language("de")
    yield
    i18n.set_language(before)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.load(tmp_path / "config").with_value("municipality_name", "Stadt Rheine")


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFKC", text)))


def _flat(pdf: bytes) -> str:
    """The text with every run of white space as one space (lines break anywhere)."""
    return " ".join(pdftools.text(pdf).split())


def _pages(pdf: bytes) -> list[str]:
    return [p for p in pdftools.text(pdf).split("\f") if p.strip()]


def _check_pdf(pdf: bytes, title: str, code: str, *names: str) -> None:
    """Valid, every font embedded (no Helvetica), the metadata name the kind only, and every page's
    running header carries the case code."""
    assert pdftools.qpdf_ok(pdf)
    used = pdftools.fonts(pdf)
    assert used and all(embedded for _name, embedded in used), used
    assert not any("Helvetica" in name for name, _e in used)
    meta = pdftools.info(pdf)
    assert meta["Title"] == title
    assert meta.get("Author", "") == "" and meta.get("Subject", "") == "" and meta.get("Keywords", "") == ""
    for value in meta.values():
        assert code not in value
        for name in names:
            for word in _words(name):
                assert word not in value
    pages = _pages(pdf)
    assert len(pages) == int(meta["Pages"])
    header = f"{title} · {code}"
    assert all(header in " ".join(page.split()) for page in pages)


def _full_client(vault) -> tuple[str, dict[str, str]]:
    """A client with a whole cycle: histories, assessment, goals, steps, an agreement, a service
    chain with a referral that passed data on a consent, and two interviews."""
    first, last = NAMES["turkish"]
    code = clients.add_client(vault, {
        "first_name": first, "last_name": last, "birth_date": "2003-01-01", "birth_date_fictitious": True,
        "gender": "MAENNLICH", "entry_date_de": "2019-05-02", "address": "Emsstraße 12, 48431 Rheine",
        "phone": "+49 1570 0000000", "responsible_abh": "ABH Rheine",
        "name_variants": [VARIANTS[0], *({"name": v, "kind": "ORIGINALSCHRIFT"} for v in VARIANTS[1:])],
        "nationalities": ["SY"], "languages": [{"language": "ar", "level": "MUTTERSPRACHE"},
                                               {"language": "de", "level": "B1"}],
        "residence_periods": [
            {"status": "AUFENTHALTSGESTATTUNG", "valid_from": "2019-05-02", "valid_until": "2021-03-31"},
            {"status": "DULDUNG_60A", "valid_from": "2021-04-01", "valid_until": "2027-01-31",
             "employment_permission": "NUR_MIT_ERLAUBNIS_ABH", "issuing_office": "ABH Rheine"},
        ],
        "asylum_procedures": [{"stage": "RECHTSKRAEFTIG", "applied_on": "2019-05-20"}],
        "identity_status": {"clarified": "TEILWEISE", "documents_available": "Geburtsurkunde"},
        "identity_efforts": [{"date": "2026-03-01", "action": "BOTSCHAFTSTERMIN", "result": "Termin verschoben"}],
        "education_records": [{"institution": "Berufskolleg Rheine", "programme": "Internationale Förderklasse",
                               "country": "DE", "start_date": "2020-08-12", "end_date": "2022-07-01",
                               "qualification": "HSA_9"}],
        "language_certificates": [{"language": "de", "level": "B1", "evidence": "telc Deutsch B1",
                                   "date": "2023-06-10"}],
        "work_records": [{"type": "AUSBILDUNG_QUALIFIZIERT", "employer": "Elektro Meyer GmbH",
                          "occupation": "Elektroniker", "start_date": "2024-08-01",
                          "planned_end_date": "2027-07-31", "hours_per_week": 39}],
        "case": {"access_route": "AUSLAENDERBEHOERDE", "request": "Sucht Unterstützung bei der Ausbildung."},
    }).case_code
    school = offers.save_partner(vault, {"name": "Berufskolleg Rheine", "partner_type": "SCHULE"})
    offer = offers.save_offer(vault, {"name": "Ausbildungsvorbereitung", "category": "GK_B4_VORBEREITUNG",
                                      "partner_id": school})
    cycle.add_assessment(vault, code, {"date": "2026-10-01", "summary": "Erstes Assessment",
                                       "needs": [{"need_area": "SPRACHE", "description": "Deutsch B2 für die Berufsschule",
                                                  "own_view": "Ich möchte besser schreiben.", "priority": 1},
                                                 {"need_area": "WOHNEN", "status": "NICHT_DECKBAR",
                                                  "description": "Eigene Wohnung", "gap_note": "kein Wohnraum"}],
                                       "resources": [{"resource_type": "MOTIVATION", "description": "sehr motiviert"}]})
    goal = cycle.add_goal(vault, code, {"need_area": "AUSBILDUNG", "statement": "Ein Ausbildungsplatz ist gefunden",
                                        "target_on": "2027-05-25"})
    steps = [
        cycle.add_task(vault, code, {"goal_id": goal, "description": "Bewerbungsmappe erstellen",
                                     "responsible": "KLIENT", "due_on": "2026-12-01"}),
        cycle.add_task(vault, code, {"goal_id": goal, "description": "Praktikumsbetriebe anfragen",
                                     "responsible": "FACHKRAFT", "due_on": "2026-12-15"}),
        cycle.add_task(vault, code, {"goal_id": goal, "description": "Platz in der Ausbildungsvorbereitung prüfen",
                                     "responsible": "PARTNER", "partner_id": school, "due_on": "2027-01-15"}),
    ]
    agreement = cycle.add_agreement(vault, code, {"date": "2026-11-25", "goals": [goal], "tasks": steps,
                                                  "place": "Rheine", "language": "ar"})
    consents.add_consent(vault, code, {"consent_type": "SCHWEIGEPFLICHTENTBINDUNG", "partner_id": school,
                                       "purpose": "Anmeldung zur Ausbildungsvorbereitung",
                                       "categories": ["STAMMDATEN", "SCHULE_ZEUGNISSE"], "given_on": "2026-10-01",
                                       "valid_until": "2027-10-01"})
    chain = cycle.add_chain(vault, code, {"title": "Weg in die Ausbildung", "goal_id": goal})
    referral = cycle.add_referral(vault, chain, {"offer_id": offer, "categories": ["STAMMDATEN", "SCHULE_ZEUGNISSE"]})
    cycle.set_referral_status(vault, referral, "ANGEFRAGT")
    chosen = contacts.add_contact(vault, code, {"datetime": "2026-11-20T10:00:00+01:00", "contact_type": "PERSOENLICH",
                                                "duration_min": 45, "note": NOTE_CHOSEN})
    contacts.add_contact(vault, code, {"datetime": "2026-11-21T10:00:00+01:00", "note": NOTE_OTHER})
    return code, {"goal": goal, "agreement": agreement, "interview": chosen}


# --------------------------------------------------------------------------- Fallblatt


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_in_any_script_round_trips(open_vault, settings, script) -> None:
    first, last = NAMES[script]
    code = clients.add_client(open_vault, {"first_name": first, "last_name": last, "birth_date": "2002-03-04"}).case_code
    pdf = print_case.casesheet(open_vault, code, settings=settings)
    assert _words(first) | _words(last) <= pdftools.words(pdf), script
    _check_pdf(pdf, "Fallblatt", code, first, last)


def test_the_whole_file_prints(open_vault, settings) -> None:
    code, _ids = _full_client(open_vault)
    first, last = NAMES["turkish"]
    pdf = print_case.casesheet(open_vault, code, settings=settings)
    _check_pdf(pdf, _(casesheet_doc.CASE_SHEET), code, first, last, *VARIANTS)
    got = pdftools.words(pdf)
    for name in (first, last, *VARIANTS):
        assert _words(name) <= got, name
    text = _flat(pdf)
    for heading in (casesheet_doc.S_PERSONAL, casesheet_doc.S_RESIDENCE, casesheet_doc.S_IDENTITY,
                    casesheet_doc.S_EDUCATION, casesheet_doc.S_NEEDS, casesheet_doc.S_GOALS,
                    casesheet_doc.S_REFERRALS, casesheet_doc.S_CONSENTS, casesheet_doc.S_DEADLINES):
        assert _(heading) in text, heading
    for fact in ("01.01.2003", "Geburtsurkunde", "Elektroniker", "telc Deutsch B1", "Deutsch B2 für die Berufsschule",
                 "Ein Ausbildungsplatz ist gefunden", "Bewerbungsmappe erstellen", "01.12.2026",
                 "Weg in die Ausbildung", "Ausbildungsvorbereitung", "Anmeldung zur Ausbildungsvorbereitung",
                 "Stadt Rheine", "25.11.2026", "Duldung (§ 60a)", "01.04.2021 – 31.01.2027"):
        assert fact in text, fact
    assert "2026-11-25" not in text  # German dates
    assert _(casesheet_doc.S_INTERVIEWS) not in text and "Zzchosen" not in text  # none chosen
    used = {name.split("+")[-1] for name, _e in pdftools.fonts(pdf)}
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Regular", "NotoSansEthiopic-Regular"} <= used


def test_only_the_chosen_interviews_print(open_vault, settings) -> None:
    code, ids = _full_client(open_vault)
    pdf = print_case.casesheet(open_vault, code, settings=settings, interview_ids=[ids["interview"]])
    text = _flat(pdf)
    assert _(casesheet_doc.S_INTERVIEWS) in text
    assert NOTE_CHOSEN in text and "Zzother" not in text
    assert "20.11.2026" in text


def test_empty_sections_are_left_out(open_vault, settings) -> None:
    first, last = NAMES["latin"]
    code = clients.add_client(open_vault, {"first_name": first, "last_name": last, "birth_date": "2002-03-04"}).case_code
    text = _flat(print_case.casesheet(open_vault, code, settings=settings, interview_ids=[]))
    assert _(casesheet_doc.S_PERSONAL) in text
    for heading in (casesheet_doc.S_RESIDENCE, casesheet_doc.S_IDENTITY, casesheet_doc.S_EDUCATION,
                    casesheet_doc.S_NEEDS, casesheet_doc.S_GOALS, casesheet_doc.S_REFERRALS, casesheet_doc.S_CONSENTS,
                    casesheet_doc.S_INTERVIEWS):
        assert _(heading) not in text, heading
    for label in ("Ziele", "Adresse", "Telefon", "Namensvarianten"):
        assert label not in text, label


def test_the_language_is_switched_for_the_document_and_back(open_vault, settings) -> None:
    code, _ids = _full_client(open_vault)
    pdf = print_case.casesheet(open_vault, code, settings=settings, lang="en")
    assert i18n.language() == "de"
    text = _flat(pdf)
    assert pdftools.info(pdf)["Title"] == "Case sheet"
    assert "Goals and steps" in text and "2026-11-25" in text and "25.11.2026" not in text
    with pytest.raises(NotFoundError):
        print_case.casesheet(open_vault, "GK-00-NOPE00", settings=settings, lang="en")
    assert i18n.language() == "de"


def test_a_demo_case_fits_three_pages(open_vault, settings) -> None:
    demo.generate(open_vault, 8, seed=11)
    rows = clients.list_clients(open_vault)
    with_goals = 0
    for row in rows:
        pdf = print_case.casesheet(open_vault, row.case_code, settings=settings)
        pages = int(pdftools.info(pdf)["Pages"])
        assert pages <= 3, (row.case_code, pages)
        assert _words(row.first_name) | _words(row.last_name) <= pdftools.words(pdf)
        with_goals += _(casesheet_doc.S_GOALS) in _flat(pdf)
    assert with_goals >= 1
    _check_pdf(pdf, "Fallblatt", row.case_code, row.first_name, row.last_name)


def test_build_needs_no_vault() -> None:
    from gk_desktop.documents.template import PageInfo

    data = {"case_code": "GK-26-ABC123", "printed_on": "2026-11-25", "client": {
        "first_name": "ተስፋይ", "last_name": "رضایی", "birth_date": "2001-02-03",
        "residence_periods": [{"status": "DULDUNG_60B", "valid_from": "2025-01-01"}]}}
    pdf = casesheet_doc.build(data, PageInfo("Fallblatt", "GK-26-ABC123"))
    text = _flat(pdf)
    assert _("Duldung für Personen mit ungeklärter Identität (§ 60b)") in text
    assert _words("ተስፋይ رضایی") <= pdftools.words(pdf)


def test_long_input_flows_across_pages() -> None:
    """Long values (a long request, a word longer than a column, a long interview) break across
    pages instead of stopping the build; nothing is lost."""
    from gk_desktop.documents.template import PageInfo

    long = " ".join(f"Zzword{i} شفيق ሰላም" for i in range(700))
    word = "Zzlong" + "x" * 600
    data = {"case_code": "GK-26-ABC123", "printed_on": "2026-11-25",
            "case": {"request": long, "phase": "UMSETZUNG"},
            "client": {"first_name": word, "last_name": "Berg", "birth_date": "2001-02-03",
                       "identity_efforts": [{"date": "2025-01-01", "action": "SONSTIGES", "result": long}]},
            "consents": [{"consent_type": "SONSTIGE", "purpose": long, "given_on": "2025-01-01", "status": "GUELTIG"}],
            "interviews": [{"datetime": "2026-11-20T09:00:00+00:00", "note": long}]}
    pdf = casesheet_doc.build(data, PageInfo("Fallblatt", "GK-26-ABC123"))
    assert pdftools.qpdf_ok(pdf) and int(pdftools.info(pdf)["Pages"]) > 3
    text = pdftools.text(pdf)
    assert text.count("Zzword699") == 4 and text.count("Zzword0 ") + text.count("Zzword0\n") >= 4
    assert "Zzlong" in text


# --------------------------------------------------------------------------- Zielvereinbarung


def test_the_agreement_holds_goals_steps_and_signatures(open_vault, settings) -> None:
    code, ids = _full_client(open_vault)
    first, last = NAMES["turkish"]
    pdf = print_case.agreement(open_vault, code, settings=settings)
    _check_pdf(pdf, "Zielvereinbarung", code, first, last)
    assert int(pdftools.info(pdf)["Pages"]) == 1
    text = _flat(pdf)
    assert "freiwillig, aber verbindlich" in text
    for fact in ("Ein Ausbildungsplatz ist gefunden", "25.05.2027", "Bewerbungsmappe erstellen", "01.12.2026",
                 "Praktikumsbetriebe anfragen", "Berufskolleg Rheine", "15.01.2027", "Rheine, 25.11.2026",
                 "Klient:in", "Fachkraft", "Arabisch", "Stadt Rheine"):
        assert fact in text, fact
    assert _words(first) | _words(last) <= pdftools.words(pdf)  # under the client's signature line
    assert print_case.agreement(open_vault, code, ids["agreement"], settings=settings) == pdf


def test_the_agreement_in_english(open_vault, settings) -> None:
    code, _ids = _full_client(open_vault)
    text = _flat(print_case.agreement(open_vault, code, settings=settings, lang="en"))
    assert i18n.language() == "de"
    assert "voluntary, but binding" in text and "2027-05-25" in text and "Arabic" in text


@pytest.mark.parametrize("script", ["arabic", "tigrinya", "persian"])
def test_the_agreement_prints_a_name_in_any_script(open_vault, settings, script) -> None:
    first, last = NAMES[script]
    code = clients.add_client(open_vault, {"first_name": first, "last_name": last, "birth_date": "2002-03-04"}).case_code
    goal = cycle.add_goal(open_vault, code, {"need_area": "SPRACHE", "statement": "Das Zertifikat B1 ist bestanden"})
    cycle.add_agreement(open_vault, code, {"date": "2026-11-20", "goals": [goal]})
    pdf = print_case.agreement(open_vault, code, settings=settings)
    assert _words(first) | _words(last) <= pdftools.words(pdf)
    _check_pdf(pdf, "Zielvereinbarung", code, first, last)


def test_no_agreement_is_not_found(open_vault, settings) -> None:
    code = clients.add_client(open_vault, {"first_name": "Ada", "last_name": "Berg", "birth_date": "2002-03-04"}).case_code
    with pytest.raises(NotFoundError):
        print_case.agreement(open_vault, code, settings=settings)
    other, ids = _full_client(open_vault)
    with pytest.raises(NotFoundError):  # another client's agreement
        print_case.agreement(open_vault, code, ids["agreement"], settings=settings, lang="en")
    assert i18n.language() == "de"
    assert agreement_doc.GOAL_AGREEMENT == "Goal agreement"
