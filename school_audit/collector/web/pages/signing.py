"""The signatory's pages: `/sign/{token}` from the emailed link. No log-in: the link (single
use, expiring) and a one-time code sent to the same address are what let this person sign.

Rate-limited per address and per request; every form carries its own CSRF token (a cookie
repeated in the form, checked by the guard before this code runs).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector import sign_off_requests as requests
from school_audit.collector.api.ratelimit import SlidingWindowLimiter
from school_audit.collector.db.tables import Establishment, SignOffRequest
from school_audit.collector.db.types import utc_now
from school_audit.collector.web import csrf, deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.link_pages import message_page, too_many_tries
from school_audit.collector.web.rendering import render
from school_audit.collector.web.security import set_cookie
from school_audit.i18n import N_, tr

router = APIRouter(route_class=WebRoute)
TEMPLATE, TITLE = "sign_done.html", N_("Sign the safeguarding audit")
HITS_PER_ADDRESS = 60
CODES_PER_REQUEST = 5
WINDOW_SECONDS = 3600
FORM_SECONDS = 3600


def _limiters(request: Request) -> tuple[SlidingWindowLimiter, SlidingWindowLimiter]:
    state = request.app.state
    if not hasattr(state, "sign_limiters"):
        state.sign_limiters = (
            SlidingWindowLimiter(HITS_PER_ADDRESS, WINDOW_SECONDS),
            SlidingWindowLimiter(CODES_PER_REQUEST, WINDOW_SECONDS),
        )
    found: tuple[SlidingWindowLimiter, SlidingWindowLimiter] = state.sign_limiters
    return found


def _too_many(request: Request) -> Response | None:
    return too_many_tries(request, _limiters(request)[0], TEMPLATE, tr(TITLE))


@router.get("/sign/{token}")
def sign_page(request: Request, token: str) -> Response:
    return _too_many(request) or _show(request, token)


@router.post("/sign/{token}/code")
def send_code(request: Request, token: str) -> Response:
    refused = _too_many(request)
    if refused:
        return refused
    with deps.database(request).write() as session:
        row = requests.by_link(session, token[:100], utc_now())
        if row is None:
            return _gone(request)
        codes = _limiters(request)[1]
        if codes.retry_after(row.request_id) is not None:
            return _show(
                request,
                token,
                error=tr("Several codes were sent in the last hour: use the latest, or wait."),
            )
        codes.record(row.request_id)
        requests.send_code(session, row, utc_now())
    return _show(
        request,
        token,
        notice=tr("A code is on its way to your email address. It works for 15 minutes."),
    )


@router.post("/sign/{token}/confirm")
async def confirm(request: Request, token: str) -> Response:
    form = await request.form()
    code = str(form.get("code") or "")[:20]
    return await run_in_threadpool(_confirm, request, token, code)


def _confirm(request: Request, token: str, code: str) -> Response:
    refused = _too_many(request)
    if refused:
        return refused
    key = request.app.state.collector_key
    with deps.database(request).write() as session:
        row = requests.by_link(session, token[:100], utc_now())
        if row is None:
            return _gone(request)
        try:
            requests.confirm(row, code, key, utc_now())
        except requests.RequestRefused as refusal:
            error = str(refusal)
        else:
            return _message(
                request,
                tr("Thank you: you have signed. The setting's app will collect your signature."),
                200,
                done=True,
            )
    return _show(request, token, error=error)


@router.post("/sign/{token}/decline")
async def decline(request: Request, token: str) -> Response:
    form = await request.form()
    comment = str(form.get("comment") or "").strip()[:2000]
    return await run_in_threadpool(_decline, request, token, comment)


def _decline(request: Request, token: str, comment: str) -> Response:
    refused = _too_many(request)
    if refused:
        return refused
    if not comment:
        return _show(
            request, token, error=tr("Say why you are not signing: the DSL will see your comment.")
        )
    with deps.database(request).write() as session:
        row = requests.by_link(session, token[:100], utc_now())
        if row is None:
            return _gone(request)
        requests.decline(row, comment, utc_now())
    return _message(
        request, tr("You have declined to sign. The DSL will see your comment."), 200, done=True
    )


def _show(request: Request, token: str, *, error: str = "", notice: str = "") -> Response:
    with deps.database(request).read() as session:
        row = requests.by_link(session, token[:100], utc_now())
        if row is None:
            return _gone(request)
        facts = _facts(session, row)
    form_token = request.cookies.get(csrf.SIGN_COOKIE) or csrf.new_token()  # one per browser
    request.state.user = None  # never the dashboard's navigation
    context = {"title": tr("Sign the safeguarding audit"), "token": token, "sign_csrf": form_token,
               "error": error, "flash": notice, **facts}  # fmt: skip
    response = render(request, "sign.html", context, status=400 if error else 200)
    set_cookie(request, response, csrf.SIGN_COOKIE, form_token, max_age=FORM_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _facts(session: Any, row: SignOffRequest) -> dict[str, Any]:
    place = session.get(Establishment, row.urn)
    return {
        "establishment_name": place.name if place else f"URN {row.urn}",
        "role_words": requests.ROLE_WORDS.get(row.role, row.role),
        "signer_name": row.name,
        "content_sha256": row.content_sha256,
        "summary": json.loads(row.summary),
        "expires_at": row.expires_at,
    }


def _gone(request: Request) -> Response:
    return _message(
        request,
        tr(
            "This link is not valid: it may be mistyped, used, cancelled or expired. Ask the setting's DSL for a new one."
        ),
        404,
    )


def _message(request: Request, text: str, status: int, *, done: bool = False) -> Response:
    return message_page(request, TEMPLATE, tr(TITLE), text, status, done=done)
