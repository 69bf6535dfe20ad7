"""`steer import` and `steer record`: get indicator values into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steering import clock
from steering.adapters.sources.result import ImportFailed
from steering.cli.context import STATE
from steering.cli.context import current_actor as _actor
from steering.cli.context import de_en as _de
from steering.cli.status_commands import ConfigArg, open_programme
from steering.i18n import counted
from steering.services.importing import SourceNotImportable, import_source, record_value


def import_(
    config: ConfigArg,
    file: Annotated[
        Path | None, typer.Argument(help="Datei; ohne Angabe der konfigurierte Pfad.")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="Schlüssel der Datenquelle.")] = "",
    period: Annotated[
        str | None, typer.Option("--period", help="Zeitraum einer Befragung, z. B. 2019-H2.")
    ] = None,
) -> None:
    """Importiert eine Datei oder Abfrage: alle Zeilen gültig oder nichts gespeichert."""
    definition, wiring = open_programme(config)
    try:
        outcome = import_source(
            definition,
            config,
            source_key=source,
            uow=wiring.uow(),
            now=clock.now(),
            actor=_actor(),
            path=file,
            period=period,
            lang=STATE.lang,
        )
    except SourceNotImportable as exc:
        STATE.errors.print(
            _de(
                f"Unbekannte oder nicht importierbare Quelle {exc}",
                f"Unknown or non-importable source {exc}",
            )
        )
        raise typer.Exit(1) from None
    except ImportFailed as exc:
        STATE.errors.print(f"[red]{exc}[/red]", soft_wrap=True)
        STATE.errors.print(_de("Nichts wurde gespeichert.", "Nothing was stored."))
        raise typer.Exit(1) from None
    if outcome.status == "unchanged":
        STATE.console.print(
            _de(
                f"{outcome.file_name}: bereits importiert (Import {outcome.import_id}), "
                "nichts geändert.",
                f"{outcome.file_name}: already imported (import {outcome.import_id}), "
                "nothing changed.",
            )
        )
        return
    replaced = ", ".join(str(i) for i in outcome.replaced_imports)
    STATE.console.print(
        "[green]✓[/green] "
        + _de(
            f"{outcome.file_name}: {counted(outcome.rows, 'values')} importiert "
            f"(Import {outcome.import_id})",
            f"{outcome.file_name}: {counted(outcome.rows, 'values', 'en')} imported "
            f"(import {outcome.import_id})",
        )
        + (_de(f", ersetzt Import {replaced}", f", replaces import {replaced}") if replaced else "")
    )


def record(
    config: ConfigArg,
    indicator: Annotated[str, typer.Option("--indicator", help="Indikator (Schlüssel).")],
    period: Annotated[str, typer.Option("--period", help="Zeitraum, z. B. 2019-H2.")],
    value: Annotated[str, typer.Option("--value", help="Wert, z. B. 12,5.")],
    org: Annotated[str, typer.Option("--org", help="Organisation; leer für das Programm.")] = "",
    note: Annotated[str, typer.Option("--note", help="Bemerkung.")] = "",
) -> None:
    """Erfasst einen Wert von Hand (Indikator, Organisation, Zeitraum, Wert, Bemerkung)."""
    definition, wiring = open_programme(config)
    try:
        row = record_value(
            definition,
            indicator=indicator,
            organisation=org,
            period=period,
            value=value,
            note=note,
            uow=wiring.uow(),
            now=clock.now(),
            actor=_actor(),
            lang=STATE.lang,
        )
    except ImportFailed as exc:
        STATE.errors.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(1) from None
    where = row.organisation or _de("Programm", "programme")
    STATE.console.print(
        "[green]✓[/green] " + f"{row.indicator} · {where} · {row.period} = {row.value:g}"
    )


def register(app: typer.Typer) -> None:
    """Add the data commands."""
    app.command("import")(import_)
    app.command()(record)
