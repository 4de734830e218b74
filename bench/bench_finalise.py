"""Finalise a full school audit: readiness check, envelope, RFC 8785 bytes, Ed25519 signature and
the outbox write (one transaction), as `SubmissionService.finalise` does.

QUALITY target: well under 100 ms. Printed beside a floor measured in the same run: one raw SQLite
commit of the same envelope bytes with the same pragmas (the part no code can avoid).

    .venv/bin/python bench/bench_finalise.py
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from school_audit.content import builtin_template
from school_audit.domain.audit import Rating, Response, SignOff, SignOffRole
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import build_envelope
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import check_readiness, is_ready
from school_audit.services.audit_service import AuditService
from school_audit.signing import SigningKey, sign_canonical
from school_audit.store import Store

RUNS = 15
TODAY = date(2025, 12, 1)


def prepared(store: Store):  # type: ignore[no-untyped-def]
    service = AuditService(store, today=lambda: TODAY)
    profile = EstablishmentProfile(urn="123456", name="Bench Primary", setting_type="school", phase="primary", flags={"has_eyfs": True})
    if service.profile() is None:
        service.save_profile(profile)
    template = builtin_template("school-s175", "2025-26.1")
    audit = service.start_audit(template)
    for standard in template.applicable(profile.phase, profile.flags):
        if standard.is_rated:
            dates = {d.key: date(2025, 9, 1) for d in standard.dates}
            service.save_response(audit.audit_id, Response(standard_id=standard.id, rating=Rating.MET, evidence="Minutes and logs, autumn term.", dates=dates))
    return service, template, audit.audit_id


def finalise(service: AuditService, template, audit_id, key: SigningKey) -> None:  # type: ignore[no-untyped-def]
    audit = service.load(audit_id)
    assert is_ready(check_readiness(audit, template, TODAY))
    sign_offs = [SignOff(role=SignOffRole.DSL, name="Sam Example", statement="I confirm.", signed_at=datetime.now(UTC))]
    audit.sign_off = sign_offs
    envelope = build_envelope(audit, template, device_key_id=key.key_id, signed_at=datetime.now(UTC))
    data = canonical_bytes(envelope)
    signature = sign_canonical(key, envelope)
    service.store.finalise(audit_id, sign_offs, uuid.UUID(envelope["submission_id"]), data, signature)


def floor(path: Path, data: bytes) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, body BLOB)")
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        db.execute("BEGIN")
        db.execute("INSERT INTO t VALUES (?, ?)", (str(uuid.uuid4()), data))
        db.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    db.close()
    return statistics.median(samples)


def main() -> None:
    key = SigningKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "audit.sqlite3")
        samples, size = [], 0
        for _ in range(RUNS):
            service, template, audit_id = prepared(store)
            start = time.perf_counter()
            finalise(service, template, audit_id, key)
            samples.append(time.perf_counter() - start)
            size = len(store.outbox_items()[-1].envelope)
        store.close()
        base = floor(Path(folder) / "floor.sqlite3", b"x" * size)
    took = statistics.median(samples)
    print(f"envelope: {size / 1024:.0f} KiB")
    print(f"finalise a full audit: {took * 1000:.1f} ms (target well under 100 ms)")
    print(f"floor (one raw commit of the same bytes): {base * 1000:.1f} ms")
    print(f"ratio: {took / base:.1f}x the floor")


if __name__ == "__main__":
    main()
