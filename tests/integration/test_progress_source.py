"""The time light follows the steps: the built-in progress source, read by the checkpoint.

The programme is config/digital-und-sozial.yaml: its source `fortschritt` (kind: progress)
feeds `treiberschritte` (steps done per driver, at least 4 by 2019-H1 and 7 by 2019-H2), the
share of due steps done, overdue steps and days, and days the PDCA phase is overdue.
lebenshilfe-erfurt selected online platforms and AI; the integration starts on 2019-01-01
with the built-in 30-day steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from programmes import demo_definition
from sqlalchemy import Engine

from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.sources.result import ImportFailed
from steering.bootstrap import indicator_sources
from steering.services.checkpoints import run_checkpoint
from steering.services.importing import record_value
from steering.services.integration import complete_step, ensure_integrations
from steering.services.pdca import record_evidence

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
DEFINITION = demo_definition()
ORG = "lebenshilfe-erfurt"
DRIVERS = ("online_platforms", "ai")
START = date(2019, 1, 1)


@pytest.fixture
def uow(store: Engine) -> Iterator[SqlUnitOfWork]:
    yield SqlUnitOfWork.for_engine(store)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _time_light(uow: SqlUnitOfWork, period: str, on: date) -> tuple[str, dict[str, float]]:
    outcome = run_checkpoint(DEFINITION, uow=uow, period=period, now=_at(on))
    light, _ = outcome.evaluation.by_organisation[ORG]["time"]
    with uow:
        frame = uow.repo.measurements_frame(DEFINITION.programme.id)
    mine = frame[(frame["organisation"] == ORG) & (frame["period"] == period)]
    return light, dict(zip(mine["indicator"], mine["value"], strict=True))


def _complete(uow: SqlUnitOfWork, through: int, on: date) -> None:
    for driver in DRIVERS:
        for step in range(1, through + 1):
            complete_step(
                DEFINITION, ORG, driver, step, evidence_url=None, uow=uow, now=_at(on), actor="gf"
            )


@pytest.fixture(autouse=True)
def _planned(uow: SqlUnitOfWork) -> None:
    ensure_integrations(DEFINITION, uow=uow, today=START)


def test_completing_all_steps_turns_the_time_light_green_at_the_next_checkpoint(
    uow: SqlUnitOfWork,
) -> None:
    before, _ = _time_light(uow, "2019-H1", date(2019, 7, 15))

    _complete(uow, 12, date(2019, 9, 2))
    after, values = _time_light(uow, "2019-H2", date(2020, 1, 15))

    assert before == "red"
    assert after == "green"
    assert values["treiberschritte"] == 12
    assert values["treiberschritte-plantreue"] == 1.0
    assert values["ueberfaellige-schritte"] == 0


def test_the_figures_count_steps_due_by_the_period_end_and_how_late_they_are(
    uow: SqlUnitOfWork,
) -> None:
    # Step 1 of each driver was due on 31.01.2019; done on 01.03.2019, so step 2 is due on
    # 31.03.2019, step 3 on 30.04., step 4 on 30.05., step 5 on 29.06.2019.
    _complete(uow, 1, date(2019, 3, 1))

    light, values = _time_light(uow, "2019-H1", date(2019, 7, 15))

    assert light == "red"
    assert values["treiberschritte"] == 1
    assert values["ueberfaellige-schritte"] == 2 * 4
    assert values["schritte-tage-ueberfaellig"] == (date(2019, 6, 30) - date(2019, 3, 31)).days
    assert values["treiberschritte-plantreue"] == pytest.approx(2 / 10)


def test_steps_done_after_the_period_end_do_not_count_for_that_period(
    uow: SqlUnitOfWork,
) -> None:
    _complete(uow, 4, date(2019, 7, 10))

    _, values = _time_light(uow, "2019-H1", date(2019, 7, 15))

    assert values["treiberschritte"] == 0


def test_a_phase_running_past_its_duration_counts_its_days_overdue(uow: SqlUnitOfWork) -> None:
    # Cycle 1 starts in plan on 01.02.2019; plan lasts 120 days: due on 01.06.2019.
    record_evidence(
        DEFINITION, ORG, "note", "start", uow=uow, now=_at(date(2019, 2, 1)), actor="gf"
    )

    _, values = _time_light(uow, "2019-H1", date(2019, 7, 15))

    assert values["phase-tage-ueberfaellig"] == (date(2019, 6, 30) - date(2019, 6, 1)).days


def test_a_rerun_with_unchanged_steps_stores_no_new_values(uow: SqlUnitOfWork) -> None:
    _complete(uow, 2, date(2019, 2, 1))
    _time_light(uow, "2019-H1", date(2019, 7, 15))
    with uow:
        stored = uow.repo.count_measurements(DEFINITION.programme.id)

    _time_light(uow, "2019-H1", date(2019, 7, 15) + timedelta(days=1))

    with uow:
        assert uow.repo.count_measurements(DEFINITION.programme.id) == stored


def test_a_measured_figure_cannot_be_typed_in(uow: SqlUnitOfWork) -> None:
    with pytest.raises(ImportFailed) as refused:
        record_value(
            DEFINITION,
            sources=indicator_sources(),
            indicator="treiberschritte",
            organisation=ORG,
            period="2019-H2",
            value="12",
            note="",
            uow=uow,
            now=_at(date(2019, 12, 1)),
            actor="pl",
        )

    (error,) = refused.value.result.errors
    assert "misst der Checkpoint aus den Schritten (Quelle 'fortschritt')" in error.reason
