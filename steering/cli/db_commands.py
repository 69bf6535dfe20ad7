"""`steer db ...`: schema migrations of the store."""

from __future__ import annotations

import typer

from steering.bootstrap import shown_url, wire
from steering.cli.context import STATE
from steering.i18n import t

db_app = typer.Typer(help="Datenbank des Steuerungsspeichers.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bringt das Datenbankschema auf den neuesten Stand (Alembic-Migrationen)."""
    wiring = wire()
    wiring.migrate()
    shown = shown_url(wiring.database_url)
    STATE.console.print("[green]✓[/green] " + t("cli_db_upgraded", STATE.lang, url=shown))
