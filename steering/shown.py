"""Input echoed in messages: cut to a readable length, with the total length named."""

from __future__ import annotations

ECHO_LIMIT = 200


def cut(text: str, lang: str = "de", limit: int = ECHO_LIMIT) -> str:
    """The text, or its start with an ellipsis and the total length (a 2 MB value stays short)."""
    if len(text) <= limit:
        return text
    total = f"{len(text):,}".replace(",", "." if lang == "de" else ",")
    return f"{text[:limit]}… ({total} {'Zeichen' if lang == 'de' else 'characters'})"
