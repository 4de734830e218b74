"""Checking the store: every kept envelope still hashes to its recorded SHA-256 and still carries
a valid signature from the device that sent it.

A row edited in the database (an answer "corrected" by hand, a flipped bit on disk) shows up here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from school_audit.collector.db import Database
from school_audit.collector.db.tables import Device, Submission
from school_audit.signing import SignatureInvalid, verify


@dataclass(frozen=True)
class StoreProblem:
    submission_id: str
    problem: str  # hash_mismatch | signature_invalid | device_unknown

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.problem}"


@dataclass
class StoreReport:
    checked: int
    problems: list[StoreProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_store(database: Database, batch: int = 500) -> StoreReport:
    keys = _device_keys(database)
    problems: list[StoreProblem] = []
    checked = 0
    for submission_id, envelope, recorded, signature, key_id in _rows(database, batch):
        checked += 1
        problem = _check(envelope, recorded, signature, keys.get(key_id))
        if problem:
            problems.append(StoreProblem(submission_id, problem))
    return StoreReport(checked, problems)


def _check(envelope: bytes, recorded: str, signature: str, public_key: str | None) -> str | None:
    if hashlib.sha256(envelope).hexdigest() != recorded:
        return "hash_mismatch"
    if public_key is None:
        return "device_unknown"
    try:
        verify(public_key, envelope, signature)
    except SignatureInvalid:
        return "signature_invalid"
    return None


def _device_keys(database: Database) -> dict[str, str]:
    with database.read() as session:
        return dict(session.execute(select(Device.device_key_id, Device.public_key)).all())


def _rows(database: Database, batch: int) -> Iterator[tuple[str, bytes, str, str, str]]:
    """Every stored envelope in submission_id order, a batch at a time (bounded memory)."""
    columns = (
        Submission.submission_id,
        Submission.envelope,
        Submission.envelope_sha256,
        Submission.signature,
        Submission.device_key_id,
    )
    after = ""
    while True:
        with database.read() as session:
            rows = session.execute(
                select(*columns)
                .where(Submission.submission_id > after)
                .order_by(Submission.submission_id)
                .limit(batch)
            ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1][0]
