"""Readable labels for the enumerations of DOMAIN.md §4, one word for one thing (GLOSSARY.md); shared by
the UI, the printed documents and the messages of the services.

Source strings are English and marked with ``N_``; :func:`label` translates at call time, so a
language switch shows the new words without a restart. Status names such as Duldung and
Aufenthaltsgestattung stay German in both languages (GLOSSARY.md).
"""

from __future__ import annotations

from gk_desktop.i18n import N_, _

RESIDENCE_STATUS = {
    "ANKUNFTSNACHWEIS": N_("Ankunftsnachweis"),
    "AUFENTHALTSGESTATTUNG": N_("Aufenthaltsgestattung"),
    "DULDUNG_60A": N_("Duldung (§ 60a)"),
    "ERMESSENSDULDUNG_60A": N_("Ermessensduldung (§ 60a Abs. 2 S. 3)"),
    "DULDUNG_60B": N_("Duldung für Personen mit ungeklärter Identität (§ 60b)"),
    "AUSBILDUNGSDULDUNG_60C": N_("Ausbildungsduldung (§ 60c)"),
    "BESCHAEFTIGUNGSDULDUNG_60D": N_("Beschäftigungsduldung (§ 60d)"),
    "GRENZUEBERTRITTSBESCHEINIGUNG": N_("Grenzübertrittsbescheinigung"),
    "FIKTIONSBESCHEINIGUNG": N_("Fiktionsbescheinigung"),
    "AE_16G": N_("Aufenthaltserlaubnis § 16g"),
    "AE_19D": N_("Aufenthaltserlaubnis § 19d"),
    "AE_25A": N_("Aufenthaltserlaubnis § 25a"),
    "AE_25B": N_("Aufenthaltserlaubnis § 25b"),
    "AE_104C": N_("Chancen-Aufenthaltsrecht § 104c"),
    "AE_25_5": N_("Aufenthaltserlaubnis § 25 Abs. 5"),
    "AE_23A": N_("Aufenthaltserlaubnis § 23a"),
    "AE_SCHUTZ": N_("Aufenthaltserlaubnis (Schutzstatus)"),
    "AE_SONSTIGE": N_("Aufenthaltserlaubnis (sonstige)"),
    "NIEDERLASSUNGSERLAUBNIS": N_("Niederlassungserlaubnis"),
    "UNBEKANNT": N_("unknown"),
}
# Short forms for narrow table columns.
RESIDENCE_STATUS_SHORT = {
    "ANKUNFTSNACHWEIS": N_("Ankunftsnachweis"),
    "AUFENTHALTSGESTATTUNG": N_("Gestattung"),
    "DULDUNG_60A": N_("Duldung"),
    "ERMESSENSDULDUNG_60A": N_("Ermessensduldung"),
    "DULDUNG_60B": N_("Duldung § 60b"),
    "AUSBILDUNGSDULDUNG_60C": N_("Ausbildungsduldung"),
    "BESCHAEFTIGUNGSDULDUNG_60D": N_("Beschäftigungsduldung"),
    "GRENZUEBERTRITTSBESCHEINIGUNG": N_("Grenzübertritt"),
    "FIKTIONSBESCHEINIGUNG": N_("Fiktion"),
    "AE_16G": N_("AE § 16g"),
    "AE_19D": N_("AE § 19d"),
    "AE_25A": N_("AE § 25a"),
    "AE_25B": N_("AE § 25b"),
    "AE_104C": N_("AE § 104c"),
    "AE_25_5": N_("AE § 25 Abs. 5"),
    "AE_23A": N_("AE § 23a"),
    "AE_SCHUTZ": N_("AE Schutz"),
    "AE_SONSTIGE": N_("AE sonstige"),
    "NIEDERLASSUNGSERLAUBNIS": N_("Niederlassung"),
    "UNBEKANNT": N_("unknown"),
}
TARGET_GROUP = {
    "PRIMAER_DULDUNG": N_("primary (Duldung)"),
    "SEKUNDAER_GESTATTUNG": N_("secondary (Gestattung)"),
    "SONSTIGE": N_("other"),
    "NICHT_ZIELGRUPPE": N_("not in target group"),
}
CASE_PHASE = {
    "ERSTKONTAKT": N_("first contact"),
    "KLAERUNG": N_("clarification"),
    "ASSESSMENT": N_("assessment"),
    "HILFEPLANUNG": N_("planning"),
    "UMSETZUNG": N_("implementation"),
    "MONITORING": N_("monitoring"),
    "EVALUATION": N_("evaluation"),
    "ABGESCHLOSSEN": N_("closed"),
    "RUHEND": N_("dormant"),
}
ACCESS_ROUTE = {
    "SELBSTMELDUNG": N_("came on their own"),
    "AUSLAENDERBEHOERDE": N_("immigration office"),
    "SOZIALAMT": N_("social welfare office"),
    "JMD": N_("youth migration service (JMD)"),
    "MIGRATIONSBERATUNG": N_("migration counselling"),
    "COACHING": N_("coaching (Baustein 1)"),
    "KI_KIM": N_("KI / KIM"),
    "SCHULE_BERUFSKOLLEG": N_("school / Berufskolleg"),
    "AGENTUR_FUER_ARBEIT": N_("employment agency"),
    "JOBCENTER": N_("Jobcenter"),
    "EHRENAMT": N_("volunteers"),
    "UNTERKUNFT": N_("accommodation"),
    "AUFSUCHEND": N_("outreach"),
    "FAMILIE_PEERS": N_("family / peers"),
    "SONSTIGE": N_("other"),
}
GENDER = {
    "WEIBLICH": N_("female"),
    "MAENNLICH": N_("male"),
    "DIVERS": N_("diverse"),
    "KEINE_ANGABE": N_("not stated"),
}
EXCLUSION = {
    "KEINE": N_("no exclusion"),
    "LANDESAUFNAHMEEINRICHTUNG": N_("Land reception centre"),
    "AUSSCHLUSS_PROGRAMMREGELN": N_("excluded under the programme rules"),
}
DUPLICATE_REASON = {
    "same_birth_date_similar_name": N_("same birth date, similar name"),
    "same_birth_date_name_variant": N_("same birth date, name variant"),
    "fictitious_birth_year_similar_name": N_("fictitious birth date in the same year, similar name"),
    "fictitious_birth_year_name_variant": N_("fictitious birth date in the same year, name variant"),
}
WORK_TYPE = {
    "AUSBILDUNG_QUALIFIZIERT": N_("qualified training (2 years or more)"),
    "HELFERAUSBILDUNG": N_("helper training"),
    "AUSBILDUNG_SCHULISCH": N_("school-based training"),
    "EINSTIEGSQUALIFIZIERUNG": N_("introductory training (EQ)"),
    "PRAKTIKUM": N_("internship"),
    "SV_BESCHAEFTIGUNG": N_("employment subject to social insurance"),
    "GERINGFUEGIG": N_("marginal employment"),
}
LANGUAGE_LEVEL = {
    "A1": "A1", "A2": "A2", "B1": "B1", "B2": "B2", "C1": "C1", "C2": "C2",
    "MUTTERSPRACHE": N_("mother tongue"),
}
SEARCH_MATCH = {
    "name": N_("name"),
    "case_code": N_("case code"),
    "note": N_("interview"),
}


def label(table: dict[str, str], key: str | None, default: str = "–") -> str:
    """The translated label of ``key`` in ``table``; the identifier itself if unknown."""
    if key is None or key == "":
        return default
    source = table.get(key)
    return _(source) if source is not None else key

DOCUMENT_TYPE = {
    "DULDUNG_KOPIE": N_("copy of the Duldung"),
    "AUFENTHALTSTITEL_KOPIE": N_("copy of the residence permit"),
    "PASS_KOPIE": N_("copy of the passport"),
    "AUSWEIS_KOPIE": N_("copy of another identity document"),
    "ZEUGNIS": N_("school or training certificate"),
    "SPRACHZERTIFIKAT": N_("language certificate"),
    "VERTRAG": N_("contract"),
    "BESCHEID": N_("official decision"),
    "EINWILLIGUNG": N_("consent"),
    "ZIELVEREINBARUNG": N_("goal agreement"),
    "SCHREIBEN": N_("letter"),
    "NACHWEIS": N_("proof or confirmation"),
    "SONSTIGES": N_("other"),
}

DOCUMENT_SOURCE = {
    "KLIENT": N_("the client"),
    "BEHOERDE": N_("an authority"),
    "SCHULE_TRAEGER": N_("school or provider"),
    "ARBEITGEBER": N_("employer"),
    "PARTNER": N_("partner organisation"),
    "EIGENE_STELLE": N_("our office"),
    "SONSTIGE": N_("other"),
}

QUALIFICATION = {
    "KEINER": N_("none"), "HSA_9": N_("HSA after year 9"), "HSA_10": N_("HSA after year 10"),
    "FOR_MSA": N_("FOR / MSA"), "FHR": N_("FHR"), "AHR": N_("Abitur"), "BERUFSABSCHLUSS": N_("vocational qualification"),
    "AUSLAENDISCH": N_("foreign qualification"),
}

OFFER_CATEGORY = {
    "GK_B1_COACHING": N_("GK module 1: coaching"),
    "GK_B2_QUALIFIZIERUNG": N_("GK module 2: qualification"),
    "GK_B3_HSA": N_("GK module 3: school-leaving certificate"),
    "GK_B4_VORBEREITUNG": N_("GK module 4: preparation for training"),
    "GK_B5_INNOVATION": N_("GK module 5: innovative approaches"),
    "SPRACHE_BAMF": N_("language courses (BAMF)"),
    "SPRACHE_SONSTIGE": N_("other language offers"),
    "SCHULE": N_("school and vocational college"),
    "AGENTUR_FUER_ARBEIT": N_("employment agency"),
    "JOBCENTER": N_("Jobcenter"),
    "KAMMERN": N_("chambers (IHK, HWK)"),
    "BETRIEBE": N_("companies"),
    "ANERKENNUNG": N_("recognition of qualifications"),
    "MIGRATIONSBERATUNG": N_("migration counselling (JMD, MBE)"),
    "KIM": N_("municipal integration management"),
    "RECHTSBERATUNG": N_("legal advice"),
    "SOZIALLEISTUNGEN": N_("social benefits"),
    "JUGENDHILFE": N_("youth welfare"),
    "GESUNDHEIT": N_("health"),
    "WOHNEN": N_("housing"),
    "FINANZEN": N_("money and debt advice"),
    "FAMILIE": N_("family"),
    "FREIZEIT_EHRENAMT": N_("leisure and volunteering"),
    "SONSTIGE": N_("other"),
}

PARTNER_TYPE = {
    "BEHOERDE": N_("authority"), "BILDUNGSTRAEGER": N_("education provider"), "SCHULE": N_("school"),
    "BERATUNGSSTELLE": N_("counselling service"), "KAMMER": N_("chamber"), "BETRIEB": N_("company"),
    "VEREIN": N_("association"), "GESUNDHEIT": N_("health"), "RECHTSBERATUNG": N_("legal advice"),
    "SONSTIGE": N_("other"),
}

SECURE_CHANNEL = {
    "PERSOENLICH": N_("in person"), "TELEFON": N_("phone"), "POST": N_("letter"),
    "EMAIL_VERSCHLUESSELT": N_("encrypted e-mail"), "SICHERES_PORTAL": N_("secure portal"), "FAX": N_("fax"),
    "DATENTRAEGER_VERSCHLUESSELT": N_("encrypted data carrier"), "SONSTIGE": N_("other"),
}

CONSENT_TYPE = {
    "VERARBEITUNG_FALLAKTE": N_("processing of the case file"),
    "SCHWEIGEPFLICHTENTBINDUNG": N_("release from confidentiality"),
    "EINHOLUNG_AUSKUENFTE": N_("obtaining information"),
    "MESSENGER_KONTAKT": N_("contact by messenger"),
    "SONSTIGE": N_("other"),
}

DATA_CATEGORY = {
    "STAMMDATEN": N_("personal data"), "AUFENTHALT": N_("residence"), "SCHULE_ZEUGNISSE": N_("school and certificates"),
    "ARBEIT": N_("work"), "SPRACHE": N_("language"), "GESUNDHEIT": N_("health"), "FAMILIE": N_("family"),
    "FINANZEN": N_("finances"), "VERLAUF": N_("course of the case"),
}

CONSENT_FORM = {"SCHRIFTLICH": N_("written"), "MUENDLICH_DOKUMENTIERT": N_("oral, documented")}

CONSENT_STATUS = {
    "GUELTIG": N_("valid"), "ABGELAUFEN": N_("expired"), "WIDERRUFEN": N_("revoked"),
    "NOCH_NICHT_GUELTIG": N_("not yet valid"),
}

LEGAL_BASIS = {
    "EINWILLIGUNG": N_("consent"), "GESETZLICHE_PFLICHT": N_("legal duty"),
    "AUSKUNFT_BETROFFENE": N_("the client's access request"),
}

EMPLOYMENT = {
    "ERLAUBT": N_("permitted"), "NUR_MIT_ERLAUBNIS_ABH": N_("only with the ABH's permission"),
    "VERBOT_60A_ABS6": N_("banned (§ 60a (6))"), "VERBOT_60B": N_("banned (§ 60b)"),
    "WARTEZEIT_ASYLG": N_("waiting period (AsylG)"), "UNBEKANNT": N_("unknown"),
}

IDENTITY_CLARIFIED = {"JA": N_("yes"), "TEILWEISE": N_("partly"), "NEIN": N_("no"), "UNBEKANNT": N_("unknown")}

INCOME_COVERAGE = {"VOLL": N_("fully"), "UEBERWIEGEND": N_("mostly"), "NEIN": N_("no")}

# Fristen (DOMAIN.md §5): what the deadline is about, as the start page and the calendar name it.
DEADLINE_TYPE = {
    "DULDUNG_ABLAUF": N_("Duldung expires"),
    "GESTATTUNG_ABLAUF": N_("Aufenthaltsgestattung expires"),
    "PASS_ABLAUF": N_("Passport expires"),
    "AE_ABLAUF": N_("Residence permit expires"),
    "FIKTION_ABLAUF": N_("Fiktionsbescheinigung expires"),
    "GEBURTSTAG_27": N_("Last day before the 27th birthday (§ 25a application)"),
    "ZIELGRUPPE_ENDE": N_("Leaves the target group (28th birthday)"),
    "P25A_MOEGLICH_AB": N_("§ 25a: criteria expected to be met"),
    "P25B_MOEGLICH_AB": N_("§ 25b: criteria expected to be met"),
    "P60C_ANTRAG_FRUEHESTENS": N_("§ 60c: earliest day to apply"),
    "P60C_ERTEILUNG_FRUEHESTENS": N_("§ 60c: earliest day of the grant"),
    "IDENTITAET_FRIST_60C": N_("Clarify the identity (§ 60c deadline)"),
    "AUSBILDUNG_ENDE": N_("Training ends as planned"),
    "AUSBILDUNG_ABBRUCH": N_("Training ended early: the Ausbildungsduldung lapses"),
    "P60D_KRITERIEN": N_("§ 60d: 12 months of Duldung and employment reached"),
    "P104C_ABLAUF": N_("§ 104c permit expires: apply for § 25a or § 25b before"),
    "BESCHEID_ZUGESTELLT": N_("Asylum decision served: refer to legal advice"),
    "ZIEL_UEBERPRUEFUNG": N_("Review a goal"),
    "AUFGABE_FAELLIG": N_("Task due"),
    "VERMITTLUNG_NACHFASSEN": N_("Referral without an answer: follow up"),
    "KEIN_KONTAKT": N_("No contact for a while: get in touch"),
    "EINWILLIGUNG_PRUEFEN": N_("Consent ends: renew or let it end"),
    "ANGEBOT_AKTUALISIEREN": N_("Check that the offer is up to date"),
    "LOESCHFRIST": N_("Retention ends: approve the deletion"),
    "DOKUMENT_LOESCHEN": N_("Delete the identity-document copy"),
    "WIEDERVORLAGE": N_("Follow-up"),
}
DEADLINE_URGENCY = {
    "UEBERFAELLIG": N_("Overdue"),
    "HEUTE": N_("Today"),
    "DIESE_WOCHE": N_("This week"),
    "ERINNERUNG": N_("Later"),
    "SPAETER": N_("Not yet reminded"),
}
DEADLINE_STATUS = {"OFFEN": N_("open"), "ERLEDIGT": N_("done"), "VERWORFEN": N_("dismissed")}

# The case-management cycle's words (the case view, the planning and referrals tabs and the printed
# case sheet share them: one thing, one name on screen and on paper).
TASK_STATUS = {"OFFEN": N_("open"), "ERLEDIGT": N_("done"), "VERWORFEN": N_("dropped")}
TASK_RESPONSIBLE = {"KLIENT": N_("client"), "FACHKRAFT": N_("case worker"), "PARTNER": N_("partner")}
RESOURCE_TYPE = {
    "FAEHIGKEIT": N_("skill"),
    "ARBEITSERFAHRUNG": N_("work experience"),
    "BILDUNG": N_("education"),
    "SPRACHE": N_("language"),
    "MOTIVATION": N_("motivation"),
    "SOZIALES_NETZ": N_("social network"),
    "EHRENAMT": N_("volunteering"),
    "MATERIELL": N_("material resources"),
}
REFERRAL_STATUS = {
    "VORGESCHLAGEN": N_("Proposed"),
    "ANGEFRAGT": N_("Requested"),
    "ZUGESAGT": N_("Accepted"),
    "WARTELISTE": N_("Waiting list"),
    "ABGELEHNT_ANBIETER": N_("Declined by the provider"),
    "ABGELEHNT_KLIENT": N_("Declined by the client"),
    "BEGONNEN": N_("Started"),
    "ABGESCHLOSSEN_ERFOLGREICH": N_("Completed successfully"),
    "ABGESCHLOSSEN_OHNE_ERFOLG": N_("Completed without success"),
    "ABGEBROCHEN": N_("Dropped out"),
    "NICHT_ANGETRETEN": N_("Did not start"),
}
NEED_STATUS = {
    "OFFEN": N_("open"),
    "IN_BEARBEITUNG": N_("in progress"),
    "GEDECKT": N_("met"),
    "NICHT_DECKBAR": N_("offer gap"),
    "NICHT_MEHR_RELEVANT": N_("no longer relevant"),
}
NEED_AREA = {
    "SPRACHE": N_("language"), "SCHULE_BILDUNG": N_("school and education"), "AUSBILDUNG": N_("vocational training"),
    "ARBEIT": N_("work"), "AUFENTHALT": N_("residence"), "IDENTITAET_PASS": N_("identity and passport"),
    "WOHNEN": N_("housing"), "GESUNDHEIT": N_("health"), "FINANZEN_LEISTUNGEN": N_("money and benefits"),
    "FAMILIE": N_("family"), "FREIZEIT_SOZIALES": N_("leisure and social life"), "MOBILITAET": N_("mobility"),
    "BEHOERDEN_ALLTAG": N_("authorities and daily life"), "RECHT_VERFAHREN": N_("law and proceedings"),
    "SONSTIGES": N_("other"),
}
NAME_VARIANT_KIND = {"TRANSLITERATION": N_("transliteration"), "ORIGINALSCHRIFT": N_("original script"),
                     "ALIAS": N_("alias"), "FRUEHERER_NAME": N_("former name")}
IDENTITY_ACTION = {
    "BOTSCHAFTSTERMIN": N_("embassy appointment"), "PASSANTRAG": N_("passport application"),
    "ANFRAGE_FAMILIE": N_("request to the family"), "EIDESSTATTLICHE_VERSICHERUNG": N_("sworn statement"),
    "UEBERSETZUNG": N_("translation"), "URKUNDE_BESCHAFFT": N_("document obtained"),
    "VORSPRACHE_ABH": N_("appointment at the ABH"), "SONSTIGES": N_("other"),
}
GOAL_STATUS = {
    "ENTWURF": N_("draft"),
    "VEREINBART": N_("agreed"),
    "IN_ARBEIT": N_("in progress"),
    "ERREICHT": N_("achieved"),
    "TEILWEISE_ERREICHT": N_("partly achieved"),
    "NICHT_ERREICHT": N_("not achieved"),
    "VERWORFEN": N_("dropped"),
}
END_REASON = {
    "BESTANDEN": N_("passed"), "NICHT_BESTANDEN": N_("failed"), "ABGEBROCHEN": N_("dropped out"),
    "GEKUENDIGT": N_("dismissed"), "UEBERNOMMEN": N_("taken on"), "BEFRISTUNG_ENDE": N_("fixed term ended"),
    "SONSTIGES": N_("other"),
}
CONTACT_TYPE = {
    "PERSOENLICH": N_("in person"), "AUFSUCHEND": N_("outreach visit"), "TELEFONISCH": N_("phone"),
    "VIDEO_MESSENGER": N_("video / messenger"), "BEGLEITUNG": N_("accompanying to an appointment"),
    "FALLKONFERENZ": N_("case conference"), "SCHRIFTVERKEHR": N_("correspondence"),
}
ASYLUM_STAGE = {
    "GESUCH": N_("asylum request"), "ANTRAG": N_("application filed"), "ANHOERUNG": N_("hearing"),
    "BESCHEID_POSITIV": N_("decision: positive"), "BESCHEID_NEGATIV": N_("decision: negative"),
    "OFFENSICHTLICH_UNBEGRUENDET": N_("manifestly unfounded"), "KLAGE_ANHAENGIG": N_("appeal pending"),
    "RECHTSKRAEFTIG": N_("final"), "FOLGEANTRAG": N_("subsequent application"), "DUBLIN": N_("Dublin procedure"),
}
