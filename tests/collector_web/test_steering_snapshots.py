"""What the steering role sees comes from dated snapshots: the page, the aggregate export and the
PDF pack do not move when one school sends, and move together when a snapshot is due."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from school_audit.collector.db.tables import SteeringSnapshot
from tests.collector_web import seeding

DISTRICTS = ("Redditch", "Wychavon")


@pytest.fixture
def county(app, mini_template_loaded):
    """Twelve schools in two districts with returns: enough for figures to be shown."""
    seeding.publish(app.state.database, mini_template_loaded)
    for number in range(12):
        send(app, mini_template_loaded, number, "met" if number % 3 else "partially_met")
    return mini_template_loaded


def send(app, template, number: int, rating: str = "met") -> None:
    database, key = app.state.database, app.state.collector_key
    school = seeding.add_school(
        database, f"{200000 + number}", f"School {number}", "primary", DISTRICTS[number % 2]
    )
    ratings = {standard: rating for standard in seeding.ALL_MET}
    seeding.submit(database, key, school, seeding.envelope_for(school, template, ratings))


def snapshots_taken(app) -> int:
    with app.state.database.read() as session:
        return session.scalar(select(func.count()).select_from(SteeringSnapshot))


def test_one_schools_return_moves_nothing_the_steering_group_downloads(app, as_role, county):
    steering = as_role("steering")
    page = steering.get("/steering")
    assert "Figures as of" in page.text
    csv_before = steering.get("/exports/aggregates.csv").content
    assert b"completeness by district,Redditch,6,Received,6" in csv_before  # real figures
    send(app, county, 50, "not_met")
    assert steering.get("/exports/aggregates.csv").content == csv_before
    assert steering.get("/steering").text.count("not_met") == page.text.count("not_met")
    assert snapshots_taken(app) == 1


def test_a_due_snapshot_moves_page_export_and_pack_together(app, as_role, county):
    app.state.settings = app.state.settings.model_copy(update={"snapshot_after_returns": 5})
    steering = as_role("steering")
    csv_before = steering.get("/exports/aggregates.csv").content
    for number in range(50, 56):
        send(app, county, number, "not_met")
    assert steering.get("/exports/steering-pack.pdf").status_code == 200  # takes the new one
    assert snapshots_taken(app) == 2
    assert steering.get("/exports/aggregates.csv").content != csv_before
    assert snapshots_taken(app) == 2
    with app.state.database.read() as session:
        taken_by = session.scalars(select(SteeringSnapshot.taken_by)).all()
    assert taken_by == ["automatic", "automatic"]
