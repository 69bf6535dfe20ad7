"""Faults of the surroundings (store, database, Prefect API, disk): one line, what to check."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

import httpx
import psycopg

from steering.bootstrap import shown_url
from steering.i18n import N_, tr

_TEXTS: dict[str, str] = {
    "store_corrupt": N_(
        "The store {url} is not a readable SQLite database (damaged or another file); "
        "check STEERING_DATABASE_URL or STEERING_DATA_DIR, or restore the backup."
    ),
    "store_unopenable": N_(
        "The store {url} cannot be opened; check that its folder exists and is writable "
        "(STEERING_DATA_DIR, STEERING_DATABASE_URL)."
    ),
    "database_unreachable": N_(
        "The database {url} cannot be reached; check STEERING_DATABASE_URL and that the "
        "database server is running and accepting connections."
    ),
    "prefect_unreachable": N_(
        "The Prefect API cannot be reached; check PREFECT_API_URL and that the Prefect "
        "server is running."
    ),
    "prefect_refused": N_(
        "The Prefect API answers with error {status}; check PREFECT_API_URL and "
        "PREFECT_API_AUTH_STRING."
    ),
    "disk_full": N_(
        "No space left on the device{where}; check the free space (STEERING_DATA_DIR, --out)."
    ),
    "debug_hint": N_("(details: steer --debug or STEERING_DEBUG=1)"),
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
        return shown_url(url)
    except Exception:  # an unparsable URL is shown by name only
        return "(STEERING_DATABASE_URL)"


def explain_fault(exc: BaseException, lang: str, database_url: str) -> str | None:
    """One line for a fault outside the engine, or None for anything else (a bug: traceback)."""
    url = _shown_url(database_url)
    for link in _chain(exc):
        key, params = _classify(link)
        if key:
            hint = tr(_TEXTS["debug_hint"], lang)
            return f"{tr(_TEXTS[key], lang, url=url, **params)} {hint}"
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
