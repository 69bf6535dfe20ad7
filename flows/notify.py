"""Notifications: reminders run on working-day mornings; checkpoints tell what changed."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow

from flows import common
from flows.notify_tasks import find_reminders, send_notices

__all__ = ["find_reminders", "reminders", "send_notices"]


@flow(
    name="reminders",
    flow_run_name="erinnerungen/{config}",
    description=(
        "Erinnerungen: fällige und überfällige Schritte, Eskalationen, fehlende Daten und "
        "Termine als eine Sammelnachricht je Empfänger; wiederholt fehlgeschlagene Zustellungen."
    ),
)
def reminders(config: str, on: date | None = None) -> dict[str, Any]:
    """Send today's reminders (quiet on weekends and public holidays).

    Args:
        config: Pfad der Programmdefinition (YAML).
        on: Stichtag; leer = heute in der Zeitzone des Programms.
    """
    definition = common.definition(config)
    today = on or common.now().astimezone(ZoneInfo(definition.programme.timezone)).date()
    return send_notices(config, find_reminders(config, today))
