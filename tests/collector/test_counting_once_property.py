"""Property: however many returns a school sends (two PCs, a reinstall, revisions out of order,
returns the rules quarantine), every figure equals the one computed from one return per school,
and the steering view never shows a group of fewer than five settings.

Each example ingests a random county's returns, in a random order, into one SQLite collector;
the oracle picks, independently of `current_returns`, the return the rule says counts (the first
audit of the school to arrive that breaks no rule, at its highest such revision) and ingests only
those into a second collector. The aggregates of the two must be identical.
"""

from __future__ import annotations

import copy
import random
import shutil
from dataclasses import dataclass
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from school_audit.collector.aggregate.common import DIMENSIONS
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.aggregate.suppression import THRESHOLD, SteeringTable
from school_audit.collector.aggregate.themes import support_requests, themes
from school_audit.collector.db import Database
from school_audit.collector.ingest.service import Ingestor
from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import SigningKey
from tests.collector.factories import mini_template
from tests.collector_web import seeding

TEMPLATE = mini_template()
RATED = ("met", "partially_met", "not_met")
PHASES = ("first", "primary")
DISTRICTS = ("Redditch", "Wychavon", "Malvern")


@dataclass
class Sent:
    urn: str
    envelope: dict[str, Any]
    valid: bool


def _county(rng: random.Random, schools: int) -> list[tuple[str, str, str]]:
    return [(f"80{n:04d}", rng.choice(PHASES), rng.choice(DISTRICTS)) for n in range(schools)]


def _returns(rng: random.Random, school: seeding.School) -> list[Sent]:
    """One to three audits, each with one to three revisions; some break a content rule."""
    sent = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        audit_id, previous = None, None
        for revision in range(1, rng.randint(1, 3) + 1):
            ratings = {sid: rng.choice(RATED)
                       for sid in seeding.applicable_ratings(TEMPLATE, school.phase)}  # fmt: skip
            envelope = seeding.envelope_for(school, TEMPLATE, ratings, revision=revision,
                                            audit_id=audit_id, supersedes=previous)  # fmt: skip
            audit_id, previous = envelope["audit_id"], envelope["submission_id"]
            valid = rng.random() > 0.2
            if not valid:  # answers one standard twice: kept, quarantined
                envelope["responses"].append(copy.deepcopy(envelope["responses"][0]))
            sent.append(Sent(school.urn, envelope, valid))
    return sent


def _the_one_that_counts(arrivals: list[Sent]) -> dict[str, Sent]:
    chosen: dict[str, Sent] = {}
    for item in arrivals:
        if not item.valid:
            continue
        held = chosen.get(item.urn)
        if held is None or (
            held.envelope["audit_id"] == item.envelope["audit_id"]
            and item.envelope["revision"] > held.envelope["revision"]
        ):
            chosen[item.urn] = item
    return chosen


def _collector(template_file, folder, name: str, county) -> tuple[Database, dict[str, Any]]:
    path = folder / f"{name}.sqlite3"
    shutil.copyfile(template_file, path)
    database = Database(f"sqlite:///{path}")
    seeding.publish(database, TEMPLATE, date(2099, 1, 1), date(2099, 2, 1))
    schools = {urn: seeding.add_school(database, urn, f"School {urn}", phase, district)
               for urn, phase, district in county}  # fmt: skip
    return database, schools


def _ingest(database: Database, key: SigningKey, schools, items: list[Sent]) -> None:
    ingestor = Ingestor(database, key)
    for item in items:
        school = schools[item.urn]
        signature = school.key.sign(canonical_bytes(item.envelope))
        ingestor.ingest(item.envelope, signature, school.device)


def _figures(database: Database) -> dict[str, Any]:
    cycle = TEMPLATE.cycle
    with database.read() as session:
        reports = {d: compliance(session, cycle, "school", d) for d in (None, *DIMENSIONS)}
        data = overview(session, cycle)
        view = steering_view(session, cycle)
        figures = {
            "compliance": {
                d: (r.returns, r.returns_by_group,
                    [(s.standard_id, s.counts, s.by_group) for s in r.standards],
                    [(s.section_id, s.counts, s.by_group) for s in r.sections])
                for d, r in reports.items()
            },  # fmt: skip
            "received": (data.totals.expected, data.totals.received, data.totals.accepted,
                         {d: {g: c.received for g, c in by.items()} for d, by in data.by.items()}),
            "themes": themes(session, cycle),
            "support": support_requests(session, cycle),
            "steering": (view.completeness, [s.tables for s in view.standards],
                         [s.tables for s in view.sections]),
        }  # fmt: skip
    return figures


def _shown_rows(figures: dict[str, Any]) -> list[tuple[int | None, bool]]:
    completeness, standards, sections = figures["steering"]
    tables: list[SteeringTable] = [*completeness.values()]
    tables += [t for by_dimension in standards + sections for t in by_dimension.values()]
    return [(row.settings, row.suppressed) for t in tables for row in [*t.rows, t.total]]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(4, 14))
def test_several_returns_per_school_never_change_a_figure(
    seed, size, sqlite_schema_file, tmp_path_factory
):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("county")
    county = _county(rng, size)
    key = SigningKey.generate()
    many, schools = _collector(sqlite_schema_file, folder, "many", county)
    once, schools_once = _collector(sqlite_schema_file, folder, "once", county)
    try:
        arrivals = [item for urn in schools for item in _returns(rng, schools[urn])]
        rng.shuffle(arrivals)  # out of order, as outboxes and races deliver them
        _ingest(many, key, schools, arrivals)
        chosen = _the_one_that_counts(arrivals)
        # A school whose every return broke a rule still sent one: the oracle sends one too.
        unchosen = {i.urn: i for i in arrivals if i.urn not in chosen}
        _ingest(once, key, schools_once, _resigned([*chosen.values(), *unchosen.values()],
                                                   schools_once))  # fmt: skip
        with_many, with_once = _figures(many), _figures(once)
        assert with_many == with_once
        for settings_shown, suppressed in _shown_rows(with_many):
            assert suppressed or settings_shown == 0 or settings_shown >= THRESHOLD
    finally:
        many.dispose()
        once.dispose()


def _resigned(chosen: list[Sent], schools_once) -> list[Sent]:
    """The same returns for the second collector's devices (their key ids differ)."""
    items = []
    for item in chosen:
        envelope = copy.deepcopy(item.envelope)
        envelope["device_key_id"] = schools_once[item.urn].device.device_key_id
        items.append(Sent(item.urn, envelope, item.valid))
    return items
