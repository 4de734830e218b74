"""Dependencies of the device API: the database and the calling device."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.errors import ApiError
from school_audit.collector.db import Database
from school_audit.collector.devices import DeviceIdentity, DeviceRefused, authenticate

log = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False, description="The token given to the device at enrolment.")


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _unauthorised(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


async def current_device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> DeviceIdentity:
    if credentials is None or not credentials.credentials:
        raise _unauthorised("Send the device's bearer token.")
    token = credentials.credentials
    if len(token) > 200:
        raise _unauthorised("The token is not valid.")

    def lookup() -> DeviceIdentity:  # a database read: in the thread pool, off the event loop
        with get_database(request).read() as session:
            return authenticate(session, token)

    try:
        return await run_in_threadpool(lookup)
    except DeviceRefused as refusal:
        log.info("device refused: %s", refusal)  # the reason, never the token
        raise _unauthorised("The token is not valid or the device was revoked.") from None


Device = Annotated[DeviceIdentity, Depends(current_device)]
