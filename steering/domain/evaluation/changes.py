"""How a light moved since the previous checkpoint: worse, better, or neither."""

from __future__ import annotations

_RANK = {"green": 0, "yellow": 1, "red": 2}


def light_change(before: str | None, after: str | None) -> str:
    """'worse', 'better' or '' (unchanged, unknown, or no data now: missing data is no judgement).

    A light that moves to "no data" has neither improved nor worsened; a light that comes
    back from "no data" is compared with green as the neutral start (yellow and red are
    worse, green is not a change worth an arrow).
    """
    if before is None or after is None or before == after or after not in _RANK:
        return ""
    start = _RANK.get(before, 0)
    if _RANK[after] > start:
        return "worse"
    if _RANK[after] < start:
        return "better"
    return ""
