"""`steer status`: the programme's latest traffic lights."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steering import clock
from steering.bootstrap import ConfigError, Wiring, read_definition, wire
from steering.cli.context import STATE
from steering.cli.render import lead_lines, matrix_table, reason_lines
from steering.domain.definition import ProgrammeDefinition
from steering.i18n import t, tr
from steering.services.status import programme_status

ConfigArg = Annotated[Path, typer.Argument(help="Programmdefinition (YAML).")]


def load_or_exit(path: Path) -> ProgrammeDefinition:
    """Load a definition or print every problem and exit with 1."""
    try:
        return read_definition(path, STATE.lang)
    except ConfigError as exc:
        for problem in exc.problems:
            STATE.errors.print(f"[red]{problem}[/red]", soft_wrap=True)
        raise typer.Exit(1) from None


def open_programme(config: Path) -> tuple[ProgrammeDefinition, Wiring]:
    """Load the definition (or exit listing its problems) and a migrated store."""
    definition = load_or_exit(config)
    wiring = wire()
    wiring.migrate()
    return definition, wiring


def status(config: ConfigArg) -> None:
    """Zeigt die Ampeln des letzten Checkpoints je Organisation und Dimension."""
    definition, wiring = open_programme(config)
    view = programme_status(definition, uow=wiring.uow(), now=clock.now())
    STATE.console.print(f"[bold]{t('cli_status_title', STATE.lang, title=view.title)}[/bold]")
    if view.checkpoint_key is None:
        STATE.console.print(t("cli_no_checkpoint", STATE.lang))
        return
    STATE.console.print(matrix_table(view, STATE.lang))
    for line in reason_lines(view, STATE.lang):
        STATE.console.print(f"  • {line}", soft_wrap=True)
    decided = lead_lines(view, STATE.lang)
    if decided:
        heading = tr("Lead decisions:", STATE.lang)
        STATE.console.print(heading)
    for line in decided:
        STATE.console.print(f"  • {line}", soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add the status command."""
    app.command()(status)
