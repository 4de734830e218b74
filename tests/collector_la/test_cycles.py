"""Cycles: who is expected (open, of a kind with a template, not exempt), deadlines, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import (
    CycleError,
    cycle_info,
    exempt,
    expected_establishments,
    lift_exemption,
    open_cycle,
    parse_template_ref,
)
from school_audit.collector.register import apply_register, parse_early_years, parse_gias
from school_audit.collector.register.samples import early_years_csv, gias_csv
from school_audit.content import builtin_template
from tests.collector_la.gias_rows import sample_rows

SCHOOL = ("school-s175", "2025-26.1")
FIRST, FINAL = date(2026, 2, 13), date(2026, 2, 27)


@pytest.fixture
def county(database):
    ey = early_years_csv([{"urn": "EY100001", "name": "Little Acorns", "provider_type": "pre_school",
                           "district": "Redditch"}])  # fmt: skip
    with database.write() as session:
        apply_register(session, parse_gias(gias_csv(sample_rows()), "885"), "gias", "t", "885")
        apply_register(session, parse_early_years(ey), "early_years", "t")
        publish_template(session, builtin_template(*SCHOOL))
    return database


def test_expected_are_open_schools_of_a_kind_with_a_template_less_exemptions(county):
    with county.write() as session:
        info = open_cycle(session, "2025-26", [SCHOOL], FIRST, FINAL, "admin")
        assert info.templates == {"school": SCHOOL} and info.first_deadline == FIRST
        urns = {e.urn for e in expected_establishments(session, "2025-26")}
        assert "900014" not in urns and "900015" in urns  # closed out; "proposed to close" in
        assert "EY100001" not in urns  # no early-years template in this cycle
        assert len(urns) == 14
        exempt(session, "2025-26", "900011", "Closing at Christmas", "admin")
        assert "900011" not in {e.urn for e in expected_establishments(session, "2025-26")}
        assert lift_exemption(session, "2025-26", "900011", "admin")
        assert "900011" in {e.urn for e in expected_establishments(session, "2025-26")}


def test_reopening_updates_deadlines_without_duplicating(county):
    with county.write() as session:
        open_cycle(session, "2025-26", [SCHOOL], FIRST, FINAL, "admin")
        open_cycle(session, "2025-26", [SCHOOL], FIRST, date(2026, 3, 6), "admin")
        assert cycle_info(session, "2025-26").final_deadline == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("cycle", "templates", "first", "final", "message"),
    [
        ("2025-27", [SCHOOL], FIRST, FINAL, "not an academic year"),
        ("\u0662\u0660\u0662\u0665-\u0662\u0666", [SCHOOL], FIRST, FINAL, "not an academic year"),
        ("2025-26", [SCHOOL], FINAL, FIRST, "final deadline cannot come before"),
        ("2025-26", [("school-s175", "9.9")], FIRST, FINAL, "is not published"),
        ("2025-26", [SCHOOL, SCHOOL], FIRST, FINAL, "one template per setting type"),
    ],
)
def test_refusals(county, cycle, templates, first, final, message):
    with pytest.raises(CycleError, match=message), county.write() as session:
        open_cycle(session, cycle, templates, first, final, "admin")


def test_exemption_needs_a_reason_and_a_known_school(county):
    with county.write() as session:
        open_cycle(session, "2025-26", [SCHOOL], FIRST, FINAL, "admin")
    for urn, reason, message in [
        ("900001", " ", "needs a reason"),
        ("999999", "x", "no establishment"),
    ]:
        with pytest.raises(CycleError, match=message), county.write() as session:
            exempt(session, "2025-26", urn, reason, "admin")
    with pytest.raises(CycleError, match="ID@VERSION"):
        parse_template_ref("school-s175")
