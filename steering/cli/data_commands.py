"""`steer import` and `steer record`: get indicator values into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.cli.context import STATE
from steering.cli.context import current_actor as _actor
from steering.cli.context import de_en as _de
from steering.cli.status_commands import ConfigArg, open_programme
from steering.domain.reporting.formats import time_text
from steering.i18n import counted
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
        text = _de(
            "Die Datenbank war zu lange durch einen anderen Vorgang belegt; nichts wurde "
            "gespeichert. Bitte später erneut versuchen.",
            "The database was busy with another operation for too long; nothing was stored. "
            "Please try again later.",
        )
    else:
        text = _de(
            "Ein gleichzeitiger Vorgang hat dieselben Werte geändert; nichts wurde gespeichert. "
            "Bitte erneut versuchen.",
            "A simultaneous operation changed the same values; nothing was stored. "
            "Please try again.",
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
        STATE.errors.print(
            _de(f"Es gibt keinen Import {exc} (steer imports)", f"There is no import {exc}")
        )
        raise typer.Exit(1) from None
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
    STATE.console.print(_outcome_line(outcome, config))


def _outcome_line(outcome: ImportOutcome, config: Path) -> str:
    replaced = ", ".join(str(i) for i in outcome.replaced_imports)
    also = _de(f", ersetzt Import {replaced}", f", replaces import {replaced}") if replaced else ""
    name, number = outcome.file_name, outcome.import_id
    if outcome.status == "unchanged" and outcome.replaced_values:
        count = outcome.replaced_values
        return _de(
            f"{name}: bereits importiert (Import {number}); seither ersetzt (durch einen späteren "
            f"Import oder von Hand): {counted(count, 'values')}. Wieder gültig machen: "
            f"steer import {config} --restore {number}",
            f"{name}: already imported (import {number}); replaced since (by a later import or "
            f"by hand): {counted(count, 'values', 'en')}. To make them current again: "
            f"steer import {config} --restore {number}",
        )
    if outcome.status == "unchanged":
        return _de(
            f"{name}: bereits importiert (Import {number}), die Werte gelten; nichts geändert.",
            f"{name}: already imported (import {number}), its values are current; nothing changed.",
        )
    if outcome.status == "restored":
        return "[green]✓[/green] " + _de(
            f"{name}: die Werte von Import {number} gelten wieder "
            f"({counted(outcome.rows, 'values')}){also}",
            f"{name}: the values of import {number} are current again "
            f"({counted(outcome.rows, 'values', 'en')}){also}",
        )
    return "[green]✓[/green] " + _de(
        f"{name}: {counted(outcome.rows, 'values')} importiert (Import {number}){also}",
        f"{name}: {counted(outcome.rows, 'values', 'en')} imported (import {number}){also}",
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
        STATE.console.print(_de("Noch keine Importe.", "No imports yet."))
        return
    tz = ZoneInfo(definition.programme.timezone)
    for entry in listed:
        status = (
            _de("gültig", "current")
            if entry.status == "active"
            else _de(
                f"ersetzt durch Import {entry.superseded_by}",
                f"replaced by import {entry.superseded_by}",
            )
        )
        # In the programme's time zone, as `steer outbox` shows its times.
        when = time_text(entry.imported_at.astimezone(tz))
        STATE.console.print(
            f"{entry.import_id:>5}  {entry.source_key}  {entry.file_name}  {when}  "
            f"{counted(entry.rows, 'values', STATE.lang)}  {status}",
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
    where = row.organisation or _de("Programm", "programme")
    STATE.console.print(
        "[green]✓[/green] " + f"{row.indicator} · {where} · {row.period} = {row.value:g}"
    )


def register(app: typer.Typer) -> None:
    """Add the data commands."""
    app.command("import")(import_)
    app.command()(imports)
    app.command()(record)
