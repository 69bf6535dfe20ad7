"""The lead's report downloads: `/reports/<period>/sachbericht.<html|xlsx|csv>`, `checkpoint.md`."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from steering.portal.app import current_visitor, message_page, portal_of
from steering.portal.texts import text
from steering.services.period_report import ReportUnavailable
from steering.services.report_downloads import (
    SACHBERICHT_FORMATS,
    Download,
    checkpoint_report,
    sachbericht,
)

router = APIRouter()


def _file(download: Download) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(download.name)}"
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


def _missing(request: Request, lang: str, period: str) -> Response:
    return message_page(
        request,
        lang,
        404,
        text(lang, "No report yet"),
        text(
            lang,
            "There is no report for %(period)s yet: its checkpoint has not run.",
            period=period,
        ),
    )


@router.get("/reports/{period}/{name}")
def report(request: Request, period: str, name: str) -> Response:
    """A report file of the period, for the lead only (owners get 403)."""
    person = current_visitor(request)
    if not person.lead:
        raise HTTPException(403)
    portal = portal_of(request)
    stem, _, fmt = name.rpartition(".")
    try:
        if name == "checkpoint.md":
            return _file(
                checkpoint_report(
                    portal.definition, data_dir=portal.wiring.settings.data_dir, period=period
                )
            )
        if stem != "sachbericht" or fmt not in SACHBERICHT_FORMATS:
            raise HTTPException(404)
        return _file(
            sachbericht(
                portal.definition,
                uow_factory=portal.wiring.uow,
                writer=portal.wiring.report_writer,
                period=period,
                fmt=fmt,
                lang=person.language,
            )
        )
    except ReportUnavailable:
        return _missing(request, person.language, period)
