"""Pages of an organisation and what participants do there: steps, evidence, values, files."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from steering import clock
from steering.domain.integration import ProgressError
from steering.portal.app import Portal, current_visitor, message_page, page, portal_of
from steering.portal.security import same_token
from steering.portal.texts import N_, text
from steering.ports.sources import ImportFailed
from steering.services.integration import complete_step, local_today, tick_subtask
from steering.services.pdca import record_evidence
from steering.services.portal_access import Visitor
from steering.services.portal_actions import (
    NotEnterable,
    complete_with_file,
    enter_value,
    import_upload,
    upload_sources,
)
from steering.services.portal_pages import organisation_page, value_form
from steering.services.portal_uploads import UploadProblem, UploadRefused, check_upload

router = APIRouter()
MAX_TEXT = 2000
DONE = {
    "ticked": N_("Sub-task ticked."),
    "completed": N_("Step marked as done."),
    "evidence": N_("Evidence recorded."),
    "value": N_("Value saved."),
    "imported": N_("File imported."),
    "unchanged": N_("This file was imported before; nothing changed."),
}


def _allowed(request: Request, org: str) -> tuple[Visitor, Portal]:
    """The visitor and portal, if the visitor may act for `org`: 404 unknown, 403 not theirs."""
    person = current_visitor(request)
    portal = portal_of(request)
    if org not in {o.id for o in portal.definition.organisations}:
        raise HTTPException(404)
    if not person.may_act_for(org):
        raise HTTPException(403)
    return person, portal


async def _form(request: Request, person: Visitor, *, files: int = 0) -> FormData | Response:
    """The posted form, or a refusal page when its CSRF token is missing or wrong."""
    form = await request.form(max_files=files, max_fields=20)
    if not same_token(form.get("csrf"), person.csrf_token):
        lang = person.language
        return message_page(
            request,
            lang,
            400,
            text(lang, "Form expired"),
            text(lang, "Please reload the page and try again."),
        )
    return form


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _upload_text(lang: str, problem: UploadProblem) -> str:
    texts = {
        UploadProblem.EMPTY: text(lang, "Please choose a file."),
        UploadProblem.TOO_LARGE: text(lang, "Files may be at most 20 MB."),
        UploadProblem.BAD_NAME: text(
            lang,
            "The file name may only contain letters, digits, spaces, dots, hyphens and brackets.",
        ),
        UploadProblem.BAD_TYPE: text(lang, "This kind of file is not accepted."),
        UploadProblem.MISMATCH: text(lang, "The file's content does not match its name."),
        UploadProblem.ZIP_BOMB: text(
            lang, "The file would unpack to far too much data and was refused."
        ),
    }
    return texts[problem]


def _overview(
    request: Request,
    person: Visitor,
    portal: Portal,
    org: str,
    *,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    notice: str = "",
) -> Response:
    lang = person.language
    view = organisation_page(
        portal.definition, org, uow=portal.wiring.uow(), now=clock.now(), lang=lang
    )
    return page(
        request,
        "organisation.html",
        lang,
        status,
        person=person,
        view=view,
        errors=errors or {},
        notice=notice,
    )


def _done(org: str, what: str, anchor: str = "", page_name: str = "") -> RedirectResponse:
    suffix = f"/{page_name}" if page_name else ""
    return RedirectResponse(f"/org/{org}{suffix}?done={what}{anchor}", status_code=303)


def _notice(request: Request, lang: str) -> str:
    key = request.query_params.get("done", "")
    return text(lang, DONE[key]) if key in DONE else ""


@router.get("/")
def home(request: Request) -> Response:
    """The organisation of an owner, or the list of organisations (the lead sees all)."""
    person = current_visitor(request)
    portal = portal_of(request)
    if len(person.organisations) == 1:
        return RedirectResponse(f"/org/{person.organisations[0]}", status_code=303)
    names = {o.id: o.name for o in portal.definition.organisations}
    return page(
        request,
        "organisations.html",
        person.language,
        person=person,
        organisations=[(o, names[o]) for o in person.organisations],
        periods=[p.id for p in portal.definition.programme.periods] if person.lead else [],
    )


@router.get("/org/{org}")
def organisation(request: Request, org: str) -> Response:
    """The organisation's cycle, gate, steps, lights and decisions."""
    person, portal = _allowed(request, org)
    return _overview(request, person, portal, org, notice=_notice(request, person.language))


@router.post("/org/{org}/steps/{driver}/{step}/tick")
async def tick(request: Request, org: str, driver: str, step: int) -> Response:
    """Tick a sub-task of an open step."""
    person, portal = _allowed(request, org)
    form = await _form(request, person)
    if isinstance(form, Response):
        return form
    where = f"step-{driver}-{step}-tick"
    raw = _field(form, "subtask")
    try:
        index = int(raw) - 1
        if index < 0:
            raise ValueError(raw)
        tick_subtask(
            portal.definition,
            org,
            driver,
            step,
            index,
            uow=portal.wiring.uow(),
            now=clock.now(),
            actor=person.person_id,
        )
    except ValueError:
        errors = {where: {"subtask": text(person.language, "Please choose a sub-task.")}}
        return _overview(request, person, portal, org, status=400, errors=errors)
    except (ProgressError, IndexError) as exc:
        message = exc.text(person.language) if isinstance(exc, ProgressError) else ""
        errors = {where: {"subtask": message or text(person.language, "Please choose a sub-task.")}}
        return _overview(request, person, portal, org, status=400, errors=errors)
    return _done(org, "ticked", f"#step-{driver}-{step}")


def _link(value: str) -> bool:
    return value.startswith(("https://", "http://")) and " " not in value and len(value) <= MAX_TEXT


@router.post("/org/{org}/steps/{driver}/{step}/done")
async def done(request: Request, org: str, driver: str, step: int) -> Response:
    """Mark a step done with a link or a file as evidence; the next step opens."""
    person, portal = _allowed(request, org)
    form = await _form(request, person, files=1)
    if isinstance(form, Response):
        return form
    lang = person.language
    where = f"step-{driver}-{step}-done"
    upload = form.get("evidence_file")
    url = _field(form, "evidence_url")
    now = clock.now()
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            checked = check_upload(upload.filename, await upload.read(), tables_only=False)
            complete_with_file(
                portal.definition,
                org,
                driver,
                step,
                upload=checked,
                files=portal.wiring.evidence_files,
                uow=portal.wiring.uow(),
                now=now,
                actor=person.person_id,
            )
        elif _link(url):
            complete_step(
                portal.definition,
                org,
                driver,
                step,
                evidence_url=url,
                uow=portal.wiring.uow(),
                now=now,
                actor=person.person_id,
            )
        else:
            message = text(lang, "Please give a link starting with https:// or choose a file.")
            return _overview(
                request, person, portal, org, status=400, errors={where: {"evidence_url": message}}
            )
    except UploadRefused as refused:
        errors = {where: {"evidence_file": _upload_text(lang, refused.problem)}}
        return _overview(request, person, portal, org, status=400, errors=errors)
    except ProgressError as exc:
        return _overview(
            request,
            person,
            portal,
            org,
            status=400,
            errors={where: {"evidence_url": exc.text(lang)}},
        )
    return _done(org, "completed", f"#step-{driver}-{step}")


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


@router.get("/org/{org}/files/{name}")
def evidence_file(request: Request, org: str, name: str) -> Response:
    """An evidence file kept for the organisation, as a download (never shown inline)."""
    _, portal = _allowed(request, org)
    content = portal.wiring.evidence_files.read(org, name)
    if content is None:
        raise HTTPException(404)
    suffix = name.rsplit(".", 1)[-1]
    return Response(
        content,
        media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/org/{org}/evidence")
async def evidence(request: Request, org: str) -> Response:
    """Record evidence (e.g. a strategy document) for the current phase's gate."""
    person, portal = _allowed(request, org)
    form = await _form(request, person)
    if isinstance(form, Response):
        return form
    lang = person.language
    kind, reference = _field(form, "kind"), _field(form, "reference")
    kinds = sorted({k for p in portal.definition.pdca.phases for k in p.exit_gate.evidence})
    errors: dict[str, str] = {}
    if kind not in kinds:
        errors["kind"] = text(lang, "Please choose a kind of evidence.")
    if not reference:
        errors["reference"] = text(lang, "Please give a link or where the document is kept.")
    if errors:
        return _overview(request, person, portal, org, status=400, errors={"evidence": errors})
    try:
        record_evidence(
            portal.definition,
            org,
            kind,
            reference,
            uow=portal.wiring.uow(),
            now=clock.now(),
            actor=person.person_id,
        )
    except ProgressError as exc:
        return _overview(
            request,
            person,
            portal,
            org,
            status=400,
            errors={"evidence": {"reference": exc.text(lang)}},
        )
    return _done(org, "evidence", "#evidence")


def _values_page(
    request: Request,
    person: Visitor,
    portal: Portal,
    org: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    form = value_form(
        portal.definition,
        org,
        local_today(portal.definition, clock.now()),
        uow=portal.wiring.uow(),
    )
    return page(
        request,
        "values.html",
        person.language,
        status,
        person=person,
        org=org,
        name=portal.definition.organisation(org).name,
        form=form,
        errors=errors or {},
        entered=entered or {},
        notice=_notice(request, person.language),
    )


@router.get("/org/{org}/values")
def values(request: Request, org: str) -> Response:
    """The form to enter the organisation's values for open periods."""
    person, portal = _allowed(request, org)
    return _values_page(request, person, portal, org)


@router.post("/org/{org}/values")
async def values_post(request: Request, org: str) -> Response:
    """Store one value, checked as an import checks it."""
    person, portal = _allowed(request, org)
    form = await _form(request, person)
    if isinstance(form, Response):
        return form
    lang = person.language
    entered = {name: _field(form, name) for name in ("indicator", "period", "value", "note")}
    labels = {"indicator": "indicator", "period": "period"}
    try:
        enter_value(
            portal.definition,
            org,
            indicator=entered["indicator"],
            period=entered["period"],
            value=entered["value"],
            note=entered["note"],
            sources=portal.wiring.sources,
            uow=portal.wiring.uow(),
            now=clock.now(),
            actor=person.person_id,
            lang=lang,
        )
    except NotEnterable as refused:
        message = (
            text(lang, "Please choose one of the listed indicators.")
            if refused.field == "indicator"
            else text(lang, "Please choose one of the open periods.")
        )
        return _values_page(
            request,
            person,
            portal,
            org,
            status=400,
            errors={labels[refused.field]: message},
            entered=entered,
        )
    except ImportFailed as failed:
        reasons = "; ".join(e.reason for e in failed.result.errors)
        return _values_page(
            request, person, portal, org, status=400, errors={"value": reasons}, entered=entered
        )
    return _done(org, "value", page_name="values")


def _upload_page(
    request: Request,
    person: Visitor,
    portal: Portal,
    org: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    rows: list[Any] | None = None,
) -> Response:
    today = local_today(portal.definition, clock.now())
    return page(
        request,
        "upload.html",
        person.language,
        status,
        person=person,
        org=org,
        name=portal.definition.organisation(org).name,
        sources=upload_sources(portal.definition),
        periods=value_form(portal.definition, org, today).periods,
        errors=errors or {},
        rows=rows or [],
        notice=_notice(request, person.language),
    )


@router.get("/org/{org}/upload")
def upload(request: Request, org: str) -> Response:
    """The form to upload a CSV or XLSX file for a configured source."""
    person, portal = _allowed(request, org)
    return _upload_page(request, person, portal, org)


@router.post("/org/{org}/upload")
async def upload_post(request: Request, org: str) -> Response:
    """Import the file all or nothing; every bad row is listed with line, column and reason."""
    person, portal = _allowed(request, org)
    form = await _form(request, person, files=1)
    if isinstance(form, Response):
        return form
    lang = person.language
    source = _field(form, "source")
    period = _field(form, "period") or None
    if source not in {s.key for s in upload_sources(portal.definition)}:
        return _upload_page(
            request,
            person,
            portal,
            org,
            status=400,
            errors={"source": text(lang, "Please choose a source.")},
        )
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise UploadRefused(UploadProblem.EMPTY)
        checked = check_upload(file.filename, await file.read(), tables_only=True)
    except UploadRefused as refused:
        return _upload_page(
            request,
            person,
            portal,
            org,
            status=400,
            errors={"file": _upload_text(lang, refused.problem)},
        )
    with tempfile.TemporaryDirectory(prefix="portal-upload-") as folder:
        path = Path(folder) / checked.name
        path.write_bytes(checked.content)
        try:
            outcome = import_upload(
                portal.definition,
                portal.definition_file,
                source_key=source,
                path=path,
                allowed=person.organisations,
                programme_scope=person.lead,
                sources=portal.wiring.sources,
                uow=portal.wiring.uow(),
                now=clock.now(),
                actor=person.person_id,
                lang=lang,
                period=period,
            )
        except ImportFailed as failed:
            return _upload_page(
                request,
                person,
                portal,
                org,
                status=400,
                rows=failed.result.errors,
                errors={"file": text(lang, "Nothing was imported: the file has errors.")},
            )
    return _done(
        org, outcome.status if outcome.status == "unchanged" else "imported", page_name="upload"
    )
