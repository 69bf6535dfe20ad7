"""A signed-in person makes their own calendar subscription address in the portal."""

from __future__ import annotations

import re

import httpx
from portal_server import PortalServer, csrf_of

WEBCAL = re.compile(r'id="webcal">(webcal://[^<]+\.ics)<')


def test_a_participant_creates_a_webcal_address_that_serves_their_calendar(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        offered = browser.get("/calendar")
        assert offered.status_code == 200 and "Abo-Adresse erstellen" in offered.text
        refused = browser.post("/calendar", data={"csrf": "falsch"})
        made = browser.post("/calendar", data={"csrf": csrf_of(offered.text)})
    assert refused.status_code == 400 and "webcal://" not in refused.text
    found = WEBCAL.search(made.text)
    assert made.status_code == 200 and found, made.text
    feed = httpx.get(found.group(1).replace("webcal://", "http://", 1))
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    assert "Anna Ahorn" in feed.text
    with portal.client() as stranger:
        assert stranger.get("/calendar").status_code == 401
