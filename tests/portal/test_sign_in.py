"""Signing in to the portal: links work once, sessions are cookies, nothing else lets anyone in."""

from __future__ import annotations

from pathlib import Path

import pytest
from portal_server import PortalServer, csrf_of, sign_in, start_portal


def test_opening_a_sign_in_link_shows_a_button_and_does_not_use_the_link(
    portal: PortalServer,
) -> None:
    token = portal.link("anna")
    with portal.client() as scanner:  # a mail scanner opens the link first
        first = scanner.get(f"/sign-in/{token}")
        again = scanner.get(f"/sign-in/{token}")
    assert first.status_code == again.status_code == 200
    assert "Anmelden" in first.text and "Anna Ahorn" in first.text
    with portal.client() as browser:
        signed_in = sign_in(browser, token)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/"
        cookie = signed_in.headers["set-cookie"]
        assert "steering_session=" in cookie
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # loopback: no HTTPS needed
        home = browser.get("/")
        assert home.status_code == 303 and home.headers["location"] == "/org/ahorn-ev"


def test_a_used_link_cannot_sign_in_again(portal: PortalServer) -> None:
    token = portal.link("anna")
    with portal.client() as first:
        assert sign_in(first, token).status_code == 303
    with portal.client() as second:
        shown = second.get(f"/sign-in/{token}")
    assert shown.status_code == 400
    assert "bereits benutzt" in shown.text


def test_a_link_leads_to_the_item_it_names_but_never_off_the_portal(portal: PortalServer) -> None:
    with portal.client() as browser:
        deep = sign_in(browser, portal.link("anna"), "/org/ahorn-ev/values")
        assert deep.headers["location"] == "/org/ahorn-ev/values"
    for hostile in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        with portal.client() as browser:
            answer = sign_in(browser, portal.link("anna"), hostile)
            assert answer.headers["location"] == "/"


def test_an_expired_link_is_refused_with_a_german_message(portal: PortalServer) -> None:
    from datetime import timedelta

    from clock import instant

    from steering.adapters.config import load_definition
    from steering.services.portal_access import issue_link

    definition = load_definition(portal.config)
    token = issue_link(
        definition,
        "anna",
        store=portal.wiring.access,
        uow=portal.wiring.uow(),
        now=instant(portal.today) - timedelta(days=8),
        actor="test",
    )
    with portal.client() as browser:
        shown = browser.get(f"/sign-in/{token}")
        pressed = browser.post(f"/sign-in/{token}", data={"csrf": "x"})
    assert shown.status_code == 400 and "abgelaufen" in shown.text
    assert pressed.status_code == 400
    assert "steering_session" not in pressed.headers.get("set-cookie", "")


def test_forged_and_revoked_links_let_nobody_in(portal: PortalServer) -> None:
    from clock import instant

    from steering.adapters.config import load_definition
    from steering.services.portal_access import revoke_access

    with portal.client() as browser:
        for forged in ("x" * 43, "%3Cscript%3E", "a" * 500):
            answer = browser.get(f"/sign-in/{forged}")
            assert answer.status_code == 400 and "ungültig" in answer.text
    token = portal.link("anna")
    with portal.client() as signed_in:
        sign_in(signed_in, portal.link("anna"))
        assert signed_in.get("/org/ahorn-ev").status_code == 200
        revoke_access(
            load_definition(portal.config),
            "anna",
            store=portal.wiring.access,
            uow=portal.wiring.uow(),
            now=instant(portal.today),
            actor="projektleitung",
        )
        assert signed_in.get("/org/ahorn-ev").status_code == 401
    with portal.client() as browser:
        answer = browser.get(f"/sign-in/{token}")
    assert answer.status_code == 400 and "zurückgezogen" in answer.text


def test_signing_in_needs_the_forms_token(portal: PortalServer) -> None:
    token = portal.link("anna")
    with portal.client() as browser:
        browser.get(f"/sign-in/{token}")
        answer = browser.post(f"/sign-in/{token}", data={"next": "/"})
    assert answer.status_code == 400 and "Formular abgelaufen" in answer.text
    with portal.client() as browser:  # the link was not used up by the refused post
        assert sign_in(browser, token).status_code == 303


def test_a_tampered_or_missing_cookie_is_not_signed_in(portal: PortalServer) -> None:
    for cookie in ({}, {"steering_session": "forged"}, {"steering_session": "x" * 5000}):
        with portal.client() as browser:
            browser.cookies.update(cookie)
            answer = browser.get("/org/ahorn-ev")
        assert answer.status_code == 401
        assert "Bitte melden Sie sich an" in answer.text


def test_signing_out_ends_the_session(portal: PortalServer) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev")
        out = browser.post("/sign-out", data={"csrf": csrf_of(overview.text)})
        assert out.status_code == 200 and "abgemeldet" in out.text
        cookie = overview.request.headers["cookie"]
    with portal.client() as stolen:
        stolen.headers["cookie"] = cookie
        assert stolen.get("/org/ahorn-ev").status_code == 401


def test_sign_in_attempts_are_limited_per_client(tmp_path: Path, portal: PortalServer) -> None:
    running, server, thread = start_portal(tmp_path, portal.today, sign_in_limit=3)
    try:
        with running.client() as browser:
            answers = [browser.get(f"/sign-in/forged-{n}").status_code for n in range(5)]
            good = browser.get(f"/sign-in/{running.link('anna')}")
        assert answers[:3] == [400, 400, 400]
        assert answers[3:] == [429, 429]
        assert good.status_code == 429 and "Zu viele Anmeldeversuche" in good.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_sign_ins_that_succeed_do_not_count_towards_the_limit(
    tmp_path: Path, portal: PortalServer
) -> None:
    running, server, thread = start_portal(tmp_path, portal.today, sign_in_limit=2)
    try:
        for person in ("anna", "bert", "leitung", "anna", "bert"):  # one office, one address
            with running.client() as browser:
                assert sign_in(browser, running.link(person)).status_code == 303
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_every_response_carries_the_security_headers(portal: PortalServer) -> None:
    with portal.client("anna") as browser:
        answers = [
            browser.get("/org/ahorn-ev"),
            browser.get("/sign-in/forged"),
            browser.get("/nowhere"),
        ]
    for answer in answers:
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src" not in policy
        assert "default-src 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert answers[2].status_code == 404 and "Diese Seite gibt es nicht" in answers[2].text


def test_a_session_ends_after_the_idle_timeout(
    portal: PortalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from clock import instant

    from steering.clock import CLOCK_ENV

    start = instant(portal.today)
    with portal.client("anna") as browser:
        monkeypatch.setenv(CLOCK_ENV, (start + timedelta(minutes=119)).isoformat())
        assert browser.get("/org/ahorn-ev").status_code == 200  # used: the timeout starts anew
        monkeypatch.setenv(CLOCK_ENV, (start + timedelta(minutes=119 + 121)).isoformat())
        assert browser.get("/org/ahorn-ev").status_code == 401


def test_signing_in_is_audited_with_the_person(portal: PortalServer) -> None:
    import sqlite3

    with portal.client("bert"):
        pass
    with sqlite3.connect(portal.database) as connection:
        rows = connection.execute(
            "SELECT actor, subject_id FROM audit_log WHERE action = 'portal-sign-in'"
        ).fetchall()
    assert ("bert", "bert") in rows
