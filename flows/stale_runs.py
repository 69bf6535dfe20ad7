"""Runs whose process was killed (kill -9, OOM) stay Running in Prefect: mark them Crashed."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from prefect import get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterStartTime,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.runtime import flow_run
from prefect.states import Crashed


def crash_stale_runs(flow_name: str, current: UUID, *, older_than: timedelta) -> list[str]:
    """Mark Running runs of `flow_name` that started `older_than` before `current` Crashed.

    Nothing ends such a run otherwise: its process is gone and no worker watches an
    in-process run. Times are the Prefect server's, like the runs' own start times.
    """
    with get_client(sync_client=True) as client:
        me = client.read_flow_run(current)
        started = me.start_time or me.expected_start_time
        if started is None:
            return []
        stale = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING])),
                start_time=FlowRunFilterStartTime(before_=started - older_than),
            ),
        )
        crashed = []
        for run in stale:
            if run.id == current:
                continue
            since = f"{run.start_time:%Y-%m-%d %H:%M} UTC" if run.start_time else "?"
            message = (
                f"Als abgestürzt markiert von Lauf {me.name}: läuft seit {since} ohne Ende, "
                "sein Prozess wurde beendet (kill -9, Speichermangel)."
            )
            client.set_flow_run_state(run.id, Crashed(message=message), force=True)
            crashed.append(run.name)
    return crashed


def clear_stale_runs(flow_name: str, minutes: float) -> None:
    """Earlier runs of the flow whose process was killed are shown as Crashed from now on."""
    run_id = flow_run.get_id()
    if not run_id:
        return
    logger = get_run_logger()
    try:
        crashed = crash_stale_runs(
            flow_name, UUID(str(run_id)), older_than=timedelta(minutes=minutes)
        )
    except Exception as failure:  # housekeeping only: the run itself goes on
        logger.warning("Hängende Läufe nicht geprüft: %s", failure)
        return
    for name in crashed:
        logger.warning("Lauf %s lief ohne Ende (Prozess beendet): als abgestürzt markiert", name)
