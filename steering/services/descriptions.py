"""Artifact descriptions that carry the signal: what a card in Prefect's list tells at once."""

from __future__ import annotations

from collections import Counter

from steering.domain.evaluation.evaluate import Evaluation
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.light_scale import SYMBOLS
from steering.domain.lagebild import LIGHT_SEVERITY, SEVERITY
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.services.lagebild_markdown import signal


def _lights(evaluation: Evaluation, organisation: str) -> dict[str, str]:
    return {d: light for d, (light, _) in evaluation.by_organisation.get(organisation, {}).items()}


def status_description(
    evaluation: Evaluation, organisation: str, phase: str | None, lang: str = "de"
) -> str:
    """E.g. '🔴 Kosten · Abbruchprüfung · Do'."""
    decision = evaluation.decision_by_organisation.get(organisation, "continue")
    return signal(_lights(evaluation, organisation), decision, phase, lang)


def matrix_description(evaluation: Evaluation, lang: str = "de") -> str:
    """E.g. 'Ampelmatrix 2019-H2: 1 Abbruchprüfung, 3 beobachten · 🔴 4 🟡 5 · nach Schwere'."""
    decisions = Counter(
        d for org, d in evaluation.decision_by_organisation.items() if org != PROGRAMME
    )
    counted = ", ".join(
        f"{decisions[d]} {label(d, lang)}" for d in SEVERITY[:3] if decisions.get(d)
    )
    lights = Counter(
        light
        for org, by_dim in evaluation.by_organisation.items()
        if org != PROGRAMME
        for light, _ in by_dim.values()
    )
    shown = " ".join(
        f"{SYMBOLS[light]} {lights[light]}" for light in LIGHT_SEVERITY[:2] if lights.get(light)
    )
    parts = [f"Ampelmatrix {evaluation.period}: " + (counted or label("continue", lang))]
    if shown:
        parts.append(shown)
    parts.append(tr("by severity (↘ worse, ↗ better)", lang))
    return " · ".join(parts)


def soll_ist_description(evaluation: Evaluation, lang: str = "de") -> str:
    """E.g. 'Soll/Ist 2019-H2: 3 von 14 Indikatoren unter Soll'."""
    table = evaluation.soll_ist
    now = table[(table["has_target"]) & (table["period"].astype(str) == evaluation.period)]
    indicators = now["indicator"].astype(str).nunique()
    missed = now[now["met"].eq(False)]["indicator"].astype(str).nunique()
    return tr(
        "Soll/Ist {period}: {missed} of {indicators} indicators off target "
        "(who: Lagebild; every half-year: Sachbericht)",
        lang,
        period=evaluation.period,
        missed=missed,
        indicators=indicators,
    )
