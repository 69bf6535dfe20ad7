"""Signing in with a link (GET shows a button, POST uses the link) and signing out."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from steering import clock
from steering.portal.app import (
    SESSION_COOKIE,
    NotSignedIn,
    current_visitor,
    language,
    message_page,
    page,
    portal_of,
)
from steering.portal.security import is_loopback, safe_next, same_token
from steering.portal.texts import text
from steering.services.portal_access import (
    AccessRefused,
    Refusal,
    admit,
    check_link,
    note_failure,
    sign_in,
    sign_out,
    used_by,
)

router = APIRouter()
PRE_CSRF_COOKIE = "steering_signin"
MAX_TOKEN = 100


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _refused(request: Request, reason: Refusal) -> Response:
    if reason is not Refusal.TOO_MANY:  # failures count towards the client's limit
        note_failure(_client(request), store=portal_of(request).wiring.access, now=clock.now())
    lang = language(request)
    bodies = {
        Refusal.USED: text(
            lang, "This sign-in link has already been used. Ask the project lead for a new one."
        ),
        Refusal.EXPIRED: text(
            lang, "This sign-in link has expired. Ask the project lead for a new one."
        ),
        Refusal.REVOKED: text(
            lang, "This sign-in link was revoked. Ask the project lead for a new one."
        ),
        Refusal.TOO_MANY: text(
            lang, "Too many sign-in attempts. Please wait 15 minutes and try again."
        ),
        Refusal.NO_PERSON: text(lang, "This person no longer takes part in the programme."),
    }
    body = bodies.get(
        reason,
        text(lang, "This sign-in link is not valid. Please check that it was copied completely."),
    )
    status = 429 if reason is Refusal.TOO_MANY else 400
    return message_page(request, lang, status, text(lang, "Sign-in not possible"), body)


def _signed_in_with(request: Request, token: str) -> bool:
    """Whether this browser is signed in as the person who used the link."""
    try:
        person = current_visitor(request)
    except NotSignedIn:
        return False
    return used_by(
        portal_of(request).definition,
        token,
        person.person_id,
        store=portal_of(request).wiring.access,
    )


@router.get("/sign-in/{token}")
def sign_in_page(request: Request, token: str, next: str | None = None) -> Response:
    """Show the sign-in button; looking at the link (as mail scanners do) does not use it."""
    portal = portal_of(request)
    now = clock.now()
    try:
        admit(_client(request), store=portal.wiring.access, now=now, limit=portal.sign_in_limit)
        if len(token) > MAX_TOKEN:
            raise AccessRefused(Refusal.UNKNOWN)
        person = check_link(portal.definition, token, store=portal.wiring.access, now=now)
    except AccessRefused as refused:
        if refused.reason is Refusal.USED and _signed_in_with(request, token):
            return RedirectResponse(safe_next(next) or "/", status_code=303)
        return _refused(request, refused.reason)
    lang = portal.definition.person(person).language
    form_token = secrets.token_urlsafe(32)
    response = page(
        request,
        "sign_in.html",
        lang,
        name=portal.definition.person(person).name,
        token=token,
        next=safe_next(next) or "",
        csrf=form_token,
    )
    response.set_cookie(
        PRE_CSRF_COOKIE,
        form_token,
        httponly=True,
        samesite="strict",
        secure=not is_loopback(request.url.hostname),
        path="/sign-in",
        max_age=3600,
    )
    return response


@router.post("/sign-in/{token}")
async def sign_in_post(request: Request, token: str) -> Response:
    """Use up the link and set the session cookie; then go to the page the link named."""
    portal = portal_of(request)
    now = clock.now()
    form = await request.form(max_files=0, max_fields=10)
    lang = language(request)
    if not same_token(form.get("csrf"), request.cookies.get(PRE_CSRF_COOKIE, "")):
        return message_page(
            request,
            lang,
            400,
            text(lang, "Form expired"),
            text(lang, "Please open the sign-in link again and press the button."),
        )
    try:
        admit(_client(request), store=portal.wiring.access, now=now, limit=portal.sign_in_limit)
        if len(token) > MAX_TOKEN:
            raise AccessRefused(Refusal.UNKNOWN)
        session_token, _ = sign_in(
            portal.definition, token, store=portal.wiring.access, uow=portal.wiring.uow(), now=now
        )
    except AccessRefused as refused:
        return _refused(request, refused.reason)
    target = safe_next(form.get("next")) or "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        httponly=True,
        samesite="lax",
        secure=not is_loopback(request.url.hostname),
        path="/",
    )
    response.delete_cookie(PRE_CSRF_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
async def sign_out_post(request: Request) -> Response:
    """End the session (the form's token must match) and forget the cookie."""
    person = current_visitor(request)
    form = await request.form(max_files=0, max_fields=10)
    lang = person.language
    if not same_token(form.get("csrf"), person.csrf_token):
        return message_page(
            request,
            lang,
            400,
            text(lang, "Form expired"),
            text(lang, "Please reload the page and try again."),
        )
    sign_out(
        request.cookies.get(SESSION_COOKIE, ""),
        store=portal_of(request).wiring.access,
        now=clock.now(),
    )
    response = message_page(
        request,
        lang,
        200,
        text(lang, "Signed out"),
        text(lang, "You are signed out. You can close this window."),
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
