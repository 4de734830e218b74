"""Folding small groups before suppression, so that the steering group's tables hide as little as
they must. One rule, used by every steering table (dashboard page, exports, PDF pack, snapshots).

1. Districts first go into the wider areas the LA configured (the `steering_areas` setting, e.g.
   "Bromsgrove=North; Redditch=North"), where it did.
2. In each breakdown, every group with fewer than `FOLD_BELOW` settings on the register (the
   settings expected to return, not those that have) is folded into one "Other ..." group; while
   that group is itself under `FOLD_BELOW`, or holds a single group of fewer than five, the next
   smallest group joins it (one group of five to nine is left as it is). A breakdown that
   would be left with "Other" alone (every group small, as in a very small LA) is not folded:
   cell suppression alone decides what it hides, as it would have without folding.
3. The folding of a cycle is fixed by its first steering snapshot and kept by every later one
   (a group first seen later is folded if it is small then), so two snapshots always show the
   same groups and cannot be subtracted to give a small group away. Only the folded tables are
   ever shown to the steering group: there is no unfolded table to subtract them from.

Cell suppression (`suppression`, `snapshot_rule`) then runs on the folded groups as on any
others. The folding depends on the register only, never on who has returned or how.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from school_audit.collector.aggregate.snapshot_rule import Changed, FamilyChange
from school_audit.collector.aggregate.suppression import THRESHOLD, GroupCounts

FOLD_BELOW = 2 * THRESHOLD  # settings on the register
OTHER = {
    "phase": "Other phases",
    "district": "Other districts",
    "type": "Other types",
    "trust": "Other trusts",
    "size": "Other sizes",
}
Folding = dict[str, dict[str, str]]  # dimension -> every group seen -> the group it shows as


def parse_areas(text: str) -> dict[str, str]:
    """ "District=Area; District=Area" (or one per line) as a mapping; clear error when malformed."""
    areas: dict[str, str] = {}
    for item in text.replace("\n", ";").split(";"):
        if not item.strip():
            continue
        district, sep, area = item.partition("=")
        if not sep or not district.strip() or not area.strip():
            raise ValueError(f"steering_areas: expected District=Area, got {item.strip()!r}")
        areas[district.strip()] = area.strip()
    return areas


def fold_map(
    sizes: Mapping[str, Mapping[str, int]],
    previous: Folding | None = None,
    areas: Mapping[str, str] | None = None,
    fold_below: int = FOLD_BELOW,
) -> Folding:
    """The folding of every breakdown. `sizes`: dimension -> group -> settings on the register.
    `previous`: the folding of the cycle so far, which is kept for every group it knows."""
    folding: Folding = {}
    for dimension, by_group in sizes.items():
        kept = dict((previous or {}).get(dimension, {}))
        mapped = dict(areas or {}) if dimension == "district" else {}
        shown: dict[str, int] = {}
        for group, size in by_group.items():
            label = mapped.get(group, group)
            shown[label] = shown.get(label, 0) + size
        other = OTHER.get(dimension, "Other")
        if kept:
            new = {g: s for g, s in by_group.items() if g not in kept}
            for group in new:
                label = mapped.get(group, group)
                kept[group] = other if shown[label] < fold_below else label
            folding[dimension] = kept
            continue
        folded = _small(shown, fold_below)
        folding[dimension] = {
            g: other if mapped.get(g, g) in folded else mapped.get(g, g) for g in by_group
        }
    return folding


def _small(shown: Mapping[str, int], fold_below: int) -> set[str]:
    folded = {g for g, size in shown.items() if size < fold_below}
    if len(folded) == 1 and shown[next(iter(folded))] >= THRESHOLD:
        return set()  # one group of 5-9 settings: shown as it is when enough of them return
    rest = sorted((g for g in shown if g not in folded), key=lambda g: (shown[g], g))
    while folded and (sum(shown[g] for g in folded) < fold_below or len(folded) == 1) and rest:
        folded.add(rest.pop(0))
    if len(shown) - len(folded) < 1 or len(folded) < 2:
        return set()  # folding would leave only the total, or rename one group: fold nothing
    return folded


def shown_as(mapping: Mapping[str, str], group: str, dimension: str) -> str:
    """The group a group shows as; one the register does not know (e.g. a phase only a return
    gives) is small by nature and goes to Other."""
    if not mapping:
        return group
    return mapping.get(group, OTHER.get(dimension, "Other"))


def fold_rows(
    rows: Sequence[GroupCounts], mapping: Mapping[str, str], dimension: str = ""
) -> list[GroupCounts]:
    """Rows of one breakdown with folded groups added together (first-seen order, Other last)."""
    merged: dict[str, tuple[int, dict[str, int]]] = {}
    for row in rows:
        label = shown_as(mapping, row.group, dimension)
        settings, counts = merged.get(label, (0, {}))
        for column, value in row.counts.items():
            counts[column] = counts.get(column, 0) + value
        merged[label] = (settings + row.settings, counts)
    others = set(OTHER.values()) | {"Other"}
    order = sorted(merged, key=lambda g: g in others)
    return [GroupCounts(g, merged[g][0], merged[g][1]) for g in order]


def fold_sizes(
    sizes: Mapping[str, int], mapping: Mapping[str, str], dimension: str = ""
) -> dict[str, int]:
    folded: dict[str, int] = {}
    for group, size in sizes.items():
        label = shown_as(mapping, group, dimension)
        folded[label] = folded.get(label, 0) + size
    return folded


def fold_change(change: FamilyChange, folding: Folding) -> FamilyChange:
    """Who changed, with their groups as folded: a move inside one folded group is no move."""
    return FamilyChange(
        [
            Changed(
                {
                    d: frozenset(shown_as(folding.get(d, {}), g, d) for g in groups)
                    for d, groups in setting.groups.items()
                }
            )
            for setting in change.settings
        ]
    )


def folded_groups(folding: Folding, dimension: str) -> dict[str, list[str]]:
    """Folded group -> the groups in it, for the key printed under a table (only real folds)."""
    members: dict[str, list[str]] = {}
    for group, label in folding.get(dimension, {}).items():
        if label != group:
            members.setdefault(label, []).append(group)
    return {label: sorted(groups) for label, groups in members.items()}


def register_sizes(
    by: Mapping[str, Mapping[str, object]], dimensions: Iterable[str]
) -> dict[str, dict[str, int]]:
    """dimension -> group -> settings expected, from `overview(...).by`."""
    return {
        d: {g: int(getattr(c, "expected", 0)) for g, c in by.get(d, {}).items()} for d in dimensions
    }
