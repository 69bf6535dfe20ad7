"""The root of a programme definition."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from steering.domain.definition.common import PeriodId, Slug, StrictModel, half_year
from steering.domain.definition.indicators import Indicator
from steering.domain.definition.operations import Event, Notifications, Reminders, Schedules
from steering.domain.definition.organisations import Organisation, Person
from steering.domain.definition.process import (
    DriverIntegrationTemplate,
    PdcaTemplate,
    default_driver_integration,
    default_pdca,
)
from steering.domain.definition.rules import AbortCriterion, LightRule, Risk
from steering.domain.definition.sources import Source


class Period(StrictModel):
    """A reporting period; dates default to the half-year's first and last day."""

    id: PeriodId
    start: date
    end: date

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {"id": data}
        if isinstance(data, dict) and "id" in data and isinstance(data["id"], str):
            try:
                hy = half_year(data["id"])
            except ValueError:
                return data
            data = {"start": hy.start, "end": hy.end, **data}
        return data

    @model_validator(mode="after")
    def _start_before_end(self) -> Period:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class Programme(StrictModel):
    """Programme metadata: id, title, timezone, language, periods and the project lead."""

    id: Slug
    title: str = Field(min_length=1)
    timezone: str = "Europe/Berlin"
    language: str = Field(default="de", pattern="^(de|en)$")
    lead: Slug
    periods: list[Period] = Field(min_length=1)
    funder: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, tz: str) -> str:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            raise ValueError(f"unknown timezone '{tz}' (e.g. Europe/Berlin)") from None
        return tz


class ProgrammeDefinition(StrictModel):
    """Everything a project lead configures for one programme."""

    programme: Programme
    people: list[Person] = Field(min_length=1)
    organisations: list[Organisation] = Field(default_factory=list)
    pdca: PdcaTemplate = Field(default_factory=default_pdca)
    driver_integration: DriverIntegrationTemplate = Field(
        default_factory=default_driver_integration
    )
    sources: list[Source] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    traffic_lights: list[LightRule] = Field(default_factory=list)
    abort_criteria: list[AbortCriterion] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    schedules: Schedules = Schedules()
    reminders: Reminders = Reminders()
    notifications: Notifications = Notifications()
    events: list[Event] = Field(default_factory=list)

    def person(self, person_id: str) -> Person:
        """The person with this id."""
        return self.people_by_id[person_id]

    @property
    def people_by_id(self) -> dict[str, Person]:
        """Every person by id (looked up per notice and message: a list scan is quadratic)."""
        return cast(dict[str, Person], self._index("people", self.people))

    def organisation(self, org_id: str) -> Organisation:
        """The organisation with this id."""
        return cast(Organisation, self._index("organisations", self.organisations)[org_id])

    def _index(self, name: str, items: Sequence[Person] | Sequence[Organisation]) -> dict[str, Any]:
        """Items by id, kept with the list they were made of.

        model_copy(update={"people": ...}) copies cached values, so an index is rebuilt
        whenever its list is no longer the one it was made of.
        """
        made_of, index = self.__dict__.get(f"_{name}_index", (None, None))
        if made_of is not items or index is None:
            index = {item.id: item for item in items}
            self.__dict__[f"_{name}_index"] = (items, index)
        return cast(dict[str, Any], index)

    def indicator(self, key: str) -> Indicator:
        """The indicator with this key."""
        return next(i for i in self.indicators if i.key == key)

    def period_ids(self) -> list[str]:
        """Reporting period ids in order."""
        return [p.id for p in self.programme.periods]
