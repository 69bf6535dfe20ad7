"""The four lights on one scale: their order by severity, their symbols, how a light moved."""

from __future__ import annotations

from typing import TypeGuard

from steering.domain.vocabulary import Light

# "No data" ranks between green and yellow: a light coming back from it as green is told as
# recovered (it may have been red before the gap), as yellow or red as worse.
SEVERITY = {
    Light.GREEN.value: 0,
    Light.NO_DATA.value: 1,
    Light.YELLOW.value: 2,
    Light.RED.value: 3,
}
SYMBOLS = {
    Light.GREEN.value: "🟢",
    Light.YELLOW.value: "🟡",
    Light.RED.value: "🔴",
    Light.NO_DATA.value: "⚪",
}
CHANGE_ARROWS = {"worse": "↘", "better": "↗"}
# Lights that call for someone's attention (their reasons are shown and told).
ALARMING = frozenset({Light.YELLOW.value, Light.RED.value})


def alarming(light: str | None) -> TypeGuard[str]:
    """True for a yellow or red light; green, no data and no light at all are not."""
    return light in ALARMING


def worst_first(light: str) -> int:
    """A sort key: red, yellow, no data, green, then anything unknown."""
    return -SEVERITY.get(light, -1)


def light_change(before: str | None, after: str | None) -> str:
    """'worse', 'better' or '' (unchanged, unknown, or no data now: missing data is no verdict)."""
    if before is None or after is None or before == after or after == Light.NO_DATA.value:
        return ""
    return "worse" if SEVERITY[after] > SEVERITY.get(before, 0) else "better"


def change_arrow(change: str) -> str:
    """↘ for worse, ↗ for better, nothing otherwise."""
    return CHANGE_ARROWS.get(change, "")
