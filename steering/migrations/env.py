"""Alembic environment: migrate the store at the configured URL (or a caller's connection)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, text

from steering.adapters.db.engine import DEFAULT_BUSY_TIMEOUT_MS, make_engine
from steering.adapters.db.models import metadata

config = context.config


def _configure(**options: Any) -> None:
    # No schema is named anywhere: tables and the version table land in the connection's
    # default schema, so a PostgreSQL search_path in the URL selects the schema.
    context.configure(target_metadata=metadata, compare_type=True, **options)


def run_migrations_offline() -> None:
    """Emit the migration SQL for the configured URL without connecting."""
    url = config.get_main_option("sqlalchemy.url")
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=bool(url and url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


# The PostgreSQL advisory lock held while migrating (any fixed number of our own).
MIGRATION_LOCK = 7_160_401


def _run_on(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Services starting together (steering, portal) migrate one after the other.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a connection to the database."""
    shared = config.attributes.get("connection")
    if shared is not None:
        _run_on(shared)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set in the Alembic configuration")
    busy_timeout_ms = config.attributes.get("busy_timeout_ms", DEFAULT_BUSY_TIMEOUT_MS)
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        with engine.connect() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
