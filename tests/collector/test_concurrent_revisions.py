"""Returns of one school arriving at the same moment, on a real PostgreSQL with two "workers"
(two engines, as two uvicorn processes would have) and eight threads: afterwards exactly one
return per school counts, the returns export has one row per school, and no kept count (answers,
returns, the overview's completeness) lost an update.

Before `current_returns` the check for the earlier revision and the action on it took no lock,
so revisions n and n+1 racing both stayed current.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from school_audit.collector.aggregate import kept
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.overview import overview, scanned_overview
from school_audit.collector.db import Database
from school_audit.collector.db.tables import Answer, Submission
from school_audit.collector.exports.tables import export_returns
from school_audit.collector.ingest.service import Ingestor
from school_audit.collector.keys import ensure_key_file
from school_audit.domain.canonical import canonical_bytes
from tests.collector.factories import mini_template
from tests.collector_web import seeding
from tests.pg_server import empty_collector_tables

SCHOOLS = 16
pytestmark = pytest.mark.postgres


@pytest.fixture
def workers(pg_collector_url, tmp_path):
    empty_collector_tables(pg_collector_url)
    key, _ = ensure_key_file(tmp_path / "collector.key")
    databases = [Database(pg_collector_url), Database(pg_collector_url)]
    yield databases, [Ingestor(database, key) for database in databases]
    for database in databases:
        database.dispose()


def _race(ingestors, pairs) -> None:
    """Each pair's two returns are sent at the same moment, by the two workers."""

    def send(index: int, school, envelope, barrier: threading.Barrier) -> None:
        signature = school.key.sign(canonical_bytes(envelope))
        barrier.wait(timeout=30)
        ingestors[index % 2].ingest(envelope, signature, school.device)

    jobs = []
    for school, envelopes in pairs:
        barrier = threading.Barrier(len(envelopes))
        jobs += [(i, school, envelope, barrier) for i, envelope in enumerate(envelopes)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(send, *job) for job in jobs]:
            future.result()


def _schools(database, template):
    seeding.publish(database, template)
    return [seeding.add_school(database, f"70{n:04d}", f"School {n}") for n in range(SCHOOLS)]


def _counted_per_school(database) -> dict[str, int]:
    with database.read() as session:
        query = (
            select(Answer.urn, func.count(func.distinct(Answer.submission_id)))
            .where(Answer.current)
            .group_by(Answer.urn)
        )
        return dict(session.execute(query).all())


def _statuses(database) -> list[str]:
    with database.read() as session:
        return sorted(session.scalars(select(Submission.status)))


def test_racing_revisions_leave_exactly_one_current_return_per_school(workers):
    databases, ingestors = workers
    template = mini_template()
    schools = _schools(databases[0], template)
    pairs, later = [], set()
    for school in schools:
        first = seeding.envelope_for(school, template, seeding.ALL_MET)
        second = seeding.envelope_for(school, template, seeding.ALL_MET, revision=2,
                                      audit_id=first["audit_id"],
                                      supersedes=first["submission_id"])  # fmt: skip
        pairs.append((school, [first, second]))
        later.add(second["submission_id"])
    _race(ingestors, pairs)
    assert _counted_per_school(databases[0]) == {s.urn: 1 for s in schools}
    assert _statuses(databases[0]) == ["received"] * SCHOOLS + ["superseded"] * SCHOOLS
    with databases[1].read() as session:
        counted = set(session.scalars(select(Answer.submission_id).where(Answer.current)))
    assert counted == later  # revision 2 counts, whichever arrived first
    with databases[0].write() as session:
        assert compliance(session, template.cycle).returns == SCHOOLS
        assert export_returns(session, template.cycle, "csv", "test").rows == SCHOOLS
        assert kept.all_differences(session.connection()) == []  # no kept count lost an update
        totals = overview(session, template.cycle).totals
        assert (totals.expected, totals.received, totals.quarantined) == (SCHOOLS, SCHOOLS, 0)


def test_racing_audits_from_two_pcs_count_once_and_keep_the_other(workers):
    databases, ingestors = workers
    template = mini_template()
    schools = _schools(databases[0], template)
    pairs = [
        (school, [seeding.envelope_for(school, template, seeding.ALL_MET) for _ in range(2)])
        for school in schools
    ]
    _race(ingestors, pairs)
    assert _counted_per_school(databases[0]) == {s.urn: 1 for s in schools}
    assert _statuses(databases[0]) == ["quarantined"] * SCHOOLS + ["received"] * SCHOOLS
    with databases[0].read() as session:
        assert compliance(session, template.cycle).returns == SCHOOLS
        assert kept.all_differences(session.connection()) == []
        totals = overview(session, template.cycle).totals  # each school once, one waiting
        assert (totals.received, totals.quarantined) == (SCHOOLS, SCHOOLS)
        assert overview(session, template.cycle) == scanned_overview(session, template.cycle)
