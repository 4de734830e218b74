"""POST /submissions and GET /submissions/{id}: signed returns in, receipts and status out."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from school_audit.collector.acceptance import acceptance_record, latest_review
from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import Device, get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.api.schemas import (
    SubmissionRequest,
    SubmissionResponse,
    SubmissionStatus,
)
from school_audit.collector.db.tables import AuditLogEntry, Submission
from school_audit.collector.ingest import Ingestor, IngestRejected
from school_audit.domain.envelope import rfc3339

router = APIRouter(tags=["submissions"], route_class=StrictJSONRoute)

FAILURES: dict[int | str, dict[str, Any]] = {
    401: {"description": "bad or revoked token"},
    403: {"description": "the envelope's URN is not the device's"},
    409: {"description": "submission_conflict: same submission_id, other bytes"},
    413: {"description": "body too large"},
    415: {"description": "not JSON"},
    422: {"description": "schema_invalid, signature_invalid or template_unknown"},
}


def ingestor(request: Request) -> Ingestor:
    state = request.app.state
    if not hasattr(state, "ingestor"):
        state.ingestor = Ingestor(state.database, state.collector_key)
        state.ingestor.collector_keys.update(getattr(state, "collector_public_keys", {}))
    return state.ingestor  # type: ignore[no-any-return]


@router.post(
    "/submissions",
    status_code=201,
    response_model=SubmissionResponse,
    responses={200: {"model": SubmissionResponse, "description": "an identical retry"}, **FAILURES},
)
async def post_submission(
    body: SubmissionRequest, request: Request, device: Device
) -> JSONResponse:
    raw = (await request.json())["envelope"]  # the object as sent: its canonical bytes were signed
    try:  # validated, verified and stored in the thread pool (see SubmissionRequest)
        result = await run_in_threadpool(ingestor(request).ingest, raw, body.signature, device)
    except IngestRejected as refusal:
        raise ApiError(refusal.status, refusal.code, refusal.message) from None
    # The receipt goes out exactly as signed (no response model may add or drop a field).
    return JSONResponse({"receipt": result.receipt}, status_code=201 if result.created else 200)


@router.get(
    "/submissions/{submission_id}", response_model=SubmissionStatus,
    response_model_exclude_unset=True, responses={404: {}},
)  # fmt: skip
async def get_submission(
    submission_id: uuid.UUID, request: Request, device: Device
) -> SubmissionStatus:
    def load() -> SubmissionStatus | None:
        with get_database(request).read() as session:
            row = session.get(Submission, str(submission_id))
            if row is None or row.urn != device.urn:
                return None
            review = _review(session, row)
            acceptance = _acceptance(request, row, review)
            extra = {"acceptance": acceptance} if acceptance else {}  # optional: absent, not null
            return SubmissionStatus(
                submission_id=row.submission_id, status=row.status, review=review,
                feedback_letter=_letter_issued(session, row), **extra,
            )  # fmt: skip

    found = await run_in_threadpool(load)
    if found is None:
        raise ApiError(404, "not_found", "No such submission for this establishment.")
    return found


def _letter_issued(session: Any, row: Submission) -> dict[str, str] | None:
    """When the LA issued its feedback letter on this return: `letters send` logs
    "letter.queued" for it (collector/letters.py). None until then."""
    issued = session.scalar(
        select(AuditLogEntry.at)
        .where(AuditLogEntry.action == "letter.queued", AuditLogEntry.target == row.submission_id)
        .order_by(AuditLogEntry.at)
        .limit(1)
    )
    return {"issued_at": rfc3339(issued)} if issued is not None else None


def _acceptance(
    request: Request, row: Submission, review: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The signed acceptance record of an accepted return (`collector.acceptance`)."""
    if review is None:
        return None
    return acceptance_record(
        request.app.state.collector_key, row, review.get("decision"), review.get("reviewed_at")
    )


def _review(session: Any, row: Submission) -> dict[str, Any] | None:
    review = latest_review(session, row.submission_id)
    if review is None:
        return None
    try:
        comments = json.loads(review.comments or "{}")
    except ValueError:
        comments = {}
    return {
        "decision": review.decision,
        "comments": comments if isinstance(comments, dict) else {},
        "general_comment": review.general_comment,
        "reviewed_at": rfc3339(review.reviewed_at),
    }
