"""Input echoed in messages: cut to a readable length, with the total length named."""

from __future__ import annotations

from steering.i18n import ptr, tr

ECHO_LIMIT = 200


def cut(text: str, lang: str = "de", limit: int = ECHO_LIMIT) -> str:
    """The text, or its start with an ellipsis and the total length (a 2 MB value stays short)."""
    if len(text) <= limit:
        return text
    total = f"{len(text):,}".replace(",", ptr("thousands separator", ",", lang))
    return f"{text[:limit]}… " + tr("({total} characters)", lang, total=total)
