"""Shared building blocks of the definition schema."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from steering.domain.periods import HalfYear, PeriodError, parse_half_year

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_ENV_REF = re.compile(r"\$\{(?:[A-Z_][A-Z0-9_]*|secret:[a-z0-9][a-z0-9-]*)\}")


class StrictModel(BaseModel):
    """Frozen model that refuses unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is not a valid id (lowercase letters, digits, '-' and '_', max 63)"
        )
    return value


def _period_id(value: str) -> str:
    try:
        return parse_half_year(value).id
    except PeriodError:
        raise ValueError(f"'{value}' is not a half-year such as 2019-H1") from None


Slug = Annotated[str, AfterValidator(_slug)]
PeriodId = Annotated[str, AfterValidator(_period_id)]


def half_year(period_id: str) -> HalfYear:
    """The HalfYear of a validated period id."""
    return parse_half_year(period_id)


def contains_inline_secret(url: str) -> bool:
    """True when an apprise URL carries a literal password or token instead of ${VAR}.

    A URL without any placeholder counts as carrying one: webhook tokens sit in the path
    (json://host/hook/<token>, msteams://, discord://) or the host (tgram://<bot token>),
    where they look like any other part of an address.
    """
    stripped = _ENV_REF.sub("", url)
    if stripped == url:
        return True
    # scheme://user:password@host  -> the part between ':' and '@' after the scheme.
    match = re.match(r"^[a-zA-Z0-9+.-]+://([^/@]*)@", stripped)
    if match and ":" in match.group(1):
        password = match.group(1).partition(":")[2]
        return bool(password)
    return bool(re.search(r"[?&](pass|password|token|secret|key)=[^&${]", stripped, re.I))
