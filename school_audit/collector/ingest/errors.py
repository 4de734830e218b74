"""Why a return was refused outright (as opposed to kept and quarantined)."""

from __future__ import annotations

from typing import Any


class IngestRejected(Exception):
    """Refused with an HTTP status and an error code from ARCHITECTURE §4.2."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def describe_validation(errors: list[Any], limit: int = 5) -> str:
    """Where and what, never the offending input itself (it may be huge or private)."""
    parts = []
    for item in errors[:limit]:
        location = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
        parts.append(f"{location or 'body'}: {item.get('msg', 'invalid')}")
    more = len(errors) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
