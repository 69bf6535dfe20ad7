"""`steer portal CONFIG`, `steer portal link` and `steer portal revoke` as the lead runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from clock import DEFAULT_TODAY
from loopback import free_port
from portal_server import csrf_of, definition_text

STEER = Path(sys.executable).with_name("steer")
LINK = re.compile(r"(http://\S+/sign-in/\S+)")


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    config = tmp_path / "programm.yaml"
    config.write_text(definition_text(DEFAULT_TODAY), encoding="utf-8")
    return config


def steer(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the installed `steer` as the lead does."""
    return subprocess.run(
        [str(STEER), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    port = free_port()
    return {
        **os.environ,
        "STEERING_DATA_DIR": str(tmp_path / "data"),
        "STEERING_PORTAL_URL": f"http://127.0.0.1:{port}",
        "STEERING_PORTAL_FORWARDED_ALLOW_IPS": "127.0.0.1",  # as behind a proxy on this host
        "COLUMNS": "300",
    }


@pytest.fixture
def served(programme: Path, environment: dict[str, str]) -> Iterator[str]:
    url = environment["STEERING_PORTAL_URL"]
    port = url.rsplit(":", 1)[1]
    process = subprocess.Popen(
        [str(STEER), "portal", str(programme), "--port", port],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/sign-in/probe", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else ""
                    raise RuntimeError(f"steer portal did not start: {output}") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_printed_link_signs_in_once_and_revoking_ends_the_session(
    programme: Path, environment: dict[str, str], served: str
) -> None:
    printed = steer("portal", "link", "anna", "--config", str(programme), env=environment)
    assert printed.returncode == 0, printed.stderr
    assert "Anmeldelink für Anna Ahorn (anna), einmal gültig, 7 Tage lang" in printed.stdout
    link = LINK.search(printed.stdout)
    assert link is not None and link.group(1).startswith(served)
    with httpx.Client(base_url=served) as browser:
        shown = browser.get(link.group(1))
        signed_in = browser.post(
            link.group(1), data={"csrf": csrf_of(shown.text), "next": "/org/ahorn-ev"}
        )
        assert signed_in.status_code == 303
        assert browser.get("/org/ahorn-ev").status_code == 200
        revoked = steer("portal", "revoke", "anna", "--config", str(programme), env=environment)
        assert revoked.returncode == 0
        assert "0 Anmeldelinks zurückgezogen, 1 Sitzung beendet" in revoked.stdout
        assert browser.get("/org/ahorn-ev").status_code == 401


def test_a_link_for_an_unknown_person_is_refused(
    programme: Path, environment: dict[str, str]
) -> None:
    printed = steer("portal", "link", "niemand", "--config", str(programme), env=environment)
    assert printed.returncode == 1
    assert "Unbekannte Person 'niemand'" in printed.stderr


WEBCAL = re.compile(r"(webcal://\S+\.ics)")


def test_a_calendar_subscription_serves_the_persons_feed_until_revoked(
    programme: Path, environment: dict[str, str], served: str
) -> None:
    printed = steer("portal", "calendar", "anna", "--config", str(programme), env=environment)
    assert printed.returncode == 0, printed.stderr
    assert "Kalender-Abo für Anna Ahorn (anna)" in printed.stdout
    found = WEBCAL.search(printed.stdout)
    assert found is not None
    feed = found.group(1).replace("webcal://", "http://", 1)
    assert feed.startswith(served)
    subscribed = httpx.get(feed)
    assert subscribed.status_code == 200
    assert subscribed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in subscribed.text and "Anna Ahorn" in subscribed.text
    assert httpx.get(f"{served}/calendar/geraten.ics").status_code == 404
    revoked = steer("portal", "revoke", "anna", "--config", str(programme), env=environment)
    assert revoked.returncode == 0 and "1 Kalender-Abo zurückgezogen" in revoked.stdout
    gone = httpx.get(feed)
    assert gone.status_code == 410 and "zurückgezogen" in gone.text


def test_behind_a_trusted_proxy_the_rate_limit_counts_the_forwarded_client(
    served: str,
) -> None:
    """Every request comes from the proxy's address; the limit must hold per real client."""
    guessing = {"X-Forwarded-For": "203.0.113.5"}
    answers = [httpx.get(f"{served}/sign-in/geraten{i}", headers=guessing) for i in range(11)]
    assert [a.status_code for a in answers[:10]] == [400] * 10
    assert answers[10].status_code == 429
    colleague = httpx.get(f"{served}/sign-in/vertippt", headers={"X-Forwarded-For": "203.0.113.6"})
    assert colleague.status_code == 400  # another client behind the same proxy: not held up
