"""Data subject rights: export everything stored about a person, then forget them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopback import MailServer
from programmes import demo_definition

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import AuditLogRow, MeasurementRow, OutboxRow
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.bootstrap import indicator_sources
from steering.services.importing import record_value
from steering.services.integration import complete_step, ensure_integrations
from steering.services.notify import notify, reminder_notices
from steering.services.privacy import export_person, forget_person, pseudonym

DEFINITION = demo_definition()
PERSON = "gf-lebenshilfe"
NOW = datetime(2019, 9, 25, 6, 0, tzinfo=UTC)


@pytest.fixture
def uow_factory(tmp_path: Path, mail_server: MailServer) -> Iterator[object]:
    url = f"sqlite:///{tmp_path / 'steering.sqlite'}"
    upgrade(url)
    engine = make_engine(url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    ensure_integrations(DEFINITION, uow=uow(), today=date(2019, 9, 2))
    notices = reminder_notices(DEFINITION, uow=uow(), today=date(2019, 9, 25))
    sender = AppriseSender(mail_url=mail_server.url())
    notify(
        DEFINITION,
        notices,
        uow_factory=uow,
        leases_for=partial(OutboxLeases, uow),
        sender=sender,
        now=NOW,
        ui_url=None,
    )
    complete_step(
        DEFINITION,
        "lebenshilfe-erfurt",
        "ai",
        1,
        evidence_url=None,
        uow=uow(),
        now=NOW,
        actor=PERSON,
    )
    record_value(
        DEFINITION,
        sources=indicator_sources(),
        indicator="geschulte-mitarbeitende",
        organisation="lebenshilfe-erfurt",
        period="2019-H2",
        value="6",
        note="",
        uow=uow(),
        now=NOW,
        actor=PERSON,
    )
    yield uow
    engine.dispose()


def test_the_export_holds_contacts_messages_and_audit_entries(uow_factory: object) -> None:
    data = export_person(DEFINITION, PERSON, uow=uow_factory(), now=NOW, actor="datenschutz")  # type: ignore[operator]
    text = json.dumps(data, ensure_ascii=False)

    assert data["contact"]["email"] == "a.vogt@lebenshilfe-erfurt.example.org"
    assert data["owner_of"] == ["lebenshilfe-erfurt"]
    assert {"outbox", "notice_log", "audit_log", "measurements"} <= set(data["stored"])
    assert "Schritt 1 „Bedarfsanalyse und Zielsetzung“" in text  # the digest she received
    with uow_factory() as uow:  # type: ignore[operator]
        actions = list(uow.session.scalars(sa.select(AuditLogRow.action)))
    assert "privacy-export" in actions


def test_forgetting_pseudonymises_everywhere_and_keeps_the_figures(uow_factory: object) -> None:
    alias, counts = forget_person(
        DEFINITION,
        PERSON,
        uow=uow_factory(),
        now=NOW,
        actor="datenschutz",  # type: ignore[operator]
    )
    after = export_person(DEFINITION, PERSON, uow=uow_factory(), now=NOW, actor="datenschutz")  # type: ignore[operator]

    assert alias == pseudonym("digital-und-sozial", PERSON)
    assert counts["outbox.recipient"] >= 1 and counts["measurements.recorded_by"] == 1
    assert after["stored"] == {}  # nothing stored names her any more
    assert after["contact"] is not None  # until she is removed from the definition too
    with uow_factory() as uow:  # type: ignore[operator]
        session = uow.session
        value = session.scalar(
            sa.select(MeasurementRow.value).where(MeasurementRow.recorded_by == alias)
        )
        texts = list(
            session.scalars(sa.select(OutboxRow.body_text).where(OutboxRow.recipient == alias))
        )
        forget_audit = session.scalar(
            sa.select(AuditLogRow.subject_id).where(AuditLogRow.action == "privacy-forget")
        )
    assert value == 6.0  # the figure stays
    assert texts and set(texts) == {"[gelöscht]"}
    assert forget_audit == alias
