"""The portal's FastAPI app: wiring, error pages and the routes of both route modules."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from steering import clock
from steering.bootstrap import Wiring, read_definition
from steering.domain.definition import ProgrammeDefinition
from steering.portal.security import BodyTooLarge, SecurityMiddleware
from steering.portal.texts import environment, text
from steering.services.portal_access import SIGN_INS_PER_WINDOW, AccessRefused, Visitor, visitor

SESSION_COOKIE = "steering_session"
log = logging.getLogger(__name__)


@dataclass
class Portal:
    """What every request of the portal needs: the programme, its file and the adapters."""

    definition: ProgrammeDefinition
    definition_file: Path
    wiring: Wiring
    sign_in_limit: int = SIGN_INS_PER_WINDOW


class NotSignedIn(Exception):
    """A page that needs a signed-in person, requested without a valid session."""


def portal_of(request: Request) -> Portal:
    """The portal the request belongs to."""
    found: Portal = request.app.state.portal
    return found


def language(request: Request) -> str:
    """The language of an anonymous page: the programme's."""
    return portal_of(request).definition.programme.language


def page(
    request: Request, template: str, lang: str, status: int = 200, **values: Any
) -> HTMLResponse:
    """Render a template in `lang` as the response."""
    html = environment(lang).get_template(template).render(request=request, **values)
    return HTMLResponse(html, status_code=status)


def message_page(request: Request, lang: str, status: int, title: str, body: str) -> HTMLResponse:
    """A page with one message (refusals, errors), translated."""
    return page(request, "message.html", lang, status, title=title, body=body)


def current_visitor(request: Request) -> Visitor:
    """The signed-in person of this request, or NotSignedIn."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        raise NotSignedIn
    portal = portal_of(request)
    try:
        return visitor(
            portal.definition,
            token,
            store=portal.wiring.access,
            now=clock.now(),
            idle_minutes=portal.wiring.settings.portal_idle_minutes,
        )
    except AccessRefused:
        raise NotSignedIn from None


def _handlers(app: FastAPI) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        lang = language(request)
        response = message_page(
            request,
            lang,
            401,
            text(lang, "Please sign in"),
            text(
                lang,
                "Please open the sign-in link from your e-mail "
                "or ask the project lead for a new one.",
            ),
        )
        response.delete_cookie(SESSION_COOKIE)
        return response

    async def too_large(request: Request, _exc: Exception) -> Response:
        lang = language(request)
        return message_page(
            request,
            lang,
            413,
            text(lang, "File too large"),
            text(lang, "Files may be at most 20 MB."),
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        lang = language(request)
        status = exc.status_code if isinstance(exc, StarletteHTTPException) else 400
        titles = {
            403: text(lang, "No access"),
            404: text(lang, "Not found"),
            405: text(lang, "Not possible"),
        }
        bodies = {
            403: text(lang, "You may not see or change this organisation."),
            404: text(lang, "There is no such page."),
            405: text(lang, "This address cannot be used that way."),
        }
        return message_page(
            request,
            lang,
            status,
            titles.get(status, text(lang, "Request not understood")),
            bodies.get(status, text(lang, "The request could not be read. Please try again.")),
        )

    async def bad_request(request: Request, _exc: Exception) -> Response:
        lang = language(request)
        return message_page(
            request,
            lang,
            400,
            text(lang, "Request not understood"),
            text(lang, "The request could not be read. Please try again."),
        )

    async def failure(request: Request, exc: Exception) -> Response:
        log.exception("portal request failed", exc_info=exc)
        lang = language(request)
        return message_page(
            request,
            lang,
            503,
            text(lang, "Temporarily unavailable"),
            text(
                lang,
                "Your entry could not be processed. Nothing was changed; please try again later.",
            ),
        )

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(BodyTooLarge, too_large)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, bad_request)
    app.add_exception_handler(Exception, failure)


def create_app(
    config: Path,
    wiring: Wiring,
    *,
    sign_in_limit: int = SIGN_INS_PER_WINDOW,
) -> FastAPI:
    """The portal for the programme defined in `config`, on the wired store (migrated)."""
    from steering.portal import (
        access_routes,
        calendar_routes,
        organisation_routes,
        report_routes,
    )

    definition = read_definition(str(config))
    wiring.migrate()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = Portal(definition, config.resolve(), wiring, sign_in_limit)
    app.add_middleware(SecurityMiddleware)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(access_routes.router)
    app.include_router(organisation_routes.router)
    app.include_router(calendar_routes.router)
    app.include_router(report_routes.router)
    _handlers(app)
    return app
