"""`steer decide`, and the lead's decision in `steer status` and `steer phase`.

The programme is config/digital-und-sozial.yaml with its example data; the checkpoints of
2019-H1 and 2019-H2 have run: werkstaetten-nordhausen is under abort review.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from paths import CONFIG
from rich.console import Console
from typer.testing import CliRunner

from steering.adapters.config import load_definition
from steering.bootstrap import indicator_sources, wire
from steering.cli import app, decision_commands
from steering.cli.context import STATE
from steering.domain.definition import ProgrammeDefinition
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.demo_seed import STEPS_FILE, seed_progress
from steering.settings import get_settings

REVIEWED = "werkstaetten-nordhausen"
WATCHED = "familienzentrum-suhl"
RAN = datetime(2020, 1, 15, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProgrammeDefinition]:
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("STEERING_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(STATE, "console", Console(width=250, highlight=False))
    monkeypatch.setattr(STATE, "errors", Console(stderr=True, width=250, highlight=False))
    monkeypatch.setattr(decision_commands, "_actor", lambda: "projektleitung")
    definition = load_definition(CONFIG)
    wiring = wire()
    wiring.migrate()
    # The steps the demo organisations reported, so the time light is not red everywhere.
    seed_progress(definition, CONFIG.parent / STEPS_FILE, uow_factory=wiring.uow)
    collect_sources(
        definition, CONFIG, sources=indicator_sources(), uow_factory=wiring.uow, now=RAN, lang="de"
    )
    for period in ("2019-H1", "2019-H2"):
        run_checkpoint(definition, uow=wiring.uow(), period=period, now=RAN)
    wiring.engine.dispose()
    yield definition
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def decide(
    org: str, period: str, decision: str, comment: str = "Vorstand hat beraten"
) -> tuple[int, str]:
    return run(
        "decide", CONFIG, org, "--period", period, "--decision", decision, "--comment", comment
    )


def test_decide_closes_the_open_review_and_status_and_phase_show_it() -> None:
    code, out = decide(REVIEWED, "2019-H2", "continue", "Neue Leitung, Schulungen laufen")

    assert code == 0, out
    assert f"{REVIEWED} · fortsetzen (2019-H2, projektleitung" in out
    assert "Erinnerungen laufen wieder" in out
    code, status = run("status", CONFIG)
    assert code == 0, status
    assert "Abbruchprüfung → fortsetzen" in status
    assert "Entscheidungen der Projektleitung:" in status
    assert "Neue Leitung, Schulungen laufen" in status
    code, phase = run("phase", CONFIG, REVIEWED)
    assert code == 0, phase
    assert "Entscheidung der Projektleitung: fortsetzen (2019-H2, projektleitung" in phase


def test_an_aborted_organisation_shows_as_abgebrochen_in_status_and_phase() -> None:
    code, out = decide(REVIEWED, "2019-H2", "abort", "Träger steigt aus")

    assert code == 0, out
    assert "Teilnahme von werkstaetten-nordhausen endet" in out
    _, status = run("status", CONFIG)
    (line,) = [ln for ln in status.splitlines() if ln.startswith(f"│ {REVIEWED} ")]
    assert "abgebrochen" in line
    _, phase = run("phase", CONFIG, REVIEWED)
    assert "Teilnahme beendet: abgebrochen (2019-H2, projektleitung" in phase
    _, english = run("--lang", "en", "status", CONFIG)
    assert "aborted (2019-H2, projektleitung" in english


def test_decide_refuses_without_checkpoint_without_open_review_and_a_second_time() -> None:
    code, out = decide(REVIEWED, "2020-H1", "continue")
    assert code == 1 and "Für 2020-H1 gibt es noch keinen Checkpoint" in out

    code, out = decide(WATCHED, "2019-H2", "adapt")
    assert code == 1
    assert "keine Prüfung offen (Abbruchkriterien: beobachten)" in out

    assert decide(REVIEWED, "2019-H2", "adapt")[0] == 0
    code, out = decide(REVIEWED, "2019-H2", "abort")
    assert code == 1 and "bereits entschieden: anpassen" in out

    code, out = decide(REVIEWED, "2019-H2", "weiter")
    assert code == 1 and "Unbekannte Entscheidung 'weiter'" in out
