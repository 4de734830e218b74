"""Clients that give up or dawdle, against `serve` on a real socket: an aborted upload is one
line in the log (it was a 65-line traceback at ERROR, and needs no token), and a connection whose
request headers dribble in is closed after `--header-timeout` (uvicorn alone waits for ever)."""

from __future__ import annotations

import socket
import time

import pytest

from school_audit.collector.db import init_database
from school_audit.collector.keys import create_key_file
from tests.collector.served import Served, serve

HEADER_TIMEOUT = 0.5


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    home = tmp_path_factory.mktemp("collector")
    url = f"sqlite:///{home / 'collector.sqlite3'}"
    init_database(url).dispose()
    create_key_file(home / "collector-signing-key")
    running = serve(home, url, "--header-timeout", str(HEADER_TIMEOUT))
    yield running
    running.stop()


def _connect(served: Served) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    return connection


def _response(connection: socket.socket) -> bytes:
    """One whole response (headers and a Content-Length body), however it is split up."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        assert chunk, "the server hung up before answering"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")))  # fmt: skip
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def _wait_for_log(served: Served, text: str) -> str:
    deadline = time.monotonic() + 30
    while text not in (log := served.log_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return log


def _closed_by_server(connection: socket.socket, dribble: bytes = b"") -> bool:
    """Send `dribble` one byte at a time (0.1 s apart) and say whether the server hung up."""
    for byte in dribble:
        try:
            connection.sendall(bytes([byte]))
        except OSError:  # reset: the server closed while we were still writing
            return True
        time.sleep(0.1)
    try:
        return connection.recv(65536) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/submissions", "application/json"), ("/login", "application/x-www-form-urlencoded")],
)
def test_an_aborted_upload_is_one_info_line_without_a_traceback(served, path, content_type):
    with _connect(served) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: collector\r\nContent-Type: {content_type}\r\n"
            "Content-Length: 100000\r\n\r\n".encode()
            + b'{"envelope": ' * 200
        )
        time.sleep(0.2)  # let the server start reading the body before we go
    line = f"client closed the connection during POST {path}"
    log = _wait_for_log(served, line)
    assert [entry for entry in log.splitlines() if line in entry] == [f"INFO:     {line}"]
    assert "Traceback" not in log and "ERROR" not in log


def test_headers_dribbled_in_are_cut_off(served):
    with _connect(served) as connection:
        # Far longer than the timeout at one byte every 0.1 s, never finishing the headers.
        assert _closed_by_server(connection, b"GET /api/v1/healthz HTTP/1.1\r\nHost: c" + b"x" * 60)
    log = _wait_for_log(served, "request headers took longer than 0.5 s")
    assert "request headers took longer than 0.5 s" in log
    assert "Traceback" not in log


def test_a_connection_that_never_sends_a_request_is_closed(served):
    with _connect(served) as connection:
        assert _closed_by_server(connection)


def test_each_request_on_a_kept_alive_connection_gets_the_deadline(served):
    request = b"GET /api/v1/healthz HTTP/1.1\r\nHost: collector\r\n\r\n"
    with _connect(served) as connection:
        connection.sendall(request)
        assert _response(connection).startswith(b"HTTP/1.1 200 OK")
        connection.sendall(request)  # a second request in good time is answered as usual
        assert _response(connection).startswith(b"HTTP/1.1 200 OK")
        assert _closed_by_server(connection, b"GET /api/v1/healthz HTTP/1.1\r\nHost: " + b"c" * 60)


def test_headers_sent_in_pieces_within_the_deadline_are_answered(served):
    with _connect(served) as connection:
        for piece in (b"GET /api/v1/healthz HTTP/1.1\r\n", b"Host: collector\r\n", b"\r\n"):
            connection.sendall(piece)
            time.sleep(0.1)
        assert _response(connection).endswith(b'{"status":"ok"}')
