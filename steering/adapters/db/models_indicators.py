"""Tables of indicator values: imported files and the measurements read from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from steering.adapters.db.base import (
    PERIOD_LENGTH,
    PROGRAMME_SCOPE,
    Base,
    UtcDateTime,
    json_type,
    one_of,
    scope_key,
    slug,
    status,
)

IMPORT_STATUSES = ["active", "superseded"]
SCOPE_KEY_CHECK = f"scope_key = coalesce(organisation_id, '{PROGRAMME_SCOPE}')"
# One current value per key, enforced by the store: concurrent writers cannot both win.
CURRENT_VALUE_KEY = ("programme_id", "indicator_key", "scope_key", "period")
CURRENT_ONLY = "NOT superseded"


class ImportRow(Base):
    """One imported source file; the same content is imported once per source."""

    __tablename__ = "imports"
    __table_args__ = (
        UniqueConstraint("programme_id", "source_key", "content_hash"),
        CheckConstraint(one_of("status", IMPORT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    source_key: Mapped[str] = mapped_column(slug())
    file_name: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(status(), default="active")
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    # A survey's per-question answer distribution for its period (numbers only).
    summary: Mapped[dict[str, Any] | None] = mapped_column(json_type())

    successor: Mapped[ImportRow | None] = relationship(remote_side=[id])
    measurements: Mapped[list[MeasurementRow]] = relationship(back_populates="source_import")


class MeasurementRow(Base):
    """One actual value (Ist) of an indicator for a period; NULL value means "no value"."""

    __tablename__ = "measurements"
    __table_args__ = (
        Index(
            "uq_measurements_current",
            *CURRENT_VALUE_KEY,
            unique=True,
            sqlite_where=text(CURRENT_ONLY),
            postgresql_where=text(CURRENT_ONLY),
        ),
        CheckConstraint(SCOPE_KEY_CHECK, name="scope_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    indicator_key: Mapped[str] = mapped_column(slug())
    # NULL = programme scope; scope_key mirrors it without NULL (see base.PROGRAMME_SCOPE).
    organisation_id: Mapped[str | None] = mapped_column(slug())
    scope_key: Mapped[str] = mapped_column(slug(), default=PROGRAMME_SCOPE)
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    value: Mapped[float | None] = mapped_column(Float)
    source_key: Mapped[str] = mapped_column(slug())
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)

    source_import: Mapped[ImportRow | None] = relationship(back_populates="measurements")

    @validates("organisation_id")
    def _sync_scope_key(self, _key: str, organisation_id: str | None) -> str | None:
        self.scope_key = scope_key(organisation_id)
        return organisation_id
