"""GET /collector-keys: every public key this collector has signed with, oldest first, each
vouched for by the one before (`school_audit.signing.key_history`).

No bearer token: the list is public (no secret in it) and each entry proves itself, so a device
checks it from the key it pinned at enrolment whoever serves it. Asking for a token would add no
protection and would shut out those who need it most: a device whose token was revoked but whose
old receipts must still be checked, or anyone checking a school's archive.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from school_audit.collector.api.body import StrictJSONRoute

router = APIRouter(tags=["keys"], route_class=StrictJSONRoute)


@router.get("/collector-keys")
def get_collector_keys(request: Request) -> dict[str, Any]:
    history: list[dict[str, Any]] = request.app.state.collector_key_history
    return {"keys": history, "current_key_id": request.app.state.collector_key.key_id}
