"""`steer demo`: the main job on the embedded default, from a fresh clone."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from steering import clock
from steering.bootstrap import Wiring
from steering.builtin import demo_config
from steering.cli.context import STATE
from steering.cli.portal_commands import print_link
from steering.cli.render import matrix_table, reason_lines
from steering.cli.status_commands import open_programme
from steering.domain.definition import ProgrammeDefinition
from steering.i18n import tr
from steering.services.demo_seed import STEPS_FILE, seed_progress
from steering.services.importing import import_source
from steering.services.portal_access import issue_link
from steering.services.status import programme_status

DEMO_PERIOD = "2019-H2"
SURVEYS = ("feedback-weiterbildung", "mo-befragung")


def demo(
    config: Annotated[
        Path | None,
        typer.Option(help="Programmdefinition (Vorgabe: das mitgelieferte Demoprogramm)."),
    ] = None,
    period: Annotated[str, typer.Option(help="Auszuwertender Zeitraum.")] = DEMO_PERIOD,
) -> None:
    """Demo: Beispieldaten laden, einen Checkpoint über Prefect ausführen, Ampeln zeigen."""
    started = time.monotonic()
    config = config or demo_config()  # shipped with the package: runs from any directory
    definition, wiring = open_programme(config)
    now = clock.now()
    for source in SURVEYS:  # surveys carry no period column; the demo's is 2019-H2
        if any(s.key == source for s in definition.sources):
            import_source(
                definition,
                config,
                source_key=source,
                sources=wiring.sources,
                uow=wiring.uow(),
                now=now,
                actor="demo",
                period=period,
                lang=STATE.lang,
            )
    from flows.local_server import local_prefect_server, prepare_environment

    steps_file = config.parent / STEPS_FILE  # the demo's completed steps, by its examples
    periods = definition.period_ids()
    previous_period = periods[max(periods.index(period) - 1, 0)]
    prefect_home = wiring.settings.data_dir / "prefect"
    if not os.environ.get("PREFECT_API_URL"):
        prepare_environment(prefect_home)
    from flows.checkpoint import checkpoint
    from flows.integration import driver_integration
    from flows.pdca import pdca_cycle

    def run_flows() -> dict[str, Any]:
        # The steps completed so far (on their days), then the half-year before (it also
        # imports the files), so hysteresis and the abort criteria have a history; then
        # phases and the checkpoint.
        if steps_file.is_file():
            seed_progress(definition, steps_file, uow_factory=wiring.uow)
        checkpoint(config=str(config), period=previous_period)
        driver_integration(config=str(config))
        pdca_cycle(config=str(config))
        return checkpoint(config=str(config), period=period)

    if os.environ.get("PREFECT_API_URL"):
        result = run_flows()
    else:
        STATE.console.print(tr("Starting local Prefect server …", STATE.lang))
        with local_prefect_server():
            result = run_flows()
    view = programme_status(definition, uow=wiring.uow(), now=clock.now())
    STATE.console.print(matrix_table(view, STATE.lang))
    for line in reason_lines(view, STATE.lang):
        STATE.console.print(f"  • {line}", soft_wrap=True)
    elapsed = time.monotonic() - started
    home = prefect_home.resolve()
    STATE.console.print(
        f"\n[green]✓[/green] Checkpoint {result['key']} in {elapsed:.1f} s. "
        + tr(
            "Report: {report}\n"
            "Progress report: {html} (HTML), {xlsx} (Excel)\n"
            "Prefect UI: PREFECT_HOME={home} .venv/bin/prefect server start, "
            "then open http://127.0.0.1:4200/runs: in the checkpoint run's Artifacts the "
            "Lagebild first, then the matrix, Soll/Ist, status.",
            STATE.lang,
            report=result["report"],
            html=result["html"],
            xlsx=result["xlsx"],
            home=home,
        )
    )
    _print_portal_link(definition, wiring, config)


def _print_portal_link(definition: ProgrammeDefinition, wiring: Wiring, config: Path) -> None:
    """A sign-in link for one demo owner, so a newcomer can click through the portal."""
    if not definition.organisations:
        return
    owner = definition.organisations[0].owners[0]
    token = issue_link(
        definition, owner, store=wiring.access, uow=wiring.uow(), now=clock.now(), actor="demo"
    )
    STATE.console.print(
        "\n" + tr("Portal: .venv/bin/steer portal {config}, then open:", STATE.lang, config=config),
        soft_wrap=True,
        markup=False,
    )
    print_link(definition, owner, wiring.settings.portal_base, token)


def register(app: typer.Typer) -> None:
    """Add the demo command."""
    app.command()(demo)
