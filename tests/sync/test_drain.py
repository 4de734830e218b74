"""The outbox drain against a scripted collector and a fake clock."""

from __future__ import annotations

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest
import requests

from school_audit.sync.backoff import BackoffPolicy
from school_audit.sync.client import CollectorClient
from school_audit.sync.drain import drain_outbox, request_body
from tests.sync.fakes import (
    FakeClock,
    FakeOutbox,
    ScriptedCollector,
    error_response,
    response,
)

POLICY = BackoffPolicy(base=2.0, cap=30.0, max_wait_in_run=120.0)


@pytest.fixture
def world():
    clock, outbox, collector = FakeClock(), FakeOutbox(), ScriptedCollector()
    collector.clock = clock
    client = CollectorClient("https://la.example", collector, token="tok", now=clock.now)
    return clock, outbox, collector, client


def drain(world, **options):
    clock, outbox, collector, client = world
    options.setdefault("max_attempts_per_run", 5)
    options.setdefault("uniform", lambda: 1.0)
    return drain_outbox(
        outbox, client, collector_public_key=collector.key.public_key_b64,
        now=clock.now, sleep=clock.sleep, policy=POLICY, **options,
    )  # fmt: skip


def test_item_leaves_with_a_verified_receipt(world):
    _, outbox, collector, _ = world
    item = outbox.add("s1")
    report = drain(world)
    assert report.sent == ["s1"] and report.complete
    assert item.state == "sent"
    assert json.loads(item.receipt_json)["submission_id"] == "s1"
    method, url, body, _ = collector.calls[0]
    assert (method, url) == ("POST", "https://la.example/api/v1/submissions")
    assert body == request_body(item.envelope, item.signature)
    assert item.envelope in body  # the signed bytes travel verbatim


@pytest.mark.parametrize(
    "failure",
    [
        error_response(500, "internal", "boom"),
        response(502, raw=b"<html>Bad gateway</html>", headers={"Content-Type": "text/html"}),
        error_response(503, "busy", "later"),
        error_response(429, "rate_limited", "slow down"),
        requests.exceptions.ConnectionError("refused"),
        requests.exceptions.ReadTimeout("slow"),
        requests.exceptions.ChunkedEncodingError("reset mid-body"),
        response(200, raw=b"<html>Sign in to the Wi-Fi</html>"),
        error_response(404, "not_found", "no such path"),
    ],
)
def test_transient_failures_are_retried_until_sent(world, failure):
    clock, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [failure, failure]
    report = drain(world)
    assert report.sent == ["s1"] and item.state == "sent"
    assert len(collector.calls) == 3 and report.attempts == 3


def test_waits_grow_and_are_capped(world):
    clock, outbox, collector, _ = world
    outbox.add("s1")
    collector.script = [error_response(500, "x", "y")] * 6
    drain(world, max_attempts_per_run=7)
    times = [call[3] for call in collector.calls]
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    assert gaps == pytest.approx([2, 4, 8, 16, 30, 30], abs=0.01)


def test_jitter_draws_within_bounds(world):
    clock, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [error_response(500, "x", "y")]
    drain(world, max_attempts_per_run=1, uniform=lambda: 0.25)
    assert item.next_attempt_at - clock.now() == timedelta(seconds=0.5)
    assert item.state == "failed" and "500" in item.last_error


@pytest.mark.parametrize("as_date", [False, True])
def test_retry_after_is_obeyed_for_every_item(world, as_date):
    clock, outbox, collector, _ = world
    outbox.add("s1"), outbox.add("s2")
    later = clock.now() + timedelta(seconds=45)
    value = format_datetime(later, usegmt=True) if as_date else "45"
    collector.script = [error_response(503, "busy", "maintenance", {"Retry-After": value})]
    report = drain(world)
    assert sorted(report.sent) == ["s1", "s2"]
    first, second, third = (call[3] for call in collector.calls)
    assert (second - first).total_seconds() >= 45  # s2 also waited: the server said so
    assert third >= second


def test_retry_after_longer_than_a_run_leaves_the_item_scheduled(world):
    clock, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [error_response(429, "rate_limited", "slow", {"Retry-After": "3600"})]
    report = drain(world)
    assert report.waiting and not report.sent
    assert item.next_attempt_at >= clock.now() + timedelta(seconds=3590)
    assert len(collector.calls) == 1


@pytest.mark.parametrize(
    "status,code",
    [(409, "submission_conflict"), (422, "schema_invalid"), (422, "signature_invalid"),
     (403, "forbidden"), (413, "too_large"), (415, "unsupported_media_type")],
)  # fmt: skip
def test_permanent_refusals_are_recorded_not_retried(world, status, code):
    _, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [error_response(status, code, "the collector's own words")]
    report = drain(world)
    assert len(collector.calls) == 1
    assert item.state == "failed" and item.next_attempt_at is None
    assert "the collector's own words" in item.last_error and code in item.last_error
    assert "s1" in report.refused and not report.sent


def test_unauthorised_stops_the_run_and_asks_for_enrolment(world):
    _, outbox, collector, _ = world
    first, second = outbox.add("s1"), outbox.add("s2")
    collector.script = [error_response(401, "unauthorised", "revoked")]
    report = drain(world)
    assert report.reenrol_required and not report.complete
    assert len(collector.calls) == 1
    assert first.state != "sent" and second.state == "queued"
    assert first.next_attempt_at is not None  # still due: nothing is lost


@pytest.mark.parametrize(
    "bad_receipt",
    [
        {"submission_id": "s2"},
        {"envelope_sha256": "00" * 32},
        {"status": "received", "signature": "A" * 86},
        "other_key",
        "no_receipt",
    ],
)
def test_receipt_that_does_not_verify_keeps_the_item(world, bad_receipt):
    _, outbox, collector, _ = world
    item = outbox.add("s1")

    def reply(body):
        if bad_receipt == "no_receipt":
            return response(201, {"ok": True})
        if bad_receipt == "other_key":
            return ScriptedCollector().accept(body)
        receipt = collector.receipt_for(body, **{k: v for k, v in bad_receipt.items()
                                                  if k != "signature"})  # fmt: skip
        if "signature" in bad_receipt:
            receipt["signature"] = bad_receipt["signature"]
        return response(201, {"receipt": receipt})

    collector.script = [reply] * 3
    report = drain(world, max_attempts_per_run=3)
    assert item.state == "failed" and report.waiting and not report.sent
    assert "receipt" in item.last_error
    if bad_receipt == "other_key":  # for exactly these bytes, by a key it cannot trust: kept
        assert json.loads(item.receipt_json)["submission_id"] == "s1"
        assert "not verified" in item.last_error
    else:
        assert item.receipt_json is None


def test_max_attempts_per_run_bounds_the_run(world):
    _, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [requests.exceptions.ConnectionError("down")] * 10
    report = drain(world, max_attempts_per_run=4)
    assert len(collector.calls) == 4 and report.waiting == {"s1": item.last_error}
    assert item.state == "failed" and item.next_attempt_at is not None


def test_cancel_during_a_wait_stops_promptly_and_keeps_items(world):
    clock, outbox, collector, _ = world
    outbox.add("s1"), outbox.add("s2")
    collector.script = [error_response(503, "busy", "x", {"Retry-After": "60"})]
    start = clock.now()
    report = drain(world, cancel=lambda: (clock.now() - start).total_seconds() > 5)
    assert report.cancelled and not report.sent
    assert len(collector.calls) == 1
    assert (clock.now() - start).total_seconds() < 6
    assert all(item.state != "sent" for item in outbox.items.values())


def test_cancel_before_start_sends_nothing(world):
    _, outbox, collector, _ = world
    outbox.add("s1")
    report = drain(world, cancel=lambda: True)
    assert report.cancelled and collector.calls == []


def test_progress_reports_each_item(world):
    _, outbox, _, _ = world
    outbox.add("s1"), outbox.add("s2")
    seen = []
    drain(world, progress=lambda done, total, message: seen.append((done, total)))
    assert seen == [(1, 1), (2, 2)]


def test_identical_retry_with_200_counts_as_sent(world):
    _, outbox, collector, _ = world
    item = outbox.add("s1")
    collector.script = [lambda body: response(200, {"receipt": collector.receipt_for(body)})]
    assert drain(world).sent == ["s1"] and item.state == "sent"


def test_one_bad_item_does_not_block_the_others(world):
    _, outbox, collector, _ = world
    outbox.add("s1"), outbox.add("s2")
    collector.script = [error_response(409, "submission_conflict", "other bytes")]
    report = drain(world)
    assert report.sent == ["s2"] and list(report.refused) == ["s1"]


def test_a_run_that_may_not_wait_ends_at_a_retry_after_and_keeps_the_items(world):
    clock, outbox, collector, client = world
    outbox.add("s1"), outbox.add("s2")
    collector.script = [error_response(503, "busy", "x", {"Retry-After": "45"})]
    slept = []
    report = drain_outbox(
        outbox, client, collector_public_key=collector.key.public_key_b64, now=clock.now,
        sleep=slept.append, policy=BackoffPolicy(max_wait_in_run=0.0), uniform=lambda: 1.0,
    )  # fmt: skip
    assert slept == [] and len(collector.calls) == 1  # the app's timer starts the next run
    assert report.waiting and not report.sent and not report.complete
    assert all(item.state != "sent" for item in outbox.items.values())
