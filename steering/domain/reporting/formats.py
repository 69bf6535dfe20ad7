"""How numbers, dates and times are written for people; the catalogue holds each language's way."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from steering.i18n import format_date, format_moment, localise_number, tr

GERMAN_DATE = "%d.%m.%Y"
ISO_DATE = "%Y-%m-%d"


def number(value: Any, lang: str = "de") -> str:
    """A number formatted the German (1.234,5) or English (1,234.5) way."""
    if value is None:
        return "–"
    if value == "inf":
        return "∞"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return localise_number(text, lang)


def percent(value: Any, lang: str = "de") -> str:
    """A share as percent, e.g. 0.153 -> '15,3 %'."""
    if value is None:
        return "–"
    if value == "inf":
        return "∞"
    text = f"{float(value) * 100:.1f}".rstrip("0").rstrip(".")
    return localise_number(text, lang) + " %"


def day_text(value: date, lang: str = "de") -> str:
    """A day as people read it: 14.02.2020 in German, 2020-02-14 in English."""
    return format_date(value, lang)


def time_text(value: datetime, lang: str = "de", *, seconds: bool = False) -> str:
    """A day and time: 14.02.2020 10:15 in German, 2020-02-14 10:15 in English."""
    if seconds:
        return tr("{at:%Y-%m-%d %H:%M:%S}", lang, at=value)
    return format_moment(value, lang)


def parse_day(text: str) -> date:
    """A day written the German (14.02.2020) or ISO (2020-02-14) way; ValueError otherwise."""
    for pattern in (GERMAN_DATE, ISO_DATE):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is neither DD.MM.YYYY nor YYYY-MM-DD")
