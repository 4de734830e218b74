"""Liveness: the process answers and the database can be reached."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.errors import ApiError

router = APIRouter(tags=["health"], route_class=StrictJSONRoute)


@router.get("/healthz")
def healthz(request: Request) -> dict[str, str]:
    try:
        with request.app.state.database.read() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure is "unavailable" here
        raise ApiError(503, "unavailable", "The database cannot be reached.") from None
    return {"status": "ok"}
