"""Kept counts (aggregate/kept.py, kept_status.py): for random sequences of ingest,
supersession, quarantine, release, review, exemption, deadline and register changes (trust,
type, size, district, closure) the answer, return and completeness counts equal the counts
recomputed from the rows; `check --aggregates` finds a count broken on purpose and
`rebuild-aggregates` repairs it."""

from __future__ import annotations

import contextlib
import random
import shutil
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from school_audit.collector.aggregate import kept
from school_audit.collector.aggregate.common import DIMENSIONS
from school_audit.collector.aggregate.compliance import (
    rating_counts,
    returns_by_group,
    scanned_rating_counts,
    scanned_returns_by_group,
)
from school_audit.collector.aggregate.overview import overview, scanned_overview
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.aggregate.suppression import THRESHOLD
from school_audit.collector.cli.main import main
from school_audit.collector.cycles import exempt, lift_exemption, open_cycle
from school_audit.collector.db import Database
from school_audit.collector.db.tables import (
    CurrentReturn,
    Establishment,
    KeptAnswerCount,
    KeptCompletenessCount,
    Submission,
)
from school_audit.collector.ingest import current
from school_audit.collector.ingest.service import Ingestor
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import SigningKey
from tests.collector.factories import mini_template
from tests.collector_web import seeding

TEMPLATE = mini_template()
CYCLE = TEMPLATE.cycle
RATED = ("met", "partially_met", "not_met")
STEPS = ("new_audit", "next_revision", "broken", "release", "register", "revision_late",
         "district", "closure", "exempt", "review", "deadlines")  # fmt: skip
DEADLINES = [(date(2099, 1, 1), date(2099, 2, 1)), (date(2020, 1, 1), date(2020, 2, 1)),
             (date(2020, 1, 1), date(2099, 2, 1))]  # fmt: skip


def _collector(template_file, folder) -> tuple[Database, dict[str, seeding.School]]:
    path = folder / "collector.sqlite3"
    shutil.copyfile(template_file, path)
    return _collector_at(f"sqlite:///{path}")


def _collector_at(url: str) -> tuple[Database, dict[str, seeding.School]]:
    database = Database(url)
    seeding.publish(database, TEMPLATE, date(2099, 1, 1), date(2099, 2, 1))
    schools = {}
    for n in range(7):
        urn = f"81{n:04d}"
        schools[urn] = seeding.add_school(database, urn, f"School {urn}",
                                          ("first", "primary")[n % 2],
                                          ("Redditch", "Malvern")[n % 3 == 0])  # fmt: skip
    return database, schools


class County:
    """Sends returns and makes register changes at random, as schools and the LA would."""

    def __init__(self, database: Database, schools: dict[str, seeding.School], rng) -> None:
        self.database, self.schools, self.rng = database, schools, rng
        self.ingestor = Ingestor(database, SigningKey.generate())
        self.audits: dict[str, list[dict]] = {}  # urn -> envelopes sent for its newest audit
        self.held_back: list[tuple[seeding.School, dict]] = []

    def step(self, kind: str) -> None:
        urn = self.rng.choice(sorted(self.schools))
        school = self.schools[urn]
        if kind == "release":
            return self._release()
        if kind == "register":
            return self._register_change(urn)
        if kind in ("district", "closure"):
            return self._register_edit(urn, kind)
        if kind == "exempt":
            return self._exempt(urn)
        if kind == "review":
            return self._review()
        if kind == "deadlines":
            first, final = self.rng.choice(DEADLINES)
            with self.database.write() as session:
                open_cycle(session, CYCLE, [(TEMPLATE.id, TEMPLATE.version)], first, final, "t")
            return None
        if kind == "revision_late" and self.held_back:
            return self._send(*self.held_back.pop(0))
        sent = self.audits.get(urn)
        ratings = {sid: self.rng.choice(RATED)
                   for sid in seeding.applicable_ratings(TEMPLATE, school.phase)}  # fmt: skip
        if kind in ("next_revision", "revision_late") and sent:
            last = sent[-1]
            envelope = seeding.envelope_for(school, TEMPLATE, ratings,
                                            revision=last["revision"] + 1,
                                            audit_id=last["audit_id"],
                                            supersedes=last["submission_id"])  # fmt: skip
        else:
            envelope = seeding.envelope_for(school, TEMPLATE, ratings)
        if kind == "broken":
            envelope["responses"].append(dict(envelope["responses"][0]))
        self.audits.setdefault(urn, []).append(envelope)
        if kind == "revision_late" and self.rng.random() < 0.5:
            self.held_back.append((school, envelope))  # arrives after the next one
            return None
        return self._send(school, envelope)

    def _send(self, school: seeding.School, envelope: dict) -> None:
        signature = school.key.sign(canonical_bytes(envelope))
        self.ingestor.ingest(envelope, signature, school.device)

    def _release(self) -> None:
        with self.database.read() as session:
            waiting = session.scalars(
                select(Submission.submission_id).where(Submission.status == "quarantined")
            ).all()
        # Refused for an earlier revision of an audit that counts: then nothing changes.
        if waiting:
            with contextlib.suppress(current.ReleaseRefused):
                current.release_return(self.database, self.rng.choice(sorted(waiting)), "o")

    def _register_change(self, urn: str) -> None:
        """What a GIAS import can change, then what `apply_register` does after it (regroup)."""
        change = self.rng.choice([
            {"trust_name": self.rng.choice([None, "Trust A", "Trust B"])},
            {"type_group": self.rng.choice(["academy", "maintained"])},
            {"pupils": self.rng.choice([None, 40, 300, 900])},
        ])  # fmt: skip
        with self.database.write() as session:
            session.execute(update(Establishment).where(Establishment.urn == urn).values(change))
            kept.regroup(session.connection(), [urn])

    def _register_edit(self, urn: str, kind: str) -> None:
        """Through the ORM, as a register import writes: the counts follow at the commit."""
        with self.database.write() as session:
            school = session.get(Establishment, urn)
            if kind == "district":
                school.district = self.rng.choice([None, "Redditch", "Malvern", "Wyre Forest"])
            else:  # closes, or opens again
                school.status = "open" if school.status == "closed" else "closed"

    def _exempt(self, urn: str) -> None:
        with self.database.write() as session:
            if not lift_exemption(session, CYCLE, urn, "o"):
                exempt(session, CYCLE, urn, "Closing at Christmas", "o")

    def _review(self) -> None:
        with self.database.read() as session:
            counted = session.scalars(
                select(Submission.submission_id)
                .join(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
                .order_by(Submission.submission_id)
            ).all()
        if counted:
            decision = self.rng.choice(["accepted", "returned"])
            review = ReviewInput(decision, "Please add the training dates.", {})
            record_review(self.database, self.rng.choice(counted), "o", review)


def _assert_kept_equals_scanned(database: Database) -> None:
    with database.read() as session:
        assert kept.all_differences(session.connection()) == []
        for day in (date(2019, 6, 1), date(2020, 1, 15), date.today(), date(2099, 3, 1)):
            for kind in (None, "school", "early_years"):
                assert overview(session, CYCLE, day, kind) == scanned_overview(
                    session, CYCLE, day, kind
                )
        for dimension in (None, *DIMENSIONS):
            assert rating_counts(session, CYCLE, dimension) == scanned_rating_counts(
                session, CYCLE, dimension
            )
            assert returns_by_group(session, CYCLE, "school", dimension) == (
                scanned_returns_by_group(session, CYCLE, "school", dimension)
            )
        view = steering_view(session, CYCLE)
    tables = [*view.completeness.values()]
    tables += [t for s in view.standards + view.sections for t in s.tables.values()]
    for row in (row for table in tables for row in [*table.rows, table.total]):
        assert row.suppressed or row.settings in (0, None) or row.settings >= THRESHOLD


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), steps=st.lists(st.sampled_from(STEPS), max_size=30))
def test_kept_counts_equal_the_rows_after_any_sequence(
    seed, steps, sqlite_schema_file, tmp_path_factory
):
    database, schools = _collector(sqlite_schema_file, tmp_path_factory.mktemp("kept"))
    try:
        county = County(database, schools, random.Random(seed))
        for kind in steps:
            county.step(kind)
        _assert_kept_equals_scanned(database)
    finally:
        database.dispose()


def test_check_finds_a_broken_count_and_rebuild_repairs_it(sqlite_schema_file, tmp_path, capsys):
    database, schools = _collector(sqlite_schema_file, tmp_path)
    county = County(database, schools, random.Random(7))
    for kind in ("new_audit",) * 6 + ("next_revision", "register"):
        county.step(kind)
    url = str(database.engine.url)
    assert main(["--database-url", url, "check", "--aggregates"]) == 0
    assert "match" in capsys.readouterr().out
    with database.write() as session:
        row = session.scalars(select(KeptAnswerCount).where(KeptAnswerCount.n > 0)).first()
        row.n += 1  # a count gone wrong
        broken = f"answers {row.cycle}/{row.dimension}/{row.grp}/{row.standard_id}/{row.rating}"
    assert main(["--database-url", url, "check", "--aggregates"]) == 1
    out, err = capsys.readouterr()
    assert broken in out and "1 kept count(s) differ" in err
    assert main(["--database-url", url, "rebuild-aggregates"]) == 0
    assert main(["--database-url", url, "check", "--aggregates"]) == 0
    _assert_kept_equals_scanned(database)
    with database.write() as session:  # an overview count gone wrong
        table = KeptCompletenessCount
        row = session.scalars(select(table).where(table.dimension == "district")).first()
        row.received -= 1
        broken = f"completeness {row.cycle}/{row.setting_type}/district/{row.grp}"
    assert main(["--database-url", url, "check", "--aggregates"]) == 1
    out, err = capsys.readouterr()
    assert broken in out and "1 kept count(s) differ" in err
    assert main(["--database-url", url, "rebuild-aggregates"]) == 0
    assert main(["--database-url", url, "check", "--aggregates"]) == 0
    _assert_kept_equals_scanned(database)
    database.dispose()


def test_a_register_import_moves_a_schools_contribution(sqlite_schema_file, tmp_path):
    """Without `regroup` the trust breakdown would still count the school under its old trust."""
    database, schools = _collector(sqlite_schema_file, tmp_path)
    county = County(database, schools, random.Random(3))
    for _ in range(5):
        county.step("new_audit")
    with database.write() as session:
        session.execute(update(Establishment).values(trust_name="Trust Z"))
        assert kept.differences(session.connection())  # stale until regrouped
        assert kept.regroup(session.connection()) > 0
    _assert_kept_equals_scanned(database)
    with database.read() as session:
        assert set(returns_by_group(session, CYCLE, "school", "trust")) == {"Trust Z"}
    database.dispose()


def test_a_gias_import_moves_the_school_in_the_kept_counts(sqlite_schema_file, tmp_path):
    from school_audit.collector.register import apply_register, parse_gias
    from school_audit.collector.register.samples import gias_csv
    from tests.collector_la.gias_rows import gias_row

    database, schools = _collector(sqlite_schema_file, tmp_path)
    county = County(database, schools, random.Random(5))
    for _ in range(6):
        county.step("new_audit")
    with database.read() as session:
        counted = session.scalars(select(Submission.urn).where(Submission.status == "received"))
        urn = sorted(counted)[0]
    row = gias_row(urn, f"School {urn}", **{"Trusts (name)": "Trust G", "Trusts (code)": "16"})
    with database.write() as session:
        apply_register(session, parse_gias(gias_csv([row]), "885"), "gias", "admin", "885")
    _assert_kept_equals_scanned(database)
    with database.read() as session:
        assert returns_by_group(session, CYCLE, "school", "trust").get("Trust G") == 1
    database.dispose()


def _answer_counts(database: Database) -> set[tuple]:
    t = KeptAnswerCount
    with database.read() as session:
        query = select(t.cycle, t.dimension, t.grp, t.standard_id, t.rating, t.n).where(t.n != 0)
        return set(session.execute(query).all())


def test_rebuild_and_check_in_set_based_sql_on_sqlite_and_postgresql(db_url, capsys):
    """The rebuild's INSERT ... SELECT ... GROUP BY gives what ingest kept, on both databases;
    a broken completeness count is found and repaired there too."""
    database, schools = _collector_at(db_url)
    county = County(database, schools, random.Random(11))
    steps = ["new_audit"] * 6 + ["next_revision", "broken", "register", "district", "closure",
                                 "exempt", "review", "release", "deadlines", "new_audit"]  # fmt: skip
    for kind in steps:
        county.step(kind)
    _assert_kept_equals_scanned(database)
    before = _answer_counts(database)
    assert main(["--database-url", db_url, "rebuild-aggregates"]) == 0
    assert main(["--database-url", db_url, "check", "--aggregates"]) == 0
    assert _answer_counts(database) == before and before  # as ingest had kept them
    _assert_kept_equals_scanned(database)
    with database.write() as session:
        row = session.scalars(select(KeptCompletenessCount)).first()
        row.expected += 2
    assert main(["--database-url", db_url, "check", "--aggregates"]) == 1
    assert "completeness" in capsys.readouterr().out
    assert main(["--database-url", db_url, "rebuild-aggregates"]) == 0
    _assert_kept_equals_scanned(database)
    database.dispose()
