"""GET /submissions/{id}/feedback-letter: the LA's feedback letter as a PDF, for the app to show.

The same letter the LA emails (collector/letters.py); a device gets only its own
establishment's, and only once the return has been reviewed.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import Device, get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.db.tables import Submission

router = APIRouter(tags=["feedback"], route_class=StrictJSONRoute)
NOT_READY = ""


@router.get(
    "/submissions/{submission_id}/feedback-letter",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}},
        404: {"description": "unknown or not reviewed"},
    },
)
async def get_feedback_letter(
    submission_id: uuid.UUID, request: Request, device: Device
) -> Response:
    found = await run_in_threadpool(_letter, request, str(submission_id), device.urn)
    if found is None:
        raise ApiError(404, "not_found", "No such submission for this establishment.")
    if found == NOT_READY:
        raise ApiError(
            404, "letter_not_ready", "The local authority has not reviewed this return yet."
        )
    name, data = found
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _letter(request: Request, submission_id: str, urn: str) -> tuple[str, bytes] | str | None:
    from school_audit.collector.letters import LetterError, letter_for  # ReportLab: lazily
    from school_audit.reports.feedback_letter import build_feedback_letter

    with get_database(request).read() as session:
        row = session.get(Submission, submission_id)
        if row is None or row.urn != urn:
            return None
        try:
            letter = letter_for(session, submission_id, request.app.state.settings.la_name)
        except LetterError:
            return NOT_READY
    return f"feedback-letter-{letter.urn}-{letter.cycle}.pdf", build_feedback_letter(letter)
