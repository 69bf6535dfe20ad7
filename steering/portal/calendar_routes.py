"""Calendar feeds: `/calendar/<secret>.ics` serves a person's calendar to their calendar program."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from steering import clock
from steering.bootstrap import render_calendar
from steering.portal.app import current_visitor, language, message_page, page, portal_of
from steering.portal.security import same_token
from steering.portal.texts import text
from steering.services.calendar_feed import calendar_entries
from steering.services.portal_calendar import (
    CalendarRevoked,
    CalendarUnknown,
    calendar_person,
    issue_calendar,
    webcal_url,
)

router = APIRouter()
MAX_TOKEN = 100


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str) -> Response:
    """The person's calendar (no cookie: calendar programs fetch it); 404 unknown, 410 revoked."""
    portal = portal_of(request)
    lang = language(request)
    try:
        if len(token) > MAX_TOKEN:
            raise CalendarUnknown(token[:6])
        person = calendar_person(portal.definition, token, store=portal.wiring.access)
    except CalendarUnknown:
        return message_page(
            request, lang, 404, text(lang, "Not found"), text(lang, "There is no such page.")
        )
    except CalendarRevoked:
        return message_page(
            request,
            lang,
            410,
            text(lang, "Calendar revoked"),
            text(
                lang, "This calendar subscription was revoked. Ask the project lead for a new one."
            ),
        )
    definition = portal.definition
    person_lang = definition.person(person).language
    title, entries = calendar_entries(
        definition, uow=portal.wiring.uow(), person=person, lang=person_lang
    )
    data = render_calendar(
        title,
        entries,
        programme_id=definition.programme.id,
        now=clock.now(),
        timezone=definition.programme.timezone,
    )
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.get("/calendar")
def calendar_page(request: Request) -> Response:
    """Offer the signed-in person a calendar subscription address."""
    person = current_visitor(request)
    return page(request, "calendar.html", person.language, person=person, address=None)


@router.post("/calendar")
async def calendar_issue(request: Request) -> Response:
    """Issue a new subscription address for the signed-in person (audited) and show it."""
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
    portal = portal_of(request)
    token = issue_calendar(
        portal.definition,
        person.person_id,
        store=portal.wiring.access,
        uow=portal.wiring.uow(),
        now=clock.now(),
        actor=person.person_id,
    )
    base = portal.wiring.settings.portal_url or str(request.base_url)
    address = webcal_url(base, token)
    return page(request, "calendar.html", lang, person=person, address=address)
