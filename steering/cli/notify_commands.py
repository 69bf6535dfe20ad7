"""`steer notify` (reminders, with --dry-run) and `steer outbox` (what waits, what was given up)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.bootstrap import Wiring
from steering.cli.context import STATE, current_actor, de_en
from steering.cli.status_commands import ConfigArg, open_programme
from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.notices import Notice
from steering.domain.reporting.formats import time_text
from steering.i18n import counted
from steering.services.delivery import Delivery, DeliveryIncomplete, deliver_outbox
from steering.services.delivery_problems import NothingToRevive, revive_dead_letters
from steering.services.notify import (
    NoticesNotQueued,
    Queued,
    plan_digests,
    queue_notices,
    reminder_notices,
)
from steering.services.pending_notices import load_pending


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
    # What checkpoints stored and did not get to tell goes out with the reminders.
    told = [*load_pending(definition, uow=wiring.uow()).notices, *notices]
    planned = plan_digests(definition, told, uow=wiring.uow(), sender=sender, ui_url=ui, now=now)
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
    queued = _queue(definition, notices, wiring=wiring, now=now).messages
    delivery = _deliver(
        definition,
        leases_for=wiring.outbox_leases,
        sender=sender,
        now=now,
        give_up=wiring.settings.give_up(),
        lease=wiring.settings.lease(),
        workers=wiring.settings.outbox_senders,
    )
    STATE.console.print(
        de_en(
            f"\n{counted(queued, 'messages')} eingereiht, {delivery.sent} gesendet, "
            f"{delivery.failed} fehlgeschlagen (werden später erneut versucht).",
            f"\n{counted(queued, 'messages', 'en')} queued, {delivery.sent} sent, "
            f"{delivery.failed} failed (retried later).",
        )
    )
    _given_up(delivery.given_up)
    for error in delivery.errors:
        STATE.errors.print(f"  {error}", soft_wrap=True, markup=False)


_STATUS = {
    "pending": ("wartet", "pending"),
    "failed": ("fehlgeschlagen", "failed"),
    "dead": ("aufgegeben", "given up"),
    "sent": ("gesendet", "sent"),
}


def _status(status: str) -> str:
    """An outbox status in the user's language."""
    return de_en(*_STATUS.get(status, (status, status)))


def _queue(
    definition: ProgrammeDefinition, notices: list[Notice], *, wiring: Wiring, now: datetime
) -> Queued:
    """Queue these notices and what checkpoints left to tell; a failure ends with code 1."""
    try:
        return queue_notices(
            definition,
            notices,
            uow_factory=wiring.uow,
            sender=wiring.sender(),
            now=now,
            ui_url=wiring.ui_url(definition),
        )
    except NoticesNotQueued as failure:
        STATE.errors.print(
            de_en(f"Nicht eingereiht: {failure}", f"Not queued: {failure}"),
            soft_wrap=True,
            markup=False,
        )
        raise typer.Exit(1) from None


def _deliver(definition: ProgrammeDefinition, **options: Any) -> Delivery:
    """Deliver what is due; a store failure ends the command with exit code 1."""
    try:
        return deliver_outbox(definition, **options)
    except DeliveryIncomplete as failure:
        STATE.errors.print(
            de_en(f"Zustellung abgebrochen: {failure}", f"Delivery stopped: {failure}"),
            soft_wrap=True,
            markup=False,
        )
        raise typer.Exit(1) from None


def _given_up(count: int) -> None:
    if count:
        STATE.console.print(
            de_en(
                f"{count} davon aufgegeben (zu viele Versuche); die Projektleitung erfährt es "
                "mit ihrer nächsten Sammelnachricht.",
                f"{count} of them given up (too many attempts); the project lead hears of it in "
                "their next digest.",
            )
        )


def outbox(
    config: ConfigArg,
    send: Annotated[
        bool,
        typer.Option("--send", help="Wartende und fehlgeschlagene Nachrichten jetzt zustellen."),
    ] = False,
    retry: Annotated[
        int | None,
        typer.Option(
            "--retry",
            metavar="ID",
            help="Eine aufgegebene Nachricht wieder einreihen (Versuche zurückgesetzt, sofort "
            "fällig).",
        ),
    ] = None,
    retry_all: Annotated[
        bool,
        typer.Option("--all", help="Alle aufgegebenen Nachrichten wieder einreihen."),
    ] = False,
) -> None:
    """Zeigt wartende, fehlgeschlagene und aufgegebene Nachrichten mit ihrem letzten Fehler."""
    definition, wiring = open_programme(config)
    pid = definition.programme.id
    if retry is not None and retry_all:
        raise typer.BadParameter(
            de_en("--retry ID oder --all, nicht beides", "--retry ID or --all, not both")
        )
    if retry is not None or retry_all:
        try:
            revived = revive_dead_letters(
                definition,
                message_id=retry,
                uow=wiring.uow(),
                now=clock.now(),
                actor=current_actor(),
            )
        except NothingToRevive as missing:
            STATE.errors.print(
                de_en(f"Nicht wieder eingereiht: {missing}", f"Not revived: {missing}"),
                soft_wrap=True,
                markup=False,
            )
            raise typer.Exit(1) from None
        ids = ", ".join(f"#{i}" for i in revived) or "–"
        STATE.console.print(
            de_en(
                f"Wieder eingereiht ({len(revived)}): {ids}",
                f"Revived ({len(revived)}): {ids}",
            ),
            soft_wrap=True,
        )
    if send:
        # Notices a checkpoint stored but did not get to queue (it failed or was killed).
        if load_pending(definition, uow=wiring.uow()).ids:
            left = _queue(definition, [], wiring=wiring, now=clock.now())
            STATE.console.print(
                de_en(
                    f"Hinweise der Checkpoints {', '.join(left.checkpoints)} eingereiht: "
                    f"{counted(left.messages, 'messages')}.",
                    f"Notices of the checkpoints {', '.join(left.checkpoints)} queued: "
                    f"{counted(left.messages, 'messages', 'en')}.",
                ),
                soft_wrap=True,
            )
        delivery = _deliver(
            definition,
            leases_for=wiring.outbox_leases,
            sender=wiring.sender(),
            now=clock.now(),
            ignore_backoff=True,  # asked for by hand: do not wait for the retry interval
            give_up=wiring.settings.give_up(),
            lease=wiring.settings.lease(),
            workers=wiring.settings.outbox_senders,
        )
        STATE.console.print(
            de_en(
                f"{delivery.sent} gesendet, {delivery.failed} fehlgeschlagen.",
                f"{delivery.sent} sent, {delivery.failed} failed.",
            )
        )
        _given_up(delivery.given_up)
    with wiring.uow() as uow:
        waiting = uow.outbox.waiting(pid)
        counts = uow.outbox.counts(pid)
    summary = ", ".join(f"{_status(status)}: {n}" for status, n in sorted(counts.items())) or "–"
    STATE.console.print(de_en(f"Postausgang ({summary})", f"Outbox ({summary})"))
    if not waiting:
        STATE.console.print(de_en("Nichts wartet auf Zustellung.", "Nothing waits to be sent."))
        return
    tz = ZoneInfo(definition.programme.timezone)
    now = clock.now()
    for m in waiting:
        status = _status(m.status)
        if m.status == "dead" and m.given_up_at is not None:
            at = time_text(m.given_up_at.astimezone(tz))
            when = de_en(
                f"aufgegeben am {at}, erneut senden mit --retry {m.id}",
                f"given up on {at}, send again with --retry {m.id}",
            )
        elif m.claimed_until is not None and m.claimed_until > now:
            # A sender holds it (and may be sending it): nobody else tries before then.
            at = time_text(m.claimed_until.astimezone(tz), seconds=True)
            when = de_en(f"in Zustellung, gesperrt bis {at}", f"being sent, blocked until {at}")
        else:
            at = time_text(m.next_attempt_at.astimezone(tz)) if m.next_attempt_at else "–"
            when = de_en(f"nächster Versuch {at}", f"next attempt {at}")
        STATE.console.print(
            de_en(
                f"#{m.id} {m.recipient} über {m.channel}: {status}, "
                f"{counted(m.attempts, 'attempts')}, {when}",
                f"#{m.id} {m.recipient} via {m.channel}: {status}, "
                f"{counted(m.attempts, 'attempts', 'en')}, {when}",
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
