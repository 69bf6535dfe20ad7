"""The `steer` command line as a user sees it: exit codes, German messages, English on request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import MailServer
from typer.testing import CliRunner

from steering.cli import app
from steering.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "data" / "broken_configs"
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_validating_the_shipped_configs_succeeds() -> None:
    code, output = run("validate", ROOT / "config")

    assert code == 0
    assert "config/digital-und-sozial.yaml: gültig (12 Organisationen, 24 Indikatoren)" in output
    assert "minimal.yaml: gültig" in output


def test_a_broken_config_exits_with_1_and_names_file_line_and_path_in_german() -> None:
    code, output = run("validate", BROKEN / "unknown_owner.yaml")

    assert code == 1
    assert "unknown_owner.yaml:" in output and "owners[0]: unbekannte Person" in output
    assert "1 Fehler gefunden" in output


def test_english_messages_on_request() -> None:
    code, output = run("--lang", "en", "validate", BROKEN / "unknown_owner.yaml")

    assert code == 1
    assert "unknown person" in output and "1 errors found" in output


def test_db_upgrade_creates_the_embedded_store(data_dir: Path) -> None:
    code, output = run("db", "upgrade")

    assert code == 0 and "Datenbank auf dem neuesten Stand" in output
    assert (data_dir / "steering.sqlite").is_file()


def test_status_before_any_checkpoint_says_so() -> None:
    code, output = run("status", ROOT / "config" / "digital-und-sozial.yaml")

    assert code == 0 and "noch kein Checkpoint gelaufen" in output


def test_a_failed_import_exits_with_1_and_says_nothing_was_stored(tmp_path: Path) -> None:
    bad = tmp_path / "k.csv"
    bad.write_text(
        "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\ngeschulte-mitarbeitende;sozialwerk-jena;2019-H2;abc;\n"
    )

    code, output = run(
        "import", ROOT / "config" / "digital-und-sozial.yaml", bad, "--source", "kennzahlen"
    )

    assert code == 1 and "Nichts wurde gespeichert." in output and "Zeile 2" in output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    groups = [g.name for g in app.registered_groups]

    for name in [*commands, *groups]:
        assert f"steer {name}" in readme, f"`steer {name}` is missing from README.md"


def test_notify_dry_run_shows_who_gets_what_and_sends_nothing(
    data_dir: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    get_settings.cache_clear()
    _plan_steps()

    code, output = run("notify", CONFIG, "--dry-run", "--date", "2019-09-25")

    assert code == 0
    assert "Stichtag 25.09.2019" in output
    assert "Andrea Vogt (gf-lebenshilfe)" in output
    assert f"mailto://127.0.0.1:{mail_server.port}/a.vogt%40lebenshilfe-erfurt" in output
    assert "Schritt 1 „Bedarfsanalyse und Zielsetzung“" in output
    assert "Probelauf: nichts gesendet." in output
    assert mail_server.messages == []
    assert "Nichts wartet auf Zustellung." in run("outbox", CONFIG)[1]


def test_outbox_lists_failed_messages_and_send_delivers_them(
    data_dir: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    get_settings.cache_clear()
    _plan_steps()
    mail_server.stop()

    code, sent = run("notify", CONFIG, "--date", "2019-09-25")
    listed = run("outbox", CONFIG)[1]
    mail_server.start()
    code_send, delivered = run("outbox", CONFIG, "--send")

    assert code == 0 and "0 gesendet" in sent and "fehlgeschlagen" in sent
    assert "fehlgeschlagen" in listed and "Connection error" in listed
    assert code_send == 0 and "0 fehlgeschlagen" in delivered
    assert "Nichts wartet auf Zustellung." in delivered
    assert len(mail_server.messages) > 0


def _plan_steps() -> None:
    from datetime import date

    from steering.adapters.config import load_definition
    from steering.bootstrap import wire
    from steering.services.integration import ensure_integrations

    wiring = wire()
    wiring.migrate()
    ensure_integrations(load_definition(CONFIG), uow=wiring.uow(), today=date(2019, 9, 2))
    wiring.engine.dispose()
