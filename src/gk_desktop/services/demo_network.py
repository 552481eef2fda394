"""The demo's regional network (Kreis Steinfurt around Rheine, invented but plausible): partners
with contact persons, offers of the directory, and per client the consents and disclosures a
case worker would have recorded. Drawn from the demo's one ``random.Random``; tuples only."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from sqlalchemy import select

from gk_desktop.domain.enums import ConsentType, ResidenceStatus
from gk_desktop.storage.ids import uuid7_str
from gk_desktop.storage.models import (
    Agreement,
    Assessment,
    Consent,
    Disclosure,
    Goal,
    Need,
    Offer,
    Partner,
    PartnerContact,
    Referral,
    Resource,
    ServiceChain,
    Task,
)

ABH_RHEINE = "Ausländerbehörde Rheine"

# key, name, type, address, phone, e-mail, local alliance, contacts (name, role, channel)
PARTNERS: tuple[tuple[str, str, str, str, str, str, bool, tuple[tuple[str, str, str], ...]], ...] = (
    ("ABH", ABH_RHEINE, "BEHOERDE", "Klosterstraße 14, 48431 Rheine", "05971 939-0", "auslaenderbehoerde@rheine.example",
     True, (("Frau Brüggemann", "Sachbearbeitung Duldung", "SICHERES_PORTAL"),
            ("Herr Lammers", "Teamleitung Aufenthalt", "TELEFON"))),
    ("BK", "Berufskolleg Rheine", "SCHULE", "Kolpingstraße 7, 48431 Rheine", "05971 8064-0", "sekretariat@bk-rheine.example",
     True, (("Frau Kaya", "Bildungsgangleitung Internationale Förderklasse", "TELEFON"),)),
    ("VHS", "VHS Rheine", "BILDUNGSTRAEGER", "Matthiasstraße 37, 48431 Rheine", "05971 4806-0", "info@vhs-rheine.example",
     True, (("Herr Nowak", "Fachbereich Deutsch als Zweitsprache", "EMAIL_VERSCHLUESSELT"),)),
    ("JMD", "Jugendmigrationsdienst Rheine", "BERATUNGSSTELLE", "Lingener Straße 11, 48429 Rheine", "05971 862-40",
     "jmd@rheine.example", True, (("Frau Haddad", "Beraterin", "PERSOENLICH"),)),
    ("HWK", "Handwerkskammer Münster, Außenstelle Rheine", "KAMMER", "Bahnhofstraße 3, 48431 Rheine", "05971 4001-0",
     "ausbildung@hwk.example", True, (("Herr Schulte", "Ausbildungsberatung", "TELEFON"),)),
    ("RB", "Refugee Law Clinic Münster", "RECHTSBERATUNG", "Universitätsstraße 14, 48143 Münster", "0251 83-0",
     "beratung@rlc.example", False, (("Frau Dr. Albers", "Koordination", "SICHERES_PORTAL"),)),
    ("AGT", "Bildungswerk Steinfurt gGmbH", "BILDUNGSTRAEGER", "Emsstraße 20, 48431 Rheine", "05971 555-0",
     "kontakt@bildungswerk.example", True, (("Herr Yilmaz", "Coaching Gemeinsam klappt's", "TELEFON"),)),
)

DULDUNG_AND_GESTATTUNG = ("DULDUNG_60A", "ERMESSENSDULDUNG_60A", "DULDUNG_60B", "AUSBILDUNGSDULDUNG_60C",
                          "BESCHAEFTIGUNGSDULDUNG_60D", "AUFENTHALTSGESTATTUNG")

# name, category, partner key, age min, age max, statuses, min German, min school, place, schedule,
# starts (days from today), runs (days), languages, prerequisites, cost
OFFERS: tuple[tuple[Any, ...], ...] = (
    ("Coaching Ausbildung und Arbeit", "GK_B1_COACHING", "AGT", 18, 27, DULDUNG_AND_GESTATTUNG, None, None,
     "Emsstraße 20, Rheine", "nach Vereinbarung", -400, 800, ("de", "ar", "fa"), "", "kostenfrei"),
    ("Qualifizierung Lager und Logistik", "GK_B2_QUALIFIZIERUNG", "AGT", 18, 27, DULDUNG_AND_GESTATTUNG, "A2", None,
     "Rheine, Gewerbegebiet Nord", "Mo–Fr 8–13 Uhr", -60, 240, ("de",), "Arbeitsmarktzugang (Erlaubnis der ABH)", "kostenfrei"),
    ("Hauptschulabschluss nachholen", "GK_B3_HSA", "BK", 18, 27, (), "A2", None, "Berufskolleg Rheine",
     "Mo–Fr vormittags", 30, 300, ("de",), "", "kostenfrei"),
    ("Ausbildungsvorbereitung (AV)", "GK_B4_VORBEREITUNG", "BK", 16, 25, (), "A2", None, "Berufskolleg Rheine",
     "Schuljahr", -90, 320, ("de",), "", "kostenfrei"),
    ("Berufssprachkurs B1", "SPRACHE_BAMF", "VHS", 18, None, ("AUFENTHALTSGESTATTUNG", "DULDUNG_60A", "AE_SCHUTZ",
     "AE_25A", "AE_25B", "AUSBILDUNGSDULDUNG_60C", "BESCHAEFTIGUNGSDULDUNG_60D"), "A2", None, "VHS Rheine",
     "Mo–Do 17–20 Uhr", 45, 180, ("de",), "Berechtigung durch Jobcenter, Agentur oder BAMF", "kostenfrei"),
    ("Deutsch im Alltag A1–A2", "SPRACHE_SONSTIGE", "VHS", 16, None, (), None, None, "VHS Rheine",
     "Di und Do 9–12 Uhr", -30, 200, ("de", "ar", "ti"), "", "geringe Gebühr"),
    ("Einstiegsqualifizierung Handwerk", "KAMMERN", "HWK", 16, 30, (), "A2", None, "Betriebe im Kreis Steinfurt",
     "6–12 Monate", -200, 700, ("de",), "Beschäftigungserlaubnis der ABH", "Vergütung"),
    ("Beratung für junge Zugewanderte", "MIGRATIONSBERATUNG", "JMD", 12, 27, (), None, None, "Lingener Straße 11",
     "offene Sprechstunde Mi 14–17 Uhr", -1000, 2000, ("de", "ar", "en", "fa"), "", "kostenfrei"),
    ("Aufenthaltsrechtliche Beratung", "RECHTSBERATUNG", "RB", None, None, (), None, None, "Münster und online",
     "nach Anmeldung", -1000, 2000, ("de", "en", "fr"), "", "kostenfrei"),
    ("Sprachcafé", "FREIZEIT_EHRENAMT", "VHS", None, None, (), None, None, "Stadtbibliothek Rheine",
     "Fr 16–18 Uhr", -300, 30, ("de",), "", "kostenfrei"),
)

# What a release towards each kind of partner covers.
RELEASE_CATEGORIES = {
    "BK": ("STAMMDATEN", "SCHULE_ZEUGNISSE", "SPRACHE"),
    "VHS": ("STAMMDATEN", "SPRACHE"),
    "JMD": ("STAMMDATEN", "AUFENTHALT", "FAMILIE"),
    "HWK": ("STAMMDATEN", "SCHULE_ZEUGNISSE", "ARBEIT"),
    "AGT": ("STAMMDATEN", "SCHULE_ZEUGNISSE", "ARBEIT", "SPRACHE", "VERLAUF"),
    "ABH": ("STAMMDATEN", "AUFENTHALT", "SCHULE_ZEUGNISSE", "ARBEIT"),
}
PURPOSE = {
    "BK": "Anmeldung und Absprachen zur Internationalen Förderklasse / Ausbildungsvorbereitung",
    "VHS": "Anmeldung zum Sprachkurs und Rückmeldung zur Teilnahme",
    "JMD": "Gemeinsame Begleitung im Jugendmigrationsdienst",
    "HWK": "Vermittlung in eine Einstiegsqualifizierung",
    "AGT": "Vermittlung in Coaching und Qualifizierung (Gemeinsam klappt's)",
    "ABH": "Abstimmung zur Bleibeperspektive (Ausbildungsduldung, § 25a)",
}


def ensure_network(session: Any, ref: dt.date) -> dict[str, str]:
    """Add the demo partners and offers a vault lacks (by name); returns partner key → id, and
    ``offer:NAME`` → offer id for the demo's offers."""
    have = {name: pid for pid, name in session.execute(select(Partner.id, Partner.name))}
    ids: dict[str, str] = {}
    for key, name, ptype, address, phone, email, alliance, contacts in PARTNERS:
        if name in have:
            ids[key] = have[name]
            continue
        pid = uuid7_str()
        session.add(Partner(id=pid, name=name, partner_type=ptype, address=address, phone=phone, email=email,
                            alliance_member=alliance))
        session.flush()
        for cname, role, channel in contacts:
            session.add(PartnerContact(partner_id=pid, name=cname, role=role, secure_channel=channel))
        ids[key] = pid
    have_offers = set(session.execute(select(Offer.name)).scalars())
    for (name, category, pkey, age_min, age_max, statuses, level, school, place, schedule, start, length,
         languages, prerequisites, cost) in OFFERS:
        if name in have_offers:
            continue
        runs_from = ref + dt.timedelta(days=start)
        session.add(Offer(
            name=name, category=category, partner_id=ids[pkey], age_min=age_min, age_max=age_max,
            statuses_json=json.dumps(sorted(statuses)), min_language_level=level, min_qualification=school,
            place=place, schedule=schedule, runs_from=runs_from, runs_until=runs_from + dt.timedelta(days=length),
            languages_json=json.dumps(sorted(languages)), prerequisites=prerequisites, cost=cost,
            verified_on=ref - dt.timedelta(days=(start * 7) % 200)))
    session.flush()
    names = {o[0] for o in OFFERS}
    for oid, name in session.execute(select(Offer.id, Offer.name)):
        if name in names:
            ids[f"offer:{name}"] = oid
    return ids


def consents_for(rng: random.Random, ref: dt.date, client_id: str, first_contact: dt.date, status: str,
                 partners: dict[str, str]) -> list[object]:
    """The consents (and a few disclosures resting on them) of one client."""
    out: list[object] = []
    if rng.random() < 0.85:
        out.append(Consent(id=uuid7_str(), client_id=client_id, consent_type=ConsentType.VERARBEITUNG_FALLAKTE.value,
                           purpose="Führen der Fallakte im Teilhabemanagement", categories_json=json.dumps(
                               sorted({"STAMMDATEN", "AUFENTHALT", "SCHULE_ZEUGNISSE", "ARBEIT", "SPRACHE", "VERLAUF"})),
                           form="SCHRIFTLICH", given_on=first_contact, info_sheet_on=first_contact))
    keys = ["BK", "VHS", "JMD", "HWK", "AGT"]
    if status.startswith(("DULDUNG", "AUSBILDUNGSDULDUNG", "BESCHAEFTIGUNGSDULDUNG", "ERMESSENSDULDUNG")) \
            or status == ResidenceStatus.AUFENTHALTSGESTATTUNG.value:
        keys.append("ABH")
    for key in keys:
        if rng.random() > (0.12 if key == "ABH" else 0.2):
            continue
        span = max(0, (ref - first_contact).days)
        given = first_contact + dt.timedelta(days=rng.randint(0, span)) if span else first_contact
        valid_until = given + dt.timedelta(days=rng.choice((365, 730))) if rng.random() < 0.6 else None
        revoked = None
        if rng.random() < 0.05 and given < ref:
            revoked = given + dt.timedelta(days=rng.randint(1, max(1, (ref - given).days)))
        consent = Consent(id=uuid7_str(), client_id=client_id, consent_type=ConsentType.SCHWEIGEPFLICHTENTBINDUNG.value,
                          partner_id=partners[key], purpose=PURPOSE[key],
                          categories_json=json.dumps(sorted(RELEASE_CATEGORIES[key])), form="SCHRIFTLICH",
                          language=rng.choice(("de", "de", "ar", "fa", "ti")), interpreted=rng.random() < 0.3,
                          given_on=given, valid_until=valid_until, revoked_on=revoked, info_sheet_on=given)
        out.append(consent)
        if rng.random() < 0.5:
            on = given + dt.timedelta(days=rng.randint(0, 20))
            last_valid = min(d for d in (ref, valid_until, revoked - dt.timedelta(days=1) if revoked else None) if d)
            if on <= last_valid:
                cats = sorted(rng.sample(RELEASE_CATEGORIES[key], k=min(2, len(RELEASE_CATEGORIES[key]))))
                out.append(Disclosure(client_id=client_id, on=on, partner_id=partners[key], legal_basis="EINWILLIGUNG",
                                      consent_id=consent.id, categories_json=json.dumps(cats), documents_json="[]",
                                      channel=rng.choice(("TELEFON", "PERSOENLICH", "SICHERES_PORTAL")),
                                      content_hash=f"{rng.getrandbits(256):064x}",
                                      what=rng.choice(("Telefonat", "Anmeldebogen", "Fallkonferenz"))))
    return out


# need area → (need text, own view, goal statement, tasks (text, responsible), offer name or None)
PLANS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...], str | None], ...] = (
    ("AUSBILDUNG", "Sucht einen Ausbildungsplatz im Handwerk", "Ich möchte Elektroniker werden.",
     "Ein Ausbildungsvertrag ist unterschrieben", (("Bewerbungsmappe fertigstellen", "KLIENT"),
                                                  ("Praktikumsbetriebe anfragen", "FACHKRAFT")),
     "Einstiegsqualifizierung Handwerk"),
    ("SPRACHE", "Deutsch auf B1 für die Berufsschule", "Ich verstehe im Unterricht nicht alles.",
     "Das Zertifikat B1 ist bestanden", (("Zum Berufssprachkurs anmelden", "FACHKRAFT"),
                                         ("Kurs regelmäßig besuchen", "KLIENT")), "Berufssprachkurs B1"),
    ("SCHULE_BILDUNG", "Hauptschulabschluss fehlt", "Ohne Abschluss finde ich nichts.",
     "Der Hauptschulabschluss ist erworben", (("Anmeldung am Berufskolleg", "KLIENT"),), "Hauptschulabschluss nachholen"),
    ("AUFENTHALT", "Bleibeperspektive klären (Ausbildungsduldung, § 25a)", "Ich habe Angst vor der Abschiebung.",
     "Die Bleibeperspektive ist mit der ABH abgestimmt", (("Unterlagen für die ABH zusammenstellen", "KLIENT"),
                                                         ("Termin bei der Rechtsberatung", "FACHKRAFT")),
     "Aufenthaltsrechtliche Beratung"),
    ("IDENTITAET_PASS", "Pass fehlt, Identität ungeklärt", "Die Botschaft antwortet nicht.",
     "Der Pass ist beantragt", (("Geburtsurkunde übersetzen lassen", "KLIENT"),), None),
    ("ARBEIT", "Sucht Arbeit in der Logistik", "Ich will eigenes Geld verdienen.",
     "Eine sozialversicherungspflichtige Stelle ist gefunden", (("Lebenslauf aktualisieren", "KLIENT"),),
     "Qualifizierung Lager und Logistik"),
    ("WOHNEN", "Eigene Wohnung statt Gemeinschaftsunterkunft", "In der Unterkunft kann ich nicht lernen.",
     "", (), None),
)
_OFFER_PARTNER = {o[0]: o[2] for o in OFFERS}
_LATER = ("UMSETZUNG", "MONITORING", "EVALUATION", "ABGESCHLOSSEN")


def cycle_for(rng: random.Random, ref: dt.date, case: Any, client_id: str, consents: list[Consent],
              ids: dict[str, str]) -> list[object]:
    """Assessment, goals, tasks, agreement and referrals of one case, as far as its phase goes;
    the releases its referrals need are added where missing (a referral never passes without)."""
    order = ("ERSTKONTAKT", "KLAERUNG", "ASSESSMENT", "HILFEPLANUNG", "UMSETZUNG", "MONITORING", "EVALUATION",
             "ABGESCHLOSSEN")
    phase = case.phase if case.phase in order else "ASSESSMENT"
    if order.index(phase) < 2 or case.case_type != "CASE_MANAGEMENT":
        return []
    out: list[object] = []
    start = case.intake_on or case.first_contact_on
    end = case.closed_on or ref

    def day_between(a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=rng.randint(0, max(0, (b - a).days)))

    assessment = Assessment(id=uuid7_str(), case_id=case.id, date=day_between(start, min(end, start + dt.timedelta(days=30))),
                            summary="Gespräch zu Schule, Sprache, Aufenthalt und Wünschen.",
                            next_reassessment_on=None if case.closed_on else ref + dt.timedelta(days=rng.randint(-20, 120)))
    out.append(assessment)
    plans = rng.sample(PLANS, k=rng.randint(2, 4))
    needs = []
    for area, text, view, _goal, _tasks, _offer in plans:
        gap = area == "WOHNEN" and rng.random() < 0.7
        need = Need(id=uuid7_str(), assessment_id=assessment.id, need_area=area, description=text, own_view=view,
                    priority=rng.choice((1, 1, 2, 3)), status="NICHT_DECKBAR" if gap else "IN_BEARBEITUNG",
                    gap_note="Kein bezahlbarer Wohnraum für junge Geduldete im Kreis." if gap else "")
        needs.append(need)
        out.append(need)
    for rtype, text in rng.sample((("MOTIVATION", "Sehr motiviert, kommt pünktlich zu Terminen"),
                                   ("SPRACHE", "Spricht Arabisch und Englisch"),
                                   ("ARBEITSERFAHRUNG", "Hat im Herkunftsland in einer Werkstatt gearbeitet"),
                                   ("SOZIALES_NETZ", "Mentorin aus dem Ehrenamt"),
                                   ("FAEHIGKEIT", "Handwerklich geschickt")), k=2):
        out.append(Resource(assessment_id=assessment.id, resource_type=rtype, description=text))
    if order.index(phase) < 3:
        return out
    closed = phase == "ABGESCHLOSSEN"
    goals: list[Goal] = []
    tasks: list[Task] = []
    for need, (area, _text, _view, statement, task_plan, _offer) in zip(needs, plans):
        if not statement:
            continue
        g_start = day_between(assessment.date, min(end, assessment.date + dt.timedelta(days=30)))
        status = "VEREINBART" if order.index(phase) >= 3 else "ENTWURF"
        achievement = None
        if closed:
            status = rng.choice(("ERREICHT", "ERREICHT", "TEILWEISE_ERREICHT", "NICHT_ERREICHT"))
            achievement = {"ERREICHT": 100, "TEILWEISE_ERREICHT": rng.choice((40, 60, 80)), "NICHT_ERREICHT": 0}[status]
        elif order.index(phase) >= 4:
            status = rng.choice(("VEREINBART", "IN_ARBEIT", "IN_ARBEIT"))
        goal = Goal(id=uuid7_str(), case_id=case.id, need_area=area, need_id=need.id, statement=statement,
                    level="HANDLUNGSZIEL", start_on=g_start, target_on=g_start + dt.timedelta(days=rng.choice((120, 180, 270))),
                    review_on=None if closed else ref + dt.timedelta(days=rng.randint(-10, 60)), status=status,
                    achievement=achievement)
        goals.append(goal)
        out.append(goal)
        for text, who in task_plan:
            due = g_start + dt.timedelta(days=rng.randint(7, 60))
            # Steps long past are nearly all done; recent ones often still open (the start page shows them).
            done = closed or (due <= ref and rng.random() < (0.97 if due < end - dt.timedelta(days=30) else 0.6))
            tasks.append(Task(id=uuid7_str(), case_id=case.id, goal_id=goal.id, description=text, responsible=who,
                              due_on=due, done_on=min(due, end) if done else None, status="ERLEDIGT" if done else "OFFEN"))
    out.extend(tasks)
    if goals:
        out.append(Agreement(case_id=case.id, date=goals[0].start_on or start, goals_json=json.dumps([g.id for g in goals]),
                             tasks_json=json.dumps([t.id for t in tasks]), signed_by_client=True, signed_by_worker=True,
                             language="de", place="Rheine"))
    if phase not in _LATER or not goals:
        return out
    chain = ServiceChain(id=uuid7_str(), case_id=case.id, title="Weg in Ausbildung und Arbeit", goal=goals[0].statement,
                         goal_id=goals[0].id, start_on=goals[0].start_on, coordinator="Teilhabemanagement")
    out.append(chain)
    position = 0
    for goal, (_area, _text, _view, _statement, _tasks, offer_name) in zip(goals, [p for p in plans if p[3]]):
        if offer_name is None or f"offer:{offer_name}" not in ids:
            continue
        partner_key = _OFFER_PARTNER[offer_name]
        partner = ids[partner_key]
        categories = sorted(RELEASE_CATEGORIES.get(partner_key, ("STAMMDATEN",))[:2])
        on = day_between(goal.start_on or start, min(end, (goal.start_on or start) + dt.timedelta(days=40)))
        consent = next((c for c in consents if c.partner_id == partner and c.given_on <= on and c.revoked_on is None
                        and (c.valid_until is None or c.valid_until >= on)
                        and set(categories) <= set(json.loads(c.categories_json))), None)
        if consent is None:
            consent = Consent(id=uuid7_str(), client_id=client_id, consent_type="SCHWEIGEPFLICHTENTBINDUNG",
                              partner_id=partner, purpose=PURPOSE.get(partner_key, "Vermittlung"),
                              categories_json=json.dumps(categories), form="SCHRIFTLICH", given_on=on, info_sheet_on=on)
            consents.append(consent)
            out.append(consent)
        position += 1
        if closed:
            status = rng.choice(("ABGESCHLOSSEN_ERFOLGREICH", "ABGESCHLOSSEN_ERFOLGREICH", "ABGEBROCHEN"))
        else:
            status = rng.choice(("ANGEFRAGT", "ZUGESAGT", "WARTELISTE", "BEGONNEN", "BEGONNEN"))
        # Open referrals moved last within the past months; a few wait long for an answer.
        since = day_between(max(on, end - dt.timedelta(days=150)), end) if not closed else day_between(on, end)
        out.append(Referral(chain_id=chain.id, position=position, offer_id=ids[f"offer:{offer_name}"], partner_id=partner,
                            passes_data=True, categories_json=json.dumps(categories), consent_id=consent.id,
                            referred_on=on, accepted_on=since if status not in ("ANGEFRAGT", "WARTELISTE") else None,
                            start_on=since if status in ("BEGONNEN", "ABGESCHLOSSEN_ERFOLGREICH", "ABGEBROCHEN") else None,
                            actual_end_on=end if closed else None, status=status, status_since=since,
                            feedback="Teilnahme bestätigt." if status == "BEGONNEN" else "",
                            funding_component="GK_B1" if "Coaching" in offer_name else "REGELANGEBOT"))
        out.append(Disclosure(client_id=client_id, on=on, partner_id=partner, legal_basis="EINWILLIGUNG",
                              consent_id=consent.id, categories_json=json.dumps(categories), documents_json="[]",
                              channel="TELEFON", what=f"Vermittlungsanfrage: {offer_name}",
                              content_hash=f"{rng.getrandbits(256):064x}"))
    return out
