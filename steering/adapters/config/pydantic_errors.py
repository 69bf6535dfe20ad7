"""Turn pydantic validation errors into data paths and readable (German) messages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from steering.adapters.config.safe_yaml import Path
from steering.domain.definition.common import contains_inline_secret
from steering.i18n import has_message, t, tr
from steering.shown import cut


@dataclass(frozen=True)
class _Known:
    """A validator message of the domain models, its catalogue key and the field it is about.

    The models raise plain English ValueErrors; model-level validators report them at the model,
    so `fields` names the key the message is really about (the first one present in the data, or
    else the first one), and `item` picks the offending list item of a field-level error.
    """

    pattern: re.Pattern[str]
    key: str
    fields: tuple[str, ...] = ()
    item: Callable[[Any], bool] | None = None


def _known(
    pattern: str,
    key: str,
    *fields: str,
    item: Callable[[Any], bool] | None = None,
) -> _Known:
    return _Known(re.compile(pattern), key, fields, item)


_KNOWN: tuple[_Known, ...] = (
    # common.py
    _known(r"^'(?P<value>.*)' is not a valid id \(", "cfg_not_slug"),
    _known(r"^'(?P<value>.*)' is not a half-year such as 2019-H1$", "cfg_not_half_year"),
    # programme.py
    _known(r"^start (?P<start>\S+) is after end (?P<end>\S+)$", "cfg_start_after_end", "start"),
    _known(r"^unknown timezone '(?P<value>.*)' \(e\.g\. Europe/Berlin\)$", "cfg_unknown_timezone"),
    # organisations.py
    _known(r"^'(?P<value>.*)' is not an apprise URL \(scheme://\.\.\.\)$", "cfg_not_apprise_url"),
    _known(
        r"^credentials must not be written inline",
        "cfg_inline_secret",
        item=lambda url: isinstance(url, str) and contains_inline_secret(url),
    ),
    # indicators.py: targets
    _known(r"^give either 'period' or 'periods', not both$", "cfg_period_and_periods", "periods"),
    _known(r"^'range' must be a list of two numbers \[min, max\]$", "cfg_range_not_pair", "range"),
    _known(
        r"^give either 'range' or 'minimum'/'maximum', not both$", "cfg_range_and_bounds", "range"
    ),
    _known(
        r"^a target needs exactly one of: exact, approx, minimum/maximum/range$", "cfg_one_form"
    ),
    _known(
        r"^minimum (?P<minimum>\S+) is greater than maximum (?P<maximum>\S+)$",
        "cfg_minimum_above_maximum",
        "minimum",
        "range",
    ),
    _known(r"^with 'base' the bounds are shares between 0 and 1", "cfg_base_shares", "base"),
    # indicators.py: indicators
    _known(r"^scale must be \[lowest, highest\] with lowest < highest$", "cfg_scale_unordered"),
    _known(
        r"^an indicator has either a 'source' or a 'formula', not both$",
        "cfg_source_and_formula",
        "formula",
    ),
    _known(r"^a score indicator needs a 'scale'", "cfg_score_needs_scale", "scale"),
    # rules.py
    _known(
        r"^yellow bound (?P<yellow>\S+) lies inside the green bound (?P<green>\S+);",
        "cfg_yellow_inside_green",
        "yellow_within",
    ),
    _known(
        r"^recovery bound (?P<recovery>\S+) is wider than the green bound (?P<green>\S+);",
        "cfg_recovery_wider_than_green",
        "recovery_within",
    ),
    _known(r"^weighted aggregation needs weights", "cfg_weighted_needs_weights", "aggregation"),
    _known(r"^weights must be positive$", "cfg_weights_positive", "weights"),
    _known(
        r"^an abort criterion must lead to watch, escalate or", "cfg_abort_continue", "decision"
    ),
    # process.py
    _known(r"^phases must be exactly plan, do, check, act", "cfg_phases_order", "phases"),
    _known(r"^steps must be numbered 1, 2, 3, \.\.\. without gaps$", "cfg_steps_numbered", "steps"),
    _known(r"^step phases must follow the PDCA order", "cfg_steps_phase_order", "steps"),
    # sources.py
    _known(
        r"^use either columns\.value/indicator \(long\) or", "cfg_long_or_wide", "value_columns"
    ),
    _known(r"^map the value column \(columns\.value\)", "cfg_map_value", "columns"),
    _known(r"^map the indicator column or fix it", "cfg_map_indicator", "columns"),
    _known(r"^map the period column or fix it", "cfg_map_period", "columns"),
    _known(
        r"^participation_indicator needs base_population",
        "cfg_participation_needs_base",
        "participation_indicator",
    ),
    # operations.py
    _known(r"^'(?P<value>.*)' is not a cron expression with 5 fields", "cfg_not_cron"),
    _known(r"^due_lead_days are days before the due date", "cfg_due_lead_days", "due_lead_days"),
    # formula.py (reasons of the semantic check 'formula_error')
    _known(r"^formula longer than (?P<limit>\d+) characters$", "cfg_formula_too_long"),
    _known(r"^syntax error in formula '(?P<value>.*)': (?P<reason>.*)$", "cfg_formula_syntax"),
    _known(r"^'(?P<value>.*)' is not allowed in a formula", "cfg_formula_not_allowed"),
    _known(r"^only numbers are allowed as constants, not (?P<value>.*)$", "cfg_formula_constant"),
)


def _match(reason: str) -> tuple[_Known, dict[str, str]] | None:
    for known in _KNOWN:
        found = known.pattern.match(reason)
        if found:
            return known, found.groupdict()
    return None


def translate_reason(reason: str, lang: str) -> str:
    """A known English validator message in the given language; unknown ones stay as they are."""
    matched = _match(reason)
    if matched is None or not has_message(matched[0].key):
        return cut(reason, lang, limit=400)  # may hold the value: a 2 MB scalar stays short
    known, params = matched
    return t(known.key, lang, **{name: cut(value, lang) for name, value in params.items()})


_GONE = object()  # below a key missing from the data
# Keys a model fills from a shorthand the user wrote instead: key -> (shorthand, item of it).
_SHORTHANDS: dict[str, tuple[str, int | None]] = {
    "periods": ("period", None),
    "minimum": ("range", 0),
    "maximum": ("range", 1),
}


def data_path(loc: Path, data: Any) -> Path:
    """The path in the data that a model location (pydantic's or a check's) is about.

    Drops pydantic's union-tag and validator segments that are not keys in the data and maps
    keys a model derived from a shorthand back to what the user wrote.
    """
    out: list[str | int] = []
    current = data
    for part in loc:
        if current is _GONE:
            out.append(part)
        elif isinstance(current, dict):
            shorthand, item = (
                _SHORTHANDS.get(part, ("", None)) if isinstance(part, str) else ("", None)
            )
            if part in current:
                out.append(part)
                current = current[part]
            elif shorthand in current:
                out.append(shorthand)
                current = current[shorthand]
                if item is not None and isinstance(current, list) and item < len(current):
                    out.append(item)
                    current = current[item]
            elif isinstance(part, str) and (
                current.get("kind") == part or "[" in part or part.startswith("function-")
            ):
                continue
            else:
                out.append(part)
                current = _GONE
        elif isinstance(current, list) and isinstance(part, int):
            out.append(part)
            current = current[part] if part < len(current) else _GONE
        elif isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        elif isinstance(current, list):
            out.append(part)
            current = _GONE
        # else: a scalar a model expanded itself (a period written as '2019-H1'): the problem is
        # the scalar, not a key inside it that the user never wrote.
    return tuple(out)


def _value_at(data: Any, path: Path) -> Any:
    current = data
    for part in path:
        inside_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if not (inside_list or (isinstance(current, dict) and part in current)):
            return _GONE
        current = current[part]
    return current


class _Shown:
    """An input rendered with {input!r}: a list or mapping by its kind, not its contents."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _shown_input(raw_input: Any, lang: str) -> Any:
    if isinstance(raw_input, str):
        return raw_input if len(raw_input) <= 60 else raw_input[:57] + "…"
    if isinstance(raw_input, bool | int | float):
        text = repr(raw_input)
        return raw_input if len(text) <= 60 else _Shown(text[:57] + "…")
    if isinstance(raw_input, dt.date):
        return _Shown(raw_input.isoformat())
    if raw_input is None:
        return _Shown(t("input_empty", lang))
    if isinstance(raw_input, list | tuple):
        return _Shown(t("input_list", lang))
    if isinstance(raw_input, dict):
        return _Shown(t("input_mapping", lang))
    return _Shown("…")


def _message(error: dict[str, Any], lang: str) -> str:
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        return t("pyd_value_error", lang, reason=translate_reason(reason, lang))
    if kind == "missing" and error["loc"] and isinstance(error["loc"][-1], int):
        kind = "missing_item"  # a fixed-length tuple such as scale: [-2] with too few items
    if isinstance(ctx.get("expected"), str):  # pydantic lists choices as "'a', 'b' or 'c'"
        word = tr("or", lang).replace("\\", "\\\\")
        ctx["expected"] = re.sub(r" or ('[^']*')$", rf" {word} \1", ctx["expected"])
    ctx = {
        name: cut(value, lang) if isinstance(value, str) else value for name, value in ctx.items()
    }
    key = f"pyd_{kind}"
    if has_message(key):
        return t(key, lang, input=_shown_input(error.get("input"), lang), **ctx)
    return t("pyd_other", lang, reason=cut(str(error["msg"]), lang, limit=400))


def _refined_path(error: dict[str, Any], path: Path, data: Any) -> Path:
    """For known validator messages: the field or list item the message is about."""
    if error["type"] != "value_error":
        return path
    matched = _match(str((error.get("ctx") or {}).get("error", "")))
    if matched is None:
        return path
    known = matched[0]
    value = _value_at(data, path)
    if known.fields and isinstance(value, dict):
        field = next((f for f in known.fields if f in value), known.fields[0])
        return (*path, field)
    if known.item is not None and isinstance(value, list):
        index = next((i for i, item in enumerate(value) if known.item(item)), None)
        if index is not None:
            return (*path, index)
    return path


def describe_validation_error(exc: ValidationError, data: Any, lang: str) -> list[tuple[Path, str]]:
    """(path in the data, message) for every error pydantic found."""
    errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
    located = [(e, data_path(tuple(e["loc"]), data)) for e in errors]
    # A scalar shorthand expanded by a model (a period written as '2019-H3') that failed leaves
    # 'missing' errors for keys the user never wrote; they are noise next to the real error.
    relevant = [
        (e, path)
        for e, path in located
        if not (e["type"] == "missing" and _is_scalar(_value_at(data, path)))
    ] or located
    relevant = _without_union_noise(relevant)
    seen: set[tuple[Path, str]] = set()
    out = []
    for error, path in relevant:
        item = (_refined_path(error, path, data), _message(error, lang))
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _is_scalar(value: Any) -> bool:
    return value is not _GONE and not isinstance(value, dict | list)


def _from_union_member(error: dict[str, Any]) -> bool:
    return any(
        isinstance(part, str) and "[" in part and not part.startswith("function-")
        for part in error["loc"]
    )


def _without_union_noise(
    located: list[tuple[dict[str, Any], Path]],
) -> list[tuple[dict[str, Any], Path]]:
    """Keep the union member errors that fit what the user wrote.

    `organisations: list[Slug] | Literal["all"]` reports one error per member; a list is never
    the literal 'all', and 'alle' is better told "allowed: 'all'" than "list expected".
    """
    kept = [
        (e, path)
        for e, path in located
        if not (
            _from_union_member(e)
            and e["type"] == "literal_error"
            and isinstance(e.get("input"), list | dict)
        )
    ]
    specific = {path for e, path in kept if _from_union_member(e) and not _is_type_error(e)}
    return [
        (e, path)
        for e, path in kept
        if not (_from_union_member(e) and _is_type_error(e) and path in specific)
    ] or located


def _is_type_error(error: dict[str, Any]) -> bool:
    return str(error["type"]).endswith("_type")
