"""Declarative base, constraint naming convention and the portable column types of the store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can refer to them on every backend.
# All names stay below PostgreSQL's 63-character identifier limit (a test checks this).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Sentinel convention for "programme scope": NULL never collides in a UNIQUE constraint (on
# SQLite and PostgreSQL alike), so two programme-level rows would not be deduplicated. Tables
# with a nullable organisation_id (measurements, assessments, abort_decisions) therefore carry a
# non-null `scope_key` = coalesce(organisation_id, ''), kept in sync by the model and enforced
# by a CHECK constraint; unique constraints and lookups use `scope_key`, never organisation_id.
PROGRAMME_SCOPE = ""

SLUG_LENGTH = 64
PERIOD_LENGTH = 16
STATUS_LENGTH = 16


def scope_key(organisation_id: str | None) -> str:
    """Return the non-null scope key of an organisation id (programme scope for None)."""
    return PROGRAMME_SCOPE if organisation_id is None else organisation_id


def slug() -> String:
    """Return the column type of an id written in the programme definition."""
    return String(SLUG_LENGTH)


def status() -> String:
    """Return the column type of a short closed-vocabulary value."""
    return String(STATUS_LENGTH)


def json_type() -> JSON:
    """Return the portable JSON column type (JSON on PostgreSQL, text on SQLite)."""
    return JSON()


def one_of(column: str, values: list[str]) -> str:
    """Return a portable CHECK expression restricting a column to the given values."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored as UTC and always read back aware in UTC.

    SQLite has no timezone support, so naive values would silently shift; naive input is
    therefore refused on every backend.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse naive ones."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware datetime")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        """Return the stored timestamp as an aware UTC datetime."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of all tables of the durable store."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
