"""Faults of the surroundings through the real `steer`: one German line, exit code 1.

A damaged store, a database or Prefect API nobody answers on, a full disk: each is a real
fault here (a file of random bytes, a closed loopback port, /dev/full). The traceback is
there only with --debug. Part of the corpus of bad input (see README).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import run

import pytest
from loopback import free_port
from paths import ROOT

MINIMAL = ROOT / "config" / "minimal.yaml"
STEER = Path(sys.executable).with_name("steer")


def _steer(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    environment = {
        **os.environ,
        "STEERING_DATA_DIR": str(tmp_path / "data"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        **env,
    }
    for name in ("STEERING_DEBUG", "STEERING_DATABASE_URL", "PREFECT_API_URL"):
        if name not in env:
            environment.pop(name, None)
    done = run([str(STEER), *args], env=environment, capture_output=True, text=True, timeout=180)
    return done.returncode, done.stderr


def _garbage_store(tmp_path: Path) -> dict[str, str]:
    store = tmp_path / "steering.sqlite"
    store.write_bytes(os.urandom(8192))
    return {"STEERING_DATABASE_URL": f"sqlite:///{store}"}


def _closed_database(tmp_path: Path) -> dict[str, str]:
    url = f"postgresql+psycopg://steer:Geheim-123@127.0.0.1:{free_port()}/steering"
    return {"STEERING_DATABASE_URL": url}


def _closed_prefect_api(tmp_path: Path) -> dict[str, str]:
    return {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"}


# name, command, environment, what the one line must name
FAULTS = [
    (
        "damaged-sqlite-store",
        ["status", str(MINIMAL)],
        _garbage_store,
        "ist keine lesbare SQLite-Datenbank (beschädigt oder eine andere Datei); prüfen Sie "
        "STEERING_DATABASE_URL",
    ),
    (
        "database-unreachable",
        ["status", str(MINIMAL)],
        _closed_database,
        "ist nicht erreichbar; prüfen Sie STEERING_DATABASE_URL und ob der Datenbankserver läuft",
    ),
    (
        "prefect-api-unreachable",
        ["checkpoint", str(MINIMAL)],
        _closed_prefect_api,
        "Die Prefect-API ist nicht erreichbar; prüfen Sie PREFECT_API_URL",
    ),
    (
        "disk-full",  # /dev/full: every write fails with ENOSPC (Linux, as in CI)
        ["privacy", "export", str(MINIMAL), "leitung", "--out", "/dev/full"],
        lambda tmp_path: {},
        "Kein Platz mehr auf dem Datenträger; prüfen Sie den freien Speicher",
    ),
]


@pytest.mark.parametrize(
    ("args", "environment", "named"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS]
)
def test_a_fault_of_the_surroundings_is_one_german_line_and_exit_code_1(
    tmp_path: Path, args: list[str], environment: Callable[[Path], dict[str, str]], named: str
) -> None:
    env = environment(tmp_path)

    code, stderr = _steer(tmp_path, *args, **env)

    assert code == 1
    assert stderr.strip().count("\n") == 0, stderr  # one line
    assert named in stderr and "steer --debug" in stderr
    assert "Traceback" not in stderr and "Geheim-123" not in stderr

    code, stderr = _steer(tmp_path, "--debug", *args, **env)

    assert code == 1 and "Traceback" in stderr


def test_steering_debug_shows_the_traceback_too(tmp_path: Path) -> None:
    code, stderr = _steer(
        tmp_path, "status", str(MINIMAL), STEERING_DEBUG="1", **_garbage_store(tmp_path)
    )

    assert code == 1 and "Traceback" in stderr and "file is not a database" in stderr
