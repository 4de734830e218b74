"""The access log never shows a link's token (a signatory's, or a password reset's)."""

from __future__ import annotations

import logging

from school_audit.collector.cli.log_redaction import RedactSignLinks
from school_audit.collector.cli.serving import log_config

FORMAT = '%s - "%s %s HTTP/%s" %d'


def access_line(path: str) -> str:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, FORMAT,
                               ("127.0.0.1:5000", "GET", path, "1.1", 200), None)  # fmt: skip
    assert RedactSignLinks().filter(record)
    return record.getMessage()


def test_sign_links_are_logged_without_their_token():
    line = access_line("/sign/SeCrEtToKeN123/code")
    assert "SeCrEtToKeN123" not in line and "/sign/…/code" in line
    assert "/verify/ABCD" in access_line("/verify/ABCD")


def test_password_reset_links_are_logged_without_their_token():
    line = access_line("/reset/An0therSeCrEt_-x")
    assert "An0therSeCrEt_-x" not in line and "/reset/…" in line
    assert "/returns/abc" in access_line("/returns/abc")


def test_serve_puts_the_filter_on_the_access_log():
    config = log_config()
    assert config["handlers"]["access"]["filters"] == ["sign_links"]
    assert config["filters"]["sign_links"]["()"].endswith("log_redaction.RedactSignLinks")
