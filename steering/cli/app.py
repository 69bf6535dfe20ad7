"""Root typer app: global options and command registration."""

from __future__ import annotations

from typing import Annotated

import typer

from steering import __version__
from steering.cli import (
    config_commands,
    data_commands,
    db_commands,
    decision_commands,
    demo_commands,
    notify_commands,
    privacy_commands,
    progress_commands,
    report_commands,
    serve_commands,
    status_commands,
)
from steering.cli.context import STATE
from steering.settings import get_settings

app = typer.Typer(
    help="PDCA-Steuerung für Digitalisierungsprogramme der Sozialwirtschaft.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Sprache der Ausgaben: de oder en.", show_default=False),
    ] = None,
) -> None:
    """PDCA-Steuerung: Ampeln, Soll/Ist, Erinnerungen."""
    chosen = lang or get_settings().language
    if chosen not in ("de", "en"):
        raise typer.BadParameter("de | en", param_hint="--lang")
    STATE.lang = chosen


@app.command()
def version() -> None:
    """Zeigt die Version."""
    STATE.console.print(f"pdca-steering {__version__}")


config_commands.register(app)
notify_commands.register(app)
privacy_commands.register(app)
report_commands.register(app)
status_commands.register(app)
data_commands.register(app)
decision_commands.register(app)
demo_commands.register(app)
progress_commands.register(app)
serve_commands.register(app)
app.add_typer(db_commands.db_app, name="db")


def main() -> None:
    """Console-script entry point."""
    app()
