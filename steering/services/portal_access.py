"""Use cases of portal access: sign-in links, sessions, the sign-in rate limit, who sees what."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Role
from steering.ports.portal import AccessStore, PortalSession
from steering.ports.store import UnitOfWork

LINK_DAYS = 7
IDLE_MINUTES = 120
SIGN_INS_PER_WINDOW = 10
WINDOW_MINUTES = 15
# A session's last use is written at most this often: every page view would be a write.
TOUCH_EVERY = timedelta(minutes=1)


class Refusal(StrEnum):
    """Why a link or session was not accepted (the portal words each one)."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NO_PERSON = "no-person"
    TOO_MANY = "too-many"


class AccessRefused(Exception):
    """A sign-in link or session that does not let anyone in."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


class UnknownPersonError(LookupError):
    """The definition names no such person."""


@dataclass(frozen=True)
class Visitor:
    """A signed-in person as the portal serves them."""

    person_id: str
    name: str
    language: str
    lead: bool
    organisations: tuple[str, ...]  # the ones they may read and act for
    csrf_token: str

    def may_act_for(self, organisation_id: str) -> bool:
        """Whether this person may see and change the organisation."""
        return organisation_id in self.organisations


def digest(token: str) -> str:
    """The hash under which a token is stored (never the token itself)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def is_lead(definition: ProgrammeDefinition, person_id: str) -> bool:
    """Whether the person leads the programme (the programme's lead or a project_lead role)."""
    if person_id == definition.programme.lead:
        return True
    person = definition.people_by_id.get(person_id)
    return person is not None and person.role is Role.PROJECT_LEAD


def organisations_of(definition: ProgrammeDefinition, person_id: str) -> tuple[str, ...]:
    """The organisations the person may see: all for the lead, else those they own."""
    lead = is_lead(definition, person_id)
    return tuple(o.id for o in definition.organisations if lead or person_id in o.owners)


def _audit(
    uow: UnitOfWork, *, actor: str, action: str, person_id: str, now: datetime, **details: object
) -> None:
    with uow:
        uow.repo.audit(
            actor=actor,
            action=action,
            subject_type="person",
            subject_id=person_id,
            details=dict(details),
            now=now,
        )
        uow.commit()


def issue_link(
    definition: ProgrammeDefinition,
    person_id: str,
    *,
    store: AccessStore,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
    days: int = LINK_DAYS,
) -> str:
    """Create a single-use sign-in token for the person; only its hash is kept (audited)."""
    if not any(p.id == person_id for p in definition.people):
        raise UnknownPersonError(person_id)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=days)
    store.add_link(
        digest(token),
        programme_id=definition.programme.id,
        person_id=person_id,
        now=now,
        expires=expires,
    )
    _audit(
        uow,
        actor=actor,
        action="portal-link-issued",
        person_id=person_id,
        now=now,
        expires=expires.isoformat(),
    )
    return token


def revoke_access(
    definition: ProgrammeDefinition,
    person_id: str,
    *,
    store: AccessStore,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> tuple[int, int]:
    """Revoke the person's unused links and end their sessions; (links, sessions) revoked."""
    if not any(p.id == person_id for p in definition.people):
        raise UnknownPersonError(person_id)
    links, sessions = store.revoke(definition.programme.id, person_id, now)
    _audit(
        uow,
        actor=actor,
        action="portal-access-revoked",
        person_id=person_id,
        now=now,
        links=links,
        sessions=sessions,
    )
    return links, sessions


def check_link(
    definition: ProgrammeDefinition, token: str, *, store: AccessStore, now: datetime
) -> str:
    """The person a usable link signs in (without using it up), else AccessRefused."""
    found = store.link(digest(token))
    if found is None or found.programme_id != definition.programme.id:
        raise AccessRefused(Refusal.UNKNOWN)
    if found.revoked_at is not None:
        raise AccessRefused(Refusal.REVOKED)
    if found.used_at is not None:
        raise AccessRefused(Refusal.USED)
    if found.expires_at <= now:
        raise AccessRefused(Refusal.EXPIRED)
    return found.person_id


def used_by(
    definition: ProgrammeDefinition, token: str, person_id: str, *, store: AccessStore
) -> bool:
    """Whether the link was used (not revoked) by this person: a message's other links then
    lead a signed-in person on instead of refusing them."""
    found = store.link(digest(token))
    return (
        found is not None
        and found.programme_id == definition.programme.id
        and found.revoked_at is None
        and found.used_at is not None
        and found.person_id == person_id
    )


def admit(
    client: str, *, store: AccessStore, now: datetime, limit: int = SIGN_INS_PER_WINDOW
) -> None:
    """Refuse a client (AccessRefused) that failed `limit` times within the window.

    Only failures count: colleagues signing in behind one office address are not held up.
    """
    since = now - timedelta(minutes=WINDOW_MINUTES)
    if store.failures_since(digest(client), since) >= limit:
        raise AccessRefused(Refusal.TOO_MANY)


def note_failure(client: str, *, store: AccessStore, now: datetime) -> None:
    """Count a failed sign-in attempt (a forged, used, expired or revoked link) of the client."""
    store.add_failure(
        digest(client), now=now, forget_before=now - timedelta(minutes=WINDOW_MINUTES)
    )


def sign_in(
    definition: ProgrammeDefinition,
    token: str,
    *,
    store: AccessStore,
    uow: UnitOfWork,
    now: datetime,
) -> tuple[str, Visitor]:
    """Use up the link and open a session: (session token for the cookie, the visitor)."""
    check_link(definition, token, store=store, now=now)
    session_token = secrets.token_urlsafe(32)
    opened = store.redeem(
        digest(token),
        session_hash=digest(session_token),
        csrf_token=secrets.token_urlsafe(32),
        now=now,
    )
    if opened is None:  # another request used the link a moment ago
        raise AccessRefused(Refusal.USED)
    signed_in = _visitor(definition, opened)
    _audit(
        uow,
        actor=signed_in.person_id,
        action="portal-sign-in",
        person_id=signed_in.person_id,
        now=now,
    )
    return session_token, signed_in


def visitor(
    definition: ProgrammeDefinition,
    session_token: str,
    *,
    store: AccessStore,
    now: datetime,
    idle_minutes: int = IDLE_MINUTES,
) -> Visitor:
    """The person a session cookie belongs to (noting the use), else AccessRefused."""
    hashed = digest(session_token)
    found = store.session(hashed)
    if found is None or found.programme_id != definition.programme.id:
        raise AccessRefused(Refusal.UNKNOWN)
    if now - found.last_seen_at > timedelta(minutes=idle_minutes):
        store.end_session(hashed, now)
        raise AccessRefused(Refusal.EXPIRED)
    if now - found.last_seen_at >= TOUCH_EVERY:
        store.touch(hashed, now)
    return _visitor(definition, found)


def sign_out(session_token: str, *, store: AccessStore, now: datetime) -> None:
    """End the session of this cookie."""
    store.end_session(digest(session_token), now)


def _visitor(definition: ProgrammeDefinition, session: PortalSession) -> Visitor:
    person = next((p for p in definition.people if p.id == session.person_id), None)
    if person is None:  # removed from the definition since: no access any more
        raise AccessRefused(Refusal.NO_PERSON)
    return Visitor(
        person_id=person.id,
        name=person.name,
        language=person.language,
        lead=is_lead(definition, person.id),
        organisations=organisations_of(definition, person.id),
        csrf_token=session.csrf_token,
    )
