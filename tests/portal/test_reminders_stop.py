"""A step marked done in the portal stops its reminders at once: unsent ones are dropped."""

from __future__ import annotations

import re
import sqlite3

from clock import instant
from loopback import MailServer
from portal_server import PortalServer, csrf_of

from steering.adapters.config import load_definition
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.services.delivery import deliver_outbox

OPEN_STEP = re.compile(r'id="step-cloud-(\d+)" class="step open')


def _queue(portal: PortalServer, key: str, items: list[str], subject: str = "Fällig") -> None:
    """A reminder message to anna, queued and not sent yet, telling of these items."""
    now = instant(portal.today)
    with portal.wiring.uow() as uow:
        uow.outbox.enqueue(
            "portal-test",
            key=key,
            recipient="anna",
            channel="email",
            kind="digest",
            subject=subject,
            text=f"{subject}: bitte erledigen.",
            html=f"<p>{subject}: bitte erledigen.</p>",
            now=now,
        )
        for item in items:
            uow.outbox.log_notice(
                "portal-test",
                "anna",
                key=f"step_due|ahorn-ev|{item}|{key}",
                kind="step_due",
                organisation="ahorn-ev",
                item=item,
                occasion=key,
                message_key=key,
                now=now,
            )
        uow.commit()


def _status(portal: PortalServer, key: str) -> str:
    with sqlite3.connect(portal.database) as connection:
        found = connection.execute(
            "SELECT status FROM outbox WHERE idempotency_key = ?", (key,)
        ).fetchone()
    return str(found[0])


def test_marking_a_step_done_drops_its_unsent_reminders_but_not_other_news(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text
        found = OPEN_STEP.search(overview)
        assert found, "no open step"
        step = int(found.group(1))
        item = f"step:cloud:{step}"
        _queue(portal, "anna:only-this-step", [item])
        _queue(portal, "anna:with-other-news", [item, "step:cloud:99"])
        done = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": csrf_of(overview), "evidence_url": "https://wiki.example.org/p"},
        )
        assert done.status_code == 303
    assert _status(portal, "anna:only-this-step") == "dropped"
    assert _status(portal, "anna:with-other-news") == "pending"  # it still tells of step 99


def test_a_dropped_reminder_is_never_delivered_while_other_news_is(
    portal: PortalServer, mail_server: MailServer
) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text
        found = OPEN_STEP.search(overview)
        assert found, "no open step"
        step = int(found.group(1))
        _queue(portal, "anna:later-done", [f"step:cloud:{step}"], subject="Erledigter Schritt")
        _queue(portal, "anna:still-open", ["step:cloud:98"], subject="Offener Schritt")
        browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": csrf_of(overview), "evidence_url": "https://wiki.example.org/q"},
        )
    deliver_outbox(
        load_definition(portal.config),
        leases_for=portal.wiring.outbox_leases,
        sender=AppriseSender(mail_url=mail_server.url()),
        now=instant(portal.today),
    )
    subjects = [str(m["subject"]) for m in mail_server.by_recipient().get("anna@example.org", [])]
    assert "Offener Schritt" in subjects and "Erledigter Schritt" not in subjects
    assert _status(portal, "anna:later-done") == "dropped"
