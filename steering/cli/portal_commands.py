"""`steer portal CONFIG` serves the participant portal; `link` and `revoke` manage access."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from steering import clock
from steering.bootstrap import Wiring
from steering.builtin import demo_config
from steering.cli.context import STATE, current_actor
from steering.cli.status_commands import open_programme
from steering.domain.definition import ProgrammeDefinition
from steering.i18n import ntr, tr
from steering.services.portal_access import UnknownPersonError, issue_link, revoke_access
from steering.services.portal_calendar import issue_calendar, revoke_calendars, webcal_url
from steering.services.portal_links import sign_in_url

T = TypeVar("T")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8400


class _ServeByDefault(TyperGroup):
    """`steer portal CONFIG` means `steer portal serve CONFIG`: a config is no subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


portal_app = typer.Typer(
    cls=_ServeByDefault,
    help="Teilnehmendenportal: starten, Anmelde- und Kalenderlinks ausgeben und zurückziehen.",
    no_args_is_help=True,
)
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Programmdefinition (Vorgabe: das mitgelieferte Demoprogramm)."),
]
PersonArg = Annotated[str, typer.Argument(help="Person (ID aus people).")]


def print_link(definition: ProgrammeDefinition, person: str, base: str, token: str) -> None:
    """Print a person's sign-in link with its validity."""
    name = definition.person(person).name
    STATE.console.print(
        tr(
            "Sign-in link for {name} ({person}), valid once, for 7 days:",
            STATE.lang,
            name=name,
            person=person,
        ),
        soft_wrap=True,
    )
    STATE.console.print(sign_in_url(base, token), soft_wrap=True, markup=False)


def _for_person(
    definition: ProgrammeDefinition, wiring: Wiring, person: str, service: Callable[..., T]
) -> T:
    """Run a portal access service for a person; an unknown person ends the command."""
    try:
        return service(
            definition,
            person,
            store=wiring.access,
            uow=wiring.uow(),
            now=clock.now(),
            actor=current_actor(),
        )
    except UnknownPersonError:
        STATE.errors.print(tr("Unknown person '{person}'", STATE.lang, person=person), markup=False)
        raise typer.Exit(1) from None


@portal_app.command("link")
def link(person: PersonArg, config: ConfigOption = None) -> None:
    """Gibt einen einmal gültigen Anmeldelink für eine Person aus (7 Tage gültig)."""
    definition, wiring = open_programme(config or demo_config())
    token = _for_person(definition, wiring, person, issue_link)
    print_link(definition, person, wiring.settings.portal_base, token)


@portal_app.command("revoke")
def revoke(person: PersonArg, config: ConfigOption = None) -> None:
    """Zieht Anmeldelinks und Kalender-Abos einer Person zurück und beendet ihre Sitzungen."""
    definition, wiring = open_programme(config or demo_config())
    links, sessions = _for_person(definition, wiring, person, revoke_access)
    calendars = _for_person(definition, wiring, person, revoke_calendars)
    STATE.console.print(
        f"{person}: "
        + ntr("{n} sign-in link revoked", "{n} sign-in links revoked", links, STATE.lang)
        + ", "
        + ntr("{n} session ended.", "{n} sessions ended.", sessions, STATE.lang)
        + " "
        + ntr(
            "{n} calendar subscription revoked.",
            "{n} calendar subscriptions revoked.",
            calendars,
            STATE.lang,
        )
    )


@portal_app.command("calendar")
def calendar(person: PersonArg, config: ConfigOption = None) -> None:
    """Gibt eine neue Kalender-Abo-Adresse (webcal) für eine Person aus."""
    definition, wiring = open_programme(config or demo_config())
    token = _for_person(definition, wiring, person, issue_calendar)
    name = definition.person(person).name
    STATE.console.print(
        tr(
            "Calendar subscription for {name} ({person}), valid until revoked:",
            STATE.lang,
            name=name,
            person=person,
        ),
        soft_wrap=True,
    )
    STATE.console.print(
        webcal_url(wiring.settings.portal_base, token), soft_wrap=True, markup=False
    )


@portal_app.command("serve")
def serve(
    config: Annotated[Path, typer.Argument(help="Programmdefinition (YAML).")],
    host: Annotated[
        str,
        typer.Option(help="Adresse, an der das Portal lauscht.", envvar="STEERING_PORTAL_HOST"),
    ] = DEFAULT_HOST,
    port: Annotated[
        int, typer.Option(help="Port des Portals.", envvar="STEERING_PORTAL_PORT")
    ] = DEFAULT_PORT,
) -> None:
    """Startet das Teilnehmendenportal (Vorgabe: http://127.0.0.1:8400)."""
    import uvicorn

    from steering.portal.app import create_app

    _, wiring = open_programme(config)
    app = create_app(config, wiring)
    STATE.console.print(
        tr("Portal running on http://{host}:{port}", STATE.lang, host=host, port=port)
    )
    # Behind a reverse proxy, the client address (for the sign-in rate limit) and the scheme
    # come from its X-Forwarded-* headers, trusted only from the addresses configured.
    proxies = wiring.settings.portal_forwarded_allow_ips
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=proxies is not None,
        forwarded_allow_ips=proxies,
    )


def register(app: typer.Typer) -> None:
    """Add the portal commands."""
    app.add_typer(portal_app, name="portal")
