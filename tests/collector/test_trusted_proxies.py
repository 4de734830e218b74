"""X-Forwarded-For is believed only from the proxies named in `trusted_proxies`: over real HTTP
through uvicorn, configured as `serve` configures it."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests
import uvicorn
from sqlalchemy import select

from school_audit.collector.app import create_app
from school_audit.collector.cli.serving import proxy_options
from school_audit.collector.db.tables import LoginAttempt
from school_audit.collector.keys import create_key_file
from school_audit.collector.settings import CollectorSettings
from tests.collector_web.live_server import free_port

FORGED = "203.0.113.99"


def _client_seen(tmp_path, trusted: str) -> str:
    """The address the collector records for one failed log-in sent with a forged header."""
    home = tmp_path / (trusted.replace("/", "_").replace(".", "_") or "none")
    create_key_file(home / "collector-signing-key")
    settings = CollectorSettings(home=home, trusted_proxies=trusted)
    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", **proxy_options(trusted)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        with requests.Session() as http:
            for _ in range(200):
                if server.started:
                    break
                time.sleep(0.05)
            page = http.get(f"{base}/login", timeout=10)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            http.post(
                f"{base}/login",
                data={"username": "nobody", "password": "x" * 12, "csrf_token": token},
                headers={"X-Forwarded-For": FORGED},
                timeout=30,
            )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    with app.state.database.read() as session:
        seen = session.scalars(select(LoginAttempt.client)).one()
    app.state.database.dispose()
    return seen


def test_by_default_no_forwarded_address_is_believed_even_from_loopback(tmp_path):
    assert CollectorSettings().trusted_proxies == ""
    assert _client_seen(tmp_path, "") == "127.0.0.1"


@pytest.mark.parametrize("trusted", ["127.0.0.1", "127.0.0.0/8"])
def test_a_configured_proxy_passes_the_real_address_on(tmp_path, trusted):
    assert _client_seen(tmp_path, trusted) == FORGED
