"""Log-in and log-out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.web import auth, csrf, deps, roles
from school_audit.collector.web.guard import WebRoute, safe_next
from school_audit.collector.web.rendering import render
from school_audit.collector.web.security import clear_cookie, set_cookie
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
LOGIN_FORM_SECONDS = 3600


def _form(
    request: Request,
    *,
    username: str = "",
    next_path: str = "/",
    error: str = "",
    status: int = 200,
) -> Response:
    token = csrf.new_token()
    request.state.user = None  # the log-in page never shows the navigation
    response = render(
        request,
        "login.html",
        {
            "title": tr("Log in"),
            "login_csrf": token,
            "username": username,
            "next_path": next_path,
            "error": error,
        },
        status=status,
    )
    set_cookie(request, response, csrf.LOGIN_COOKIE, token, max_age=LOGIN_FORM_SECONDS)
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    user = request.state.user
    if user is not None:
        return RedirectResponse(roles.home_for(user.role), status_code=303)
    return _form(request, next_path=safe_next(next, "/"))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip()[:100]
    password = str(form.get("password") or "")
    next_path = safe_next(form.get("next"), "/")
    # Argon2id takes tens of milliseconds of CPU on purpose, and every step reads or writes the
    # database: all of it runs in the thread pool, so no log-in holds up the event loop.
    outcome = await run_in_threadpool(_check, request, username, password)
    if outcome == _WAIT:
        message = tr("Too many failed log-in attempts. Wait a few minutes and try again.")
        return _form(request, username=username, next_path=next_path, error=message, status=429)
    if isinstance(outcome, str):
        message = tr("The user name or password is not right. Check them and try again.")
        return _form(request, username=username, next_path=next_path, error=message, status=401)
    user, token = outcome
    target = next_path if next_path != "/" else roles.home_for(user.role)
    response = RedirectResponse(target, status_code=303)
    set_cookie(
        request,
        response,
        auth.SESSION_COOKIE,
        token,
        max_age=int(auth.ABSOLUTE_TIMEOUT.total_seconds()),
    )
    clear_cookie(request, response, csrf.LOGIN_COOKIE)
    return response


_WAIT, _WRONG = "wait", "wrong"


def _check(request: Request, username: str, password: str) -> tuple[auth.WebUser, str] | str:
    """The user and a new session token, or why not (_WAIT, _WRONG). Blocking: run in a thread."""
    database, settings = deps.database(request), deps.settings(request)
    client = deps.client_address(request)
    limits = auth.LoginLimits(
        per_address=settings.login_rate_per_ip,
        per_account=settings.login_rate_per_account,
        window=timedelta(seconds=settings.login_rate_window_seconds),
    )
    if auth.login_blocked(database, username, client, limits):
        return _WAIT
    user = (
        auth.authenticate(database, username, password, client) if username and password else None
    )
    if user is None:
        return _WRONG
    return user, auth.start_session(database, user)


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(auth.SESSION_COOKIE)
    user = request.state.user
    if user is not None:
        database = deps.database(request)
        with database.write() as session:
            auth.record(session, user.username, "logout")
        auth.end_session(database, token)
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(request, response, auth.SESSION_COOKIE)
    return response
