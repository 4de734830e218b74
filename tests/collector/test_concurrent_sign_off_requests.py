"""Sign-off requests made at the same moment, by two "workers" (two engines, as two uvicorn
processes would have) on SQLite and on a real PostgreSQL: a limit only one more request fits
under lets exactly one through, whichever device and worker ask.

The gap between counting and inserting is widened (a pause after the count) so that, without the
lock on the establishment's row, every racer counts the same number and all of them pass.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from school_audit.collector import sign_off_requests as requests
from school_audit.collector.db import Database
from school_audit.collector.db.tables import OutgoingMail, SignOffRequest
from school_audit.collector.db.types import utc_now
from school_audit.collector.devices import DeviceIdentity
from school_audit.domain.seal import content_sha256
from tests.collector.factories import PUBLIC_URL, enrol_device

API = "/api/v1/sign-off-requests"
RACERS = 4


@pytest.fixture(autouse=True)
def cycle_open(world):
    return world.open_cycle()


def _slow_count(monkeypatch) -> None:
    """From now on, each request pauses between passing the limits and inserting its row."""
    check = requests._check_allowed

    def check_then_pause(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(requests, "_check_allowed", check_then_pause)


def _identity(device) -> DeviceIdentity:
    return DeviceIdentity(device_id=device.device_id, device_key_id=device.device_key_id,
                          public_key="", urn=device.urn, setting_type="school",
                          phase="secondary", district=None)  # fmt: skip


def _new(world, device, number: int) -> requests.NewRequest:
    envelope = device.envelope(world.template)
    return requests.NewRequest(envelope["cycle"], content_sha256(envelope), "chair_of_governors",
                               f"Person {number}", f"p{number}@example.org", {})  # fmt: skip


def _race(db_url, world, devices) -> list[str]:
    """RACERS requests at once, alternating devices and workers: 'made' or 'limited' each."""
    workers = [Database(db_url), Database(db_url)]
    barrier = threading.Barrier(RACERS)

    def ask(index: int) -> str:
        device = devices[index % len(devices)]
        new = _new(world, device, 100 + index)
        barrier.wait(timeout=30)
        try:
            with workers[index % 2].write() as session:
                requests.create(session, _identity(device), new, PUBLIC_URL, utc_now())
        except requests.RequestLimited:
            return "limited"
        return "made"

    try:
        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            return sorted(pool.map(ask, range(RACERS)))
    finally:
        for worker in workers:
            worker.dispose()


def _pending(world, urn: str) -> int:
    with world.database.read() as session:
        return session.scalar(
            select(func.count()).select_from(SignOffRequest)
            .where(SignOffRequest.urn == urn, SignOffRequest.status == "pending")
        )  # fmt: skip


def _mails(world) -> int:
    with world.database.read() as session:
        return session.scalar(select(func.count()).select_from(OutgoingMail))


def test_racing_requests_of_one_setting_never_pass_its_open_limit(
    client, world, device, db_url, monkeypatch
):
    second_pc = enrol_device(client, world, device.urn)  # another computer of the same school
    for number in range(requests.MAX_OPEN_PER_ESTABLISHMENT - 1):
        new = _new(world, device, number)
        body = {"cycle": new.cycle, "content_sha256": new.content_sha256, "role": new.role,
                "name": new.name, "email": new.email}  # fmt: skip
        assert client.post(API, json=body, headers=device.headers).status_code == 201
    _slow_count(monkeypatch)
    assert _race(db_url, world, [device, second_pc]) == ["limited"] * (RACERS - 1) + ["made"]
    assert _pending(world, device.urn) == requests.MAX_OPEN_PER_ESTABLISHMENT
    assert _mails(world) == requests.MAX_OPEN_PER_ESTABLISHMENT  # the refused sent nothing


def test_racing_requests_of_one_computer_never_pass_its_daily_limit(
    client, world, device, db_url, monkeypatch
):
    with world.database.write() as session:  # 29 asked today, all answered or cancelled since
        now = utc_now()
        for number in range(requests.MAX_NEW_PER_DEVICE_PER_DAY - 1):
            made = requests.create(session, _identity(device), _new(world, device, number),
                                   PUBLIC_URL, now - timedelta(hours=1))  # fmt: skip
            requests.cancel(session.get(SignOffRequest, made["request_id"]), now)
    _slow_count(monkeypatch)
    assert _race(db_url, world, [device]) == ["limited"] * (RACERS - 1) + ["made"]
    with world.database.read() as session:
        today = session.scalar(
            select(func.count()).select_from(SignOffRequest)
            .where(SignOffRequest.device_id == device.device_id)
        )  # fmt: skip
    assert today == requests.MAX_NEW_PER_DEVICE_PER_DAY
