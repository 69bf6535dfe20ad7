"""The store's ports: a unit of work and the repositories it hands out, as services use them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, tzinfo
from types import TracebackType
from typing import Any, Protocol, Self

import pandas as pd

from steering.domain.definition.organisations import Organisation
from steering.domain.integration import StepState
from steering.domain.notifications.reminders import History
from steering.domain.pdca import Cycle, Transition
from steering.ports import StoreUnavailable
from steering.ports.records import (
    AbortDecisionRecord,
    CheckpointRecord,
    EvidenceRecord,
    HeldNotice,
    ImportRecord,
    LeadDecisionRecord,
    OutboxRecord,
    QueuedMessage,
    SnapshotRecord,
)


class Store(Protocol):
    """The store as the services see it."""

    def sync_organisations(
        self, programme_id: str, organisations: Sequence[Organisation], now: datetime
    ) -> None:
        """Insert or update the configured organisations; ones no longer listed go inactive."""
        ...

    def knows_organisations(self, programme_id: str, organisation_ids: Iterable[str]) -> bool:
        """Whether every one of these organisations is stored for the programme."""
        ...

    def flush(self) -> None:
        """Send pending writes to the store (constraints are checked now, not at commit)."""
        ...

    def active_organisation_ids(self, programme_id: str) -> list[str]:
        """Ids of the programme's active organisations, sorted."""
        ...

    def measurements_frame(
        self, programme_id: str, *, without: Sequence[tuple[str, str]] = ()
    ) -> pd.DataFrame:
        """The current (not superseded) values as indicator/organisation/period/value."""
        ...

    def count_measurements(self, programme_id: str) -> int:
        """All stored values of the programme, superseded ones included."""
        ...

    def find_import(
        self, programme_id: str, source_key: str, content_hash: str
    ) -> ImportRecord | None:
        """The earlier import of exactly this content, if any."""
        ...

    def add_import(
        self,
        programme_id: str,
        source_key: str,
        file_name: str,
        content_hash: str,
        row_count: int,
        now: datetime,
    ) -> tuple[ImportRecord, list[int]]:
        """Record an import; earlier active imports of the same file are superseded by it."""
        ...

    def reactivate_import(self, row: ImportRecord) -> list[int]:
        """Make a superseded import the active one of its file again; returns what it replaces."""
        ...

    def import_record(self, programme_id: str, import_id: int) -> ImportRecord | None:
        """The programme's import with this id, if any."""
        ...

    def imports(self, programme_id: str, source_key: str | None = None) -> Sequence[ImportRecord]:
        """The programme's imports (of one source, if given), newest first."""
        ...

    def replaced_values(self, import_id: int) -> int:
        """How many of an import's values later imports or values by hand have replaced."""
        ...

    def import_values(self, import_id: int) -> list[dict[str, Any]]:
        """The values an import stored (the newest copy per key, if it was restored before)."""
        ...

    def add_measurements(
        self,
        programme_id: str,
        rows: Iterable[dict[str, Any]],
        *,
        source_key: str,
        import_id: int | None,
        actor: str | None,
        now: datetime,
    ) -> int:
        """Store new values (keys distinct); earlier current values for them become history."""
        ...

    def survey_summary(
        self, programme_id: str, source_key: str, period: str
    ) -> dict[str, Any] | None:
        """The answer distribution of the newest import of a survey for `period`, if kept."""
        ...

    def checkpoint(self, key: str) -> CheckpointRecord | None:
        """The checkpoint with this idempotency key."""
        ...

    def open_checkpoint(
        self,
        key: str,
        *,
        programme_id: str,
        period: str,
        scheduled_for: datetime,
        now: datetime,
        flow_run_id: str | None,
    ) -> tuple[CheckpointRecord, bool]:
        """The checkpoint `key` marked running (created if new), and whether it existed."""
        ...

    def latest_checkpoint(self, programme_id: str) -> CheckpointRecord | None:
        """The completed programme checkpoint of the latest period (never an evaluation)."""
        ...

    def next_revision(self, row: CheckpointRecord) -> int:
        """Count one more evaluation of the checkpoint (atomically) and return its number."""
        ...

    def replace_snapshot(
        self, checkpoint_id: int, revision: int, made_at: datetime, data: dict[str, Any]
    ) -> None:
        """Store what the checkpoint's reports show, replacing an earlier revision's."""
        ...

    def snapshot(self, checkpoint_id: int) -> SnapshotRecord | None:
        """The stored report basis of a checkpoint (its newest revision)."""
        ...

    def previous_checkpoint(self, current: CheckpointRecord) -> CheckpointRecord | None:
        """The completed programme checkpoint of the latest period before this one's."""
        ...

    def lights_frame(
        self, checkpoint_id: int, *, organisation: str | None = None, reasons_as_json: bool = False
    ) -> pd.DataFrame:
        """Stored lights of a checkpoint (of one organisation, if given) with their hysteresis
        state; `reasons_as_json` leaves the reasons as JSON texts (a tenth of the memory)."""
        ...

    def stored_lights(self, checkpoint_id: int) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(organisation, dimension, light, reasons) of a checkpoint's lights, in that order,
        read a batch at a time (only a batch's reasons are decoded at once)."""
        ...

    def replace_assessments(self, checkpoint_id: int, lights: pd.DataFrame) -> None:
        """Store a checkpoint's lights, replacing what an earlier run of it stored."""
        ...

    def add_assessments(self, checkpoint_id: int, lights: pd.DataFrame) -> None:
        """Add lights to a checkpoint, keeping those stored (one shard's organisations)."""
        ...

    def replace_decisions(
        self, checkpoint_id: int, decisions: Sequence[dict[str, Any]], now: datetime
    ) -> None:
        """Store decision records; a human's decision on an earlier run of them is kept."""
        ...

    def decisions(
        self, checkpoint_id: int, *, organisation: str | None = None
    ) -> Sequence[AbortDecisionRecord]:
        """The decision records of a checkpoint (of one organisation, if given)."""
        ...

    def lead_decisions(
        self, programme_id: str, *, period: str | None = None
    ) -> Sequence[LeadDecisionRecord]:
        """The lead's decisions (of one period, if given), oldest period first."""
        ...

    def save_lead_decision(
        self, programme_id: str, organisation_id: str, period: str, values: dict[str, Any]
    ) -> tuple[LeadDecisionRecord, dict[str, Any] | None]:
        """Store the decision for (organisation, period); returns it and what it replaced."""
        ...

    def aborted_organisations(
        self, programme_id: str, *, before: str | None = None
    ) -> Mapping[str, LeadDecisionRecord]:
        """Organisations whose latest lead decision (in a period before `before`) is 'abort'."""
        ...

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
        ...


class ProgressStore(Protocol):
    """The store of one programme's driver integration and PDCA cycles, over one session."""

    def newest_passes(self, organisation_ids: Sequence[str] | None) -> dict[str, int]:
        """The cycle of each organisation's newest pass of the steps."""
        ...

    def steps_by_organisation(
        self,
        organisation_ids: Sequence[str] | None = None,
        *,
        tz: tzinfo = UTC,
        cycle: int | None = None,
    ) -> dict[str, list[StepState]]:
        """Step states per organisation of its newest pass (or of `cycle`), by driver and step."""
        ...

    def steps(
        self, organisation_id: str, *, tz: tzinfo = UTC, cycle: int | None = None
    ) -> list[StepState]:
        """The step states of one organisation, all drivers, newest pass (or of `cycle`)."""
        ...

    def step_passes(self, organisation_id: str) -> list[int]:
        """The cycles in which the organisation has a pass of the steps, oldest first."""
        ...

    def planned_drivers(self) -> set[tuple[str, str, int]]:
        """(organisation, driver, cycle) triples that have steps stored in this programme."""
        ...

    def save_steps(
        self,
        organisation_id: str,
        states: Iterable[StepState],
        *,
        now: datetime,
        cycle: int | None = None,
    ) -> int:
        """Insert or update step states and their ticks in a pass (default: the newest one)."""
        ...

    def find_cycle(self, organisation_id: str) -> Cycle | None:
        """The organisation's newest cycle, if it has one."""
        ...

    def newest_cycles(self, organisation_ids: Sequence[str]) -> dict[str, Cycle]:
        """Each organisation's newest cycle, for those that have one (one query, no writes)."""
        ...

    def phase_starts(self, organisation_ids: Sequence[str]) -> dict[str, datetime]:
        """When each organisation's newest cycle entered its current phase."""
        ...

    def current_cycle(self, organisation_id: str, *, now: datetime) -> Cycle:
        """The organisation's newest cycle; cycle 1 in plan is started if it has none."""
        ...

    def current_cycles(self, organisation_ids: Sequence[str], *, now: datetime) -> dict[str, Cycle]:
        """The newest cycle of each organisation, starting cycle 1 where there is none."""
        ...

    def evidence(self, organisation_id: str, cycle_number: int) -> Sequence[EvidenceRecord]:
        """The evidence recorded for one cycle, oldest first."""
        ...

    def evidence_kinds(self, organisation_id: str, cycle_number: int) -> set[str]:
        """The kinds of evidence recorded in one cycle."""
        ...

    def evidence_kinds_by_cycle(
        self, organisation_ids: Sequence[str]
    ) -> dict[tuple[str, int], set[str]]:
        """Recorded evidence kinds per (organisation, cycle number)."""
        ...

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
        ...

    def append_transition(self, transition: Transition) -> None:
        """Record a transition and move the cycle; act -> plan closes it and starts the next."""
        ...

    def transitions(self, organisation_id: str) -> list[Transition]:
        """The organisation's phase transitions over all cycles, oldest first."""
        ...


class OutboxStore(Protocol):
    """Queries and writes on the outbox and the notice log, in the caller's transaction."""

    def told(self, programme_id: str, recipients: Iterable[str]) -> set[tuple[str, str]]:
        """(recipient, notice key) pairs already queued for these recipients."""
        ...

    def histories(self, programme_id: str, *, tz: tzinfo) -> dict[tuple[str, str], History]:
        """(organisation, item) -> how often and when it was last reminded, and escalated."""
        ...

    def log_notice(
        self,
        programme_id: str,
        recipient: str,
        *,
        key: str,
        kind: str,
        organisation: str,
        item: str,
        occasion: str,
        message_key: str,
        now: datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Remember that `recipient` was told the notice `key` in message `message_key`."""
        ...

    def held(self, programme_id: str) -> list[HeldNotice]:
        """Notices kept for people without a channel, oldest first."""
        ...

    def settle_held(self, log_id: int, message_key: str) -> bool:
        """Point a kept notice at the message that now carries it (or at DROPPED)."""
        ...

    def enqueue(
        self,
        programme_id: str,
        *,
        key: str,
        recipient: str,
        channel: str,
        kind: str,
        subject: str,
        text: str,
        html: str,
        now: datetime,
    ) -> bool:
        """Queue a message unless one with this key exists; True when queued."""
        ...

    def drop_unsent(self, programme_id: str, organisation: str, item: str, now: datetime) -> int:
        """Drop unsent messages (not being sent) whose every notice is about this item."""
        ...

    def given_up(self, programme_id: str) -> list[QueuedMessage]:
        """Dead letters, oldest first."""
        ...

    def revive(
        self, programme_id: str, message_id: int | None, now: datetime
    ) -> Sequence[OutboxRecord]:
        """Dead letters (one, or all with None) become pending again, due now, attempts reset."""
        ...

    def find(self, programme_id: str, message_id: int) -> OutboxRecord | None:
        """One message of a programme by id, if it exists."""
        ...

    def waiting(self, programme_id: str | None = None) -> list[QueuedMessage]:
        """Pending, failed and given-up messages, oldest first."""
        ...

    def counts(self, programme_id: str) -> dict[str, int]:
        """Messages per status."""
        ...

    def created_between(
        self, programme_id: str, start: datetime, end: datetime
    ) -> list[dict[str, object]]:
        """Messages created in [start, end] per recipient, kind, channel and status."""
        ...

    def open_abort_reviews(self, programme_id: str) -> set[str]:
        """Organisations whose latest programme checkpoint asks for an abort review that the"""
        ...


class PendingNoticeStore(Protocol):
    """Reads and writes of pending notices, in the caller's transaction."""

    def replace(
        self, checkpoint_id: int, programme_id: str, notices: list[dict[str, Any]], now: datetime
    ) -> None:
        """Store what the checkpoint has to tell, replacing what an earlier run stored."""
        ...

    def unqueued(self, programme_id: str) -> list[tuple[int, str, list[dict[str, Any]]]]:
        """(id, checkpoint key, notices) of every checkpoint not queued yet, oldest first."""
        ...

    def mark_queued(self, ids: Iterable[int], now: datetime) -> None:
        """These checkpoints' notices are all in the outbox or the notice log."""
        ...


class PrivacyStore(Protocol):
    """Find and pseudonymise a person's traces, in the caller's transaction."""

    def traces(self, person: str) -> dict[str, list[dict[str, Any]]]:
        """Table name -> the rows that name the person."""
        ...

    def pseudonymise(self, person: str, pseudonym: str) -> dict[str, int]:
        """Replace the person's id by the pseudonym everywhere; drop message texts."""
        ...


class UnitOfWork(Protocol):
    """One transaction: `with uow: ...; uow.commit()`; leaving without commit rolls back."""

    # The errors by which the store refuses a write (a unique key another writer took).
    refused: tuple[type[Exception], ...]

    @property
    def repo(self) -> Store:
        """The store's queries and writes, in this unit of work's transaction."""
        ...

    @property
    def outbox(self) -> OutboxStore:
        """The outbox and the notice log, in this unit of work's transaction."""
        ...

    @property
    def pending(self) -> PendingNoticeStore:
        """Notices checkpoints stored and that wait to be queued, in this transaction."""
        ...

    @property
    def privacy(self) -> PrivacyStore:
        """A person's traces across the store, in this unit of work's transaction."""
        ...

    def progress(self, programme_id: str) -> ProgressStore:
        """One programme's steps, cycles, evidence and transitions, in this transaction."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def store_fault(self, error: BaseException) -> StoreUnavailable | None:
        """The store failure behind `error` (locked, unreachable, disk full), else None."""
        ...

    def commit(self) -> None:
        """Make the work done so far durable."""
        ...

    def rollback(self) -> None:
        """Discard the work done since the last commit."""
        ...

    def serialised(self, subject: str) -> AbstractContextManager[Self]:
        """Open the unit of work holding `subject`'s write lock; lost races raise StoreConflict."""
        ...
