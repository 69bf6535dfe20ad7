"""Calendar feeds (iCalendar) that Outlook, Thunderbird or a phone can subscribe to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar

from steering.adapters.files.atomic import write_bytes
from steering.domain.reporting.calendar import Entry


def render_ics(
    title: str, entries: list[Entry], *, programme_id: str, now: datetime, timezone: str
) -> bytes:
    """One VCALENDAR with an event per entry; UIDs are stable so updates replace entries."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//pdca-steering//Programmsteuerung//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", timezone)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@{programme_id}.pdca-steering")
        event.add("summary", entry.title)
        event.add("dtstamp", now.astimezone(UTC))
        if isinstance(entry.at, datetime):
            event.add("dtstart", entry.at)
            event.add("dtend", entry.at + timedelta(hours=1))
        else:
            day: date = entry.at
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def write_ics(data: bytes, path: Path) -> Path:
    """Write the feed atomically."""
    return write_bytes(path, data)
