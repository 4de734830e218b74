"""Suppression for a steering snapshot that follows another: stacking the two must give away no
hidden number, no setting's change and no change of a group of fewer than five settings.

A *family* is one set of figures by every breakdown: the completeness tables, or one standard's
tables (by phase, district, type, trust, size band). `FamilyChange` lists the settings whose
contribution to the family differs from the previous snapshot (a new return, a revision, an
acceptance), each with its group in every breakdown (two groups when it moved).

Someone holding both snapshots knows, for each row shown in both, the change of that row: the sum
of its changed settings' changes; for the rows hidden in either, only the sum of their changes,
and only while both totals are shown. Each is a sum over a *block* of changed settings. Settings
in the same blocks across every breakdown (an *atom*) can never be told apart, so when every
atom that lies in some block holds at least `threshold` settings, no sum over fewer than
`threshold` of them, one setting's change included, can be worked out. The rule, on top of the
one for a single view (`suppression`):

1. a row without change is shown as the previous snapshot showed it: its numbers, which are the
   same as before, or hidden, since showing them now would give the old hidden ones away;
2. a row hidden before opens only when it changed and its change cannot be worked out (its old
   numbers would follow), and while some rows hidden with it stay hidden, only when the change of
   the opened rows together cannot be worked out either (theirs would follow);
3. a row that moved settings between groups, or whose change is an atom of fewer than
   `threshold` settings, is hidden, and a row hidden now counts as protecting the others only
   if its numbers cannot be worked out from the previous snapshot;
4. when an atom lies in no row that can be hidden, the totals of the family go;
5. so do they when the rows hidden in a breakdown would all have none of a rating (or all of them
   have it) and every row that could be hidden with them is known from the previous snapshot;
   and once the totals go, a breakdown hiding fewer than two rows that count someone hides every
   row not known already, or its rows would add up to the totals again.

A row that counts nobody protects nothing only when every number in it is zero
(`suppression.counts_nobody`).

tests/collector_la/test_snapshot_suppression.py checks it with exact linear algebra over random pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from school_audit.collector.aggregate.suppression import (
    THRESHOLD,
    GroupCounts,
    ShownRow,
    SteeringTable,
    counts_nobody,
    groups_to_hide,
    mix_hidden,
    suppress,
    unmixed,
)

PRIME = (1 << 61) - 1


@dataclass(frozen=True)
class Changed:
    """One setting whose contribution changed: its group then and now in each breakdown."""

    groups: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class FamilyChange:
    settings: Sequence[Changed] = ()

    def members(self, dimension: str, group: str) -> frozenset[int]:
        return frozenset(
            i for i, s in enumerate(self.settings) if group in s.groups.get(dimension, ())
        )

    def count(self, dimension: str, group: str) -> int:
        return len(self.members(dimension, group))


@dataclass(frozen=True)
class FamilyRule:
    """How the one-view rule treats this family (as `steering.steering_view` does)."""

    columns: Sequence[str]
    hide_empty: bool = True  # completeness: a group with nobody is hidden as small
    priority: Mapping[str, Sequence[str]] = field(default_factory=dict)  # dimension -> order
    threshold: int = THRESHOLD
    shares: Sequence[str] = ()  # rating columns, each a share of the row's settings (rule 4)
    wholes: Mapping[str, str] = field(default_factory=dict)  # share -> the column it is part of


def mask_family(
    raw: Mapping[str, Sequence[GroupCounts]],
    rule: FamilyRule,
    previous: Mapping[str, SteeringTable] | None = None,
    change: FamilyChange | None = None,
) -> dict[str, SteeringTable]:
    """Every breakdown of one family, suppressed for a snapshot after `previous` (or the first)."""
    if previous is None or change is None or not set(raw) <= set(previous):
        return _first(raw, rule)
    return _Pair(raw, rule, previous, change).solve()


def _first(raw: Mapping[str, Sequence[GroupCounts]], rule: FamilyRule) -> dict[str, SteeringTable]:
    tables = {}
    for dimension, rows in raw.items():
        sizes = {row.group: row.settings for row in rows}
        hide = groups_to_hide(
            sizes, rule.threshold, priority=rule.priority.get(dimension), hide_empty=rule.hide_empty
        )
        hide = mix_hidden(rows, hide, rule.shares, rule.priority.get(dimension), wholes=rule.wholes)
        tables[dimension] = suppress(
            dimension, rule.columns, rows, rule.threshold, hide=hide, empty_protects=rule.hide_empty
        )
    return totals_together(tables)


class _Pair:
    """The rule for one family after a previous snapshot; `solve` hides until nothing leaks."""

    def __init__(
        self,
        raw: Mapping[str, Sequence[GroupCounts]],
        rule: FamilyRule,
        previous: Mapping[str, SteeringTable],
        change: FamilyChange,
    ) -> None:
        self.raw, self.rule, self.previous, self.change = raw, rule, previous, change
        self.everyone = frozenset(range(len(change.settings)))
        self.forced: dict[str, set[str]] = {d: set() for d in raw}
        self.known: dict[str, set[str]] = {d: set() for d in raw}  # hidden but worked out
        self.hide_totals = 0 < len(change.settings) < rule.threshold
        # Rows hidden before that may open now (the others stay hidden): see `_leaks_old_numbers`.
        self.opening = {d: self._openable(d) for d in raw}
        for setting in change.settings:  # a move is -old in one row and +new in another
            for dimension, groups in setting.groups.items():
                if len(groups) > 1 and dimension in self.forced:
                    self.forced[dimension] |= groups

    def _shown_before(self, dimension: str) -> set[str]:
        return {r.group for r in self.previous[dimension].rows if not r.suppressed}

    def _hidden_before(self, dimension: str) -> set[str]:
        return {r.group for r in self.previous[dimension].rows if r.suppressed}

    def _openable(self, dimension: str) -> set[str]:
        present = {row.group for row in self.raw[dimension]}
        return {
            g
            for g in self._hidden_before(dimension) & present
            if self.change.count(dimension, g) > 0
        }

    def solve(self) -> dict[str, SteeringTable]:
        while True:
            totals_were_hidden = self.hide_totals
            tables = self._tables()
            if self.hide_totals != totals_were_hidden:
                continue  # a later breakdown sent the totals: every breakdown must keep them away
            if not self._fix(tables):
                return tables

    def _tables(self) -> dict[str, SteeringTable]:
        tables = {}
        for dimension, rows in self.raw.items():
            hide = self._hide(dimension)
            while hide & self.opening[dimension]:  # the one-view rule keeps some of them hidden
                self.opening[dimension] -= hide
                hide = self._hide(dimension)
            tables[dimension] = suppress(
                dimension,
                self.rule.columns,
                rows,
                self.rule.threshold,
                hide=hide,
                hide_total=self.hide_totals,
                empty_protects=self.rule.hide_empty,
            )
        return totals_together(tables)

    def _hide(self, dimension: str) -> set[str]:
        """Rules 1-3 and the one-view rule, with rows already known counted as protecting nothing."""
        threshold = self.rule.threshold
        sizes = {row.group: row.settings for row in self.raw[dimension]}
        changed = {g: self.change.count(dimension, g) for g in sizes}
        shown, hidden = self._shown_before(dimension), self._hidden_before(dimension)
        known = {g for g in sizes if changed[g] == 0 and g in shown} | self.known[dimension]
        already = {g for g in sizes if changed[g] == 0 and g in hidden}
        already |= {g for g in sizes if 0 < changed[g] < threshold} | self.forced[dimension]
        already |= (hidden - self.opening[dimension]) & set(sizes)
        if self.rule.hide_empty:
            already |= {g for g in sizes if sizes[g] == 0}
        already -= known
        unknown = {g: (0 if g in known else size) for g, size in sizes.items()}
        priority = self.rule.priority.get(dimension)
        hide = groups_to_hide(unknown, threshold, already, priority, hide_empty=False) - known
        # A hidden row that counts nobody still needs company where `suppress` counts it (as
        # `_first` does): else the total goes here while a breakdown showing all its rows gives
        # it back.
        rows = {row.group: row for row in self.raw[dimension]}
        protecting = [
            g
            for g in hide
            if unknown[g]
            or (g not in known and (self.rule.hide_empty or not counts_nobody(rows[g])))
        ]
        if len(protecting) == 1:
            rank = {g: i for i, g in enumerate(priority or [])}
            others = [g for g in sizes if g not in hide | known]
            if others:
                already.add(min(others, key=lambda g: (rank.get(g, len(rank)), sizes[g], g)))
                hide = groups_to_hide(unknown, threshold, already, priority, hide_empty=False)
                hide -= known
        rule = self.rule
        hide = mix_hidden(self.raw[dimension], hide, rule.shares, priority, known, rule.wholes)
        if unmixed(self.raw[dimension], hide, rule.shares, rule.wholes):
            # Every row that could mix the hidden ones in is known already: the totals go (rule 5).
            self.hide_totals = True
        if self.hide_totals:
            # Hidden totals stay hidden only if no breakdown shows all that counts: the rows
            # not worked out already go together when fewer than two of them are hidden.
            counting = {g for g in hide if g not in known and not counts_nobody(rows[g])}
            if len(counting) < 2:
                hide |= {g for g in sizes if g not in known and not counts_nobody(rows[g])}
        return hide

    def _blocks(self, tables: Mapping[str, SteeringTable]) -> list[tuple[str, str, frozenset[int]]]:
        """Sums of changes that the two snapshots give: (dimension, row or kind, settings)."""
        totals_known = not any(t.total.suppressed for t in tables.values()) and not any(
            t.total.suppressed for t in self.previous.values()
        )
        blocks = []
        for dimension, table in tables.items():
            before = {r.group: r for r in self.previous[dimension].rows}
            taken: set[int] = set()
            for row in table.rows:
                if row.suppressed or (row.group in before and before[row.group].suppressed):
                    continue  # hidden now, or opened now (below)
                members = self.change.members(dimension, row.group)
                if members:
                    blocks.append((dimension, row.group, members))
                    taken |= members
            if not totals_known:
                continue
            if self.opening[dimension] == self._hidden_before(dimension):
                opened = frozenset().union(
                    *(self.change.members(dimension, g) for g in self._hidden_before(dimension))
                )
                blocks.append((dimension, "(opened)", opened))
                taken |= opened
            rest = self.everyone - taken
            if rest:
                blocks.append((dimension, "(rest)", frozenset(rest)))
        return blocks

    def _fix(self, tables: Mapping[str, SteeringTable]) -> bool:
        """Hide one more thing if the pair would leak; False when it leaks nothing."""
        blocks = self._blocks(tables)
        for atom in _atoms(self.everyone, [b[2] for b in blocks]):
            if len(atom) >= self.rule.threshold:
                continue
            holding = [b for b in blocks if atom <= b[2]]
            if holding:
                return self._dissolve(holding)
        span = _Span([b[2] for b in blocks], len(self.everyone))
        for dimension, table in tables.items():
            if self._leaks_old_numbers(dimension, table, span):
                return True
        return False

    def _dissolve(self, holding: list[tuple[str, str, frozenset[int]]]) -> bool:
        # A row worked out already stays shown: hiding it would hide nothing.
        rows = [b for b in holding if not b[1].startswith("(") and b[1] not in self.known[b[0]]]
        if rows:
            dimension, group, _ = min(rows, key=lambda b: (len(b[2]), b[0], b[1]))
            self.forced[dimension].add(group)
            return True
        opened = [b for b in holding if b[1] == "(opened)"]
        if opened:
            self.opening[opened[0][0]] = set()
            return True
        if self.hide_totals:
            raise AssertionError("a small atom outside every block")  # pragma: no cover
        self.hide_totals = True
        return True

    def _leaks_old_numbers(self, dimension: str, table: SteeringTable, span: _Span) -> bool:
        """A row opened now, or shown before and hidden now, whose change can be worked out: its
        old numbers (opened) or its new ones (hidden) would follow."""
        shown_before = self._shown_before(dimension)
        opening = self.opening[dimension]
        for group in sorted(opening):
            if span.contains(self.change.members(dimension, group)):
                opening.discard(group)
                return True
        # Rows staying hidden are what the old hidden total less the opened rows' old numbers
        # leaves: unknown only while the opened rows' change together is.
        if opening and opening != self._hidden_before(dimension):
            together = frozenset().union(*(self.change.members(dimension, g) for g in opening))
            if span.contains(together):
                opening.discard(min(opening, key=lambda g: (self.change.count(dimension, g), g)))
                return True
        for row in table.rows:
            if (
                row.suppressed
                and row.group in shown_before
                and row.group not in self.known[dimension]
            ):
                members = self.change.members(dimension, row.group)
                if members and span.contains(members):
                    self.known[dimension].add(row.group)
                    return True
        return False


def _atoms(everyone: Iterable[int], blocks: Sequence[frozenset[int]]) -> list[frozenset[int]]:
    """Settings grouped by the blocks they are in; those in no block are left out."""
    by_signature: dict[tuple[int, ...], set[int]] = {}
    for setting in everyone:
        signature = tuple(i for i, block in enumerate(blocks) if setting in block)
        if signature:
            by_signature.setdefault(signature, set()).add(setting)
    return [frozenset(atom) for atom in by_signature.values()]


class _Span:
    """The sums of changes the blocks give, as 0/1 vectors over the changed settings, reduced
    modulo a large prime; `contains` says whether the sum over a set follows from them."""

    def __init__(self, blocks: Iterable[frozenset[int]], size: int) -> None:
        self.size = size
        self.rows: dict[int, dict[int, int]] = {}
        for block in blocks:
            self._add({i: 1 for i in block})

    def _reduce(self, vector: dict[int, int]) -> dict[int, int]:
        vector = dict(vector)
        for pivot, row in self.rows.items():
            factor = vector.get(pivot, 0)
            if factor:
                for key, value in row.items():
                    vector[key] = (vector.get(key, 0) - factor * value) % PRIME
                vector = {k: v for k, v in vector.items() if v}
        return vector

    def _add(self, vector: dict[int, int]) -> None:
        vector = self._reduce(vector)
        if not vector:
            return
        pivot = min(vector)
        inverse = pow(vector[pivot], PRIME - 2, PRIME)
        vector = {k: v * inverse % PRIME for k, v in vector.items()}
        for other in self.rows.values():
            factor = other.get(pivot, 0)
            if factor:
                for key, value in vector.items():
                    other[key] = (other.get(key, 0) - factor * value) % PRIME
                for key in [k for k, v in other.items() if not v]:
                    del other[key]
        self.rows[pivot] = vector

    def contains(self, members: Iterable[int]) -> bool:
        return not self._reduce({i: 1 for i in members})


def totals_together(tables: dict[str, SteeringTable]) -> dict[str, SteeringTable]:
    """Breakdowns of one family share one total: hidden in one, it is hidden in all."""
    if not any(table.total.suppressed for table in tables.values()):
        return tables
    return {
        dimension: replace(
            table, total=ShownRow("Total", None, {c: None for c in table.columns}, True)
        )
        for dimension, table in tables.items()
    }
