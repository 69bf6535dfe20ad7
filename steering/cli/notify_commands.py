"""`steer notify` (reminders, with --dry-run) and `steer outbox` (what waits to be sent)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.cli.context import STATE, de_en
from steering.cli.status_commands import ConfigArg, open_programme
from steering.i18n import counted
from steering.services.notify import (
    deliver_outbox,
    plan_digests,
    queue_digests,
    reminder_notices,
)


def notify(
    config: ConfigArg,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Nur zeigen, wer was bekäme; nichts senden oder speichern."),
    ] = False,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Stichtag JJJJ-MM-TT (Standard: heute)."),
    ] = None,
) -> None:
    """Erinnerungen ermitteln und als Sammelnachricht je Empfänger senden."""
    definition, wiring = open_programme(config)
    tz = ZoneInfo(definition.programme.timezone)
    now = clock.now()
    try:
        today = date.fromisoformat(on) if on else now.astimezone(tz).date()
    except ValueError:
        raise typer.BadParameter(de_en("Datum als JJJJ-MM-TT", "date as YYYY-MM-DD")) from None
    sender = wiring.sender()
    notices = reminder_notices(definition, uow=wiring.uow(), today=today)
    ui = wiring.ui_url(definition)
    planned = plan_digests(definition, notices, uow=wiring.uow(), sender=sender, ui_url=ui)
    people = {p.id: p for p in definition.people}
    heading = de_en(f"Stichtag {today:%d.%m.%Y}", f"Reference date {today.isoformat()}")
    STATE.console.print(f"[bold]{heading}[/bold]")
    if not planned:
        STATE.console.print(de_en("Niemand bekommt neue Hinweise.", "Nobody gets new notices."))
    for plan in planned:
        person = people[plan.recipient]
        channels = [sender.describe(person, c) for c in plan.channels] or [
            de_en("kein Kanal konfiguriert", "no channel configured")
        ]
        STATE.console.print(f"\n[bold]{person.name}[/bold] ({plan.recipient})", soft_wrap=True)
        for channel in channels:
            STATE.console.print(f"  → {channel}", soft_wrap=True, markup=False)
        STATE.console.print(f"  {plan.message.subject}", soft_wrap=True, markup=False)
        for line in plan.message.text.splitlines():
            if line.strip().startswith(("- ", "==")):
                STATE.console.print(f"    {line.strip()}", soft_wrap=True, markup=False)
    if dry_run:
        STATE.console.print(de_en("\nProbelauf: nichts gesendet.", "\nDry run: nothing sent."))
        return
    queued = queue_digests(definition, planned, uow=wiring.uow(), now=now)
    delivery = deliver_outbox(definition, uow_factory=wiring.uow, sender=sender, now=now)
    STATE.console.print(
        de_en(
            f"\n{counted(queued, 'messages')} eingereiht, {delivery.sent} gesendet, "
            f"{delivery.failed} fehlgeschlagen (werden später erneut versucht).",
            f"\n{counted(queued, 'messages', 'en')} queued, {delivery.sent} sent, "
            f"{delivery.failed} failed (retried later).",
        )
    )
    for error in delivery.errors:
        STATE.errors.print(f"  {error}", soft_wrap=True, markup=False)


def outbox(
    config: ConfigArg,
    send: Annotated[
        bool,
        typer.Option("--send", help="Wartende und fehlgeschlagene Nachrichten jetzt zustellen."),
    ] = False,
) -> None:
    """Zeigt wartende und fehlgeschlagene Nachrichten mit ihrem letzten Fehler."""
    definition, wiring = open_programme(config)
    pid = definition.programme.id
    if send:
        delivery = deliver_outbox(
            definition,
            uow_factory=wiring.uow,
            sender=wiring.sender(),
            now=clock.now(),
            ignore_backoff=True,  # asked for by hand: do not wait for the retry interval
        )
        STATE.console.print(
            de_en(
                f"{delivery.sent} gesendet, {delivery.failed} fehlgeschlagen.",
                f"{delivery.sent} sent, {delivery.failed} failed.",
            )
        )
    with wiring.uow() as uow:
        waiting = uow.outbox.waiting(pid)
        counts = uow.outbox.counts(pid)
    summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "–"
    STATE.console.print(de_en(f"Postausgang ({summary})", f"Outbox ({summary})"))
    if not waiting:
        STATE.console.print(de_en("Nichts wartet auf Zustellung.", "Nothing waits to be sent."))
        return
    tz = ZoneInfo(definition.programme.timezone)
    for m in waiting:
        status = de_en({"pending": "wartet", "failed": "fehlgeschlagen"}[m.status], m.status)
        when = f"{m.next_attempt_at.astimezone(tz):%d.%m.%Y %H:%M}" if m.next_attempt_at else "–"
        STATE.console.print(
            de_en(
                f"#{m.id} {m.recipient} über {m.channel}: {status}, "
                f"{counted(m.attempts, 'attempts')}, "
                f"nächster Versuch {when}",
                f"#{m.id} {m.recipient} via {m.channel}: {status}, "
                f"{counted(m.attempts, 'attempts', 'en')}, "
                f"next attempt {when}",
            ),
            soft_wrap=True,
            markup=False,
        )
        STATE.console.print(f"    {m.subject}", soft_wrap=True, markup=False)
        if m.last_error:
            label = de_en("Letzter Fehler", "Last error")
            STATE.console.print(f"    {label}: {m.last_error}", soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add the notification commands."""
    app.command()(notify)
    app.command()(outbox)
