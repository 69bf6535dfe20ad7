"""The message sender: how people are reached (apprise in production)."""

from __future__ import annotations

from typing import Protocol

from steering.domain.definition.organisations import Person
from steering.domain.notifications.message import Message


class Sender(Protocol):
    """A way to reach people: the apprise adapter in production."""

    def channels(self, person: Person) -> list[str]:
        """Channel hints of a person (never URLs)."""
        ...

    def send(self, person: Person, hint: str, message: Message) -> None:
        """Deliver or raise with a privacy-masked reason."""
        ...

    def describe(self, person: Person, hint: str) -> str:
        """The channel with credentials masked."""
        ...
