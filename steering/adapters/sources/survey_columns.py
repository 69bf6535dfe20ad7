"""Tell survey export columns apart: metadata, personal data, scale questions, free text."""

from __future__ import annotations

import re

from steering.adapters.sources.frame import normalise

# Columns moodle feedback and LimeSurvey write besides the answers (English and German UI).
METADATA = frozenset(
    normalise(name)
    for name in (
        "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
        "interviewtime", "Response ID", "Date submitted", "Last page", "Start language",
        "Date started", "Date last action", "Seed",
        "Response number", "Submitted on", "Course", "Date", "Groups", "Antwortnummer",
        "Abgegeben am", "Kurs", "Datum", "Gruppen", "Zeitpunkt der Abgabe",
    )
)  # fmt: skip
# Columns that identify a person: never kept, whatever the configuration says.
PERSONAL = frozenset(
    normalise(name)
    for name in (
        "ipaddr", "refurl", "token", "firstname", "lastname", "email", "IP address",
        "Referrer URL", "Access code", "First name", "Last name", "Surname", "Full name",
        "Email address", "E-Mail-Adresse", "E-Mail", "User picture", "Username", "ID number",
        "User", "Vorname", "Nachname", "Vollständiger Name", "Nutzerbild", "Anmeldename",
        "Nutzername", "ID-Nummer", "Name",
    )
)  # fmt: skip
COMPLETED = tuple(normalise(n) for n in ("submitdate", "Date submitted", "Datum Abgeschickt"))
_TIMING = re.compile(r"^groupTime\d+$|^\S+Time$")
_ANSWER = re.compile(r"^\(?\s*([+\-\u2212]?)\s*(\d{1,3})\s*\)?(?:\s+\S.*)?$", re.DOTALL)
NO_ANSWER = frozenset(
    normalise(text)
    for text in (
        "",
        "-",
        "N/A",
        "k. A.",
        "keine Antwort",
        "Not selected",
        "nicht gewählt",
        "nicht gewählt.",
    )
)


def is_answer_column(name: str, organisation_column: str | None) -> bool:
    """True for a column that may hold answers (not metadata, personal data or timings)."""
    key = normalise(name)
    if organisation_column is not None and key == normalise(organisation_column):
        return False
    return bool(key) and key not in METADATA and key not in PERSONAL and not _TIMING.match(name)


def answer_value(text: str) -> int | None:
    """The number of an answer written as '2', '+2', '-1' or '(+2) sehr gut'; None otherwise."""
    match = _ANSWER.match(text.strip())
    if match is None:
        return None
    sign, digits = match.groups()
    return -int(digits) if sign in ("-", "\u2212") else int(digits)


def is_scale_column(answers: list[str], scale: tuple[int, int]) -> bool:
    """True when most given answers are numbers on the scale.

    A few invalid answers ('gut', a 3 on a -2..+2 scale) do not hide a question: the import
    lists each of them with its row instead.
    """
    given = [a for a in answers if normalise(a) not in NO_ANSWER]
    if not given:
        return False
    numbers = [answer_value(a) for a in given]
    on_scale = sum(1 for n in numbers if n is not None and scale[0] <= n <= scale[1])
    return on_scale * 2 > len(given)
