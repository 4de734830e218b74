"""uvicorn's HTTP/1.1 protocol with a deadline for each request's headers.

uvicorn times out only a kept-alive connection that sends nothing, and only after a first
response: a client that opens a connection and dribbles its request line and headers a byte at a
time holds the connection (and its memory) for as long as it likes, and a few thousand such
clients starve the server. Here the headers of each request must be complete within
`header_timeout` seconds of the connection being ready for them (opened, or the last response
sent); otherwise the connection is closed with one line in the log. The body is not timed here:
its size is limited by the API's own checks.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from school_audit.collector.cli.common import HEADER_TIMEOUT

log = logging.getLogger(__name__)


class HeaderTimeoutProtocol(H11Protocol):
    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout: float = getattr(config, "header_timeout", HEADER_TIMEOUT)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # a whole request line and headers arrived
            self._stop_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:  # ready for the next request's headers
            self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
            log.info(
                "closed the connection from %s: its request headers took longer than %g s",
                client,
                self.header_timeout,
            )
            self.transport.close()
