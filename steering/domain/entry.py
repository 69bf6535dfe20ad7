"""What a participant may enter by hand: which indicators, for which periods."""

from __future__ import annotations

from datetime import date

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.indicators import Indicator
from steering.domain.definition.programme import Period
from steering.domain.definition.sources import ManualSource
from steering.domain.vocabulary import Scope


def open_periods(definition: ProgrammeDefinition, today: date) -> list[Period]:
    """The periods values are entered for: the running one and the last one that ended
    (its checkpoint comes after its end), oldest first."""
    begun = [p for p in definition.programme.periods if p.start <= today]
    running = [p for p in begun if p.end >= today]
    ended = [p for p in begun if p.end < today]
    return ([ended[-1]] if ended else []) + running


def enterable_indicators(definition: ProgrammeDefinition, organisation_id: str) -> list[Indicator]:
    """The organisation-scope indicators an owner enters by hand for their organisation."""
    manual = {s.key for s in definition.sources if isinstance(s, ManualSource)}
    return [
        i
        for i in definition.indicators
        if i.scope is Scope.ORGANISATION
        and i.formula is None
        and (i.source is None or i.source in manual)
        and (i.organisations is None or organisation_id in i.organisations)
    ]
