"""Queries and writes the services need, over one session (the SQL side of the ports)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, Text, and_, delete, func, insert, select, update
from sqlalchemy import cast as cast_to
from sqlalchemy.orm import Session

from steering.adapters.db.base import PROGRAMME_SCOPE
from steering.adapters.db.bulk import insert_columns, insert_many
from steering.adapters.db.columnar import categorical_frame
from steering.adapters.db.models import (
    AbortDecisionRow,
    AssessmentRow,
    AuditLogRow,
    CheckpointRow,
    CheckpointSnapshotRow,
    ImportRow,
    LeadDecisionRow,
    MeasurementRow,
    OrganisationRow,
)
from steering.domain.definition.organisations import Organisation
from steering.gc_pause import gc_paused
from steering.ports.records import CheckpointRecord, ImportRecord


def _org_or_none(scope: str) -> str | None:
    return None if scope == PROGRAMME_SCOPE else scope


WRITE_BATCH = 20_000  # rows converted and inserted at a time
_LIGHTS_BATCH = 2_000  # stored lights decoded at a time when streamed
_ASSESSMENT_COLUMNS = [
    "organisation",
    "dimension",
    "light",
    "raw_light",
    "breach_streak",
    "recover_streak",
    "red_streak",
    "aggregate",
]


def _measurement_columns(batch: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """New values as the measurements table's columns (lists in the batch's order)."""
    scopes = [r["organisation"] for r in batch]
    return {
        "indicator_key": [r["indicator"] for r in batch],
        "organisation_id": [_org_or_none(scope) for scope in scopes],
        "scope_key": scopes,
        "period": [r["period"] for r in batch],
        "value": [r["value"] for r in batch],
        "note": [r.get("note") for r in batch],
    }


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# A programme checkpoint's key is '<programme>/<period>'; interim checkpoints and
# evaluations add a label ('<programme>/<period>/evaluation-<org>').
_PROGRAMME_CHECKPOINT = CheckpointRow.key == CheckpointRow.programme_id + "/" + CheckpointRow.period


class SqlRepository:
    """The store as the services see it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # organisations -------------------------------------------------------------
    def sync_organisations(
        self, programme_id: str, organisations: Sequence[Organisation], now: datetime
    ) -> None:
        """Insert or update the configured organisations; ones no longer listed go inactive.

        Only rows that change are written (`synced_at` says when a row last changed): every
        checkpoint syncs, and rewriting 10,000 unchanged rows each time costs seconds.
        """
        table = OrganisationRow
        stored = {
            org_id: tuple(values)
            for org_id, *values in self.session.execute(
                select(
                    table.id,
                    table.name,
                    table.state,
                    table.experiment_fields,
                    table.drivers,
                    table.active,
                ).where(table.programme_id == programme_id)
            )
        }
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for org in organisations:
            values = (
                org.name,
                str(org.state),
                [str(f) for f in org.experiment_fields],
                [str(d) for d in org.drivers],
                org.active,
            )
            before = stored.pop(org.id, None)
            if before == values:
                continue
            row = dict(
                zip(
                    ["name", "state", "experiment_fields", "drivers", "active"], values, strict=True
                )
            )
            row.update(programme_id=programme_id, id=org.id, synced_at=now)
            (new if before is None else changed).append(row)
        gone = [
            {"programme_id": programme_id, "id": org_id, "active": False, "synced_at": now}
            for org_id, values in stored.items()
            if values[-1]
        ]
        if new:
            self.session.execute(insert(table), new)
        if changed or gone:
            self.session.execute(update(table), changed + gone)

    def knows_organisations(self, programme_id: str, organisation_ids: Iterable[str]) -> bool:
        """Whether every one of these organisations is stored for the programme."""
        return all(
            self.session.get(OrganisationRow, {"programme_id": programme_id, "id": org_id})
            is not None
            for org_id in organisation_ids
        )

    def flush(self) -> None:
        """Send pending writes to the store (constraints are checked now, not at commit)."""
        self.session.flush()

    def active_organisation_ids(self, programme_id: str) -> list[str]:
        """Ids of the programme's active organisations, sorted."""
        query = select(OrganisationRow.id).where(
            OrganisationRow.programme_id == programme_id, OrganisationRow.active.is_(True)
        )
        return sorted(self.session.scalars(query))

    # measurements ----------------------------------------------------------------
    def measurements_frame(
        self, programme_id: str, *, without: Sequence[tuple[str, str]] = ()
    ) -> pd.DataFrame:
        """The current (not superseded) values as indicator/organisation/period/value.

        `without` leaves out (source, period) pairs: a source that could not be read now
        must not show its earlier values for that period as if they were fresh.
        """
        query = select(
            MeasurementRow.indicator_key.label("indicator"),
            MeasurementRow.scope_key.label("organisation"),
            MeasurementRow.period,
            MeasurementRow.value,
        ).where(
            MeasurementRow.programme_id == programme_id,
            MeasurementRow.superseded.is_(False),
            *(
                ~and_(MeasurementRow.source_key == source, MeasurementRow.period == period)
                for source, period in without
            ),
        )  # no order: there is one current value per key
        return categorical_frame(
            self.session, query, texts=["indicator", "organisation", "period"], numbers=["value"]
        )

    def count_measurements(self, programme_id: str) -> int:
        """All stored values of the programme, superseded ones included."""
        query = select(MeasurementRow.id).where(MeasurementRow.programme_id == programme_id)
        return len(self.session.scalars(query).all())

    def find_import(
        self, programme_id: str, source_key: str, content_hash: str
    ) -> ImportRow | None:
        """The earlier import of exactly this content, if any."""
        return self.session.scalars(
            select(ImportRow).where(
                ImportRow.programme_id == programme_id,
                ImportRow.source_key == source_key,
                ImportRow.content_hash == content_hash,
            )
        ).first()

    def add_import(
        self,
        programme_id: str,
        source_key: str,
        file_name: str,
        content_hash: str,
        row_count: int,
        now: datetime,
    ) -> tuple[ImportRow, list[int]]:
        """Record an import; earlier active imports of the same file are superseded by it."""
        row = ImportRow(
            programme_id=programme_id,
            source_key=source_key,
            file_name=file_name,
            content_hash=content_hash,
            row_count=row_count,
            imported_at=now,
            status="active",
        )
        self.session.add(row)
        self.session.flush()
        return row, self._supersede_imports(row)

    def reactivate_import(self, row: ImportRecord) -> list[int]:
        """Make a superseded import the active one of its file again; returns what it replaces.

        Its values are not touched here: the caller stores them anew as the current ones.
        """
        row.status, row.superseded_by = "active", None
        return self._supersede_imports(row)

    def _supersede_imports(self, row: ImportRecord) -> list[int]:
        earlier = list(
            self.session.scalars(
                select(ImportRow).where(
                    ImportRow.programme_id == row.programme_id,
                    ImportRow.source_key == row.source_key,
                    ImportRow.file_name == row.file_name,
                    ImportRow.status == "active",
                    ImportRow.id != row.id,
                )
            )
        )
        for old in earlier:
            old.status = "superseded"
            old.superseded_by = row.id
        if earlier:
            # A corrected re-import replaces that import's values; its rows stay as history.
            self.session.execute(
                update(MeasurementRow)
                .where(
                    MeasurementRow.import_id.in_([old.id for old in earlier]),
                    MeasurementRow.superseded.is_(False),
                )
                .values(superseded=True)
            )
        self.session.flush()
        return [old.id for old in earlier]

    def import_record(self, programme_id: str, import_id: int) -> ImportRow | None:
        """The programme's import with this id, if any."""
        row = self.session.get(ImportRow, import_id)
        return row if row is not None and row.programme_id == programme_id else None

    def imports(self, programme_id: str, source_key: str | None = None) -> list[ImportRow]:
        """The programme's imports (of one source, if given), newest first."""
        query = select(ImportRow).where(ImportRow.programme_id == programme_id)
        if source_key is not None:
            query = query.where(ImportRow.source_key == source_key)
        return list(self.session.scalars(query.order_by(ImportRow.id.desc())))

    def replaced_values(self, import_id: int) -> int:
        """How many of an import's values later imports or values by hand have replaced."""
        keys = (
            select(MeasurementRow.indicator_key, MeasurementRow.scope_key, MeasurementRow.period)
            .where(MeasurementRow.import_id == import_id)
            .distinct()
            .subquery()
        )
        stored = self.session.scalar(select(func.count()).select_from(keys)) or 0
        current = (
            self.session.scalar(
                select(func.count()).where(
                    MeasurementRow.import_id == import_id, MeasurementRow.superseded.is_(False)
                )
            )
            or 0
        )
        return stored - current

    def import_values(self, import_id: int) -> list[dict[str, Any]]:
        """The values an import stored (the newest copy per key, if it was restored before)."""
        rows = self.session.execute(
            select(
                MeasurementRow.indicator_key,
                MeasurementRow.scope_key,
                MeasurementRow.period,
                MeasurementRow.value,
                MeasurementRow.note,
            )
            .where(MeasurementRow.import_id == import_id)
            .order_by(MeasurementRow.id)
        ).all()
        newest = {(r[0], r[1], r[2]): r for r in rows}
        return [
            {"indicator": k, "organisation": o, "period": p, "value": v, "note": n}
            for k, o, p, v, n in newest.values()
        ]

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
        """Store new values (keys distinct); earlier current values for them become history.

        Rows are converted and inserted in batches, so a large import never holds all of
        them as dictionaries at once; the caller's transaction keeps it all or nothing.
        """
        constants = {
            "programme_id": programme_id,
            "source_key": source_key,
            "import_id": import_id,
            "recorded_by": actor,
            "recorded_at": now,
            "superseded": False,
        }
        table = cast(Table, MeasurementRow.__table__)
        current: dict[tuple[str, str, str], int] | None = None
        stored = 0
        with gc_paused():  # a tuple per value: the cycle collector would find nothing
            for batch in _batches(rows, WRITE_BATCH):
                columns = _measurement_columns(batch)
                if current is None:
                    # A single small batch (a manual value) reads only its own indicators'.
                    only = None if len(batch) == WRITE_BATCH else batch
                    current = self._current_ids(programme_id, only)
                keys = zip(
                    columns["indicator_key"], columns["scope_key"], columns["period"], strict=True
                )
                self._mark_superseded([current.pop(key) for key in keys if key in current])
                insert_columns(self.session.connection(), table, columns, constants=constants)
                stored += len(batch)
        return stored

    def _current_ids(
        self, programme_id: str, only: list[dict[str, Any]] | None
    ) -> dict[tuple[str, str, str], int]:
        query = select(
            MeasurementRow.indicator_key,
            MeasurementRow.scope_key,
            MeasurementRow.period,
            MeasurementRow.id,
        ).where(MeasurementRow.programme_id == programme_id, MeasurementRow.superseded.is_(False))
        if only is not None:
            query = query.where(
                MeasurementRow.indicator_key.in_({r["indicator"] for r in only}),
                MeasurementRow.period.in_({r["period"] for r in only}),
            )
        return {(k, s, p): i for k, s, p, i in self.session.execute(query)}

    def _mark_superseded(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            self.session.execute(
                update(MeasurementRow)
                .where(MeasurementRow.id.in_(ids[start : start + 500]))
                .values(superseded=True)
            )

    def survey_summary(
        self, programme_id: str, source_key: str, period: str
    ) -> dict[str, Any] | None:
        """The answer distribution of the newest import of a survey for `period`, if kept."""
        summaries = self.session.scalars(
            select(ImportRow.summary)
            .where(
                ImportRow.programme_id == programme_id,
                ImportRow.source_key == source_key,
                ImportRow.summary.is_not(None),
            )
            .order_by(ImportRow.id.desc())
        )
        return next((s for s in summaries if s and s.get("period") == period), None)

    # checkpoints -----------------------------------------------------------------
    def checkpoint(self, key: str) -> CheckpointRow | None:
        """The checkpoint with this idempotency key."""
        return self.session.scalars(select(CheckpointRow).where(CheckpointRow.key == key)).first()

    def open_checkpoint(
        self,
        key: str,
        *,
        programme_id: str,
        period: str,
        scheduled_for: datetime,
        now: datetime,
        flow_run_id: str | None,
    ) -> tuple[CheckpointRow, bool]:
        """The checkpoint `key` marked running (created if new), and whether it existed."""
        existing = self.checkpoint(key)
        row = existing or CheckpointRow(
            key=key,
            programme_id=programme_id,
            period=period,
            scheduled_for=scheduled_for,
            started_at=now,
        )
        row.status = "running"
        row.started_at = now
        row.finished_at = None
        row.flow_run_id = flow_run_id or row.flow_run_id
        self.session.add(row)
        self.session.flush()
        return row, existing is not None

    def latest_checkpoint(self, programme_id: str) -> CheckpointRow | None:
        """The completed programme checkpoint of the latest period (never an evaluation)."""
        return self.session.scalars(
            select(CheckpointRow)
            .where(
                CheckpointRow.programme_id == programme_id,
                CheckpointRow.status == "completed",
                _PROGRAMME_CHECKPOINT,
            )
            .order_by(
                CheckpointRow.period.desc(),
                CheckpointRow.scheduled_for.desc(),
                CheckpointRow.id.desc(),
            )
        ).first()

    def next_revision(self, row: CheckpointRecord) -> int:
        """Count one more evaluation of the checkpoint (atomically) and return its number."""
        self.session.execute(
            update(CheckpointRow)
            .where(CheckpointRow.id == row.id)
            .values(revision=CheckpointRow.revision + 1)
            .execution_options(synchronize_session=False)
        )
        self.session.expire(row, ["revision"])
        return row.revision

    def replace_snapshot(
        self, checkpoint_id: int, revision: int, made_at: datetime, data: dict[str, Any]
    ) -> None:
        """Store what the checkpoint's reports show, replacing an earlier revision's."""
        self.session.execute(
            delete(CheckpointSnapshotRow).where(
                CheckpointSnapshotRow.checkpoint_id == checkpoint_id
            )
        )
        self.session.add(
            CheckpointSnapshotRow(
                checkpoint_id=checkpoint_id, revision=revision, made_at=made_at, data=data
            )
        )

    def snapshot(self, checkpoint_id: int) -> CheckpointSnapshotRow | None:
        """The stored report basis of a checkpoint (its newest revision)."""
        return self.session.scalars(
            select(CheckpointSnapshotRow).where(
                CheckpointSnapshotRow.checkpoint_id == checkpoint_id
            )
        ).first()

    def previous_checkpoint(self, current: CheckpointRecord) -> CheckpointRow | None:
        """The completed programme checkpoint of the latest period before this one's.

        Hysteresis and abort streaks count one checkpoint per period: interim checkpoints
        and evaluations never become anyone's previous checkpoint. Periods order the
        history, not run times: a checkpoint of 2019-H1 run after one of 2019-H2 (a late
        correction, a backfill) still comes before it.
        """
        # Canonical period ids ('2019-H1') sort like the half-years they name.
        return self.session.scalars(
            select(CheckpointRow)
            .where(
                CheckpointRow.programme_id == current.programme_id,
                CheckpointRow.status == "completed",
                CheckpointRow.id != current.id,
                CheckpointRow.period < current.period,
                _PROGRAMME_CHECKPOINT,
            )
            .order_by(
                CheckpointRow.period.desc(),
                CheckpointRow.scheduled_for.desc(),
                CheckpointRow.id.desc(),
            )
        ).first()

    def lights_frame(
        self, checkpoint_id: int, *, organisation: str | None = None, reasons_as_json: bool = False
    ) -> pd.DataFrame:
        """Stored lights of a checkpoint (of one organisation, if given) with their hysteresis
        state; `reasons_as_json` leaves the reasons as JSON texts (a tenth of the memory)."""
        reasons = cast_to(AssessmentRow.reasons, Text) if reasons_as_json else AssessmentRow.reasons
        query = select(
            AssessmentRow.scope_key.label("organisation"),
            AssessmentRow.dimension,
            AssessmentRow.light,
            AssessmentRow.raw_light,
            AssessmentRow.breach_streak,
            AssessmentRow.recover_streak,
            AssessmentRow.red_streak,
            AssessmentRow.aggregate,
            reasons.label("reasons"),
        ).where(AssessmentRow.checkpoint_id == checkpoint_id)
        if organisation is not None:
            # A page of one organisation: reading (and decoding) every light costs 0.3 s.
            query = query.where(AssessmentRow.scope_key == organisation)
        with gc_paused():  # every light's reasons decoded: many small dicts
            rows = self.session.execute(query).all()
        return pd.DataFrame(rows, columns=[*_ASSESSMENT_COLUMNS, "reasons"])

    def stored_lights(self, checkpoint_id: int) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(organisation, dimension, light, reasons) of a checkpoint's lights, in that order,
        read a batch at a time (only a batch's reasons are decoded at once)."""
        query = (
            select(
                AssessmentRow.scope_key,
                AssessmentRow.dimension,
                AssessmentRow.light,
                AssessmentRow.reasons,
            )
            .where(AssessmentRow.checkpoint_id == checkpoint_id)
            .order_by(AssessmentRow.scope_key, AssessmentRow.dimension)
            .execution_options(yield_per=_LIGHTS_BATCH)
        )
        for organisation, dimension, light, reasons in self.session.execute(query):
            yield organisation, dimension, light, reasons or {}

    def replace_assessments(self, checkpoint_id: int, lights: pd.DataFrame) -> None:
        """Store a checkpoint's lights, replacing what an earlier run of it stored."""
        self.session.execute(
            delete(AssessmentRow).where(AssessmentRow.checkpoint_id == checkpoint_id)
        )
        self.add_assessments(checkpoint_id, lights)

    def add_assessments(self, checkpoint_id: int, lights: pd.DataFrame) -> None:
        """Add lights to a checkpoint, keeping those stored (one shard's organisations)."""
        if lights.empty:  # e.g. opening a sharded checkpoint: no columns either
            return
        table = cast(Table, AssessmentRow.__table__)
        with gc_paused():  # a dict per light and the reasons' JSON: nothing cyclic
            self._insert_assessments(checkpoint_id, lights, table)

    def _insert_assessments(self, checkpoint_id: int, lights: pd.DataFrame, table: Table) -> None:
        """Insert the lights' stored columns, one executemany per batch."""
        # One executemany per batch (not one INSERT per page of rows): few round trips on
        # PostgreSQL, and a batch's records are all the Python objects alive at a time.
        stored = [*_ASSESSMENT_COLUMNS, "reasons"]
        for batch in _batches(lights[stored].to_dict("records"), WRITE_BATCH):
            records = [
                {
                    "organisation_id": _org_or_none(r["organisation"]),
                    "scope_key": r["organisation"],
                    "dimension": r["dimension"],
                    "light": r["light"],
                    "raw_light": r["raw_light"],
                    "breach_streak": int(r["breach_streak"]),
                    "recover_streak": int(r["recover_streak"]),
                    "red_streak": int(r["red_streak"]),
                    "aggregate": None
                    if pd.isna(r["aggregate"]) or r["aggregate"] == float("inf")
                    else float(r["aggregate"]),
                    "reasons": r["reasons"],
                }
                for r in batch
            ]
            insert_many(
                self.session.connection(),
                table,
                records,
                constants={"checkpoint_id": checkpoint_id},
            )

    def replace_decisions(
        self, checkpoint_id: int, decisions: Sequence[dict[str, Any]], now: datetime
    ) -> None:
        """Store decision records; a human's decision on an earlier run of them is kept."""
        old = {
            row.scope_key: row
            for row in self.session.scalars(
                select(AbortDecisionRow).where(AbortDecisionRow.checkpoint_id == checkpoint_id)
            )
        }
        self.session.execute(
            delete(AbortDecisionRow).where(AbortDecisionRow.checkpoint_id == checkpoint_id)
        )
        records = []
        for d in decisions:
            kept = old.get(d["organisation"])
            records.append(
                {
                    "checkpoint_id": checkpoint_id,
                    "organisation_id": _org_or_none(d["organisation"]),
                    "scope_key": d["organisation"],
                    "decision": d["decision"],
                    "criterion_id": None,
                    "criterion_key": "",
                    "evidence": {"matched": list(d["matched"]), **d["evidence"]},
                    "mitigations": list(d["mitigations"]),
                    "decided_by": kept.decided_by if kept else None,
                    "human_decision": kept.human_decision if kept else None,
                    "human_comment": kept.human_comment if kept else None,
                    "created_at": kept.created_at if kept else now,
                }
            )
        if records:
            self.session.connection().execute(
                insert(cast(Table, AbortDecisionRow.__table__)), records
            )

    def decisions(
        self, checkpoint_id: int, *, organisation: str | None = None
    ) -> list[AbortDecisionRow]:
        """The decision records of a checkpoint (of one organisation, if given)."""
        query = select(AbortDecisionRow).where(AbortDecisionRow.checkpoint_id == checkpoint_id)
        if organisation is not None:
            query = query.where(AbortDecisionRow.scope_key == organisation)
        return list(self.session.scalars(query.order_by(AbortDecisionRow.scope_key)))

    # the lead's decisions -----------------------------------------------------------
    def lead_decisions(
        self, programme_id: str, *, period: str | None = None
    ) -> list[LeadDecisionRow]:
        """The lead's decisions (of one period, if given), oldest period first."""
        query = select(LeadDecisionRow).where(LeadDecisionRow.programme_id == programme_id)
        if period is not None:
            query = query.where(LeadDecisionRow.period == period)
        return list(
            self.session.scalars(
                query.order_by(LeadDecisionRow.period, LeadDecisionRow.organisation_id)
            )
        )

    def save_lead_decision(
        self,
        programme_id: str,
        organisation_id: str,
        period: str,
        values: dict[str, Any],
    ) -> tuple[LeadDecisionRow, dict[str, Any] | None]:
        """Store the decision for (organisation, period); returns it and what it replaced."""
        row = self.session.scalars(
            select(LeadDecisionRow).where(
                LeadDecisionRow.programme_id == programme_id,
                LeadDecisionRow.organisation_id == organisation_id,
                LeadDecisionRow.period == period,
            )
        ).first()
        earlier = None
        if row is None:
            row = LeadDecisionRow(
                programme_id=programme_id, organisation_id=organisation_id, period=period
            )
            self.session.add(row)
        else:
            earlier = {k: getattr(row, k) for k in ("decision", "comment", "decided_by")}
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()
        return row, earlier

    def aborted_organisations(
        self, programme_id: str, *, before: str | None = None
    ) -> dict[str, LeadDecisionRow]:
        """Organisations whose latest lead decision (in a period before `before`) is 'abort'."""
        latest: dict[str, LeadDecisionRow] = {}
        for row in self.lead_decisions(programme_id):
            if before is None or row.period < before:
                latest[row.organisation_id] = row
        return {org: row for org, row in latest.items() if row.decision == "abort"}

    # audit -----------------------------------------------------------------------
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
        self.session.add(
            AuditLogRow(
                at=now,
                actor=actor,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                details=details,
            )
        )
