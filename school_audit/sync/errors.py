"""What can go wrong talking to the collector, as types the drain and the UI can act on.

`transient` errors are worth retrying later (the network, a busy or failing server); the others
need a person: a refused return (`Rejected`, `Conflict`) or a device that must enrol again
(`NotEnrolled`).
"""

from __future__ import annotations


class CollectorError(Exception):
    transient = False

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said
        super().__init__(message)

    def describe(self) -> str:
        """One line for the outbox's last error and the UI: status, code and message."""
        parts = [f"HTTP {self.status}" if self.status else "", self.code, self.message]
        return " ".join(part for part in parts if part)


class NetworkError(CollectorError):
    """No answer: refused, reset, timed out, DNS, TLS or proxy failure."""

    transient = True


class ServerBusy(CollectorError):
    """429 or 503: the collector asked us to come back later."""

    transient = True


class ServerError(CollectorError):
    """Another 5xx, or a reply that is not the collector's JSON (a proxy's error page)."""

    transient = True


class NotEnrolled(CollectorError):
    """401: the token is unknown or the device was revoked; enrol again."""


class Forbidden(CollectorError):
    """403: this device may not act for that establishment."""


class NotFound(CollectorError):
    """404 (or 410): unknown here; for enrolment, an unknown, used or expired code."""


class Conflict(CollectorError):
    """409: the same submission id already arrived with other bytes."""


class Rejected(CollectorError):
    """400, 413, 415, 422: the collector refused the request as it stands."""


class ReceiptInvalid(CollectorError):
    """The collector answered, but its receipt does not prove it holds what we sent."""

    transient = True


class ReceiptUnverified(ReceiptInvalid):
    """A receipt for exactly what we sent, signed by a collector key this device cannot trust
    (not the pinned key, and no key history that chains from it vouches for it). The receipt is
    kept beside the return, unverified, with the reason; the return stays in the outbox."""

    def __init__(self, message: str, receipt: dict[str, object]) -> None:
        super().__init__(message)
        self.receipt = receipt
