"""Calendar entries as a read model: what the services build and the ICS format renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Entry:
    """One calendar entry; `at` is a day (all-day entry) or a local time."""

    uid: str
    title: str
    at: date | datetime
    description: str = ""
