"""Database URLs for the store tests: a SQLite file, and a throwaway PostgreSQL schema if set."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from paths import POSTGRES_ENV, POSTGRES_SKIP_REASON
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.uow import SqlUnitOfWork


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file in a directory that does not exist yet."""
    return f"sqlite:///{tmp_path / 'data' / 'steering.sqlite'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose search_path points to a fresh schema, dropped again afterwards."""
    base_url = os.environ.get(POSTGRES_ENV)
    if not base_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    schema = f"steer_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(base_url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # Fail instead of hanging if a test leaked a connection that holds a lock.
            connection.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend in turn."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the newest revision."""
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Engine]:
    """An engine on a SQLite file migrated to the newest revision."""
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_uow(sqlite_store: Engine) -> SqlUnitOfWork:
    """A unit of work on the migrated SQLite file."""
    return SqlUnitOfWork.for_engine(sqlite_store)
