"""Noticing, in each transaction, what changes the overview's completeness counts, and counting
it just before the transaction commits (`kept_status.refresh`).

The ORM's writes are seen as they are flushed: establishments (a register import, a school added
by hand) in every cycle, exemptions and submissions (a review accepting or returning a return,
a release) for their cycle and school, cycles and their templates (deadlines, who is expected)
for every establishment of the cycle. Core statements the ORM does not see (ingest) say what
they changed with `note`. Counting a school that did not change costs a query and changes
nothing, so noticing too much is harmless; noticing too little is what the property tests and
`check --aggregates` would find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, sessionmaker

from school_audit.collector.aggregate.kept_status import cycles, refresh
from school_audit.collector.db.tables import (
    CycleRow,
    CycleTemplate,
    Establishment,
    Exemption,
    Submission,
)

_PENDING = "kept_status.pending"  # session.info key
MANY = 500  # more URNs than this changed in one transaction: refresh the whole cycle


@dataclass
class Pending:
    """What changed in a transaction, to count before it commits."""

    cycles: set[str] = field(default_factory=set)  # every establishment of the cycle
    urns: set[str] = field(default_factory=set)  # in every cycle
    pairs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def scope(self, connection: Connection) -> dict[str, set[str] | None]:
        every = [row[0] for row in cycles(connection)] if self.urns else []
        scope: dict[str, set[str] | None] = {}
        for cycle in set(every) | set(self.pairs) | self.cycles:
            urns = self.urns | self.pairs.get(cycle, set())
            # A whole register import: one pass over every establishment, not a list of URNs
            # longer than a statement may bind.
            scope[cycle] = None if cycle in self.cycles or len(urns) > MANY else urns
        return scope


def pending(session: Session) -> Pending:
    found = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = Pending()
    return found


def note(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """(cycle, URN) pairs whose status changed by Core statements the ORM does not see."""
    waiting = pending(session)
    for cycle, urn in pairs:
        waiting.pairs[cycle].add(urn)


def watch(sessions: sessionmaker[Session]) -> None:
    """Count what each transaction of these sessions changes, before it commits."""
    event.listen(sessions, "after_flush", _seen)
    event.listen(sessions, "before_commit", _count)
    event.listen(sessions, "after_rollback", _forget)


def _seen(session: Session, _context: object) -> None:
    waiting: Pending | None = None
    for item in chain(session.new, session.dirty, session.deleted):
        if not isinstance(item, Submission | Exemption | Establishment | CycleRow | CycleTemplate):
            continue
        waiting = waiting or pending(session)
        if isinstance(item, Submission | Exemption):
            waiting.pairs[item.cycle].add(item.urn)
        elif isinstance(item, Establishment):
            waiting.urns.add(item.urn)
        else:
            waiting.cycles.add(item.cycle)


def _count(session: Session) -> None:
    if _PENDING not in session.info and not (session.new or session.dirty or session.deleted):
        return
    session.flush()
    waiting = session.info.pop(_PENDING, None)
    if waiting is not None:
        connection = session.connection()
        refresh(connection, waiting.scope(connection))


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
