"""Field types that read the submission contract (ARCHITECTURE §4.1) strictly.

pydantic's default ("lax") mode turns "1" and true into the integer 1, "yes" into True, 0 into
1 January 1970 and 1700000000 into a time in 2023, accepts a space in a timestamp, and reads
upper-case, braced and `urn:uuid:` identifiers as the lower-case UUID. An envelope is signed as
sent, so what the collector stores and names in its receipt would then differ from what the school
signed. These types accept exactly the JSON the contract describes and nothing that merely
converts to it. (A model-wide strict mode would not do: read from parsed JSON, it refuses a UUID
or a date given as a string, which is the only form JSON has.)
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict

StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]
StrictStr = Annotated[str, Strict()]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339 date-time; a missing offset is let through so the ingest rules can keep and flag it.
_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def _canonical_uuid(value: Any) -> Any:
    if isinstance(value, str) and not _UUID.fullmatch(value):
        raise ValueError(
            "must be a UUID in its canonical form: 36 characters, lower-case hex digits and "
            "hyphens (8-4-4-4-12), with no braces or urn:uuid: prefix"
        )
    return value


# Python objects (a date, a datetime, a UUID) pass as they are; what came as JSON is checked.


def _iso_date(value: Any) -> Any:
    if not isinstance(value, date | str) or (isinstance(value, str) and not _DATE.fullmatch(value)):
        raise ValueError("must be a date written as a string YYYY-MM-DD, such as 2026-03-31")
    return value


def _rfc3339(value: Any) -> Any:
    if not isinstance(value, datetime | str) or (
        isinstance(value, str) and not _TIME.fullmatch(value)
    ):
        raise ValueError(
            "must be an RFC 3339 time written as a string, such as 2026-03-31T09:00:00Z"
        )
    return value


CanonicalUUID = Annotated[uuid.UUID, BeforeValidator(_canonical_uuid)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Rfc3339Time = Annotated[datetime, BeforeValidator(_rfc3339)]
