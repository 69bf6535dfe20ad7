"""The `steer` command line as a user sees it: exit codes, German messages, English on request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import typer
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
    assert "unknown person" in output and "1 error found" in output


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


def test_outbox_lists_given_up_messages_and_retry_revives_them_audited(
    data_dir: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    monkeypatch.setenv("STEERING_OUTBOX_MAX_ATTEMPTS", "2")
    get_settings.cache_clear()
    _plan_steps()
    mail_server.stop()
    run("notify", CONFIG, "--date", "2019-09-25")  # first attempt
    code_given_up, given_up = run("outbox", CONFIG, "--send")  # second and last attempt
    listed = run("outbox", CONFIG)[1]
    ids = [int(i) for i in re.findall(r"#(\d+) \S+ über email: aufgegeben", listed)]
    mail_server.start()

    code_one, one = run("outbox", CONFIG, "--retry", str(ids[0]), "--send")
    code_twice, twice = run("outbox", CONFIG, "--retry", str(ids[0]))
    code_all, everything = run("outbox", CONFIG, "--all", "--send")

    assert code_given_up == 0 and "aufgegeben (zu viele Versuche)" in given_up
    assert len(ids) > 1 and "2 Versuche, aufgegeben am" in listed
    assert f"--retry {ids[0]}" in listed and "Connection error" in listed
    assert code_one == 0 and f"Wieder eingereiht (1): #{ids[0]}" in one and "1 gesendet" in one
    assert code_twice == 1 and "nicht aufgegeben (Status sent)" in twice
    assert code_all == 0 and f"Wieder eingereiht ({len(ids) - 1})" in everything
    assert "Nichts wartet auf Zustellung." in everything
    assert len(mail_server.messages) == len(ids)
    with _store() as engine, engine.connect() as connection:
        audited = connection.execute(
            sa.text("SELECT subject_id FROM audit_log WHERE action = 'outbox_revive'")
        )
        assert sorted(int(i) for (i,) in audited) == sorted(ids)


def test_outbox_send_exits_with_1_when_an_outcome_cannot_be_stored(
    data_dir: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    get_settings.cache_clear()
    _plan_steps()
    mail_server.stop()
    run("notify", CONFIG, "--date", "2019-09-25")
    mail_server.start()
    with _store() as engine, engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TRIGGER kaputt BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' "
                "BEGIN SELECT RAISE(ABORT, 'Speicher kaputt'); END"
            )
        )

    code, output = run("outbox", CONFIG, "--send")

    assert code == 1
    assert "Zustellung abgebrochen" in output and "nicht gespeichert" in output


@contextmanager
def _store() -> Iterator[sa.Engine]:
    from steering.bootstrap import wire

    engine = wire().engine
    try:
        yield engine
    finally:
        engine.dispose()


def _plan_steps() -> None:
    from datetime import date

    from steering.adapters.config import load_definition
    from steering.bootstrap import wire
    from steering.services.integration import ensure_integrations

    wiring = wire()
    wiring.migrate()
    ensure_integrations(load_definition(CONFIG), uow=wiring.uow(), today=date(2019, 9, 2))
    wiring.engine.dispose()


def _command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group such as `db` or `step`
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_lang_after_the_subcommand_gives_english_messages() -> None:
    code, output = run("validate", BROKEN / "unknown_owner.yaml", "--lang", "en")

    assert code == 1
    assert "unknown person" in output and "error found" in output
    code, output = run("validate", ROOT / "config" / "minimal.yaml", "--lang=en")
    assert code == 0 and "minimal.yaml: valid" in output


def test_every_command_accepts_lang_after_its_arguments() -> None:
    paths = _command_paths(typer.main.get_command(app))
    assert ("status",) in paths and ("db", "upgrade") in paths
    for path in paths:
        code, output = run(*path, "--help", "--lang", "en")
        assert code == 0, f"{' '.join(path)}: {output}"


def test_validation_counts_in_singular_for_one() -> None:
    code, output = run("validate", ROOT / "config" / "minimal.yaml")
    assert code == 0 and "minimal.yaml: gültig (1 Organisation, 1 Indikator)" in output

    code, output = run("validate", BROKEN / "unknown_owner.yaml", "--lang", "en")
    assert code == 1 and "1 error found" in output and "errors" not in output


def test_importing_a_file_again_whose_values_were_replaced_since_says_how_to_restore_them(
    tmp_path: Path,
) -> None:
    """A value typed in later stays (a checkpoint re-collects its files every run); the
    user is told which import it replaced and how to make the file's values current."""
    figures = tmp_path / "kennzahlen.csv"
    figures.write_text(
        "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\n"
        "geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;\n",
        encoding="utf-8",
    )
    assert run("import", CONFIG, figures, "--source", "kennzahlen")[0] == 0
    by_hand = ("--indicator", "geschulte-mitarbeitende", "--org", "sozialwerk-jena")
    assert run("record", CONFIG, *by_hand, "--period", "2019-H2", "--value", "5")[0] == 0

    code, again = run("import", CONFIG, figures, "--source", "kennzahlen")

    assert code == 0
    said = " ".join(again.split())
    assert "bereits importiert (Import 1); seither ersetzt (durch einen späteren Import" in said
    assert f"von Hand): 1 Wert. Wieder gültig machen: steer import {CONFIG} --restore 1" in said

    code, restored = run("import", CONFIG, "--restore", "1")
    assert code == 0 and "die Werte von Import 1 gelten wieder (1 Wert)" in " ".join(
        restored.split()
    )

    code, once_more = run("import", CONFIG, figures, "--source", "kennzahlen")
    assert code == 0 and "bereits importiert (Import 1), die Werte gelten" in " ".join(
        once_more.split()
    )
