"""The calendar export (.ics, RFC 5545): the format rules, the alarms, and what never leaves the vault."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gk_desktop.domain.deadlines import Deadline, DeadlineStatus, DeadlineType
from gk_desktop.errors import InputRejectedError
from gk_desktop.labels import DEADLINE_TYPE, label
from gk_desktop.services import calendar, clients, deadlines

NOW = dt.datetime(2026, 11, 25, 8, 30, 15, tzinfo=dt.timezone.utc)
CANARY_FIRST = "Zzcanary"
CANARY_LAST = "Qqcanary"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def _deadline(kind: DeadlineType, due: dt.date, leads: tuple[int, ...], *, source: str = "rec-1",
              case_code: str | None = "GK-26-AB12CD", text: str = "") -> Deadline:
    reminders = tuple(sorted(due - dt.timedelta(days=n) for n in leads))
    return Deadline(key=f"{kind}:{source}:{due.isoformat()}", type=kind, due=due, remind_from=reminders[0],
                    reminders=reminders, source_table="x", source_id=source, case_code=case_code,
                    client_id=None if case_code is None else "client-1", text=text)


SAMPLE = [
    _deadline(DeadlineType.DULDUNG_ABLAUF, dt.date(2026, 12, 31), (28, 14, 3)),
    _deadline(DeadlineType.WIEDERVORLAGE, dt.date(2026, 12, 1), (0,), source="fu-1", text="call the office"),
    _deadline(DeadlineType.ANGEBOT_AKTUALISIEREN, dt.date(2027, 2, 28), (0,), source="offer-1", case_code=None),
    _deadline(DeadlineType.AE_ABLAUF, dt.date(2027, 3, 31), (92, 28, 14, 1), source="rec-2"),
]


def _physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def _unfold(data: bytes) -> list[str]:
    """The content lines: folded lines joined back (RFC 5545 §3.1), decoded."""
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --------------------------------------------------------------------------- the calendar and its events


def test_the_calendar_header() -> None:
    data = calendar.ics_bytes(SAMPLE, now=NOW)
    lines = _unfold(data)
    assert lines[:6] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gk-desktop//Fristen//DE", "CALSCALE:GREGORIAN",
                         "METHOD:PUBLISH", "X-WR-CALNAME:gk-desktop deadlines"]
    assert lines[-1] == "END:VCALENDAR"
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]) == "-//gk-desktop//Fristen//DE"
    assert str(icalendar.Calendar.from_ical(calendar.ics_bytes([], now=NOW, calendar_name="Team")) ["X-WR-CALNAME"]) == "Team"


def test_one_all_day_event_per_deadline_with_uid_and_dtstamp() -> None:
    events = _events(calendar.ics_bytes(SAMPLE, now=NOW))
    assert len(events) == len(SAMPLE)
    by_start = {e["DTSTART"].dt: e for e in events}
    for d in SAMPLE:
        event = by_start[d.due]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date  # all-day: a date, not a datetime
        assert end == d.due + dt.timedelta(days=1)
        assert str(event["UID"]) == calendar.uid(d) and str(event["UID"]).endswith("@gk-desktop")
        assert event["DTSTAMP"].dt == NOW.replace(second=15)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event["CATEGORIES"].cats == [d.type.value]
    assert len({str(e["UID"]) for e in events}) == len(SAMPLE)
    raw = _unfold(calendar.ics_bytes(SAMPLE, now=NOW))
    assert "DTSTART;VALUE=DATE:20261231" in raw and "DTEND;VALUE=DATE:20270101" in raw
    assert raw.count("DTSTAMP:20261125T083015Z") == len(SAMPLE)


def test_dtstamp_is_utc_whatever_the_zone_of_now() -> None:
    berlin_winter = dt.timezone(dt.timedelta(hours=1))
    data = calendar.ics_bytes(SAMPLE[:1], now=dt.datetime(2026, 11, 25, 9, 30, 15, tzinfo=berlin_winter))
    assert "DTSTAMP:20261125T083015Z" in _unfold(data)


def test_summary_is_the_case_code_and_the_label() -> None:
    events = {e["DTSTART"].dt: e for e in _events(calendar.ics_bytes(SAMPLE, now=NOW))}
    assert str(events[dt.date(2026, 12, 31)]["SUMMARY"]) == "GK-26-AB12CD: Duldung expires"
    assert str(events[dt.date(2026, 12, 1)]["SUMMARY"]) == "GK-26-AB12CD: Follow-up"  # never its own words
    assert str(events[dt.date(2027, 2, 28)]["SUMMARY"]) == "Check that the offer is up to date"  # an offer: no code
    for event in events.values():
        assert str(event["DESCRIPTION"]) == "Deadline from gk-desktop – details in the program."


def test_the_words_follow_the_language() -> None:
    from gk_desktop import i18n

    i18n.set_language("de")
    (event,) = _events(calendar.ics_bytes(SAMPLE[:1], now=NOW))
    assert str(event["SUMMARY"]) == "GK-26-AB12CD: " + label(DEADLINE_TYPE, "DULDUNG_ABLAUF")
    assert str(event["DESCRIPTION"]) == i18n._("Deadline from gk-desktop – details in the program.")


# --------------------------------------------------------------------------- alarms


def test_one_display_alarm_per_reminder_at_nine_on_the_reminder_day() -> None:
    events = {e["DTSTART"].dt: e for e in _events(calendar.ics_bytes(SAMPLE, now=NOW))}
    for d in SAMPLE:
        alarms = list(events[d.due].walk("VALARM"))
        assert len(alarms) == len(d.reminders)
        for alarm, reminder in zip(alarms, d.reminders):
            assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"])
            # relative to the start (00:00 of the due day): 09:00 on the reminder day
            start = dt.datetime.combine(d.due, dt.time())
            assert start + alarm["TRIGGER"].dt == dt.datetime.combine(reminder, dt.time(9))
    duldung = events[dt.date(2026, 12, 31)]
    assert [alarm["TRIGGER"].dt for alarm in duldung.walk("VALARM")] == [
        -dt.timedelta(days=27, hours=15), -dt.timedelta(days=13, hours=15), -dt.timedelta(days=2, hours=15)]


def test_trigger_text() -> None:
    due = dt.date(2026, 12, 31)
    assert calendar.trigger(due, due) == "PT9H"
    assert calendar.trigger(due, due - dt.timedelta(days=1)) == "-P0DT15H"
    assert calendar.trigger(due, due - dt.timedelta(days=3)) == "-P2DT15H"
    assert calendar.trigger(due, due - dt.timedelta(days=28)) == "-P27DT15H"
    raw = _unfold(calendar.ics_bytes(SAMPLE, now=NOW))
    triggers = [line for line in raw if line.startswith("TRIGGER")]
    assert triggers.count("TRIGGER:PT9H") == 2 and "TRIGGER:-P91DT15H" in triggers and "TRIGGER:-P0DT15H" in triggers
    assert len(triggers) == sum(len(d.reminders) for d in SAMPLE)


# --------------------------------------------------------------------------- lines, folding, escaping


def _check_lines(data: bytes) -> None:
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF
    assert data.count(b"\r") == data.count(b"\r\n")  # no bare CR
    for line in _physical_lines(data):
        assert len(line) <= 75, line
        line.decode("utf-8")  # every physical line is whole UTF-8: no character split by a fold


def test_crlf_everywhere_and_no_line_over_75_octets() -> None:
    _check_lines(calendar.ics_bytes(SAMPLE, now=NOW))
    _check_lines(calendar.ics_bytes([], now=NOW))


def test_a_long_summary_with_umlauts_and_arabic_folds_without_breaking_utf8() -> None:
    code = "GK-26-ÄÖÜ-" + "äöüß" * 10 + "-" + "مرحبا بالعالم " * 6 + "🙂" * 5
    deadline = _deadline(DeadlineType.DULDUNG_ABLAUF, dt.date(2026, 12, 31), (28,), case_code=code)
    name = "Fristen für Jürgen Ößwald – " + "تقويم المواعيد " * 8
    data = calendar.ics_bytes([deadline], now=NOW, calendar_name=name)
    _check_lines(data)
    assert any(line.startswith(b" ") for line in _physical_lines(data))  # folded indeed
    lines = _unfold(data)
    assert f"SUMMARY:{code}: Duldung expires" in lines
    assert f"X-WR-CALNAME:{name}" in lines
    (event,) = _events(data)
    assert str(event["SUMMARY"]) == f"{code}: Duldung expires"


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc"])
def test_folding_at_every_offset_of_a_multibyte_character(prefix: str) -> None:
    for text in ("ä" * 120, "م" * 120, "€" * 120, "🙂" * 120):
        line = "SUMMARY:" + prefix + text
        folded = calendar.fold(line)
        _check_lines(folded)
        assert folded.replace(b"\r\n ", b"") == line.encode("utf-8") + b"\r\n"


def test_fold_limits() -> None:
    assert calendar.fold("x" * 75) == b"x" * 75 + b"\r\n"
    assert calendar.fold("x" * 76) == b"x" * 75 + b"\r\n x\r\n"
    assert calendar.fold("x" * 149) == b"x" * 75 + b"\r\n " + b"x" * 74 + b"\r\n"
    assert calendar.fold("x" * 74 + "ä") == b"x" * 74 + b"\r\n \xc3\xa4\r\n"  # 76 octets: the ä moves whole


@given(st.text(min_size=0, max_size=400))
def test_fold_any_text(text: str) -> None:
    line = "DESCRIPTION:" + calendar.escape_text(text)
    folded = calendar.fold(line)
    _check_lines(folded)
    assert folded.replace(b"\r\n ", b"")[:-2].decode("utf-8") == line


def test_text_values_are_escaped() -> None:
    assert calendar.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    name = "Team; Nord, Süd\\West\nzweite Zeile"
    data = calendar.ics_bytes(SAMPLE[:1], now=NOW, calendar_name=name)
    _check_lines(data)
    assert "X-WR-CALNAME:Team\\; Nord\\, Süd\\\\West\\nzweite Zeile" in _unfold(data)
    code = "GK-26-A,B;C\\D\nE"  # (icalendar leaves X- properties escaped: the round trip through SUMMARY)
    (event,) = _events(calendar.ics_bytes([SAMPLE[0]._replace(case_code=code)], now=NOW))
    assert str(event["SUMMARY"]) == f"{code}: Duldung expires"


def test_a_follow_ups_words_never_reach_the_file() -> None:
    secret = _deadline(DeadlineType.WIEDERVORLAGE, dt.date(2026, 12, 1), (0,), text=f"{CANARY_FIRST} anrufen")
    data = calendar.ics_bytes([secret], now=NOW)
    assert CANARY_FIRST.lower().encode() not in data.lower() and b"anrufen" not in data
    assert b"GK-26-AB12CD" in data


def test_suggested_name() -> None:
    assert calendar.suggested_name(dt.date(2026, 11, 25)) == "gk-fristen-2026-11-25.ics"


# --------------------------------------------------------------------------- export from the vault


FILE = {
    "first_name": CANARY_FIRST, "last_name": CANARY_LAST, "birth_date": "2004-03-01", "entry_date_de": "2022-05-01",
    "residence_periods": [{"status": "DULDUNG_60A", "valid_from": "2026-07-01", "valid_until": "2026-12-31"}],
}


def _audit_exports(vault) -> list[str | None]:
    from sqlalchemy import select

    from gk_desktop.storage.models import AuditEvent

    with vault.session() as s:
        return list(s.scalars(select(AuditEvent.target_table).where(AuditEvent.kind == "export")))


def test_export_of_the_vault(open_vault, tmp_path) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    deadlines.add_follow_up(open_vault, code, "2026-12-01", f"{CANARY_FIRST} anrufen, {CANARY_LAST}; Termin")
    out = tmp_path / "out"
    out.mkdir()
    target = out / calendar.suggested_name(dt.date(2026, 11, 25))
    open_deadlines = [d for d in deadlines.compute(open_vault) if d.status is DeadlineStatus.OFFEN]

    n = calendar.export(open_vault, target)

    assert sorted(p.name for p in out.iterdir()) == [target.name]  # only the chosen file
    data = target.read_bytes()
    _check_lines(data)
    events = _events(data)
    assert n == len(events) == len(open_deadlines) and n >= 2
    summaries = {str(e["SUMMARY"]) for e in events}
    assert f"{code}: Duldung expires" in summaries and f"{code}: Follow-up" in summaries
    duldung = next(e for e in events if str(e["SUMMARY"]) == f"{code}: Duldung expires")
    assert duldung["DTSTART"].dt == dt.date(2026, 12, 31)
    assert [a["TRIGGER"].dt for a in duldung.walk("VALARM")] == [
        -dt.timedelta(days=27, hours=15), -dt.timedelta(days=13, hours=15), -dt.timedelta(days=2, hours=15)]
    # privacy: neither the name nor the follow-up's words, in any case or escaping
    lowered = data.lower()
    for word in (CANARY_FIRST, CANARY_LAST, "anrufen", "termin"):
        assert word.lower().encode() not in lowered
    assert code.encode() in data
    for d in open_deadlines:  # no record id either (the UID is a hash of the key)
        assert d.source_id.encode() not in data and (d.client_id or "-").encode() not in data
    assert _audit_exports(open_vault) == ["calendar"]


def test_done_and_dismissed_and_long_past_deadlines_are_left_out(open_vault, tmp_path) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    deadlines.add_follow_up(open_vault, code, "2026-11-10", "old")  # 15 days back: left out
    deadlines.add_follow_up(open_vault, code, "2026-11-20", "recent")  # 5 days back: kept
    deadlines.add_follow_up(open_vault, code, "2026-12-02", "dismissed")
    every = deadlines.compute(open_vault)
    duldung = next(d for d in every if d.type is DeadlineType.DULDUNG_ABLAUF)
    dismissed = next(d for d in every if d.type is DeadlineType.WIEDERVORLAGE and d.due == dt.date(2026, 12, 2))
    deadlines.decide(open_vault, duldung.key, "ERLEDIGT")
    deadlines.decide(open_vault, dismissed.key, "VERWORFEN")
    target = tmp_path / "f.ics"

    n = calendar.export(open_vault, target)

    starts = sorted(e["DTSTART"].dt for e in _events(target.read_bytes()))
    assert n == len(starts) == len(every) - 3
    assert dt.date(2026, 12, 31) not in starts and dt.date(2026, 12, 2) not in starts
    assert dt.date(2026, 11, 10) not in starts and dt.date(2026, 11, 20) in starts
    assert calendar.export(open_vault, target, days_back=30) == n + 1
    assert calendar.export(open_vault, target, on=dt.date(2026, 11, 25), days_back=0) == n - 1


def test_uids_are_stable_across_exports(open_vault, tmp_path) -> None:
    code = clients.add_client(open_vault, FILE).case_code
    deadlines.add_follow_up(open_vault, code, "2026-12-01", "x")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    calendar.export(open_vault, first)
    calendar.export(open_vault, second)
    uids = [sorted(str(e["UID"]) for e in _events(p.read_bytes())) for p in (first, second)]
    assert uids[0] == uids[1] and len(set(uids[0])) == len(uids[0]) > 0
    assert calendar.uid(SAMPLE[0]) == calendar.uid(SAMPLE[0]._replace(case_code="GK-26-OTHER1", reminders=()))


def test_export_replaces_the_file_and_refuses_a_folder(open_vault, tmp_path) -> None:
    clients.add_client(open_vault, FILE)
    target = tmp_path / "f.ics"
    target.write_bytes(b"old")
    n = calendar.export(open_vault, target)
    assert len(_events(target.read_bytes())) == n
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".ics", ".part"))) == ["f.ics"]
    with pytest.raises(InputRejectedError):
        calendar.export(open_vault, tmp_path)
    with pytest.raises(InputRejectedError):
        calendar.export(open_vault, tmp_path / "missing-folder" / "f.ics")
