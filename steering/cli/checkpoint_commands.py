"""`steer checkpoint`: run the checkpoint flow for a programme definition, show the result."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from steering import clock
from steering.cli.context import STATE
from steering.cli.faults import explain_fault
from steering.cli.render import matrix_table, reason_lines
from steering.cli.status_commands import ConfigArg, open_programme
from steering.i18n import tr
from steering.services.status import programme_status


@contextmanager
def prefect_api(prefect_home: Path) -> Iterator[None]:
    """The Prefect API of PREFECT_API_URL, or (unset) a local server for the duration."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from flows.local_server import local_prefect_server, prepare_environment

    prepare_environment(prefect_home)  # before the flows import prefect's settings
    STATE.console.print(tr("Starting local Prefect server …", STATE.lang))
    with local_prefect_server():
        yield


def checkpoint(
    config: ConfigArg,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Zeitraum, z. B. 2019-H2; leer = zuletzt abgeschlossener."),
    ] = None,
) -> None:
    """Führt den Checkpoint über Prefect aus: Quellen, Soll/Ist, Ampeln, Berichte, Hinweise."""
    definition, wiring = open_programme(config)
    known = definition.period_ids()
    if period is not None and period not in known:
        STATE.errors.print(
            tr(
                "{config}: unknown period '{period}' (known: {known})",
                STATE.lang,
                config=config,
                period=period,
                known=", ".join(known),
            ),
            markup=False,
        )
        raise typer.Exit(1)
    with prefect_api(wiring.settings.data_dir / "prefect"):
        from flows.checkpoint import checkpoint as checkpoint_flow

        try:
            result: dict[str, Any] = checkpoint_flow(config=str(config), period=period)
        except Exception as exc:  # the flow run failed; Prefect has its log
            if explain_fault(exc, STATE.lang, wiring.database_url) is not None:
                raise  # the API or the store is down: main() says what to check
            STATE.errors.print(
                tr("Checkpoint failed: {exc}", STATE.lang, exc=exc),
                markup=False,
            )
            raise typer.Exit(1) from None
    view = programme_status(definition, uow=wiring.uow(), now=clock.now(), key=result["key"])
    STATE.console.print(matrix_table(view, STATE.lang))
    for line in reason_lines(view, STATE.lang):
        STATE.console.print(f"  • {line}", soft_wrap=True)
    failed = [s["source"] for s in result["sources"] if s["status"] == "failed"]
    if failed:
        STATE.console.print(
            tr(
                "[yellow]Unreadable (values count as missing): {failed}[/yellow]",
                STATE.lang,
                failed=", ".join(failed),
            )
        )
    STATE.console.print(
        tr(
            "\n[green]✓[/green] Checkpoint {key}\nReport: {report}\nProgress report: "
            "{md} (Markdown), {html} (HTML), {xlsx} (Excel)",
            STATE.lang,
            key=result["key"],
            report=result["report"],
            md=result["md"],
            html=result["html"],
            xlsx=result["xlsx"],
        ),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the checkpoint command."""
    app.command()(checkpoint)
