"""People and participating organisations."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import Field, field_validator

from steering.domain.definition.common import Slug, StrictModel, contains_inline_secret
from steering.domain.vocabulary import Driver, ExperimentField, FederalState

_WHOLE_ENV_REF = re.compile(r"^\$\{(?:[A-Z_][A-Z0-9_]*|secret:[a-z0-9][a-z0-9-]*)\}$")


class Role(StrEnum):
    """Role of a person in the programme."""

    PROJECT_LEAD = "project_lead"
    OWNER = "owner"
    EVALUATOR = "evaluator"
    EXPERT = "expert"


class Person(StrictModel):
    """Someone who is notified or owns work; contacts are apprise URLs or tags."""

    id: Slug
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.OWNER
    language: str = Field(default="de", pattern="^(de|en)$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    notify: list[str] = Field(default_factory=list)
    apprise_tags: list[str] = Field(default_factory=list)

    @field_validator("notify")
    @classmethod
    def _no_inline_secrets(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if _WHOLE_ENV_REF.match(url):
                continue  # the whole URL, credentials included, comes from the environment
            if "://" not in url:
                raise ValueError(f"'{url[:40]}' is not an apprise URL (scheme://...)")
            if contains_inline_secret(url):
                raise ValueError(
                    "credentials must not be written inline; use ${ENV_VAR} for passwords"
                )
        return urls


class Organisation(StrictModel):
    """A participating organisation (Träger) of the social economy."""

    id: Slug
    name: str = Field(min_length=1, max_length=300)
    state: FederalState
    experiment_fields: list[ExperimentField] = Field(min_length=1)
    owners: list[Slug] = Field(min_length=1)
    drivers: list[Driver] = Field(default_factory=list)
    active: bool = True
    joined: date | None = None
