"""Notifications from the flows under a real Prefect server and a real SMTP server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from loopback import MailServer, Webhook
from paths import CONFIG
from sqlalchemy import func, select, text

from flows import common
from flows.checkpoint import checkpoint
from flows.notify import reminders
from steering.adapters.config import load_definition
from steering.adapters.db.models import AbortDecisionRow, AssessmentRow, CheckpointRow, OutboxRow
from steering.domain.notifications.calendar import WorkingCalendar
from steering.settings import get_settings


@pytest.fixture
def mailing(
    store: Path, mail_server: MailServer, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MailServer]:
    """The flows send e-mail through the loopback SMTP server; the lead's Teams URL (from the
    environment, as in the programme file) points at the loopback webhook."""
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    monkeypatch.setenv("STEERING_TEAMS_WEBHOOK_URL", f"json://127.0.0.1:{webhook.port}/teams")
    monkeypatch.setenv("STEERING_PREFECT_UI_URL", "http://127.0.0.1:4200")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    yield mail_server


def _outbox() -> list[tuple[str, str, str]]:
    with common.wiring().uow() as uow:
        query = select(OutboxRow.recipient, OutboxRow.channel_hint, OutboxRow.status)
        return sorted((r, c, s) for r, c, s in uow.session.execute(query))


def test_a_checkpoint_completes_with_smtp_down_and_a_later_run_delivers_once(
    mailing: MailServer, webhook: Webhook, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    checkpoint(config=str(CONFIG), period="2019-H1")  # tells its first red and yellow lights
    first = Counter(_outbox())  # all sent; from here on only 2019-H2 counts
    mailing.messages.clear()
    mailing.envelopes.clear()
    webhook.posts.clear()
    mailing.stop()

    result = checkpoint(config=str(CONFIG), period="2019-H2")
    rerun = checkpoint(config=str(CONFIG), period="2019-H2")

    told = result["notifications"]
    assert told["notices"] > 0 and told["queued"] > 0
    new = list((Counter(_outbox()) - first).elements())
    emails = sum(1 for _, channel, _ in new if channel == "email")
    assert (told["sent"], told["failed"]) == (told["queued"] - emails, emails)
    assert rerun["notifications"]["queued"] == 0  # the same checkpoint tells nothing new
    assert {s for _, c, s in new if c == "email"} == {"failed"}
    assert len(webhook.posts) == told["queued"] - emails  # the lead's Teams channel works

    mailing.start()
    later = now + timedelta(minutes=5)  # past the first retry's backoff
    monkeypatch.setattr(common, "now", lambda: later)
    reminders(config=str(CONFIG), on=date(2019, 12, 1))  # a Sunday: no new reminders
    reminders(config=str(CONFIG), on=date(2019, 12, 1))

    outbox = _outbox()
    assert {status for _, _, status in outbox} == {"sent"}
    assert len(mailing.messages) == emails
    assert len(webhook.posts) == told["queued"] - emails
    lead = mailing.by_recipient()["projektleitung@digital-und-sozial.example.org"]
    mail = lead[-1]
    body = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Checkpoint 2019-H2" in body
    assert 'href="http://127.0.0.1:4200/runs/flow-run/' in body


def _rows(model: type[Any]) -> int:
    with common.wiring().uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_checkpoint_whose_delivery_cannot_be_recorded_fails_keeps_its_results_and_reruns_cleanly(
    mailing: MailServer,
) -> None:
    checkpoint(config=str(CONFIG), period="2019-H1")  # tells its first red and yellow lights
    first = Counter(_outbox())  # from here on only 2019-H2 counts
    mailing.messages.clear()
    mailing.envelopes.clear()
    engine = common.wiring().engine
    # A real store error: the outcome of the lead's e-mail cannot be written.
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER kaputt BEFORE UPDATE OF status ON outbox "
                "WHEN NEW.status = 'sent' AND OLD.recipient = 'projektleitung' "
                "AND OLD.channel_hint = 'email' BEGIN SELECT RAISE(ABORT, 'Speicher kaputt'); END"
            )
        )

    failed = checkpoint(config=str(CONFIG), period="2019-H2", return_state=True)
    stored = (_rows(CheckpointRow), _rows(AssessmentRow), _rows(AbortDecisionRow))
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER kaputt"))
    rerun = checkpoint(config=str(CONFIG), period="2019-H2")

    assert failed.is_failed()
    assert stored == (_rows(CheckpointRow), _rows(AssessmentRow), _rows(AbortDecisionRow))
    assert stored[0] == 2  # the 2019-H2 results were kept by the failed run
    assert rerun["notifications"]["queued"] == 0  # nothing queued twice
    new = list((Counter(_outbox()) - first).elements())
    emails = [r for r, channel, _ in new if channel == "email"]
    received = mailing.by_recipient()
    assert len(received) == len(emails) > 1
    assert all(len(mails) == 1 for mails in received.values())  # nobody got anything twice


def _working_day_everywhere(day: date) -> bool:
    states = {o.state for o in load_definition(CONFIG).organisations}
    return all(WorkingCalendar(state).is_working_day(day) for state in states)


def test_the_reminder_flow_sends_one_digest_per_owner_on_a_working_day(
    mailing: MailServer, now: datetime
) -> None:
    from flows.integration import driver_integration

    driver_integration(config=str(CONFIG))  # opens the first steps, due some weeks from `now`
    with common.wiring().uow() as uow:
        from steering.adapters.db.models import StepProgressRow

        due = uow.session.scalar(
            select(StepProgressRow.due_date).where(StepProgressRow.due_date.is_not(None))
        )
    assert due is not None
    # Inside the 7-day lead window: one weekend day, and the last day that is a working day
    # in every organisation's state (holidays such as 25.12. or Good Friday are skipped).
    window = [due - timedelta(days=n) for n in range(8)]
    weekend = next(day for day in window if day.weekday() >= 5)
    working_day = next(day for day in window if _working_day_everywhere(day))

    quiet = reminders(config=str(CONFIG), on=weekend)
    busy = reminders(config=str(CONFIG), on=working_day)

    assert quiet["notices"] == 0
    assert busy["sent"] == len(mailing.by_recipient()) > 0
    assert all(len(m) == 1 for m in mailing.by_recipient().values())


def test_a_channel_url_can_come_from_a_prefect_secret_block(webhook: Webhook) -> None:
    from prefect.blocks.system import Secret

    from steering.adapters.config import load_definition
    from steering.adapters.notify.apprise_sender import AppriseSender
    from steering.adapters.notify.prefect_secrets import prefect_secret
    from steering.domain.notifications.message import Message

    Secret(value=f"json://127.0.0.1:{webhook.port}/geheim").save("teams-leitung", overwrite=True)
    definition = load_definition(CONFIG)
    lead = definition.people[0].model_copy(update={"notify": ["${secret:teams-leitung}"]})
    sender = AppriseSender(secrets=prefect_secret)

    sender.send(lead, "notify-1", Message("Betreff", "Text mit Ümlaut", "<p>Text</p>"))

    assert [post["path"] for post in webhook.posts] == ["/geheim"]
    assert webhook.posts[0]["json"]["message"] == "Text mit Ümlaut"
    assert "geheim" not in sender.describe(lead, "notify-1")
