"""Fakes for drain tests: an in-memory outbox, a clock, and a scripted HTTP session.

The session returns real `requests.Response` objects (or raises real requests exceptions), so the
client's mapping from HTTP to typed errors runs for real; only the wire is fake.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from requests.structures import CaseInsensitiveDict

from school_audit.signing import SigningKey, sign_receipt

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.moment = start
        self.slept = 0.0

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.slept += seconds
        self.moment += timedelta(seconds=seconds)


@dataclass
class Item:
    submission_id: str
    envelope: bytes
    signature: str = "c2ln"
    state: str = "queued"
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    receipt_json: str | None = None


@dataclass
class FakeOutbox:
    items: dict[str, Item] = field(default_factory=dict)

    def add(self, submission_id: str, envelope: bytes | None = None) -> Item:
        item = Item(submission_id, envelope or f'{{"id":"{submission_id}"}}'.encode())
        self.items[submission_id] = item
        return item

    def due_outbox_items(self, now):
        def due(item: Item) -> bool:
            if item.state in ("queued", "sending"):
                return True
            return (
                item.state == "failed"
                and item.next_attempt_at is not None
                and (item.next_attempt_at <= now)
            )

        return [item for item in self.items.values() if due(item)]

    def mark_sending(self, submission_id):
        self.items[submission_id].state = "sending"
        self.items[submission_id].attempts += 1

    def mark_sent(self, submission_id, receipt_json):
        item = self.items[submission_id]
        item.state, item.receipt_json = "sent", receipt_json

    def record_failure(self, submission_id, error, next_attempt_at, receipt_json=None):
        item = self.items[submission_id]
        item.state, item.last_error, item.next_attempt_at = "failed", error, next_attempt_at
        if receipt_json is not None:
            item.receipt_json = receipt_json


def response(
    status: int, body: object = None, headers: dict | None = None, raw: bytes | None = None
):
    reply = requests.Response()
    reply.status_code = status
    reply._content = raw if raw is not None else json.dumps(body).encode()
    reply.headers = CaseInsensitiveDict(headers or {"Content-Type": "application/json"})
    reply.reason = "Scripted"
    return reply


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    return response(status, {"error": {"code": code, "message": message}}, headers)


class ScriptedCollector:
    """A session whose replies are scripted per call; unscripted calls get a valid receipt."""

    def __init__(self, key: SigningKey | None = None) -> None:
        self.key = key or SigningKey.generate()
        self.script: list = []  # each: a Response, an exception, or a callable(body) -> Response
        self.calls: list[tuple[str, str, bytes, datetime | None]] = []
        self.clock: FakeClock | None = None

    def receipt_for(self, body: bytes, **changes) -> dict:
        envelope = json.loads(body)["envelope"]
        raw = json.dumps(envelope, separators=(",", ":")).encode()
        fields = {
            "submission_id": envelope["id"],
            "received_at": "2026-03-02T09:00:00Z",
            "envelope_sha256": hashlib.sha256(raw).hexdigest(),
            "status": "received",
            "collector_key_id": self.key.key_id,
            **changes,
        }
        return sign_receipt(fields, self.key)

    def accept(self, body: bytes):
        return response(201, {"receipt": self.receipt_for(body)})

    def request(self, method, url, headers=None, data=None, json=None, **kwargs):
        self.calls.append((method, url, data, self.clock.now() if self.clock else None))
        step = self.script.pop(0) if self.script else self.accept
        if isinstance(step, Exception):
            raise step
        return step(data) if callable(step) else step
