"""Typed calls to the collector's HTTP API (ARCHITECTURE §4.2), errors mapped to types."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from school_audit.sync import errors

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
MAX_RETRY_AFTER = 6 * 3600.0  # a longer wait is treated as this; the user can still send by hand
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class EnrolmentReply:
    device_id: str
    device_key_id: str
    token: str = field(repr=False)
    establishment: dict[str, Any]
    collector_public_key: str


@dataclass(frozen=True)
class SubmitReply:
    receipt: dict[str, Any]
    created: bool  # 201 first time; False for 200 (an identical retry)


@dataclass(frozen=True)
class SubmissionStatus:
    status: str
    review: dict[str, Any] | None
    acceptance: dict[str, Any] | None = None  # the signed acceptance record, once accepted
    # When the LA issued its feedback letter on this return (RFC 3339), None until it has; an
    # older collector never says, and is read as "not issued".
    feedback_letter_issued_at: str | None = None


def check_collector_url(url: str) -> str:
    """The base URL without a trailing slash; https, or http only to this computer (for tests)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not a web address: {url!r}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ValueError("the collector address must start with https://")
    return url.strip().rstrip("/")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from `now` for a Retry-After header: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # isdigit alone passes "²", which float() refuses
        return min(float(value), MAX_RETRY_AFTER)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return min(max(0.0, (moment - now).total_seconds()), MAX_RETRY_AFTER)


class CollectorClient:
    """One collector. `token` is the device's bearer token (None before enrolment)."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        *,
        token: str | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.base_url = check_collector_url(base_url)
        self.session = session
        self._token = token
        self._now = now

    def __repr__(self) -> str:
        return f"CollectorClient({self.base_url!r})"

    def enrol(
        self, code: str, public_key_b64: str, device_name: str, dsl_email: str | None = None
    ) -> EnrolmentReply:
        body = {"code": code, "public_key": public_key_b64, "device_name": device_name}
        if dsl_email:  # optional: where the LA sends its reminders and notices
            body["dsl_email"] = dsl_email
        data = self._json_reply(self._call("POST", "/enrolments", json=body, auth=False))
        try:
            return EnrolmentReply(
                device_id=str(data["device_id"]),
                device_key_id=str(data["device_key_id"]),
                token=str(data["token"]),
                establishment=dict(data["establishment"]),
                collector_public_key=str(data["collector_public_key"]),
            )
        except (KeyError, TypeError, ValueError):
            raise errors.ServerError("the enrolment reply is incomplete") from None

    def submit(self, body: bytes) -> SubmitReply:
        """POST /submissions with `body` sent as given (it embeds the exact signed bytes)."""
        headers = {"Content-Type": "application/json"}
        response = self._call("POST", "/submissions", data=body, headers=headers)
        data = self._json_reply(response)
        receipt = data.get("receipt") if isinstance(data, dict) else None
        if not isinstance(receipt, dict):
            raise errors.ReceiptInvalid("the reply holds no receipt", status=response.status_code)
        return SubmitReply(receipt=receipt, created=response.status_code == 201)

    def submission_status(self, submission_id: str) -> SubmissionStatus:
        data = self._json_reply(self._call("GET", f"/submissions/{quote(submission_id)}"))
        if not isinstance(data, dict) or not isinstance(data.get("status"), str):
            raise errors.ServerError("the status reply has no status")
        review = data.get("review")
        acceptance = data.get("acceptance")
        letter = data.get("feedback_letter")
        issued = letter.get("issued_at") if isinstance(letter, dict) else None
        return SubmissionStatus(
            status=data["status"], review=review if review else None,
            acceptance=acceptance if isinstance(acceptance, dict) else None,
            feedback_letter_issued_at=str(issued) if issued else None,
        )  # fmt: skip

    def feedback_letter(self, submission_id: str) -> bytes:
        """The LA's feedback letter on a return, as PDF bytes (NotFound until it is reviewed)."""
        response = self._call("GET", f"/submissions/{quote(submission_id)}/feedback-letter")
        data = bytes(response.content)
        if not data.startswith(b"%PDF-"):
            # A 2xx that is not a PDF is a captive portal or a proxy page, not the collector.
            raise errors.ServerError("the reply was not a PDF", status=response.status_code)
        return data

    # -- sign-off requests (docs/signed-returns.md, remote signing) -----------------------------

    def create_sign_off_request(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /sign-off-requests: the collector emails the person a single-use link."""
        return self._request_reply(self._call("POST", "/sign-off-requests", json=body))

    def sign_off_request(self, request_id: str) -> dict[str, Any]:
        """GET /sign-off-requests/{id}: pending, signed (with the attestation), declined..."""
        path = f"/sign-off-requests/{quote(request_id)}"
        return self._request_reply(self._call("GET", path))

    def cancel_sign_off_request(self, request_id: str) -> dict[str, Any]:
        """DELETE /sign-off-requests/{id}; Conflict if it has already finished."""
        path = f"/sign-off-requests/{quote(request_id)}"
        return self._request_reply(self._call("DELETE", path))

    def _request_reply(self, response: Any) -> dict[str, Any]:
        data = self._json_reply(response)
        if not isinstance(data, dict) or not isinstance(data.get("request_id"), str):
            raise errors.ServerError("the sign-off request reply is incomplete")
        if not isinstance(data.get("status"), str):
            raise errors.ServerError("the sign-off request reply has no status")
        return data

    def templates(self) -> list[dict[str, Any]]:
        data = self._json_reply(self._call("GET", "/templates"))
        if not isinstance(data, list):
            raise errors.ServerError("the template list is not a list")
        return data

    def template(self, template_id: str, version: str) -> dict[str, Any]:
        path = f"/templates/{quote(template_id)}/{quote(version)}"
        data = self._json_reply(self._call("GET", path))
        if not isinstance(data, dict):
            raise errors.ServerError("the template is not a JSON object")
        return data

    def local_packs(self) -> list[dict[str, Any]]:
        """The LA's published local packs; none from a collector that does not serve them."""
        try:
            data = self._json_reply(self._call("GET", "/local-packs"))
        except errors.NotFound:  # an older collector: no packs, not a failure
            return []
        if not isinstance(data, list):
            raise errors.ServerError("the local pack list is not a list")
        return data

    def local_pack(self, pack_id: str, version: str) -> dict[str, Any]:
        path = f"/local-packs/{quote(pack_id)}/{quote(version)}"
        data = self._json_reply(self._call("GET", path))
        if not isinstance(data, dict):
            raise errors.ServerError("the local pack is not a JSON object")
        return data

    def collector_keys(self) -> list[Any]:
        """GET /collector-keys: the collector's key history, oldest first (no token needed; the
        caller checks it from the pinned key, `sync/collector_keys.py`)."""
        data = self._json_reply(self._call("GET", "/collector-keys", auth=False))
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, list):
            raise errors.ServerError("the collector's key history is not a list of keys")
        return keys

    def healthz(self) -> None:
        self._call("GET", "/healthz", auth=False)

    # -- plumbing -----------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if auth:
            if not self._token:
                raise errors.NotEnrolled("this computer is not enrolled with the collector")
            headers["Authorization"] = f"Bearer {self._token}"
        url = self.base_url + API_PREFIX + path
        try:
            response = self.session.request(method, url, headers=headers, **kwargs)
        except requests.RequestException as error:
            # The class names the failure (ConnectTimeout, ProxyError, SSLError...) without
            # echoing request details.
            raise errors.NetworkError(_network_message(error)) from None
        if response.status_code >= 400:
            raise self._error_for(response)
        return response

    def _json_reply(self, response: Any) -> Any:
        try:
            return response.json()
        except ValueError:
            # A 2xx that is not JSON is a captive portal or a proxy page, not the collector.
            raise errors.ServerError(
                "the reply was not the collector's JSON", status=response.status_code
            ) from None

    def _error_for(self, response: Any) -> errors.CollectorError:
        status = response.status_code
        code, message = _error_body(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._now())
        kind = _KIND_BY_STATUS.get(status)
        if kind is None:
            kind = errors.ServerError if status >= 500 else errors.Rejected
        return kind(message, code=code, status=status, retry_after=retry_after)


_KIND_BY_STATUS: dict[int, type[errors.CollectorError]] = {
    401: errors.NotEnrolled,
    403: errors.Forbidden,
    404: errors.NotFound,
    410: errors.NotFound,
    409: errors.Conflict,
    429: errors.ServerBusy,
    503: errors.ServerBusy,
}


def _error_body(response: Any) -> tuple[str, str]:
    try:
        body = response.json()
        error = body["error"]
        return str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        reason = getattr(response, "reason", "") or ""
        return "", f"the server answered {response.status_code} {reason}".strip()


def _network_message(error: Exception) -> str:
    kinds = {
        requests.exceptions.ProxyError: "the proxy server refused or failed the connection",
        requests.exceptions.SSLError: "the secure connection failed (certificate not trusted?)",
        requests.exceptions.ConnectTimeout: "the collector did not answer in time (connecting)",
        requests.exceptions.ReadTimeout: "the collector did not answer in time",
        requests.exceptions.ConnectionError: "could not reach the collector",
    }
    for kind, text in kinds.items():
        if isinstance(error, kind):
            return f"{text} ({type(error).__name__})"
    return f"the request failed ({type(error).__name__})"
