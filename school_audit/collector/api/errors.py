"""One error shape for every failure: `{"error": {"code", "message"}}` with the right status.

Handlers cover our own `ApiError`, Starlette's HTTP errors (unknown path, wrong method), FastAPI's
validation errors, a client that went away mid-upload (one log line) and, as a last resort, any unexpected exception (500, no traceback shown).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from school_audit.collector.ingest.errors import describe_validation

log = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "schema_invalid",
    429: "rate_limited",
    500: "internal_error",
}


class ApiError(HTTPException):
    """An answer the API means to give. Subclasses FastAPI's so its body reader lets it through."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.message = message


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.code, exc.message, exc.headers)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, getattr(exc, "headers", None))


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "schema_invalid", describe_validation(list(exc.errors())))


def _client_gone(request: Request, _exc: Exception) -> Response:
    # The client closed the connection before its body had all arrived (an aborted upload, a lost
    # network): nothing is wrong here and nobody is left to answer. One line, not a traceback at
    # ERROR, which anyone could set off again and again without a token.
    log.info("client closed the connection during %s %s", request.method, request.url.path)
    return Response(status_code=400)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(500, "internal_error", "Something went wrong on the collector.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)  # for the dashboard's forms too
    app.add_exception_handler(Exception, _unexpected)
