"""Sign-off requests (docs/signed-returns.md §8): the app asks the collector to have one person
sign a sealed return remotely, follows the request and may cancel it. Device-authenticated."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from school_audit.collector import sign_off_requests as requests
from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import Device, get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.api.schemas import EmailText
from school_audit.collector.db.types import utc_now
from school_audit.collector.devices import DeviceIdentity
from school_audit.domain.audit import SignOffRole

router = APIRouter(tags=["sign-off requests"], route_class=StrictJSONRoute)
Line = Annotated[str, StringConstraints(max_length=500)]
# Control characters (CR, LF, tab, NUL...) and Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _one_line_name(value: str) -> str:
    """A name goes into an email and the attestation: one line, no control characters."""
    cleaned = " ".join(_CONTROL.sub(" ", value).split())
    if not cleaned:
        raise ValueError("the name is empty once control characters are taken out")
    return cleaned


class GovernorsSummary(BaseModel):
    """What the signatory reads before signing: facts the app works out, never answer text."""

    model_config = ConfigDict(extra="forbid")
    statutory_not_met: list[Line] = Field(default_factory=list, max_length=200)
    overdue_actions: int = Field(0, ge=0, le=10_000)
    warnings: list[Line] = Field(default_factory=list, max_length=200)
    changed_since_last_year: list[Line] = Field(default_factory=list, max_length=200)


class SignOffRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cycle: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]
    content_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    role: SignOffRole
    name: Annotated[
        str,
        StringConstraints(min_length=1, max_length=500, strip_whitespace=True),
        AfterValidator(_one_line_name),
    ]
    email: EmailText
    summary: GovernorsSummary = Field(default_factory=GovernorsSummary)


NOT_FOUND = ApiError(404, "not_found", "No such sign-off request for this establishment.")
NO_PUBLIC_ADDRESS = ApiError(
    503,
    "public_address_missing",
    "The LA has not set the collector's public address for links "
    "(SCHOOL_AUDIT_COLLECTOR_PUBLIC_URL), so no signing email can be sent.",
)


@router.post("/sign-off-requests", status_code=201)
async def create_request(body: SignOffRequestIn, request: Request, device: Device) -> JSONResponse:
    new = requests.NewRequest(body.cycle, body.content_sha256, body.role.value, body.name, body.email,
                              body.summary.model_dump())  # fmt: skip
    public_url = request.app.state.settings.public_url  # never the request's Host
    if not public_url:
        raise NO_PUBLIC_ADDRESS

    def write() -> dict[str, Any]:
        with get_database(request).write() as session:
            return requests.create(session, device, new, public_url, utc_now())

    try:
        created = await run_in_threadpool(write)
    except requests.RequestLimited as limited:
        raise ApiError(429, "rate_limited", str(limited),
                       {"Retry-After": str(limited.retry_after)}) from None  # fmt: skip
    except requests.RequestRefused as refusal:
        raise ApiError(409, "cycle_not_open", str(refusal)) from None
    return JSONResponse(created, status_code=201)


@router.get("/sign-off-requests/{request_id}")
async def get_request(request_id: uuid.UUID, request: Request, device: Device) -> dict[str, Any]:
    found = await run_in_threadpool(_status, request, device, str(request_id))
    if found is None:
        raise NOT_FOUND
    return found


@router.delete("/sign-off-requests/{request_id}")
async def cancel_request(request_id: uuid.UUID, request: Request, device: Device) -> dict[str, Any]:
    def write() -> dict[str, Any] | str | None:
        with get_database(request).write() as session:
            row = requests.for_device(session, device, str(request_id))
            if row is None:
                return None
            try:
                requests.cancel(row, utc_now())
            except requests.RequestRefused as refusal:
                return str(refusal)
            return requests.status_json(row, utc_now())

    result = await run_in_threadpool(write)
    if result is None:
        raise NOT_FOUND
    if isinstance(result, str):
        raise ApiError(409, "request_finished", result)
    return result


def _status(request: Request, device: DeviceIdentity, request_id: str) -> dict[str, Any] | None:
    with get_database(request).read() as session:
        row = requests.for_device(session, device, request_id)
        return None if row is None else requests.status_json(row, utc_now())
