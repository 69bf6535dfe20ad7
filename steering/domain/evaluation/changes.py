"""How a light moved since the previous checkpoint: worse, better, or neither."""

from __future__ import annotations

# "No data" ranks between green and yellow: a light coming back from it as green is told as
# recovered (it may have been red before the gap), as yellow or red as worse.
_RANK = {"green": 0, "no_data": 1, "yellow": 2, "red": 3}


def light_change(before: str | None, after: str | None) -> str:
    """'worse', 'better' or '' (unchanged, unknown, or no data now: missing data is no verdict)."""
    if before is None or after is None or before == after or after == "no_data":
        return ""
    return "worse" if _RANK[after] > _RANK.get(before, 0) else "better"
