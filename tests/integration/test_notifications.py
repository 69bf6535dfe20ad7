"""Digests through real servers on loopback: SMTP (aiosmtpd) and a JSON webhook.

The programme is config/digital-und-sozial.yaml with the driver integration planned on
2019-09-02: every step 1 is due on Wed 2019-10-02 (Thu 03.10. is German Unity Day).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopback import MailServer, Webhook
from programmes import demo_definition

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import (
    AbortDecisionRow,
    CheckpointRow,
    NoticeLogRow,
    OutboxRow,
)
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.bootstrap import indicator_sources
from steering.domain.definition import ProgrammeDefinition
from steering.services.integration import complete_step, ensure_integrations
from steering.services.notify import deliver_outbox, notify, reminder_notices

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
DEFINITION = demo_definition()
WEEK_BEFORE = date(2019, 9, 25)  # 7 days before the due date: the first reminder
AT = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
OWNERS = sorted({p for o in DEFINITION.organisations if o.active and o.drivers for p in o.owners})
EMAILS = {p.id: p.email for p in DEFINITION.people}


class Store:
    """A migrated SQLite file with the integration planned; makes units of work."""

    def __init__(self, path: Path) -> None:
        url = f"sqlite:///{path / 'steering.sqlite'}"
        upgrade(url)
        self.engine = make_engine(url)
        ensure_integrations(DEFINITION, uow=self.uow(), today=date(2019, 9, 2))

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(self.engine)

    def rows(self, table: type[OutboxRow] | type[NoticeLogRow]) -> list[dict[str, object]]:
        with self.engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(sa.select(table))]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(tmp_path)
    try:
        yield made
    finally:
        made.engine.dispose()


def run(
    store: Store,
    sender: AppriseSender,
    *,
    today: date = WEEK_BEFORE,
    at: datetime = AT,
    definition: ProgrammeDefinition = DEFINITION,
) -> tuple[int, int, int]:
    notices = reminder_notices(definition, uow=store.uow(), today=today)
    queued, delivery = notify(
        definition,
        notices,
        uow_factory=store.uow,
        leases_for=partial(OutboxLeases, store.uow),
        sender=sender,
        now=at,
        ui_url=None,
    )
    return queued, delivery.sent, delivery.failed


def test_every_owner_gets_one_german_digest_by_email(store: Store, mail_server: MailServer) -> None:
    queued, sent, failed = run(store, AppriseSender(mail_url=mail_server.url()))

    received = mail_server.by_recipient()
    assert (queued, sent, failed) == (len(OWNERS), len(OWNERS), 0)
    assert sorted(received) == sorted(EMAILS[p] for p in OWNERS)
    assert all(len(messages) == 1 for messages in received.values())
    (mail,) = received["j.schaefer@pflegedienst-gotha.example.org"]
    assert str(mail["Subject"]).endswith("2 Hinweise – Schritt fällig")
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Guten Tag Jörg Schäfer," in text
    assert "Ambulanter Pflegedienst Gotha gGmbH (fiktiv)" in text
    assert (
        "Schritt 1 „Bedarfsanalyse und Zielsetzung“ (Internet der Dinge) ist am 02.10.2019" in text
    )
    assert "<li>Schritt 1 „Bedarfsanalyse und Zielsetzung“ (Fachsoftware)" in html


def test_an_english_speaking_person_gets_english_texts(
    store: Store, mail_server: MailServer
) -> None:
    people = [
        p.model_copy(update={"language": "en"}) if p.id == "gf-pflegedienst" else p
        for p in DEFINITION.people
    ]
    english = DEFINITION.model_copy(update={"people": people})
    run(store, AppriseSender(mail_url=mail_server.url()), definition=english)

    (mail,) = mail_server.by_recipient()["j.schaefer@pflegedienst-gotha.example.org"]
    assert str(mail["Subject"]).endswith("2 notices – step due")
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert (
        "Step 1 'Bedarfsanalyse und Zielsetzung' (Internet of things) is due on 2019-10-02" in text
    )


def test_a_json_webhook_receives_the_digest(store: Store, webhook: Webhook) -> None:
    url = f"json://127.0.0.1:{webhook.port}/steuerung"
    people = [
        p.model_copy(update={"notify": [url]}) if p.id == "gf-familienzentrum" else p
        for p in DEFINITION.people
    ]
    hooked = DEFINITION.model_copy(update={"people": people})

    queued, sent, failed = run(store, AppriseSender(), definition=hooked)

    # The other owners have no channel here: the lead's digest names them, but the lead's
    # Teams URL (${STEERING_TEAMS_WEBHOOK_URL}) is not set in this test, so it fails.
    assert (queued, sent, failed) == (2, 1, 1)
    (post,) = webhook.posts
    assert post["path"] == "/steuerung"
    assert post["json"]["title"].endswith("1 Hinweis – Schritt fällig")
    assert "Schritt 1 „Bedarfsanalyse und Zielsetzung“ (Cloud)" in post["json"]["message"]


def test_smtp_down_keeps_messages_queued_then_each_is_delivered_exactly_once(
    store: Store, mail_server: MailServer
) -> None:
    sender = AppriseSender(mail_url=mail_server.url())
    mail_server.stop()

    assert run(store, sender) == (len(OWNERS), 0, len(OWNERS))
    failed = store.rows(OutboxRow)
    assert {r["status"] for r in failed} == {"failed"}
    assert all("127.0.0.1" in str(r["last_error"]) for r in failed)
    # A re-run the same morning queues nothing new and does not retry before the backoff.
    assert run(store, sender) == (0, 0, 0)

    mail_server.start()
    later = deliver_outbox(
        DEFINITION,
        leases_for=partial(OutboxLeases, store.uow),
        sender=sender,
        now=AT + timedelta(minutes=2),
    )
    again = deliver_outbox(
        DEFINITION,
        leases_for=partial(OutboxLeases, store.uow),
        sender=sender,
        now=AT + timedelta(hours=7),
    )

    assert (later.sent, later.failed, again.sent) == (len(OWNERS), 0, 0)
    assert sorted(mail_server.by_recipient()) == sorted(EMAILS[p] for p in OWNERS)
    assert len(mail_server.messages) == len(OWNERS)
    assert {r["status"] for r in store.rows(OutboxRow)} == {"sent"}


def test_the_next_days_run_tells_nothing_twice(store: Store, mail_server: MailServer) -> None:
    sender = AppriseSender(mail_url=mail_server.url())
    run(store, sender)
    # Thursday: still inside the 7-day window, already told.
    assert run(store, sender, today=date(2019, 9, 26), at=AT + timedelta(days=1)) == (0, 0, 0)
    # Monday 30.09.: the 2-day reminder.
    queued, sent, _ = run(store, sender, today=date(2019, 9, 30), at=AT + timedelta(days=5))
    assert (queued, sent) == (len(OWNERS), len(OWNERS))
    assert len(mail_server.messages) == 2 * len(OWNERS)


def test_reminders_stop_once_the_step_is_done(store: Store, mail_server: MailServer) -> None:
    for driver in ("online_platforms", "ai"):
        complete_step(
            DEFINITION,
            "lebenshilfe-erfurt",
            driver,
            1,
            evidence_url=None,
            uow=store.uow(),
            now=AT,
            actor="test",
        )
    notices = reminder_notices(DEFINITION, uow=store.uow(), today=WEEK_BEFORE)

    assert "lebenshilfe-erfurt" not in {n.organisation for n in notices}
    assert "familienzentrum-suhl" in {n.organisation for n in notices}


def test_the_lead_hears_of_an_escalation_on_the_second_working_day_overdue(
    store: Store,
) -> None:
    # Due Wed 02.10.; Thu 03.10. is a holiday: Fri 04.10. is the 1st, Mon 07.10. the 2nd.
    kinds = {
        day: {n.kind for n in reminder_notices(DEFINITION, uow=store.uow(), today=day)}
        for day in (date(2019, 10, 4), date(2019, 10, 7))
    }
    assert "escalation" not in kinds[date(2019, 10, 4)]
    assert "escalation" in kinds[date(2019, 10, 7)]


def test_an_open_abort_review_holds_back_routine_reminders(store: Store) -> None:
    with store.uow() as uow:
        checkpoint = CheckpointRow(
            key="digital-und-sozial/2019-H1",
            programme_id="digital-und-sozial",
            period="2019-H1",
            scheduled_for=AT,
            started_at=AT,
            finished_at=AT,
            status="completed",
        )
        uow.session.add(checkpoint)
        uow.session.flush()
        uow.session.add(
            AbortDecisionRow(
                checkpoint_id=checkpoint.id,
                organisation_id="beratung-gera",
                decision="abort_review",
                evidence={},
                mitigations=[],
                created_at=AT,
            )
        )
        uow.commit()

    notices = reminder_notices(DEFINITION, uow=store.uow(), today=WEEK_BEFORE)

    assert "beratung-gera" not in {n.organisation for n in notices}
    assert "sozialwerk-jena" in {n.organisation for n in notices}


def test_no_credential_reaches_logs_the_outbox_or_the_notice_log(
    store: Store,
    mail_server: MailServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "Geheim-Pa55wort-4711"
    monkeypatch.setenv("SMTP_PASSWORD", secret)
    url = f"mailto://steuerung:${{SMTP_PASSWORD}}@127.0.0.1:{mail_server.port}?from=s@example.org"
    sender = AppriseSender(mail_url=url)
    mail_server.stop()  # the failure path is where credentials tend to leak
    person = next(p for p in DEFINITION.people if p.id == "gf-pflegedienst")

    with caplog.at_level(logging.DEBUG):
        run(store, sender)
        described = sender.describe(person, "email")

    stored = repr(store.rows(OutboxRow)) + repr(store.rows(NoticeLogRow))
    assert secret not in caplog.text
    assert secret not in stored
    assert secret not in described
    assert "steuerung:***@127.0.0.1" in described


def test_missing_data_is_asked_for_before_the_period_ends_until_it_arrives(store: Store) -> None:
    from steering.domain.vocabulary import Scope
    from steering.services.importing import record_value

    tuesday = date(2019, 12, 17)  # 14 days before 2019-H2 ends
    expected = [
        i
        for i in DEFINITION.indicators
        if i.scope is Scope.ORGANISATION
        and i.formula is None
        and i.source != "fortschritt"  # measured by the checkpoint, nobody enters it
        and any("2019-H2" in t.periods for t in i.targets)
    ]
    before = [
        n
        for n in reminder_notices(DEFINITION, uow=store.uow(), today=tuesday)
        if n.kind == "data_missing"
    ]
    for indicator in expected:
        low = indicator.value_range()[0] if indicator.value_range() else 0
        record_value(
            DEFINITION,
            sources=indicator_sources(),
            indicator=indicator.key,
            organisation="lebenshilfe-erfurt",
            period="2019-H2",
            value=str(low),
            note="",
            uow=store.uow(),
            now=AT,
            actor="test",
        )
    after = [
        n
        for n in reminder_notices(DEFINITION, uow=store.uow(), today=tuesday)
        if n.kind == "data_missing"
    ]

    active = {o.id for o in DEFINITION.organisations if o.active}
    assert {n.organisation for n in before} == active
    (lebenshilfe,) = [n for n in before if n.organisation == "lebenshilfe-erfurt"]
    assert (lebenshilfe.item, lebenshilfe.occasion) == ("data:2019-H2", "-14")
    assert sorted(lebenshilfe.facts["indicators"]) == sorted(i.title for i in expected)
    assert {n.organisation for n in after} == active - {"lebenshilfe-erfurt"}
    # Saturday 28.12. (3 days before) is quiet; nothing is asked on a weekend.
    saturday = reminder_notices(DEFINITION, uow=store.uow(), today=date(2019, 12, 28))
    assert [n for n in saturday if n.kind == "data_missing"] == []
