"""The demo's empty Prefect database template matches the pinned Prefect version."""

from __future__ import annotations

import gzip
import os
import sqlite3
from importlib.metadata import distribution
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from flows.local_server import TEMPLATE, seed_database


def _prefect_sqlite_head() -> str:
    # Found through the installed distribution: importing Prefect's server costs seconds.
    base = Path(str(distribution("prefect").locate_file("prefect/server/database")))
    config = Config(str(base / "alembic.ini"))
    config.set_main_option("script_location", str(base / "_migrations"))
    config.set_main_option("version_locations", str(base / "_migrations" / "versions" / "sqlite"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_the_template_is_migrated_to_prefects_head(tmp_path: Path) -> None:
    database = tmp_path / "prefect.db"
    database.write_bytes(gzip.decompress(TEMPLATE.read_bytes()))
    with sqlite3.connect(database) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}

    # When this fails, Prefect was upgraded: run scripts/make_prefect_template.py.
    assert revision == _prefect_sqlite_head()
    assert {"flow_run", "artifact", "events", "deployment"} <= tables


def test_a_new_prefect_home_gets_the_template_an_existing_one_keeps_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"):
        monkeypatch.delenv(name, raising=False)
    fresh, used = tmp_path / "fresh", tmp_path / "used"
    fresh.mkdir()
    used.mkdir()
    (used / "prefect.db").write_bytes(b"runs of last week")

    assert seed_database(fresh) is True
    assert seed_database(used) is False
    assert (fresh / "prefect.db").stat().st_size > 100_000
    assert (used / "prefect.db").read_bytes() == b"runs of last week"


def test_a_configured_database_is_left_to_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://x/prefect")
    assert seed_database(tmp_path) is False
    assert not (tmp_path / "prefect.db").exists()
    assert os.environ["PREFECT_API_DATABASE_CONNECTION_URL"].startswith("postgresql")
