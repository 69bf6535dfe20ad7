"""Faults of the surroundings (store, database, Prefect API, disk): one line, what to check."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

import httpx
import psycopg
from sqlalchemy.engine import make_url

from steering.i18n import render

_TEXTS: dict[str, tuple[str, str]] = {
    "store_corrupt": (
        "Der Datenspeicher {url} ist keine lesbare SQLite-Datenbank (beschädigt oder eine "
        "andere Datei); prüfen Sie STEERING_DATABASE_URL bzw. STEERING_DATA_DIR oder spielen "
        "Sie die Sicherung zurück.",
        "The store {url} is not a readable SQLite database (damaged or another file); check "
        "STEERING_DATABASE_URL or STEERING_DATA_DIR, or restore the backup.",
    ),
    "store_unopenable": (
        "Der Datenspeicher {url} lässt sich nicht öffnen; prüfen Sie, ob der Ordner existiert "
        "und beschreibbar ist (STEERING_DATA_DIR, STEERING_DATABASE_URL).",
        "The store {url} cannot be opened; check that its folder exists and is writable "
        "(STEERING_DATA_DIR, STEERING_DATABASE_URL).",
    ),
    "database_unreachable": (
        "Die Datenbank {url} ist nicht erreichbar; prüfen Sie STEERING_DATABASE_URL und ob der "
        "Datenbankserver läuft und Verbindungen annimmt.",
        "The database {url} cannot be reached; check STEERING_DATABASE_URL and that the "
        "database server is running and accepting connections.",
    ),
    "prefect_unreachable": (
        "Die Prefect-API ist nicht erreichbar; prüfen Sie PREFECT_API_URL und ob der "
        "Prefect-Server läuft.",
        "The Prefect API cannot be reached; check PREFECT_API_URL and that the Prefect "
        "server is running.",
    ),
    "prefect_refused": (
        "Die Prefect-API antwortet mit Fehler {status}; prüfen Sie PREFECT_API_URL und "
        "PREFECT_API_AUTH_STRING.",
        "The Prefect API answers with error {status}; check PREFECT_API_URL and "
        "PREFECT_API_AUTH_STRING.",
    ),
    "disk_full": (
        "Kein Platz mehr auf dem Datenträger{where}; prüfen Sie den freien Speicher "
        "(STEERING_DATA_DIR, --out).",
        "No space left on the device{where}; check the free space (STEERING_DATA_DIR, --out).",
    ),
    "debug_hint": (
        "(Einzelheiten: steer --debug oder STEERING_DEBUG=1)",
        "(details: steer --debug or STEERING_DEBUG=1)",
    ),
}
_CORRUPT = ("file is not a database", "database disk image is malformed")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (SQLAlchemy's .orig) and what caused it."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        link = pending.pop(0)
        if link is None or id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        orig = getattr(link, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None]
        pending += [link.__cause__, link.__context__]


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown by name only
        return "(STEERING_DATABASE_URL)"


def explain_fault(exc: BaseException, lang: str, database_url: str) -> str | None:
    """One line for a fault outside the engine, or None for anything else (a bug: traceback)."""
    url = _shown_url(database_url)
    for link in _chain(exc):
        key, params = _classify(link)
        if key:
            hint = render(_TEXTS["debug_hint"], lang)
            return f"{render(_TEXTS[key], lang, url=url, **params)} {hint}"
    return None


def _classify(link: BaseException) -> tuple[str, dict[str, object]]:
    if isinstance(link, OSError) and link.errno in (errno.ENOSPC, errno.EDQUOT):
        where = f" ({link.filename})" if link.filename else ""
        return "disk_full", {"where": where}
    if isinstance(link, sqlite3.DatabaseError):
        text = str(link)
        if any(marker in text for marker in _CORRUPT):
            return "store_corrupt", {}
        if "unable to open database file" in text:
            return "store_unopenable", {}
    if isinstance(link, psycopg.OperationalError):
        return "database_unreachable", {}
    if isinstance(link, httpx.TransportError):
        return "prefect_unreachable", {}
    if isinstance(link, httpx.HTTPStatusError):
        return "prefect_refused", {"status": link.response.status_code}
    return "", {}
