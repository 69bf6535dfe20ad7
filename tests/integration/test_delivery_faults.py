"""Delivery under real faults: each recipient gets exactly one message, except at most the
one in flight when a sender dies.

The faults are real: a PostgreSQL whose backends are ended and that refuses connections for
a while, a SQLite file another connection holds the write lock of, an SMTP server slower
than the lease, two senders at once, and a sender process killed mid-send; and the senders
of one process sharing commits. What counts is what the SMTP server received.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from loopback import MailServer
from paths import POSTGRES_ENV, POSTGRES_SKIP_REASON
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import OutboxRow
from steering.adapters.db.outbox_leases import OutboxLeases, _common_commit
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.delivery import Lease
from steering.ports import LeaseLost
from steering.ports.outbox import Outcome
from steering.services.delivery import Delivery, DeliveryIncomplete, deliver_outbox

AT = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
QUICK = (0.2, 0.5)  # store retries for the tests that want the store to fail for good


def _programme(recipients: int) -> ProgrammeDefinition:
    """A programme whose owners each get one message."""
    people: list[dict[str, Any]] = [
        {"id": "lead", "name": "Projektleitung", "role": "project_lead", "email": "l@example.org"}
    ]
    people += [
        {"id": f"gf-{i:03d}", "name": f"Geschäftsführung {i}", "email": f"gf{i:03d}@example.org"}
        for i in range(recipients)
    ]
    return ProgrammeDefinition.model_validate(
        {
            "programme": {
                "id": "faults",
                "title": "Fehler",
                "lead": "lead",
                "periods": ["2019-H2"],
            },
            "people": people,
            "organisations": [
                {
                    "id": f"org-{i:03d}",
                    "name": f"Träger {i} e. V.",
                    "state": "TH",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": [f"gf-{i:03d}"],
                }
                for i in range(recipients)
            ],
        }
    )


class Outbox:
    """A migrated store with one queued e-mail per owner."""

    def __init__(self, url: str, recipients: int, **engine: Any) -> None:
        upgrade(url)
        self.engine = make_engine(url, **engine)
        self.definition = _programme(recipients)
        with self.uow() as uow:
            for person in self.definition.people[1:]:
                uow.outbox.enqueue(
                    "faults",
                    key=f"{person.id}:1",
                    recipient=person.id,
                    channel="email",
                    kind="digest",
                    subject=f"Hinweis für {person.name}",
                    text="Ein Hinweis.",
                    html="<p>Ein Hinweis.</p>",
                    now=AT,
                )
            uow.commit()

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(self.engine)

    def statuses(self) -> Counter[str]:
        with self.engine.connect() as connection:
            return Counter(connection.scalars(sa.select(OutboxRow.status)))

    def deliver(self, sender: AppriseSender, **options: Any) -> Delivery:
        options = {"now": AT, **options}
        return deliver_outbox(
            self.definition, leases_for=partial(OutboxLeases, self.uow), sender=sender, **options
        )


class TriggeredMailServer(MailServer):
    """Keeps messages like MailServer; calls `on_message(n)` when the n-th one arrives (before
    it answers 250), and takes `delay` seconds per message."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay
        self.on_message: Callable[[int], None] = lambda _n: None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        self.on_message(len(self.messages))
        if self.delay:
            await asyncio.sleep(self.delay)
        return answer

    def counts(self) -> Counter[int]:
        """How many recipients got how many messages."""
        return Counter(len(m) for m in self.by_recipient().values())


@pytest.fixture
def sink() -> Iterator[TriggeredMailServer]:
    server = TriggeredMailServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A database of its own (its connections are refused on purpose), dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(POSTGRES_SKIP_REASON)
    name = f"steer_faults_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class PostgresOutage:
    """Ends every backend of a database and refuses new connections, like a restart."""

    def __init__(self, url: str) -> None:
        self.name = make_url(url).database
        base = os.environ[POSTGRES_ENV]
        self.admin = sa.create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.ended = 0

    def begin(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            self.ended = len(
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": self.name},
                ).all()
            )

    def end(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))


@pytest.mark.postgres
def test_a_postgresql_restart_mid_delivery_repeats_no_message(
    postgres_database: str, sink: TriggeredMailServer
) -> None:
    """The 5th message arrives: every backend is ended and connections are refused for 4 s.
    The outcome is recorded once the store is back, and sending goes on."""
    outbox = Outbox(postgres_database, 20)
    outage = PostgresOutage(postgres_database)

    def restart(n: int) -> None:
        if n == 5:
            outage.begin()
            threading.Timer(4.0, outage.end).start()

    sink.on_message = restart
    try:
        delivery = outbox.deliver(AppriseSender(mail_url=sink.url()))
        statuses = outbox.statuses()
    finally:
        outage.end()
        outbox.engine.dispose()

    assert outage.ended >= 1
    assert (delivery.sent, statuses) == (20, Counter({"sent": 20}))
    assert sink.counts() == Counter({1: 20})


@pytest.mark.postgres
def test_a_store_down_for_good_stops_sending_and_repeats_at_most_the_message_in_flight(
    postgres_database: str, sink: TriggeredMailServer
) -> None:
    """The store goes away at the 5th message and stays away: the sender cannot record that
    message, so it sends nothing more and the run fails. Once the store is back, and the
    lease of the unrecorded message has lapsed, everything is delivered; only that message
    reaches its recipient twice, and the second run says so."""
    outbox = Outbox(postgres_database, 20)
    outage = PostgresOutage(postgres_database)
    sink.on_message = lambda n: outage.begin() if n == 5 else None
    sender = AppriseSender(mail_url=sink.url())
    try:
        with pytest.raises(DeliveryIncomplete, match="Ergebnis nicht gespeichert"):
            outbox.deliver(sender, record_retries=QUICK)
        sent_during_outage = len(sink.messages)
        outage.end()
        sink.on_message = lambda _n: None
        soon = outbox.deliver(sender, now=AT + timedelta(seconds=10))
        later = outbox.deliver(sender, now=AT + Lease().length + timedelta(minutes=1))
        statuses = outbox.statuses()
    finally:
        outage.end()
        outbox.engine.dispose()

    assert sent_during_outage == 5
    # Right away, only the unrecorded message is still blocked (the others were given back).
    assert (soon.sent, later.sent, len(later.interrupted)) == (15, 1, 1)
    assert statuses == Counter({"sent": 20})
    assert sink.counts() == Counter({1: 19, 2: 1})


def test_a_sqlite_write_lock_held_mid_delivery_delays_sending_but_repeats_nothing(
    tmp_path: Path, sink: TriggeredMailServer
) -> None:
    """Another connection holds the write lock for 6 s from the 3rd message on, far longer
    than the 1-second busy timeout: the outcome waits for the lock, then sending goes on."""
    database = tmp_path / "steering.sqlite"
    outbox = Outbox(f"sqlite:///{database}", 12, busy_timeout_ms=1000)
    other = sqlite3.connect(database, check_same_thread=False, isolation_level=None)

    def lock(n: int) -> None:
        if n == 3:
            other.execute("BEGIN IMMEDIATE")
            threading.Timer(6.0, lambda: other.execute("ROLLBACK")).start()

    sink.on_message = lock
    try:
        delivery = outbox.deliver(AppriseSender(mail_url=sink.url()))
        statuses = outbox.statuses()
    finally:
        outbox.engine.dispose()
    other.close()

    assert (delivery.sent, statuses) == (12, Counter({"sent": 12}))
    assert sink.counts() == Counter({1: 12})


def test_a_mail_server_slower_than_the_lease_gets_each_message_once_from_two_senders(
    tmp_path: Path,
) -> None:
    """Each message takes 1.5 s at the server, the lease lasts 1 s: the senders renew it
    while they send, so neither takes over a message the other is still sending."""
    slow = TriggeredMailServer(delay=1.5)
    slow.start()
    outbox = Outbox(f"sqlite:///{tmp_path / 'steering.sqlite'}", 6)
    lease = Lease(batch=2, length=timedelta(seconds=1))
    sender = AppriseSender(mail_url=slow.url())
    results: list[Delivery] = []
    try:
        senders = [
            threading.Thread(target=lambda: results.append(outbox.deliver(sender, lease=lease)))
            for _ in range(2)
        ]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join()
        statuses = outbox.statuses()
    finally:
        slow.stop()
        outbox.engine.dispose()

    assert sum(r.sent for r in results) == 6
    assert statuses == Counter({"sent": 6})
    assert slow.counts() == Counter({1: 6})


@pytest.mark.parametrize("workers", [1, 3])
def test_two_runs_at_once_send_each_message_once_on_each_backend(
    db_url: str, sink: TriggeredMailServer, workers: int
) -> None:
    """Two runs started at the same moment, each with `workers` senders, share 40 messages."""
    outbox = Outbox(db_url, 40)
    sender = AppriseSender(mail_url=sink.url())
    results: list[Delivery] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        results.append(outbox.deliver(sender, workers=workers))

    try:
        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()
        statuses = outbox.statuses()
    finally:
        outbox.engine.dispose()

    assert sum(r.sent for r in results) == 40
    assert statuses == Counter({"sent": 40})
    assert sink.counts() == Counter({1: 40})


_CRASHING_SENDER = """
import sys
from datetime import datetime
from functools import partial
from steering.adapters.db.engine import make_engine
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition import ProgrammeDefinition
from steering.services.delivery import deliver_outbox

url, mail_url, definition, at = sys.argv[1:]
engine = make_engine(url)
deliver_outbox(
    ProgrammeDefinition.model_validate_json(open(definition).read()),
    leases_for=partial(OutboxLeases, lambda: SqlUnitOfWork.for_engine(engine)),
    sender=AppriseSender(mail_url=mail_url),
    now=datetime.fromisoformat(at),
)
"""


def test_a_sender_killed_mid_send_blocks_at_most_one_batch_and_repeats_one_message(
    tmp_path: Path, sink: TriggeredMailServer
) -> None:
    """A sender process is killed (SIGKILL) while the 7th message is at the server. A run
    right after sends everything but the rest of that sender's batch (5 messages claimed at
    a time); once the lease lapsed, the rest goes out. Only the 7th message arrives twice."""
    url = f"sqlite:///{tmp_path / 'steering.sqlite'}"
    outbox = Outbox(url, 30)
    definition = tmp_path / "definition.json"
    definition.write_text(outbox.definition.model_dump_json(), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", _CRASHING_SENDER, url, sink.url(), str(definition), AT.isoformat()]
    )

    def kill(n: int) -> None:
        if n == 7:
            process.send_signal(signal.SIGKILL)
            process.wait()

    sink.on_message = kill
    sender = AppriseSender(mail_url=sink.url())
    try:
        process.wait(timeout=120)
        sink.on_message = lambda _n: None
        soon = outbox.deliver(sender, now=AT + timedelta(seconds=30))
        later = outbox.deliver(sender, now=AT + Lease().length + timedelta(minutes=1))
        statuses = outbox.statuses()
    finally:
        outbox.engine.dispose()

    assert process.returncode == -signal.SIGKILL
    # The killed sender held messages 6-10 (its second batch) and was sending the 7th.
    assert soon.sent == 30 - 7 - 3 and later.sent == 4
    assert [label.split()[0] for label in later.interrupted] == ["#7"]
    assert statuses == Counter({"sent": 30})
    assert sink.counts() == Counter({1: 29, 2: 1})


# Senders of one process share commits ------------------------------------------------
UNTIL = AT + timedelta(minutes=5)


def _claimed_and_marked(outbox: Outbox, senders: int) -> list[tuple[OutboxLeases, int]]:
    """Each sender holds one message and has marked its attempt."""
    held = []
    for n in range(senders):
        leases = OutboxLeases(outbox.uow, f"sender-{n}")
        (message,) = leases.claim("faults", due_at=AT, at=AT, until=UNTIL, after_id=0, limit=1)
        assert leases.start(message.id, at=AT, until=UNTIL)
        held.append((leases, message.id))
    return held


def test_outcomes_written_while_a_commit_is_under_way_share_the_next_commit(
    db_url: str,
) -> None:
    """The first outcome's commit waits until four more are written; they wait for it
    and then go into one commit together. A sender whose message was taken over gets
    LeaseLost; the other outcomes of that commit are stored."""
    outbox = Outbox(db_url, 5)
    held = _claimed_and_marked(outbox, 5)
    taken_over = held[-1][1]
    with outbox.engine.begin() as connection:
        connection.execute(
            sa.update(OutboxRow).where(OutboxRow.id == taken_over).values(claimed_by="another")
        )
    commits: list[float] = []

    @event.listens_for(outbox.engine, "commit")
    def slow_first_commit(_connection: Any) -> None:
        commits.append(time.monotonic())
        if len(commits) == 1:  # the other four senders write meanwhile
            waiting = _common_commit(outbox.engine)._waiting
            deadline = time.monotonic() + 10
            while len(waiting) < 4 and time.monotonic() < deadline:
                time.sleep(0.01)

    outcomes: dict[int, object] = {}

    def record(leases: OutboxLeases, message_id: int) -> None:
        try:
            outcomes[message_id] = leases.record(message_id, Outcome("sent", AT), until=UNTIL)
        except LeaseLost as lost:
            outcomes[message_id] = lost

    first = threading.Thread(target=record, args=held[0])
    first.start()
    while not commits:
        time.sleep(0.01)
    others = [threading.Thread(target=record, args=h) for h in held[1:]]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join()
    event.remove(outbox.engine, "commit", slow_first_commit)
    statuses = outbox.statuses()
    outbox.engine.dispose()

    assert len(commits) == 2
    assert isinstance(outcomes.pop(taken_over), LeaseLost)
    assert set(outcomes.values()) == {False}  # stored; no next message was marked
    assert statuses == Counter({"sent": 4, "pending": 1})


@pytest.mark.parametrize("senders", [2, 8])
def test_two_runs_of_several_senders_send_each_of_200_messages_once(
    db_url: str, senders: int
) -> None:
    """Two runs at once with `senders` senders each (threads sharing commits) and small
    claims: every message reaches the SMTP server exactly once."""
    sink = TriggeredMailServer()
    sink.start()
    outbox = Outbox(db_url, 200)
    sender = AppriseSender(mail_url=sink.url())
    results: list[Delivery] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        results.append(outbox.deliver(sender, workers=senders, lease=Lease(batch=3)))

    try:
        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()
        statuses = outbox.statuses()
    finally:
        sink.stop()
        outbox.engine.dispose()

    assert sum(r.sent for r in results) == 200
    assert statuses == Counter({"sent": 200})
    assert sink.counts() == Counter({1: 200})
