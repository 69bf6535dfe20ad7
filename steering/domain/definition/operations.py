"""Schedules, reminders, notification routing and programme events."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from steering.domain.definition.common import Slug, StrictModel

_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


def _cron(expr: str) -> str:
    fields = expr.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ValueError(f"'{expr}' is not a cron expression with 5 fields (min h dom mon dow)")
    return expr


Cron = Annotated[str, AfterValidator(_cron)]


class Schedules(StrictModel):
    """Cron schedules in the programme's timezone; omitted ones are not scheduled."""

    checkpoint: Cron | None = "0 7 1 1,7 *"
    pdca_cycle: Cron | None = "30 6 * * 1-5"
    driver_integration: Cron | None = "45 6 * * 1-5"
    reminders: Cron | None = "0 8 * * 1-5"


class Reminders(StrictModel):
    """Reminder lead times, repetition, limits and escalation."""

    due_lead_days: list[int] = Field(default_factory=lambda: [7, 2])
    repeat_every_days: int = Field(default=7, ge=1, le=90)
    max_per_item: int = Field(default=5, ge=1, le=50)
    escalate_after_working_days: int = Field(default=2, ge=0, le=60)
    # Relative to a period's end: negative before, positive after (as DHIS2 does).
    data_missing_days: list[int] = Field(default_factory=lambda: [-14, -3, 7])
    quiet_on_weekends: bool = True
    quiet_on_holidays: bool = True

    @model_validator(mode="after")
    def _positive_lead(self) -> Reminders:
        if any(d < 0 for d in self.due_lead_days):
            raise ValueError("due_lead_days are days before the due date and must be >= 0")
        return self


Recipient = Annotated[
    str,
    Field(pattern=r"^(owners|project_lead|role:[a-z_]+|tag:[\w-]+|[a-z0-9][a-z0-9_-]{0,62})$"),
]


class Routing(StrictModel):
    """Who hears of what: person ids, 'owners', 'project_lead', 'role:X' or 'tag:X'."""

    light_change: list[Recipient] = Field(default_factory=lambda: ["owners", "project_lead"])
    abort_decision: list[Recipient] = Field(default_factory=lambda: ["project_lead"])
    reminder: list[Recipient] = Field(default_factory=lambda: ["owners"])
    escalation: list[Recipient] = Field(default_factory=lambda: ["project_lead"])
    data_missing: list[Recipient] = Field(default_factory=lambda: ["owners"])
    event: list[Recipient] = Field(default_factory=lambda: ["owners"])
    evaluation_waiting: list[Recipient] = Field(default_factory=lambda: ["project_lead"])
    # Messages given up after the last retry, and people who cannot be reached on any channel.
    delivery_problems: list[Recipient] = Field(default_factory=lambda: ["project_lead"])


class Notifications(StrictModel):
    """Notification settings of the programme."""

    routing: Routing = Routing()
    ui_url: str | None = Field(default=None, pattern=r"^https?://")


class Event(StrictModel):
    """A programme event such as a development circle or a conference."""

    id: Slug
    title: str
    kind: Literal["entwicklungszirkel", "fachtag", "expertenforum", "webinar", "sonstiges"]
    date: date
    organisations: list[Slug] | Literal["all"] = "all"
    remind_days_before: list[int] = Field(default_factory=lambda: [14, 2])
