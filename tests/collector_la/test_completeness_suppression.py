"""The completeness tables as the steering group gets them from a real collector database: a
county whose two smallest districts have returns but none accepted yet. Without rule 4 for this
family, the total less the visible districts said "0 accepted" of the hidden ones together, so of
each; the live view and the first snapshot now hide one more district instead."""

from __future__ import annotations

from datetime import date

from school_audit.collector.aggregate import snapshots
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import open_cycle
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.content import builtin_template
from school_audit.signing import SigningKey
from tests.collector_la.test_suppression import COMPLETENESS_MODEL, DIMENSIONS, one_view_leaks
from tests.collector_web import seeding

TEMPLATE = builtin_template("school-s175", "2025-26.1")
STATUSES = ("first_accepted", "first", "not_returned")  # as `test_suppression.STATUSES` names them
# District: (returns accepted, returns not yet reviewed, schools that have not returned).
COUNTY = {
    "Redditch": (0, 3, 7),
    "Wychavon": (0, 4, 6),
    "Worcester": (6, 4, 0),
    "Malvern Hills": (5, 5, 0),
}


def _county(database) -> list[tuple[str, str]]:
    """The schools of `COUNTY`, sent and reviewed through the real ingest and review code:
    (district, status as `test_suppression.STATUSES` names it) for each."""
    with database.write() as session:
        publish_template(session, TEMPLATE, cycle=TEMPLATE.cycle)
        open_cycle(session, TEMPLATE.cycle, [(TEMPLATE.id, TEMPLATE.version)],
                   date(2099, 1, 1), date(2099, 2, 1), "test")  # fmt: skip
    key = SigningKey.generate()
    ratings = seeding.applicable_ratings(TEMPLATE, "primary")
    schools, number = [], 0
    for district, counts in COUNTY.items():
        for status, how_many in zip(STATUSES, counts, strict=True):
            for _ in range(how_many):
                number += 1
                school = seeding.add_school(database, f"88{number:04d}", f"School {number}",
                                            "primary", district)  # fmt: skip
                if status != "not_returned":
                    envelope = seeding.envelope_for(school, TEMPLATE, ratings)
                    sent = seeding.submit(database, key, school, envelope)
                    if status == "first_accepted":
                        record_review(database, sent, "officer", ReviewInput("accepted", "", {}))
                schools.append((district, status))
    return schools


def _records(tables, schools):
    """The schools as the model of `test_suppression` takes them: every breakdown but district
    has one row here (one phase, one type...), named as the tables name it."""
    only = {}
    for dimension in DIMENSIONS:
        if dimension != "district":
            (row,) = tables[dimension].rows
            only[dimension] = row.group
    return [
        tuple(district if d == "district" else only[d] for d in DIMENSIONS) + (status,)
        for district, status in schools
    ]


def test_no_completeness_figure_of_a_hidden_district_can_be_worked_out(database):
    schools = _county(database)
    with database.write() as session:
        live = steering_view(session, TEMPLATE.cycle, "school")
        first = snapshots.take(session, TEMPLATE.cycle, "school", "test")
    for view in (live, first.view):
        tables = view.completeness
        district = {row.group: row for row in tables["district"].rows}
        assert district["Redditch"].suppressed and district["Wychavon"].suppressed
        assert not tables["district"].total.suppressed  # the totals stay shown
        assert tables["district"].total.counts["accepted"] == 11
        assert one_view_leaks(_records(tables, schools), tables, COMPLETENESS_MODEL) == []
        assert len(tables["district"].hidden_groups) == 3  # one district more than the two small
