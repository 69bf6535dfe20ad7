"""How numbers, dates and times are written for people: the German and the English way."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

GERMAN_DATE = "%d.%m.%Y"
ISO_DATE = "%Y-%m-%d"


def number(value: Any, lang: str = "de") -> str:
    """A number formatted the German (1.234,5) or English (1,234.5) way."""
    if value is None:
        return "–"
    if value == "inf":
        return "∞"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(value: Any, lang: str = "de") -> str:
    """A share as percent, e.g. 0.153 -> '15,3 %'."""
    if value is None:
        return "–"
    if value == "inf":
        return "∞"
    text = f"{float(value) * 100:.1f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if lang == "de" else text) + " %"


def day_text(value: date, lang: str = "de") -> str:
    """A day as people read it: 14.02.2020 in German, 2020-02-14 in English."""
    return value.strftime(GERMAN_DATE if lang == "de" else ISO_DATE)


def time_text(value: datetime, lang: str = "de", *, seconds: bool = False) -> str:
    """A day and time: 14.02.2020 10:15 in German, 2020-02-14 10:15 in English."""
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return value.strftime(f"{GERMAN_DATE if lang == 'de' else ISO_DATE} {clock}")


def parse_day(text: str) -> date:
    """A day written the German (14.02.2020) or ISO (2020-02-14) way; ValueError otherwise."""
    for pattern in (GERMAN_DATE, ISO_DATE):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is neither DD.MM.YYYY nor YYYY-MM-DD")
