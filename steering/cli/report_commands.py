"""`steer report` (Sachbericht in md/html/xlsx/csv) and `steer calendar` (ICS feeds)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steering import clock
from steering.bootstrap import ReportFiles, render_ics, write_ics
from steering.cli.context import STATE
from steering.cli.status_commands import ConfigArg, open_programme
from steering.i18n import ntr, tr
from steering.services.calendar_feed import UnknownSubject, calendar_entries
from steering.services.period_report import ReportNotStored, ReportUnavailable, period_report


def report(
    config: ConfigArg,
    period: Annotated[str, typer.Option("--period", help="Berichtszeitraum, z. B. 2019-H2.")],
    fmt: Annotated[
        str, typer.Option("--format", help="md, html, xlsx oder csv (ein Ordner je Teil).")
    ] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Zieldatei (bei csv: Ordner, oder r.csv für r-<Teil>.csv daneben)."
        ),
    ] = None,
    dialect: Annotated[
        str, typer.Option("--dialect", help="csv: de (; und Dezimalkomma) oder plain.")
    ] = "de",
) -> None:
    """Schreibt den Sachbericht eines Zeitraums, so wie sein Checkpoint ihn gespeichert hat."""
    formats = ReportFiles.formats
    if fmt not in formats:
        raise typer.BadParameter(" | ".join(formats), param_hint="--format")
    if dialect not in ("de", "plain"):
        raise typer.BadParameter("de | plain", param_hint="--dialect")
    definition, wiring = open_programme(config)
    try:
        built = period_report(definition, uow_factory=wiring.uow, period=period, lang=STATE.lang)
    except ReportNotStored as missing:
        STATE.errors.print(
            tr(
                "Checkpoint {missing} ran before reports were stored with checkpoints. "
                "Run the checkpoint again (flow 'checkpoint').",
                STATE.lang,
                missing=missing,
            ),
            markup=False,
        )
        raise typer.Exit(1) from None
    except ReportUnavailable:
        STATE.errors.print(
            tr(
                "There is no checkpoint for {period} yet. Run the checkpoint first "
                "(flow 'checkpoint' or steer demo).",
                STATE.lang,
                period=period,
            )
        )
        raise typer.Exit(1) from None
    writer = wiring.report_writer
    target = out or wiring.settings.data_dir / "reports" / writer.default_name(built, fmt)
    for path in writer.write(built, fmt, target, dialect=dialect):
        STATE.console.print(tr("written: {path}", STATE.lang, path=path), soft_wrap=True)


def calendar(
    config: ConfigArg,
    org: Annotated[str | None, typer.Option("--org", help="Organisation (id).")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Person (id).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Zieldatei (.ics).")] = None,
) -> None:
    """Schreibt einen Kalender (ICS): Checkpoints, fällige Schritte, Zeitraumenden, Termine."""
    if (org is None) == (person is None):
        raise typer.BadParameter(tr("exactly one of --org or --person", STATE.lang))
    definition, wiring = open_programme(config)
    try:
        title, entries = calendar_entries(
            definition, uow=wiring.uow(), organisation=org, person=person, lang=STATE.lang
        )
    except UnknownSubject:
        STATE.errors.print(tr("Unknown: {value}", STATE.lang, value=org or person), markup=False)
        raise typer.Exit(1) from None
    data = render_ics(
        title,
        entries,
        programme_id=definition.programme.id,
        now=clock.now(),
        timezone=definition.programme.timezone,
    )
    target = out or wiring.settings.data_dir / "calendars" / f"{org or person}.ics"
    write_ics(data, target)
    STATE.console.print(
        ntr(
            "{n} entry written: {target}",
            "{n} entries written: {target}",
            len(entries),
            STATE.lang,
            target=target,
        ),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the report commands."""
    app.command()(report)
    app.command()(calendar)
