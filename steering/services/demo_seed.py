"""Use case: give the demo programme realistic PDCA progress from its example figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.services.integration import complete_step
from steering.services.pdca import record_evidence

STEPS_INDICATOR = "treiberschritte"


def seed_progress(
    definition: ProgrammeDefinition,
    *,
    uow_factory: Callable[[], SqlUnitOfWork],
    now: datetime,
    period: str,
) -> int:
    """Complete as many steps per driver as each organisation reported; idempotent."""
    with uow_factory() as uow:
        frame = uow.repo.measurements_frame(definition.programme.id)
    reported = frame[(frame["indicator"] == STEPS_INDICATOR) & (frame["period"] == period)]
    steps_by_org = {
        str(org): min(int(value), len(definition.driver_integration.steps))
        for org, value in zip(reported["organisation"], reported["value"], strict=True)
    }
    completed = 0
    for organisation in definition.organisations:
        count = steps_by_org.get(organisation.id, 0)
        for driver in organisation.drivers:
            for step in range(1, count + 1):
                complete_step(
                    definition,
                    organisation.id,
                    driver.value,
                    step,
                    evidence_url=None,
                    uow=uow_factory(),
                    now=now,
                    actor="demo",
                )
                completed += 1
        if count >= 4:
            record_evidence(
                definition,
                organisation.id,
                "strategy_document",
                f"https://dms.example/{organisation.id}/digitalisierungsstrategie.pdf",
                uow=uow_factory(),
                now=now,
                actor="demo",
            )
    return completed
