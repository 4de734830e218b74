"""Every aggregate reads a return in the ids of its cycle's template, whichever edition it
answered (aggregate/editions.py): risk triage, support needs, the drill-down lists, the scan
that checks the kept counts, and trends across cycles, with a 2025-26.1 and a 2025-26.2 return
in one cycle, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

from school_audit.collector.aggregate.compliance import rating_counts, scanned_rating_counts
from school_audit.collector.aggregate.risk import risk_triage
from school_audit.collector.aggregate.themes import support_requests
from school_audit.collector.aggregate.trends import trends
from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import open_cycle
from school_audit.collector.db import Database
from school_audit.collector.review.settings_data import list_settings, read_query
from school_audit.content import builtin_template
from school_audit.domain.template import TemplateRef
from school_audit.signing import SigningKey
from tests.collector_web import seeding

OLD = builtin_template("school-s175", "2025-26.1")
NEW = builtin_template("school-s175", "2025-26.2")
CYCLE = "2025-26"


def _world(db_url: str) -> tuple[Database, dict[str, str]]:
    """A cycle on 2025-26.2 with one return on each edition.

    .1 -> .2: B11 was split into B11 and B13; C2 stopped being statutory (a deputy DSL is the
    school's choice). The .1 school did not meet B11 or C2; the .2 school did not meet B13."""
    database = Database(db_url)
    with database.write() as session:
        publish_template(session, OLD, cycle=CYCLE)
        publish_template(session, NEW, cycle=CYCLE)
        open_cycle(session, CYCLE, [(NEW.id, NEW.version)], date(2099, 1, 1), date(2099, 2, 1),
                   "test")  # fmt: skip
    key, urns = SigningKey.generate(), {}
    for urn, edition, weak in [
        ("830001", OLD, {"B11": "not_met", "C2": "not_met"}),
        ("830002", NEW, {"B13": "not_met"}),
    ]:
        school = seeding.add_school(database, urn, f"School {urn}", "primary")
        ratings = seeding.applicable_ratings(edition, "primary", **weak)
        seeding.submit(database, key, school, seeding.envelope_for(school, edition, ratings))
        urns[edition.version] = urn
    return database, urns


def test_risk_support_and_drill_down_read_both_editions_in_the_cycles_ids(db_url):
    database, urns = _world(db_url)
    old_school, new_school = urns["2025-26.1"], urns["2025-26.2"]
    with database.read() as session:
        risk = {entry.urn: entry for entry in risk_triage(session, CYCLE, date(2099, 1, 15))}
        needs = {n.standard_id: n.settings for n in support_requests(session, CYCLE, "school")}
        not_met_b13 = list_settings(
            session, read_query(CYCLE, {"standard": "B13", "rating": "not_met"})
        )
        support_b13 = list_settings(session, read_query(CYCLE, {"support": "B13"}))
        not_met_c2 = list_settings(
            session, read_query(CYCLE, {"standard": "C2", "rating": "not_met"})
        )
        kept = rating_counts(session, CYCLE, None)
        scanned = scanned_rating_counts(session, CYCLE, None)

    # The .1 school's B11 answer covers .2's B11 (statutory there); C2 is no longer statutory.
    flagged = [f for f in risk[old_school].flags if f.kind == "statutory_not_met"]
    assert [f.standard_ids for f in flagged] == [("B11",)]
    assert not any(f.kind == "statutory_not_met" for f in risk.get(new_school, _NoFlags()).flags)
    # Support asked on .1's B11 counts for both parts of the split, once per school.
    assert needs["B13"] == 2 and needs["B11"] == 1 and needs["C2"] == 1
    # The compliance page's link "not met on B13" lists both schools; C2 the .1 one.
    assert {row.urn for row in not_met_b13} == {old_school, new_school}
    assert {row.urn for row in support_b13} == {old_school, new_school}
    assert [row.urn for row in not_met_c2] == [old_school]
    # The scan that checks the kept counts translates as the kept counts do.
    assert scanned == kept
    assert kept[("", "B13")]["not_met"] == 2


def test_trends_follow_every_edition_between_the_cycles(db_url):
    """Last cycle on .1; this cycle on a .3 that follows .2 (which split B11 into B11 and B13)
    without `replaces` of its own: B13 still compares with last year's B11, through .2, and a
    return on .2 in this cycle moves from red to green in .3's ids."""
    third = dataclasses.replace(
        NEW, version="2025-26.3", previous=TemplateRef(id=NEW.id, version=NEW.version), replaces=[]
    )
    database = Database(db_url)
    before = "2024-25"
    with database.write() as session:
        publish_template(session, OLD, cycle=before)
        publish_template(session, NEW, cycle=CYCLE)
        publish_template(session, third, cycle=CYCLE)
        open_cycle(session, before, [(OLD.id, OLD.version)], date(2098, 1, 1), date(2098, 2, 1),
                   "test")  # fmt: skip
        open_cycle(session, CYCLE, [(third.id, third.version)], date(2099, 1, 1),
                   date(2099, 2, 1), "test")  # fmt: skip
    key = SigningKey.generate()
    school = seeding.add_school(database, "830010", "School Trend", "primary")
    ratings = seeding.applicable_ratings(OLD, "primary", B11="not_met")
    last = seeding.envelope_for(school, OLD, ratings)
    last["cycle"] = before
    seeding.submit(database, key, school, last)
    ratings = seeding.applicable_ratings(NEW, "primary", B11="met", B13="met")
    seeding.submit(database, key, school, seeding.envelope_for(school, NEW, ratings))

    with database.read() as session:
        assert rating_counts(session, CYCLE, None)[("", "B13")] == {"met": 1}  # counted
        report = trends(session, CYCLE, "school")
    rows = {row.standard_id: row for row in report.rows}
    assert rows["B13"].mapping == "split" and rows["B13"].previous_ids == ("B11",)
    assert rows["B13"].previous.not_met == 1 and rows["B13"].current.met == 1
    assert rows["B11"].red_to_green == 1 and rows["B13"].red_to_green == 1
    assert rows["A1"].mapping == "same" and rows["A1"].previous.met == 1
    assert rows["C2"].previous is not None  # kept its id: compares with last year's C2


class _NoFlags:
    flags: list = []


def test_the_returns_export_fills_the_cycles_columns_from_either_edition(db_url):
    import csv
    import io

    from school_audit.collector.exports.tables import export_returns

    database, urns = _world(db_url)
    with database.write() as session:
        result = export_returns(session, CYCLE, "csv", "officer", setting_type="school")
    rows = {row["URN"]: row for row in csv.DictReader(io.StringIO(result.content.decode("utf-8-sig")))}
    old, new = rows[urns["2025-26.1"]], rows[urns["2025-26.2"]]
    # .1 answered B11 "not met" before the split: it fills .2's B11 and B13 columns.
    assert old["B11"] == old["B13"] == new["B13"] == "Not met"
