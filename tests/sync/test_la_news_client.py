"""The client's side of hearing back: the status answer's optional letter field, the letter as
PDF bytes, and a reply that is not a PDF (a captive portal) refused; over a real local socket."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from school_audit.sync import errors
from school_audit.sync.client import CollectorClient
from school_audit.sync.enrolment import checked_dsl_email

REPLIES: dict[str, tuple[int, str, bytes]] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        status, kind, body = REPLIES.get(self.path, (404, "application/json", b"{}"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def client():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with requests.Session() as session:
        yield CollectorClient(f"http://127.0.0.1:{server.server_port}", session, token="t")
    server.shutdown()
    REPLIES.clear()


def _status(body: dict) -> None:
    REPLIES["/api/v1/submissions/s1"] = (200, "application/json", json.dumps(body).encode())


def test_the_status_says_when_the_letter_was_issued(client):
    _status({"submission_id": "s1", "status": "accepted", "review": None,
             "feedback_letter": {"issued_at": "2026-03-02T09:30:00Z"}})  # fmt: skip
    assert client.submission_status("s1").feedback_letter_issued_at == "2026-03-02T09:30:00Z"


@pytest.mark.parametrize("letter", [None, {}, "yes", {"issued_at": ""}])
def test_no_letter_or_an_older_collector_reads_as_not_issued(client, letter):
    body = {"submission_id": "s1", "status": "accepted", "review": None}
    if letter is not None:
        body["feedback_letter"] = letter
    _status(body)
    assert client.submission_status("s1").feedback_letter_issued_at is None


def test_the_letter_comes_as_pdf_bytes(client):
    REPLIES["/api/v1/submissions/s1/feedback-letter"] = (200, "application/pdf", b"%PDF-1.4 x")
    assert client.feedback_letter("s1") == b"%PDF-1.4 x"


def test_a_page_that_is_not_a_pdf_is_refused(client):
    REPLIES["/api/v1/submissions/s1/feedback-letter"] = (200, "text/html", b"<html>Log in</html>")
    with pytest.raises(errors.ServerError, match="not a PDF"):
        client.feedback_letter("s1")


def test_no_letter_yet_is_not_found(client):
    body = json.dumps({"error": {"code": "letter_not_ready", "message": "not reviewed"}}).encode()
    REPLIES["/api/v1/submissions/s1/feedback-letter"] = (404, "application/json", body)
    with pytest.raises(errors.NotFound) as raised:
        client.feedback_letter("s1")
    assert raised.value.code == "letter_not_ready"


@pytest.mark.parametrize("typed", ["dsl@school.example.sch.uk", " Sam.Carter+audit@x.org.uk "])
def test_a_plausible_dsl_email_is_kept(typed):
    assert checked_dsl_email(typed) == typed.strip()


@pytest.mark.parametrize("typed", ["sam", "sam@school", "sam@@x.uk", "a b@x.uk", "sam@x.uk, jo@x.uk",
                                   "<sam@x.uk>", "x" * 320 + "@x.uk", "@x.uk"])  # fmt: skip
def test_a_mistyped_dsl_email_is_refused_in_words(typed):
    with pytest.raises(ValueError, match="one email address"):
        checked_dsl_email(typed)


def test_no_dsl_email_is_none():
    assert checked_dsl_email("") is None and checked_dsl_email("  ") is None
    assert checked_dsl_email(None) is None
