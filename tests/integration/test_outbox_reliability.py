"""The outbox under failure, against a real loopback SMTP server and a real SQLite store.

A channel that fails is retried with a capped backoff and given up after the configured
number of attempts (the lead hears of it once); a store failure while recording one outcome
never makes another message go out twice; people without a channel get their news once
they have one. All dates are fixed (the demo programme's 2019/2020).
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopback import MailServer
from programmes import demo_definition

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import NoticeLogRow, OutboxRow
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Person
from steering.domain.notifications.delivery import (
    DEFAULT_GIVE_UP_AFTER,
    DEFAULT_MAX_ATTEMPTS,
    LONGEST_RETRY,
    GiveUp,
    retry_after,
)
from steering.domain.notifications.message import Message
from steering.domain.notifications.notices import Notice, NoticeKind
from steering.services import notify as service
from steering.services.delivery_problems import revive_dead_letters as revive
from steering.services.integration import complete_step, ensure_integrations

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
BASE = demo_definition()
LEAD_EMAIL = "projektleitung@digital-und-sozial.example.org"


def _people(**changes: dict[str, object]) -> ProgrammeDefinition:
    """The demo programme with some people changed; the lead is reached by e-mail only."""
    changes = {"projektleitung": {"notify": []}, **changes}
    people = [p.model_copy(update=changes.get(p.id, {})) for p in BASE.people]
    return BASE.model_copy(update={"people": people})


DEFINITION = _people()


class Store:
    """A migrated SQLite file; makes units of work."""

    def __init__(self, path: Path) -> None:
        url = f"sqlite:///{path / 'steering.sqlite'}"
        upgrade(url)
        self.engine = make_engine(url)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(self.engine)

    def outbox(self) -> list[OutboxRow]:
        with self.uow() as uow:
            rows = list(uow.session.scalars(sa.select(OutboxRow).order_by(OutboxRow.id)))
            uow.session.expunge_all()
            return rows

    def notices(self) -> list[NoticeLogRow]:
        with self.uow() as uow:
            rows = list(uow.session.scalars(sa.select(NoticeLogRow).order_by(NoticeLogRow.id)))
            uow.session.expunge_all()
            return rows

    def execute(self, sql: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.text(sql))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(tmp_path)
    try:
        yield made
    finally:
        made.engine.dispose()


def _event(org: str, day: int, on: date) -> Notice:
    facts = {"title": f"Simulationstag {day:03d}", "kind": "webinar", "date": on.isoformat()}
    return Notice(NoticeKind.EVENT, org, f"event:sim-{day:03d}", "0", facts)


def _text(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def _days(mails: list[EmailMessage]) -> Counter[int]:
    return Counter(int(d) for m in mails for d in re.findall(r"Simulationstag (\d{3})", _text(m)))


def test_the_backoff_is_capped_at_six_hours_for_any_number_of_attempts() -> None:
    assert [retry_after(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert retry_after(41) == retry_after(10_000) == LONGEST_RETRY


def test_a_message_that_failed_60_times_neither_breaks_the_run_nor_resends_another(
    store: Store, mail_server: MailServer
) -> None:
    at = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    hopeless = "s.krueger@kinderhaus-weimar.example.org"
    mail_server.refused.add(hopeless)
    sender = AppriseSender(mail_url=mail_server.url())
    notices = [_event("kinderhaus-weimar", 1, at.date()), _event("sozialwerk-jena", 1, at.date())]
    planned = service.plan_digests(
        DEFINITION, notices, uow=store.uow(), sender=sender, ui_url=None, now=at
    )
    service.queue_digests(DEFINITION, planned, uow=store.uow(), now=at)
    store.execute(
        "UPDATE outbox SET status = 'failed', attempts = 60 WHERE recipient = 'gf-kinderhaus'"
    )

    for hours in (0, 7, 14):  # one message at a time, the hopeless one first
        service.deliver_outbox(
            DEFINITION,
            leases_for=partial(OutboxLeases, store.uow),
            sender=sender,
            now=at + timedelta(hours=hours),
        )

    assert [len(m) for m in mail_server.by_recipient().values()] == [1]
    rows = {r.recipient: r for r in store.outbox()}
    assert (rows["gf-sozialwerk"].status, rows["gf-sozialwerk"].attempts) == ("sent", 1)
    assert (rows["gf-kinderhaus"].status, rows["gf-kinderhaus"].attempts) == ("dead", 61)


def test_a_store_error_recording_one_outcome_keeps_the_others_and_stops_sending(
    store: Store, mail_server: MailServer
) -> None:
    at = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    sender = AppriseSender(mail_url=mail_server.url())
    orgs = [o.id for o in DEFINITION.organisations if len(o.owners) == 1][:6]
    notices = [_event(org, 1, at.date()) for org in orgs]
    planned = service.plan_digests(
        DEFINITION, notices, uow=store.uow(), sender=sender, ui_url=None, now=at
    )
    service.queue_digests(DEFINITION, planned, uow=store.uow(), now=at)
    ids = [r.id for r in store.outbox()]
    broken = ids[2]
    # A real store error, for the third message only: its outcome cannot be written.
    store.execute(
        "CREATE TRIGGER kaputt BEFORE UPDATE OF status ON outbox "
        f"WHEN OLD.id = {broken} BEGIN SELECT RAISE(ABORT, 'Speicher kaputt'); END"
    )

    with pytest.raises(Exception, match="nicht gespeichert") as failed:
        service.deliver_outbox(
            DEFINITION,
            leases_for=partial(OutboxLeases, store.uow),
            sender=sender,
            now=at,
            record_retries=(),
        )
    after_failure = {r.id: (r.status, r.claimed_by is not None) for r in store.outbox()}
    store.execute("DROP TRIGGER kaputt")
    later = service.deliver_outbox(
        DEFINITION,
        leases_for=partial(OutboxLeases, store.uow),
        sender=sender,
        now=at + timedelta(minutes=1),
    )

    assert f"#{broken}" in str(failed.value)
    # Sent before the failure and recorded; the broken one went out but stays claimed; the
    # run stopped sending, and gave the claims of the rest back.
    assert [after_failure[i] for i in ids] == [
        ("sent", False),
        ("sent", False),
        ("pending", True),
        *[("pending", False)] * (len(ids) - 3),
    ]
    assert later.sent == len(ids) - 3
    assert sorted(Counter(len(m) for m in mail_server.by_recipient().values()).items()) == [
        (1, len(ids))
    ]


# About 1,400 SMTP sessions and as many single-row commits: 60-110 s on the 2-core machine.
@pytest.mark.timeout(600)
def test_200_delivery_days_deliver_each_message_at_most_once_and_give_up_a_dead_channel(
    store: Store, mail_server: MailServer
) -> None:
    """Every morning two owners get news, a third one every tenth day; the third mailbox is
    refused for good, the second on random days (never three in a row). The steady and the
    flaky one get every message exactly once; the dead one's messages are given up 3 days
    after they were queued (the deliveries run daily), and the lead hears of each once."""
    steady, flaky, dead = (
        "m.hartmann@sozialwerk-jena.example.org",
        "s.krueger@kinderhaus-weimar.example.org",
        "j.schaefer@pflegedienst-gotha.example.org",
    )
    orgs = ("sozialwerk-jena", "kinderhaus-weimar", "pflegedienst-gotha")
    sender = AppriseSender(mail_url=mail_server.url())
    start = datetime(2020, 1, 6, 7, 0, tzinfo=UTC)
    coin = random.Random(2026)
    days = 200
    down_before = 0  # days in a row the flaky mailbox was down

    for day in range(days):
        at = start + timedelta(days=day)
        # Flaky on random days; it works again for the last week, so everything can arrive.
        flaky_down = day < days - 7 and coin.random() < 0.5 and down_before < 2
        down_before = down_before + 1 if flaky_down else 0
        mail_server.refused = {dead, flaky} if flaky_down else {dead}
        news = orgs if day % 10 == 0 else orgs[:2]
        notices = [_event(org, day, at.date()) for org in news]
        service.notify(
            DEFINITION,
            notices,
            uow_factory=store.uow,
            leases_for=partial(OutboxLeases, store.uow),
            sender=sender,
            now=at,
            ui_url=None,
        )

    received = mail_server.by_recipient()
    assert _days(received[steady]) == Counter(range(days))
    assert _days(received[flaky]) == Counter(range(days))
    assert dead not in received
    rows = store.outbox()
    to_dead = [r for r in rows if r.recipient == "gf-pflegedienst"]
    given_up = [r for r in to_dead if r.status == "dead"]
    # A message queued on day d is tried on days d .. d+3 and given up 72 hours after it
    # was queued, at its 4th attempt (long before the 20 attempts of the attempt limit).
    waited = DEFAULT_GIVE_UP_AFTER.days
    assert len(given_up) == len(to_dead) == len(range(0, days, 10))
    assert {r.attempts for r in given_up} == {waited + 1} and waited + 1 < DEFAULT_MAX_ATTEMPTS
    assert {r.given_up_at - r.created_at for r in given_up} == {DEFAULT_GIVE_UP_AFTER}
    # The lead hears of each one once, in the next morning's digest.
    told = Counter(
        int(n) for m in received[LEAD_EMAIL] for n in re.findall(r"--retry (\d+)", _text(m))
    )
    assert told == Counter(r.id for r in given_up)
    logged = [n for n in store.notices() if n.kind == "message_given_up"]
    assert len(logged) == len({n.item for n in logged}) == len(told)
    assert {r.status for r in rows if r.recipient != "gf-pflegedienst"} == {"sent"}


def test_news_for_a_person_without_channel_is_kept_and_delivered_once_they_have_one(
    store: Store, mail_server: MailServer
) -> None:
    """Jörg Schäfer (gf-pflegedienst) has no e-mail address at first. His two step-1
    reminders are kept and the lead is told once; when his step for one driver is done and
    he gets an address, only the open step reaches him, once."""
    sender = AppriseSender(mail_url=mail_server.url())
    ensure_integrations(DEFINITION, uow=store.uow(), today=date(2019, 9, 2))
    without = _people(**{"gf-pflegedienst": {"email": None}})
    first = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)  # the 7-day reminder of step 1 (due 02.10.)

    def run(definition: ProgrammeDefinition, at: datetime) -> None:
        notices = service.reminder_notices(definition, uow=store.uow(), today=at.date())
        service.notify(
            definition,
            notices,
            uow_factory=store.uow,
            leases_for=partial(OutboxLeases, store.uow),
            sender=sender,
            now=at,
            ui_url=None,
        )

    run(without, first)
    run(without, first + timedelta(days=5))  # the 2-day reminder: kept as well
    held = [n for n in store.notices() if n.recipient == "gf-pflegedienst"]
    lead = mail_server.by_recipient()[LEAD_EMAIL]
    complete_step(
        DEFINITION,
        "pflegedienst-gotha",
        "iot",
        1,
        evidence_url=None,
        uow=store.uow(),
        now=first + timedelta(days=5, hours=3),
        actor="test",
    )
    run(DEFINITION, first + timedelta(days=6))  # now he has an address
    run(DEFINITION, first + timedelta(days=7))

    assert len(held) == 4 and {n.message_key for n in held} == {"ohne-kanal"}
    lead_text = "\n".join(_text(m) for m in lead)
    assert lead_text.count("Jörg Schäfer (gf-pflegedienst) ist über keinen Kanal erreichbar") == 2
    assert "(Internet der Dinge)" in lead_text and "(Fachsoftware)" in lead_text
    (mail,) = mail_server.by_recipient()["j.schaefer@pflegedienst-gotha.example.org"]
    text = _text(mail)
    assert "Schritt 1 „Bedarfsanalyse und Zielsetzung“ (Fachsoftware) ist am 02.10.2019" in text
    assert "noch 2 Tage" in text  # the newest kept reminder of the item, not the older one
    assert "Internet der Dinge" not in text
    assert {n.message_key for n in store.notices()} & {"ohne-kanal"} == set()


def test_a_given_up_message_is_told_to_the_lead_once_and_revived_on_each_backend(
    db_url: str, mail_server: MailServer
) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    at = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    refused = "c.weiss@familienzentrum-suhl.example.org"
    mail_server.refused = {refused}
    sender = AppriseSender(mail_url=mail_server.url())

    def run(hours: int, notices: list[Notice]) -> service.Delivery:
        return service.notify(
            DEFINITION,
            notices,
            uow_factory=uow,
            leases_for=partial(OutboxLeases, uow),
            sender=sender,
            now=at + timedelta(hours=hours),
            ui_url=None,
            give_up=GiveUp(attempts=3),
        )[1]

    try:
        runs = [run(0, [_event("familienzentrum-suhl", 1, at.date())])]
        runs += [run(hours, []) for hours in (1, 2, 3, 4)]
        with uow() as work:
            (dead,) = work.outbox.given_up(DEFINITION.programme.id)
        mail_server.refused = set()
        revived = revive(DEFINITION, message_id=dead.id, uow=uow(), now=at, actor="test")
        runs.append(run(5, []))
        with uow() as work:
            statuses = {m.status for m in work.outbox.waiting(DEFINITION.programme.id)}
            audited = work.session.scalar(
                sa.text("SELECT count(*) FROM audit_log WHERE action = 'outbox_revive'")
            )
    finally:
        engine.dispose()

    assert [(r.failed, r.given_up) for r in runs[:3]] == [(1, 0), (1, 0), (1, 1)]
    assert dead.attempts == 3 and dead.given_up_at == at + timedelta(hours=2)
    assert (runs[5].sent, revived, statuses, audited) == (1, [dead.id], set(), 1)
    received = mail_server.by_recipient()
    assert len(received[refused]) == 1
    told = [m for m in received[LEAD_EMAIL] if f"--retry {dead.id}" in _text(m)]
    assert len(told) == 1 and "nach 3 Versuchen nicht hinaus" in _text(told[0])


class _StoreBusyAfterSending(AppriseSender):
    """Sends for real, then another writer holds the SQLite store for a moment."""

    def __init__(self, database: Path, *, mail_url: str) -> None:
        super().__init__(mail_url=mail_url)
        self.database = database

    def send(self, person: Person, hint: str, message: Message) -> None:
        super().send(person, hint, message)
        other = sqlite3.connect(self.database, check_same_thread=False, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, as a concurrent import would hold
        threading.Timer(0.3, lambda: (other.execute("ROLLBACK"), other.close())).start()


def test_an_outcome_is_recorded_after_the_store_was_briefly_locked(
    tmp_path: Path, mail_server: MailServer
) -> None:
    database = tmp_path / "steering.sqlite"
    upgrade(f"sqlite:///{database}")
    engine = make_engine(f"sqlite:///{database}", busy_timeout_ms=0)  # a lock fails at once
    at = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    sender = _StoreBusyAfterSending(database, mail_url=mail_server.url())

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    try:
        planned = service.plan_digests(
            DEFINITION,
            [_event("sozialwerk-jena", 1, at.date())],
            uow=uow(),
            sender=sender,
            ui_url=None,
            now=at,
        )
        service.queue_digests(DEFINITION, planned, uow=uow(), now=at)
        delivery = service.deliver_outbox(
            DEFINITION,
            leases_for=partial(OutboxLeases, uow),
            sender=sender,
            now=at,
            record_retries=(0.6,),
        )
        with uow() as work:
            (row,) = work.session.scalars(sa.select(OutboxRow)).all()
            status = row.status
    finally:
        engine.dispose()

    assert (delivery.sent, status, len(mail_server.messages)) == (1, "sent", 1)


def test_the_lead_reads_of_given_up_messages_and_unreachable_people_in_german_or_english() -> None:
    from steering.services.notification_texts import sentence

    given_up = Notice(
        NoticeKind.MESSAGE_GIVEN_UP,
        "",
        "outbox:7",
        "2019-10-01T06:00:00+00:00",
        {
            "message": 7,
            "person": "gf-beratung",
            "name": "Petra Lorenz",
            "channel": "email",
            "subject": "[digit@l und sozi@l] 1 Hinweis",
            "attempts": 1,
            "error": "550 Postfach nicht erreichbar",
            "created": "2019-09-25",
        },
    )
    step = {"driver": "ai", "step": 1, "title": "Bedarfsanalyse", "due": "2019-10-02", "days": 7}
    unreachable = Notice(
        NoticeKind.RECIPIENT_UNREACHABLE,
        "beratung-gera",
        "unreachable:gf-beratung:step:ai:1",
        "",
        {"person": "gf-beratung", "name": "Petra Lorenz", "kind": "step_due", "facts": step},
    )

    assert sentence(given_up, "de") == (
        "Zustellung aufgegeben: die Nachricht „[digit@l und sozi@l] 1 Hinweis“ vom 25.09.2019 an "
        "Petra Lorenz über email ging nach 1 Versuch nicht hinaus (letzter Fehler: 550 Postfach "
        "nicht erreichbar). Erneut senden: steer outbox CONFIG --retry 7."
    )
    assert sentence(given_up, "en").startswith(
        "Delivery given up: the message '[digit@l und sozi@l] 1 Hinweis' of 2019-09-25 to "
        "Petra Lorenz via email did not go out after 1 attempt"
    )
    assert sentence(unreachable, "de").startswith(
        "Petra Lorenz (gf-beratung) ist über keinen Kanal erreichbar"
    )
    assert sentence(unreachable, "de").endswith("ist am 02.10.2019 fällig (noch 7 Tage).")
    assert sentence(unreachable, "en").startswith(
        "Petra Lorenz (gf-beratung) cannot be reached on any channel"
    )
    assert "is due on 2019-10-02" in sentence(unreachable, "en")
