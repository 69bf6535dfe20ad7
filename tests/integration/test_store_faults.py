"""Our own store failing while sources are collected is a store failure, not a missing source."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
import sqlalchemy as sa
from paths import CONFIG
from programmes import demo_definition
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from steering.adapters.db.engine import make_engine, sqlite_file
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import ImportRow, MeasurementRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.ports import StoreUnavailable
from steering.services.collection import collect_sources

# About faults, not dates: one date is enough, also in the awkward-date step.
pytestmark = pytest.mark.few_dates(1)

DEFINITION = demo_definition()


def _stored(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        imports = connection.scalar(select(func.count()).select_from(ImportRow))
        values = connection.scalar(select(func.count()).select_from(MeasurementRow))
    return int(imports or 0), int(values or 0)


@contextmanager
def _write_lock(database: str) -> Iterator[None]:
    """Another process (a backup, a second writer) holds the SQLite write lock."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@contextmanager
def _backends_ended(base_url: str, application: str) -> Iterator[None]:
    """Every connection of `application` is terminated as soon as it appears (a failover)."""
    stop = threading.Event()
    admin = sa.create_engine(base_url, poolclass=NullPool)

    def terminate() -> None:
        with admin.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            while not stop.is_set():
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :app AND pid <> pg_backend_pid()"
                    ),
                    {"app": application},
                )
                time.sleep(0.002)

    killer = threading.Thread(target=terminate)
    killer.start()
    try:
        yield
    finally:
        stop.set()
        killer.join()
        admin.dispose()


def test_a_locked_sqlite_store_fails_the_collection_and_no_source_counts_as_missing(
    sqlite_url: str, now: datetime
) -> None:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url, busy_timeout_ms=100)
    database = str(sqlite_file(sqlite_url))

    with _write_lock(database), pytest.raises(StoreUnavailable, match="locked"):
        collect_sources(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            uow_factory=lambda: SqlUnitOfWork.for_engine(engine),
            now=now,
            retry_delays=(0.01, 0.01),
        )

    assert _stored(engine) == (0, 0)
    # The lock gone, the same sources are read and stored in full.
    collected = collect_sources(
        DEFINITION,
        CONFIG,
        sources=indicator_sources(),
        uow_factory=lambda: SqlUnitOfWork.for_engine(engine),
        now=now,
    )
    assert {c.source: c.status for c in collected} == {
        "kennzahlen": "imported",
        "finanzcontrolling": "imported",
    }
    engine.dispose()


@pytest.mark.postgres
def test_postgres_backends_ended_during_collection_fail_it_instead_of_the_sources(
    postgres_url: str, now: datetime
) -> None:
    upgrade(postgres_url)
    application = f"steer-store-fault-{id(now)}"
    victim = make_url(postgres_url).update_query_dict({"application_name": application})
    engine = make_engine(victim)
    admin_url = make_url(postgres_url).set(query={}).render_as_string(hide_password=False)

    with _backends_ended(admin_url, application), pytest.raises(StoreUnavailable):
        collect_sources(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            uow_factory=lambda: SqlUnitOfWork.for_engine(engine),
            now=now,
            retry_delays=(0.01, 0.01),
        )

    # The backends no longer ended, the sources are read and stored in full.
    collected = collect_sources(
        DEFINITION,
        CONFIG,
        sources=indicator_sources(),
        uow_factory=lambda: SqlUnitOfWork.for_engine(engine),
        now=now,
    )
    assert {c.status for c in collected} <= {"imported", "unchanged"}
    assert _stored(engine)[1] > 0
    engine.dispose()
