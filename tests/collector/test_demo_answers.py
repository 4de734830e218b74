"""The demo's returns are signed by one person per role, as the ingest requires."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from school_audit.collector.demo.answers import fill_audit
from tests.collector.factories import mini_template, school_profile


def test_no_demo_return_has_one_person_in_two_roles():
    template = mini_template()
    for seed in range(200):
        audit = fill_audit(template, school_profile(), random.Random(seed), 0.8,
                           datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # fmt: skip
        names = [s.name for s in audit.sign_off]
        assert len(names) == 3 and len(set(names)) == len(names), (seed, names)
