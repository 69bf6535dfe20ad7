"""Parse numbers and dates the way German spreadsheets write them (and English ones)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

Decimal_ = Literal[",", "."]
DecimalMode = Literal["auto", ",", "."]

_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_BODY = re.compile(r"^[0-9., ]+$")
_CURRENCY = re.compile(r"^(?:€|EUR)\s*|\s*(?:€|EUR)$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$|^\d{4}-\d{2}-\d{2}")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
_MAX_SERIAL = 2_958_465  # 9999-12-31
_GERMAN_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DETECT_SAMPLE = 5000  # distinct values looked at to detect a file's decimal mark
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


class NumberError(ValueError):
    """A text that is not a number; `code` names the reason (for a hint to the user)."""

    def __init__(self, text: str, code: str = "not_a_number") -> None:
        super().__init__(f"{text!r} is not a number ({code})")
        self.code = code


def _decimal_of(body: str, mode: DecimalMode) -> Decimal_:
    if mode != "auto":
        return mode
    if "." in body and "," in body:
        return "," if body.rfind(",") > body.rfind(".") else "."
    if body.count(",") > 1:
        return "."
    if body.count(".") == 1 and len(body) - body.rfind(".") - 1 != 3:
        return "."
    return ","  # German default: one comma is decimal, '1.234' is a thousand


def _grouped_digits(part: str, group: str, text: str, decimal: Decimal_) -> str:
    groups = re.split(rf"[{re.escape(group)} ]", part)
    if len(groups) == 1:
        if not part.isdigit() and part:
            raise NumberError(text)
        return part
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        wrong = group in part and len(groups) == 2 and bool(groups[0]) and len(groups[1]) != 3
        code = ("decimal_comma" if decimal == "," else "decimal_point") if wrong else "grouping"
        raise NumberError(text, code)
    if not all(g.isdigit() for g in groups):
        raise NumberError(text)
    return "".join(groups)


def parse_number(text: object, decimal: DecimalMode = "auto", *, percent: bool = False) -> float:
    """Parse '12.500,00', '12 500,5', '-3,5', '+2' (or '12,500.00' with decimal='.')."""
    if isinstance(text, bool):
        raise NumberError(repr(text))
    if isinstance(text, int | float | Decimal):
        try:
            value = float(text)
        except (OverflowError, ValueError):
            raise NumberError(repr(text), "too_large") from None
        if not math.isfinite(value):
            raise NumberError(repr(text))
        return value
    if not isinstance(text, str):
        raise NumberError(repr(text))
    s = _SPACES.sub(" ", text.strip())
    if not s:
        raise NumberError(text, "empty")
    if _DATE_LIKE.match(s):
        raise NumberError(text, "date")
    s = _CURRENCY.sub("", s)
    scale = 1.0
    if s.endswith("%"):
        if not percent:
            raise NumberError(text, "percent")
        s, scale = s[:-1].rstrip(), 0.01
    sign = 1.0
    s = s.replace("\u2212", "-")
    if s and s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:].lstrip()
    if not s or not _BODY.match(s) or s.startswith(" ") or s.endswith(" "):
        raise NumberError(text, "excel_error" if s.startswith("#") else "not_a_number")
    dec = _decimal_of(s, decimal)
    group = "." if dec == "," else ","
    integer, sep, fraction = s.partition(dec)
    if dec in fraction or (sep and not fraction.isdigit()) or not (integer or fraction):
        raise NumberError(text)
    digits = _grouped_digits(integer, group, text, dec)
    value = float(f"{digits or '0'}.{fraction or '0'}") * sign * scale
    if not math.isfinite(value):
        raise NumberError(text, "too_large")
    return value


def _evidence(text: str) -> Decimal_ | None:
    body = _SPACES.sub("", text.strip()).lstrip("+-\u2212").rstrip("% €")
    if not body or not _BODY.match(body):
        return None
    if "." in body and "," in body:
        return "," if body.rfind(",") > body.rfind(".") else "."
    pairs: tuple[tuple[Decimal_, Decimal_], ...] = ((",", "."), (".", ","))
    for mark, other in pairs:
        count = body.count(mark)
        if count > 1:
            return other  # repeated marks are thousands separators
        if count == 1 and len(body) - body.rfind(mark) - 1 != 3:
            return mark
    return None


def _distinct(values: Iterable[str]) -> Iterator[str]:
    """The values in order, each once, read only as far as they are asked for."""
    # dict.fromkeys would take in all million values of a file to give the first 5000.
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            yield value


def detect_decimal(values: Iterable[str], default: Decimal_ = ",") -> Decimal_:
    """The decimal mark a file's values use: '12,5' votes comma, '0.75' point (first 5000)."""
    votes = {",": 0, ".": 0}
    for value in itertools.islice(_distinct(values), _DETECT_SAMPLE):
        mark = _evidence(value)
        if mark:
            votes[mark] += 1
    if votes[","] == votes["."]:
        return default
    return "," if votes[","] > votes["."] else "."


def format_number(value: float, decimal: Decimal_) -> str:
    """Write a number without grouping so parse_number reads it back exactly."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{Decimal(repr(value)):f}".replace(".", decimal)


def _from_serial(serial: float) -> date:
    if not math.isfinite(serial) or not 1 <= serial <= _MAX_SERIAL:
        raise ValueError(f"{serial!r} is not an Excel date serial (1 to {_MAX_SERIAL})")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def parse_date(text: object) -> date:
    """Parse '31.12.2019', '31.12.19', '2019-12-31', an Excel serial (43830) or a datetime."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a date")
    if isinstance(text, int) and not 1 <= text <= _MAX_SERIAL:
        raise ValueError(f"{text!r} is not an Excel date serial (1 to {_MAX_SERIAL})")
    if isinstance(text, int | float):
        return _from_serial(float(text))
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date")
    s = text.strip()
    if match := _GERMAN_DATE.match(s):
        day, month, year = match.groups()
        return date(_year(year), int(month), int(day))
    if match := _ISO_DATE.match(s):
        year, month, day = match.groups()
        return date(int(year), int(month), int(day))
    if _SERIAL.match(s):
        return _from_serial(float(s.replace(",", ".")))
    raise ValueError(f"{text!r} is not a date (31.12.2019, 2019-12-31)")
