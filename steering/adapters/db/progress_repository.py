"""Queries and writes of step progress, PDCA cycles, evidence and phase transitions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steering.adapters.db.models import (
    EvidenceRow,
    PdcaCycleRow,
    PhaseTransitionRow,
    StepProgressRow,
    SubtaskStatusRow,
)
from steering.domain.integration import StepState, StepStatus
from steering.domain.pdca import Cycle, Transition
from steering.domain.vocabulary import Phase

PassKey = tuple[str, int, str, int]  # organisation, cycle, driver, step


def _day(moment: datetime | None, tz: tzinfo) -> date | None:
    return None if moment is None else moment.astimezone(tz).date()


class ProgressRepository:
    """The store of one programme's driver integration and PDCA cycles, over one session.

    Everything is keyed by programme: another programme's organisation with the same id is
    another organisation. Steps come in passes, one per PDCA cycle; reads give the newest pass.
    """

    def __init__(self, session: Session, programme_id: str) -> None:
        self.session = session
        self.programme_id = programme_id

    # steps -------------------------------------------------------------------------
    def newest_passes(self, organisation_ids: Sequence[str] | None) -> dict[str, int]:
        """The cycle of each organisation's newest pass of the steps."""
        query = (
            select(StepProgressRow.organisation_id, func.max(StepProgressRow.cycle))
            .where(StepProgressRow.programme_id == self.programme_id)
            .group_by(StepProgressRow.organisation_id)
        )
        if organisation_ids is not None:
            query = query.where(StepProgressRow.organisation_id.in_(organisation_ids))
        return {org: int(cycle) for org, cycle in self.session.execute(query)}

    def steps_by_organisation(
        self,
        organisation_ids: Sequence[str] | None = None,
        *,
        tz: tzinfo = UTC,
        cycle: int | None = None,
    ) -> dict[str, list[StepState]]:
        """Step states per organisation of its newest pass (or of `cycle`), by driver and step."""
        steps = select(StepProgressRow).where(StepProgressRow.programme_id == self.programme_id)
        ticks = select(SubtaskStatusRow).where(SubtaskStatusRow.programme_id == self.programme_id)
        if organisation_ids is not None:
            steps = steps.where(StepProgressRow.organisation_id.in_(organisation_ids))
            ticks = ticks.where(SubtaskStatusRow.organisation_id.in_(organisation_ids))
        if cycle is not None:
            steps = steps.where(StepProgressRow.cycle == cycle)
            ticks = ticks.where(SubtaskStatusRow.cycle == cycle)
            wanted: dict[str, int] = {}
        else:
            wanted = self.newest_passes(organisation_ids)
        subtasks: dict[PassKey, dict[int, bool]] = defaultdict(dict)
        for tick in self.session.scalars(ticks):
            key = (tick.organisation_id, tick.cycle, tick.driver, tick.step)
            subtasks[key][tick.subtask_index] = tick.done
        result: dict[str, list[StepState]] = defaultdict(list)
        rows = self.session.scalars(
            steps.order_by(
                StepProgressRow.organisation_id, StepProgressRow.driver, StepProgressRow.step
            )
        )
        for row in rows:
            if cycle is None and row.cycle != wanted.get(row.organisation_id):
                continue
            marks = subtasks.get((row.organisation_id, row.cycle, row.driver, row.step), {})
            count = max(marks, default=-1) + 1
            result[row.organisation_id].append(
                StepState(
                    driver=row.driver,
                    step=row.step,
                    status=StepStatus(row.status),
                    owner=row.owner,
                    due_date=row.due_date,
                    evidence_url=row.evidence_url,
                    done_at=_day(row.done_at, tz),
                    subtasks_done=tuple(marks.get(i, False) for i in range(count)),
                )
            )
        return dict(result)

    def steps(
        self, organisation_id: str, *, tz: tzinfo = UTC, cycle: int | None = None
    ) -> list[StepState]:
        """The step states of one organisation, all drivers, newest pass (or of `cycle`)."""
        found = self.steps_by_organisation([organisation_id], tz=tz, cycle=cycle)
        return found.get(organisation_id, [])

    def step_passes(self, organisation_id: str) -> list[int]:
        """The cycles in which the organisation has a pass of the steps, oldest first."""
        query = (
            select(StepProgressRow.cycle)
            .where(
                StepProgressRow.programme_id == self.programme_id,
                StepProgressRow.organisation_id == organisation_id,
            )
            .distinct()
            .order_by(StepProgressRow.cycle)
        )
        return list(self.session.scalars(query))

    def planned_drivers(self) -> set[tuple[str, str, int]]:
        """(organisation, driver, cycle) triples that have steps stored in this programme."""
        query = (
            select(StepProgressRow.organisation_id, StepProgressRow.driver, StepProgressRow.cycle)
            .where(StepProgressRow.programme_id == self.programme_id)
            .distinct()
        )
        return {(org, driver, cycle) for org, driver, cycle in self.session.execute(query)}

    def save_steps(
        self,
        organisation_id: str,
        states: Iterable[StepState],
        *,
        now: datetime,
        cycle: int | None = None,
    ) -> int:
        """Insert or update step states and their ticks in a pass (default: the newest one)."""
        wanted = list(states)
        if not wanted:
            return 0
        if cycle is None:
            cycle = self.newest_passes([organisation_id]).get(organisation_id, 1)
        drivers = sorted({s.driver for s in wanted})
        rows = {
            (row.driver, row.step): row
            for row in self.session.scalars(
                select(StepProgressRow).where(
                    StepProgressRow.programme_id == self.programme_id,
                    StepProgressRow.organisation_id == organisation_id,
                    StepProgressRow.cycle == cycle,
                    StepProgressRow.driver.in_(drivers),
                )
            )
        }
        ticks = {
            (tick.driver, tick.step, tick.subtask_index): tick
            for tick in self.session.scalars(
                select(SubtaskStatusRow).where(
                    SubtaskStatusRow.programme_id == self.programme_id,
                    SubtaskStatusRow.organisation_id == organisation_id,
                    SubtaskStatusRow.cycle == cycle,
                    SubtaskStatusRow.driver.in_(drivers),
                )
            )
        }
        changed = 0
        for state in wanted:
            row = rows.get((state.driver, state.step))
            if row is None:
                row = StepProgressRow(
                    programme_id=self.programme_id,
                    organisation_id=organisation_id,
                    cycle=cycle,
                    driver=state.driver,
                    step=state.step,
                )
                self.session.add(row)
            changed += self._update_step(row, state, now)
            for index, done in enumerate(state.subtasks_done):
                tick = ticks.get((state.driver, state.step, index))
                if tick is None:
                    tick = SubtaskStatusRow(
                        programme_id=self.programme_id,
                        organisation_id=organisation_id,
                        cycle=cycle,
                        driver=state.driver,
                        step=state.step,
                        subtask_index=index,
                        done=False,
                    )
                    self.session.add(tick)
                if tick.done != done:
                    tick.done = done
                    tick.done_at = now if done else None
        self.session.flush()
        return changed

    @staticmethod
    def _update_step(row: StepProgressRow, state: StepState, now: datetime) -> int:
        before = (row.status, row.owner, row.due_date, row.evidence_url)
        status = state.status.value
        if status != StepStatus.LOCKED and row.opened_at is None:
            row.opened_at = now
        if status == StepStatus.DONE and row.status != StepStatus.DONE:
            row.done_at = now
        if status != StepStatus.DONE:
            row.done_at = None
        row.status = status
        row.owner = state.owner
        row.due_date = state.due_date
        row.evidence_url = state.evidence_url
        return int(before != (row.status, row.owner, row.due_date, row.evidence_url))

    # cycles ------------------------------------------------------------------------
    def _cycle_row(self, organisation_id: str) -> PdcaCycleRow | None:
        return self.session.scalars(
            select(PdcaCycleRow)
            .where(
                PdcaCycleRow.programme_id == self.programme_id,
                PdcaCycleRow.organisation_id == organisation_id,
            )
            .order_by(PdcaCycleRow.number.desc())
        ).first()

    def find_cycle(self, organisation_id: str) -> Cycle | None:
        """The organisation's newest cycle, if it has one."""
        row = self._cycle_row(organisation_id)
        return None if row is None else Cycle(row.number, Phase(row.phase))

    def newest_cycles(self, organisation_ids: Sequence[str]) -> dict[str, Cycle]:
        """Each organisation's newest cycle, for those that have one (one query, no writes)."""
        newest: dict[str, Cycle] = {}
        query = select(PdcaCycleRow.organisation_id, PdcaCycleRow.number, PdcaCycleRow.phase).where(
            PdcaCycleRow.programme_id == self.programme_id,
            PdcaCycleRow.organisation_id.in_(organisation_ids),
        )
        for org, number, phase in self.session.execute(query):
            if org not in newest or newest[org].number < number:
                newest[org] = Cycle(number, Phase(phase))
        return newest

    def phase_starts(self, organisation_ids: Sequence[str]) -> dict[str, datetime]:
        """When each organisation's newest cycle entered its current phase."""
        cycles = (
            select(PdcaCycleRow)
            .where(
                PdcaCycleRow.programme_id == self.programme_id,
                PdcaCycleRow.organisation_id.in_(organisation_ids),
            )
            .order_by(PdcaCycleRow.organisation_id, PdcaCycleRow.number)
        )
        newest = {row.organisation_id: row for row in self.session.scalars(cycles)}
        starts = {org: row.started_at for org, row in newest.items()}
        ids = {row.id: row for row in newest.values()}
        moves = (
            select(PhaseTransitionRow)
            .where(PhaseTransitionRow.cycle_id.in_(list(ids)))
            .order_by(PhaseTransitionRow.at, PhaseTransitionRow.id)
        )
        for move in self.session.scalars(moves):
            row = ids[move.cycle_id]
            if move.to_phase == row.phase:
                starts[row.organisation_id] = move.at
        return starts

    def current_cycle(self, organisation_id: str, *, now: datetime) -> Cycle:
        """The organisation's newest cycle; cycle 1 in plan is started if it has none.

        The organisation must be synced into the store first (cycles refer to it).
        """
        found = self.find_cycle(organisation_id)
        if found is not None:
            return found
        self.session.add(
            PdcaCycleRow(
                programme_id=self.programme_id,
                organisation_id=organisation_id,
                number=1,
                phase="plan",
                started_at=now,
            )
        )
        self.session.flush()
        return Cycle(1, Phase.PLAN)

    def current_cycles(self, organisation_ids: Sequence[str], *, now: datetime) -> dict[str, Cycle]:
        """The newest cycle of each organisation, starting cycle 1 where there is none."""
        newest = self.newest_cycles(organisation_ids)
        for org in organisation_ids:
            if org not in newest:
                newest[org] = self.current_cycle(org, now=now)
        return newest

    # evidence ----------------------------------------------------------------------
    def evidence(self, organisation_id: str, cycle_number: int) -> list[EvidenceRow]:
        """The evidence recorded for one cycle, oldest first."""
        return list(
            self.session.scalars(
                select(EvidenceRow)
                .where(
                    EvidenceRow.programme_id == self.programme_id,
                    EvidenceRow.organisation_id == organisation_id,
                    EvidenceRow.cycle_number == cycle_number,
                )
                .order_by(EvidenceRow.recorded_at, EvidenceRow.id)
            )
        )

    def evidence_kinds(self, organisation_id: str, cycle_number: int) -> set[str]:
        """The kinds of evidence recorded in one cycle."""
        return {row.kind for row in self.evidence(organisation_id, cycle_number)}

    def evidence_kinds_by_cycle(
        self, organisation_ids: Sequence[str]
    ) -> dict[tuple[str, int], set[str]]:
        """Recorded evidence kinds per (organisation, cycle number)."""
        query = select(
            EvidenceRow.organisation_id, EvidenceRow.cycle_number, EvidenceRow.kind
        ).where(
            EvidenceRow.programme_id == self.programme_id,
            EvidenceRow.organisation_id.in_(organisation_ids),
        )
        kinds: dict[tuple[str, int], set[str]] = defaultdict(set)
        for org, number, kind in self.session.execute(query):
            kinds[(org, number)].add(kind)
        return dict(kinds)

    def record_evidence(
        self,
        organisation_id: str,
        cycle_number: int,
        kind: str,
        reference: str,
        *,
        actor: str,
        now: datetime,
    ) -> bool:
        """Store a piece of evidence; the same kind and reference in a cycle is stored once."""
        existing = self.session.scalars(
            select(EvidenceRow.id).where(
                EvidenceRow.programme_id == self.programme_id,
                EvidenceRow.organisation_id == organisation_id,
                EvidenceRow.cycle_number == cycle_number,
                EvidenceRow.kind == kind,
                EvidenceRow.reference == reference,
            )
        ).first()
        if existing is not None:
            return False
        self.session.add(
            EvidenceRow(
                programme_id=self.programme_id,
                organisation_id=organisation_id,
                cycle_number=cycle_number,
                kind=kind,
                reference=reference,
                recorded_by=actor,
                recorded_at=now,
            )
        )
        self.session.flush()
        return True

    # transitions -------------------------------------------------------------------
    def append_transition(self, transition: Transition) -> None:
        """Record a transition and move the cycle; act -> plan closes it and starts the next."""
        row = self.session.scalars(
            select(PdcaCycleRow).where(
                PdcaCycleRow.programme_id == self.programme_id,
                PdcaCycleRow.organisation_id == transition.organisation_id,
                PdcaCycleRow.number == transition.cycle,
            )
        ).one()
        if row.phase != transition.from_phase.value or row.closed_at is not None:
            raise ValueError(
                f"cycle {row.number} of {row.organisation_id} is in {row.phase}, "
                f"not {transition.from_phase.value}"
            )
        self.session.add(
            PhaseTransitionRow(
                cycle_id=row.id,
                from_phase=transition.from_phase.value,
                to_phase=transition.to_phase.value,
                actor=transition.actor,
                reason=transition.reason,
                evidence=list(transition.evidence),
                override=transition.override,
                at=transition.at,
            )
        )
        if transition.starts_cycle:
            row.closed_at = transition.at
            self.session.add(
                PdcaCycleRow(
                    programme_id=self.programme_id,
                    organisation_id=row.organisation_id,
                    number=row.number + 1,
                    phase=Phase.PLAN.value,
                    started_at=transition.at,
                )
            )
        else:
            row.phase = transition.to_phase.value
        self.session.flush()

    def transitions(self, organisation_id: str) -> list[Transition]:
        """The organisation's phase transitions over all cycles, oldest first."""
        query = (
            select(PhaseTransitionRow, PdcaCycleRow.number)
            .join(PdcaCycleRow, PhaseTransitionRow.cycle_id == PdcaCycleRow.id)
            .where(
                PdcaCycleRow.programme_id == self.programme_id,
                PdcaCycleRow.organisation_id == organisation_id,
            )
            .order_by(PhaseTransitionRow.at, PhaseTransitionRow.id)
        )
        return [
            Transition(
                organisation_id=organisation_id,
                cycle=number,
                from_phase=Phase(row.from_phase or row.to_phase),
                to_phase=Phase(row.to_phase),
                actor=row.actor,
                reason=row.reason,
                evidence=tuple(row.evidence),
                override=row.override,
                at=row.at,
            )
            for row, number in self.session.execute(query)
        ]
