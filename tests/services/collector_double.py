"""An in-process stand-in for the collector's HTTP API, for service unit tests.

It checks what a real collector checks (the device's signature over the canonical envelope bytes,
the bearer token) and signs real receipts, so the client's cryptography is exercised end to end
without a network. tests/e2e runs the same flows against the real collector over HTTP.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import urlsplit

from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import SignatureInvalid, SigningKey, sign_receipt, verify
from tests.sync.fakes import error_response, response


class CollectorDouble:
    def __init__(self, urn: str = "123456") -> None:
        self.key = SigningKey.generate()
        self.urn = urn
        self.codes = {"CODE-1234", "CODE-5678"}
        self.enrolments = 0
        self.device_public_key: str | None = None
        self.token = "tok-" + uuid.uuid4().hex
        self.received: dict[str, bytes] = {}
        self.statuses: dict[str, tuple[str, dict]] = {}
        self.requests: list[tuple[str, str, dict]] = []

    def session_factory(self, settings):
        self.settings = settings
        return self

    def request(self, method, url, headers=None, data=None, json=None, **kwargs):
        path = urlsplit(url).path.split("/api/v1", 1)[1]
        self.requests.append((method, path, dict(headers or {})))
        if (method, path) == ("POST", "/enrolments"):
            return self._enrol(json)
        if headers.get("Authorization") != f"Bearer {self.token}":
            return error_response(401, "unauthorised", "unknown token")
        if (method, path) == ("POST", "/submissions"):
            return self._submit(data)
        if method == "GET" and path.startswith("/submissions/"):
            found = self.statuses.get(path.rsplit("/", 1)[1])
            if found is None:
                return error_response(404, "not_found", "no such submission")
            return response(200, {"status": found[0], "review": found[1]})
        return error_response(404, "not_found", path)

    def _enrol(self, body):
        if body["code"] not in self.codes:
            return error_response(404, "enrolment_code_invalid", "unknown, used or expired code")
        self.codes.remove(body["code"])
        self.device_public_key = body["public_key"]
        self.enrolments += 1
        reply = {
            "device_id": f"dev-{self.enrolments}",
            "device_key_id": f"key-{self.enrolments}",
            "token": self.token,
            "establishment": {"urn": self.urn, "name": "Hollybank First School"},
            "collector_public_key": self.key.public_key_b64,
        }
        return response(201, reply)

    def _submit(self, data: bytes):
        body = json.loads(data)
        envelope, signature = body["envelope"], body["signature"]
        raw = canonical_bytes(envelope)
        try:
            verify(self.device_public_key, raw, signature)
        except SignatureInvalid:
            return error_response(422, "signature_invalid", "the signature does not verify")
        sid = envelope["submission_id"]
        if sid in self.received and self.received[sid] != raw:
            return error_response(409, "submission_conflict", "other bytes under this id")
        created = sid not in self.received
        self.received[sid] = raw
        self.statuses.setdefault(sid, ("received", {}))
        receipt = sign_receipt(
            {
                "submission_id": sid,
                "received_at": "2026-03-02T09:00:00Z",
                "envelope_sha256": hashlib.sha256(raw).hexdigest(),
                "status": "received",
                "collector_key_id": self.key.key_id,
            },
            self.key,
        )
        return response(201 if created else 200, {"receipt": receipt})
