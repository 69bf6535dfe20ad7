"""Create SQLAlchemy engines for SQLite (WAL, busy timeout, foreign keys) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_BUSY_TIMEOUT_MS = 15_000


def make_engine(
    url: str | URL, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, echo: bool = False
) -> Engine:
    """Create an engine for the URL, tuned for the backend it names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_ms=busy_timeout_ms, echo=echo)
    return sqlalchemy.create_engine(parsed, pool_pre_ping=True, echo=echo)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Create the session factory units of work draw their sessions from."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def sqlite_file(url: str | URL) -> Path | None:
    """Return the database file of a SQLite URL, or None for in-memory and other backends."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        if parsed.query.get("uri") not in ("true", "1"):
            return Path(database)
        path = database.removeprefix("file:").partition("?")[0]
        return None if not path or path == ":memory:" else Path(path)
    return Path(database)


def _sqlite_engine(url: URL, *, busy_timeout_ms: int, echo: bool) -> Engine:
    if busy_timeout_ms < 0:
        raise ValueError("busy_timeout_ms must not be negative")
    database = sqlite_file(url)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    # The driver's own lock wait (seconds) matches the busy timeout for the first statement.
    engine = sqlalchemy.create_engine(
        url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000}
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    return engine


def shown_url(url: str) -> str:
    """The database URL with its password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
