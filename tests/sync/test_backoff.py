"""Capped exponential backoff with full jitter, and Retry-After as a floor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from school_audit.sync.backoff import BackoffPolicy
from school_audit.sync.client import MAX_RETRY_AFTER, parse_retry_after

POLICY = BackoffPolicy(base=2.0, cap=60.0)


def test_ceiling_doubles_then_caps():
    assert [POLICY.ceiling(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert POLICY.ceiling(10_000) == 60


@pytest.mark.parametrize("failures", [1, 3, 6, 50])
def test_full_jitter_stays_between_zero_and_the_ceiling(failures):
    assert POLICY.delay(failures, uniform=lambda: 0.0) == 0.0
    top = POLICY.delay(failures, uniform=lambda: 0.999999)
    assert POLICY.ceiling(failures) * 0.99 < top <= POLICY.ceiling(failures)


def test_real_jitter_spreads_waits():
    delays = [POLICY.delay(4) for _ in range(500)]
    assert all(0 <= d <= 16 for d in delays)
    assert max(delays) - min(delays) > 8  # spread, not lock-step


def test_retry_after_is_a_floor_even_past_the_cap():
    assert POLICY.delay(1, retry_after=120, uniform=lambda: 1.0) == 120
    assert POLICY.delay(6, retry_after=1, uniform=lambda: 1.0) == 60


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "header,seconds",
    [
        ("30", 30.0),
        (" 0 ", 0.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        ("Mon, 02 Mar 2026 09:02:00 GMT", 120.0),
        ("Mon, 02 Mar 2026 08:00:00 GMT", 0.0),  # in the past: go now
        ("99999999", MAX_RETRY_AFTER),
        ("soon", None),
        ("\u00b2", None),  # latin-1 byte 0xB2 in a header: isdigit() says yes, float() no
        ("\u0663\u0660", None),  # Arabic-Indic digits are not HTTP's delta-seconds
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, NOW) == seconds
