"""Log-in and log-out."""

from __future__ import annotations

from fastapi import APIRouter
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
    database, settings = deps.database(request), deps.settings(request)
    client = deps.client_address(request)
    if auth.login_blocked(
        database, username, client, settings.login_rate_per_ip, settings.login_rate_window_seconds
    ):
        minutes = max(1, settings.login_rate_window_seconds // 60)
        message = tr(
            "Too many failed log-in attempts. Wait {minutes} minutes and try again.",
            minutes=minutes,
        )
        return _form(request, username=username, next_path=next_path, error=message, status=429)
    user = (
        auth.authenticate(database, username, password, client) if username and password else None
    )
    if user is None:
        message = tr("The user name or password is not right. Check them and try again.")
        return _form(request, username=username, next_path=next_path, error=message, status=401)
    token = auth.start_session(database, user)
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
