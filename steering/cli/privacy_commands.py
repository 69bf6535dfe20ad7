"""`steer privacy export|forget PERSON`: data subject rights (GDPR Art. 15 and 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steering import clock
from steering.cli.context import STATE, current_actor
from steering.cli.status_commands import ConfigArg, open_programme
from steering.i18n import ntr, tr
from steering.services.privacy import UnknownPerson, export_person, forget_person, write_export

privacy_app = typer.Typer(
    help="Auskunft und Löschung personenbezogener Daten.", no_args_is_help=True
)


@privacy_app.command("export")
def export(
    config: ConfigArg,
    person: Annotated[str, typer.Argument(help="Person (id aus der Programmdefinition).")],
    out: Annotated[Path | None, typer.Option("--out", help="Zieldatei (JSON).")] = None,
) -> None:
    """Schreibt alles, was über eine Person gespeichert ist, als JSON (Auskunft)."""
    definition, wiring = open_programme(config)
    try:
        data = export_person(
            definition, person, uow=wiring.uow(), now=clock.now(), actor=current_actor()
        )
    except UnknownPerson:
        STATE.errors.print(tr("Unknown person: {person}", STATE.lang, person=person))
        raise typer.Exit(1) from None
    target = out or wiring.settings.data_dir / "privacy" / f"{person}.json"
    write_export(data, target)
    rows = sum(len(v) for v in data["stored"].values())
    STATE.console.print(
        ntr(
            "{n} record exported: {target}",
            "{n} records exported: {target}",
            rows,
            STATE.lang,
            target=target,
        ),
        soft_wrap=True,
    )


@privacy_app.command("forget")
def forget(
    config: ConfigArg,
    person: Annotated[str, typer.Argument(help="Person (id aus der Programmdefinition).")],
    yes: Annotated[bool, typer.Option("--yes", help="Ohne Rückfrage.")] = False,
) -> None:
    """Pseudonymisiert eine Person im Speicher; Kennzahlen und Ampeln bleiben erhalten."""
    if not yes and not typer.confirm(
        tr("Pseudonymise {person}? This cannot be undone.", STATE.lang, person=person)
    ):
        raise typer.Exit(1)
    definition, wiring = open_programme(config)
    try:
        alias, counts = forget_person(
            definition, person, uow=wiring.uow(), now=clock.now(), actor=current_actor()
        )
    except UnknownPerson:
        STATE.errors.print(tr("Unknown person: {person}", STATE.lang, person=person))
        raise typer.Exit(1) from None
    changed = sum(counts.values())
    STATE.console.print(
        ntr(
            "{n} record pseudonymised as {alias}. Please remove the person from "
            "the programme definition (people, owners) as well.",
            "{n} records pseudonymised as {alias}. Please remove the person from "
            "the programme definition (people, owners) as well.",
            changed,
            STATE.lang,
            alias=alias,
        ),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the privacy command group."""
    app.add_typer(privacy_app, name="privacy")
