"""Reading a JSON request body strictly, before FastAPI sees it.

Size is checked twice (the declared Content-Length, then the bytes actually streamed, for chunked
or lying clients) and the JSON must be UTF-8, have no duplicate keys, no NUL or lone surrogates in
any string, no NaN/Infinity, integers within ±2^53 (what RFC 8785 can represent) and modest
nesting. Anything else is a 4xx with our error shape, never a 5xx.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.errors import ApiError

MAX_DEPTH = 32
MAX_SAFE_INTEGER = 2**53 - 1
MAX_NUMBER_TEXT = 40
PARSE_ON_LOOP_BYTES = 64 * 1024


class _Invalid(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Invalid("an object has the same key twice")
    return result


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_TEXT or abs(int(text)) > MAX_SAFE_INTEGER:
        raise _Invalid("an integer is too large")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_TEXT else math.inf
    if not math.isfinite(value):
        raise _Invalid("a number is out of range")
    return value


def _refuse_constant(name: str) -> Any:
    raise _Invalid(f"{name} is not JSON")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_int=_parse_int,
    parse_float=_parse_float,
    parse_constant=_refuse_constant,
)


def _bad_string(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return True
    return False


# Strict UTF-8 decoding refuses encoded surrogates and the strict JSON decoder refuses raw control
# characters, so a NUL or a lone surrogate can only come from a \u escape: bodies without such an
# escape (the client's canonical bytes never have one) need no walk over every string.
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def check_value(value: Any, strings: bool = True) -> None:
    """Walk the parsed value (without recursion) checking depth and, if asked, every string."""
    if strings:
        _check_strings(value)
    # One level at a time: a list of the containers found at each depth (scalars need no visit).
    level, depth = [value], 1
    while level:
        # A container's children sit one level deeper, scalars included.
        if depth > MAX_DEPTH or (depth == MAX_DEPTH and any(level)):
            raise _Invalid(f"nested more than {MAX_DEPTH} levels deep")
        deeper: list[Any] = []
        for item in level:
            children = item.values() if type(item) is dict else item
            deeper += [c for c in children if type(c) is dict or type(c) is list]
        level, depth = deeper, depth + 1


def _check_strings(value: Any) -> None:
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _bad_string(item):
                raise _Invalid("a string holds a NUL character or a lone surrogate")
        elif isinstance(item, dict):
            for key, child in item.items():
                if _bad_string(key):
                    raise _Invalid("a key holds a NUL character or a lone surrogate")
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def parse_strict_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
        value = _DECODER.decode(text)
        if type(value) is dict or type(value) is list:
            check_value(value, strings=_RISKY_ESCAPE.search(text) is not None)
        elif isinstance(value, str) and _bad_string(value):
            raise _Invalid("a string holds a NUL character or a lone surrogate")
    except UnicodeDecodeError:
        raise ApiError(422, "schema_invalid", "The body is not UTF-8 text.") from None
    except RecursionError:
        raise ApiError(422, "schema_invalid", "The JSON is nested too deeply.") from None
    except json.JSONDecodeError as error:
        message = f"The body is not valid JSON (line {error.lineno}, column {error.colno})."
        raise ApiError(422, "schema_invalid", message) from None
    except (_Invalid, ValueError) as error:
        raise ApiError(422, "schema_invalid", f"The JSON is not acceptable: {error}.") from None
    return value


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"The body is larger than {limit} bytes.")


def _check_content_type(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):  # "²" passes isdigit alone
            raise ApiError(400, "bad_request", "Content-Length is not a number.")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is read with the limits and checks above."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            if request.method in {"POST", "PUT", "PATCH"}:
                limit = request.app.state.settings.body_limit_bytes
                _check_content_type(request)
                body = await read_limited_body(request, limit)
                if not body:
                    raise ApiError(422, "schema_invalid", "The body is empty.")
                # Parsing a large body takes milliseconds of CPU: not on the event loop, where
                # it would hold up every other request (a small one costs less than the handover).
                if len(body) > PARSE_ON_LOOP_BYTES:
                    parsed = await run_in_threadpool(parse_strict_json, body)
                else:
                    parsed = parse_strict_json(body)
                # FastAPI reads these back instead of parsing the body a second time.
                request._body = body
                request._json = parsed
            return await handler(request)

        return strict_handler
