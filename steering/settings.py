"""Runtime settings from the environment (prefix STEERING_) and an optional .env file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from steering.domain.notifications.delivery import (
    DEFAULT_CLAIM_BATCH,
    DEFAULT_LEASE,
    DEFAULT_MAX_ATTEMPTS,
    GiveUp,
    Lease,
)
from steering.domain.notifications.swing import DEFAULT_MINIMUM, DEFAULT_SHARE, SwingGuard
from steering.io_retries import FLOW_STEP_PAUSES

DEFAULT_PORTAL_URL = "http://127.0.0.1:8400"


class Settings(BaseSettings):
    """Where data lives and how the engine talks to the outside."""

    model_config = SettingsConfigDict(
        env_prefix="STEERING_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"))
    # Folders source files may lie in besides the definition's own folder (and the shipped
    # examples): STEERING_DATA_ROOTS=/srv/daten:/mnt/export, separated like PATH.
    data_roots: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    database_url: str | None = None
    language: str = Field(default="de", pattern="^(de|en)$")
    prefect_ui_url: str | None = None
    # Where participants reach the portal; when set, messages link into it (sign-in links)
    # and report links point at its downloads. Unset: printed links use the local default.
    portal_url: str | None = Field(default=None, pattern=r"^https?://")
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto the portal trusts (comma-
    # separated, "*" for any): then the sign-in rate limit counts the real client address.
    portal_forwarded_allow_ips: str | None = None
    # Minutes a portal session stays signed in without being used.
    portal_idle_minutes: int = Field(default=120, ge=1, le=24 * 60)
    apprise_config: Path | None = None
    # An apprise mail URL without recipient, e.g. mailtos://user:${SMTP_PASSWORD}@smtp.example.org
    # ?from=steuerung@example.org; each person's e-mail address is added as `to`.
    mail_url: str | None = None
    # Look up ${secret:name} placeholders in Prefect Secret blocks (else only ${ENV_VAR}).
    prefect_secrets: bool = True
    sqlite_busy_timeout_ms: int = Field(default=15_000, ge=0)
    # Per-organisation status artifacts: every organisation, only those needing attention,
    # or 'auto' (every one up to `status_artifacts_all_up_to` organisations).
    status_artifacts: str = Field(default="auto", pattern="^(auto|all|attention)$")
    status_artifacts_all_up_to: int = Field(default=50, ge=0)
    # A large programme's checkpoint summary and matrix artifact list at most this many
    # organisations needing attention, most urgent first (the report file lists everyone):
    # Prefect keeps every artifact thrice, so they must not grow with the programme.
    summary_organisations: int = Field(default=100, ge=1)
    # Failed attempts after which a message is given up (a dead letter the lead is told of).
    # The default 20 spans about 3 days when retried as soon as due (1, 2, 4 ... 256 min, then
    # every 6 h); with only the working-day reminder run it is 20 runs (about 4 weeks).
    outbox_max_attempts: int = Field(default=DEFAULT_MAX_ATTEMPTS, ge=1, le=1000)
    # Hours after queuing when a message that failed at least 3 times is given up too: the
    # deliveries usually run once a working day, so 20 attempts alone would take 4 weeks.
    outbox_give_up_after_hours: int = Field(default=72, ge=1, le=24 * 365)
    # Pauses (seconds) before a checkpoint step runs again after a fault of our own: the
    # store failing while collecting (then the run fails, storing and telling nothing), or
    # publishing failing (store, Prefect API, disk full). Default: io_retries.FLOW_STEP_PAUSES.
    retry_seconds: list[float] = Field(
        default_factory=lambda: list(FLOW_STEP_PAUSES), max_length=10
    )
    # The swing guard: when more than this share of the lights compared with the previous
    # checkpoint got worse because data is missing, and at least `swing_guard_minimum` of
    # them, their owners are not told; the lead gets one notice per checkpoint instead.
    swing_guard_share: float = Field(default=DEFAULT_SHARE, ge=0.0, le=1.0)
    swing_guard_minimum: int = Field(default=DEFAULT_MINIMUM, ge=1)
    # A checkpoint run still Running this many minutes after another one started was killed
    # (kill -9, out of memory): the new run marks it Crashed. A checkpoint takes seconds.
    stale_run_minutes: float = Field(default=60.0, ge=0.0)

    @property
    def portal_base(self) -> str:
        """The portal's address for printed links: the configured one, else the local default."""
        return self.portal_url or DEFAULT_PORTAL_URL

    def swing_guard(self) -> SwingGuard:
        """The swing guard these settings choose."""
        return SwingGuard(self.swing_guard_share, self.swing_guard_minimum)

    # Messages a sender claims at a time, and how long its claim lasts unless renewed (it is
    # renewed before each message and every third of it while sending): a sender that dies
    # blocks at most this many messages for at most this long.
    outbox_claim_batch: int = Field(default=DEFAULT_CLAIM_BATCH, ge=1, le=1000)
    outbox_lease_seconds: int = Field(default=int(DEFAULT_LEASE.total_seconds()), ge=3, le=86_400)
    # Messages sent at the same time by one run. Each sender has one message in flight, so a
    # crash may repeat up to this many messages (1: at most one).
    outbox_senders: int = Field(default=1, ge=1, le=32)

    def lease(self) -> Lease:
        """How senders hold the outbox's messages."""
        return Lease(self.outbox_claim_batch, timedelta(seconds=self.outbox_lease_seconds))

    def give_up(self) -> GiveUp:
        """The dead-letter rule these settings choose."""
        return GiveUp(self.outbox_max_attempts, timedelta(hours=self.outbox_give_up_after_hours))

    @field_validator("data_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _no_placeholder(cls, url: str | None) -> str | None:
        if url is not None and "change-me" in url:
            raise ValueError("STEERING_DATABASE_URL still holds the placeholder 'change-me'")
        return url

    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'steering.sqlite').resolve()}"


PLACEHOLDER = "change-me"
_SECRET_PREFIXES = ("STEERING_", "PREFECT_", "POSTGRES_", "SMTP_")


def placeholders_left(environ: Mapping[str, str]) -> list[str]:
    """Variables that still hold .env.example's placeholder (the service must not start)."""
    return sorted(
        name
        for name, value in environ.items()
        if name.startswith(_SECRET_PREFIXES) and PLACEHOLDER in value
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
