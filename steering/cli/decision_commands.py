"""`steer decide`: the project lead's decision on an organisation for a period, without the UI."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from steering import clock
from steering.cli.context import STATE
from steering.cli.context import current_actor as _actor
from steering.cli.status_commands import ConfigArg, open_programme
from steering.domain.integration import ProgressError
from steering.i18n import tr
from steering.services.decisions import record_decision


def decide(
    config: ConfigArg,
    org: Annotated[str, typer.Argument(help="Organisation (ID aus der Programmdefinition).")],
    period: Annotated[str, typer.Option("--period", help="Zeitraum, z. B. 2019-H2.")],
    decision: Annotated[
        str,
        typer.Option("--decision", help="continue (fortsetzen), adapt (anpassen), abort."),
    ],
    comment: Annotated[str, typer.Option("--comment", help="Begründung der Entscheidung.")],
) -> None:
    """Entscheidet die offene Prüfung einer Organisation für einen Zeitraum."""
    definition, wiring = open_programme(config)
    try:
        view = record_decision(
            definition,
            organisation=org,
            period=period,
            decision=decision,
            comment=comment,
            actor=_actor(),
            reference="cli",
            uow=wiring.uow(),
            now=clock.now(),
        )
    except ProgressError as exc:
        STATE.errors.print(f"[red]{exc.text(STATE.lang)}[/red]", soft_wrap=True)
        raise typer.Exit(1) from None
    STATE.console.print(
        f"[green]✓[/green] {escape(org)} · {escape(view.text(STATE.lang))}", soft_wrap=True
    )
    if view.aborted:
        STATE.console.print(
            tr(
                "{org}'s participation ends: no more reminders, no assessment from the "
                "next period on; its history is kept.",
                STATE.lang,
                org=org,
            ),
            soft_wrap=True,
        )
    else:
        STATE.console.print(
            tr("The review is closed; reminders resume.", STATE.lang),
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add the decide command."""
    app.command()(decide)
