"""A real HTTP proxy on loopback that misbehaves on purpose, one request per connection.

The client reaches it as an ordinary forward proxy (`HTTP_PROXY`), so the proxy path of the client
is exercised too. For each connection `choose()` names a fault:

- `refuse`: close at once with a TCP reset, before reading anything
- `reset_request`: read the head and part of the body, then reset
- `stall`: read the request, never answer, hold the line past the client's read timeout
- `reply_500`, `reply_502` (an HTML page), `reply_503` (Retry-After in seconds),
  `reply_429` (Retry-After as an HTTP date): answer without forwarding
- `forward`: pass the request to the collector and the answer back
- `lose_reply`: forward (the collector commits), then reset instead of answering
- `reset_reply`: forward, send half the answer, then reset
- `slow_reply`: forward, then hold the answer past the client's read timeout
- `tamper_receipt`: forward, then alter the receipt in the answer (a signature must catch it)
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit

FAULTS = (
    "refuse", "reset_request", "stall", "reply_500", "reply_502", "reply_503", "reply_429",
    "forward", "lose_reply", "reset_reply", "slow_reply", "tamper_receipt",
)  # fmt: skip
FORWARDING = {"forward", "lose_reply", "reset_reply", "slow_reply", "tamper_receipt"}


class FaultProxy:
    def __init__(self, upstream: str, choose: Callable[[], str], hold_seconds: float) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.choose = choose
        self.hold_seconds = hold_seconds
        self.counts: Counter[str] = Counter()
        self.forwarded_posts = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=256)
        self._closing = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing = True
        # shutdown wakes the accept() blocked in the loop thread (close alone does not on Linux)
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            fault = self.choose()
            with self._lock:
                self.counts[fault] += 1
            threading.Thread(target=self._handle, args=(client, fault), daemon=True).start()

    def _handle(self, client: socket.socket, fault: str) -> None:
        client.settimeout(10)
        try:
            if fault == "refuse":
                return _reset(client)
            head, body = _read_request(client, partial=fault == "reset_request")
            if fault == "reset_request":
                return _reset(client)
            if fault == "stall":
                time.sleep(self.hold_seconds)
                return client.close()
            if fault in FORWARDING:
                return self._forward(client, fault, head, body)
            client.sendall(_canned(fault))
            client.close()
        except OSError:
            client.close()

    def _forward(self, client: socket.socket, fault: str, head: bytes, body: bytes) -> None:
        reply = _exchange(self.upstream, _origin_form(head), body)
        if head.startswith(b"POST"):
            with self._lock:
                self.forwarded_posts += 1
        if fault == "lose_reply":
            return _reset(client)
        if fault == "reset_reply":
            client.sendall(reply[: len(reply) // 2])
            return _reset(client)
        if fault == "slow_reply":
            time.sleep(self.hold_seconds)
        if fault == "tamper_receipt":
            reply = _tamper(reply)
        try:
            client.sendall(reply)
        finally:
            client.close()


def _reset(sock: socket.socket) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of a polite FIN.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _read_request(sock: socket.socket, partial: bool) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise OSError("client went away")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = _content_length(head)
    wanted = length // 2 if partial else length
    while len(body) < wanted:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head, body[:length]


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _origin_form(head: bytes) -> bytes:
    """Rewrite an absolute-form proxy request line to origin form, one request per connection."""
    lines = head.split(b"\r\n")
    method, target, version = lines[0].split(b" ", 2)
    parts = urlsplit(target.decode())
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kept = [line for line in lines[1:]
            if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"proxy-connection",
                                                              b"keep-alive")]  # fmt: skip
    return b"\r\n".join([b" ".join([method, path.encode(), version]), *kept,
                         b"Connection: close"])  # fmt: skip


def _exchange(upstream: tuple[str, int], head: bytes, body: bytes) -> bytes:
    with socket.create_connection(upstream, timeout=30) as sock:
        sock.sendall(head + b"\r\n\r\n" + body)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply


def _canned(fault: str) -> bytes:
    if fault == "reply_502":
        body = b"<html><body><h1>502 Bad Gateway</h1>The proxy could not reach it.</body></html>"
        return _response(502, "Bad Gateway", body, "text/html")
    if fault == "reply_500":
        body = json.dumps({"error": {"code": "internal", "message": "try again"}}).encode()
        return _response(500, "Internal Server Error", body)
    body = json.dumps({"error": {"code": "busy", "message": "come back later"}}).encode()
    if fault == "reply_503":
        return _response(503, "Service Unavailable", body, extra=b"Retry-After: 3\r\n")
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    return _response(429, "Too Many Requests", body, extra=f"Retry-After: {later}\r\n".encode())


def _response(status: int, reason: str, body: bytes, kind: str = "application/json",
              extra: bytes = b"") -> bytes:  # fmt: skip
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n").encode()  # fmt: skip
    return head + extra + b"\r\n" + body


def _tamper(reply: bytes) -> bytes:
    head, _, body = reply.partition(b"\r\n\r\n")
    try:
        data = json.loads(body)
        data["receipt"]["status"] = "accepted"  # a forged upgrade: the signature must fail
    except (ValueError, KeyError, TypeError):
        return reply
    new_body = json.dumps(data).encode()
    lines = [line for line in head.split(b"\r\n")
             if not line.lower().startswith(b"content-length")]  # fmt: skip
    lines.append(f"Content-Length: {len(new_body)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + new_body
