"""The portal's access store on SQL: links, sessions and attempts, one transaction per call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from steering.adapters.db.engine import make_session_factory
from steering.adapters.db.models_portal import (
    PortalAttemptRow,
    PortalCalendarRow,
    PortalLinkRow,
    PortalSessionRow,
)
from steering.ports.portal import CalendarSubscription, PortalSession, SignInLink


def _session_view(row: PortalSessionRow) -> PortalSession:
    return PortalSession(row.person_id, row.programme_id, row.csrf_token, row.last_seen_at)


class SqlAccessStore:
    """Sign-in links, sessions and sign-in attempts in the store's tables."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    @classmethod
    def for_engine(cls, engine: Engine) -> SqlAccessStore:
        """The access store on this engine."""
        return cls(make_session_factory(engine))

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
        with self._sessions.begin() as session:
            session.add(
                PortalLinkRow(
                    token_hash=token_hash,
                    programme_id=programme_id,
                    person_id=person_id,
                    created_at=now,
                    expires_at=expires,
                )
            )

    def link(self, token_hash: str) -> SignInLink | None:
        """The link with this hash, if any."""
        with self._sessions() as session:
            row = session.scalar(
                select(PortalLinkRow).where(PortalLinkRow.token_hash == token_hash)
            )
            if row is None:
                return None
            return SignInLink(
                row.person_id, row.programme_id, row.expires_at, row.used_at, row.revoked_at
            )

    def redeem(
        self, token_hash: str, *, session_hash: str, csrf_token: str, now: datetime
    ) -> PortalSession | None:
        """Use up a valid link and open a session for its person; None if the link is not valid."""
        with self._sessions.begin() as session:
            # One conditional update: of two simultaneous sign-ins with one link, one wins.
            used = session.execute(
                update(PortalLinkRow)
                .where(
                    PortalLinkRow.token_hash == token_hash,
                    PortalLinkRow.used_at.is_(None),
                    PortalLinkRow.revoked_at.is_(None),
                    PortalLinkRow.expires_at > now,
                )
                .values(used_at=now)
                .returning(PortalLinkRow.person_id, PortalLinkRow.programme_id)
            ).first()
            if used is None:
                return None
            row = PortalSessionRow(
                token_hash=session_hash,
                programme_id=used.programme_id,
                person_id=used.person_id,
                csrf_token=csrf_token,
                created_at=now,
                last_seen_at=now,
            )
            session.add(row)
            return _session_view(row)

    def session(self, token_hash: str) -> PortalSession | None:
        """The open (not revoked) session with this hash, if any."""
        with self._sessions() as session:
            row = session.scalar(
                select(PortalSessionRow).where(
                    PortalSessionRow.token_hash == token_hash,
                    PortalSessionRow.revoked_at.is_(None),
                )
            )
            return None if row is None else _session_view(row)

    def touch(self, token_hash: str, now: datetime) -> None:
        """Note that the session was used now."""
        with self._sessions.begin() as session:
            session.execute(
                update(PortalSessionRow)
                .where(PortalSessionRow.token_hash == token_hash)
                .values(last_seen_at=now)
            )

    def end_session(self, token_hash: str, now: datetime) -> None:
        """Close one session (sign-out)."""
        with self._sessions.begin() as session:
            session.execute(
                update(PortalSessionRow)
                .where(PortalSessionRow.token_hash == token_hash)
                .values(revoked_at=now)
            )

    def revoke(self, programme_id: str, person_id: str, now: datetime) -> tuple[int, int]:
        """Revoke the person's unused links and open sessions; (links, sessions) revoked."""
        with self._sessions.begin() as session:
            links = session.execute(
                update(PortalLinkRow)
                .where(
                    PortalLinkRow.programme_id == programme_id,
                    PortalLinkRow.person_id == person_id,
                    PortalLinkRow.used_at.is_(None),
                    PortalLinkRow.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            sessions = session.execute(
                update(PortalSessionRow)
                .where(
                    PortalSessionRow.programme_id == programme_id,
                    PortalSessionRow.person_id == person_id,
                    PortalSessionRow.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            return int(getattr(links, "rowcount", 0)), int(getattr(sessions, "rowcount", 0))

    def add_calendar(
        self, token_hash: str, *, programme_id: str, person_id: str, now: datetime
    ) -> None:
        """Store a new calendar subscription by the hash of its secret."""
        with self._sessions.begin() as session:
            session.add(
                PortalCalendarRow(
                    token_hash=token_hash,
                    programme_id=programme_id,
                    person_id=person_id,
                    created_at=now,
                )
            )

    def calendar(self, token_hash: str) -> CalendarSubscription | None:
        """The calendar subscription with this hash, revoked or not, if any."""
        with self._sessions() as session:
            row = session.scalar(
                select(PortalCalendarRow).where(PortalCalendarRow.token_hash == token_hash)
            )
            if row is None:
                return None
            return CalendarSubscription(row.person_id, row.programme_id, row.revoked_at)

    def revoke_calendars(self, programme_id: str, person_id: str, now: datetime) -> int:
        """Revoke the person's calendar subscriptions; how many were revoked."""
        with self._sessions.begin() as session:
            revoked = session.execute(
                update(PortalCalendarRow)
                .where(
                    PortalCalendarRow.programme_id == programme_id,
                    PortalCalendarRow.person_id == person_id,
                    PortalCalendarRow.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            return int(getattr(revoked, "rowcount", 0))

    def failures_since(self, client: str, since: datetime) -> int:
        """How many failed sign-in attempts `client` made since `since`."""
        with self._sessions() as session:
            counted = session.scalar(
                select(func.count())
                .select_from(PortalAttemptRow)
                .where(PortalAttemptRow.client == client, PortalAttemptRow.attempted_at >= since)
            )
            return int(counted or 0)

    def add_failure(self, client: str, *, now: datetime, forget_before: datetime) -> None:
        """Note a failed sign-in attempt of `client`; attempts before `forget_before` go."""
        with self._sessions.begin() as session:
            # Older attempts no longer count: dropping them keeps the table small.
            session.execute(
                delete(PortalAttemptRow).where(PortalAttemptRow.attempted_at < forget_before)
            )
            session.add(PortalAttemptRow(client=client, attempted_at=now))
