"""`steer demo` and `steer checkpoint` as a user runs them, against the real Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import CONFIG
from prefect.artifacts import Artifact
from prefect.settings import PREFECT_API_URL

from flows import common
from steering.adapters.config import load_definition
from steering.services.integration import integration_overview, local_today
from steering.services.presentation import artifact_key
from steering.settings import get_settings

STEER = Path(sys.executable).with_name("steer")


def steer(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `steer` in a process of its own, as a user does (cwd and env kept)."""
    return subprocess.run(
        [str(STEER), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


@pytest.fixture
def prefect_api_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands see the test server as a user's configured PREFECT_API_URL."""
    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))


@pytest.fixture
def empty_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty working directory far from the clone, without STEERING_DATA_DIR."""
    monkeypatch.delenv("STEERING_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    common.wiring.cache_clear()
    yield tmp_path
    common.wiring().engine.dispose()
    get_settings.cache_clear()
    common.wiring.cache_clear()


def test_steer_demo_runs_from_an_empty_directory_with_the_shipped_programme(
    empty_cwd: Path, prefect_api_env: None
) -> None:
    result = steer("demo")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checkpoint digital-und-sozial/2019-H2" in result.stdout
    assert "http://127.0.0.1:8400/sign-in/" in result.stdout  # a newcomer clicks through
    data = empty_cwd / "data"
    assert (data / "steering.sqlite").is_file()  # the cwd's data/
    assert (data / "reports" / "digital-und-sozial-2019-H2-sachbericht.xlsx").is_file()
    # The progress artifacts show what the status artifacts show: the store's steps.
    definition = common.definition(str(_shipped_config()))
    overview = integration_overview(
        definition,
        uow=common.wiring().uow(),
        today=local_today(definition, common.now()),
    )
    assert any(row.done for row in overview)
    for row in overview:
        artifact = Artifact.get(artifact_key("integration", row.organisation_id, row.driver))
        assert artifact is not None
        assert float(artifact.data) == pytest.approx(100.0 * row.done / row.total)


def _shipped_config() -> Path:
    from steering.builtin import demo_config

    return demo_config()


def test_the_shipped_demo_programme_is_the_repositorys(empty_cwd: Path) -> None:
    shipped = _shipped_config()
    assert shipped.read_bytes() == CONFIG.read_bytes()
    definition = load_definition(shipped)
    assert definition.programme.id == "digital-und-sozial"


def test_steer_checkpoint_runs_the_flow_and_prints_matrix_and_report_paths(
    store: Path, prefect_api_env: None
) -> None:
    result = steer("checkpoint", str(CONFIG), "--period", "2019-H1", "--lang", "en")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traffic-light matrix 2019-H1" in result.stdout
    assert "Checkpoint digital-und-sozial/2019-H1" in result.stdout
    for name in ("digital-und-sozial-2019-H1.md", "digital-und-sozial-2019-H1-sachbericht.html"):
        assert (store / "reports" / name).is_file()
        assert str(store / "reports" / name) in result.stdout
    assert Artifact.get("ampelmatrix-digital-und-sozial") is not None


def test_steer_checkpoint_refuses_an_unknown_period_naming_the_known_ones(store: Path) -> None:
    result = steer("checkpoint", str(CONFIG), "--period", "2031-H1")

    assert result.returncode == 1
    assert "unbekannter Zeitraum '2031-H1'" in result.stderr
    assert "2019-H2" in result.stderr
    assert not (store / "reports").exists()
