"""Root typer app: global options and command registration."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from steering import __version__
from steering.cli import (
    checkpoint_commands,
    config_commands,
    data_commands,
    db_commands,
    decision_commands,
    demo_commands,
    notify_commands,
    portal_commands,
    privacy_commands,
    progress_commands,
    report_commands,
    serve_commands,
    status_commands,
)
from steering.cli.context import STATE
from steering.cli.faults import explain_fault
from steering.settings import get_settings


class _LangAnywhere(TyperGroup):
    """Accepts the global --lang after the subcommand too (`steer status X --lang en`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, lang_first(args))


def lang_first(args: list[str]) -> list[str]:
    """Move every `--lang X` / `--lang=X` and `--debug` (before a `--`) to the front, where the
    root reads them."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--lang" and index + 1 < len(args):
            front += args[index : index + 2]
            index += 2
            continue
        if arg.startswith("--lang=") or arg == "--debug":
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


app = typer.Typer(
    cls=_LangAnywhere,
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="STEERING_DEBUG",
            help="Technische Einzelheiten (Traceback) statt einer Zeile bei Störungen.",
        ),
    ] = False,
) -> None:
    """PDCA-Steuerung: Ampeln, Soll/Ist, Erinnerungen."""
    STATE.debug = debug
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
checkpoint_commands.register(app)
progress_commands.register(app)
serve_commands.register(app)
portal_commands.register(app)
app.add_typer(db_commands.db_app, name="db")


def main() -> None:
    """Console-script entry point: a fault of the surroundings is one line and exit code 1."""
    try:
        app()
    except Exception as exc:
        if STATE.debug:
            raise
        line = explain_fault(exc, STATE.lang, _database_url())
        if line is None:
            raise  # not the surroundings: a bug, whose traceback helps
        STATE.errors.print(line, markup=False, soft_wrap=True)
        sys.exit(1)


def _database_url() -> str:
    try:
        return get_settings().resolved_database_url()
    except Exception:  # invalid settings: the line names the variable instead
        return ""
