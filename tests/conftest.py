"""Fixtures shared by all test folders: the test clock and real servers on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from clock import DEFAULT_TODAY, TODAY_ENV, instant, parse_dates
from hypothesis_budget import register_profiles
from loopback import MailServer, Webhook

from steering.clock import CLOCK_ENV

# Few hypothesis examples by default; scripts/check.sh (CI) sets HYPOTHESIS_PROFILE=ci.
register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        default=os.environ.get(TODAY_ENV, DEFAULT_TODAY.isoformat()),
        help="the tests' date(s): YYYY-MM-DD[,YYYY-MM-DD...] or 'awkward' "
        f"(default: ${TODAY_ENV} or {DEFAULT_TODAY}); dated tests run once per date",
    )


def _test_dates(config: pytest.Config) -> list[date]:
    return parse_dates(str(config.getoption("--today")))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that asks for `today` runs once per configured date and is marked `dated`
    (select them with `-m dated`); a test that lists its own dates keeps them."""
    if "today" not in metafunc.fixturenames:
        return
    own = any(
        "today" in str(marker.args[0]) for marker in metafunc.definition.iter_markers("parametrize")
    )
    if own:
        return
    dates = _test_dates(metafunc.config)
    few = metafunc.definition.get_closest_marker("few_dates")
    if few is not None:
        dates = spread(dates, few.args[0])
    metafunc.parametrize("today", dates, ids=[f"today={d}" for d in dates], scope="function")


def spread(dates: list[date], count: int) -> list[date]:
    """`count` of the dates, the first and the last among them, evenly apart."""
    if len(dates) <= count:
        return dates
    if count == 1:
        return dates[:1]
    step = (len(dates) - 1) / (count - 1)
    return [dates[int(i * step + 0.5)] for i in range(count)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that run on the configured dates."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "today=" in callspec.id:
            item.add_marker(pytest.mark.dated)


@pytest.fixture(autouse=True)
def _frozen_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the real date: the entry points' clock stands at the first test date."""
    monkeypatch.setenv(CLOCK_ENV, instant(_test_dates(request.config)[0]).isoformat())


@pytest.fixture
def today(request: pytest.FixtureRequest) -> date:
    """The test's date (parametrised over `--today` by `pytest_generate_tests`)."""
    return _test_dates(request.config)[0]


@pytest.fixture
def now(today: date, monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The instant of `today` (07:00 UTC); the entry points' clock (`steering.clock`) shows it."""
    moment = instant(today)
    monkeypatch.setenv(CLOCK_ENV, moment.isoformat())
    return moment


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
