"""Use case: give the demo programme realistic PDCA progress from its example figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import complete_step as domain_complete
from steering.domain.integration import plan_driver
from steering.services.integration import local_today
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
    template = definition.driver_integration
    today = local_today(definition, now)
    # One transaction per organisation: the demo must stay quick on a fresh machine.
    for organisation in definition.organisations:
        count = steps_by_org.get(organisation.id, 0)
        if not count:
            continue
        with uow_factory() as uow:
            repo = ProgressRepository(uow.session, definition.programme.id)
            states = repo.steps(organisation.id)
            for driver in organisation.drivers:
                if not any(s.driver == driver.value for s in states):
                    states += plan_driver(template, organisation, driver.value, today)
                for step in range(1, count + 1):
                    states, _ = domain_complete(
                        states, driver.value, step, on=today, template=template
                    )
                    completed += 1
            repo.save_steps(organisation.id, states, now=now)
            uow.repo.audit(
                actor="demo",
                action="demo-progress-seeded",
                subject_type="organisation",
                subject_id=organisation.id,
                details={"steps_per_driver": count},
                now=now,
            )
            uow.commit()
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
