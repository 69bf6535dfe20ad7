"""The portal's ports: where sign-in links, sessions and attempts live, and evidence files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SignInLink:
    """A stored sign-in link (its hash only) and what became of it."""

    person_id: str
    programme_id: str
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class PortalSession:
    """A signed-in browser: who it is, its form token, when it was last used."""

    person_id: str
    programme_id: str
    csrf_token: str
    last_seen_at: datetime


@dataclass(frozen=True)
class CalendarSubscription:
    """A person's calendar feed subscription, as stored (by the hash of its secret)."""

    person_id: str
    programme_id: str
    revoked_at: datetime | None


class AccessStore(Protocol):
    """Sign-in links, sessions and sign-in attempts; every method is its own transaction."""

    def add_link(
        self,
        token_hash: str,
        *,
        programme_id: str,
        person_id: str,
        now: datetime,
        expires: datetime,
    ) -> None:
        """Store a new sign-in link by its hash."""
        ...

    def link(self, token_hash: str) -> SignInLink | None:
        """The link with this hash, if any."""
        ...

    def redeem(
        self, token_hash: str, *, session_hash: str, csrf_token: str, now: datetime
    ) -> PortalSession | None:
        """Use up a valid link and open a session for its person; None if the link is not valid."""
        ...

    def session(self, token_hash: str) -> PortalSession | None:
        """The open (not revoked) session with this hash, if any."""
        ...

    def touch(self, token_hash: str, now: datetime) -> None:
        """Note that the session was used now."""
        ...

    def end_session(self, token_hash: str, now: datetime) -> None:
        """Close one session (sign-out)."""
        ...

    def revoke(self, programme_id: str, person_id: str, now: datetime) -> tuple[int, int]:
        """Revoke the person's unused links and open sessions; (links, sessions) revoked."""
        ...

    def failures_since(self, client: str, since: datetime) -> int:
        """How many failed sign-in attempts `client` made since `since`."""
        ...

    def add_calendar(
        self, token_hash: str, *, programme_id: str, person_id: str, now: datetime
    ) -> None:
        """Store a new calendar subscription by the hash of its secret."""
        ...

    def calendar(self, token_hash: str) -> CalendarSubscription | None:
        """The calendar subscription with this hash, revoked or not, if any."""
        ...

    def revoke_calendars(self, programme_id: str, person_id: str, now: datetime) -> int:
        """Revoke the person's calendar subscriptions; how many were revoked."""
        ...

    def add_failure(self, client: str, *, now: datetime, forget_before: datetime) -> None:
        """Note a failed sign-in attempt of `client`; attempts before `forget_before` go."""
        ...


class EvidenceFiles(Protocol):
    """Where uploaded evidence files are kept, under names the store chooses."""

    def save(self, organisation_id: str, suffix: str, content: bytes) -> str:
        """Keep the content; returns its reference (organisation/digest.suffix)."""
        ...

    def read(self, organisation_id: str, name: str) -> bytes | None:
        """The kept file `name` (digest.suffix) of the organisation, if there is one."""
        ...
