"""The durable store on SQLite and PostgreSQL: migrations, models, constraints, unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, StatementError

from steering.adapters.db.engine import make_engine, make_session_factory
from steering.adapters.db.migrate import alembic_config, current_revision, head_revision, upgrade
from steering.adapters.db.models import (
    PROGRAMME_SCOPE,
    AbortDecisionRow,
    AssessmentRow,
    AuditLogRow,
    Base,
    CheckpointRow,
    CheckpointSnapshotRow,
    EvidenceRow,
    ImportRow,
    LeadDecisionRow,
    MeasurementRow,
    NoticeLogRow,
    OrganisationRow,
    OutboxRow,
    PdcaCycleRow,
    PendingNoticesRow,
    PhaseTransitionRow,
    PortalAttemptRow,
    PortalCalendarRow,
    PortalLinkRow,
    PortalSessionRow,
    StepProgressRow,
    SubtaskStatusRow,
    metadata,
)
from steering.adapters.db.uow import SqlUnitOfWork

T0 = datetime(2019, 7, 1, 9, 30, 15, 123456, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))
POSTGRES_IDENTIFIER_LIMIT = 63


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def _organisation(org_id: str = "caritas-nord") -> OrganisationRow:
    return OrganisationRow(
        id=org_id,
        programme_id="digital-und-sozial",
        name="Caritas Nord e. V.",
        state="NW",
        experiment_fields=["verwaltung_4_0"],
        drivers=["cloud"],
        active=True,
        synced_at=T0,
    )


def _checkpoint(key: str = "digital-und-sozial/2019-H2", checkpoint_id: int = 1) -> CheckpointRow:
    return CheckpointRow(
        id=checkpoint_id,
        key=key,
        programme_id="digital-und-sozial",
        period="2019-H2",
        scheduled_for=T0,
        started_at=T0,
        status="running",
    )


def _assessment(organisation_id: str | None, dimension: str = "quality") -> AssessmentRow:
    return AssessmentRow(
        checkpoint_id=1,
        organisation_id=organisation_id,
        dimension=dimension,
        light="red",
        raw_light="red",
        breach_streak=1,
        recover_streak=0,
        reasons={},
    )


def test_migrations_apply_from_empty(db_url: str) -> None:
    assert current_revision(db_url) is None

    upgrade(db_url)

    engine = make_engine(db_url)
    try:
        assert _tables(engine) == set(metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()
    assert current_revision(db_url) == head_revision()


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with SqlUnitOfWork.for_engine(engine) as uow:
            uow.session.add(_organisation())
            uow.commit()

        upgrade(db_url)

        assert current_revision(db_url) == head_revision()
        assert _tables(engine) == set(metadata.tables) | {"alembic_version"}
        with SqlUnitOfWork.for_engine(engine) as uow:
            key = {"programme_id": "digital-und-sozial", "id": "caritas-nord"}
            assert uow.session.get(OrganisationRow, key) is not None
    finally:
        engine.dispose()


def test_models_and_migration_do_not_drift(store: Engine) -> None:
    with store.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_downgrade_to_base_removes_every_table(db_url: str) -> None:
    upgrade(db_url)

    command.downgrade(alembic_config(db_url), "base")

    engine = make_engine(db_url)
    try:
        assert _tables(engine) <= {"alembic_version"}
    finally:
        engine.dispose()
    assert current_revision(db_url) is None


def test_migrations_are_found_from_any_working_directory(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    upgrade(sqlite_url)

    assert current_revision(sqlite_url) == head_revision()


def _fully_populated_rows() -> dict[str, tuple[type[Base], list[dict[str, Any]]]]:
    """One row per table with every column set (referenced rows first), keyed by table."""
    evening = datetime(2019, 12, 31, 23, 59, 59, tzinfo=BERLIN_SUMMER)
    return {
        "organisations": (
            OrganisationRow,
            [
                {
                    "id": "caritas-nord",
                    "programme_id": "digital-und-sozial",
                    "name": "Caritas Nord e. V. – Fachbereich Jugendhilfe",
                    "state": "NW",
                    "experiment_fields": ["verwaltung_4_0", "interne_kommunikation"],
                    "drivers": ["cloud", "ai"],
                    "active": False,
                    "synced_at": T0,
                }
            ],
        ),
        "pdca_cycles": (
            PdcaCycleRow,
            [
                {
                    "id": 7,
                    "programme_id": "digital-und-sozial",
                    "organisation_id": "caritas-nord",
                    "number": 2,
                    "phase": "check",
                    "started_at": T0,
                    "closed_at": evening,
                }
            ],
        ),
        "phase_transitions": (
            PhaseTransitionRow,
            [
                {
                    "id": 3,
                    "cycle_id": 7,
                    "from_phase": "do",
                    "to_phase": "check",
                    "actor": "projektleitung",
                    "reason": "Erprobung abgeschlossen, Überprüfung beginnt",
                    "evidence": [{"kind": "trial_log", "reference": "https://wiki/erprobung"}],
                    "override": True,
                    "at": evening,
                }
            ],
        ),
        "evidence": (
            EvidenceRow,
            [
                {
                    "id": 4,
                    "programme_id": "digital-und-sozial",
                    "organisation_id": "caritas-nord",
                    "cycle_number": 2,
                    "kind": "strategy_document",
                    "reference": "https://dms.example/strategie.pdf",
                    "recorded_by": "projektleitung",
                    "recorded_at": T0,
                }
            ],
        ),
        "step_progress": (
            StepProgressRow,
            [
                {
                    "id": 5,
                    "programme_id": "digital-und-sozial",
                    "organisation_id": "caritas-nord",
                    "cycle": 2,
                    "driver": "cloud",
                    "step": 4,
                    "status": "done",
                    "owner": "gf-nord",
                    "due_date": date(2019, 9, 30),
                    "evidence_url": "https://dms.example/konzept.pdf",
                    "opened_at": T0,
                    "done_at": evening,
                }
            ],
        ),
        "subtask_status": (
            SubtaskStatusRow,
            [
                {
                    "id": 6,
                    "programme_id": "digital-und-sozial",
                    "organisation_id": "caritas-nord",
                    "cycle": 2,
                    "driver": "cloud",
                    "step": 4,
                    "subtask_index": 1,
                    "done": True,
                    "done_at": evening,
                }
            ],
        ),
        "imports": (
            ImportRow,
            [
                {
                    "id": 11,
                    "programme_id": "digital-und-sozial",
                    "source_key": "teilnehmende",
                    "file_name": "Teilnehmende 2019-H2 (neu).xlsx",
                    "content_hash": "b" * 64,
                    "imported_at": evening,
                    "row_count": 0,
                    "status": "active",
                    "superseded_by": None,
                    "summary": {
                        "period": "2019-H2",
                        "questions": [
                            {"question": "Praxisnah?", "count": 3, "mean": 1.5, "counts": {"2": 2}}
                        ],
                    },
                },
                {
                    "id": 10,
                    "programme_id": "digital-und-sozial",
                    "source_key": "teilnehmende",
                    "file_name": "Teilnehmende 2019-H2.xlsx",
                    "content_hash": "a" * 64,
                    "imported_at": T0,
                    "row_count": 14,
                    "status": "superseded",
                    "superseded_by": 11,
                    "summary": None,
                },
            ],
        ),
        "measurements": (
            MeasurementRow,
            [
                {
                    "id": 20,
                    "programme_id": "digital-und-sozial",
                    "indicator_key": "feedback_mean",
                    "organisation_id": "caritas-nord",
                    "scope_key": "caritas-nord",
                    "period": "2019-H2",
                    "value": 1.25,
                    "source_key": "teilnehmende",
                    "import_id": 10,
                    "note": "Feedbackbogen, 12 Rückläufe",
                    "recorded_by": "projektleitung",
                    "recorded_at": T0,
                    "superseded": True,
                }
            ],
        ),
        "checkpoints": (
            CheckpointRow,
            [
                {
                    "id": 30,
                    "key": "digital-und-sozial/2019-H2",
                    "programme_id": "digital-und-sozial",
                    "period": "2019-H2",
                    "scheduled_for": T0,
                    "started_at": T0 + timedelta(minutes=1),
                    "finished_at": evening,
                    "status": "completed",
                    "flow_run_id": "0b7e4c9a-2f0d-4c55-9d49-2a1c0e3f6b11",
                    "revision": 2,
                }
            ],
        ),
        "checkpoint_snapshots": (
            CheckpointSnapshotRow,
            [
                {
                    "id": 35,
                    "checkpoint_id": 30,
                    "revision": 2,
                    "made_at": evening,
                    "data": {
                        "version": 1,
                        "periods": ["2019-H1", "2019-H2"],
                        "timeline": [{"indicator": "x", "actual": 1240.5, "met": None}],
                        "progress": {"sozialwerk-jena": {"cycle": 1, "phase": "do"}},
                    },
                }
            ],
        ),
        "pending_notices": (
            PendingNoticesRow,
            [
                {
                    "id": 36,
                    "checkpoint_id": 30,
                    "programme_id": "digital-und-sozial",
                    "notices": [
                        {
                            "kind": "light_worse",
                            "organisation": "caritas-nord",
                            "item": "light:cost",
                            "occasion": "digital-und-sozial/2019-H2",
                            "facts": {"before": "green", "after": "rot – Ümlaut"},
                            "dimension": "cost",
                        }
                    ],
                    "created_at": evening,
                    "queued_at": evening,
                }
            ],
        ),
        "assessments": (
            AssessmentRow,
            [
                {
                    "id": 31,
                    "checkpoint_id": 30,
                    "organisation_id": "caritas-nord",
                    "scope_key": "caritas-nord",
                    "dimension": "quality",
                    "light": "yellow",
                    "raw_light": "red",
                    "breach_streak": 1,
                    "recover_streak": 2,
                    "red_streak": 0,
                    "aggregate": 0.125,
                    "reasons": {
                        "indicators": [
                            {"indicator": "feedback_mean", "actual": 1.25, "target": "1–1,5"}
                        ]
                    },
                }
            ],
        ),
        "abort_decisions": (
            AbortDecisionRow,
            [
                {
                    "id": 32,
                    "checkpoint_id": 30,
                    "organisation_id": "caritas-nord",
                    "scope_key": "caritas-nord",
                    "decision": "abort_review",
                    "criterion_id": "red-twice",
                    "criterion_key": "red-twice",
                    "evidence": {"lights": {"2019-H1": "red", "2019-H2": "red"}, "ok": None},
                    "mitigations": ["Coaching für Führungskräfte"],
                    "decided_by": "projektleitung",
                    "human_decision": "continue",
                    "human_comment": "Teilstrategie vereinbart",
                    "created_at": evening,
                }
            ],
        ),
        "lead_decisions": (
            LeadDecisionRow,
            [
                {
                    "id": 33,
                    "programme_id": "digital-und-sozial",
                    "organisation_id": "caritas-nord",
                    "period": "2019-H2",
                    "decision": "abort",
                    "comment": "Träger steigt aus – Beschluss des Vorstands",
                    "decided_by": "projektleitung",
                    "decided_at": evening,
                    "review": "abort_review",
                    "reference": "prefect-flow-run:0b9c",
                }
            ],
        ),
        "outbox": (
            OutboxRow,
            [
                {
                    "id": 40,
                    "idempotency_key": "reminder/caritas-nord/cloud/4/2019-09-23",
                    "recipient": "gf-nord",
                    "channel_hint": "email",
                    "kind": "step_due",
                    "subject": "Erinnerung: Schritt 4 fällig",
                    "body_text": "Guten Tag,\nSchritt 4 ist am 30.09.2019 fällig.",
                    "body_html": "<p>Schritt 4 ist am <b>30.09.2019</b> fällig.</p>",
                    "status": "failed",
                    "attempts": 3,
                    "last_error": "SMTP 451: try again later",
                    "next_attempt_at": evening,
                    "created_at": T0,
                    "sent_at": evening,
                    "programme_id": "digital-und-sozial",
                    "claimed_at": evening,
                    "claimed_by": "steuerung-1:4711:5f3a9c2e1b7d",
                    "claimed_until": evening + timedelta(minutes=5),
                    "sending_at": evening,
                    "given_up_at": evening,
                }
            ],
        ),
        "notice_log": (
            NoticeLogRow,
            [
                {
                    "id": 41,
                    "programme_id": "digital-und-sozial",
                    "recipient": "gf-nord",
                    "notice_key": "step_due|caritas-nord|step:cloud:4|due-7",
                    "kind": "step_due",
                    "scope_key": "caritas-nord",
                    "item": "step:cloud:4",
                    "occasion": "due-7",
                    "message_key": "digital-und-sozial:gf-nord:email:ab12",
                    "created_at": T0,
                    "notice_data": {"facts": {"step": 4, "title": "Pilotierung"}, "dimension": ""},
                }
            ],
        ),
        "audit_log": (
            AuditLogRow,
            [
                {
                    "id": 50,
                    "at": evening,
                    "actor": "projektleitung",
                    "action": "phase_override",
                    "subject_type": "pdca_cycle",
                    "subject_id": "7",
                    "details": {"from": "do", "to": "check", "anzahl": 3, "quote": 0.5},
                }
            ],
        ),
        "portal_links": (
            PortalLinkRow,
            [
                {
                    "id": 60,
                    "token_hash": "a" * 64,
                    "programme_id": "digital-und-sozial",
                    "person_id": "gf-nord",
                    "created_at": T0,
                    "expires_at": evening,
                    "used_at": evening,
                    "revoked_at": evening,
                }
            ],
        ),
        "portal_sessions": (
            PortalSessionRow,
            [
                {
                    "id": 61,
                    "token_hash": "b" * 64,
                    "programme_id": "digital-und-sozial",
                    "person_id": "gf-nord",
                    "csrf_token": "c" * 43,
                    "created_at": T0,
                    "last_seen_at": evening,
                    "revoked_at": evening,
                }
            ],
        ),
        "portal_calendars": (
            PortalCalendarRow,
            [
                {
                    "id": 71,
                    "token_hash": "d" * 64,
                    "programme_id": "digital-und-sozial",
                    "person_id": "gf-nord",
                    "created_at": T0,
                    "revoked_at": evening,
                }
            ],
        ),
        "portal_attempts": (
            PortalAttemptRow,
            [{"id": 62, "client": "d" * 64, "attempted_at": evening}],
        ),
    }


def test_every_table_round_trips(store: Engine) -> None:
    rows = _fully_populated_rows()
    assert set(rows) == set(metadata.tables), "add a fully populated row for every new table"
    for table_name, (_model, values_list) in rows.items():
        columns = {column.key for column in metadata.tables[table_name].columns}
        for values in values_list:
            assert set(values) == columns, f"{table_name}: populate every column"

    session_factory = make_session_factory(store)
    with session_factory() as session:
        for model, values_list in rows.values():
            for values in values_list:
                session.add(model(**values))
                session.flush()
        session.commit()

    with session_factory() as session:
        for table_name, (model, values_list) in rows.items():
            for values in values_list:
                key = {c.key: values[c.key] for c in sa.inspect(model).primary_key}
                loaded = session.get(model, key)
                assert loaded is not None, table_name
                for column, expected in values.items():
                    actual = getattr(loaded, column)
                    assert actual == expected, f"{table_name}.{column}"
                    assert type(actual) is type(expected), f"{table_name}.{column}"
                    if isinstance(actual, datetime):
                        assert actual.tzinfo is UTC, f"{table_name}.{column} is read back in UTC"


def test_sqlite_uses_wal_and_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url, busy_timeout_ms=4321)
    default_engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with default_engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
    finally:
        engine.dispose()
        default_engine.dispose()


def test_sqlite_engine_creates_the_missing_data_directory(sqlite_url: str) -> None:
    database = Path(sa.make_url(sqlite_url).database or "")
    assert not database.parent.exists()

    upgrade(sqlite_url)

    assert database.is_file()


def test_sqlite_enforces_foreign_keys(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(IntegrityError), SqlUnitOfWork.for_engine(engine) as uow:
            uow.session.add(
                PdcaCycleRow(
                    programme_id="digital-und-sozial",
                    organisation_id="unknown",
                    number=1,
                    phase="plan",
                    started_at=T0,
                )
            )
            uow.commit()
    finally:
        engine.dispose()


def test_unique_checkpoint_key_prevents_duplicates(store: Engine) -> None:
    with SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_checkpoint(checkpoint_id=1))
        uow.commit()

    with pytest.raises(IntegrityError), SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_checkpoint(checkpoint_id=2))
        uow.commit()

    with SqlUnitOfWork.for_engine(store) as uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(CheckpointRow)) == 1


def test_programme_level_assessment_is_unique_per_checkpoint_and_dimension(store: Engine) -> None:
    with SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_checkpoint())
        uow.session.add_all(
            [
                _assessment(None, "quality"),
                _assessment(None, "cost"),
                _assessment("caritas-nord", "quality"),
                _assessment("diakonie-sued", "quality"),
            ]
        )
        uow.commit()

    with pytest.raises(IntegrityError), SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_assessment(None, "quality"))
        uow.commit()

    with SqlUnitOfWork.for_engine(store) as uow:
        programme_rows = uow.session.scalars(
            sa.select(AssessmentRow).where(AssessmentRow.scope_key == PROGRAMME_SCOPE)
        ).all()
        assert sorted(row.dimension for row in programme_rows) == ["cost", "quality"]
        assert all(row.organisation_id is None for row in programme_rows)


def test_overall_abort_decision_is_unique_per_checkpoint_and_scope(store: Engine) -> None:
    def decision(organisation_id: str | None, criterion_id: str | None) -> AbortDecisionRow:
        return AbortDecisionRow(
            checkpoint_id=1,
            organisation_id=organisation_id,
            decision="watch",
            criterion_id=criterion_id,
            evidence={},
            mitigations=[],
            created_at=T0,
        )

    with SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_checkpoint())
        uow.session.add_all(
            [decision(None, None), decision(None, "red-twice"), decision("caritas-nord", None)]
        )
        uow.commit()

    with pytest.raises(IntegrityError), SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(decision(None, None))
        uow.commit()


def test_scope_key_follows_the_organisation_id(store: Engine) -> None:
    with SqlUnitOfWork.for_engine(store) as uow:
        uow.session.add(_checkpoint())
        programme = _assessment(None)
        moved = _assessment("caritas-nord", "cost")
        uow.session.add_all([programme, moved])
        uow.commit()
        moved.organisation_id = None
        uow.commit()

    with SqlUnitOfWork.for_engine(store) as uow:
        rows = uow.session.scalars(sa.select(AssessmentRow)).all()
        assert {(row.organisation_id, row.scope_key) for row in rows} == {(None, PROGRAMME_SCOPE)}


def test_the_database_refuses_a_scope_key_that_disagrees_with_the_organisation(
    store: Engine,
) -> None:
    with store.begin() as connection:
        connection.execute(sa.insert(CheckpointRow).values(**_row_values(_checkpoint())))
    with pytest.raises(IntegrityError), store.begin() as connection:
        values = _row_values(_assessment("caritas-nord"))
        connection.execute(sa.insert(AssessmentRow).values({**values, "scope_key": ""}))


def _row_values(row: Base) -> dict[str, Any]:
    columns = row.__table__.columns
    return {c.key: getattr(row, c.key) for c in columns if getattr(row, c.key) is not None}


def test_naive_datetimes_are_refused(store: Engine) -> None:
    with (
        pytest.raises(StatementError, match="naive datetime"),
        SqlUnitOfWork.for_engine(store) as uow,
    ):
        checkpoint = _checkpoint()
        checkpoint.scheduled_for = datetime(2019, 7, 1, 9, 30)
        uow.session.add(checkpoint)
        uow.commit()


def test_outbox_never_stores_a_url_as_channel_hint(store: Engine) -> None:
    with pytest.raises(ValueError, match="never a URL"):
        OutboxRow(channel_hint="mailtos://user:geheim@mail.example")

    values = {
        "idempotency_key": "k1",
        "recipient": "gf-nord",
        "channel_hint": "msteams://token@team",
        "kind": "step_due",
        "subject": "s",
        "body_text": "b",
        "status": "pending",
        "attempts": 0,
        "created_at": T0,
    }
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(sa.insert(OutboxRow).values(values))


def test_uow_rolls_back_without_commit(store: Engine) -> None:
    uow = SqlUnitOfWork(make_session_factory(store))

    with uow:
        uow.session.add(_organisation("ohne-commit"))

    with pytest.raises(RuntimeError, match="boom"), uow:
        uow.session.add(_organisation("mit-fehler"))
        raise RuntimeError("boom")

    with uow:
        uow.session.add(_organisation("bestaetigt"))
        uow.commit()
        uow.session.add(_organisation("nach-commit"))

    with uow:
        stored = uow.session.scalars(sa.select(OrganisationRow.id)).all()
    assert stored == ["bestaetigt"]


def test_uow_session_is_only_available_inside_the_block(store: Engine) -> None:
    uow = SqlUnitOfWork.for_engine(store)

    with pytest.raises(RuntimeError, match="not open"):
        uow.session  # noqa: B018
    with uow, pytest.raises(RuntimeError, match="do not nest"), uow:
        pass


def test_constraint_and_index_names_fit_the_postgres_identifier_limit() -> None:
    names: list[object] = []
    for table in metadata.tables.values():
        names += [constraint.name for constraint in table.constraints]
        names += [index.name for index in table.indexes]
    unnamed = [name for name in names if not isinstance(name, str) or not name]
    assert unnamed == [], "every constraint and index is named by the naming convention"
    too_long = [name for name in names if len(str(name)) > POSTGRES_IDENTIFIER_LIMIT]
    assert too_long == []


def test_bulk_insert_converts_like_the_orm_on_every_backend(store: Engine) -> None:
    from steering.adapters.db.bulk import insert_many

    table = MeasurementRow.__table__
    berlin = timezone(timedelta(hours=2))
    with store.begin() as connection:
        insert_many(
            connection,
            table,  # type: ignore[arg-type]
            [
                {
                    "indicator_key": "teilnehmende",
                    "scope_key": "",
                    "period": "2019-H1",
                    "value": 12.5,
                },
                {"indicator_key": "kosten", "scope_key": "", "period": "2019-H2", "value": None},
            ],
            constants={
                "programme_id": "digital-und-sozial",
                "source_key": "kennzahlen",
                "recorded_at": datetime(2019, 7, 1, 10, 0, tzinfo=berlin),
                "superseded": False,
            },
        )
    with make_session_factory(store)() as session:
        rows = session.scalars(sa.select(MeasurementRow).order_by(MeasurementRow.period)).all()
    assert [(r.indicator_key, r.value, r.superseded) for r in rows] == [
        ("teilnehmende", 12.5, False),
        ("kosten", None, False),
    ]
    assert {r.recorded_at for r in rows} == {datetime(2019, 7, 1, 8, 0, tzinfo=UTC)}
