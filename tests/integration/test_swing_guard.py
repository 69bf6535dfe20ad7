"""A source gone missing turns many lights red at once: the owners are not alarmed, the lead
hears of it once.

The example programme, with its key figures counting as breached when missing (no_data:
breach); the key-figure file cannot be read at the 2019-H2 checkpoint.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from loopback import MailServer
from programmes import copy_demo, release_data_roots
from sqlalchemy import Engine, select

from steering.adapters.config import load_definition
from steering.adapters.db.models import NoticeLogRow
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.bootstrap import indicator_sources
from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.swing import SwingGuard, lacks_data
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.notify import notify

# About faults, not dates: one date is enough, also in the awkward-date step.
pytestmark = pytest.mark.few_dates(1)

KEY = "digital-und-sozial/2019-H2"
GUARD = SwingGuard(share=0.3, minimum=10)


@pytest.fixture
def programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, ProgrammeDefinition]:
    """A copy of the example programme whose key figures are breached when missing; its
    definition reads ../examples, a folder the operator releases as a data root."""
    release_data_roots(monkeypatch, tmp_path / "examples")

    def missing_figures_breach(data: dict[str, Any]) -> None:
        for indicator in data["indicators"]:
            if indicator.get("source") == "kennzahlen":
                indicator["no_data"] = "breach"

    config = copy_demo(tmp_path, edit=missing_figures_breach)
    return config, load_definition(config)


def _told(store: Engine, kind: str) -> list[tuple[str, str, str]]:
    """(recipient, organisation, item) of the 2019-H2 notices of this kind in the notice log."""
    with SqlUnitOfWork.for_engine(store) as uow:
        query = select(NoticeLogRow.recipient, NoticeLogRow.scope_key, NoticeLogRow.item).where(
            NoticeLogRow.kind == kind, NoticeLogRow.occasion == KEY
        )
        return sorted((r, o, i) for r, o, i in uow.session.execute(query))


def test_lights_worse_for_a_missing_source_are_held_back_and_the_lead_told_once(
    store: Engine,
    programme: tuple[Path, ProgrammeDefinition],
    mail_server: MailServer,
    now: datetime,
) -> None:
    config, definition = programme

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(store)

    sender = AppriseSender(mail_url=mail_server.url())

    def tell() -> int:
        queued, _ = notify(
            definition,
            [],
            uow_factory=uow,
            leases_for=partial(OutboxLeases, uow),
            sender=sender,
            now=now,
            ui_url=None,
        )
        return queued

    collect_sources(definition, config, sources=indicator_sources(), uow_factory=uow, now=now)
    run_checkpoint(definition, uow=uow(), period="2019-H1", now=now, swing_guard=GUARD)
    tell()
    mail_server.messages.clear()
    mail_server.envelopes.clear()
    (config.parents[1] / "examples" / "digital-und-sozial" / "kennzahlen.csv").unlink()
    (gone,) = [
        c
        for c in collect_sources(
            definition,
            config,
            sources=indicator_sources(),
            uow_factory=uow,
            now=now,
            retry_delays=(),
        )
        if c.status == "failed"
    ]

    outcome = run_checkpoint(
        definition,
        uow=uow(),
        period="2019-H2",
        now=now,
        unavailable_sources=[gone.source],
        swing_guard=GUARD,
    )
    tell()
    rerun = run_checkpoint(
        definition,
        uow=uow(),
        period="2019-H2",
        now=now,
        unavailable_sources=[gone.source],
        swing_guard=GUARD,
    )
    queued_again = tell()

    lights = outcome.evaluation.by_organisation
    worse_told = {
        (org, item.removeprefix("light:")) for _, org, item in _told(store, "light_worse")
    }
    assert gone.source == "kennzahlen" and rerun.rerun
    # Only lights worse by their own figures are told; none worse for missing figures.
    assert worse_told and not any(lacks_data(lights[org][dim][1]) for org, dim in worse_told)
    (swing,) = _told(store, "light_swing")
    assert swing[0] == "projektleitung"  # the lead only, once
    lead = mail_server.by_recipient()["projektleitung@digital-und-sozial.example.org"]
    (about,) = [m for m in lead if "Ampeln zurückgehalten" in str(m["Subject"])]
    text = about.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "sind 14 von 38 Ampeln schlechter geworden, weil Daten fehlen" in text
    assert queued_again == 0  # the re-run tells nothing again
