"""Use case: what the lead reads in the evaluation's resume form before deciding."""

from __future__ import annotations

from datetime import datetime

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.light_scale import alarming
from steering.domain.lagebild import DIMENSION_ORDER
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.markup import md_text
from steering.ports.store import UnitOfWork
from steering.services.lagebild_markdown import signal
from steering.services.presentation import light_text, rule_titles
from steering.services.status import StatusRow, programme_status


def decision_request_text(
    definition: ProgrammeDefinition, row: StatusRow, *, status_link: str, lang: str = "de"
) -> str:
    """Markdown: signal and status link, the criteria's decision, mitigations, lights."""
    rules = f" ({md_text(rule_titles(definition, row.matched))})" if row.matched else ""
    parts = [
        f"**{md_text(row.name)}** – {signal(row.lights, row.decision, None, lang)} · "
        + (f"[Status]({status_link})"),
        "",
        tr(
            "**Abort criteria:** {decision}{rules}",
            lang,
            decision=label(row.decision, lang),
            rules=rules,
        ),
        "",
    ]
    mitigations = [(m["title"], m["mitigation"]) for m in row.mitigations]
    if not mitigations:
        # No criterion named risks: offer those of the dimensions that are not green.
        weak = {d for d, light in row.lights.items() if alarming(light)}
        mitigations = [
            (r.title, r.mitigation)
            for r in definition.risks
            if weak & {str(d) for d in r.dimensions}
        ]
    parts.append(tr("**Mitigations (risks):**", lang))
    parts += [f"- {md_text(title)}: {md_text(text)}" for title, text in mitigations] or ["- –"]
    parts += ["", tr("**Lights:**", lang)]
    for dim in DIMENSION_ORDER:
        if dim in row.lights:
            # The indicators behind the light; the rule itself is in the status artifact.
            why = explain(row.reasons[dim], row.lights[dim], lang, with_light=False)
            shown = f"{label(dim, lang)} {light_text(row.lights[dim], lang)}"
            parts.append(f"- {shown}: {md_text(why.split(' · ')[0])}")
    return "\n".join(parts)


def evaluation_request(
    definition: ProgrammeDefinition,
    *,
    organisation: str,
    key: str,
    uow: UnitOfWork,
    now: datetime,
    status_link: str,
) -> str:
    """The resume form's text for an evaluation stored under `key`."""
    view = programme_status(definition, uow=uow, now=now, key=key)
    row = next(r for r in view.rows if r.organisation == organisation)
    return decision_request_text(
        definition, row, status_link=status_link, lang=definition.programme.language
    )
