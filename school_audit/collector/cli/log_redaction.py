"""Keep link tokens out of the access log: `/sign/<token>` is logged as `/sign/…` and
`/reset/<token>` as `/reset/…`. Each token is a credential for as long as its link is open
(web/pages/signing.py, web/pages/password_reset.py)."""

from __future__ import annotations

import logging
import re

_LINK = re.compile(r"^/(sign|reset)/[^/?#]+")


def redact_path(path: str) -> str:
    return _LINK.sub(lambda found: f"/{found.group(1)}/…", path)


class RedactSignLinks(logging.Filter):
    """For uvicorn's access logger, whose record args are (client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True
