"""Synthetic demo data: the same seed and ``GK_TODAY`` give the same data (ids aside).

Every record goes through the ORM session, so it carries its sync stamps like any other write.
This first version fills the tables of the first schema (clients, cases, interviews); the client
register issue extends it with residence, education and work histories.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from gk_desktop.domain.case_code import new_case_code
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import CasePhase, CaseType, ContactType, Gender
from gk_desktop.storage.models import Case, Client, Contact

# (first names male, first names female, last names) per region; Latin transliterations as
# commonly registered in German documents, some in Arabic or Ethiopic script as written by the
# person.
_NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "SYR": (["Mohammed", "Ahmad", "Omar", "Yusuf", "Khaled", "محمد", "Hussein"],
            ["Fatima", "Aya", "Rania", "Nour", "Lina", "ريم"],
            ["Al-Hassan", "Haddad", "Khalil", "Darwish", "Ibrahim", "الحسن"]),
    "AFG": (["Ahmad Shah", "Mustafa", "Jawad", "Farid", "Sayed Ali"],
            ["Mariam", "Zahra", "Fereshta", "Madina"],
            ["Ahmadi", "Rahimi", "Hosseini", "Noori", "Sultani"]),
    "IRQ": (["Ali", "Mustafa", "Haider", "Karwan", "Dilshad"],
            ["Zainab", "Shilan", "Hawraa", "Berivan"],
            ["Al-Saadi", "Hamad", "Rashid", "Barzani", "Kakai"]),
    "ERI": (["Yonas", "Filmon", "Dawit", "Tesfay", "ዮናስ"],
            ["Selam", "Helen", "Ruta", "Saba"],
            ["Tesfamariam", "Ghebremedhin", "Berhane", "Habte", "ተስፋማርያም"]),
    "SOM": (["Abdirahman", "Mahad", "Abdullahi", "Liban"],
            ["Hodan", "Ayaan", "Sahra", "Ifrah"],
            ["Mohamud", "Warsame", "Abdi", "Farah"]),
    "GIN": (["Mamadou", "Ibrahima", "Alpha", "Ousmane"],
            ["Fatoumata", "Mariama", "Kadiatou", "Aissatou"],
            ["Diallo", "Barry", "Bah", "Camara", "Sow"]),
    "TUR": (["Mehmet", "Şükrü", "Ahmet", "Berkay", "Rojhat"],
            ["Ayşe", "Zeynep", "Rojda", "Elif"],
            ["Yılmaz", "Demir", "Işık", "Kaya", "Aydın"]),
    "IRN": (["Reza", "Amir", "Mohammad", "Arash"],
            ["Parisa", "Shirin", "Maryam", "Yasmin"],
            ["Hosseini", "Karimi", "Moradi", "Jafari"]),
    "NGA": (["Chinedu", "Emeka", "Oluwaseun", "Ibrahim"],
            ["Blessing", "Chioma", "Adaeze", "Favour"],
            ["Okafor", "Adeyemi", "Eze", "Balogun"]),
    "SRB": (["Đorđe", "Nikola", "Arben", "Dragan"],
            ["Jelena", "Ardita", "Milica", "Ana"],
            ["Đorđević", "Berisha", "Jovanović", "Krasniqi"]),
}

_NOTES = [
    "Erstgespräch: Anliegen Ausbildungsplatz, Unterlagen zur Schule mitgebracht.",
    "Telefonat wegen Termin bei der Agentur für Arbeit, Begleitung vereinbart.",
    "Sprachkurs B1 läuft, Teilnahme regelmäßig, nächste Prüfung im Frühjahr.",
    "Gemeinsam Bewerbung für ein Praktikum vorbereitet.",
    "Rückmeldung vom Berufskolleg: Aufnahme zum neuen Schuljahr möglich.",
    "Passbeschaffung besprochen, nächste Schritte festgehalten.",
]


@dataclass(frozen=True)
class DemoResult:
    clients: int
    cases: int
    contacts: int


def generate(vault: object, clients: int, seed: int = 1,
             progress: Callable[[float], None] | None = None, batch: int = 500) -> DemoResult:
    """Add ``clients`` synthetic clients, each with a case and one to four interviews."""
    rng = random.Random(seed)
    ref = today()
    n_cases = n_contacts = 0
    session_factory = getattr(vault, "session")
    with session_factory() as s:
        used = set(s.execute(select(Client.case_code)).scalars())
    done = 0
    while done < clients:
        size = min(batch, clients - done)
        with session_factory() as s:
            for _ in range(size):
                region = rng.choice(sorted(_NAMES))
                male, female, last = _NAMES[region]
                gender = rng.choices([Gender.MAENNLICH, Gender.WEIBLICH, Gender.DIVERS], [68, 31, 1])[0]
                first = rng.choice(female if gender is Gender.WEIBLICH else male)
                age_days = rng.randint(18 * 365 + 5, 28 * 365 - 5)
                fictitious = rng.random() < 0.12
                birth = ref - dt.timedelta(days=age_days)
                if fictitious:
                    birth = dt.date(birth.year, 1, 1)
                code = new_case_code(ref, rng)  # type: ignore[arg-type]
                while code in used:
                    code = new_case_code(ref, rng)  # type: ignore[arg-type]
                used.add(code)
                client = Client(case_code=code, first_name=first, last_name=rng.choice(last),
                                birth_date=birth, birth_date_fictitious=fictitious, gender=gender.value)
                s.add(client)
                s.flush()
                opened = ref - dt.timedelta(days=rng.randint(0, 700))
                phase = rng.choice(list(CasePhase))
                case = Case(client_id=client.id, phase=phase.value,
                            case_type=rng.choices([CaseType.CASE_MANAGEMENT, CaseType.KURZBERATUNG], [4, 1])[0].value,
                            first_contact_on=opened)
                s.add(case)
                s.flush()
                n_cases += 1
                for k in range(rng.randint(1, 4)):
                    day = opened + dt.timedelta(days=rng.randint(0, max(0, (ref - opened).days)))
                    at = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))),
                                             tzinfo=dt.timezone.utc)
                    s.add(Contact(case_id=case.id, at=at, duration_min=rng.choice((15, 30, 45, 60, 90)),
                                  contact_type=rng.choice(list(ContactType)).value, note=rng.choice(_NOTES)))
                    n_contacts += 1
            s.commit()
        done += size
        if progress:
            progress(done / clients)
    return DemoResult(clients, n_cases, n_contacts)
