"""The naive design the checkpoint avoids: one Prefect task per organisation x indicator."""

from __future__ import annotations

import math

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import common


@task(cache_policy=NO_CACHE)
def judge(value: float, lower: float | None, upper: float | None) -> str:
    """Compare one value with its target (the whole per-task job)."""
    if math.isnan(value):
        return "no_data"
    if lower is not None and value < lower:
        return "red"
    if upper is not None and value > upper:
        return "red"
    return "green"


@flow(name="naive-checkpoint")
def naive_checkpoint(config: str, period: str, organisations: int) -> int:
    """Evaluate every organisation x indicator in its own task."""
    definition = common.definition(config)
    with common.wiring().uow() as uow:
        frame = uow.repo.measurements_frame(definition.programme.id)
    frame = frame[frame["period"] == period].set_index(["indicator", "organisation"])["value"]
    futures = []
    for org in [o.id for o in definition.organisations][:organisations]:
        for indicator in definition.indicators:
            lower, upper = indicator.targets[0].bounds()
            value = float(frame.get((indicator.key, org), math.nan))
            futures.append(judge.submit(value, lower, upper))
    return len([f.result() for f in futures])
