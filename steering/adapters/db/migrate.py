"""Apply the Alembic migrations shipped inside the package, without an alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from steering.adapters.db.engine import DEFAULT_BUSY_TIMEOUT_MS, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str | URL, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Config:
    """Build the Alembic configuration for a database URL in code."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    rendered = make_url(url).render_as_string(hide_password=False)
    # ConfigParser interpolates '%', which URL-encoded passwords and options contain.
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    config.attributes["busy_timeout_ms"] = busy_timeout_ms
    return config


def upgrade(
    url: str | URL, revision: str = "head", *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> None:
    """Migrate the database at the URL to the given revision (the newest by default)."""
    command.upgrade(alembic_config(url, busy_timeout_ms=busy_timeout_ms), revision)


def current_revision(url: str | URL) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    """Return the newest revision shipped with the package."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
