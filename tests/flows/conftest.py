"""One real Prefect server for all flow tests, and a fresh store per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"


@pytest.fixture(scope="session", autouse=True)
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A real Prefect API server (SQLite) for the whole session."""
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh embedded store (SQLite in tmp_path) seen by the flows of this test."""
    from flows import common
    from steering.settings import get_settings

    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    common.wiring.cache_clear()
    yield tmp_path / "data"
    common.wiring().engine.dispose()
    get_settings.cache_clear()
    common.wiring.cache_clear()
