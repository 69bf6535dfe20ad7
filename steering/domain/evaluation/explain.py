"""Render a light's stored reasons as one readable line (German or English)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from steering.domain.evaluation.light_scale import worst_first
from steering.domain.reporting.formats import number, percent
from steering.domain.vocabulary import label
from steering.i18n import N_, tr

_HYSTERESIS = {
    "red_delayed": N_("red only after {n} checkpoints in a row"),
    "recovery_pending": N_("recovery only after {m} good checkpoints"),
    "value_recovery_pending": N_("back to green only within {r}"),
}


def _deviation(item: dict[str, Any], measure: str, lang: str) -> str:
    if item["actual"] is None and item["deviation"] == "inf":
        return tr("no data, counts as missed", lang)
    if item["actual"] is None:
        return tr("no data", lang)
    if not item["deviation"]:
        return tr("met", lang)
    return (
        percent(item["deviation"], lang)
        if measure == "relative"
        else number(item["deviation"], lang)
    )


def _magnitude(deviation: Any) -> float:
    if deviation == "inf":
        return float("inf")
    return float(deviation or 0)


@lru_cache(maxsize=256)
def _rule_text(measure: str, green: float, yellow: float, lang: str) -> str:
    """The rule's bounds, the same for every light of a dimension (built once)."""

    def fmt(value: float) -> str:
        return percent(value, lang) if measure == "relative" else number(value, lang)

    return tr(
        "rule: green ≤ {green}, yellow ≤ {yellow}", lang, green=fmt(green), yellow=fmt(yellow)
    )


def explain(
    reasons: dict[str, Any], light: str, lang: str = "de", *, with_light: bool = True
) -> str:
    """One line: the light, the deciding indicators with value vs target, the rule."""
    rule = reasons["rule"]
    measure = rule["measure"]
    items = sorted(
        reasons["indicators"],
        key=lambda i: (worst_first(i["light"]), -_magnitude(i["deviation"])),
    )
    target_word = tr("target", lang)
    deciding = [i for i in items if i["light"] != "green" or light == "green"]
    # A light held by hysteresis may have only green indicators now: show them then.
    shown = [
        f"{i['title']} {number(i['actual'], lang)} "
        f"({target_word} {i['target']}; {_deviation(i, measure, lang)})"
        for i in (deciding or items)[:3]
    ]

    def fmt(value: Any) -> str:
        return percent(value, lang) if measure == "relative" else number(value, lang)

    rule_text = _rule_text(measure, rule["green_within"], rule["yellow_within"], lang)
    prefix = f"{label(light, lang)}: " if with_light else ""
    parts = [prefix + ("; ".join(shown) if shown else "–"), rule_text]
    if reasons.get("hysteresis"):
        parts.append(
            tr(
                _HYSTERESIS[reasons["hysteresis"]],
                lang,
                n=rule["red_after"],
                m=rule["recover_after"],
                r=fmt(rule["recovery_within"]),
            )
        )
    return " · ".join(parts)
