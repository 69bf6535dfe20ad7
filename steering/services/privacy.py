"""Use cases: export everything stored about a person, or forget them (pseudonymise)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from steering.domain.definition import ProgrammeDefinition
from steering.ports.store import UnitOfWork


class UnknownPerson(LookupError):
    """The person is neither in the definition nor in the store."""


def pseudonym(programme_id: str, person: str) -> str:
    """A stable pseudonym ('person-3f2a9c1b'): the same person maps to the same one."""
    digest = hashlib.sha256(f"{programme_id}\n{person}".encode()).hexdigest()[:8]
    return f"person-{digest}"


def _json(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def export_person(
    definition: ProgrammeDefinition, person: str, *, uow: UnitOfWork, now: datetime, actor: str
) -> dict[str, Any]:
    """Contacts from the definition and every stored row that names the person (audited)."""
    contact = next((p for p in definition.people if p.id == person), None)
    with uow:
        traces = uow.privacy.traces(person)
        if contact is None and not traces:
            raise UnknownPerson(person)
        uow.repo.audit(
            actor=actor,
            action="privacy-export",
            subject_type="person",
            subject_id=person,
            details={"tables": sorted(traces)},
            now=now,
        )
        uow.commit()
    owner_of = [o.id for o in definition.organisations if person in o.owners]
    return {
        "person": person,
        "exported_at": now.isoformat(),
        "contact": (
            contact.model_dump(mode="json", exclude={"notify"})
            | {"notify_channels": len(contact.notify)}
            if contact
            else None
        ),
        "owner_of": owner_of,
        "stored": {
            t: [{k: _json(v) for k, v in r.items()} for r in rows] for t, rows in traces.items()
        },
    }


def write_export(data: dict[str, Any], path: Path) -> Path:
    """Write the export as JSON (UTF-8, readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def forget_person(
    definition: ProgrammeDefinition, person: str, *, uow: UnitOfWork, now: datetime, actor: str
) -> tuple[str, dict[str, int]]:
    """Pseudonymise the person in the store; aggregate figures stay (audited)."""
    alias = pseudonym(definition.programme.id, person)
    with uow:
        repo = uow.privacy
        if not repo.traces(person) and all(p.id != person for p in definition.people):
            raise UnknownPerson(person)
        counts = repo.pseudonymise(person, alias)
        # The audit entry names the pseudonym, never the forgotten id.
        uow.repo.audit(
            actor=actor,
            action="privacy-forget",
            subject_type="person",
            subject_id=alias,
            details={"changed": counts},
            now=now,
        )
        uow.commit()
    return alias, counts
