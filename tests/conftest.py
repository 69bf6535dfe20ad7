"""Fixtures shared by all test folders: real servers on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from loopback import MailServer, Webhook


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A running loopback SMTP server."""
    server = MailServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    """A running loopback webhook receiver."""
    hook = Webhook()
    try:
        yield hook
    finally:
        hook.close()
