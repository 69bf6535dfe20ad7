"""Use case: the programme's current status (latest lights and decisions) as a read model."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.vocabulary import Dimension
from steering.i18n import tr
from steering.ports.store import UnitOfWork
from steering.services.decisions import LeadView, lead_views


class StoredReasons(Mapping[str, dict[str, Any]]):
    """Each dimension's reasons, decoded from their stored JSON only when read."""

    # 10,000 organisations' reasons as dicts take 150 MB; as JSON texts a tenth of it, and
    # most views read only a few of them.
    def __init__(self, texts: Mapping[str, str | None]) -> None:
        self._texts = texts

    def __getitem__(self, dimension: str) -> dict[str, Any]:
        text = self._texts[dimension]
        decoded: dict[str, Any] = json.loads(text) if text else {}
        return decoded

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


@dataclass(frozen=True)
class StatusRow:
    """One organisation (or the programme) with its light per dimension."""

    organisation: str
    name: str
    lights: dict[str, str]
    reasons: Mapping[str, dict[str, Any]]
    decision: str = "continue"  # what the abort criteria said
    matched: tuple[str, ...] = ()
    mitigations: tuple[dict[str, str], ...] = ()
    lead: LeadView | None = None  # the lead's decision of the period, or an earlier abort


@dataclass(frozen=True)
class ProgrammeStatus:
    """Latest checkpoint of a programme, or none yet."""

    programme_id: str
    title: str
    organisations: int
    checkpoint_key: str | None = None
    period: str | None = None
    finished_at: datetime | None = None
    rows: list[StatusRow] = field(default_factory=list)


def programme_status(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, now: datetime, key: str | None = None
) -> ProgrammeStatus:
    """Sync the organisations and read the lights of the latest period's programme checkpoint
    (never an evaluation's) or those of `key`, with the lead's decisions."""
    programme = definition.programme
    names = {o.id: o.name for o in definition.organisations}
    names[PROGRAMME] = tr("Programme", programme.language)
    with uow:
        repo = uow.repo
        repo.sync_organisations(programme.id, definition.organisations, now)
        uow.commit()
        latest = repo.checkpoint(key) if key else repo.latest_checkpoint(programme.id)
        base = ProgrammeStatus(programme.id, programme.title, len(definition.organisations))
        if latest is None:
            return base
        lights = repo.lights_frame(latest.id, reasons_as_json=True)
        decisions = {
            d.scope_key: (d.decision, tuple(d.evidence.get("matched", ())), tuple(d.mitigations))
            for d in repo.decisions(latest.id)
        }
        key, period, finished = latest.key, latest.period, latest.finished_at
    lead = lead_views(definition, uow=uow, period=period)
    # One pass over the lights, not one filter per organisation (quadratic at 1,000).
    by_org: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for org, dim, light, reasons in zip(
        lights["organisation"], lights["dimension"], lights["light"], lights["reasons"], strict=True
    ):
        shown, why = by_org.setdefault(org, ({}, {}))
        shown[dim], why[dim] = light, reasons
    rows = []
    for org in [PROGRAMME, *sorted(o.id for o in definition.organisations)]:
        shown, why = by_org.get(org, ({}, {}))
        rows.append(
            StatusRow(
                organisation=org,
                name=names.get(org, org),
                lights=shown,
                reasons=StoredReasons(why),
                decision=decisions[org][0] if org in decisions else "continue",
                matched=decisions[org][1] if org in decisions else (),
                mitigations=decisions[org][2] if org in decisions else (),
                lead=lead.get(org),
            )
        )
    return ProgrammeStatus(
        programme.id, programme.title, len(definition.organisations), key, period, finished, rows
    )


DIMENSIONS = [d.value for d in Dimension]
