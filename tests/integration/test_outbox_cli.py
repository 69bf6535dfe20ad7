"""`steer outbox` tells a message a sender holds from one that waits for its next attempt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from loopback import MailServer
from typer.testing import CliRunner

from steering.adapters.config import load_definition
from steering.adapters.db.models import OutboxRow
from steering.bootstrap import wire
from steering.cli import app
from steering.services.integration import ensure_integrations
from steering.settings import get_settings

# About faults, not dates: one date is enough, also in the awkward-date step.
pytestmark = pytest.mark.few_dates(1)

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"


@pytest.fixture
def failed_messages(
    tmp_path: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[sa.Engine]:
    """Reminders of 25.09.2019 that failed once (the mail server was down)."""
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    get_settings.cache_clear()
    wiring = wire()
    wiring.migrate()
    ensure_integrations(load_definition(CONFIG), uow=wiring.uow(), today=date(2019, 9, 2))
    mail_server.stop()
    CliRunner().invoke(app, ["notify", str(CONFIG), "--date", "2019-09-25"])
    try:
        yield wiring.engine
    finally:
        wiring.engine.dispose()
        get_settings.cache_clear()


def test_outbox_says_blocked_until_for_a_message_a_sender_holds(
    failed_messages: sa.Engine, now: datetime
) -> None:
    held_until = now + timedelta(minutes=4)
    with failed_messages.begin() as connection:
        first = connection.scalar(sa.select(sa.func.min(OutboxRow.id)))
        connection.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.id == first)
            .values(claimed_by="anderer-sender", claimed_at=now, claimed_until=held_until)
        )

    german = CliRunner().invoke(app, ["outbox", str(CONFIG)]).output
    english = CliRunner().invoke(app, ["--lang", "en", "outbox", str(CONFIG)]).output

    line = next(row for row in german.splitlines() if row.startswith(f"#{first} "))
    others = [row for row in german.splitlines() if row.startswith("#") and row != line]
    at = f"{held_until.astimezone(ZoneInfo('Europe/Berlin')):%d.%m.%Y %H:%M:%S}"
    assert line.endswith(f"fehlgeschlagen, 1 Versuch, in Zustellung, gesperrt bis {at}")
    assert others and all("nächster Versuch" in row for row in others)
    assert f"being sent, blocked until {at}" in english
