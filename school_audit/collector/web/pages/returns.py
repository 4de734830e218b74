"""The list of returns and one return in full, with the review form (LA officers and admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.web import deps, returns_data, reviewing
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, not_found, page
from school_audit.collector.web.rendering import STATUS_LABELS, render
from school_audit.collector.web.verification import Verification, verify_submission
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)


@router.get("/returns")
def returns_list(
    request: Request,
    user: Annotated[WebUser, Depends(page("returns"))],
    cycle: str = "",
    status: str = "",
    q: str = "",
    superseded: str = "",
) -> Response:
    with deps.database(request).read() as session:
        cycles = returns_data.cycles(session)
        chosen = cycle if cycle in cycles else (cycles[0] if cycles else "")
        status = status if status in STATUS_LABELS else ""
        rows = returns_data.list_returns(session, chosen, status, q[:100], bool(superseded))
    context = {
        "title": tr("Returns"),
        "rows": rows,
        "cycles": cycles,
        "cycle": chosen,
        "status": status,
        "q": q[:100],
        "superseded": bool(superseded),
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
) -> Response:
    detail, verification = _detail(request, submission_id)
    flash = tr("Review saved.") if request.query_params.get("saved") else ""
    context = {
        "title": detail.name,
        "detail": detail,
        "verification": verification,
        "error": error,
        "form": form or {},
        "flash": flash,
        "flash_kind": "success",
    }
    return render(request, "return_detail.html", context, status=status)


@router.get("/returns/{submission_id}")
def return_detail(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("review"))]
) -> Response:
    return _render_detail(request, submission_id)


@router.post("/returns/{submission_id}/review")
async def review_return(
    request: Request, submission_id: str, user: Annotated[WebUser, Depends(page("review"))]
) -> Response:
    detail, _ = _detail(request, submission_id)
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    try:
        review = reviewing.read_form(values, set(detail.responses_by_id()))
        reviewing.record_review(deps.database(request), submission_id, user.username, review)
    except reviewing.ReviewRefused as problem:
        return _render_detail(request, submission_id, error=str(problem), form=values, status=422)
    return RedirectResponse(f"/returns/{submission_id}?saved=1", status_code=303)
