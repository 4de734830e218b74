"""The strict JSON reader: the quick path (no \\u escape, no walk over strings) refuses and
accepts exactly what a full walk would."""

from __future__ import annotations

import pytest

from school_audit.collector.api.body import MAX_DEPTH, parse_strict_json
from school_audit.collector.api.errors import ApiError

REFUSED = {
    "NUL in a value": rb'{"a":"x\u0000"}',
    "NUL in a key": rb'{"a\u0000":1}',
    "lone high surrogate": rb'{"a":"\ud800"}',
    "lone low surrogate, upper case, in a list": rb'{"a":["\uDC00x"]}',
    "NUL as the whole body": rb'"\u0000"',
    "a scalar one level too deep": b'{"a":' * MAX_DEPTH + b"1" + b"}" * MAX_DEPTH,
    "an empty list one level too deep": b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    "a duplicate key": b'{"a":1,"a":1}',
}

ACCEPTED = {
    "an escaped backslash before u0000 is plain text": (rb'{"a":"\\u0000"}', {"a": "\\u0000"}),
    "a surrogate pair is one character": (rb'{"a":"\ud83d\ude00"}', {"a": "\U0001f600"}),
    "raw UTF-8": ('{"a":"café"}'.encode(), {"a": "café"}),
    "the deepest scalar allowed": (
        b'{"a":' * (MAX_DEPTH - 1) + b"1" + b"}" * (MAX_DEPTH - 1),
        None,
    ),
    "the deepest empty list allowed": (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, None),
}


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_refused(body: bytes) -> None:
    with pytest.raises(ApiError) as caught:
        parse_strict_json(body)
    assert caught.value.status_code == 422


@pytest.mark.parametrize(("body", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(body: bytes, expected: object) -> None:
    value = parse_strict_json(body)
    if expected is not None:
        assert value == expected


def test_a_risky_escape_anywhere_makes_every_string_checked() -> None:
    # A harmless escaped backslash turns the full walk on; a NUL elsewhere is still found.
    body = rb'{"a":"\\u0000","b":["ok","x\u0000"]}'
    with pytest.raises(ApiError):
        parse_strict_json(body)


def test_a_content_length_in_other_digits_is_a_clear_400() -> None:
    import asyncio

    from starlette.requests import Request

    from school_audit.collector.api.body import read_limited_body

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    for declared in ("²", "１２"):  # str.isdigit() passes both; int() refuses the first
        scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"",
                 "headers": [(b"content-length", declared.encode("utf-8"))]}  # fmt: skip
        with pytest.raises(ApiError) as refused:
            asyncio.run(read_limited_body(Request(scope, receive), 1000))
        assert refused.value.status_code == 400
