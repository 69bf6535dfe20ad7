"""Calendar feeds: `/calendar/<secret>.ics` serves a person's calendar to their calendar program."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from steering import clock
from steering.bootstrap import render_calendar
from steering.portal.app import language, message_page, portal_of
from steering.portal.texts import text
from steering.services.calendar_feed import calendar_entries
from steering.services.portal_calendar import CalendarRevoked, CalendarUnknown, calendar_person

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
