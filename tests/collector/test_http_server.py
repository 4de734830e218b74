"""The collector over real HTTP (uvicorn on a loopback port), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest
from sqlalchemy import func, select

from school_audit.collector.db.tables import Answer, Submission
from school_audit.collector.keys import load_key_file
from school_audit.signing import verify_receipt
from tests.collector.factories import enrol_device
from tests.collector.live_server import free_port, live_server


@pytest.fixture
def server(world):
    with live_server(world.app()) as base_url:
        yield base_url


def test_enrol_send_and_read_status_over_http(server, world):
    with httpx.Client(base_url=server, timeout=10) as http:
        assert http.get("/api/v1/healthz").json() == {"status": "ok"}
        device = enrol_device(http, world)
        body = device.body(world.template)
        first = http.post("/api/v1/submissions", json=body, headers=device.headers)
        assert first.status_code == 201
        collector_key = load_key_file(world.settings.resolved_key_file)
        verify_receipt(first.json()["receipt"], collector_key.public_key_b64)
        status = http.get(
            f"/api/v1/submissions/{body['envelope']['submission_id']}", headers=device.headers
        )
        assert status.json()["status"] == "received"


def test_a_burst_of_identical_retries_stores_one_row(server, world):
    with httpx.Client(base_url=server, timeout=30) as http:
        device = enrol_device(http, world)
    body = device.body(world.template)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=server, timeout=30) as own:
            return own.post("/api/v1/submissions", json=body, headers=device.headers)

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(12)))
    assert sorted(a.status_code for a in answers) == [200] * 11 + [201]
    assert len({a.text for a in answers}) == 1  # everyone holds the same receipt
    with world.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        assert session.scalar(select(func.count()).select_from(Answer)) == len(
            body["envelope"]["responses"]
        )


def test_many_schools_at_once_all_arrive(server, world):
    urns = [f"2000{i:02d}" for i in range(6)]
    for urn in urns:
        world.add_school(urn)
    with httpx.Client(base_url=server, timeout=30) as http:
        devices = [enrol_device(http, world, urn) for urn in urns]

    def send(device) -> int:
        with httpx.Client(base_url=server, timeout=30) as own:
            from tests.collector.factories import school_profile, sign

            envelope = device.envelope(world.template, profile=school_profile(device.urn))
            return own.post(
                "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
            ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(send, devices)) == [201] * len(devices)


def test_an_endless_chunked_body_is_cut_off(server, world):
    """No Content-Length, chunks beyond the limit: refused, not read to the end, no crash."""
    address = urlparse(server)
    limit = world.settings.body_limit_bytes
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        head = (
            "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b" " * 65536
        try:
            for _ in range(limit // len(chunk) + 4):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading once it has refused
        reply = sock.recv(4096).decode("latin-1")
    # No token was sent either; whichever check came first, it is a 4xx and not a crash.
    assert reply.startswith("HTTP/1.1 4"), reply[:200]


@pytest.mark.slow
def test_the_serve_command_answers(tmp_path):
    env = {**os.environ, "SCHOOL_AUDIT_COLLECTOR_HOME": str(tmp_path / "home")}
    env.pop("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "school_audit.collector.cli.main", "init"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "school_audit.collector.cli.main",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60  # two workers start slowly on a loaded machine
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        process.stderr.read().decode()
                        if process.poll() is not None
                        else "no answer"
                    ) from None
                time.sleep(0.2)
        assert response.json() == {"status": "ok"}
        assert response.headers["x-content-type-options"] == "nosniff"
    finally:
        process.terminate()
        process.wait(timeout=20)
