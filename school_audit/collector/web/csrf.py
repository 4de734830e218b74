"""CSRF protection: every POST carries a token that only our own pages could have given out.

Signed-in users get a random token per session (kept server-side with the session). The log-in
form, shown before there is a session, uses a random token held in an HttpOnly cookie and repeated
in the form (double submit); SameSite cookies add a second fence.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

FIELD = "csrf_token"
LOGIN_COOKIE = "sa_login_csrf"
SIGN_COOKIE = "sa_sign_csrf"  # the signatory's pages: double submit too, no session
RESET_COOKIE = "sa_reset_csrf"  # the page a password reset link opens: the same


class CsrfRefused(Exception):
    """The form came without a valid token: refused with 403, nothing changed."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: object) -> bool:
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def submitted_token(request: Request) -> object:
    form = await request.form()
    return form.get(FIELD)


async def check(request: Request, expected: str | None) -> None:
    """Raise CsrfRefused unless the posted form's token equals `expected`."""
    if not tokens_match(expected, await submitted_token(request)):
        raise CsrfRefused()
