"""The signatory's passkey (WebAuthn), beside the email code on `/sign/{token}`.

Three calls from the page's script (static/passkey.js), each a form POST with the page's CSRF
token and the browser's answer as JSON in `payload`, each answered with JSON: `options` (what the
ceremonies need), `register` (first use: store the person's passkey), `sign` (the assertion over
the challenge derived from the content and the role). Without script the page still signs by
email code. Same rate limit per address as the rest of the signing pages.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from school_audit.collector import passkey_signing as passkeys
from school_audit.collector import sign_off_requests as requests
from school_audit.collector.db.types import utc_now
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.signing import _limiters
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
MAX_PAYLOAD = 32 * 1024


def relying_party(request: Request) -> passkeys.RelyingParty:
    """The site a passkey belongs to: the collector's configured public address (the one the
    emailed link names), never the request's Host header, which a client or a relay could set
    to another site's name."""
    from urllib.parse import urlsplit

    public = urlsplit(request.app.state.settings.public_url or "")
    if public.hostname:
        return passkeys.RelyingParty(rp_id=public.hostname, origin=f"{public.scheme}://{public.netloc}")
    origin = f"{request.url.scheme}://{request.url.netloc}"  # no public address: no link was sent
    return passkeys.RelyingParty(rp_id=request.url.hostname or "", origin=origin)


@router.post("/sign/{token}/passkey/{step}")
async def passkey_step(request: Request, token: str, step: str) -> Response:
    form = await request.form()
    text = str(form.get("payload") or "{}")
    return await run_in_threadpool(_step, request, token, step, text)


def _step(request: Request, token: str, step: str, text: str) -> Response:
    if step not in ("options", "register", "sign"):
        return _answer({"error": tr("Not available.")}, 404)
    by_address = _limiters(request)[0]
    client = deps.client_address(request)
    wait = by_address.retry_after(client)
    by_address.record(client)
    if wait is not None:
        answer = _answer({"error": tr("Too many tries from this address. Wait an hour.")}, 429)
        answer.headers["Retry-After"] = str(wait)
        return answer
    try:
        sent = json.loads(text) if len(text) <= MAX_PAYLOAD else None
    except ValueError:
        sent = None
    if not isinstance(sent, dict):
        return _answer({"error": tr("The browser's answer was not understood.")}, 400)
    rp = relying_party(request)
    with deps.database(request).write() as session:
        row = requests.by_link(session, token[:100], utc_now())
        if row is None:
            return _answer({"error": tr("This link is not valid any more.")}, 404)
        try:
            if step == "options":
                return _answer(passkeys.options(session, row, rp), 200)
            if step == "register":
                passkeys.register(session, row, rp, sent, utc_now())
                return _answer({"registered": True}, 200)
            passkeys.sign(session, row, rp, sent, request.app.state.collector_key, utc_now())
        except requests.RequestRefused as refusal:
            return _answer({"error": str(refusal)}, 400)
    message = tr("Thank you: you have signed. The setting's app will collect your signature.")
    return _answer({"signed": True, "message": message}, 200)


def _answer(value: dict[str, Any], status: int) -> Response:
    response = JSONResponse(value, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response
