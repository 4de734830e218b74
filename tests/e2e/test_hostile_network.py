"""Hundreds of signed returns through a proxy that refuses, resets, stalls, errors, loses
replies after the collector committed and forges receipts: every return arrives exactly once,
and none leaves an outbox without a receipt that verifies."""

from __future__ import annotations

import hashlib
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from school_audit.signing import verify_receipt
from school_audit.sync.http import HttpSettings
from tests.e2e.fault_proxy import FAULTS, FaultProxy
from tests.e2e.school import School

SCHOOLS = 8
AUDITS_PER_SCHOOL = 25  # 200 returns in all
READ_TIMEOUT = 0.5
MAX_RUNS = 8
# Weights per fault: half the connections go through untouched.
WEIGHTS = {fault: 1.0 for fault in FAULTS} | {"forward": 11.0, "stall": 0.5, "slow_reply": 0.5}


class Chooser:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.faults, self.weights = list(WEIGHTS), list(WEIGHTS.values())

    def __call__(self) -> str:
        with self.lock:
            return self.random.choices(self.faults, self.weights)[0]


class OutboxWatch:
    """Checks, at every progress report, that no item is marked sent without a valid receipt."""

    def __init__(self, school: School, collector_key: str) -> None:
        self.school, self.key, self.checks = school, collector_key, 0

    def __call__(self, done: int, seen: int, message: str) -> None:
        for item in self.school.store.outbox_items(["sent"]):
            verify_receipt(item.receipt, self.key)
            assert item.receipt["submission_id"] == str(item.submission_id)
            assert item.receipt["envelope_sha256"] == hashlib.sha256(item.envelope).hexdigest()
            self.checks += 1


def sign_many(school: School) -> list[str]:
    return [str(school.sign(school.complete_audit()).submission_id)
            for _ in range(AUDITS_PER_SCHOOL)]  # fmt: skip


def drain_until_done(school: School, watch: OutboxWatch, failures: list) -> None:
    try:
        for _ in range(MAX_RUNS):
            report = school.service.send_now(progress=watch, max_attempts_per_run=40)
            assert not report.refused and not report.reenrol_required, report
            if report.complete:
                return
    except BaseException as error:  # reported by the main thread
        failures.append(error)


@pytest.mark.slow
def test_every_return_arrives_exactly_once_through_a_hostile_network(
    make_running_collector, tmp_path, monkeypatch
):
    urns = [f"1{n:05d}" for n in range(SCHOOLS)]
    collector = make_running_collector(urns)
    schools = [School(tmp_path / urn, urn) for urn in urns]
    for school in schools:  # enrolment goes direct, before the proxy is set
        school.service.enrol(collector.url, collector.issue_code(school.urn), "Office PC")
        # Short timeouts from here on, so that stalls cost little wall-clock time.
        school.service.http = HttpSettings(connect_timeout=READ_TIMEOUT, read_timeout=READ_TIMEOUT)
    with ThreadPoolExecutor(max_workers=SCHOOLS) as pool:  # one database file per school
        signed = list(pool.map(sign_many, schools))
    expected = {sid: school for school, ids in zip(schools, signed, strict=True) for sid in ids}

    proxy = FaultProxy(collector.url, Chooser(seed=8785), hold_seconds=READ_TIMEOUT + 0.5).start()
    # The client finds the proxy the way it would on a school network: from the environment.
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("http_proxy", proxy.url)
    failures: list = []
    watches = [OutboxWatch(school, collector.public_key) for school in schools]
    try:
        threads = [threading.Thread(target=drain_until_done, args=(s, w, failures))
                   for s, w in zip(schools, watches, strict=True)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
    finally:
        proxy.stop()
    assert not failures, failures[0]

    # Every fault happened, many times over; the proxy really carried the traffic.
    assert set(proxy.counts) == set(FAULTS), proxy.counts
    assert proxy.counts["lose_reply"] >= 5 and proxy.counts["tamper_receipt"] >= 5

    # Exactly once at the collector, byte for byte.
    rows = collector.submissions()
    ids = Counter(str(row["submission_id"]) for row in rows)
    assert len(rows) == len(expected) == SCHOOLS * AUDITS_PER_SCHOOL
    assert set(ids) == set(expected) and max(ids.values()) == 1
    by_id = {str(row["submission_id"]): row for row in rows}

    # Every item left its outbox with a verified receipt for exactly those bytes.
    for school in schools:
        items = school.store.outbox_items()
        assert len(items) == AUDITS_PER_SCHOOL
        for item in items:
            assert item.state == "sent", (item.state, item.last_error)
            verify_receipt(item.receipt, collector.public_key)
            assert (
                item.receipt["envelope_sha256"] == by_id[str(item.submission_id)]["envelope_sha256"]
            )
            assert bytes(by_id[str(item.submission_id)]["envelope"]) == item.envelope
        school.close()
    assert sum(w.checks for w in watches) > 0
    # Faults after commit were seen: more POSTs reached the collector than rows were made.
    assert proxy.forwarded_posts > len(rows)
