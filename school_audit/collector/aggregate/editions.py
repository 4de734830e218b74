"""Counting a return in the ids of its cycle's template, whichever edition the school answered.

A cycle counts on the template the LA opened it with (`cycles`); a school may have answered an
earlier or later edition of it (e.g. 2025-26.1 while the cycle moved to 2025-26.2). Its answers are
translated through the editions' `replaces` (`domain.carry_forward.standard_mapping`, following
`editions_between`), so that a standard id in a figure means one thing whoever answered it:

- kept, or renamed: counted under the cycle's id;
- split (an older answer, the cycle on the newer edition): counted for each part, as the answer
  covered the whole standard the parts came from;
- retired, new, or no counterpart: not counted from that return;
- merged, or a part answering for a wider standard (a newer answer, the cycle on the older
  edition): not counted, as no one answer of the school covers the cycle's standard;
- a cycle id several of the return's answers would lead to is not counted from it, so each
  school counts at most once in every cycle id.

A return on an edition with no followable chain to the cycle's counts nothing. The maps are
linear (answer id -> cycle ids), so counts by (standard, rating) translate without the rows.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, bindparam, false, or_, select

from school_audit.collector.db.tables import CycleTemplate, Submission, TemplateRow
from school_audit.domain.carry_forward import editions_between, standard_mapping
from school_audit.domain.template import ReplaceKind, Template
from school_audit.domain.template_loading import load_template

Ref = tuple[str, str]  # template id, version
IdMap = dict[str, tuple[str, ...]]  # answered standard id -> cycle template ids
_CARRIES_BACK = (None, ReplaceKind.RENAMED)
# By the texts' hashes: a published text never changes, but two databases may publish different
# texts under one id and version (tests do).
_parsed: dict[str, Template] = {}
_maps: dict[tuple[str, str], IdMap] = {}
_lock = threading.Lock()


# Built once: each ingest transaction runs it (building a statement costs more than running it).
_CYCLE_REFS = select(CycleTemplate.setting_type, CycleTemplate.template_id,
                     CycleTemplate.template_version).where(CycleTemplate.cycle == bindparam("cycle"))  # fmt: skip


def cycle_refs(connection: Connection, cycle: str) -> dict[str, Ref]:
    """The cycle's template per setting type."""
    return {row[0]: (row[1], row[2]) for row in connection.execute(_CYCLE_REFS, {"cycle": cycle})}


def id_map(connection: Connection, answered: Ref, target: Ref | None) -> IdMap | None:
    """How answers on edition `answered` count in the ids of `target`; None: as they are (the
    same edition, or a cycle without a template for the setting type, which shows nothing)."""
    if target is None or answered == target:
        return None
    hashes = _hashes(connection, [answered, target])
    if answered not in hashes or target not in hashes:
        return {}  # not published here: nothing to map through
    key = (hashes[answered], hashes[target])
    with _lock:
        if key in _maps:
            return _maps[key]
    found = _build(connection, answered, target)
    with _lock:
        _maps[key] = found
    return found


def translate(counts: Iterable[tuple[tuple[str, str], int]], ids: IdMap | None) -> Counter:  # type: ignore[type-arg]
    """Counts by (standard, rating) in the answered ids -> the same in the cycle's ids."""
    out: Counter[tuple[str, str]] = Counter()
    for (standard_id, rating), n in counts:
        for target in (standard_id,) if ids is None else ids.get(standard_id, ()):
            out[(target, rating)] += n
    return out


def _build(connection: Connection, answered: Ref, target: Ref) -> dict[str, tuple[str, ...]]:
    old, new = _template(connection, answered), _template(connection, target)
    if old is None or new is None:
        return {}
    known = _known(connection)
    via = editions_between(old, new, known)
    if via or _follows(old, new):  # the return is older than the cycle's template
        pairs = [(a, tuple(ids)) for a, (ids, kind) in standard_mapping(old, new, via).items()
                 if kind is not ReplaceKind.MERGED]  # fmt: skip
        return _once_each(pairs)
    via = editions_between(new, old, known)
    if via or _follows(new, old):  # the return is newer: only what kept its meaning carries back
        back = standard_mapping(new, old, via)
        pairs = [(ids[0], (cycle_id,)) for cycle_id, (ids, kind) in back.items()
                 if kind in _CARRIES_BACK and len(ids) == 1]  # fmt: skip
        return _once_each(pairs)
    return {}  # no chain between them: nothing of it can be said to mean the cycle's ids


def _follows(older: Template, newer: Template) -> bool:
    ref = newer.previous
    return ref is not None and (ref.id, ref.version) == (older.id, older.version)


def _once_each(pairs: list[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """Drop every cycle id more than one answered id leads to (a school would count twice)."""
    sources: dict[str, int] = defaultdict(int)
    for _, targets in pairs:
        for target in set(targets):
            sources[target] += 1
    return {a: tuple(t for t in targets if sources[t] == 1) for a, targets in pairs}


def _hashes(connection: Connection, refs: list[Ref] | None = None) -> dict[Ref, str]:
    query = select(TemplateRow.template_id, TemplateRow.version, TemplateRow.sha256)
    if refs is not None:
        query = query.where(TemplateRow.template_id.in_({r[0] for r in refs}))
    return {(row[0], row[1]): row[2] for row in connection.execute(query)}


def _template(connection: Connection, ref: Ref, sha256: str | None = None) -> Template | None:
    sha256 = sha256 or _hashes(connection, [ref]).get(ref)
    if sha256 is None:
        return None
    with _lock:
        if sha256 in _parsed:
            return _parsed[sha256]
    text = connection.execute(
        select(TemplateRow.json).where(TemplateRow.template_id == ref[0],
                                       TemplateRow.version == ref[1])
    ).scalar()  # fmt: skip
    if text is None:
        return None
    parsed = load_template(text)
    with _lock:
        _parsed[sha256] = parsed
    return parsed


def _known(connection: Connection) -> list[Template]:
    found = [_template(connection, ref, sha) for ref, sha in _hashes(connection).items()]
    return [t for t in found if t is not None]


class CycleEditions:
    """The editions a cycle's returns answered, each with how its ids count in the cycle's:
    for the aggregates that read answer (or action) rows rather than the kept counts (risk,
    support needs, trends, drill-down lists), so that they count as the kept counts do."""

    def __init__(self, maps: dict[Ref, IdMap | None]) -> None:
        self.maps = maps

    @property
    def plain(self) -> bool:
        """Every return answered the cycle's own edition: ids need no translating."""
        return all(ids is None for ids in self.maps.values())

    def cycle_ids(self, answered: Ref, standard_id: str) -> tuple[str, ...]:
        """The cycle ids an answer to `standard_id` on edition `answered` counts under."""
        ids = self.maps.get(answered)
        return (standard_id,) if ids is None else ids.get(standard_id, ())

    def answered_ids(self, cycle_ids: Iterable[str]) -> dict[Ref, set[str]]:
        """Per edition answered: the ids on it whose answers count under any of `cycle_ids`."""
        wanted = set(cycle_ids)
        found: dict[Ref, set[str]] = {}
        for ref, ids in self.maps.items():
            found[ref] = set(wanted) if ids is None else {
                answered for answered, targets in ids.items() if wanted.intersection(targets)
            }  # fmt: skip
        return found

    def restrict(
        self, query: Any, table: Any, cycle_ids: Iterable[str], joined: bool = False
    ) -> Any:
        """`query` over `table` (answers or actions) kept to rows counting under `cycle_ids`;
        joins `submissions` unless `joined` (every return on the cycle's edition: no join)."""
        wanted = sorted(set(cycle_ids))
        if self.plain:
            return query.where(table.standard_id.in_(wanted))
        clauses = [
            and_(Submission.template_id == ref[0], Submission.template_version == ref[1],
                 table.standard_id.in_(sorted(ids)))
            for ref, ids in sorted(self.answered_ids(wanted).items()) if ids
        ]  # fmt: skip
        if not joined:
            query = query.join(Submission, Submission.submission_id == table.submission_id)
        return query.where(or_(*clauses) if clauses else false())


def cycle_editions(connection: Connection, cycle: str) -> CycleEditions:
    """The editions answered in `cycle` and how each counts in the cycle's template ids."""
    targets = cycle_refs(connection, cycle)
    query = (
        select(Submission.setting_type, Submission.template_id, Submission.template_version)
        .where(Submission.cycle == cycle)
        .distinct()
    )
    maps = {
        (row[1], row[2]): id_map(connection, (row[1], row[2]), targets.get(row[0]))
        for row in connection.execute(query)
    }
    return CycleEditions(maps)


def chain(
    connection: Connection, older: Ref, newer: Ref
) -> tuple[Template, Template, list[Template]] | None:
    """The two editions and those between them, oldest first, when `newer` follows `older`
    through `previous` (directly or via published editions); None when no chain is known."""
    old, new = _template(connection, older), _template(connection, newer)
    if old is None or new is None:
        return None
    if older == newer:
        return old, new, []
    via = editions_between(old, new, _known(connection))
    return (old, new, via) if via or _follows(old, new) else None


def newest_following(
    connection: Connection, ref: Ref
) -> tuple[Template, Template, list[Template]] | None:
    """The newest published edition that follows `ref` (through `previous`), as `chain` gives
    it; None when no published edition follows it."""
    found = None
    for other in _hashes(connection):
        if other[0] != ref[0] or other == ref:
            continue
        steps = chain(connection, ref, other)
        if steps is not None and (found is None or len(steps[2]) > len(found[2])):
            found = steps
    return found
