"""Group commit: work queued while the writer is busy shares one transaction, each piece in its
own savepoint; nobody gets a result unless the commit that holds it succeeded."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.db import Database
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.ingest.group_commit import GroupCommit


def _log(target: str) -> Callable[[Session], str]:
    def work(session: Session) -> str:
        session.add(AuditLogEntry(actor="test", action="group", target=target))
        session.flush()
        return target

    return work


def _failing(session: Session) -> str:
    session.add(AuditLogEntry(actor="test", action="group", target="undone"))
    session.flush()
    raise LookupError("this return is refused")


def _targets(database: Database) -> list[str]:
    with database.read() as session:
        return sorted(session.scalars(select(AuditLogEntry.target)))


def _run_as_one_batch(
    commits: GroupCommit[str], works: list[Callable[[Session], str]]
) -> list[object]:
    """Hold the writer while every thread queues, so one of them writes all the work at once."""
    outcomes: list[object] = [None] * len(works)

    def call(index: int) -> None:
        try:
            outcomes[index] = commits.run(works[index])
        except Exception as error:  # noqa: BLE001 - the outcome is asserted by the test
            outcomes[index] = error

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(works))]
    with commits._leader:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(commits._queue) < len(works) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(commits._queue) == len(works)
    for thread in threads:
        thread.join(10)
    return outcomes


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def test_a_failing_piece_of_work_undoes_only_itself(database: Database) -> None:
    commits: GroupCommit[str] = GroupCommit(database, shared=True)
    outcomes = _run_as_one_batch(commits, [_log("a"), _failing, _log("b")])
    assert outcomes[0] == "a" and outcomes[2] == "b"
    assert isinstance(outcomes[1], LookupError)
    assert _targets(database) == ["a", "b"]


def test_a_failed_commit_gives_every_caller_the_error_and_stores_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = database.write

    @contextmanager
    def write_then_fail() -> Iterator[Session]:
        with real_write() as session:
            yield session
            raise OSError("disk full")  # before the commit: the transaction rolls back

    monkeypatch.setattr(database, "write", write_then_fail)
    commits: GroupCommit[str] = GroupCommit(database, shared=True)
    outcomes = _run_as_one_batch(commits, [_log("a"), _log("b")])
    assert all(isinstance(o, OSError) for o in outcomes)
    monkeypatch.undo()
    assert _targets(database) == []


def test_many_threads_each_get_their_own_result(database: Database) -> None:
    commits: GroupCommit[str] = GroupCommit(database, max_batch=4, shared=True)
    results: dict[int, str] = {}

    def call(n: int) -> None:
        for i in range(5):
            results[n * 10 + i] = commits.run(_log(f"{n}-{i}"))

    threads = [threading.Thread(target=call, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == {n * 10 + i: f"{n}-{i}" for n in range(6) for i in range(5)}
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditLogEntry)) == 30


def _shared_ingestor(world):
    from school_audit.collector.ingest import Ingestor
    from school_audit.collector.keys import ensure_key_file

    ingestor = Ingestor(world.database, ensure_key_file(world.settings.resolved_key_file)[0])
    ingestor._commits.shared = True  # on PostgreSQL too
    return ingestor


def _ingest_as_one_batch(ingestor, uploads: list[tuple[object, dict]]) -> list[object]:
    """Each (identity, body) ingested from its own thread, queued in this order while the
    writer is held, so that all of them share one transaction."""
    from school_audit.collector.ingest import IngestRejected

    outcomes: list[object] = [None] * len(uploads)

    def call(index: int) -> None:
        identity, upload = uploads[index]
        try:
            outcomes[index] = ingestor.ingest(upload["envelope"], upload["signature"], identity)
        except IngestRejected as refusal:
            outcomes[index] = refusal

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(uploads))]
    with ingestor._commits._leader:
        for queued, thread in enumerate(threads, start=1):  # one at a time: a known order
            thread.start()
            deadline = time.monotonic() + 10
            while len(ingestor._commits._queue) < queued and time.monotonic() < deadline:
                time.sleep(0.005)
            assert len(ingestor._commits._queue) == queued
    for thread in threads:
        thread.join(10)
    return outcomes


def _identity(world, device):
    from school_audit.collector.devices import authenticate

    with world.database.read() as session:
        return authenticate(session, device.token)


def test_identical_and_conflicting_returns_in_one_batch(world, device) -> None:
    """Idempotency holds inside one shared transaction: the first copy is stored, identical
    copies get its receipt, a different return with the same submission_id gets 409."""
    from school_audit.collector.db.tables import Answer, Submission
    from school_audit.collector.ingest import IngestRejected

    ingestor = _shared_ingestor(world)
    identity = _identity(world, device)
    body = device.body(world.template)
    changed = device.resign(body["envelope"], cycle="2024-25")
    outcomes = _ingest_as_one_batch(ingestor, [(identity, b) for b in (body, body, changed, body)])

    stored = [o for i, o in enumerate(outcomes) if i != 2]
    assert [o.created for o in stored] == [True, False, False]
    assert len({repr(o.receipt) for o in stored}) == 1
    assert isinstance(outcomes[2], IngestRejected) and outcomes[2].status == 409
    with world.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        answers = session.scalar(select(func.count()).select_from(Answer))
        assert answers == len(body["envelope"]["responses"])


def test_kept_counts_of_returns_sharing_one_transaction(world, device, other_device) -> None:
    """The kept-count changes of every return in a shared transaction are written together
    once, before the commit: the counts equal a recount from the answer rows, also when a
    later revision in the same batch replaces an earlier one."""
    import uuid

    from school_audit.collector.aggregate import kept
    from school_audit.collector.db.tables import KeptReturnCount, Submission

    ingestor = _shared_ingestor(world)
    mine, theirs = _identity(world, device), _identity(world, other_device)
    first = device.body(world.template)
    later = device.resign(first["envelope"], revision=2, submission_id=str(uuid.uuid4()),
                          supersedes=first["envelope"]["submission_id"])  # fmt: skip
    other = other_device.body(world.template)
    outcomes = _ingest_as_one_batch(ingestor, [(mine, first), (theirs, other), (mine, later)])

    assert [o.receipt["status"] for o in outcomes] == ["received"] * 3
    with world.database.read() as session:
        statuses = dict(session.execute(select(Submission.submission_id, Submission.status)).all())
        assert statuses[first["envelope"]["submission_id"]] == "superseded"
        connection = session.connection()
        assert kept.differences(connection) == []
        overall = select(func.sum(KeptReturnCount.n)).where(KeptReturnCount.dimension == "")
        assert connection.scalar(overall) == 2  # two schools count, once each


def test_commits_are_shared_on_sqlite_only(database: Database) -> None:
    # PostgreSQL shares WAL flushes between concurrent transactions by itself.
    assert GroupCommit(database).shared is database.sqlite
    commits: GroupCommit[str] = GroupCommit(database)
    assert commits.run(_log("alone")) == "alone"
    assert _targets(database) == ["alone"]
