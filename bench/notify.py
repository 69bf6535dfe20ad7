"""Benchmark notifications: digests for N recipients delivered to a loopback SMTP server.

Usage: python bench/notify.py [--recipients 1000] [--notices-per-recipient 3] [--senders 1]

Builds a programme with one owner per organisation with synthetic step reminders (three
per organisation), plans one digest per recipient, queues them in a SQLite outbox and
delivers them through apprise to an aiosmtpd server on 127.0.0.1 in its own process (as a
real mail server would be; it writes every message into a Maildir, which is counted). The
last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
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


def _received(maildir: Path) -> int:
    return len(list((maildir / "new").glob("*"))) if (maildir / "new").exists() else 0


def main() -> None:
    """Plan, queue and deliver the digests; print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--notices-per-recipient", type=int, default=3)
    parser.add_argument("--senders", type=int, default=1, help="STEERING_OUTBOX_SENDERS")
    args = parser.parse_args()

    from functools import partial

    from loopback import free_port

    from steering.adapters.db.engine import make_engine
    from steering.adapters.db.migrate import upgrade
    from steering.adapters.db.outbox_leases import OutboxLeases
    from steering.adapters.db.uow import SqlUnitOfWork
    from steering.adapters.notify.apprise_sender import AppriseSender
    from steering.domain.notifications.notices import Notice, NoticeKind
    from steering.services.notify import deliver_outbox, plan_digests, queue_digests

    definition = _definition(args.recipients)
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
        for step in range(1, args.notices_per_recipient + 1)
    ]
    work = Path(tempfile.mkdtemp(prefix="bench-notify-"))
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
    now = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)
    try:
        start = time.perf_counter()
        planned = plan_digests(definition, notices, uow=uow(), sender=sender, ui_url=None, now=now)
        queued = queue_digests(definition, planned, uow=uow(), now=now)
        queued_at = time.perf_counter()
        delivery = deliver_outbox(
            definition,
            leases_for=partial(OutboxLeases, uow),
            sender=sender,
            now=now,
            workers=args.senders,
        )
        end = time.perf_counter()
        deadline = time.monotonic() + 30
        while _received(maildir) < delivery.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        received = _received(maildir)
    finally:
        server.terminate()
        server.wait(timeout=10)
    figures = {
        "benchmark": "notify",
        "recipients": args.recipients,
        "senders": args.senders,
        "notices": len(notices),
        "queued": queued,
        "sent": delivery.sent,
        "failed": delivery.failed,
        "received_by_smtp": received,
        "plan_and_queue_seconds": round(queued_at - start, 2),
        "deliver_seconds": round(end - queued_at, 2),
        "total_seconds": round(end - start, 2),
        "messages_per_second": round(delivery.sent / (end - queued_at), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(
        f"{figures['sent']} digests to {args.recipients} recipients in "
        f"{figures['total_seconds']} s (plan+queue {figures['plan_and_queue_seconds']} s, "
        f"deliver {figures['deliver_seconds']} s); SMTP received {figures['received_by_smtp']}"
    )
    if delivery.errors:
        print("first error:", delivery.errors[0])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
