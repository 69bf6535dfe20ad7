"""A Sachbericht is issued again unchanged: it shows what its checkpoint stored, as of the
checkpoint's newest revision, never the data of the day it is written.

The example programme (config/digital-und-sozial.yaml) is imported and checkpointed on
15.01.2020; afterwards a corrected Excel file lowers one organisation's costs and a step is
completed. `steer report` is the real command line on the real store (SQLite, PostgreSQL).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from paths import ROOT
from programmes import copy_demo, demo_definition, release_data_roots
from sqlalchemy import Engine
from typer.testing import CliRunner

from steering.adapters.db.migrate import alembic_config
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.cli import app
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.importing import import_source
from steering.services.integration import complete_step, ensure_integrations
from steering.settings import get_settings

CONFIG = ROOT / "config" / "digital-und-sozial.yaml"
DEFINITION = demo_definition()
FIRST_RUN = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
CORRECTED = datetime(2020, 1, 28, 9, 30, tzinfo=UTC)
RERUN = datetime(2020, 2, 3, 9, 15, tzinfo=UTC)  # 10:15 in Berlin
ORG = "werkstaetten-nordhausen"
ORG_NAME = "Werkstätten Nordhausen gGmbH (fiktiv)"
FORMATS = ("md", "html", "xlsx", "csv")


Uow = Callable[[], SqlUnitOfWork]


@pytest.fixture
def cli_store(
    store: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Uow]:
    """Units of work on the store that `steer` uses too."""
    monkeypatch.setenv("STEERING_DATABASE_URL", db_url)
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield lambda: SqlUnitOfWork.for_engine(store)
    get_settings.cache_clear()


@pytest.fixture
def checkpointed(cli_store: Uow) -> Uow:
    """The store with both 2019 checkpoints run on 15.01.2020."""
    uow = cli_store
    ensure_integrations(DEFINITION, uow=uow(), today=date(2019, 9, 2))
    collect_sources(DEFINITION, CONFIG, sources=indicator_sources(), uow_factory=uow, now=FIRST_RUN)
    for source in ("feedback-weiterbildung", "mo-befragung"):
        import_source(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            source_key=source,
            uow=uow(),
            now=FIRST_RUN,
            actor="test",
            period="2019-H2",
        )
    run_checkpoint(DEFINITION, uow=uow(), period="2019-H1", now=FIRST_RUN)
    run_checkpoint(DEFINITION, uow=uow(), period="2019-H2", now=FIRST_RUN)
    return uow


def _steer_report(folder: Path, at: datetime, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`steer report` in every format on the day `at` (its clock is STEERING_NOW)."""
    monkeypatch.setenv("STEERING_NOW", at.isoformat())
    for fmt in FORMATS:
        out = folder / ("csv" if fmt == "csv" else f"sachbericht.{fmt}")
        args = ["report", str(CONFIG), "--period", "2019-H2", "--format", fmt, "--out", str(out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    return folder


def _correct_after_the_checkpoint(uow: Uow, tmp_path: Path) -> None:
    """Re-import the finance workbook with Werkstätten Nordhausen's 2019-H2 spending as
    planned (it was 130 %: red), and complete a step: both after the checkpoint ran."""
    corrected = tmp_path / "korrektur" / "finanzcontrolling.xlsx"  # same name: replaces
    corrected.parent.mkdir()
    shutil.copy(ROOT / "examples" / "digital-und-sozial" / "finanzcontrolling.xlsx", corrected)
    book = openpyxl.load_workbook(corrected)
    (row,) = [
        r
        for r in book["Ausgaben"].iter_rows()
        if r[0].value == ORG_NAME and r[1].value == "2. Halbjahr 2019"
    ]
    assert (row[2].value, row[3].value) == (32000, 41600)
    row[3].value = 32000
    book.save(corrected)
    outcome = import_source(
        DEFINITION,
        CONFIG,
        sources=indicator_sources(),
        source_key="finanzcontrolling",
        path=corrected,
        uow=uow(),
        now=CORRECTED,
        actor="controlling",
    )
    assert outcome.status == "imported" and outcome.replaced_imports
    step = complete_step(
        DEFINITION,
        ORG,
        str(DEFINITION_ORG.drivers[0]),
        1,
        evidence_url=None,
        uow=uow(),
        now=CORRECTED,
        actor="test",
    )
    assert step.completed


DEFINITION_ORG = next(o for o in DEFINITION.organisations if o.id == ORG)


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def _csv_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "csv").iterdir())}


def _costs_and_steps(markdown: str) -> tuple[str, str]:
    """Werkstätten Nordhausen's reason for its cost light and its steps line."""
    (reason,) = [
        line for line in markdown.splitlines() if line.startswith(f"- **{ORG_NAME}** · Kosten")
    ]
    part = markdown.split(f"### {ORG_NAME}", 1)[1]
    steps = next(line for line in part.splitlines() if line.startswith("- Schritte je Treiber"))
    return reason, steps


def test_a_correction_after_the_checkpoint_leaves_every_report_format_unchanged(
    checkpointed: Uow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _steer_report(tmp_path / "first", datetime(2020, 1, 20, 8, tzinfo=UTC), monkeypatch)
    _correct_after_the_checkpoint(checkpointed, tmp_path)

    again = _steer_report(tmp_path / "again", datetime(2020, 1, 29, 8, tzinfo=UTC), monkeypatch)

    for name in ("sachbericht.md", "sachbericht.html", "sachbericht.xlsx"):
        assert (again / name).read_bytes() == (first / name).read_bytes(), name
    assert _csv_files(again) == _csv_files(first)
    markdown = (again / "sachbericht.md").read_text(encoding="utf-8")
    stamp = "Stand: Checkpoint `digital-und-sozial/2019-H2`, Revision 1 vom 15.01.2020 07:00"
    assert stamp in markdown
    costs, steps = _costs_and_steps(markdown)
    # As the checkpoint stored them: spending at 130 % of the plan, no step done yet.
    assert "im Verhältnis zum Plan 1,3 (Soll ≤ 1; 30 %)" in costs and " 0/12" in steps


def test_the_re_run_checkpoint_shows_the_correction_with_its_revision_and_time(
    checkpointed: Uow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _correct_after_the_checkpoint(checkpointed, tmp_path)
    rerun = run_checkpoint(DEFINITION, uow=checkpointed(), period="2019-H2", now=RERUN)

    after = _steer_report(tmp_path / "after", datetime(2020, 2, 4, 8, tzinfo=UTC), monkeypatch)

    english_args = ["--lang", "en", "report", str(CONFIG), "--period", "2019-H2", "--format", "md"]
    english = CliRunner().invoke(app, [*english_args, "--out", str(after / "report.md")])

    markdown = (after / "sachbericht.md").read_text(encoding="utf-8")
    html = (after / "sachbericht.html").read_text(encoding="utf-8")
    info = dict(row[:2] for row in _cells(after / "sachbericht.xlsx")["Info"])
    costs, steps = _costs_and_steps(markdown)
    assert rerun.revision == 2
    assert "Stand: Checkpoint `digital-und-sozial/2019-H2`, Revision 2 vom 03.02.2020 10:15" in (
        markdown
    )
    assert "Revision 2 vom 03.02.2020 10:15" in html
    assert english.exit_code == 0, english.output
    assert "As of: Checkpoint `digital-und-sozial/2019-H2`, revision 2 of 2020-02-03 10:15" in (
        (after / "report.md").read_text(encoding="utf-8")
    )
    assert info["Revision"] == 2 and info["Stand (Europe/Berlin)"] == datetime(2020, 2, 3, 10, 15)
    assert "im Verhältnis zum Plan 1 (Soll ≤ 1; erfüllt)" in costs  # the corrected value
    assert " 1/12" in steps  # and the step done since


def test_a_checkpoint_from_before_the_upgrade_keeps_its_run_count_and_asks_to_run_again(
    cli_store: Uow, store: Engine, db_url: str, tmp_path: Path
) -> None:
    collect_sources(
        DEFINITION, CONFIG, sources=indicator_sources(), uow_factory=cli_store, now=FIRST_RUN
    )
    for _ in range(2):
        run_checkpoint(DEFINITION, uow=cli_store(), period="2019-H2", now=FIRST_RUN)
    config = alembic_config(db_url)
    before = ScriptDirectory.from_config(config).get_revision("0006").down_revision
    store.dispose()
    command.downgrade(config, str(before))  # the store as an older version left it
    command.upgrade(config, "head")
    args = ["report", str(CONFIG), "--period", "2019-H2", "--format", "md"]

    refused = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "alt.md")])
    third = run_checkpoint(DEFINITION, uow=cli_store(), period="2019-H2", now=RERUN)
    issued = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "neu.md")])

    assert refused.exit_code == 1 and "Den Checkpoint erneut laufen lassen" in refused.output
    assert third.revision == 3  # two runs before the upgrade, counted from the audit log
    assert issued.exit_code == 0, issued.output
    assert "Revision 3 vom 03.02.2020 10:15" in (tmp_path / "neu.md").read_text(encoding="utf-8")


def test_the_survey_answers_come_from_the_import_the_checkpoint_saw_not_the_file_now(
    cli_store: Uow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A copy of the programme whose survey export can go away after its import; its
    # definition reads ../examples, a folder the operator releases as a data root.
    release_data_roots(monkeypatch, tmp_path / "examples")
    config = copy_demo(tmp_path)
    collect_sources(
        DEFINITION, config, sources=indicator_sources(), uow_factory=cli_store, now=FIRST_RUN
    )
    import_source(
        DEFINITION,
        config,
        sources=indicator_sources(),
        source_key="feedback-weiterbildung",
        uow=cli_store(),
        now=FIRST_RUN,
        actor="test",
        period="2019-H2",
    )
    run_checkpoint(DEFINITION, uow=cli_store(), period="2019-H2", now=FIRST_RUN)
    args = ["report", str(config), "--period", "2019-H2", "--format", "md", "--out"]
    before = CliRunner().invoke(app, [*args, str(tmp_path / "vorher.md")])
    (tmp_path / "examples" / "digital-und-sozial" / "feedback-weiterbildung.csv").unlink()

    after = CliRunner().invoke(app, [*args, str(tmp_path / "nachher.md")])

    assert before.exit_code == after.exit_code == 0, after.output
    text = (tmp_path / "nachher.md").read_text(encoding="utf-8")
    assert text == (tmp_path / "vorher.md").read_text(encoding="utf-8")
    assert "| Die Inhalte waren für meine Arbeit praxisnah. |" in text  # per question
