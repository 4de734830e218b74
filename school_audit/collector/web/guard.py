"""The route class every dashboard page uses: session, CSRF, role checks, headers, error pages.

Doing this in one place means no page can forget it: every POST is checked for its CSRF token
before the page's code runs, and every response carries the security headers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.web import auth, csrf, deps, roles
from school_audit.collector.web.rendering import error_page
from school_audit.collector.web.security import add_security_headers
from school_audit.i18n import tr

log = logging.getLogger(__name__)
LOGIN_PATH = "/login"
SIGN_PREFIX = "/sign/"  # the signatory's pages (web/pages/signing.py): no log-in
RESET_PREFIX = "/reset/"  # setting a password from an emailed link (web/pages/password_reset.py)


class LoginRequired(Exception):
    pass


class PageError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def not_found(what: str) -> PageError:
    return PageError(404, tr("Not found"), tr("{what} was not found.", what=what))


def signed_in(request: Request) -> auth.WebUser:
    """A dependency: any signed-in user (the page decides what their role sees)."""
    user: auth.WebUser | None = getattr(request.state, "user", None)
    if user is None:
        raise LoginRequired()
    return user


def page(name: str) -> Callable[[Request], auth.WebUser]:
    """A dependency: the signed-in user if their role may open page `name` (see roles.py)."""

    def allowed_user(request: Request) -> auth.WebUser:
        user: auth.WebUser | None = getattr(request.state, "user", None)
        if user is None:
            raise LoginRequired()
        if not roles.may_open(user.role, name):
            raise PageError(
                403,
                tr("Not available to your role"),
                tr(
                    "Your role does not give access to this page. Ask an administrator if you need it."
                ),
            )
        return user

    return allowed_user


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                # A database read: in the thread pool, so that no page holds up the event loop.
                await run_in_threadpool(_load_user, request)
                if request.method == "POST":
                    _refuse_oversized(request)
                    await _check_csrf(request)
                response = await handler(request)
            except LoginRequired:
                response = _to_login(request)
            except csrf.CsrfRefused:
                response = error_page(
                    request,
                    403,
                    tr("Form refused"),
                    tr(
                        "This form could not be accepted because its security token was missing or "
                        "out of date. Nothing was changed. Go back, reload the page and try again."
                    ),
                )
            except PageError as error:
                response = error_page(request, error.status, error.title, error.message)
            except RequestValidationError:
                response = error_page(
                    request,
                    400,
                    tr("Request not understood"),
                    tr("The address or form was not in the expected shape."),
                )
            except HTTPException as error:
                response = error_page(
                    request, error.status_code, tr("Not available"), str(error.detail)
                )
            add_security_headers(request, response)
            return response

        return guarded


# The largest form a page takes (the register upload's 100 MB, plus the form around it). Checked
# before the body is read: the form parser would otherwise spool any size to disk.
FORM_LIMIT = 101 * 1024 * 1024


def _refuse_oversized(request: Request) -> None:
    declared = request.headers.get("content-length", "")
    numeric = declared.isascii() and declared.isdigit()  # "²" passes isdigit alone
    too_big = int(declared) > FORM_LIMIT if numeric else bool(declared)
    if too_big or (not declared and "multipart" in request.headers.get("content-type", "")):
        raise PageError(413, tr("File too large"), tr(
            "The form was larger than the collector accepts ({n} MB at most). Nothing was "
            "changed.", n=FORM_LIMIT // 2**20))  # fmt: skip


def _load_user(request: Request) -> None:
    signed_in = auth.load_session(deps.database(request), request.cookies.get(auth.SESSION_COOKIE))
    request.state.user = signed_in.user if signed_in else None
    request.state.csrf_token = signed_in.csrf_token if signed_in else ""


async def _check_csrf(request: Request) -> None:
    if request.url.path == LOGIN_PATH:
        expected = request.cookies.get(csrf.LOGIN_COOKIE)
    elif request.url.path.startswith(SIGN_PREFIX):  # a signatory: no session, a form cookie
        expected = request.cookies.get(csrf.SIGN_COOKIE)
    elif request.url.path.startswith(RESET_PREFIX):  # no session either: a form cookie
        expected = request.cookies.get(csrf.RESET_COOKIE)
    else:
        expected = request.state.csrf_token or None
    await csrf.check(request, expected)


def _to_login(request: Request) -> Response:
    target = request.url.path if request.method == "GET" else "/"
    if request.url.query and request.method == "GET":
        target += "?" + request.url.query
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(target, safe='')}", status_code=303)


def safe_next(value: object, fallback: str) -> str:
    """Only a local path: never redirect to another site after log-in."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
    ):
        return value
    return fallback
