"""Calendar subscriptions: a secret feed address per person, revocable, kept only as a hash."""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlsplit

from steering.domain.definition import ProgrammeDefinition
from steering.ports.portal import AccessStore
from steering.ports.store import UnitOfWork
from steering.services.portal_access import UnknownPersonError, digest


class CalendarUnknown(LookupError):
    """No subscription has this secret (a guessed or mistyped address)."""


class CalendarRevoked(LookupError):
    """The subscription was revoked: the feed is gone for good."""


def webcal_url(base: str, token: str) -> str:
    """The subscription address calendar programs open (webcal:// over the portal's host)."""
    parts = urlsplit(base)
    return f"webcal://{parts.netloc}{parts.path.rstrip('/')}/calendar/{token}.ics"


def _audit(uow: UnitOfWork, *, actor: str, action: str, person_id: str, now: datetime) -> None:
    with uow:
        uow.repo.audit(
            actor=actor,
            action=action,
            subject_type="person",
            subject_id=person_id,
            details={},
            now=now,
        )
        uow.commit()


def issue_calendar(
    definition: ProgrammeDefinition,
    person_id: str,
    *,
    store: AccessStore,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> str:
    """A new secret for the person's calendar feed; only its hash is kept (audited)."""
    if not any(p.id == person_id for p in definition.people):
        raise UnknownPersonError(person_id)
    token = secrets.token_urlsafe(32)
    store.add_calendar(
        digest(token), programme_id=definition.programme.id, person_id=person_id, now=now
    )
    _audit(uow, actor=actor, action="portal-calendar-issued", person_id=person_id, now=now)
    return token


def revoke_calendars(
    definition: ProgrammeDefinition,
    person_id: str,
    *,
    store: AccessStore,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> int:
    """Revoke every calendar subscription of the person; how many (audited)."""
    if not any(p.id == person_id for p in definition.people):
        raise UnknownPersonError(person_id)
    revoked = store.revoke_calendars(definition.programme.id, person_id, now)
    _audit(uow, actor=actor, action="portal-calendar-revoked", person_id=person_id, now=now)
    return revoked


def calendar_person(definition: ProgrammeDefinition, token: str, *, store: AccessStore) -> str:
    """The person whose feed this secret opens; CalendarUnknown or CalendarRevoked if none."""
    found = store.calendar(digest(token))
    if found is None or found.programme_id != definition.programme.id:
        raise CalendarUnknown(token[:6])
    if found.revoked_at is not None:
        raise CalendarRevoked(token[:6])
    if not any(p.id == found.person_id for p in definition.people):
        raise CalendarRevoked(found.person_id)  # removed from the programme since
    return found.person_id
