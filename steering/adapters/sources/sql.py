"""Run a source's SQL query (URL from the environment, time-limited, read-only) into text rows."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import sqlalchemy
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from steering.adapters.sources.found import found_columns
from steering.adapters.sources.frame import cell_text
from steering.adapters.sources.german import Decimal_, detect_decimal
from steering.adapters.sources.messages import msg, number
from steering.adapters.sources.result import FileProblem, RowError

_ENV = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
REQUIRED = ("indicator", "organisation", "period", "value")


def _problem(lang: str, key: str, column: str = "", **params: object) -> FileProblem:
    return FileProblem([RowError(0, column, "", msg(key, lang, column=column, **params), lang)])


def resolve_url(url: str, lang: str) -> tuple[str, list[str]]:
    """The URL with ${VAR} taken from the environment, and the secrets to mask in messages."""
    missing = [name for name in _ENV.findall(url) if not os.environ.get(name)]
    if missing:
        raise _problem(lang, "env_missing", name=missing[0])
    resolved = _ENV.sub(lambda m: os.environ[m.group(1)], url)
    secrets = [resolved, *(os.environ[name] for name in _ENV.findall(url))]
    try:
        password = make_url(resolved).password
    except (SQLAlchemyError, ValueError):
        password = None
    if password:
        secrets.append(str(password))
    return resolved, sorted({s for s in secrets if s}, key=len, reverse=True)


def _masked(exc: BaseException, secrets: list[str]) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines() or [""]
    reason = f"{type(original).__name__}: {lines[0]}"
    for secret in secrets:
        reason = reason.replace(secret, "***")
    return reason


@contextmanager
def _time_limit(connection: Connection, seconds: float) -> Iterator[None]:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
    elif dialect in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET SESSION MAX_EXECUTION_TIME = {int(seconds * 1000)}")
    driver: Any = connection.connection.driver_connection
    handler = dialect == "sqlite" and hasattr(driver, "set_progress_handler")
    if handler:
        deadline = time.monotonic() + seconds
        driver.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    finally:
        if handler:
            driver.set_progress_handler(None, 0)


# What a query may do in an SQLite source: read. ATTACH and VACUUM INTO would write files
# even on a read-only connection (they open other files), PRAGMA x = y would change settings.
_SQLITE_READS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)


def _sqlite_authorizer(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    if action in _SQLITE_READS or (action == sqlite3.SQLITE_PRAGMA and arg2 is None):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _sqlite_read_only(database: str, seconds: float) -> Callable[[], sqlite3.Connection]:
    """A connection factory: the file opened read-only (mode=ro), every write denied."""
    file = database.removeprefix("file:").split("?", 1)[0]  # the caller's URI options go
    uri = "file::memory:" if file in ("", ":memory:") else f"file:{quote(file)}?mode=ro"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, timeout=seconds, check_same_thread=False)
        connection.set_authorizer(_sqlite_authorizer)
        return connection

    return connect


def _engine(url: str, seconds: float, lang: str, shown: str) -> sqlalchemy.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        file = database.removeprefix("file:").split("?", 1)[0]
        if file not in ("", ":memory:") and not Path(file).is_file():
            raise _problem(lang, "file_missing", file=shown)
        return sqlalchemy.create_engine(
            "sqlite://", creator=_sqlite_read_only(database, seconds), poolclass=NullPool
        )
    if parsed.get_backend_name() == "postgresql":
        return sqlalchemy.create_engine(
            parsed, connect_args={"connect_timeout": max(1, int(seconds))}
        )
    return sqlalchemy.create_engine(parsed)


def run_query(
    url: str, query: str, seconds: float, lang: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of the query; every failure is a FileProblem without secrets."""
    resolved, secrets = resolve_url(url, lang)
    started = time.monotonic()
    try:
        engine = _engine(resolved, seconds, lang, shown=url)
        try:
            with engine.connect() as connection, _time_limit(connection, seconds):
                result = connection.execute(text(query))
                columns = [str(c) for c in result.keys()]  # noqa: SIM118
                rows = [tuple(row) for row in result.fetchall()]
                connection.rollback()
        finally:
            engine.dispose()
    except FileProblem:
        raise
    except Exception as exc:  # driver errors of any backend; message is masked
        if time.monotonic() - started >= seconds:
            problem = _problem(lang, "sql_timeout", seconds=number(seconds, lang))
            problem.transient = True
            raise problem from None
        original = getattr(exc, "orig", None) or exc
        if getattr(original, "sqlite_errorname", "") == "SQLITE_AUTH":
            raise _problem(lang, "sql_read_only") from None
        problem = _problem(lang, "sql_failed", reason=_masked(exc, secrets))
        # Unreachable server, broken connection: worth another try. A wrong query is not.
        problem.transient = isinstance(exc, (OperationalError, InterfaceError, TimeoutError))
        raise problem from None
    return columns, rows


def query_frame(
    columns: list[str], rows: list[tuple[Any, ...]], lang: str
) -> tuple[pd.DataFrame, Decimal_, str]:
    """Rows as raw text (line = result row number), the decimal mark and the content hash."""
    lower = {name.strip().casefold(): i for i, name in enumerate(columns)}
    missing = [name for name in REQUIRED if name not in lower]
    if missing:
        found = found_columns(columns, lang)
        raise _problem(lang, "missing_column", column=missing[0], found=found)
    value_at = lower["value"]
    decimal = detect_decimal(r[value_at] for r in rows if isinstance(r[value_at], str))
    frame = pd.DataFrame({"line": range(1, len(rows) + 1)})
    for name in (*REQUIRED, "note"):
        at = lower.get(name)
        # dtype=str: a query without rows gives no values, not a column of floats.
        frame[name] = pd.Series(
            ["" if at is None else cell_text(row[at], decimal) for row in rows], dtype=str
        )
    frame["value_column"] = columns[value_at]
    frame = frame[frame["value"].str.strip() != ""]
    cells = [[cell_text(cell, ".") for cell in row] for row in rows]
    digest = hashlib.sha256(json.dumps([columns, cells]).encode()).hexdigest()
    return frame, decimal, digest
