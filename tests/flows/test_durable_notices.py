"""A checkpoint's notices are stored with its lights: whatever fails later, they are told."""

from __future__ import annotations

import os
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from loopback import MailServer
from paths import CONFIG
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from sqlalchemy import select, text
from typer.testing import CliRunner

from flows import common
from flows.checkpoint import checkpoint
from flows.notify import reminders
from steering.adapters.db.models import CheckpointRow, PendingNoticesRow
from steering.bootstrap import indicator_sources
from steering.cli import app
from steering.domain.notifications.digest import build_digests
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.pending_notices import notice_from
from steering.settings import get_settings

SUNDAY = date(2019, 12, 1)  # no reminders of its own: whatever goes out is the checkpoint's
KEY = "digital-und-sozial/2019-H2"


@pytest.fixture
def mailing(store: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch) -> MailServer:
    """Mail goes to the loopback SMTP server; failed steps are retried after 0.1 s."""
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    monkeypatch.setenv("STEERING_RETRY_SECONDS", "[0.1]")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    checkpoint(config=str(CONFIG), period="2019-H1")  # tells its first red and yellow lights
    mail_server.messages.clear()
    mail_server.envelopes.clear()
    return mail_server


def _pending(key: str = KEY) -> tuple[list[dict[str, Any]], datetime | None]:
    """What the checkpoint stored to be told, and when it was queued."""
    with common.wiring().uow() as uow:
        query = (
            select(PendingNoticesRow.notices, PendingNoticesRow.queued_at)
            .join(CheckpointRow, CheckpointRow.id == PendingNoticesRow.checkpoint_id)
            .where(CheckpointRow.key == key)
        )
        notices, queued_at = uow.session.execute(query).one()
    return list(notices), queued_at


def _to_be_told() -> dict[str, int]:
    """E-mail address -> how many notices of the 2019-H2 checkpoint that person is owed."""
    definition = common.definition(str(CONFIG))
    emails = {p.id: p.email for p in definition.people if p.email}
    notices = [notice_from(n) for n in _pending()[0]]
    return {
        emails[d.recipient]: len(d.notices)
        for d in build_digests(definition, notices)
        if d.recipient in emails
    }


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def _told(mail: MailServer) -> dict[str, int]:
    """E-mail address -> messages about the 2019-H2 checkpoint received."""
    out: dict[str, int] = {}
    for address, messages in mail.by_recipient().items():
        about = [m for m in messages if "Checkpoint 2019-H2" in _text(m)]
        if about:
            out[address] = len(about)
    return out


def _crash_after_the_evaluation() -> None:
    """A 2019-H2 run that stored its values and lights, then the worker was killed -9."""
    definition = common.definition(str(CONFIG))
    now = common.now()
    collect_sources(
        definition, CONFIG, sources=indicator_sources(), uow_factory=common.wiring().uow, now=now
    )
    run_checkpoint(definition, uow=common.wiring().uow(), period="2019-H2", now=now, key=KEY)


def test_a_checkpoint_killed_after_its_evaluation_is_told_by_the_next_reminders_run(
    mailing: MailServer,
) -> None:
    _crash_after_the_evaluation()
    owed = _to_be_told()
    lead = next(p.email for p in common.definition(str(CONFIG)).people if p.id == "projektleitung")

    later = reminders(config=str(CONFIG), on=SUNDAY)
    again = reminders(config=str(CONFIG), on=SUNDAY)
    rerun = checkpoint(config=str(CONFIG), period="2019-H2")

    assert len(owed) > 1 and lead in owed
    assert _told(mailing) == dict.fromkeys(owed, 1)  # everyone once, one digest each
    lead_mail = _text(mailing.by_recipient()[lead][-1])
    assert "Abbruchkriterien" in lead_mail  # the abort review reaches the lead
    assert later["sent"] >= len(owed)
    assert _pending()[1] is not None
    assert again["queued"] == rerun["notifications"]["queued"] == 0  # nothing twice


def test_steer_outbox_send_tells_what_a_killed_checkpoint_left(mailing: MailServer) -> None:
    _crash_after_the_evaluation()
    owed = _to_be_told()

    result = CliRunner().invoke(app, ["outbox", str(CONFIG), "--send"])
    twice = CliRunner().invoke(app, ["outbox", str(CONFIG), "--send"])

    assert result.exit_code == twice.exit_code == 0, result.output
    assert f"Hinweise der Checkpoints {KEY} eingereiht" in result.output
    assert "Hinweise der Checkpoints" not in twice.output
    assert _told(mailing) == dict.fromkeys(owed, 1)


def _task_runs(state: Any) -> dict[str, int]:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    return {r.name.rsplit("-", 1)[0]: r.run_count for r in runs}


def test_a_checkpoint_whose_report_hits_a_full_disk_fails_and_still_tells(
    mailing: MailServer, store: Path
) -> None:
    # The report's file lands on a full disk: every write ends in ENOSPC.
    reports = store / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/full", reports / "digital-und-sozial-2019-H2.md.tmp")

    failed = checkpoint(config=str(CONFIG), period="2019-H2", return_state=True)

    assert failed.is_failed()
    with pytest.raises(OSError, match="No space left on device"):
        failed.result()
    assert _task_runs(failed)["Artefakte und Bericht veröffentlichen"] == 2  # retried once
    assert _told(mailing) == dict.fromkeys(_to_be_told(), 1)  # told despite the failure
    assert _pending()[1] is not None


def test_a_checkpoint_whose_notices_cannot_be_queued_fails_and_the_next_run_queues_them(
    mailing: MailServer,
) -> None:
    engine = common.wiring().engine
    # A real store error while queueing: the notice log refuses the lead's notices.
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER kaputt BEFORE INSERT ON notice_log "
                "WHEN NEW.recipient = 'projektleitung' "
                "BEGIN SELECT RAISE(ABORT, 'Speicher kaputt'); END"
            )
        )

    failed = checkpoint(config=str(CONFIG), period="2019-H2", return_state=True)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER kaputt"))
    _, queued_at = _pending()
    later = reminders(config=str(CONFIG), on=SUNDAY)

    assert failed.is_failed()  # never "Completed, 0 queued"
    assert queued_at is None  # still to be told
    assert later["queued"] > 0
    assert _told(mailing) == dict.fromkeys(_to_be_told(), 1)
