"""Compliance across template editions (aggregate/editions.py): a cycle with returns on 2025-26.1
and 2025-26.2 counts each school once in the ids of the cycle's template, kept and recounted
alike, on SQLite and PostgreSQL, and the counts follow when the LA moves the cycle's edition."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from school_audit.collector.aggregate import kept
from school_audit.collector.aggregate.compliance import rating_counts
from school_audit.collector.db import Database
from school_audit.content import builtin_template
from school_audit.signing import SigningKey
from tests.collector_web import seeding

OLD = builtin_template("school-s175", "2025-26.1")
NEW = builtin_template("school-s175", "2025-26.2")
RATED = ("met", "partially_met", "not_met")


def _expected(answers: list[tuple[str, dict[str, str]]], cycle_on: str) -> Counter:
    """Each school once, in the cycle template's ids, worked out from the templates' text: a
    .1 answer to a split standard counts for each part; on a .1 cycle a .2 answer carries only
    where the id kept its meaning (not a part of a split)."""
    parts = {item.old[0]: item.new for item in NEW.replaces if item.kind.value == "split"}
    split_new = {new for news in parts.values() for new in news}
    new_ids, old_ids = {s.id for s in NEW.standards()}, {s.id for s in OLD.standards()}
    counts: Counter = Counter()
    for edition, ratings in answers:
        for sid, rating in ratings.items():
            if cycle_on == "2025-26.2" and edition == "2025-26.1":
                targets = parts.get(sid, [sid] if sid in new_ids else [])
            elif cycle_on == "2025-26.1" and edition == "2025-26.2":
                targets = [] if sid in split_new or sid not in old_ids else [sid]
            else:
                targets = [sid]
            for target in targets:
                counts[(target, rating)] += 1
    return counts


def _kept(database: Database) -> Counter:
    with database.read() as session:
        found = rating_counts(session, "2025-26", None)
    return Counter({(sid, r): n for (_, sid), c in found.items() for r, n in c.items() if n})


def test_both_editions_count_once_in_the_cycle_templates_ids(db_url):
    database = Database(db_url)
    seeding.publish(database, OLD, date(2099, 1, 1), date(2099, 2, 1))
    with database.write() as session:  # published for the cycle, which stays on .1 for now
        from school_audit.collector.catalog import publish_template

        publish_template(session, NEW, cycle="2025-26")
        from school_audit.collector.cycles import open_cycle

        open_cycle(session, "2025-26", [(OLD.id, OLD.version)], date(2099, 1, 1),
                   date(2099, 2, 1), "test")  # fmt: skip
    rng, sent = random.Random(7), []
    for n, edition in enumerate([OLD, OLD, NEW, OLD, NEW]):
        school = seeding.add_school(database, f"82{n:04d}", f"School {n}", "primary")
        ratings = {sid: rng.choice(RATED) for sid in seeding.applicable_ratings(edition, "primary")}
        ratings["B11"] = "not_met"  # the split standard: where the editions differ most
        seeding.submit(database, SigningKey.generate(), school,
                       seeding.envelope_for(school, edition, ratings))  # fmt: skip
        sent.append((edition.version, ratings))
    assert _kept(database) == _expected(sent, "2025-26.1")
    with database.read() as session:
        assert kept.differences(session.connection()) == []

    seeding.publish(database, NEW, date(2099, 1, 1), date(2099, 2, 1))  # the LA moves the cycle
    assert _kept(database) == _expected(sent, "2025-26.2")
    counted = _kept(database)
    assert sum(n for (sid, _), n in counted.items() if sid == "B13") == len(sent)
    assert counted[("B11", "not_met")] == len(sent)  # once per school, not twice for .1 ones
    with database.read() as session:
        assert kept.differences(session.connection()) == []
