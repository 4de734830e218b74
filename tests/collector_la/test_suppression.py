"""Small-group suppression: nothing hidden can be worked out from what the steering group sees.

The attacker knows every visible number of every breakdown offered (by phase, district, type, trust
and size band, each with expected / received / rating columns and a total row). The unknowns are
the counts of settings in every (phase, district, type, trust, size, outcome) cell, which are never
shown. A hidden number
is recoverable exactly when its linear form lies in the span of the visible ones; we test that
with exact elimination modulo a large prime.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from school_audit.collector.aggregate.snapshot_rule import FamilyRule, mask_family
from school_audit.collector.aggregate.steering import COMPLETENESS_COLUMNS, completeness_rule
from school_audit.collector.aggregate.suppression import (
    GroupCounts,
    groups_to_hide,
    hide_totals_together,
    suppress,
    suppress_section,
)

PRIME = (1 << 61) - 1
# More examples for a long soak: SUPPRESSION_EXAMPLES=5000 pytest tests/collector_la -k leak
EXAMPLES = int(os.environ.get("SUPPRESSION_EXAMPLES", "0") or 0)
DIMENSIONS = {"phase": 0, "district": 1, "type": 2, "trust": 3, "size": 4}
OUTCOME = len(DIMENSIONS)  # a record's outcome follows its groups
OUTCOMES = ["not_returned", "met", "partially_met", "not_met", "not_applicable"]
COLUMNS = ["expected", "received", *OUTCOMES[1:]]


def column_holds(column: str, outcome: str) -> bool:
    if column == "expected":
        return True
    if column == "received":
        return outcome != "not_returned"
    return column == outcome


def build_tables(records):
    tables = {}
    for dimension, index in DIMENSIONS.items():
        groups = sorted({r[index] for r in records})
        rows = []
        for group in groups:
            members = [r for r in records if r[index] == group]
            counts = {c: sum(column_holds(c, r[OUTCOME]) for r in members) for c in COLUMNS}
            rows.append(GroupCounts(group, counts["received"], counts))
        tables[dimension] = suppress(dimension, COLUMNS, rows)
    return hide_totals_together(tables)


class Span:
    """Row-echelon basis of linear forms over GF(PRIME), forms as {unknown: coefficient}."""

    def __init__(self) -> None:
        self.pivots: dict[object, dict[object, int]] = {}

    def reduce(self, form: dict) -> dict:
        form = {k: v % PRIME for k, v in form.items() if v % PRIME}
        for pivot, row in self.pivots.items():
            if pivot in form:
                factor = form[pivot]
                for key, value in row.items():
                    form[key] = (form.get(key, 0) - factor * value) % PRIME
                form = {k: v for k, v in form.items() if v}
        return form

    def add(self, form: dict) -> None:
        form = self.reduce(form)
        if not form:
            return
        pivot = min(form, key=repr)
        inverse = pow(form[pivot], PRIME - 2, PRIME)
        form = {k: v * inverse % PRIME for k, v in form.items()}
        for other in self.pivots.values():  # keep the basis fully reduced
            if pivot in other:
                factor = other[pivot]
                for key, value in form.items():
                    other[key] = (other.get(key, 0) - factor * value) % PRIME
                for key in [k for k, v in other.items() if not v]:
                    del other[key]
        self.pivots[pivot] = form

    def contains(self, form: dict) -> bool:
        return not self.reduce(form)


def linear_form(universe, dimension, group, column, holds=column_holds):
    index = DIMENSIONS.get(dimension)
    return {
        cell: 1
        for cell in universe
        if (index is None or cell[index] == group) and holds(column, cell[OUTCOME])
    }


def visible_and_hidden(tables, universe):
    visible, hidden = [], []
    for dimension, table in tables.items():
        for row in [*table.rows, table.total]:
            where = (None, None) if row is table.total else (dimension, row.group)
            for column in COLUMNS:
                form = linear_form(universe, where[0], where[1], column)
                (hidden if row.suppressed else visible).append((dimension, row.group, column, form))
    return visible, hidden


records_strategy = st.lists(
    st.tuples(
        st.sampled_from(["first", "primary", "high", "special"]),
        st.sampled_from(["Redditch", "Wychavon", "Worcester", "Malvern Hills"]),
        st.sampled_from(["maintained", "academy", "independent"]),
        st.sampled_from(["Severn Vale", "Forest Learning", "Not in a trust"]),
        st.sampled_from(["Up to 100 pupils", "101–250 pupils", "251–500 pupils"]),
        st.sampled_from(OUTCOMES),
    ),
    max_size=45,
)


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(records_strategy)
def test_no_suppressed_number_is_recoverable_from_the_steering_views(records):
    tables = build_tables(records)
    values = [sorted({r[i] for r in records}) for i in range(OUTCOME)]
    universe = list(itertools.product(*values, OUTCOMES))
    visible, hidden = visible_and_hidden(tables, universe)
    span = Span()
    for *_, form in visible:
        span.add(form)
    for dimension, group, column, form in hidden:
        if not form:
            continue  # an empty form is the constant 0 of an impossible cell, not data
        assert not span.contains(form), f"{dimension}={group} {column} can be worked out"


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8))
def test_hidden_rows_are_never_alone_and_never_small_together(sizes):
    hidden = groups_to_hide(sizes)
    assert all(group in hidden for group, size in sizes.items() if size < 5)
    if sum(sizes.values()) < 5:
        assert hidden == set(sizes)
    elif hidden:
        assert len(hidden) >= 2 and sum(sizes[g] for g in hidden) >= 5


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    rows = [
        GroupCounts("Redditch", 12, {"met": 10}),
        GroupCounts("Wychavon", 7, {"met": 7}),
        GroupCounts("Worcester", 3, {"met": 1}),
    ]
    table = suppress("district", ["met"], rows)
    assert table.hidden_groups == ["Wychavon", "Worcester"]
    assert table.rows[0].counts == {"met": 10} and table.total.counts == {"met": 18}
    assert table.rows[2].settings is None and table.rows[2].counts == {"met": None}


def test_the_attack_the_rule_prevents_is_real():
    # Had only the small row been hidden, total minus the visible row would give it away: the
    # checker must see that, or its silence above proves nothing. (suppress() never shows this.)
    groups = [["first", "primary"], ["Redditch"], ["maintained"], ["Severn Vale"], ["Up to 100"]]
    universe = list(itertools.product(*groups, OUTCOMES))
    span = Span()
    for column in COLUMNS:
        span.add(linear_form(universe, None, None, column))
        span.add(linear_form(universe, "phase", "primary", column))
    assert all(span.contains(linear_form(universe, "phase", "first", c)) for c in COLUMNS)
    table = suppress(
        "phase",
        COLUMNS,
        [GroupCounts("first", 2, {}), GroupCounts("primary", 6, {})],
        hide={"first"},
    )
    assert table.total.suppressed  # one hidden row alone: the total goes too


# --- A section and its standards, as the steering view shows them ------------------------------

ANSWERS = ["met", "partially_met", "not_met", "not_applicable", "none"]  # none: not answered
RATING_COLUMNS = ANSWERS[:4]
SECTION_DIMENSIONS = {"phase": 0, "district": 1, "type": 2, "trust": 3, "size": 4}
FIRST_ANSWER = len(SECTION_DIMENSIONS)  # a record's answers to S1 and S2 follow its groups

section_records = st.lists(
    st.tuples(
        st.sampled_from(["first", "primary", "special"]),
        st.sampled_from(["Redditch", "Wychavon", "Worcester"]),
        st.sampled_from(["maintained", "academy"]),
        st.sampled_from(["Severn Vale", "Not in a trust"]),
        st.sampled_from(["Up to 100 pupils", "101–250 pupils"]),
        st.sampled_from(ANSWERS),
        st.sampled_from(ANSWERS),
    ),
    max_size=40,
)


def section_tables(records, priority_seed):
    views = {}
    for dimension, index in SECTION_DIMENSIONS.items():
        groups = sorted({r[index] for r in records})
        members = {
            standard: {
                g: {
                    c: sum(r[index] == g and r[FIRST_ANSWER + k] == c for r in records)
                    for c in RATING_COLUMNS
                }
                for g in groups
            }
            for k, standard in enumerate(["S1", "S2"])
        }
        priority = sorted(groups, key=lambda g: hash((g, priority_seed)))
        views[dimension] = suppress_section(dimension, RATING_COLUMNS, members, priority)
    # As the steering view does: a total hidden in one breakdown is hidden in all of them.
    for name in ("S1", "S2"):
        shared = hide_totals_together({d: v[0][name] for d, v in views.items()})
        for d in views:
            views[d][0][name] = shared[d]
    return views


def section_form(universe, dimension, group, column, standards):
    index = SECTION_DIMENSIONS.get(dimension)
    form = {}
    for cell in universe:
        if index is not None and cell[index] != group:
            continue
        weight = sum(cell[FIRST_ANSWER + k] == column for k in standards)
        if weight:
            form[cell] = weight
    return form


@settings(max_examples=EXAMPLES or 60, deadline=None)
@given(section_records, st.integers(0, 5))
def test_sections_and_their_standards_leak_nothing_together(records, priority_seed):
    # Special schools never answer S2 (it does not apply to them): empty rows are shown.
    records = [
        (*r[: FIRST_ANSWER + 1], "none" if r[0] == "special" else r[FIRST_ANSWER + 1])
        for r in records
    ]
    views = section_tables(records, priority_seed)
    values = [sorted({r[i] for r in records}) for i in range(FIRST_ANSWER)]
    universe = list(itertools.product(*values, ANSWERS, ANSWERS))
    visible, hidden = [], []
    for dimension, (standard_tables, section_table) in views.items():
        members = list(standard_tables.values())
        for k, table in enumerate(members):
            for row in [*table.rows, table.total]:
                where = (None, None) if row is table.total else (dimension, row.group)
                for column in RATING_COLUMNS:
                    form = section_form(universe, *where, column, (k,))
                    (hidden if row.suppressed else visible).append(
                        (dimension, row.group, column, form)
                    )
        for row in [*section_table.rows, section_table.total]:
            # A section row is the sum of the cells its standards show for that group (the total:
            # of the totals they show); a hidden row would be the sum of all of them.
            is_total = row is section_table.total
            shown = tuple(
                k
                for k, table in enumerate(members)
                if not (
                    table.total if is_total else next(r for r in table.rows if r.group == row.group)
                ).suppressed
            )
            where = (None, None) if is_total else (dimension, row.group)
            for column in RATING_COLUMNS:
                form = section_form(universe, *where, column, (0, 1) if row.suppressed else shown)
                if not row.suppressed:  # the model is what the table really shows
                    assert row.counts[column] == sum(n * records.count(c) for c, n in form.items())
                (hidden if row.suppressed else visible).append((dimension, row.group, column, form))
    span = Span()
    for *_, form in visible:
        span.add(form)
    for dimension, group, column, form in hidden:
        if form:
            assert not span.contains(form), f"{dimension}={group} {column} can be worked out"


# --- The completeness tables, as the steering view shows them ---------------------------------

# A setting expected is in one of these: not returned; returned by the first deadline, by the
# final one or after it; and for those returned, accepted or not.
STATUSES = [
    "not_returned",
    *(f"{when}{accepted}" for when in ("first", "final", "late") for accepted in ("", "_accepted")),
]


def status_holds(column: str, status: str) -> bool:
    return {
        "expected": True,
        "received": status != "not_returned",
        "received_by_first": status.startswith("first"),
        "received_by_final": status.startswith(("first", "final")),
        "accepted": status.endswith("_accepted"),
    }[column]


@dataclass(frozen=True)
class Model:
    """What a family's columns count: each record's outcome (the last field) decides which
    columns hold it; `pairs`: (part, whole) columns, every setting in the part being in the whole,
    so that hidden rows with none of the whole in the part, or all of it, would say so of each."""

    outcomes: list[str]
    columns: list[str]
    holds: Callable[[str, str], bool]
    pairs: list[tuple[str, str]]

    def raw_rows(self, records) -> dict[str, list[GroupCounts]]:
        tables = {}
        for dimension, index in DIMENSIONS.items():
            rows = []
            for group in sorted({r[index] for r in records}):
                members = [r for r in records if r[index] == group]
                counts = {c: sum(self.holds(c, r[OUTCOME]) for r in members) for c in self.columns}
                rows.append(GroupCounts(group, counts["received"], counts))
            tables[dimension] = rows
        return tables


def _contained(columns, holds, outcomes):
    """Every (part, whole) of distinct columns where each outcome the part counts the whole does."""
    return [
        (a, b)
        for a in columns
        for b in columns
        if a != b
        and all(holds(b, o) for o in outcomes if holds(a, o))
        and any(holds(b, o) and not holds(a, o) for o in outcomes)
    ]


RATINGS_MODEL = Model(OUTCOMES, COLUMNS, column_holds, [(c, "received") for c in OUTCOMES[1:]])
# Every pair of columns one within the other: received in expected, accepted in received, by
# the first deadline in by the final one, and so on (the test does not take the rule's pairs).
COMPLETENESS_MODEL = Model(
    STATUSES,
    list(COMPLETENESS_COLUMNS),
    status_holds,
    _contained(COMPLETENESS_COLUMNS, status_holds, STATUSES),
)


def bounds(span, summed, true, tables, pairs):
    """Bounds disclosure: the hidden rows of a table whose count in the part of a pair follows from
    the visible figures and is 0 (each hidden row has none), or whose whole less the part does and
    is 0 (each hidden row is all in the part). Not counted: a part that the table's every setting
    of the whole is in, or none is; the total, shown in every breakdown, says so for every group.
    `summed(dimension, groups, column)`: the linear form of the groups' count in the column;
    `true(dimension, groups, column)`: that count."""
    out = []
    for dimension, table in tables.items():
        hidden = {row.group for row in table.rows if row.suppressed}
        everyone = {row.group for row in table.rows}
        for part, whole in pairs:
            value, of = true(dimension, hidden, part), true(dimension, hidden, whole)
            overall = true(dimension, everyone, part)
            if not of or overall in (0, true(dimension, everyone, whole)):
                continue
            if value == 0:
                found = span.contains(summed(dimension, hidden, part))
            elif value == of:
                rest = dict(summed(dimension, hidden, whole))
                for key, count in summed(dimension, hidden, part).items():
                    rest[key] = rest.get(key, 0) - count
                found = span.contains(rest)
            else:
                continue
            if found:
                out.append(f"bounds {dimension} {sorted(hidden)} {part} = {value} of {whole}")
    return out


def one_view_leaks(records, tables, model) -> list[str]:
    """What one view of a family gives away: a hidden number, or hidden rows' bounds."""
    values = [sorted({r[i] for r in records}) for i in range(OUTCOME)]
    universe = list(itertools.product(*values, model.outcomes))
    span = Span()
    hidden = []
    for dimension, table in tables.items():
        for row in [*table.rows, table.total]:
            where = (None, None) if row is table.total else (dimension, row.group)
            for column in model.columns:
                form = linear_form(universe, *where, column, model.holds)
                if row.suppressed:
                    hidden.append((f"{where} {column}", form))
                else:
                    assert row.counts[column] == sum(records.count(c) for c in form)
                    span.add(form)
    found = [name for name, form in hidden if form and span.contains(form)]

    def summed(dimension, groups, column):
        form = {}
        for group in groups:
            form.update(linear_form(universe, dimension, group, column, model.holds))
        return form

    def true(dimension, groups, column):
        index = DIMENSIONS[dimension]
        return sum(1 for r in records if r[index] in groups and model.holds(column, r[OUTCOME]))

    return found + bounds(span, summed, true, tables, model.pairs)


completeness_records = st.lists(
    st.tuples(
        st.sampled_from(["first", "primary", "high", "special"]),
        st.sampled_from(["Redditch", "Wychavon", "Worcester", "Malvern Hills"]),
        st.sampled_from(["maintained", "academy", "independent"]),
        st.sampled_from(["Severn Vale", "Forest Learning", "Not in a trust"]),
        st.sampled_from(["Up to 100 pupils", "101–250 pupils", "251–500 pupils"]),
        st.sampled_from(STATUSES),
    ),
    max_size=45,
)


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(completeness_records)
def test_the_completeness_tables_give_no_hidden_number_away(records):
    """The completeness family by every breakdown, under the rule the steering view uses for it:
    no hidden number follows from the visible ones, and no hidden rows are all alike in a column
    within another (none of their returns accepted, every one of their settings returned)."""
    tables = mask_family(COMPLETENESS_MODEL.raw_rows(records), completeness_rule())
    assert one_view_leaks(records, tables, COMPLETENESS_MODEL) == []


def school(district, status):
    return ("primary", district, "maintained", "Not in a trust", "101–250 pupils", status)


# Two districts with few returns, none of them accepted yet, and two with many, some accepted.
FEW_ACCEPTED = (
    [school("Redditch", "first")] * 3
    + [school("Redditch", "not_returned")] * 7
    + [school("Wychavon", "first")] * 4
    + [school("Wychavon", "not_returned")] * 6
    + [school("Worcester", "first_accepted")] * 6
    + [school("Worcester", "first")] * 4
    + [school("Malvern Hills", "first_accepted")] * 5
    + [school("Malvern Hills", "first")] * 5
)


def test_hidden_districts_with_no_return_accepted_are_not_given_away_by_the_totals():
    """The gap the one-view rule left in the completeness tables: two districts hidden (three and
    four returns), neither with a return accepted. The total less the visible districts says
    "0 accepted" of both together, so of each. The rule without rule 4 for this family leaks it;
    the rule hides one more district so the hidden ones are mixed, and keeps the totals."""
    old = mask_family(COMPLETENESS_MODEL.raw_rows(FEW_ACCEPTED), FamilyRule(COMPLETENESS_COLUMNS))
    assert old["district"].hidden_groups == ["Redditch", "Wychavon"]
    found = one_view_leaks(FEW_ACCEPTED, old, COMPLETENESS_MODEL)
    assert "bounds district ['Redditch', 'Wychavon'] accepted = 0 of received" in found, found
    new = mask_family(COMPLETENESS_MODEL.raw_rows(FEW_ACCEPTED), completeness_rule())
    assert set(new["district"].hidden_groups) == {"Redditch", "Wychavon", "Malvern Hills"}
    assert not new["district"].total.suppressed
    assert one_view_leaks(FEW_ACCEPTED, new, COMPLETENESS_MODEL) == []


def test_hidden_districts_that_all_returned_are_not_given_away_by_the_totals():
    """The same with the whole in "expected": two hidden districts whose every school returned
    (and some were accepted), while other districts still wait for some."""
    records = (
        [school("Redditch", "first")] * 2
        + [school("Redditch", "first_accepted")]
        + [school("Wychavon", "first")] * 2
        + [school("Wychavon", "first_accepted")] * 2
        + [school("Worcester", "first_accepted")] * 6
        + [school("Worcester", "not_returned")] * 4
        + [school("Malvern Hills", "first")] * 5
        + [school("Malvern Hills", "not_returned")] * 5
    )
    old = mask_family(COMPLETENESS_MODEL.raw_rows(records), FamilyRule(COMPLETENESS_COLUMNS))
    found = one_view_leaks(records, old, COMPLETENESS_MODEL)
    assert "bounds district ['Redditch', 'Wychavon'] received = 7 of expected" in found, found
    new = mask_family(COMPLETENESS_MODEL.raw_rows(records), completeness_rule())
    assert len(new["district"].hidden_groups) == 3 and not new["district"].total.suppressed
    assert one_view_leaks(records, new, COMPLETENESS_MODEL) == []
