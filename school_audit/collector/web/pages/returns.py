"""The list of returns and one return in full, with the review form (LA officers and admins)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector import redaction
from school_audit.collector.ingest import current
from school_audit.collector.review import returns_data, reviewing
from school_audit.collector.review.verification import Verification, verify_submission
from school_audit.collector.web import deps, sorting
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, not_found, page
from school_audit.collector.web.rendering import STATUS_LABELS, render
from school_audit.i18n import tr

if TYPE_CHECKING:
    from school_audit.domain.envelope import Envelope

router = APIRouter(route_class=WebRoute)
FLASHES = {
    "saved": "Review saved.",
    "redacted": "The text is hidden in every view and export of this return.",
    "undone": "Redaction undone: the text shows again.",
    "released": "Released: this is now the current return and counts in the figures.",
}


RETURN_SORTS = {
    "name": lambda row: (row.name.lower(), row.urn),
    "urn": lambda row: (row.urn,),
    "phase": lambda row: (row.phase, row.name.lower()),
    "district": lambda row: ((row.district or "").lower(), row.name.lower()),
    "revision": lambda row: (row.revision, row.name.lower()),
    "received": lambda row: (row.received_at,),
    "status": lambda row: (row.status, row.name.lower()),
}


@router.get("/returns")
def returns_list(
    request: Request,
    user: Annotated[WebUser, Depends(page("returns"))],
    cycle: str = "",
    status: str = "",
    q: str = "",
    superseded: str = "",
    phase: str = "",
    district: str = "",
    sort: str = "",
    order: str = "",
) -> Response:
    with deps.database(request).read() as session:
        cycles = returns_data.cycles(session)
        chosen = cycle if cycle in cycles else returns_data.default_cycle(session)
        status = status if status in STATUS_LABELS else ""
        rows = returns_data.list_returns(session, chosen, status, q[:100], bool(superseded))
    phases = sorted({row.phase for row in rows})
    districts = sorted({row.district for row in rows if row.district})
    # Filtered and sorted here, on the server, so that the list works without JavaScript.
    rows = [r for r in rows if (not phase or r.phase == phase)]
    rows = [r for r in rows if (not district or r.district == district)]
    sort = sort if sort in RETURN_SORTS else ""
    descending = order == "desc" if sort else True  # newest first until a column is chosen
    rows.sort(key=RETURN_SORTS[sort or "received"], reverse=descending)
    params = {"cycle": chosen, "status": status, "q": q[:100], "superseded": superseded[:1],
              "phase": phase[:64], "district": district[:200], "sort": sort,
              "order": "desc" if sort and descending else ""}  # fmt: skip
    context = {
        "title": tr("Returns"),
        "rows": rows,
        "cycles": cycles,
        "cycle": chosen,
        "status": status,
        "q": q[:100],
        "superseded": bool(superseded),
        "phase": phase,
        "district": district,
        "phases": phases,
        "districts": districts,
        "sort_links": sorting.sort_links(
            "/returns", params, RETURN_SORTS, sort or "received", descending, default=""
        ),
        "sort": sort,
        "order": params["order"],
    }
    return render(request, "returns.html", context)


def _detail(request: Request, submission_id: str) -> tuple[returns_data.ReturnDetail, Verification]:
    try:
        uuid.UUID(submission_id)
    except ValueError:
        raise not_found(tr("That return")) from None
    with deps.database(request).read() as session:
        detail = returns_data.load_detail(session, submission_id)
        if detail is None:
            raise not_found(tr("That return"))
        verification = verify_submission(session, detail.submission)
    return detail, verification


def _render_detail(
    request: Request,
    submission_id: str,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
    redact_form: dict[str, str] | None = None,
) -> Response:
    detail, verification = _detail(request, submission_id)
    flash = next((tr(text) for key, text in FLASHES.items() if request.query_params.get(key)), "")
    context = {
        "title": detail.name,
        "detail": detail,
        "verification": verification,
        "error": error,
        "form": form or {},
        "redact_form": redact_form or {},
        "flash": flash,
        "flash_kind": "success",
        "signature_methods": SIGNATURE_METHODS,
        **_signature_facts(request, detail.submission.urn, detail.submission.envelope),
    }
    return render(request, "return_detail.html", context, status=status)


# How a person signed (`sign_off[].attestation.method`), as the return page says it.
SIGNATURE_METHODS = {
    "in_person": "In person, on the setting's computer",
    "email_code": "Remotely, by a code sent to their email",
    "passkey": "Remotely, with a passkey",
    "": "On the setting's computer (no attestation)",
}


def _signature_facts(request: Request, urn: str, envelope_bytes: bytes) -> dict[str, object]:
    """`code_sent_to`: where each remote signature's link and code went (by position in
    sign_off[]), and `signature_flags`."""
    import json

    from pydantic import ValidationError

    from school_audit.collector.sign_off_addresses import code_addresses
    from school_audit.domain.envelope import Envelope

    try:
        envelope = Envelope.model_validate(json.loads(envelope_bytes))
    except (ValueError, ValidationError):
        return {"signature_flags": [], "code_sent_to": {}}
    with deps.database(request).read() as session:
        addresses = code_addresses(session, urn, envelope)
    return {
        "signature_flags": signature_flags(
            envelope, [(a.role, a.address) for a in addresses if not a.la_holds]
        ),
        "code_sent_to": {a.index: a for a in addresses},
    }


def signature_flags(envelope: Envelope, unknown_addresses: list[tuple[str, str]]) -> list[str]:
    """What a reviewer should check about the signatures: one person in two roles, every
    signature made on the setting's computer within minutes, and a code sent to an address the
    LA does not hold for the role (`review_flags`)."""
    from school_audit.collector.ingest.attestations import review_flags, same_person_problems

    found = same_person_problems(envelope) + review_flags(envelope, unknown_addresses)
    return [_sentence(flag) for flag in found]


def _sentence(flag: str) -> str:
    text = flag.split(": ", 1)[-1]
    return tr(text[:1].upper() + text[1:] + ".")


@router.get("/returns/{submission_id}")
def return_detail(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("review"))]
) -> Response:
    return _render_detail(request, submission_id)


# The two form posts are async only to read the form (the guard has already parsed it for the
# CSRF check); the database work runs in the thread pool, never on the event loop.


@router.post("/returns/{submission_id}/review")
async def review_return(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("review"))]
) -> Response:
    values = await _form_values(request)
    return await run_in_threadpool(_review, request, submission_id, user, values)


def _review(
    request: Request, submission_id: str, user: WebUser, values: dict[str, str]
) -> Response:
    detail, _ = _detail(request, submission_id)
    try:
        review = reviewing.read_form(values, set(detail.responses_by_id()))
        reviewing.record_review(deps.database(request), submission_id, user.username, review)
    except reviewing.ReviewRefused as problem:
        return _render_detail(request, submission_id, error=str(problem), form=values, status=422)
    return RedirectResponse(f"/returns/{submission_id}?saved=1", status_code=303)


@router.post("/returns/{submission_id}/release")
def release_return(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("review"))]
) -> Response:
    """The officer's choice for a quarantined return: count it instead (see ingest.current)."""
    _detail(request, submission_id)
    try:
        current.release_return(deps.database(request), submission_id, user.username)
    except current.ReleaseRefused as problem:
        return _render_detail(request, submission_id, error=tr(str(problem)), status=422)
    return RedirectResponse(f"/returns/{submission_id}?released=1", status_code=303)


@router.post("/returns/{submission_id}/redactions")
async def redact(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("redact"))]
) -> Response:
    """Hide text: a suggestion's exact span (one click), or every occurrence of typed text."""
    values = await _form_values(request)
    return await run_in_threadpool(_redact, request, submission_id, user, values)


def _redact(
    request: Request, submission_id: str, user: WebUser, values: dict[str, str]
) -> Response:
    _detail(request, submission_id)
    try:
        with deps.database(request).write() as session:
            if values.get("target"):
                span = (_number(values.get("start")), _number(values.get("end")))
                redaction.add_redaction(session, submission_id, values["target"],
                                        values.get("item_id", ""), span,
                                        values.get("reason", ""), user.username)  # fmt: skip
            else:
                redaction.redact_text(session, submission_id, values.get("item", ""),
                                      values.get("text", ""), values.get("reason", ""),
                                      user.username)  # fmt: skip
    except redaction.RedactionRefused as problem:
        return _render_detail(
            request, submission_id, error=tr(str(problem)), redact_form=values, status=422
        )
    return RedirectResponse(f"/returns/{submission_id}?redacted=1#redaction-heading", 303)


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "csrf_token"}


@router.post("/returns/{submission_id}/redactions/{redaction_id}/undo")
def undo_redaction(
    request: Request,
    submission_id: str,
    redaction_id: str,
    user: Annotated[WebUser, Depends(page("redact"))],
) -> Response:
    _detail(request, submission_id)
    try:
        with deps.database(request).write() as session:
            number = _number(redaction_id, "That redaction is not on this return.")
            redaction.remove_redaction(session, submission_id, number, user.username)
    except redaction.RedactionRefused as problem:
        return _render_detail(request, submission_id, error=tr(str(problem)), status=422)
    return RedirectResponse(f"/returns/{submission_id}?undone=1#redaction-heading", 303)


def _number(text: str | None, problem: str = "Choose some text inside the item to hide.") -> int:
    try:
        number = int(str(text))
    except ValueError:
        raise redaction.RedactionRefused(problem) from None
    if not 0 <= number < 2**31:  # beyond any text or row id (and PostgreSQL's INTEGER)
        raise redaction.RedactionRefused(problem)
    return number
