"""Webhook tokens sit in the path or host of apprise URLs: the programme file refuses them
written inline, and a failed send shows none of them in the log, the outbox or errors."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopback import free_port
from pydantic import ValidationError

from steering.adapters.config import load_definition
from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import OutboxRow
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition.organisations import Person
from steering.services.delivery import deliver_outbox

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
TOKEN = "Gh7x2Kq9TokenWirdNieGezeigt"
AT = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        f"json://hooks.example.org/hook/{TOKEN}",
        f"msteams://team/{TOKEN}/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
        f"discord://123456789/{TOKEN}",
        f"tgram://123456789:{TOKEN}/12345",
    ],
    ids=["json", "msteams", "discord", "tgram"],
)
def test_a_webhook_url_with_its_token_written_inline_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="credentials must not be written inline"):
        Person(id="projektleitung", name="Projektleitung", notify=[url])


@pytest.mark.parametrize(
    "url",
    ["${TEAMS_WEBHOOK_URL}", "json://hooks.example.org/hook/${HOOK_TOKEN}", "tgram://${BOT}/1"],
)
def test_a_webhook_url_whose_token_is_a_placeholder_is_accepted(url: str) -> None:
    assert Person(id="projektleitung", name="Projektleitung", notify=[url]).notify == [url]


@pytest.mark.parametrize("channel", ["notify-1", "tag:leitung"])
def test_a_failed_send_to_a_webhook_shows_its_token_nowhere(
    tmp_path: Path, channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The token reaches the sender literally (from an apprise config file, or a URL as a
    secret store hands it over); the webhook's port is closed, so the send fails."""
    url = f"json://127.0.0.1:{free_port()}/hook/{TOKEN}"
    apprise_config = tmp_path / "apprise.txt"
    apprise_config.write_text(f"leitung={url}\n", encoding="utf-8")
    base = load_definition(CONFIG)
    lead = base.people[0].model_copy(update={"notify": [url], "apprise_tags": ["leitung"]})
    definition = base.model_copy(update={"people": [lead, *base.people[1:]]})
    database = f"sqlite:///{tmp_path / 'steering.sqlite'}"
    upgrade(database)
    engine = make_engine(database)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    with uow() as work:
        work.outbox.enqueue(
            base.programme.id,
            key="leitung:1",
            recipient=lead.id,
            channel=channel,
            kind="digest",
            subject="Hinweis",
            text="Ein Hinweis.",
            html="<p>Ein Hinweis.</p>",
            now=AT,
        )
        work.commit()
    sender = AppriseSender(config_file=apprise_config)
    caplog.set_level(logging.INFO)
    try:
        delivery = deliver_outbox(
            definition, leases_for=partial(OutboxLeases, uow), sender=sender, now=AT
        )
        with engine.connect() as connection:
            (last_error,) = connection.scalars(sa.select(OutboxRow.last_error)).all()
    finally:
        engine.dispose()
    shown = sender.describe(lead, channel)

    assert (delivery.sent, delivery.failed) == (0, 1)
    assert last_error is not None and "json://127.0.0.1:" in last_error and "***" in last_error
    assert "json://127.0.0.1:" in shown
    for text in [last_error, *delivery.errors, shown, caplog.text]:
        assert TOKEN not in text
