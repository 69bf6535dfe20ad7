"""`steer step done`, `steer phase` and `steer evidence` against a temporary SQLite store.

The programme is config/digital-und-sozial.yaml; lebenshilfe-erfurt selected online platforms
and AI. The clock stands at 15.01.2020 10:00 UTC and the user is 'projektleitung'.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner, Result

from steering.cli import progress_commands
from steering.cli.context import STATE
from steering.settings import get_settings

CONFIG = str(Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml")
ORG = "lebenshilfe-erfurt"
NOW = datetime(2020, 1, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def steer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """A CLI with the progress commands on an empty store in tmp_path."""
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("STEERING_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(STATE, "lang", "de")
    monkeypatch.setattr(STATE, "console", Console(width=200, highlight=False))
    monkeypatch.setattr(STATE, "errors", Console(stderr=True, width=200, highlight=False))
    monkeypatch.setattr(progress_commands, "_now", lambda: NOW)
    monkeypatch.setattr(progress_commands, "_actor", lambda: "projektleitung")
    app = typer.Typer()
    progress_commands.register(app)
    yield app
    get_settings.cache_clear()


def run(app: typer.Typer, *args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def done(app: typer.Typer, driver: str, *steps: int) -> None:
    for step in steps:
        result = run(app, "step", "done", CONFIG, ORG, driver, str(step))
        assert result.exit_code == 0, result.output


# steps ---------------------------------------------------------------------------------
def test_step_done_names_the_next_open_step_and_its_due_date_german_style(
    steer: typer.Typer,
) -> None:
    done(steer, "online_platforms", 1, 2, 3)

    result = run(steer, "step", "done", CONFIG, ORG, "online_platforms", "4")

    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "✓ lebenshilfe-erfurt · Online-Plattformen · Schritt 4 erledigt; "
        "Schritt 5 (Anschaffung und Zugänglichmachung) ist offen, fällig am 14.02.2020"
    )


def test_step_done_accepts_the_driver_by_its_german_label_and_stores_evidence(
    steer: typer.Typer,
) -> None:
    result = run(
        steer,
        "step",
        "done",
        CONFIG,
        ORG,
        "Künstliche Intelligenz",
        "1",
        "--evidence",
        "https://wiki.example/bedarfe",
    )

    assert result.exit_code == 0
    assert "Künstliche Intelligenz · Schritt 1 erledigt; Schritt 2" in result.stdout


def test_step_done_twice_says_nothing_changed(steer: typer.Typer) -> None:
    done(steer, "ai", 1)

    result = run(steer, "step", "done", CONFIG, ORG, "ai", "1")

    assert result.exit_code == 0
    assert "Schritt 1 war bereits erledigt; nichts geändert." in result.stdout


@pytest.mark.parametrize(
    ("org", "driver", "step", "message"),
    [
        (
            ORG,
            "ai",
            "3",
            "Schritt 3 für Treiber Künstliche Intelligenz ist noch gesperrt: "
            "zuerst Schritt 2 erledigen",
        ),
        (
            "nirgendwo",
            "ai",
            "1",
            "Unbekannte Organisation 'nirgendwo' (bekannt: lebenshilfe-erfurt",
        ),
        (ORG, "blockchain", "1", "Unbekannter Treiber 'blockchain' (erlaubt: online_platforms"),
        (ORG, "cloud", "1", "lebenshilfe-erfurt hat den Treiber Cloud nicht ausgewählt"),
        (ORG, "ai", "13", "Schritt 13 gibt es in der Treiberintegration nicht (1 bis 12)"),
    ],
)
def test_step_done_refuses_with_exit_code_1_and_a_german_message(
    steer: typer.Typer, org: str, driver: str, step: str, message: str
) -> None:
    result = run(steer, "step", "done", CONFIG, org, driver, step)

    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_programme_definition_ends_with_exit_code_1(
    steer: typer.Typer, tmp_path: Path
) -> None:
    result = run(steer, "step", "done", str(tmp_path / "fehlt.yaml"), ORG, "ai", "1")

    assert result.exit_code == 1
    assert "Datei nicht gefunden" in result.stderr


# phase ---------------------------------------------------------------------------------
def test_phase_shows_cycle_phase_and_what_the_gate_still_misses(steer: typer.Typer) -> None:
    done(steer, "online_platforms", 1, 2, 3, 4)

    result = run(steer, "phase", CONFIG, ORG)

    assert result.exit_code == 0
    out = result.stdout
    assert "Zyklus 1 · Phase Plan (Plan – Digitalisierungsstrategie entwickeln)" in out
    assert "Übergang nach Do: ✗ nicht erfüllt, es fehlt:" in out
    assert "• Schritt 1 (Bedarfsanalyse und Zielsetzung) für Treiber Künstliche Intelligenz " in out
    assert "für Treiber Online-Plattformen" not in out
    assert "• Nachweis 'strategy_document' fehlt" in out
    assert "Noch keine Phasenübergänge." in out


def test_advancing_with_an_unmet_gate_is_refused_and_names_the_override(
    steer: typer.Typer,
) -> None:
    result = run(steer, "phase", CONFIG, ORG, "--to", "do", "--reason", "Los geht's")

    assert result.exit_code == 1
    assert "Übergang von Plan nach Do nicht möglich, es fehlt:\n  • Schritt 1 (" in result.stderr
    assert "  • Nachweis 'strategy_document' fehlt\n" in result.stderr
    assert "Mit --override und --reason" in result.stderr


def test_an_override_without_a_reason_is_refused(steer: typer.Typer) -> None:
    result = run(steer, "phase", CONFIG, ORG, "--to", "do", "--override")

    assert result.exit_code == 1
    assert "trotz fehlender Kriterien braucht eine Begründung" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "check"], "Von Plan geht es nur nach Do, nicht nach Check"),
        (["--to", "review"], "Unbekannte Phase 'review' (erlaubt: plan, do, check, act)"),
        (["--override", "--reason", "x"], "--reason und --override nur zusammen mit --to"),
    ],
)
def test_phase_refuses_skipping_unknown_phases_and_stray_options(
    steer: typer.Typer, args: list[str], message: str
) -> None:
    result = run(steer, "phase", CONFIG, ORG, *args)

    assert result.exit_code == 1
    assert message in result.stderr


def test_an_override_with_a_reason_advances_and_shows_up_in_the_history(
    steer: typer.Typer,
) -> None:
    moved = run(
        steer,
        "phase",
        CONFIG,
        ORG,
        "--to",
        "do",
        "--override",
        "--reason",
        "Teilstrategie genügt für die Erprobung",
    )
    shown = run(steer, "phase", CONFIG, ORG)

    assert moved.exit_code == 0, moved.output
    assert "✓ lebenshilfe-erfurt · Zyklus 1: Plan → Do" in moved.stdout
    assert "Override" in moved.stdout
    assert "Zyklus 1 · Phase Do" in shown.stdout
    assert "Verlauf" in shown.stdout
    history = next(line for line in shown.stdout.splitlines() if "Plan → Do" in line)
    for cell in ("15.01.2020 11:00", "projektleitung", "Teilstrategie genügt", "ja (Override)"):
        assert cell in history


def test_advancing_again_to_the_same_phase_changes_nothing(steer: typer.Typer) -> None:
    run(steer, "phase", CONFIG, ORG, "--to", "do", "--override", "--reason", "Start")

    result = run(steer, "phase", CONFIG, ORG, "--to", "do", "--override", "--reason", "Start")

    assert result.exit_code == 0
    assert "lebenshilfe-erfurt ist bereits in Phase Do; nichts geändert." in result.stdout


def test_steps_and_a_strategy_document_open_the_way_to_do(steer: typer.Typer) -> None:
    done(steer, "online_platforms", 1, 2, 3, 4)
    done(steer, "ai", 1, 2, 3, 4)
    recorded = run(steer, "evidence", CONFIG, ORG, "strategy_document", "Strategie-2020.pdf")

    shown = run(steer, "phase", CONFIG, ORG)
    moved = run(steer, "phase", CONFIG, ORG, "--to", "do", "--reason", "Strategie beschlossen")

    assert recorded.exit_code == 0
    assert recorded.stdout.strip() == (
        "✓ Nachweis 'strategy_document' für lebenshilfe-erfurt in Zyklus 1 erfasst: "
        "Strategie-2020.pdf"
    )
    assert "Übergang nach Do: ✓ Kriterien erfüllt" in shown.stdout
    assert "• strategy_document: Strategie-2020.pdf (projektleitung, 15.01.2020 11:00)" in (
        shown.stdout
    )
    assert moved.exit_code == 0
    assert "Override" not in moved.stdout


# evidence ------------------------------------------------------------------------------
def test_recording_the_same_evidence_twice_changes_nothing(steer: typer.Typer) -> None:
    run(steer, "evidence", CONFIG, ORG, "evaluation", "Bericht.pdf")

    result = run(steer, "evidence", CONFIG, ORG, "evaluation", "Bericht.pdf")

    assert result.exit_code == 0
    assert "war bereits erfasst; nichts geändert." in result.stdout


def test_evidence_no_gate_asks_for_is_recorded_with_a_hint(steer: typer.Typer) -> None:
    result = run(steer, "evidence", CONFIG, ORG, "fotos", "https://x.example/fotos")

    assert result.exit_code == 0
    assert (
        "Hinweis: 'fotos' verlangt kein Übergangskriterium "
        "(verlangt: evaluation, recommendations, strategy_document)."
    ) in result.stdout


def test_an_invalid_evidence_kind_is_refused(steer: typer.Typer) -> None:
    result = run(steer, "evidence", CONFIG, ORG, "Strategie Dokument", "x.pdf")

    assert result.exit_code == 1
    assert "ist keine gültige Nachweisart" in result.stderr


# language ------------------------------------------------------------------------------
def test_messages_and_dates_are_english_with_lang_en(
    steer: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(STATE, "lang", "en")
    done(steer, "ai", 1, 2, 3)

    result = run(steer, "step", "done", CONFIG, ORG, "ai", "4")
    refused = run(steer, "phase", CONFIG, ORG, "--to", "do")

    assert result.stdout.strip() == (
        "✓ lebenshilfe-erfurt · Artificial intelligence · step 4 done; "
        "step 5 (Anschaffung und Zugänglichmachung) is open, due 2020-02-14"
    )
    assert refused.exit_code == 1
    assert "Cannot move from Plan to Do, missing:\n  • Step 1 (" in refused.stderr


@pytest.mark.parametrize(
    "args",
    [["phase", CONFIG, "nirgendwo"], ["evidence", CONFIG, "nirgendwo", "evaluation", "x.pdf"]],
)
def test_phase_and_evidence_refuse_an_unknown_organisation(
    steer: typer.Typer, args: list[str]
) -> None:
    result = run(steer, *args)

    assert result.exit_code == 1
    assert "Unbekannte Organisation 'nirgendwo'" in result.stderr


# sub-tasks, step owners, due dates -------------------------------------------------------
def test_ticking_a_sub_task_is_confirmed_and_shown_in_phase(steer: typer.Typer) -> None:
    result = run(steer, "step", "tick", CONFIG, ORG, "ai", "1", "2")
    shown = run(steer, "phase", CONFIG, ORG)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "✓ lebenshilfe-erfurt · Künstliche Intelligenz · Schritt 1: "
        "Teilaufgabe 2 „Klare Projektziele festlegen“ abgehakt",
        "  Teilaufgaben 1/2: ☐ Bedarfe der Zielgruppe und Beitrag digitaler Technologien "
        "ermitteln; ✓ Klare Projektziele festlegen",
    ]
    assert (
        "  ○ Künstliche Intelligenz · 1 Bedarfsanalyse und Zielsetzung (fällig 14.02.2020)\n"
        "      Teilaufgaben 1/2: ☐ Bedarfe der Zielgruppe" in shown.stdout
    )


def test_ticking_a_sub_task_that_does_not_exist_or_is_locked_is_refused(
    steer: typer.Typer,
) -> None:
    missing = run(steer, "step", "tick", CONFIG, ORG, "ai", "1", "3")
    locked = run(steer, "step", "tick", CONFIG, ORG, "ai", "2", "1")

    assert (missing.exit_code, locked.exit_code) == (1, 1)
    assert "Schritt 1 hat keine Teilaufgabe 3 (2 Teilaufgaben)" in missing.stderr
    assert "Schritt 2 für Treiber Künstliche Intelligenz ist noch gesperrt" in locked.stderr


def test_a_step_owner_and_due_date_are_set_shown_and_kept_when_the_step_opens(
    steer: typer.Typer,
) -> None:
    assigned = run(
        steer,
        "step",
        "assign",
        CONFIG,
        ORG,
        "ai",
        "2",
        "--owner",
        "dt-lebenshilfe",
        "--due",
        "15.04.2020",
    )
    done(steer, "ai", 1)
    shown = run(steer, "phase", CONFIG, ORG)

    assert assigned.exit_code == 0, assigned.output
    assert assigned.stdout.strip() == (
        "✓ lebenshilfe-erfurt · Künstliche Intelligenz · Schritt 2: "
        "verantwortlich dt-lebenshilfe, fällig am 15.04.2020"
    )
    assert (
        "  ○ Künstliche Intelligenz · 2 Markt- und Technologierecherche "
        "(dt-lebenshilfe, fällig 15.04.2020)" in shown.stdout
    )


def test_assigning_a_step_to_an_unknown_person_or_date_is_refused(steer: typer.Typer) -> None:
    person = run(steer, "step", "assign", CONFIG, ORG, "ai", "2", "--owner", "mueller")
    day = run(steer, "step", "assign", CONFIG, ORG, "ai", "2", "--due", "31.02.2020")
    nothing = run(steer, "step", "assign", CONFIG, ORG, "ai", "2")

    assert (person.exit_code, day.exit_code, nothing.exit_code) == (1, 1, 1)
    assert "Unbekannte Person 'mueller' (bekannt: projektleitung, evaluation," in person.stderr
    assert "--due: '31.02.2020' ist kein Datum" in day.stderr
    assert "Bitte --owner und/oder --due angeben" in nothing.stderr


def test_phase_shows_when_the_phase_is_due_and_how_many_days_it_is_overdue(
    steer: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(steer, "evidence", CONFIG, ORG, "note", "start")  # starts cycle 1 on 15.01.2020
    monkeypatch.setattr(progress_commands, "_now", lambda: NOW + timedelta(days=121))

    result = run(steer, "phase", CONFIG, ORG)

    assert "Phase fällig am 14.05.2020 (seit 1 Tag überfällig)" in result.stdout
