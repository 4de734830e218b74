"""One current return per establishment and cycle (ingest.current), on SQLite and PostgreSQL:
duplicates of another audit are kept but quarantined and not counted until released, and
`supersedes` only ever acts within one establishment and audit."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.cycles import open_cycle
from school_audit.collector.db.tables import Answer, AuditLogEntry, Submission
from tests.collector.factories import later_revision, sign

URL = "/api/v1/submissions"


def post(client, device, body) -> dict:
    response = client.post(URL, json=body, headers=device.headers)
    assert response.status_code == 201, response.text
    return response.json()["receipt"]


def status_of(world, submission_id: str) -> str:
    with world.database.read() as session:
        return session.get(Submission, submission_id).status


def counted(world) -> dict[tuple[str, str], str]:
    """(cycle, urn) -> the submission counted, by the answers' `current` flag (and, once the
    table exists, checked against `current_returns`)."""
    with world.database.read() as session:
        query = select(Answer.cycle, Answer.urn, Answer.submission_id).where(Answer.current)
        flagged = set(session.execute(query.distinct()))
        rows = {(cycle, urn): sid for cycle, urn, sid in flagged}
        assert len(rows) == len(flagged), "two returns of one school counted"
        from school_audit.collector.db.tables import CurrentReturn

        kept = {(r.cycle, r.urn): r.submission_id for r in session.scalars(select(CurrentReturn))}
    assert kept == rows
    return rows


def sid(body) -> str:
    return body["envelope"]["submission_id"]


@pytest.fixture
def opened(world):
    with world.database.write() as session:
        template = (world.template.id, world.template.version)
        open_cycle(session, world.template.cycle, [template], date(2026, 6, 1),
                   date(2026, 7, 1), "test")  # fmt: skip
    return world.template.cycle


def test_a_second_audit_is_kept_but_quarantined_naming_the_current_return(
    client, world, device, opened
):
    first, second = device.body(world.template), device.body(world.template)  # two PCs
    assert post(client, device, first)["status"] == "received"
    receipt = post(client, device, second)
    assert receipt["status"] == "quarantined"
    assert receipt["quarantine_reason"].startswith("duplicate_return:")
    assert sid(first) in receipt["quarantine_reason"]
    assert counted(world) == {(opened, device.urn): sid(first)}
    with world.database.read() as session:
        report = compliance(session, opened)
        assert report.returns == 1
        assert {s.counts.total for s in report.standards} <= {0, 1}  # one school, never two


def test_releasing_the_duplicate_makes_it_count_and_supersedes_the_other(
    client, world, device, opened
):
    first, second = device.body(world.template), device.body(world.template)
    post(client, device, first)
    post(client, device, second)
    from school_audit.collector.ingest import current

    with world.database.write() as session:
        assert current.release(session, sid(second), "officer") == sid(first)
    assert counted(world) == {(opened, device.urn): sid(second)}
    assert (status_of(world, sid(first)), status_of(world, sid(second))) == (
        "superseded",
        "received",
    )
    with world.database.read() as session:
        logged = session.scalars(select(AuditLogEntry.action)).all()
    assert "return_released" in logged
    with world.database.write() as session, pytest.raises(current.ReleaseRefused):
        current.release(session, sid(second), "officer")  # no longer quarantined


def test_a_content_quarantined_revision_leaves_the_earlier_one_counted(client, world, device):
    first = device.body(world.template)
    post(client, device, first)
    spoiled = later_revision(device, world.template, first)["envelope"]
    spoiled["signed_at"] = "2026-03-03T10:00:00"  # no offset: quarantined by the rules
    assert post(client, device, sign(spoiled, device.key))["status"] == "quarantined"
    assert set(counted(world).values()) == {sid(first)}
    assert status_of(world, sid(first)) == "received"


def test_a_later_revision_arriving_first_counts_and_the_earlier_is_superseded(
    client, world, device
):
    first = device.body(world.template)
    second = later_revision(device, world.template, first)
    assert post(client, device, second)["status"] == "received"  # the outbox moved on
    assert post(client, device, first)["status"] == "superseded"
    assert set(counted(world).values()) == {sid(second)}


def test_naming_another_schools_return_never_supersedes_it(client, world, device, other_device):
    """Both orders: B's return stored before A names it, and after (B's id is not secret)."""
    before = other_device.body(world.template)
    post(client, other_device, before)
    after = later_revision(other_device, world.template, before)  # not sent yet
    for victim in (before, after):
        attack = device.envelope(world.template)
        attack.update(revision=2, supersedes=sid(victim))
        post(client, device, sign(attack, device.key))
    assert status_of(world, sid(before)) == "received"
    assert post(client, other_device, after)["status"] == "received"
    assert sid(after) in counted(world).values()


def test_supersedes_naming_a_stored_return_of_another_audit_is_quarantined(client, world, device):
    first = device.body(world.template)
    post(client, device, first)
    other = device.envelope(world.template)  # another audit of the same school
    other.update(revision=2, supersedes=sid(first))
    receipt = post(client, device, sign(other, device.key))
    assert receipt["quarantine_reason"].startswith("supersedes_unknown")
    assert status_of(world, sid(first)) == "received"


def test_returns_of_one_school_in_two_cycles_each_count(client, world, device):
    first = device.body(world.template)
    post(client, device, first)
    envelope = device.envelope(world.template)
    envelope["cycle"] = "2026-27"  # quarantined (cycle_mismatch), never a duplicate of 2025-26
    receipt = post(client, device, sign(envelope, device.key))
    assert receipt["quarantine_reason"].startswith("cycle_mismatch")
    assert "duplicate_return" not in receipt["quarantine_reason"]
    assert len(counted(world)) == 1


def test_release_of_an_unknown_or_earlier_revision_is_refused(client, world, device):
    from school_audit.collector.ingest import current

    first = device.body(world.template)
    post(client, device, first)
    with world.database.write() as session, pytest.raises(current.ReleaseRefused):
        current.release(session, str(uuid.uuid4()), "officer")
    with world.database.write() as session, pytest.raises(current.ReleaseRefused):
        current.release(session, sid(first), "officer")  # it already counts


def test_migration_0008_brings_existing_duplicates_under_the_rule(tmp_path):
    """Data from before 0008: two counted returns of one school (two audits) and a revision
    pair both current. After the upgrade one return per school counts, the other audit's is
    quarantined naming it, and the earlier revision of that audit is superseded."""
    from fastapi.testclient import TestClient
    from sqlalchemy import text, update

    from school_audit.collector.db.migrate import migrate
    from tests.collector.factories import CollectorWorld, enrol_device

    world = CollectorWorld.create(tmp_path / "home")
    world.add_school("123456")
    with TestClient(world.app()) as client:
        device = enrol_device(client, world)
        first = device.body(world.template)
        revised = later_revision(device, world.template, first)
        other = device.body(world.template)
        for body in (first, revised, other):
            post(client, device, body)
    engine = world.database.engine
    migrate(engine, "0007", down=True)
    with world.database.write() as session:  # as the old code left a race or two PCs
        session.execute(update(Submission).values(status="received", quarantine_reason=None))
        session.execute(update(Answer).values(current=True))
        for order, body in enumerate((first, revised, other)):
            session.execute(
                text("UPDATE submissions SET received_at = :at WHERE submission_id = :sid"),
                {"at": f"2026-03-0{order + 1} 10:00:00.000000", "sid": sid(body)},
            )
    migrate(engine, "head")
    assert set(counted(world).values()) == {sid(other)}  # received last
    assert status_of(world, sid(first)) == "superseded"  # its audit has a later revision
    with world.database.read() as session:
        reason = session.get(Submission, sid(revised)).quarantine_reason
    assert status_of(world, sid(revised)) == "quarantined" and sid(other) in reason
    world.database.dispose()


def test_the_command_line_lists_and_releases_a_duplicate(client, world, device, db_url, capsys):
    from school_audit.collector.cli.main import main

    first, second = device.body(world.template), device.body(world.template)
    post(client, device, first)
    post(client, device, second)
    assert main(["--database-url", db_url, "returns", "quarantined"]) == 0
    listed = capsys.readouterr().out
    assert sid(second) in listed and "duplicate_return" in listed and sid(first) in listed
    assert main(["--database-url", db_url, "returns", "release", sid(second)]) == 0
    assert f"return {sid(first)} is now superseded" in capsys.readouterr().out
    assert set(counted(world).values()) == {sid(second)}
    assert main(["--database-url", db_url, "returns", "release", sid(second)]) == 1
    assert "Only a quarantined return can be released" in capsys.readouterr().err
    assert main(["--database-url", db_url, "returns", "release", "not-an-id"]) == 1


def test_a_return_answering_a_standard_twice_cannot_be_released(client, world, device):
    """Released, it would count one school twice on that standard."""
    from school_audit.collector.ingest import current

    envelope = device.envelope(world.template)
    envelope["responses"].append(dict(envelope["responses"][0]))
    assert post(client, device, sign(envelope, device.key))["status"] == "quarantined"
    with world.database.write() as session, pytest.raises(current.ReleaseRefused):
        current.release(session, envelope["submission_id"], "officer")
    assert counted(world) == {}
