"""A rendered message: subject, plain text and HTML (channels pick what they show)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """One rendered digest for one recipient."""

    subject: str
    text: str
    html: str
