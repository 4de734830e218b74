"""Small-group suppression for everything the steering group sees.

The rule (docs/la-guide.md explains it for readers):

1. Primary: a group (a row of a breakdown, e.g. one district) with fewer than `threshold` settings
   is hidden, every number in its row with it.
2. Secondary: within one breakdown, the hidden rows must not be recoverable by subtraction from the
   visible total. So if exactly one row is hidden, or the hidden rows together hold fewer than
   `threshold` settings, the smallest visible row is hidden too, until neither is true.
3. A breakdown whose total is itself below the threshold is hidden whole, totals included.

Every breakdown offered (by phase, by district, by type) partitions the same settings and shows
the same totals; as no cross-tabulation of two dimensions is ever shown, two or more hidden rows
in each breakdown leave every hidden number undetermined (tests/collector_la prove it by linear
algebra over random data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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


def groups_to_hide(sizes: Mapping[str, int], threshold: int = THRESHOLD) -> set[str]:
    """The groups of one breakdown to hide, primary and secondary (see the module docstring)."""
    hidden = {group for group, size in sizes.items() if size < threshold}
    if sum(sizes.values()) < threshold:
        return set(sizes)
    while hidden and (len(hidden) == 1 or sum(sizes[g] for g in hidden) < threshold):
        visible = sorted((size, group) for group, size in sizes.items() if group not in hidden)
        if not visible:
            break
        hidden.add(visible[0][1])
    return hidden


def suppress(
    dimension: str,
    columns: Sequence[str],
    rows: Sequence[GroupCounts],
    threshold: int = THRESHOLD,
    hide: set[str] | None = None,
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
    return SteeringTable(
        dimension, list(columns), shown, _shown(total, columns, total_settings < threshold)
    )


def _shown(row: GroupCounts, columns: Sequence[str], hidden: bool) -> ShownRow:
    if hidden:
        return ShownRow(row.group, None, {c: None for c in columns}, True)
    return ShownRow(row.group, row.settings, {c: row.counts.get(c, 0) for c in columns}, False)
