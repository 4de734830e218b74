"""POST /enrolments: a one-time code and a public key become an enrolled device with a token."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.api.ratelimit import SlidingWindowLimiter
from school_audit.collector.api.schemas import EnrolmentRequest, EnrolmentResponse
from school_audit.collector.devices import secret_hash
from school_audit.collector.enrolment import (
    CodeRefused,
    Enrolled,
    KeyAlreadyEnrolled,
    collector_public_identity,
    enrol,
    normalise_code,
)
from school_audit.collector.mail.contacts import app_dsl_address
from school_audit.signing import SignatureInvalid, check_public_key

log = logging.getLogger(__name__)
router = APIRouter(tags=["enrolment"], route_class=StrictJSONRoute)

# One answer for unknown, used and expired codes, so codes cannot be probed.
CODE_REFUSED = ApiError(
    404,
    "enrolment_code_invalid",
    "This enrolment code is not valid: it may be mistyped, used or expired. "
    "Ask the local authority for a new one.",
)


def limiters(request: Request) -> tuple[SlidingWindowLimiter, SlidingWindowLimiter]:
    state = request.app.state
    if not hasattr(state, "enrol_limiters"):
        settings = state.settings
        window = settings.enrol_rate_window_seconds
        state.enrol_limiters = (
            SlidingWindowLimiter(settings.enrol_rate_per_ip, window),
            SlidingWindowLimiter(settings.enrol_rate_per_code, window),
        )
    return state.enrol_limiters  # type: ignore[no-any-return]


def _check_rate(limiter: SlidingWindowLimiter, key: str) -> None:
    wait = limiter.retry_after(key)
    if wait is not None:
        raise ApiError(
            429,
            "rate_limited",
            "Too many enrolment attempts: wait and try again.",
            {"Retry-After": str(wait)},
        )


@router.post(
    "/enrolments",
    status_code=201,
    response_model=EnrolmentResponse,
    responses={
        404: {"description": "unknown, used or expired code"},
        429: {"description": "too many tries"},
    },
)
async def post_enrolment(body: EnrolmentRequest, request: Request) -> JSONResponse:
    by_address, by_code = limiters(request)
    address = request.client.host if request.client else "unknown"
    code_key = secret_hash(normalise_code(body.code))
    _check_rate(by_address, address)
    _check_rate(by_code, code_key)
    by_code.record(code_key)
    try:
        check_public_key(body.public_key)  # 32 bytes, and not a weak (small-order) key
    except SignatureInvalid as error:
        raise ApiError(422, "schema_invalid", f"public_key: {error}") from None
    enrolled = await run_in_threadpool(_enrol, request, body)
    if enrolled is None:
        by_address.record(address)  # only failures count against an address: schools share NATs
        raise CODE_REFUSED
    log.info("enrolled device %s for %s", enrolled.device.device_id, enrolled.establishment.urn)
    return JSONResponse(_enrolment_json(enrolled, request), status_code=201)


KEY_IN_USE = ApiError(
    409, "key_already_enrolled", "This public key is already enrolled: make a new key pair."
)


def _enrol(request: Request, body: EnrolmentRequest) -> Enrolled | None:
    try:
        with get_database(request).write() as session:
            try:
                enrolled = enrol(session, body.code, body.public_key, body.device_name)
                if body.dsl_email:  # optional: who gets the LA's mail (collector/mail)
                    app_dsl_address(session, enrolled.establishment.urn, body.dsl_email)
                return enrolled
            except CodeRefused:
                return None  # commit the code's attempt count all the same
    except KeyAlreadyEnrolled:
        raise KEY_IN_USE from None
    except IntegrityError:  # the same key enrolled at the same moment by another request
        raise KEY_IN_USE from None


def _enrolment_json(enrolled: Enrolled, request: Request) -> dict[str, object]:
    place = enrolled.establishment
    return {
        "device_id": enrolled.device.device_id,
        "device_key_id": enrolled.device.device_key_id,
        "token": enrolled.token,
        "establishment": {
            "urn": place.urn,
            "name": place.name,
            "setting_type": place.setting_type,
            "phase": place.phase,
            "la_code": place.la_code,
            "district": place.district,
        },
        **collector_public_identity(request.app.state.collector_key),
    }
