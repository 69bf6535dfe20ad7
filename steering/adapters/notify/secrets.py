"""Placeholders in apprise URLs: ${ENV_VAR} from the environment, ${secret:name} from a store."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

PLACEHOLDER = re.compile(
    r"\$\{(?:(?P<env>[A-Z_][A-Z0-9_]*)|secret:(?P<secret>[a-z0-9][a-z0-9-]*))\}"
)

SecretLookup = Callable[[str], str]


class SecretMissing(LookupError):
    """A placeholder could not be resolved; the message stays queued."""


def resolve(
    url: str,
    *,
    env: Mapping[str, str] | None = None,
    secrets: SecretLookup | None = None,
) -> tuple[str, list[str]]:
    """The URL with every placeholder filled in, plus the secret values used (for masking)."""
    environment = os.environ if env is None else env
    used: list[str] = []

    def fill(match: re.Match[str]) -> str:
        if match.group("env"):
            value = environment.get(match.group("env"))
            if not value:
                raise SecretMissing(f"${{{match.group('env')}}}")
        else:
            name = match.group("secret")
            try:
                value = secrets(name) if secrets else None
            except Exception as error:  # the store's own error names no secret value
                raise SecretMissing(f"${{secret:{name}}} ({type(error).__name__})") from None
            if not value:
                raise SecretMissing(f"${{secret:{name}}}")
        used.append(value)
        return value

    return PLACEHOLDER.sub(fill, url), used


def mask(text: str, secrets: list[str]) -> str:
    """The text with every secret value and URL credential replaced by ***."""
    for value in sorted(set(secrets), key=len, reverse=True):
        if len(value) >= 3:
            text = text.replace(value, "***")
    # user:password@ in any URL that slipped into a message.
    return re.sub(r"(://[^/:@\s]*:)[^@\s]+@", r"\1***@", text)
