"""RFC 8785 bytes for the common case, at C speed, with the reference encoder as the fallback.

For JSON made only of objects with ASCII keys, arrays, strings (no lone surrogates), booleans,
null and integers within ±2^53, RFC 8785 output is exactly what `json.dumps` writes with sorted
keys, no whitespace and no ASCII escaping: both escape the same characters the same way, ASCII
keys sort the same by UTF-16 unit and by code point, and such integers print alike. Anything
else (a float, a non-ASCII key) goes to `domain.canonical.canonical_bytes`. A property test checks
the two agree.
"""

from __future__ import annotations

import json
from typing import Any

from school_audit.domain.canonical import canonical_bytes

MAX_SAFE_INTEGER = 2**53 - 1


def _simple(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if abs(item) > MAX_SAFE_INTEGER:
                return False
        elif kind is list:
            stack.extend(item)
        elif kind is dict:
            for key in item:
                if type(key) is not str or not key.isascii():
                    return False
            stack.extend(item.values())
        else:
            return False
    return True


def is_simple(value: Any) -> bool:
    """Whether `value` takes the fast path; every part of a simple value is simple too."""
    return _simple(value)


def fast_canonical_bytes(value: Any, simple: bool | None = None) -> bytes:
    """`simple`: whether `value` is simple, if known already (see `is_simple`)."""
    if simple if simple is not None else _simple(value):
        try:
            text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            return text.encode("utf-8")  # lone surrogates fail here and take the slow path
        except UnicodeEncodeError:
            pass
    return canonical_bytes(value)
