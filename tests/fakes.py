"""In-memory fakes of the store ports (steering/ports/store.py): service tests without a database.

A `FakeDatabase` holds the tables as plain Python values; every `FakeUnitOfWork` over it is one
transaction: what it changed is kept on `commit()` and dropped when it leaves without one, as
the SQL unit of work does. The fakes cover the programme's organisations, the audit log, the
lead's decisions, the driver integration and PDCA cycles (all of `ProgressStore`) and the
pending notices; a part not faked yet says so (NotImplementedError) instead of guessing.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from types import TracebackType
from typing import Any, Self

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Organisation
from steering.domain.integration import StepState, StepStatus
from steering.domain.pdca import Cycle, Transition
from steering.domain.vocabulary import Phase
from steering.ports import StoreUnavailable

StepKey = tuple[str, int, str, int]  # organisation, cycle, driver, step


class NotFaked(NotImplementedError):
    """A port method the fakes do not cover yet: use the real store (tests/integration)."""


@dataclass
class StepRow:
    """One step of one pass, as the store keeps it (with when it opened and was done)."""

    status: str = StepStatus.LOCKED.value
    owner: str | None = None
    due_date: date | None = None
    evidence_url: str | None = None
    opened_at: datetime | None = None
    done_at: datetime | None = None
    # subtask index -> (done, when it was ticked)
    ticks: dict[int, tuple[bool, datetime | None]] = field(default_factory=dict)


@dataclass
class CycleRow:
    """One PDCA cycle of an organisation."""

    organisation_id: str
    number: int
    phase: str
    started_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class EvidenceEntry:
    """A piece of evidence (the shape of ports.records.EvidenceRecord)."""

    id: int
    programme_id: str
    organisation_id: str
    cycle_number: int
    kind: str
    reference: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """An entry of the audit log."""

    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]


@dataclass(frozen=True)
class LeadDecision:
    """The lead's decision (the shape of ports.records.LeadDecisionRecord)."""

    id: int
    programme_id: str
    organisation_id: str
    period: str
    decision: str
    comment: str
    decided_by: str
    decided_at: datetime
    review: str | None = None
    reference: str | None = None


@dataclass
class ProgrammeTables:
    """One programme's rows."""

    organisations: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[StepKey, StepRow] = field(default_factory=dict)
    cycles: list[CycleRow] = field(default_factory=list)
    transitions: list[tuple[CycleRow, Transition]] = field(default_factory=list)
    evidence: list[EvidenceEntry] = field(default_factory=list)
    lead_decisions: list[LeadDecision] = field(default_factory=list)
    # id -> (checkpoint key, notices, queued at)
    pending: dict[int, tuple[str, list[dict[str, Any]], datetime | None]] = field(
        default_factory=dict
    )
    # id -> (the (organisation, item) pairs the message tells of, status)
    outbox: dict[int, tuple[frozenset[tuple[str, str]], str]] = field(default_factory=dict)


@dataclass
class FakeDatabase:
    """The whole store in memory: programme tables, the audit log and an id counter."""

    programmes: dict[str, ProgrammeTables] = field(default_factory=dict)
    audit_log: list[AuditEntry] = field(default_factory=list)
    last_id: int = 0

    def programme(self, programme_id: str) -> ProgrammeTables:
        """The programme's tables (empty ones the first time)."""
        return self.programmes.setdefault(programme_id, ProgrammeTables())

    def next_id(self) -> int:
        """A new row id (ids only grow, as in the real store)."""
        self.last_id += 1
        return self.last_id

    def actions(self) -> list[str]:
        """The audited actions, oldest first."""
        return [entry.action for entry in self.audit_log]

    def seed(self, definition: ProgrammeDefinition, now: datetime) -> FakeUnitOfWork:
        """Store the definition's organisations (as a checkpoint or `steer step` would)."""
        uow = FakeUnitOfWork(self)
        with uow:
            uow.repo.sync_organisations(definition.programme.id, definition.organisations, now)
            uow.commit()
        return uow


class FakeStore:
    """The programme-state part of `Store`: organisations, lead decisions, the audit log."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def sync_organisations(
        self, programme_id: str, organisations: Sequence[Organisation], now: datetime
    ) -> None:
        """Insert or update the configured organisations; ones no longer listed go inactive."""
        stored = self.db.programme(programme_id).organisations
        listed = {org.id for org in organisations}
        for org in organisations:
            stored[org.id] = {"name": org.name, "active": org.active, "synced_at": now}
        for org_id, row in stored.items():
            if org_id not in listed:
                row.update(active=False, synced_at=now)

    def knows_organisations(self, programme_id: str, organisation_ids: Iterable[str]) -> bool:
        """Whether every one of these organisations is stored for the programme."""
        stored = self.db.programme(programme_id).organisations
        return all(org_id in stored for org_id in organisation_ids)

    def flush(self) -> None:
        """Nothing waits: the fake writes at once."""

    def active_organisation_ids(self, programme_id: str) -> list[str]:
        """Ids of the programme's active organisations, sorted."""
        stored = self.db.programme(programme_id).organisations
        return sorted(org_id for org_id, row in stored.items() if row["active"])

    def lead_decisions(
        self, programme_id: str, *, period: str | None = None
    ) -> Sequence[LeadDecision]:
        """The lead's decisions (of one period, if given), oldest period first."""
        rows = self.db.programme(programme_id).lead_decisions
        chosen = [row for row in rows if period is None or row.period == period]
        return sorted(chosen, key=lambda row: (row.period, row.id))

    def aborted_organisations(
        self, programme_id: str, *, before: str | None = None
    ) -> Mapping[str, LeadDecision]:
        """Organisations whose latest lead decision (in a period before `before`) is 'abort'."""
        latest: dict[str, LeadDecision] = {}
        for row in self.lead_decisions(programme_id):
            if before is None or row.period < before:
                latest[row.organisation_id] = row
        return {org: row for org, row in latest.items() if row.decision == "abort"}

    def audit(
        self,
        *,
        actor: str,
        action: str,
        subject_type: str,
        subject_id: str,
        details: dict[str, Any],
        now: datetime,
    ) -> None:
        """Append an entry to the audit log."""
        self.db.audit_log.append(
            AuditEntry(now, actor, action, subject_type, subject_id, copy.deepcopy(details))
        )

    def __getattr__(self, name: str) -> Any:
        raise NotFaked(f"Store.{name} is not faked yet; test it on the real store")


class FakeProgressStore:
    """`ProgressStore` in memory: steps in passes per cycle, cycles, evidence, transitions."""

    def __init__(self, db: FakeDatabase, programme_id: str) -> None:
        self.db = db
        self.programme_id = programme_id
        self.tables = db.programme(programme_id)

    # steps -------------------------------------------------------------------------
    def newest_passes(self, organisation_ids: Sequence[str] | None) -> dict[str, int]:
        """The cycle of each organisation's newest pass of the steps."""
        newest: dict[str, int] = {}
        for org, cycle, _, _ in self.tables.steps:
            if organisation_ids is None or org in organisation_ids:
                newest[org] = max(cycle, newest.get(org, cycle))
        return newest

    def steps_by_organisation(
        self,
        organisation_ids: Sequence[str] | None = None,
        *,
        tz: tzinfo = UTC,
        cycle: int | None = None,
    ) -> dict[str, list[StepState]]:
        """Step states per organisation of its newest pass (or of `cycle`), by driver and step."""
        wanted = self.newest_passes(organisation_ids)
        found: dict[str, list[StepState]] = {}
        for (org, number, driver, step), row in sorted(
            self.tables.steps.items(), key=lambda item: (item[0][0], item[0][2], item[0][3])
        ):
            if organisation_ids is not None and org not in organisation_ids:
                continue
            if number != (wanted.get(org) if cycle is None else cycle):
                continue
            count = max(row.ticks, default=-1) + 1
            found.setdefault(org, []).append(
                StepState(
                    driver=driver,
                    step=step,
                    status=StepStatus(row.status),
                    owner=row.owner,
                    due_date=row.due_date,
                    evidence_url=row.evidence_url,
                    done_at=None if row.done_at is None else row.done_at.astimezone(tz).date(),
                    subtasks_done=tuple(row.ticks.get(i, (False, None))[0] for i in range(count)),
                )
            )
        return found

    def steps(
        self, organisation_id: str, *, tz: tzinfo = UTC, cycle: int | None = None
    ) -> list[StepState]:
        """The step states of one organisation, all drivers, newest pass (or of `cycle`)."""
        return self.steps_by_organisation([organisation_id], tz=tz, cycle=cycle).get(
            organisation_id, []
        )

    def step_passes(self, organisation_id: str) -> list[int]:
        """The cycles in which the organisation has a pass of the steps, oldest first."""
        return sorted({cycle for org, cycle, _, _ in self.tables.steps if org == organisation_id})

    def planned_drivers(self) -> set[tuple[str, str, int]]:
        """(organisation, driver, cycle) triples that have steps stored in this programme."""
        return {(org, driver, cycle) for org, cycle, driver, _ in self.tables.steps}

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
        changed = 0
        for state in wanted:
            key = (organisation_id, cycle, state.driver, state.step)
            row = self.tables.steps.setdefault(key, StepRow())
            before = (row.status, row.owner, row.due_date, row.evidence_url)
            status = state.status.value
            if status != StepStatus.LOCKED and row.opened_at is None:
                row.opened_at = now
            if status == StepStatus.DONE and row.status != StepStatus.DONE:
                row.done_at = now
            if status != StepStatus.DONE:
                row.done_at = None
            row.status, row.owner = status, state.owner
            row.due_date, row.evidence_url = state.due_date, state.evidence_url
            changed += int(before != (row.status, row.owner, row.due_date, row.evidence_url))
            for index, done in enumerate(state.subtasks_done):
                was, _ = row.ticks.setdefault(index, (False, None))
                if was != done:
                    row.ticks[index] = (done, now if done else None)
        return changed

    # cycles ------------------------------------------------------------------------
    def _cycles(self, organisation_id: str) -> list[CycleRow]:
        return sorted(
            (c for c in self.tables.cycles if c.organisation_id == organisation_id),
            key=lambda c: c.number,
        )

    def find_cycle(self, organisation_id: str) -> Cycle | None:
        """The organisation's newest cycle, if it has one."""
        cycles = self._cycles(organisation_id)
        return Cycle(cycles[-1].number, Phase(cycles[-1].phase)) if cycles else None

    def newest_cycles(self, organisation_ids: Sequence[str]) -> dict[str, Cycle]:
        """Each organisation's newest cycle, for those that have one."""
        found = {org: self.find_cycle(org) for org in organisation_ids}
        return {org: cycle for org, cycle in found.items() if cycle is not None}

    def phase_starts(self, organisation_ids: Sequence[str]) -> dict[str, datetime]:
        """When each organisation's newest cycle entered its current phase."""
        starts: dict[str, datetime] = {}
        for org in organisation_ids:
            cycles = self._cycles(org)
            if not cycles:
                continue
            newest = cycles[-1]
            starts[org] = newest.started_at
            for row, move in sorted(self.tables.transitions, key=lambda t: t[1].at):
                if row is newest and move.to_phase.value == newest.phase:
                    starts[org] = move.at
        return starts

    def current_cycle(self, organisation_id: str, *, now: datetime) -> Cycle:
        """The organisation's newest cycle; cycle 1 in plan is started if it has none."""
        found = self.find_cycle(organisation_id)
        if found is not None:
            return found
        if organisation_id not in self.tables.organisations:
            raise LookupError(f"{organisation_id} is not stored (sync the organisations first)")
        self.tables.cycles.append(CycleRow(organisation_id, 1, Phase.PLAN.value, now))
        return Cycle(1, Phase.PLAN)

    def current_cycles(self, organisation_ids: Sequence[str], *, now: datetime) -> dict[str, Cycle]:
        """The newest cycle of each organisation, starting cycle 1 where there is none."""
        return {org: self.current_cycle(org, now=now) for org in organisation_ids}

    # evidence ----------------------------------------------------------------------
    def evidence(self, organisation_id: str, cycle_number: int) -> Sequence[EvidenceEntry]:
        """The evidence recorded for one cycle, oldest first."""
        return sorted(
            (
                e
                for e in self.tables.evidence
                if e.organisation_id == organisation_id and e.cycle_number == cycle_number
            ),
            key=lambda e: (e.recorded_at, e.id),
        )

    def evidence_kinds(self, organisation_id: str, cycle_number: int) -> set[str]:
        """The kinds of evidence recorded in one cycle."""
        return {e.kind for e in self.evidence(organisation_id, cycle_number)}

    def evidence_kinds_by_cycle(
        self, organisation_ids: Sequence[str]
    ) -> dict[tuple[str, int], set[str]]:
        """Recorded evidence kinds per (organisation, cycle number)."""
        kinds: dict[tuple[str, int], set[str]] = {}
        for e in self.tables.evidence:
            if e.organisation_id in organisation_ids:
                kinds.setdefault((e.organisation_id, e.cycle_number), set()).add(e.kind)
        return kinds

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
        if any(
            (e.kind, e.reference) == (kind, reference)
            for e in self.evidence(organisation_id, cycle_number)
        ):
            return False
        self.tables.evidence.append(
            EvidenceEntry(
                self.db.next_id(),
                self.programme_id,
                organisation_id,
                cycle_number,
                kind,
                reference,
                actor,
                now,
            )
        )
        return True

    # transitions -------------------------------------------------------------------
    def append_transition(self, transition: Transition) -> None:
        """Record a transition and move the cycle; act -> plan closes it and starts the next."""
        (row,) = (
            c for c in self._cycles(transition.organisation_id) if c.number == transition.cycle
        )
        if row.phase != transition.from_phase.value or row.closed_at is not None:
            raise ValueError(
                f"cycle {row.number} of {row.organisation_id} is in {row.phase}, "
                f"not {transition.from_phase.value}"
            )
        self.tables.transitions.append((row, transition))
        if transition.starts_cycle:
            row.closed_at = transition.at
            self.tables.cycles.append(
                CycleRow(row.organisation_id, row.number + 1, Phase.PLAN.value, transition.at)
            )
        else:
            row.phase = transition.to_phase.value

    def transitions(self, organisation_id: str) -> list[Transition]:
        """The organisation's phase transitions over all cycles, oldest first."""
        mine = [t for row, t in self.tables.transitions if row.organisation_id == organisation_id]
        return sorted(mine, key=lambda t: t.at)


class FakePendingNoticeStore:
    """`PendingNoticeStore` in memory."""

    def __init__(self, db: FakeDatabase, keys: Mapping[int, str]) -> None:
        self.db = db
        self.keys = keys  # checkpoint id -> key

    def replace(
        self, checkpoint_id: int, programme_id: str, notices: list[dict[str, Any]], now: datetime
    ) -> None:
        """Store what the checkpoint has to tell, replacing what an earlier run stored."""
        pending = self.db.programme(programme_id).pending
        key = self.keys.get(checkpoint_id, str(checkpoint_id))
        for pending_id in [i for i, (k, _, _) in pending.items() if k == key]:
            del pending[pending_id]
        pending[self.db.next_id()] = (key, copy.deepcopy(notices), None)

    def unqueued(self, programme_id: str) -> list[tuple[int, str, list[dict[str, Any]]]]:
        """(id, checkpoint key, notices) of every checkpoint not queued yet, oldest first."""
        pending = self.db.programme(programme_id).pending
        return [
            (i, key, list(notices))
            for i, (key, notices, queued) in sorted(pending.items())
            if queued is None
        ]

    def mark_queued(self, ids: Iterable[int], now: datetime) -> None:
        """These checkpoints' notices are all in the outbox or the notice log."""
        for tables in self.db.programmes.values():
            for i in set(ids) & set(tables.pending):
                key, notices, queued = tables.pending[i]
                tables.pending[i] = (key, notices, queued or now)


class FakeOutboxStore:
    """The part of `OutboxStore` a finished step needs: dropping its unsent reminders."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def drop_unsent(self, programme_id: str, organisation: str, item: str, now: datetime) -> int:
        """Drop pending messages whose every notice is about this item; how many."""
        outbox = self.db.programme(programme_id).outbox
        dropped = [
            i
            for i, (about, status) in outbox.items()
            if status == "pending" and about == {(organisation, item)}
        ]
        for i in dropped:
            outbox[i] = (outbox[i][0], "dropped")
        return len(dropped)

    def __getattr__(self, name: str) -> Any:
        raise NotFaked(f"OutboxStore.{name} is not faked yet; test it on the real store")


class FakeUnitOfWork:
    """One transaction over a `FakeDatabase`: kept on commit, dropped on leaving without."""

    refused: tuple[type[Exception], ...] = ()

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._committed: bytes | None = None  # the database as of the last commit, pickled
        self.checkpoint_keys: dict[int, str] = {}

    @property
    def repo(self) -> FakeStore:
        """The programme state, in this transaction."""
        return FakeStore(self.db)

    @property
    def pending(self) -> FakePendingNoticeStore:
        """Notices that wait to be queued, in this transaction."""
        return FakePendingNoticeStore(self.db, self.checkpoint_keys)

    @property
    def outbox(self) -> FakeOutboxStore:
        """The outbox, in this transaction (only dropping a done step's reminders is faked)."""
        return FakeOutboxStore(self.db)

    @property
    def privacy(self) -> Any:
        """Not faked yet: privacy runs on the real store (tests/integration)."""
        raise NotFaked("the privacy store is not faked yet")

    def progress(self, programme_id: str) -> FakeProgressStore:
        """One programme's steps, cycles, evidence and transitions, in this transaction."""
        return FakeProgressStore(self.db, programme_id)

    def __enter__(self) -> Self:
        self.commit()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
        self._committed = None

    def store_fault(self, error: BaseException) -> StoreUnavailable | None:
        """An in-memory store never fails."""
        return None

    def commit(self) -> None:
        """Keep what this transaction wrote."""
        # Pickling copies the tables several times faster than deepcopy, links kept.
        self._committed = pickle.dumps(self.db.__dict__)

    def rollback(self) -> None:
        """Drop what was written since the last commit."""
        if self._committed is not None:
            self.db.__dict__.update(pickle.loads(self._committed))

    @contextmanager
    def serialised(self, subject: str) -> Iterator[Self]:
        """One writer at a time: a test runs in one thread, so the transaction is enough."""
        with self:
            yield self
