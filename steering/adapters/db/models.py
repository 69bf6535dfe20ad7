"""All tables of the durable store in one import; `metadata` is what migrations target."""

from __future__ import annotations

from sqlalchemy import MetaData

from steering.adapters.db.base import PROGRAMME_SCOPE, Base, scope_key
from steering.adapters.db.models_checkpoints import (
    AbortDecisionRow,
    AssessmentRow,
    CheckpointRow,
    CheckpointSnapshotRow,
    LeadDecisionRow,
    PendingNoticesRow,
)
from steering.adapters.db.models_indicators import ImportRow, MeasurementRow
from steering.adapters.db.models_messaging import AuditLogRow, NoticeLogRow, OutboxRow
from steering.adapters.db.models_pdca import (
    EvidenceRow,
    OrganisationRow,
    PdcaCycleRow,
    PhaseTransitionRow,
)
from steering.adapters.db.models_portal import (
    PortalAttemptRow,
    PortalCalendarRow,
    PortalLinkRow,
    PortalSessionRow,
)
from steering.adapters.db.models_steps import StepProgressRow, SubtaskStatusRow

metadata: MetaData = Base.metadata

__all__ = [
    "PROGRAMME_SCOPE",
    "AbortDecisionRow",
    "AssessmentRow",
    "AuditLogRow",
    "Base",
    "CheckpointRow",
    "CheckpointSnapshotRow",
    "EvidenceRow",
    "ImportRow",
    "LeadDecisionRow",
    "MeasurementRow",
    "NoticeLogRow",
    "OrganisationRow",
    "OutboxRow",
    "PdcaCycleRow",
    "PendingNoticesRow",
    "PhaseTransitionRow",
    "PortalAttemptRow",
    "PortalCalendarRow",
    "PortalLinkRow",
    "PortalSessionRow",
    "StepProgressRow",
    "SubtaskStatusRow",
    "metadata",
    "scope_key",
]
