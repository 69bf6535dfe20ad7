"""Portal access on both stores: single-use links, one winner of a race, revocation, limits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from paths import CONFIG
from sqlalchemy import Engine

from steering.adapters.config import load_definition
from steering.adapters.db.portal_repository import SqlAccessStore
from steering.adapters.db.uow import SqlUnitOfWork
from steering.services.portal_access import (
    AccessRefused,
    Refusal,
    admit,
    issue_link,
    note_failure,
    revoke_access,
    sign_in,
    visitor,
)

DEFINITION = load_definition(CONFIG)
NOW = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
OWNER = DEFINITION.organisations[0].owners[0]


def _link(engine: Engine, person: str = OWNER, now: datetime = NOW) -> str:
    return issue_link(
        DEFINITION,
        person,
        store=SqlAccessStore.for_engine(engine),
        uow=SqlUnitOfWork.for_engine(engine),
        now=now,
        actor="projektleitung",
    )


def _sign_in(engine: Engine, token: str, now: datetime = NOW) -> str:
    return sign_in(
        DEFINITION,
        token,
        store=SqlAccessStore.for_engine(engine),
        uow=SqlUnitOfWork.for_engine(engine),
        now=now,
    )[0]


def test_a_link_signs_in_once_as_its_person_and_owns_their_organisations(store: Engine) -> None:
    token = _link(store)
    session = _sign_in(store, token)
    person = visitor(DEFINITION, session, store=SqlAccessStore.for_engine(store), now=NOW)
    assert person.person_id == OWNER
    assert person.may_act_for(DEFINITION.organisations[0].id)
    assert not person.lead
    with pytest.raises(AccessRefused) as again:
        _sign_in(store, token)
    assert again.value.reason is Refusal.USED


def test_of_two_simultaneous_sign_ins_with_one_link_exactly_one_wins(store: Engine) -> None:
    token = _link(store)

    def attempt(_: int) -> str:
        try:
            return _sign_in(store, token)
        except AccessRefused as refused:
            return refused.reason.value

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert sorted(o == "used" for o in outcomes) == [False, True, True, True]


def test_links_expire_and_revoking_ends_links_and_sessions(store: Engine) -> None:
    old = _link(store, now=NOW - timedelta(days=7, seconds=1))
    with pytest.raises(AccessRefused) as expired:
        _sign_in(store, old)
    assert expired.value.reason is Refusal.EXPIRED
    session = _sign_in(store, _link(store))
    unused = _link(store)
    revoked = revoke_access(
        DEFINITION,
        OWNER,
        store=SqlAccessStore.for_engine(store),
        uow=SqlUnitOfWork.for_engine(store),
        now=NOW,
        actor="projektleitung",
    )
    assert revoked == (2, 1)  # the expired link and the unused one; one session
    with pytest.raises(AccessRefused):
        visitor(DEFINITION, session, store=SqlAccessStore.for_engine(store), now=NOW)
    with pytest.raises(AccessRefused) as refused:
        _sign_in(store, unused)
    assert refused.value.reason is Refusal.REVOKED


def test_the_lead_may_act_for_every_organisation(store: Engine) -> None:
    lead = DEFINITION.programme.lead
    person = visitor(
        DEFINITION,
        _sign_in(store, _link(store, lead)),
        store=SqlAccessStore.for_engine(store),
        now=NOW,
    )
    assert person.lead
    assert set(person.organisations) == {o.id for o in DEFINITION.organisations}


def test_failed_sign_ins_count_per_client_within_the_window(store: Engine) -> None:
    access = SqlAccessStore.for_engine(store)
    for _ in range(3):
        admit("203.0.113.7", store=access, now=NOW, limit=3)
        note_failure("203.0.113.7", store=access, now=NOW)
    with pytest.raises(AccessRefused) as refused:
        admit("203.0.113.7", store=access, now=NOW, limit=3)
    assert refused.value.reason is Refusal.TOO_MANY
    admit("198.51.100.1", store=access, now=NOW, limit=3)  # another client
    admit("203.0.113.7", store=access, now=NOW + timedelta(minutes=16), limit=3)  # window passed
