"""Run a source's SQL query (URL from the environment, time-limited, read-only) into text rows."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

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


def _engine(url: str, seconds: float, lang: str, shown: str) -> sqlalchemy.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        on_disk = database not in ("", ":memory:") and not database.startswith("file:")
        if on_disk and not Path(database).is_file():
            raise _problem(lang, "file_missing", file=shown)
        return sqlalchemy.create_engine(parsed, connect_args={"timeout": seconds})
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
        found = ", ".join(columns) or "—"
        raise _problem(lang, "missing_column", column=missing[0], found=found)
    value_at = lower["value"]
    decimal = detect_decimal(r[value_at] for r in rows if isinstance(r[value_at], str))
    frame = pd.DataFrame({"line": range(1, len(rows) + 1)})
    for name in (*REQUIRED, "note"):
        at = lower.get(name)
        frame[name] = ["" if at is None else cell_text(row[at], decimal) for row in rows]
    frame["value_column"] = columns[value_at]
    frame = frame[frame["value"].str.strip() != ""]
    cells = [[cell_text(cell, ".") for cell in row] for row in rows]
    digest = hashlib.sha256(json.dumps([columns, cells]).encode()).hexdigest()
    return frame, decimal, digest
