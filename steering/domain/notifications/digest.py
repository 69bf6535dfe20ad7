"""Who hears of a notice, and one digest per recipient grouped by organisation and dimension."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.notices import ORDER, Notice


def recipients(
    definition: ProgrammeDefinition,
    audience: Iterable[str],
    organisation: str,
    *,
    owner: str | None = None,
) -> list[str]:
    """Person ids named by routing entries (owners, project_lead, role:X, tag:X, person id).

    `owners` means the item's own owner if it has one (a step assigned to a person), else
    the organisation's owners.
    """
    people = definition.people_by_id
    owners = definition.organisation(organisation).owners if organisation else []
    if owner:
        owners = [owner]
    chosen: list[str] = []
    for entry in audience:
        if entry == "owners":
            found = list(owners)
        elif entry == "project_lead":
            found = [definition.programme.lead]
        elif entry.startswith("role:"):
            found = [p.id for p in definition.people if str(p.role) == entry[5:]]
        elif entry.startswith("tag:"):
            found = [p.id for p in definition.people if entry[4:] in p.apprise_tags]
        else:
            found = [entry]
        chosen += [p for p in found if p in people and p not in chosen]
    return chosen


@dataclass(frozen=True)
class Digest:
    """Everything one person is told in one run: one message per channel."""

    recipient: str
    notices: tuple[Notice, ...]

    def by_organisation(self) -> list[tuple[str, list[tuple[str, list[Notice]]]]]:
        """(organisation, [(dimension, notices)]) with the programme first."""
        grouped: dict[str, dict[str, list[Notice]]] = defaultdict(lambda: defaultdict(list))
        for notice in self.notices:
            grouped[notice.organisation][notice.dimension].append(notice)
        return [
            (
                org,
                [
                    (dim, sorted(items, key=lambda n: (ORDER.index(n.kind), n.item)))
                    for dim, items in sorted(dims.items())
                ],
            )
            for org, dims in sorted(grouped.items())
        ]

    @property
    def urgent(self) -> bool:
        """Holds an abort decision, an escalation or held-back lights (the subject says so)."""
        return any(n.rules.urgent for n in self.notices)


def build_digests(definition: ProgrammeDefinition, notices: Iterable[Notice]) -> list[Digest]:
    """One digest per recipient, in the order of the programme's people."""
    routing = definition.notifications.routing
    per_person: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        audience = getattr(routing, notice.audience)
        owner = notice.facts.get("owner") if notice.rules.owned else None
        for person in recipients(definition, audience, notice.organisation, owner=owner):
            per_person[person].append(notice)
    order = [p.id for p in definition.people]
    return [Digest(p, tuple(per_person[p])) for p in order if per_person.get(p)]
