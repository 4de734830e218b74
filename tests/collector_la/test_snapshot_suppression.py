"""Two consecutive steering snapshots leak nothing: stacking the visible numbers of both gives
away no hidden number, no setting's change, and no change of a group of fewer than five.

The model of tests/collector_la/test_suppression.py (the count of settings in every cell of
phase, district, type, trust, size and outcome), for the first snapshot; for the second, the
attacker also knows who changed and their groups, but not how (see `leaks`).
"""

from __future__ import annotations

import itertools
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from school_audit.collector.aggregate.snapshot_rule import (
    Changed,
    FamilyChange,
    FamilyRule,
    mask_family,
)
from school_audit.collector.aggregate.steering import completeness_rule
from school_audit.collector.aggregate.suppression import GroupCounts
from tests.collector_la.test_suppression import (
    COLUMNS,
    COMPLETENESS_MODEL,
    DIMENSIONS,
    OUTCOME,
    OUTCOMES,
    RATINGS_MODEL,
    STATUSES,
    Model,
    Span,
    bounds,
    records_strategy,
)

EXAMPLES = int(os.environ.get("SUPPRESSION_EXAMPLES", "0") or 0)
THRESHOLD = 5


def raw_rows(records, model: Model = RATINGS_MODEL) -> dict[str, list[GroupCounts]]:
    return model.raw_rows(records)


def second_snapshot(first, revisions, new):
    """The records of the second snapshot and the settings whose contribution changed."""
    second = list(first)
    changed = set()
    for index, outcome in revisions:
        if index < len(second) and second[index][OUTCOME] != outcome:
            second[index] = (*second[index][:OUTCOME], outcome)
            changed.add(index)
    changed |= set(range(len(first), len(first) + len(new)))
    return second + list(new), sorted(changed)


def _cells(universe, dimension, group, column, folding=None, model=RATINGS_MODEL):
    index = DIMENSIONS.get(dimension)
    shown = (folding or {}).get(dimension, {})
    return [
        cell
        for cell in universe
        if (index is None or shown.get(cell[index], cell[index]) == group)
        and model.holds(column, cell[OUTCOME])
    ]


def leaks(first, second, changed, one, two, folding=None, model=RATINGS_MODEL) -> list[str]:
    """What stacking snapshots `one` (of `first`) and `two` (of `second`) gives away.

    Unknowns: the count of settings in every cell of the first snapshot (as for one view), and
    the change of each changed setting in each column, the attacker knowing who changed and in
    which groups (they may have watched a school send). Protected: every hidden number of either
    snapshot, each changed setting's change, and the change of the changed settings of any row,
    of any cell of groups, or of all of them, where they are fewer than five.

    With `folding` (dimension -> group -> the group it shows as), the snapshots' rows are folded
    groups, while the unknowns stay the cells of the groups as they are; then every group under
    five as it is (folded or not) is protected too, in both snapshots.

    `model`: the family's columns and what each counts (a standard's ratings, or completeness).
    """
    values = [sorted({r[i] for r in first + second}) for i in range(OUTCOME)]
    universe = list(itertools.product(*values, model.outcomes))
    columns = model.columns

    def shown(dimension, value):
        return (folding or {}).get(dimension, {}).get(value, value)

    def members(dimension, group):
        index = DIMENSIONS.get(dimension)
        return [i for i in changed if index is None or shown(dimension, second[i][index]) == group]

    def form(where, column, kinds, who=None, fold=folding):
        cells = _cells(universe, *where, column, fold, model)
        found = {("x", cell): 1 for cell in cells} if "x" in kinds else {}
        if "d" in kinds:
            found.update({("d", i, column): 1 for i in (members(*where) if who is None else who)})
        return found

    visible, protected = [], []
    for snapshot, tables, kinds in ((1, one, "x"), (2, two, "xd")):
        for where, row in _rows(tables):
            for column in columns:
                entry = (f"snapshot {snapshot} {where} {column}", form(where, column, kinds))
                (protected if row.suppressed else visible).append(entry)
    groups = {
        "setting": [[i] for i in changed],
        "row": [
            members(d, g) for d, i in DIMENSIONS.items() for g in {shown(d, v) for v in values[i]}
        ],
        "cell": [
            [i for i in changed if second[i][:OUTCOME] == key]
            for key in {second[i][:OUTCOME] for i in changed}
        ],
        "all": [list(changed)],
    }
    if folding:  # a small group as it is, inside "Other", in either snapshot
        for snapshot, records, kinds in ((1, first, "x"), (2, second, "xd")):
            for dimension, index in DIMENSIONS.items():
                for value in values[index]:
                    size = sum(1 for r in records if r[index] == value)
                    if 0 < size < THRESHOLD:
                        for column in columns:
                            who = [i for i in changed if second[i][index] == value]
                            found = form((dimension, value), column, kinds, who, fold={})
                            protected.append((f"snapshot {snapshot} {value} {column}", found))
    for kind, sets in groups.items():
        for who in sets:
            if 0 < len(who) < THRESHOLD:
                for column in columns:
                    name = f"change of {kind} {[second[i] for i in who]} in {column}"
                    protected.append((name, form((None, None), column, "d", who)))
    span = Span()
    for _, found in visible:
        span.add(found)
    found_out = [name for name, found in protected if found and span.contains(found)]
    for snapshot, records, tables, kinds in ((1, first, one, "x"), (2, second, two, "xd")):
        found = _bounds(span, form, records, tables, kinds, shown, model)
        found_out += [f"snapshot {snapshot} {name}" for name in found]
    return found_out


SHARES = OUTCOMES[1:]  # the rating columns: each counts a share of its row's settings


def _bounds(span, form, records, tables, kinds, shown, model):
    """`test_suppression.bounds` for one snapshot of the pair (its records and tables)."""

    def true(dimension, groups, column):
        index = DIMENSIONS[dimension]
        return sum(
            1
            for r in records
            if shown(dimension, r[index]) in groups and model.holds(column, r[OUTCOME])
        )

    def summed(dimension, groups, column):
        total = {}
        for group in groups:
            for key, value in form((dimension, group), column, kinds).items():
                total[key] = total.get(key, 0) + value
        return total

    return bounds(span, summed, true, tables, model.pairs)


def snapshots(first, revisions, new, rule, model=RATINGS_MODEL):
    """The second snapshot's records and changed settings, and both snapshots under `rule`."""
    second, changed = second_snapshot(first, revisions, new)
    one = mask_family(raw_rows(first, model), rule)
    change = FamilyChange([_groups_of(second[i]) for i in changed])
    two = mask_family(raw_rows(second, model), rule, previous=one, change=change)
    return second, changed, one, two


def _rows(tables):
    for dimension, table in tables.items():
        for row in [*table.rows, table.total]:
            yield (None, None) if row is table.total else (dimension, row.group), row


def _groups_of(record) -> Changed:
    return Changed({d: frozenset({record[i]}) for d, i in DIMENSIONS.items()})


GROUPS = [
    st.sampled_from(["first", "primary", "high", "special"]),
    st.sampled_from(["Redditch", "Wychavon", "Worcester", "Malvern Hills"]),
    st.sampled_from(["maintained", "academy", "independent"]),
    st.sampled_from(["Severn Vale", "Forest Learning", "Not in a trust"]),
    st.sampled_from(["Up to 100 pupils", "101–250 pupils", "251–500 pupils"]),
]
record_strategy = st.tuples(*GROUPS, st.sampled_from(OUTCOMES))


def exactly(low: int, high: int, record=record_strategy) -> st.SearchStrategy[list]:
    """Lists of records whose length is spread evenly (plain lists come out mostly short)."""
    return st.integers(low, high).flatmap(lambda n: st.lists(record, min_size=n, max_size=n))


revisions_strategy = st.lists(st.tuples(st.integers(0, 44), st.sampled_from(OUTCOMES)), max_size=12)
# The completeness family: a setting's status (returned when, accepted) in place of its rating.
status_record = st.tuples(*GROUPS, st.sampled_from(STATUSES))
status_revisions = st.lists(st.tuples(st.integers(0, 44), st.sampled_from(STATUSES)), max_size=12)


@settings(max_examples=EXAMPLES or 80, deadline=None)
@given(
    st.one_of(records_strategy, exactly(10, 45)), revisions_strategy, exactly(0, 30), st.booleans()
)
def test_two_consecutive_snapshots_leak_nothing(first, revisions, new, hide_empty):
    second, changed, one, two = snapshots(
        first, revisions, new, FamilyRule(COLUMNS, hide_empty=hide_empty, shares=SHARES)
    )
    assert leaks(first, second, changed, one, two) == []


@settings(max_examples=EXAMPLES or 80, deadline=None)
@given(
    st.one_of(st.lists(status_record, max_size=45), exactly(10, 45, status_record)),
    status_revisions,
    exactly(0, 30, status_record),
)
def test_two_consecutive_snapshots_of_completeness_leak_nothing(first, revisions, new):
    """The same for the completeness tables, under the rule the snapshots use for them: a
    setting's change is a new return, an acceptance, a return sent back."""
    second, changed, one, two = snapshots(
        first, revisions, new, completeness_rule(), COMPLETENESS_MODEL
    )
    assert leaks(first, second, changed, one, two, model=COMPLETENESS_MODEL) == []


# Twelve new returns, each row of each breakdown gaining five or more of them: hiding the rows
# that changed for fewer than five hides nothing here, yet the five breakdowns together give
# away the change of the ninth newcomer. The atoms of the rule catch it.
CROSSED = [
    [0, 0, 0, 1, 0], [0, 0, 0, 1, 1], [0, 1, 0, 1, 1], [1, 0, 1, 0, 1], [0, 1, 0, 1, 0],
    [1, 0, 0, 1, 0], [0, 1, 1, 0, 0], [0, 1, 1, 0, 0], [1, 0, 0, 0, 1], [1, 1, 1, 0, 1],
    [1, 0, 0, 1, 0], [1, 1, 1, 0, 0],
]  # fmt: skip
NAMES = [
    ("first", "primary"),
    ("Redditch", "Wychavon"),
    ("maintained", "academy"),
    ("Severn Vale", "Not in a trust"),
    ("Up to 100 pupils", "101–250 pupils"),
]


def test_breakdowns_crossed_cannot_single_out_a_newcomer():
    base = [
        (*(NAMES[d][bits >> d & 1] for d in range(5)), "met")
        for bits in range(32)
        for _ in range(2)
    ]
    new = [
        (*(NAMES[d][choice[d]] for d in range(5)), "not_met" if n % 2 else "partially_met")
        for n, choice in enumerate(CROSSED)
    ]
    second, changed = second_snapshot(base, [], new)
    rule = FamilyRule(COLUMNS, shares=SHARES)
    one = mask_family(raw_rows(base), rule)
    assert not any(row.suppressed for table in one.values() for row in table.rows)
    every_row_changed_by_five = mask_family(raw_rows(second), rule)
    assert not any(r.suppressed for t in every_row_changed_by_five.values() for r in t.rows)
    found = leaks(base, second, changed, one, every_row_changed_by_five)
    assert any(str(new[8]) in name for name in found), found
    change = FamilyChange([_groups_of(second[i]) for i in changed])
    two = mask_family(raw_rows(second), rule, previous=one, change=change)
    assert leaks(base, second, changed, one, two) == []
    assert any(not r.suppressed for t in two.values() for r in t.rows)  # not everything went


def test_one_new_return_in_a_district_is_not_revealed():
    """The attack seen in testing: download, let one school send, download again."""
    districts = ["Redditch", "Wychavon", "Worcester"]
    first = [
        ("primary", districts[i % 3], "academy", "Not in a trust", "101–250 pupils", "met")
        for i in range(30)
    ]
    newcomer = ("primary", "Worcester", "academy", "Not in a trust", "101–250 pupils", "not_met")
    rule = FamilyRule(COLUMNS, shares=SHARES)
    one = mask_family(raw_rows(first), rule)
    assert not any(row.suppressed for table in one.values() for row in table.rows)
    change = FamilyChange([Changed({d: frozenset({newcomer[i]}) for d, i in DIMENSIONS.items()})])
    two = mask_family(raw_rows([*first, newcomer]), rule, previous=one, change=change)
    district = {row.group: row for row in two["district"].rows}
    assert district["Worcester"].suppressed and two["district"].total.suppressed
    # What did not change is still shown, as it was.
    assert (
        district["Redditch"].counts
        == {row.group: row for row in one["district"].rows}["Redditch"].counts
    )
    not_met = [
        row.counts["not_met"]
        for table in two.values()
        for row in [*table.rows, table.total]
        if not row.suppressed
    ]
    assert not any(not_met)  # the newcomer's "not met" shows nowhere


# Folded categories: more trusts and districts, some of them small, as in a real county.
FOLDING_GROUPS = [
    *GROUPS[:3],
    st.sampled_from(["Severn Vale", "Forest Learning", "Not in a trust", "Teme", "Avon"]),
    GROUPS[4],
]
folding_record = st.tuples(*FOLDING_GROUPS, st.sampled_from(OUTCOMES))


folding_status = st.tuples(*FOLDING_GROUPS, st.sampled_from(STATUSES))


def _sizes(records):
    return {d: {g: sum(1 for r in records if r[i] == g) for g in {r[i] for r in records}}
            for d, i in DIMENSIONS.items()}  # fmt: skip


def _relabel(records, folding):
    return [
        tuple(folding[d].get(r[i], r[i]) if d in folding else r[i] for d, i in DIMENSIONS.items())
        + (r[OUTCOME],)
        for r in records
    ]


@settings(max_examples=EXAMPLES or 25, deadline=None)
@given(
    st.integers(12, 40).flatmap(lambda n: st.lists(folding_record, min_size=n, max_size=n)),
    revisions_strategy,
    st.integers(0, 20).flatmap(lambda n: st.lists(folding_record, min_size=n, max_size=n)),
)
def test_folded_categories_leak_nothing_in_one_snapshot_or_two(first, revisions, new):
    """Folding first (as the steering view does), then suppression: no hidden number, no group
    under five as it is (inside "Other" or not), no change of fewer than five comes out, in one
    snapshot or stacking two; the second keeps the first's folding, as snapshots do."""
    from school_audit.collector.aggregate.folding import fold_change, fold_map

    second, changed = second_snapshot(first, revisions, new)
    folding = fold_map(_sizes(first))
    later = fold_map(_sizes(second), previous=folding)
    assert all(later[d][g] == folding[d][g] for d in folding for g in folding[d])  # stable
    rule = FamilyRule(COLUMNS, shares=SHARES)
    one = mask_family(raw_rows(_relabel(first, folding)), rule)
    change = fold_change(FamilyChange([_groups_of(second[i]) for i in changed]), later)
    two = mask_family(raw_rows(_relabel(second, later)), rule, previous=one, change=change)
    assert leaks(first, second, changed, one, two, later) == []


@settings(max_examples=EXAMPLES or 25, deadline=None)
@given(
    st.integers(12, 40).flatmap(lambda n: st.lists(folding_status, min_size=n, max_size=n)),
    status_revisions,
    st.integers(0, 20).flatmap(lambda n: st.lists(folding_status, min_size=n, max_size=n)),
)
def test_folded_completeness_leaks_nothing_in_one_snapshot_or_two(first, revisions, new):
    """The folded test for the completeness tables."""
    from school_audit.collector.aggregate.folding import fold_change, fold_map

    second, changed = second_snapshot(first, revisions, new)
    folding = fold_map(_sizes(first))
    later = fold_map(_sizes(second), previous=folding)
    rule, model = completeness_rule(), COMPLETENESS_MODEL
    one = mask_family(raw_rows(_relabel(first, folding), model), rule)
    change = fold_change(FamilyChange([_groups_of(second[i]) for i in changed]), later)
    two = mask_family(raw_rows(_relabel(second, later), model), rule, previous=one, change=change)
    assert leaks(first, second, changed, one, two, later, model) == []


def test_hidden_trusts_all_met_are_not_given_away_by_the_totals():
    """The case found in testing: the two hidden trusts had every school "met"; the total less
    the visible rows said so. The old rule (no rating columns to mix) leaks it; the rule hides
    one more trust so that the hidden ones are mixed, and keeps the totals."""

    def school(trust, outcome):
        return ("primary", "Redditch", "academy", trust, "101–250 pupils", outcome)

    records = (
        [school("Avon", "met")] * 4
        + [school("Forest Learning", "met")] * 3
        + [school("Severn Vale", "met")] * 3
        + [school("Severn Vale", "partially_met"), school("Severn Vale", "not_met")]
        + [school("Not in a trust", "met")] * 15
        + [school("Not in a trust", "partially_met")]
    )
    old = mask_family(raw_rows(records), FamilyRule(COLUMNS))
    assert old["trust"].hidden_groups == ["Avon", "Forest Learning"]
    found = leaks(records, records, [], old, old)
    assert "snapshot 1 bounds trust ['Avon', 'Forest Learning'] met = 7 of received" in found, found
    new = mask_family(raw_rows(records), FamilyRule(COLUMNS, shares=SHARES))
    assert set(new["trust"].hidden_groups) == {"Avon", "Forest Learning", "Severn Vale"}
    assert not new["trust"].total.suppressed  # the totals stay shown
    assert leaks(records, records, [], new, new) == []


def test_a_hidden_empty_row_takes_company_in_a_later_snapshot():
    """Found by the property test: the first snapshot hides all (one school); the second adds five
    returns and one school that has not returned, in a size band of its own. That row counts
    nobody yet it is hidden; alone, it used to send the totals away while the one-row breakdowns
    gave them back, and the empty row with them."""
    school = ("first", "Redditch", "maintained", "Severn Vale", "Up to 100 pupils")
    first = [(*school, "not_returned")]
    new = [(*school, "met")] * 5 + [(*school[:4], "101–250 pupils", "not_returned")]
    second, changed, one, two = snapshots(first, [], new, FamilyRule(COLUMNS, shares=SHARES))
    assert leaks(first, second, changed, one, two) == []
    assert two["size"].hidden_groups == ["101–250 pupils", "Up to 100 pupils"]


def test_a_hidden_row_of_nobody_returned_is_not_given_away_by_the_totals():
    """Found by the property test: nobody in the first snapshot; the second has five returns and
    one school expected that has not returned, alone in its phase. Its row counts no setting that
    answered, yet its "expected" figure is one: hidden alone, the totals less the other rows gave
    it back. A row protects nothing only when every number in it is zero."""
    school = ("first", "Redditch", "maintained")
    new = [
        *[(*school, "Severn Vale", "Up to 100 pupils", "met")] * 3,
        (*school, "Severn Vale", "101–250 pupils", "met"),
        (*school, "Forest Learning", "Up to 100 pupils", "met"),
        ("primary", "Wychavon", "academy", "Severn Vale", "Up to 100 pupils", "not_returned"),
    ]
    second, changed, one, two = snapshots(
        [], [], new, FamilyRule(COLUMNS, hide_empty=False, shares=SHARES)
    )
    assert leaks([], second, changed, one, two) == []
    assert "primary" in two["phase"].hidden_groups


def test_a_bounded_breakdown_whose_mixing_rows_are_known_hides_the_totals():
    """Found by the property test, in this shape: three schools send in each of two districts,
    all "met" like the districts' other schools, while the two districts that did not change have
    schools "not met". The two changed districts are hidden (fewer than five changed in each);
    the only rows that could be hidden with them are known from the first snapshot, so hiding
    one protects nothing, and the totals less the known rows would say every school of the
    hidden districts met the standard. The totals go instead."""

    count = itertools.count()

    def school(district, outcome):
        n = next(count)
        phase, kind = ("first", "primary")[n % 2], ("maintained", "academy")[n // 2 % 2]
        trust = ("Severn Vale", "Not in a trust")[n // 3 % 2]
        size = ("Up to 100 pupils", "101–250 pupils")[n // 5 % 2]
        return (phase, district, kind, trust, size, outcome)

    first = [
        *[school("Redditch", "met") for _ in range(6)],
        *[school("Wychavon", "met") for _ in range(6)],
        *[school("Worcester", "not_met") for _ in range(6)],
        *[school("Malvern Hills", o) for o in ["met"] * 3 + ["not_met"] * 3],
    ]
    new = [school("Redditch", "met") for _ in range(3)]
    new += [school("Wychavon", "met") for _ in range(3)]
    second, changed = second_snapshot(first, [], new)
    rule = FamilyRule(COLUMNS, shares=SHARES)
    one = mask_family(raw_rows(first), rule)
    assert not any(row.suppressed for table in one.values() for row in table.rows)
    change = FamilyChange([_groups_of(second[i]) for i in changed])
    two = mask_family(raw_rows(second), rule, previous=one, change=change)
    assert set(two["district"].hidden_groups) >= {"Redditch", "Wychavon"}
    assert leaks(first, second, changed, one, two) == []
    assert two["district"].total.suppressed


def test_hidden_totals_are_not_given_back_by_a_breakdown_of_one_row():
    """The same county with one phase, one type, one trust and one size band: when the totals go,
    each of those breakdowns would show its one row, the total itself; that row goes too."""

    def school(district, outcome):
        return ("primary", district, "academy", "Not in a trust", "101–250 pupils", outcome)

    first = [
        *[school("Redditch", "met")] * 5,
        *[school("Wychavon", "met")] * 5,
        *[school("Worcester", "not_met")] * 5,
        *[school("Malvern Hills", "met")] * 3,
        *[school("Malvern Hills", "not_met")] * 2,
    ]
    new = [school("Redditch", "met")] * 3 + [school("Wychavon", "met")] * 3
    second, changed, one, two = snapshots(first, [], new, FamilyRule(COLUMNS, shares=SHARES))
    assert leaks(first, second, changed, one, two) == []
    assert two["phase"].hidden_groups == ["primary"] and two["phase"].total.suppressed
