"""The portal fixture: one real portal per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clock import parse_dates
from portal_server import PortalServer, start_portal


@pytest.fixture(scope="module")
def portal(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[PortalServer]:
    """One portal per test module, on the tests' first date."""
    today = parse_dates(str(pytestconfig.getoption("--today")))[0]
    running, server, thread = start_portal(tmp_path_factory.mktemp("portal"), today)
    yield running
    server.should_exit = True
    thread.join(timeout=10)
