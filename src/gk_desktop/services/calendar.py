"""The deadlines as a calendar file (iCalendar, RFC 5545) for the worker's own calendar program.

One all-day event per open deadline, with one alarm per reminder day (at 09:00 on that day). The
file leaves the vault unencrypted, so it says no more than a glance at a wall calendar should:
the case code and what kind of deadline it is. Never a person's name, never the words of a
hand-made follow-up (the worker's free text may name people): a follow-up shows only its label.
The UID of an event is a hash of the deadline's key, so a calendar that imports the file again
updates the events instead of doubling them.

Written by hand (no library): the format is small and the rules that matter — CRLF line ends,
lines folded at 75 octets without splitting a UTF-8 character, escaped TEXT values — are a few
lines each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gk_desktop.domain import deadlines as dl
from gk_desktop.domain.clock import today
from gk_desktop.errors import InputRejectedError
from gk_desktop.i18n import _
from gk_desktop.labels import DEADLINE_TYPE, label
from gk_desktop.storage.fsutil import atomic_write

PRODID = "-//gk-desktop//Fristen//DE"
UID_DOMAIN = "gk-desktop"
MAX_LINE_OCTETS = 75  # RFC 5545 §3.1, without the CRLF
CRLF = b"\r\n"
ALARM_HOUR = 9  # reminders fire at 09:00 on the reminder day


# --------------------------------------------------------------------------- format rules


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a TEXT value (§3.1: CONTROL); drop them.
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F)


def fold(line: str) -> bytes:
    """One content line as UTF-8 octets, folded (CRLF + one space) so that no physical line is
    longer than 75 octets; a multi-byte character is never split. Ends with CRLF."""
    data = line.encode("utf-8")
    parts: list[bytes] = []
    limit = MAX_LINE_OCTETS  # the first line: 75 octets; each continuation: a space + 74
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a UTF-8 continuation byte: step back
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = MAX_LINE_OCTETS - 1
    parts.append(data)
    return b"\r\n ".join(parts) + CRLF


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(now: dt.datetime) -> str:
    """A UTC date-time (FORM #2). A naive ``now`` is taken as local time, as Python does."""
    return now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def uid(deadline: dl.Deadline) -> str:
    """Stable across exports: a hash of the deadline's key (type, record id, due date)."""
    return hashlib.sha256(deadline.key.encode("utf-8")).hexdigest()[:32] + "@" + UID_DOMAIN


def trigger(due: dt.date, reminder: dt.date) -> str:
    """The alarm's offset from the start of the all-day event (00:00 of ``due``) so that it fires
    at 09:00 on ``reminder``: ``-P{n-1}DT15H`` for n ≥ 1 days before, ``PT9H`` on the day."""
    n = (due - reminder).days
    if n >= 1:
        return f"-P{n - 1}DT{24 - ALARM_HOUR}H"
    if n == 0:
        return f"PT{ALARM_HOUR}H"
    return f"P{-n}DT{ALARM_HOUR}H"  # a reminder after the due date (the engine makes none)


def summary(deadline: dl.Deadline) -> str:
    """Case code and the translated type label; never a name, never a follow-up's own words."""
    kind = label(DEADLINE_TYPE, deadline.type.value)
    return f"{deadline.case_code}: {kind}" if deadline.case_code else kind


# --------------------------------------------------------------------------- the calendar


def _event(deadline: dl.Deadline, stamp: str, description: str) -> list[str]:
    title = escape_text(summary(deadline))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(deadline)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(deadline.due)}",
        f"DTEND;VALUE=DATE:{_date(deadline.due + dt.timedelta(days=1))}",
        f"SUMMARY:{title}",
        f"DESCRIPTION:{description}",
        f"CATEGORIES:{escape_text(deadline.type.value)}",
        "TRANSP:TRANSPARENT",
    ]
    for reminder in deadline.reminders:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{title}",
            f"TRIGGER:{trigger(deadline.due, reminder)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def ics_bytes(deadlines: Iterable[dl.Deadline], *, now: dt.datetime, calendar_name: str | None = None) -> bytes:
    """A VCALENDAR with one all-day VEVENT per deadline given (nearest first), as UTF-8 octets
    with CRLF line ends and folded lines. ``now`` is the DTSTAMP of every event."""
    stamp = _utc(now)
    description = escape_text(_("Deadline from gk-desktop – details in the program."))
    name = calendar_name if calendar_name is not None else _("gk-desktop deadlines")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for deadline in sorted(deadlines, key=lambda d: (d.due, d.case_code or "", d.type.value, d.key)):
        lines += _event(deadline, stamp, description)
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def suggested_name(on: dt.date) -> str:
    """The file name to offer: the day, never a person's name."""
    return f"gk-fristen-{on.isoformat()}.ics"


def export(vault: Any, path: Path | str, *, on: dt.date | None = None, config: dl.DeadlineConfig | None = None,
           days_back: int = 7) -> int:
    """Write the open deadlines due on or after ``on`` − ``days_back`` to ``path`` (atomically; no
    other file is left behind) and record the export; returns the number of events."""
    from gk_desktop.services import deadlines

    if days_back < 0:
        raise ValueError("days_back must not be negative")
    on = on or today()
    target = Path(path)
    if target.is_dir():
        raise InputRejectedError(_("{path} is a folder; give a file name.").format(path=target))
    since = on - dt.timedelta(days=days_back)
    chosen = [d for d in deadlines.compute(vault, on=on, config=config)
              if d.status is dl.DeadlineStatus.OFFEN and d.due >= since]
    data = ics_bytes(chosen, now=dt.datetime.now(dt.timezone.utc))
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise InputRejectedError(_("The file could not be written: {reason}. Nothing was exported.").format(
            reason=exc.strerror or exc)) from exc
    vault.record_event("export", target_table="calendar")
    return len(chosen)
