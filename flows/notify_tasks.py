"""The notification tasks: find today's reminders, queue notices and deliver the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import common
from steering.domain.notifications.notices import Notice
from steering.i18n import ntr
from steering.services.notify import deliver_outbox, queue_notices, reminder_notices


@task(name="Benachrichtigen", cache_policy=NO_CACHE)
def send_notices(config: str, notices: Sequence[Notice]) -> dict[str, Any]:
    """Queue one digest per recipient, with what checkpoints stored to be told, and deliver
    what is due.

    A channel being down never fails the run (the messages stay queued and are retried by
    later runs, and are given up after STEERING_OUTBOX_MAX_ATTEMPTS). The store failing, or
    a notice not reaching the outbox, does: the task raises, so the run shows as Failed;
    what was stored before stays, and the next run queues what is left, nothing twice.
    """
    logger = get_run_logger()
    wiring = common.wiring()
    definition = common.definition(config)
    sender = wiring.sender()
    now = common.now()
    queued = queue_notices(
        definition,
        notices,
        uow_factory=wiring.uow,
        sender=sender,
        now=now,
        ui_url=wiring.ui_url(definition),
        portal=wiring.portal_links(definition, now),
    )
    if queued.checkpoints:
        logger.info("Hinweise der Checkpoints eingereiht: %s", ", ".join(queued.checkpoints))
    delivery = deliver_outbox(
        definition,
        leases_for=wiring.outbox_leases,
        sender=sender,
        now=now,
        give_up=wiring.settings.give_up(),
        lease=wiring.settings.lease(),
        workers=wiring.settings.outbox_senders,
    )
    for line in delivery.interrupted:
        logger.warning("Möglicherweise doppelt zugestellt (voriger Versand brach ab): %s", line)
    for line in delivery.errors:
        logger.warning("Nicht zugestellt (wird erneut versucht): %s", line)
    if delivery.given_up:
        logger.warning(
            "Aufgegeben: %d (steer outbox zeigt sie, --retry ID reiht sie wieder ein); die "
            "Projektleitung erfährt es in ihrer nächsten Sammelnachricht",
            delivery.given_up,
        )
    if queued.unreachable:
        logger.warning(
            "Ohne Kanal (keine E-Mail-Adresse mit STEERING_MAIL_URL, keine notify-URL, kein "
            "Tag), Hinweise aufbewahrt bis ein Kanal eingerichtet ist: %s",
            ", ".join(queued.unreachable),
        )
    logger.info(
        "%s, %s neu in der Warteschlange, %d gesendet, %d fehlgeschlagen",
        ntr("{n} notice", "{n} notices", queued.notices),
        ntr("{n} message", "{n} messages", queued.messages),
        delivery.sent,
        delivery.failed,
    )
    return {
        "notices": queued.notices,
        "queued": queued.messages,
        "sent": delivery.sent,
        "failed": delivery.failed,
        "given_up": delivery.given_up,
    }


@task(name="Erinnerungen ermitteln", cache_policy=NO_CACHE)
def find_reminders(config: str, on: date) -> list[Notice]:
    """Due and overdue steps, escalations, missing data and upcoming events."""
    return reminder_notices(common.definition(config), uow=common.wiring().uow(), today=on)
