"""`steer notify` (reminders, with --dry-run) and `steer outbox` (what waits, what was given up)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from steering import clock
from steering.bootstrap import Wiring
from steering.cli.context import STATE, current_actor
from steering.cli.status_commands import ConfigArg, open_programme
from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.notices import Notice
from steering.domain.reporting.formats import time_text
from steering.i18n import N_, format_date, ntr, tr
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
        raise typer.BadParameter(tr("date as YYYY-MM-DD", STATE.lang)) from None
    sender = wiring.sender()
    notices = reminder_notices(definition, uow=wiring.uow(), today=today)
    ui = wiring.ui_url(definition)
    # What checkpoints stored and did not get to tell goes out with the reminders.
    told = [*load_pending(definition, uow=wiring.uow()).notices, *notices]
    planned = plan_digests(definition, told, uow=wiring.uow(), sender=sender, ui_url=ui, now=now)
    people = {p.id: p for p in definition.people}
    heading = tr("Reference date {day}", STATE.lang, day=format_date(today))
    STATE.console.print(f"[bold]{heading}[/bold]")
    if not planned:
        STATE.console.print(tr("Nobody gets new notices.", STATE.lang))
    for plan in planned:
        person = people[plan.recipient]
        channels = [sender.describe(person, c) for c in plan.channels] or [
            tr("no channel configured", STATE.lang)
        ]
        STATE.console.print(f"\n[bold]{person.name}[/bold] ({plan.recipient})", soft_wrap=True)
        for channel in channels:
            STATE.console.print(f"  → {channel}", soft_wrap=True, markup=False)
        STATE.console.print(f"  {plan.message.subject}", soft_wrap=True, markup=False)
        for line in plan.message.text.splitlines():
            if line.strip().startswith(("- ", "==")):
                STATE.console.print(f"    {line.strip()}", soft_wrap=True, markup=False)
    if dry_run:
        STATE.console.print(tr("\nDry run: nothing sent.", STATE.lang))
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
        ntr(
            "\n{n} message queued, {sent} sent, {failed} failed (retried later).",
            "\n{n} messages queued, {sent} sent, {failed} failed (retried later).",
            queued,
            STATE.lang,
            sent=delivery.sent,
            failed=delivery.failed,
        )
    )
    _given_up(delivery.given_up)
    for error in delivery.errors:
        STATE.errors.print(f"  {error}", soft_wrap=True, markup=False)


_STATUS = {
    "pending": N_("pending"),
    "failed": N_("failed"),
    "dead": N_("given up"),
    "sent": N_("sent"),
    "dropped": N_("dropped (its item was done)"),
}


def _status(status: str) -> str:
    """An outbox status in the user's language."""
    return tr(_STATUS[status], STATE.lang) if status in _STATUS else status


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
            portal=wiring.portal_links(definition, now),
        )
    except NoticesNotQueued as failure:
        STATE.errors.print(
            tr("Not queued: {failure}", STATE.lang, failure=failure),
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
            tr("Delivery stopped: {failure}", STATE.lang, failure=failure),
            soft_wrap=True,
            markup=False,
        )
        raise typer.Exit(1) from None


def _given_up(count: int) -> None:
    if count:
        STATE.console.print(
            tr(
                "{count} of them given up (too many attempts); the project lead hears "
                "of it in their next digest.",
                STATE.lang,
                count=count,
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
        raise typer.BadParameter(tr("--retry ID or --all, not both", STATE.lang))
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
                tr("Not revived: {missing}", STATE.lang, missing=missing),
                soft_wrap=True,
                markup=False,
            )
            raise typer.Exit(1) from None
        ids = ", ".join(f"#{i}" for i in revived) or "–"
        STATE.console.print(
            tr("Revived ({revived}): {ids}", STATE.lang, revived=len(revived), ids=ids),
            soft_wrap=True,
        )
    if send:
        # Notices a checkpoint stored but did not get to queue (it failed or was killed).
        if load_pending(definition, uow=wiring.uow()).ids:
            left = _queue(definition, [], wiring=wiring, now=clock.now())
            STATE.console.print(
                ntr(
                    "Notices of the checkpoints {checkpoints} queued: {n} message.",
                    "Notices of the checkpoints {checkpoints} queued: {n} messages.",
                    left.messages,
                    STATE.lang,
                    checkpoints=", ".join(left.checkpoints),
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
            tr(
                "{sent} sent, {failed} failed.",
                STATE.lang,
                sent=delivery.sent,
                failed=delivery.failed,
            )
        )
        _given_up(delivery.given_up)
    with wiring.uow() as uow:
        waiting = uow.outbox.waiting(pid)
        counts = uow.outbox.counts(pid)
    summary = ", ".join(f"{_status(status)}: {n}" for status, n in sorted(counts.items())) or "–"
    STATE.console.print(tr("Outbox ({summary})", STATE.lang, summary=summary))
    if not waiting:
        STATE.console.print(tr("Nothing waits to be sent.", STATE.lang))
        return
    tz = ZoneInfo(definition.programme.timezone)
    now = clock.now()
    for m in waiting:
        status = _status(m.status)
        if m.status == "dead" and m.given_up_at is not None:
            at = time_text(m.given_up_at.astimezone(tz))
            when = tr("given up on {at}, send again with --retry {id}", STATE.lang, at=at, id=m.id)
        elif m.claimed_until is not None and m.claimed_until > now:
            # A sender holds it (and may be sending it): nobody else tries before then.
            at = time_text(m.claimed_until.astimezone(tz), seconds=True)
            when = tr("being sent, blocked until {at}", STATE.lang, at=at)
        else:
            at = time_text(m.next_attempt_at.astimezone(tz)) if m.next_attempt_at else "–"
            when = tr("next attempt {at}", STATE.lang, at=at)
        STATE.console.print(
            ntr(
                "#{id} {recipient} via {channel}: {status}, {n} attempt, {when}",
                "#{id} {recipient} via {channel}: {status}, {n} attempts, {when}",
                m.attempts,
                STATE.lang,
                id=m.id,
                recipient=m.recipient,
                channel=m.channel,
                status=status,
                when=when,
            ),
            soft_wrap=True,
            markup=False,
        )
        STATE.console.print(f"    {m.subject}", soft_wrap=True, markup=False)
        if m.last_error:
            label = tr("Last error", STATE.lang)
            STATE.console.print(f"    {label}: {m.last_error}", soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add the notification commands."""
    app.command()(notify)
    app.command()(outbox)
