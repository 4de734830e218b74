"""The public check of a governors' PDF: `/verify/{code}` (no log-in, rate-limited per address).

It answers only what anyone holding the paper may know: whether the LA received a return with
that hash, when, its review state and how each role signed (method and date, no names).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector import verify_code
from school_audit.collector.api.ratelimit import SlidingWindowLimiter
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
CHECKS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def _limiter(request: Request) -> SlidingWindowLimiter:
    state = request.app.state
    if not hasattr(state, "verify_limiter"):
        state.verify_limiter = SlidingWindowLimiter(CHECKS_PER_WINDOW, WINDOW_SECONDS)
    limiter: SlidingWindowLimiter = state.verify_limiter
    return limiter


@router.get("/verify")
def verify_form(request: Request, code: str = "") -> Response:
    """A box to type the code in; a typed code goes to its own address."""
    if code:
        normal = verify_code.normalise_code(code[:64])
        if normal:
            return RedirectResponse(f"/verify/{normal}", status_code=303)
    return _page(
        request, code=code[:64], message=tr("Type the code exactly as printed.") if code else ""
    )


@router.get("/verify/{code}")
async def verify_page(request: Request, code: str) -> Response:
    limiter, client = _limiter(request), deps.client_address(request)
    wait = limiter.retry_after(client)
    if wait is not None:
        response = _page(request, code=code[:64], status=429,
                         message=tr("Too many checks from this address. Try again in {minutes} minutes.",
                                    minutes=max(1, wait // 60)))  # fmt: skip
        response.headers["Retry-After"] = str(wait)
        return response
    limiter.record(client)
    normal = verify_code.normalise_code(code[:64])
    if normal is None:
        return _page(request, code=code[:64], status=400,
                     message=tr("That is not a verification code: it has sixteen letters and digits."))  # fmt: skip
    found = await run_in_threadpool(_look_up, request, normal)
    return _page(request, code=normal, found=found, checked=True, status=200 if found else 404)


def _look_up(request: Request, code: str) -> list[verify_code.Verified]:
    with deps.database(request).read() as session:
        return verify_code.look_up(session, code)


def _page(
    request: Request,
    *,
    code: str,
    found: list[verify_code.Verified] | None = None,
    checked: bool = False,
    message: str = "",
    status: int = 200,
) -> Response:
    shown = "-".join(code[i : i + 4] for i in range(0, 16, 4)).upper() if len(code) == 16 else code
    context = {"title": tr("Check a signed return"), "code": shown, "found": found or [],
               "checked": checked, "message": message, "la_name": deps.settings(request).la_name}  # fmt: skip
    return render(request, "verify.html", context, status=status)
