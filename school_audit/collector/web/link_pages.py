"""What the pages opened from an emailed one-time link share (`/sign/{token}`, `/reset/{token}`):
no log-in, a plain one-message answer that no cache keeps, and a limit per address."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.api.ratelimit import SlidingWindowLimiter
from school_audit.collector.web import deps
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr


def message_page(
    request: Request, template: str, title: str, text: str, status: int, *, done: bool = False
) -> Response:
    """One message on the link's own page (`template`), never stored by a cache."""
    request.state.user = None
    response = render(request, template, {"title": title, "message": text, "done": done}, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def too_many_tries(
    request: Request, limiter: SlidingWindowLimiter, template: str, title: str
) -> Response | None:
    """Count this request against its address; a 429 page with Retry-After once there were too
    many, else None."""
    client = deps.client_address(request)
    wait = limiter.retry_after(client)
    limiter.record(client)
    if wait is None:
        return None
    text = tr("Too many tries from this address. Wait an hour and try again.")
    response = message_page(request, template, title, text, 429)
    response.headers["Retry-After"] = str(wait)
    return response
