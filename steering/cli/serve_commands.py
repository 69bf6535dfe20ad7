"""`steer serve`: serve the programme's Prefect deployments with their schedules."""

from __future__ import annotations

import os
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.bootstrap import wire
from steering.cli.context import STATE
from steering.cli.status_commands import ConfigArg, load_or_exit
from steering.i18n import tr
from steering.settings import placeholders_left


def serve(
    config: ConfigArg,
    limit: Annotated[int | None, typer.Option(help="Höchstzahl gleichzeitiger Läufe.")] = None,
) -> None:
    """Stellt Checkpoint, PDCA-Zyklus, Treiberintegration und Evaluation als Deployments bereit."""
    left = placeholders_left(os.environ)
    if left:
        STATE.errors.print(
            (
                tr(
                    "Not started: these variables still hold the placeholder 'change-me': ",
                    STATE.lang,
                )
            )
            + ", ".join(left),
            markup=False,
        )
        raise typer.Exit(2)
    definition = load_or_exit(config)
    wire().migrate()
    from flows.deployments import serve_programme

    tz = definition.programme.timezone
    STATE.console.print(
        tr(
            "Deployments of {id} (timezone {tz}); stop with Ctrl+C.",
            STATE.lang,
            id=definition.programme.id,
            tz=tz,
        )
    )
    today = clock.now().astimezone(ZoneInfo(tz)).date()
    serve_programme(config, definition, today=today, limit=limit)


def register(app: typer.Typer) -> None:
    """Add the serve command."""
    app.command()(serve)
