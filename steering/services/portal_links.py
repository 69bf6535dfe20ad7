"""Links into the portal for messages: where each notice's item is, behind a sign-in link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.notices import Notice
from steering.ports.portal import AccessStore
from steering.ports.store import UnitOfWork
from steering.services.portal_access import issue_link

# Who issues the sign-in links in messages (the audit's actor).
MESSAGES_ACTOR = "notify"


def sign_in_url(base: str, token: str, next_path: str | None = None) -> str:
    """The address of a sign-in link under the portal's base URL."""
    url = f"{base.rstrip('/')}/sign-in/{token}"
    return f"{url}?next={quote(next_path, safe='/')}" if next_path else url


def item_path(notice: Notice) -> str:
    """The portal page (and place on it) of the notice's item."""
    org = notice.organisation
    if not org:
        return "/"
    kind, _, rest = notice.item.partition(":")
    if kind == "step":
        driver, _, number = rest.partition(":")
        return f"/org/{quote(org)}#step-{driver}-{number}"
    if str(notice.kind) == "data_missing":
        return f"/org/{quote(org)}/values"
    if kind == "phase":
        return f"/org/{quote(org)}#evidence"
    return f"/org/{quote(org)}"


@dataclass(frozen=True)
class PortalLinks:
    """The portal's address and how to issue a fresh sign-in token for a person."""

    base: str
    issue: Callable[[str], str]  # person id -> a new single-use sign-in token

    def for_person(self, person_id: str) -> Callable[[Notice | None], str]:
        """Links for one message: one sign-in token, each link leading to its item."""
        token = self.issue(person_id)

        def link(notice: Notice | None) -> str:
            return sign_in_url(self.base, token, item_path(notice) if notice else None)

        return link


def portal_links(
    definition: ProgrammeDefinition,
    base: str,
    *,
    store: AccessStore,
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
) -> PortalLinks:
    """Links into the portal at `base` whose sign-in tokens are issued (and audited) on use."""

    def issue(person_id: str) -> str:
        return issue_link(
            definition, person_id, store=store, uow=uow_factory(), now=now, actor=MESSAGES_ACTOR
        )

    return PortalLinks(base, issue)
