"""Dated steering snapshots on the demo county: the figures move only when a snapshot is taken,
and the snapshot after one school's return shows nothing of that return."""

from __future__ import annotations

import pytest

from school_audit.collector.aggregate import snapshots
from school_audit.collector.aggregate.common import cycle_template
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.demo.seed import CURRENT
from school_audit.collector.keys import ensure_key_file
from tests.collector_la.demo_world import seed_world
from tests.collector_web import seeding


@pytest.fixture
def county(tmp_path, database_url):
    world = seed_world(tmp_path, database_url)
    key, _ = ensure_key_file(tmp_path / "collector-key")
    with world.database.read() as session:
        template = cycle_template(session, CURRENT, "school")
    yield world.database, key, template
    world.database.dispose()


def send(database, key, template, urn, district, rating="not_met"):
    school = seeding.add_school(database, urn, f"School {urn}", "primary", district)
    ratings = {s: rating for s in seeding.applicable_ratings(template, "primary")}
    return seeding.submit(database, key, school, seeding.envelope_for(school, template, ratings))


def families(view):
    yield ("completeness", ""), view.completeness
    for standard in view.standards:
        yield ("standard", standard.standard_id), standard.tables
    for section in view.sections:
        yield ("section", section.section_id), section.tables


def shown_cells(view):
    cells = {}
    for family, tables in families(view):
        for dimension, table in tables.items():
            for row in [*table.rows, table.total]:
                if not row.suppressed:
                    cells[(family, dimension, row.group)] = (row.settings, row.counts)
    return cells


def test_the_first_snapshot_is_the_steering_view(county):
    database, _, _ = county
    with database.write() as session:
        first = snapshots.take(session, CURRENT, "school", "test")
        live = steering_view(session, CURRENT, "school")
    assert first.view.completeness == live.completeness
    # Standards: the same, except that a total hidden in one breakdown is hidden in all.
    for mine, theirs in zip(first.view.standards, live.standards, strict=True):
        for dimension, table in mine.tables.items():
            assert table.rows == theirs.tables[dimension].rows
    assert shown_cells(first.view)


def test_one_schools_return_shows_in_no_snapshot(county):
    """The attack: download the pack, let one school send, download again."""
    database, key, template = county
    with database.write() as session:
        before = snapshots.take(session, CURRENT, "school", "test")
    send(database, key, template, "990001", "Wychavon")
    rule = snapshots.SnapshotRule(after_returns=10)
    # Not due yet: the steering group still sees the same snapshot.
    assert snapshots.current_view(database, CURRENT, "school", rule).id == before.id
    with database.write() as session:
        after = snapshots.take(session, CURRENT, "school", "test", "by hand")
    old, new = shown_cells(before.view), shown_cells(after.view)
    both = set(old) & set(new)
    assert len(both) > len(old) // 2  # most of the figures are still shown
    moved = [cell for cell in both if old[cell] != new[cell]]
    # None has moved, except sections: their numbers add up the cells their standards show, so
    # they change when a standard's cell is hidden, by what the first snapshot showed.
    assert [cell for cell in moved if cell[0][0] != "section"] == []


def test_many_new_returns_move_the_figures(county):
    database, key, template = county
    with database.write() as session:
        before = snapshots.take(session, CURRENT, "school", "test")
    for number in range(12):
        send(database, key, template, f"99{number:04d}", ["Wychavon", "Redditch"][number % 2])
    rule = snapshots.SnapshotRule(after_returns=10)
    after = snapshots.current_view(database, CURRENT, "school", rule)
    assert after.id != before.id and after.taken_by == "automatic"
    old, new = shown_cells(before.view), shown_cells(after.view)
    moved = [cell for cell in set(old) & set(new) if old[cell] != new[cell]]
    assert moved  # twelve new returns do show, as groups of at least five
    with database.read() as session:
        assert [s.id for s in snapshots.listing(session, CURRENT)] == [before.id, after.id]
