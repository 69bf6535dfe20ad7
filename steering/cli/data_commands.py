"""`steer import` and `steer record`: get indicator values into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.cli.context import STATE
from steering.cli.context import current_actor as _actor
from steering.cli.status_commands import ConfigArg, open_programme
from steering.domain.reporting.formats import time_text
from steering.i18n import ntr, tr
from steering.ports import StoreBusy, StoreConflict
from steering.ports.sources import ImportFailed
from steering.services.importing import (
    ImportOutcome,
    SourceNotImportable,
    UnknownImport,
    import_history,
    import_source,
    record_value,
    restore_import,
)


def _store_refused(exc: StoreConflict) -> typer.Exit:
    """One line for a write that lost a race or waited too long (no traceback, exit 1)."""
    if isinstance(exc, StoreBusy):
        text = tr(
            "The database was busy with another operation for too long; nothing "
            "was stored. Please try again later.",
            STATE.lang,
        )
    else:
        text = tr(
            "A simultaneous operation changed the same values; nothing was stored. "
            "Please try again.",
            STATE.lang,
        )
    STATE.errors.print(text, soft_wrap=True)
    return typer.Exit(1)


def import_(
    config: ConfigArg,
    file: Annotated[
        Path | None, typer.Argument(help="Datei; ohne Angabe der konfigurierte Pfad.")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="Schlüssel der Datenquelle.")] = "",
    period: Annotated[
        str | None, typer.Option("--period", help="Zeitraum einer Befragung, z. B. 2019-H2.")
    ] = None,
    restore: Annotated[
        int | None,
        typer.Option("--restore", help="Macht die Werte eines früheren Imports wieder gültig."),
    ] = None,
) -> None:
    """Importiert eine Datei oder Abfrage: alle Zeilen gültig oder nichts gespeichert."""
    definition, wiring = open_programme(config)
    try:
        if restore is not None:
            outcome = restore_import(
                definition, import_id=restore, uow=wiring.uow(), now=clock.now(), actor=_actor()
            )
        else:
            outcome = import_source(
                definition,
                config,
                source_key=source,
                sources=wiring.sources,
                uow=wiring.uow(),
                now=clock.now(),
                actor=_actor(),
                path=file,
                period=period,
                lang=STATE.lang,
            )
    except StoreConflict as exc:
        raise _store_refused(exc) from None
    except UnknownImport as exc:
        STATE.errors.print(tr("There is no import {exc}", STATE.lang, exc=exc))
        raise typer.Exit(1) from None
    except SourceNotImportable as exc:
        STATE.errors.print(tr("Unknown or non-importable source {exc}", STATE.lang, exc=exc))
        raise typer.Exit(1) from None
    except ImportFailed as exc:
        STATE.errors.print(f"[red]{exc}[/red]", soft_wrap=True)
        STATE.errors.print(tr("Nothing was stored.", STATE.lang))
        raise typer.Exit(1) from None
    STATE.console.print(_outcome_line(outcome, config))


def _outcome_line(outcome: ImportOutcome, config: Path) -> str:
    replaced = ", ".join(str(i) for i in outcome.replaced_imports)
    also = tr(", replaces import {replaced}", STATE.lang, replaced=replaced) if replaced else ""
    name, number = outcome.file_name, outcome.import_id
    if outcome.status == "unchanged" and outcome.replaced_values:
        count = outcome.replaced_values
        return ntr(
            "{name}: already imported (import {number}); replaced since (by a "
            "later import or by hand): {n} value. To make them current again: "
            "steer import {config} --restore {number}",
            "{name}: already imported (import {number}); replaced since (by a "
            "later import or by hand): {n} values. To make them current again: "
            "steer import {config} --restore {number}",
            count,
            STATE.lang,
            name=name,
            number=number,
            config=config,
        )
    if outcome.status == "unchanged":
        return tr(
            "{name}: already imported (import {number}), its values are current; nothing changed.",
            STATE.lang,
            name=name,
            number=number,
        )
    if outcome.status == "restored":
        return "[green]✓[/green] " + ntr(
            "{name}: the values of import {number} are current again ({n} value){also}",
            "{name}: the values of import {number} are current again ({n} values){also}",
            outcome.rows,
            STATE.lang,
            name=name,
            number=number,
            also=also,
        )
    return "[green]✓[/green] " + ntr(
        "{name}: {n} value imported (import {number}){also}",
        "{name}: {n} values imported (import {number}){also}",
        outcome.rows,
        STATE.lang,
        name=name,
        number=number,
        also=also,
    )


def imports(
    config: ConfigArg,
    source: Annotated[
        str | None, typer.Option("--source", help="Nur die Importe dieser Datenquelle.")
    ] = None,
) -> None:
    """Listet die Importe (neueste zuerst): Nummer, Quelle, Datei, Zeitpunkt, Werte, Status."""
    definition, wiring = open_programme(config)
    listed = import_history(definition, uow=wiring.uow(), source_key=source)
    if not listed:
        STATE.console.print(tr("No imports yet.", STATE.lang))
        return
    tz = ZoneInfo(definition.programme.timezone)
    for entry in listed:
        status = (
            tr("current", STATE.lang)
            if entry.status == "active"
            else tr(
                "replaced by import {superseded_by}", STATE.lang, superseded_by=entry.superseded_by
            )
        )
        # In the programme's time zone, as `steer outbox` shows its times.
        when = time_text(entry.imported_at.astimezone(tz))
        STATE.console.print(
            f"{entry.import_id:>5}  {entry.source_key}  {entry.file_name}  {when}  "
            + ntr("{n} value", "{n} values", entry.rows, STATE.lang)
            + f"  {status}",
            markup=False,
            soft_wrap=True,
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
            sources=wiring.sources,
            uow=wiring.uow(),
            now=clock.now(),
            actor=_actor(),
            lang=STATE.lang,
        )
    except StoreConflict as exc:
        raise _store_refused(exc) from None
    except ImportFailed as exc:
        STATE.errors.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(1) from None
    where = row.organisation or tr("programme", STATE.lang)
    STATE.console.print(
        "[green]✓[/green] " + f"{row.indicator} · {where} · {row.period} = {row.value:g}"
    )


def register(app: typer.Typer) -> None:
    """Add the data commands."""
    app.command("import")(import_)
    app.command()(imports)
    app.command()(record)
