"""Benchmark notifications: digests for N recipients delivered to a loopback SMTP server.

Usage: python bench/notify.py [--recipients 1000,10000] [--notices-per-recipient 3]
       [--senders K] [--batch B] [--postgres]

For each size, in a fresh subprocess: builds a programme with one owner per organisation
with synthetic step reminders (three per organisation), plans one digest per recipient,
queues them in the outbox (a new SQLite file, or with --postgres a new database on
127.0.0.1:5432 as user postgres, dropped afterwards) and delivers them through apprise to
an aiosmtpd server on 127.0.0.1 in its own process (as a real mail server would be; it
writes every message into a Maildir). Every received message is counted per recipient:
duplicates must be 0. The last line is one JSON object with the figures of every size and
the growth of seconds per message from the first size to the last.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _definition(recipients: int):  # type: ignore[no-untyped-def]
    from steering.domain.definition import ProgrammeDefinition

    people = [
        {"id": "lead", "name": "Projektleitung", "role": "project_lead", "email": "l@example.org"}
    ]
    people += [
        {"id": f"gf-{i:05d}", "name": f"Geschäftsführung {i}", "email": f"gf{i}@träger.example.org"}
        for i in range(recipients)
    ]
    return ProgrammeDefinition.model_validate(
        {
            "programme": {
                "id": "bench",
                "title": "Benchmark",
                "lead": "lead",
                "periods": ["2019-H2"],
            },
            "people": people,
            "organisations": [
                {
                    "id": f"org-{i:05d}",
                    "name": f"Träger {i} e. V.",
                    "state": "TH",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": [f"gf-{i:05d}"],
                }
                for i in range(recipients)
            ],
        }
    )


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the SMTP server did not start on port {port}")


POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _received(maildir: Path) -> Counter[str]:
    """Messages in the Maildir per recipient address (To header)."""
    parser = BytesHeaderParser()
    per_recipient: Counter[str] = Counter()
    for path in (maildir / "new").glob("*") if (maildir / "new").exists() else []:
        with path.open("rb") as mail:
            per_recipient[str(parser.parse(mail).get("To", "")).strip().lower()] += 1
    return per_recipient


def _postgres_database() -> tuple[str, str]:
    """Create a fresh database on the local server; (its URL, its name)."""
    from sqlalchemy import create_engine, text

    name = f"bench_notify_{os.getpid()}_{int(time.time())}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres_database(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def run_one(
    recipients: int, notices_per_recipient: int, senders: int, batch: int | None, postgres: bool
) -> dict[str, object]:
    """Plan, queue and deliver the digests for one size; the figures."""
    from functools import partial

    from loopback import free_port

    from steering.adapters.db.engine import make_engine
    from steering.adapters.db.migrate import upgrade
    from steering.adapters.db.outbox_leases import OutboxLeases
    from steering.adapters.db.uow import SqlUnitOfWork
    from steering.adapters.notify.apprise_sender import AppriseSender
    from steering.domain.notifications.delivery import Lease
    from steering.domain.notifications.notices import Notice, NoticeKind
    from steering.services.notify import deliver_outbox, plan_digests, queue_digests

    definition = _definition(recipients)
    notices = [
        Notice(
            NoticeKind.STEP_DUE,
            org.id,
            f"step:cloud:{step}",
            "due-7",
            {
                "driver": "cloud",
                "step": step,
                "title": "Bedarfsanalyse und Zielsetzung",
                "due": "2019-10-02",
                "owner": "",
                "days": 7,
            },
        )
        for org in definition.organisations
        for step in range(1, notices_per_recipient + 1)
    ]
    work = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    database = None
    if postgres:
        url, database = _postgres_database()
    else:
        url = f"sqlite:///{work / 'steering.sqlite'}"
    upgrade(url)
    engine = make_engine(url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    port = free_port()
    maildir = work / "maildir"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_port(port)
    sender = AppriseSender(mail_url=f"mailto://127.0.0.1:{port}?from=steuerung@example.org")
    lease = Lease() if batch is None else Lease(batch=batch)
    now = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    try:
        start = time.perf_counter()
        planned = plan_digests(definition, notices, uow=uow(), sender=sender, ui_url=None, now=now)
        queued = queue_digests(definition, planned, uow=uow(), now=now)
        queued_at = time.perf_counter()
        cpu_at = time.process_time()
        delivery = deliver_outbox(
            definition,
            leases_for=partial(OutboxLeases, uow),
            sender=sender,
            now=now,
            workers=senders,
            lease=lease,
        )
        end = time.perf_counter()
        deliver_cpu = time.process_time() - cpu_at
        deadline = time.monotonic() + 30
        while sum(_received(maildir).values()) < delivery.sent and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = children.ru_utime + children.ru_stime
        engine.dispose()
        if database is not None:
            _drop_postgres_database(database)
    received = _received(maildir)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "recipients": recipients,
        "store": "postgresql" if postgres else "sqlite",
        "senders": senders,
        "claim_batch": lease.batch,
        "notices": len(notices),
        "queued": queued,
        "sent": delivery.sent,
        "failed": delivery.failed,
        "received_by_smtp": sum(received.values()),
        "recipients_reached": len(received),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "plan_and_queue_seconds": round(queued_at - start, 2),
        "deliver_seconds": round(end - queued_at, 2),
        "total_seconds": round(end - start, 2),
        "messages_per_second": round(delivery.sent / (end - queued_at), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # CPU per message (less noisy than seconds on a shared machine): this process while
        # it delivered, and the SMTP server process over its whole life.
        "deliver_cpu_ms_per_message": round(deliver_cpu * 1000 / max(delivery.sent, 1), 2),
        "smtp_server_cpu_ms_per_message": round(server_cpu * 1000 / max(delivery.sent, 1), 2),
        "first_error": delivery.errors[0] if delivery.errors else None,
    }


def main() -> None:
    """Run every size in its own subprocess; print a line per size and the JSON last."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", default="1000,10000", help="sizes, comma-separated")
    parser.add_argument("--notices-per-recipient", type=int, default=3)
    parser.add_argument("--senders", type=int, default=1, help="STEERING_OUTBOX_SENDERS")
    parser.add_argument("--batch", type=int, default=None, help="STEERING_OUTBOX_CLAIM_BATCH")
    parser.add_argument("--postgres", action="store_true", help="the outbox on PostgreSQL")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(n) for n in args.recipients.split(",")]
    if args.one:
        figures = run_one(
            sizes[0], args.notices_per_recipient, args.senders, args.batch, args.postgres
        )
        print(json.dumps(figures))
        return
    runs = []
    for size in sizes:
        command = [sys.executable, __file__, "--one", "--recipients", str(size)]
        command += ["--notices-per-recipient", str(args.notices_per_recipient)]
        command += ["--senders", str(args.senders)]
        command += ["--batch", str(args.batch)] if args.batch is not None else []
        command += ["--postgres"] if args.postgres else []
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append(figures)
        print(
            f"{figures['recipients']:>6} recipients ({figures['store']}, "
            f"{figures['senders']} sender(s), claim batch {figures['claim_batch']}): "
            f"{figures['total_seconds']} s (plan+queue {figures['plan_and_queue_seconds']} s, "
            f"deliver {figures['deliver_seconds']} s, {figures['messages_per_second']} msg/s); "
            f"SMTP received {figures['received_by_smtp']}, duplicates {figures['duplicates']}, "
            f"peak RSS {figures['peak_rss_mb']} MB; CPU per message "
            f"{figures['deliver_cpu_ms_per_message']} ms here, "
            f"{figures['smtp_server_cpu_ms_per_message']} ms in the SMTP server",
            flush=True,
        )
    first, last = runs[0], runs[-1]
    per_message = [float(r["total_seconds"]) / max(int(r["sent"]), 1) for r in (first, last)]
    result = {
        "benchmark": "notify",
        "runs": runs,
        "seconds_per_message_growth": round(per_message[1] / per_message[0], 2),
        # Peak memory per message, last size against first (1 = linear, below = better).
        "peak_rss_per_message_growth": round(
            (float(last["peak_rss_mb"]) / max(int(last["sent"]), 1))
            / (float(first["peak_rss_mb"]) / max(int(first["sent"]), 1)),
            2,
        ),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
