"""`steer validate`: check programme definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steering.bootstrap import ConfigError, read_definition
from steering.cli.context import STATE
from steering.i18n import ntr, t


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def validate(
    paths: Annotated[list[Path], typer.Argument(help="YAML-Dateien oder Verzeichnisse.")],
) -> None:
    """Prüft Programmdefinitionen; Exit-Code 0 wenn gültig, 1 mit allen Fehlern."""
    problems = 0
    for file in _expand(paths):
        try:
            definition = read_definition(file, STATE.lang)
        except ConfigError as exc:
            problems += len(exc.problems)
            for problem in exc.problems:
                STATE.errors.print(f"[red]{problem}[/red]", soft_wrap=True)
            continue
        STATE.console.print(
            "[green]✓[/green] "
            + t(
                "cli_valid",
                STATE.lang,
                path=file,
                organisations=ntr(
                    "{n} organisation",
                    "{n} organisations",
                    len(definition.organisations),
                    STATE.lang,
                ),
                indicators=ntr(
                    "{n} indicator", "{n} indicators", len(definition.indicators), STATE.lang
                ),
            ),
            soft_wrap=True,
        )
    if problems:
        STATE.errors.print(ntr("{n} error found", "{n} errors found", problems, STATE.lang))
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the configuration commands."""
    app.command()(validate)
