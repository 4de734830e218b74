"""Small-group suppression for everything the steering group sees.

The rule (docs/la-guide.md explains it for readers):

1. Primary: a group (a row of a breakdown, e.g. one district) with fewer than `threshold` settings
   is hidden, every number in its row with it.
2. Secondary: within one breakdown, the hidden rows must not be recoverable by subtraction from the
   visible total. So if exactly one row is hidden, or the hidden rows together hold fewer than
   `threshold` settings, the smallest visible row is hidden too, until neither is true.
3. A breakdown whose total is itself below the threshold is hidden whole, totals included.
4. Bounds: in a rating column (a share of the row's settings), the hidden rows together must
   not have none of it or all of their settings in it, as the visible rows and the total would
   then show that every hidden row has none, or is all in it. So while they do, the next visible
   row that has some of that rating (or some outside it) is hidden too (`mix_hidden`). The
   totals stay shown, so every breakdown still shows the same ones. A rating that the total
   shows every setting of the table has, or none has, is the one case left: the total itself
   says so for every group, hidden or not. A column may be a share of another column rather
   than of the row's settings (`wholes`): in the completeness tables, returns received are a
   share of settings expected, those in by the first deadline a share of those in by the final
   one, and so on; the hidden rows must then have some of the whole in the share and some not.

Every breakdown offered (by phase, district, type, trust, size band) partitions the same settings and shows
the same totals; as no cross-tabulation of two dimensions is ever shown, two or more hidden rows
in each breakdown leave every hidden number undetermined (tests/collector_la prove it by linear
algebra over random data).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

THRESHOLD = 5


@dataclass(frozen=True)
class GroupCounts:
    """One row of a breakdown: how many settings the group has and counts per column."""

    group: str
    settings: int
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownRow:
    """A row as shown: numbers are None where suppressed."""

    group: str
    settings: int | None
    counts: dict[str, int | None]
    suppressed: bool


@dataclass(frozen=True)
class SteeringTable:
    """A breakdown after suppression, with its total row (None values if the total is hidden)."""

    dimension: str
    columns: list[str]
    rows: list[ShownRow]
    total: ShownRow

    @property
    def hidden_groups(self) -> list[str]:
        return [row.group for row in self.rows if row.suppressed]


def groups_to_hide(
    sizes: Mapping[str, int],
    threshold: int = THRESHOLD,
    already: Iterable[str] = (),
    priority: Sequence[str] | None = None,
    hide_empty: bool = True,
) -> set[str]:
    """The groups of one breakdown to hide, primary and secondary (see the module docstring).

    `already`: groups hidden for another reason (e.g. in a related table); secondary suppression
    then protects them too. `priority`: the order in which to take extra groups (default: the
    smallest first); giving every table of one breakdown the same order keeps them alike.
    `hide_empty=False` shows a row that counts nobody (e.g. a standard that does not apply to a
    phase): its zeros say nothing about any setting.
    """
    low = 0 if hide_empty else 1
    hidden = {group for group, size in sizes.items() if low <= size < threshold} | set(already)
    if sum(sizes.values()) < threshold:
        return set(sizes)
    rank = {group: index for index, group in enumerate(priority or [])}
    # Rows that count nobody are shown as zeros in other tables: they protect nothing.
    counted = {group for group, size in sizes.items() if size >= low}
    while (kept := hidden & counted) and (
        len(kept) == 1 or sum(sizes[g] for g in kept) < threshold
    ):
        visible = [group for group in counted if group not in hidden]
        if not visible:
            break
        hidden.add(min(visible, key=lambda g: (rank.get(g, len(rank)), sizes[g], g)))
    return hidden


def mix_hidden(
    rows: Sequence[GroupCounts],
    hide: Iterable[str],
    shares: Sequence[str],
    priority: Sequence[str] | None = None,
    fixed: Iterable[str] = (),
    wholes: Mapping[str, str] | None = None,
) -> set[str]:
    """Rule 4 (see the module docstring): `hide` with visible rows added until, in each column of
    `shares`, the hidden rows have some of it and some outside it. `fixed`: rows that may not be
    taken (their numbers are known anyway, e.g. from a previous snapshot). `wholes`: column ->
    the column it is a share of (default: the row's settings)."""
    hide, fixed = set(hide), set(fixed)
    rank = {group: index for index, group in enumerate(priority or [])}
    while True:
        hidden = [row for row in rows if row.group in hide]
        taken = None
        for column in shares:
            count, whole = _share(hidden, column, wholes)
            if not whole or 0 < count < whole:
                continue
            mixing = [
                row
                for row in rows
                if row.group not in hide | fixed
                and (
                    row.counts.get(column, 0) > 0
                    if count == 0
                    else row.counts.get(column, 0) < _whole(row, column, wholes)
                )
            ]
            if mixing:
                taken = min(
                    mixing, key=lambda r: (rank.get(r.group, len(rank)), r.settings, r.group)
                )
                break
        if taken is None:
            return hide
        hide.add(taken.group)


def unmixed(
    rows: Sequence[GroupCounts],
    hide: Iterable[str],
    shares: Sequence[str],
    wholes: Mapping[str, str] | None = None,
) -> bool:
    """Whether rule 4 still fails after `mix_hidden` (which may not take `fixed` rows): some rating
    the hidden rows have none of, or all of them have, while the table as a whole is mixed."""
    hide = set(hide)
    hidden = [row for row in rows if row.group in hide]
    for column in shares:
        count, whole = _share(hidden, column, wholes)
        overall, everyone = _share(rows, column, wholes)
        if whole and count in (0, whole) and 0 < overall < everyone:
            return True
    return False


def _whole(row: GroupCounts, column: str, wholes: Mapping[str, str] | None) -> int:
    """What `column` is a share of in `row`: another column, or the row's settings."""
    if wholes and column in wholes:
        return row.counts.get(wholes[column], 0)
    return row.settings


def _share(
    rows: Iterable[GroupCounts], column: str, wholes: Mapping[str, str] | None
) -> tuple[int, int]:
    """(count in `column`, count of its whole) over `rows` together."""
    count = whole = 0
    for row in rows:
        count += row.counts.get(column, 0)
        whole += _whole(row, column, wholes)
    return count, whole


def suppress(
    dimension: str,
    columns: Sequence[str],
    rows: Sequence[GroupCounts],
    threshold: int = THRESHOLD,
    hide: set[str] | None = None,
    hide_total: bool = False,
    empty_protects: bool = True,
) -> SteeringTable:
    """Apply the rule to one breakdown. `hide` overrides the decision (to share it across tables
    built on the same groups, e.g. one per standard)."""
    if hide is None:
        hide = groups_to_hide({row.group: row.settings for row in rows}, threshold)
    shown = [_shown(row, columns, row.group in hide) for row in rows]
    total_settings = sum(row.settings for row in rows)
    total = GroupCounts(
        "Total",
        total_settings,
        {c: sum(row.counts.get(c, 0) for row in rows) for c in columns},
    )
    counted = [r for r in rows if r.group in hide and (empty_protects or not counts_nobody(r))]
    # When too few rows could be hidden, the total itself would give them away.
    unsafe = len(counted) == 1 or 0 < sum(row.settings for row in counted) < threshold
    hide_total = hide_total or unsafe or total_settings < threshold
    return SteeringTable(dimension, list(columns), shown, _shown(total, columns, hide_total))


def counts_nobody(row: GroupCounts) -> bool:
    """A row whose every number is zero: shown or hidden, it says nothing about any setting.
    (A row with no settings may still count someone in a column that is not a share of them, e.g.
    a setting expected that has not returned.)"""
    return row.settings == 0 and not any(row.counts.values())


def _shown(row: GroupCounts, columns: Sequence[str], hidden: bool) -> ShownRow:
    if hidden:
        return ShownRow(row.group, None, {c: None for c in columns}, True)
    return ShownRow(row.group, row.settings, {c: row.counts.get(c, 0) for c in columns}, False)


def suppress_section(
    dimension: str,
    columns: Sequence[str],
    standards: Mapping[str, Mapping[str, Mapping[str, int]]],
    priority: Sequence[str] | None = None,
    threshold: int = THRESHOLD,
) -> tuple[dict[str, SteeringTable], SteeringTable]:
    """Tables for each standard of a section and for the section, by one dimension.

    `standards`: standard id -> group -> column -> count; a row's size is the sum of its counts
    (the settings that answered). The section's row for a group adds up only the cells shown in
    its standards' tables, and its total the totals they show: every number in it is a sum of
    visible numbers, so it can give nothing hidden away. (So a row may count fewer answers than
    the total's share of it.) A group hidden in every standard is hidden in the section too.
    """
    tables = {}
    for standard_id, by_group in standards.items():
        sizes = {g: sum(counts.values()) for g, counts in by_group.items()}
        rows = [GroupCounts(g, sizes[g], by_group[g]) for g in by_group]
        hide = groups_to_hide(sizes, threshold, priority=priority, hide_empty=False)
        hide = mix_hidden(rows, hide, columns, priority)
        tables[standard_id] = suppress(
            dimension, columns, rows, threshold, hide=hide, empty_protects=False
        )
    groups = list(dict.fromkeys(g for by_group in standards.values() for g in by_group))
    shown_rows = [_section_row(g, tables.values(), columns) for g in groups]
    totals = [table.total for table in tables.values() if not table.total.suppressed]
    total = ShownRow(
        "Total",
        max((row.settings or 0 for row in totals), default=None),
        {c: sum(row.counts[c] or 0 for row in totals) if totals else None for c in columns},
        not totals,
    )
    return tables, SteeringTable(dimension, list(columns), shown_rows, total)


def _section_row(group: str, tables: Iterable[SteeringTable], columns: Sequence[str]) -> ShownRow:
    shown = [
        row for table in tables for row in table.rows if row.group == group and not row.suppressed
    ]
    if not shown:
        return ShownRow(group, None, {c: None for c in columns}, True)
    counts: dict[str, int | None] = {c: sum(row.counts[c] or 0 for row in shown) for c in columns}
    return ShownRow(group, max(row.settings or 0 for row in shown), counts, False)


def hide_totals_together(tables: Mapping[str, SteeringTable]) -> dict[str, SteeringTable]:
    """Breakdowns of the same settings share one total: hidden in one, it is hidden in all."""
    if not any(table.total.suppressed for table in tables.values()):
        return dict(tables)
    hidden_total = {
        dimension: replace(
            table, total=ShownRow("Total", None, {c: None for c in table.columns}, True)
        )
        for dimension, table in tables.items()
    }
    return hidden_total
