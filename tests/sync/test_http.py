"""The HTTP session: timeouts on every request, the LA's CA bundle, proxies from the system."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
from requests.adapters import HTTPAdapter

from school_audit.sync import errors
from school_audit.sync.client import CollectorClient, check_collector_url
from school_audit.sync.http import HttpSettings, make_session
from tests.sync.fakes import response


class CapturingAdapter(HTTPAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict] = []

    def send(self, request, **kwargs):
        self.sent.append({"url": request.url, "headers": dict(request.headers), **kwargs})
        return response(200, {"ok": True})


def capture(session):
    adapter = CapturingAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return adapter


def test_every_request_gets_connect_and_read_timeouts():
    session = make_session(HttpSettings(connect_timeout=3, read_timeout=7))
    adapter = capture(session)
    session.get("https://la.example/api/v1/healthz")
    session.post("https://la.example/api/v1/submissions", data=b"{}")
    assert [sent["timeout"] for sent in adapter.sent] == [(3, 7), (3, 7)]


def test_ca_bundle_wins_over_the_environment(tmp_path, monkeypatch):
    bundle = tmp_path / "la-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/somewhere/else.pem")
    session = make_session(HttpSettings(ca_bundle=bundle))
    adapter = capture(session)
    session.get("https://la.example/")
    assert adapter.sent[0]["verify"] == str(bundle)


def test_missing_ca_bundle_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="CA bundle"):
        make_session(HttpSettings(ca_bundle=tmp_path / "missing.pem"))


def test_proxy_comes_from_the_environment_and_no_proxy_is_honoured(monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.school.local:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.local")
    session = make_session()
    adapter = capture(session)
    session.get("https://la.example/")
    session.get("https://intranet.local/")
    assert adapter.sent[0]["proxies"].get("https") == "http://proxy.school.local:3128"
    assert "https" not in adapter.sent[1]["proxies"]


def test_explicit_proxies_are_used():
    session = make_session(HttpSettings(proxies={"https": "http://10.0.0.1:8080"}))
    adapter = capture(session)
    session.get("https://la.example/")
    assert adapter.sent[0]["proxies"]["https"] == "http://10.0.0.1:8080"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_a_transient_network_error():
    client = CollectorClient(f"http://127.0.0.1:{free_port()}", make_session(), token="t")
    with pytest.raises(errors.NetworkError) as raised:
        client.submit(b"{}")
    assert raised.value.transient and "could not reach" in raised.value.message


def test_silent_server_times_out_quickly():
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    accept = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    accept.start()
    port = listener.getsockname()[1]
    session = make_session(HttpSettings(connect_timeout=1, read_timeout=0.3))
    client = CollectorClient(f"http://127.0.0.1:{port}", session, token="t")
    started = time.monotonic()
    with pytest.raises(errors.NetworkError, match="in time"):
        client.submit(b"{}")
    assert time.monotonic() - started < 5
    listener.close()
    for sock in held:
        sock.close()


class OneReply:
    def __init__(self, reply):
        self.reply = reply

    def request(self, *args, **kwargs):
        return self.reply


@pytest.mark.parametrize(
    "status,kind,transient",
    [
        (401, errors.NotEnrolled, False),
        (403, errors.Forbidden, False),
        (404, errors.NotFound, False),
        (409, errors.Conflict, False),
        (413, errors.Rejected, False),
        (415, errors.Rejected, False),
        (422, errors.Rejected, False),
        (429, errors.ServerBusy, True),
        (500, errors.ServerError, True),
        (502, errors.ServerError, True),
        (503, errors.ServerBusy, True),
        (504, errors.ServerError, True),
    ],
)
def test_errors_map_to_types_with_the_collectors_words(status, kind, transient):
    reply = response(status, {"error": {"code": "some_code", "message": "In plain words."}})
    client = CollectorClient("https://la.example", OneReply(reply), token="t")
    with pytest.raises(kind) as raised:
        client.submit(b"{}")
    assert raised.value.transient is transient
    assert raised.value.code == "some_code" and raised.value.message == "In plain words."
    assert raised.value.describe() == f"HTTP {status} some_code In plain words."


def test_error_page_that_is_not_json_still_gets_a_message():
    reply = response(502, raw=b"<html>nope</html>", headers={"Content-Type": "text/html"})
    client = CollectorClient("https://la.example", OneReply(reply), token="t")
    with pytest.raises(errors.ServerError, match="502"):
        client.submit(b"{}")


def test_calls_without_a_token_do_not_reach_the_network():
    client = CollectorClient("https://la.example", OneReply(None))
    with pytest.raises(errors.NotEnrolled):
        client.submit(b"{}")


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://audit.example.gov.uk", True),
        ("https://audit.example.gov.uk/collector/", True),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://audit.example.gov.uk", False),
        ("ftp://audit.example.gov.uk", False),
        ("audit.example.gov.uk", False),
        ("", False),
    ],
)
def test_collector_address_rules(url, ok):
    if ok:
        assert not check_collector_url(url).endswith("/")
    else:
        with pytest.raises(ValueError):
            check_collector_url(url)


def test_requests_exceptions_never_escape(monkeypatch):
    class Exploding:
        def request(self, *args, **kwargs):
            raise requests.exceptions.InvalidURL("bad")

    client = CollectorClient("https://la.example", Exploding(), token="t")
    with pytest.raises(errors.NetworkError):
        client.healthz()
