"""The page a password reset link opens: `/reset/{token}`. No log-in: the link (single use,
expiring in an hour, replaced by a newer one) is what lets this person choose a password, which
the password policy then checks. Rate-limited per address; the form carries its own CSRF token
(a cookie repeated in the form, checked by the guard before this code runs). See
collector/password_reset.py for the token.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector import password_reset, users
from school_audit.collector.api.ratelimit import SlidingWindowLimiter
from school_audit.collector.db.types import utc_now
from school_audit.collector.web import csrf, deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.link_pages import message_page, too_many_tries
from school_audit.collector.web.password_policy import MIN_LENGTH
from school_audit.collector.web.rendering import render
from school_audit.collector.web.security import set_cookie
from school_audit.i18n import N_, tr

router = APIRouter(route_class=WebRoute)
TEMPLATE, TITLE = "password_reset_done.html", N_("Choose a new password")
HITS_PER_ADDRESS = 30
WINDOW_SECONDS = 3600
FORM_SECONDS = 3600
GONE = (
    "This link is not valid: it may be mistyped, already used, replaced by a newer link or "
    "expired. Ask an administrator to send a new one."
)


def _too_many(request: Request) -> Response | None:
    state = request.app.state
    if not hasattr(state, "reset_limiter"):
        state.reset_limiter = SlidingWindowLimiter(HITS_PER_ADDRESS, WINDOW_SECONDS)
    return too_many_tries(request, state.reset_limiter, TEMPLATE, tr(TITLE))


@router.get("/reset/{token}")
def reset_page(request: Request, token: str) -> Response:
    return _too_many(request) or _show(request, token)


@router.post("/reset/{token}")
async def choose_password(request: Request, token: str) -> Response:
    form = await request.form()
    chosen = str(form.get("password") or "")[:1000]
    again = str(form.get("password_again") or "")[:1000]
    return await run_in_threadpool(_choose, request, token, chosen, again)


def _choose(request: Request, token: str, chosen: str, again: str) -> Response:
    refused = _too_many(request)
    if refused:
        return refused
    if chosen != again:
        return _show(request, token, error=tr("The two passwords are not the same: type it twice."))
    try:
        username = password_reset.set_password(
            deps.database(request), token[:100], chosen, utc_now()
        )
    except password_reset.ResetRefused:
        return _message(request, tr(GONE), 404)
    except users.UserError as problem:  # the password policy said no; the link stays open
        return _show(request, token, error=tr("Choose another password: {why}.", why=str(problem)))
    return _message(
        request,
        tr("Your password is set, {name}. Log in with it now.", name=username),
        200,
        done=True,
    )


def _show(request: Request, token: str, *, error: str = "") -> Response:
    with deps.database(request).read() as session:
        row = password_reset.open_link(session, token[:100], utc_now())
        if row is None:
            return _message(request, tr(GONE), 404)
        username, expires = row.username, row.expires_at
    form_token = request.cookies.get(csrf.RESET_COOKIE) or csrf.new_token()
    request.state.user = None  # never the dashboard's navigation
    context = {"title": tr("Choose a new password"), "token": token, "reset_csrf": form_token,
               "username": username, "expires_at": expires, "error": error,
               "min_length": MIN_LENGTH}  # fmt: skip
    response = render(request, "password_reset.html", context, status=422 if error else 200)
    set_cookie(request, response, csrf.RESET_COOKIE, form_token, max_age=FORM_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _message(request: Request, text: str, status: int, *, done: bool = False) -> Response:
    return message_page(request, TEMPLATE, tr(TITLE), text, status, done=done)
