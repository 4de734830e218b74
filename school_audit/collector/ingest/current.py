"""One current return per establishment and cycle: which return counts, kept in `current_returns`.

The rule (docs/collector.md, "Which return counts"):

- A later revision of the same audit replaces the current return (it becomes current, the
  earlier revisions are marked superseded); an earlier revision arriving after a later one is
  stored as superseded. Supersession only ever acts within one establishment and one audit:
  the `supersedes` field of another school's return can name an id but never change it.
- A return of a *different* audit for an establishment and cycle that already has a current
  return is kept (a signed return is never thrown away) but quarantined as a duplicate, with a
  reason naming the current return. An LA officer may release it; it then becomes the current
  return and the other is superseded.
- A quarantined return (a duplicate, or one that breaks a content rule) does not count in any
  figure until it is released; the return it would have replaced keeps counting meanwhile.

Safe under concurrent writers by construction: the row of `current_returns` for the school and
cycle is read with `FOR UPDATE` (PostgreSQL; SQLite has one writer), so two transactions for the
same school take turns, and when there is no row yet both insert one and the primary key lets
only one commit; the other gets an IntegrityError and `group_commit` runs its work again, which
then reads the winner's row.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import kept
from school_audit.collector.db import Database
from school_audit.collector.db.tables import Answer, AuditLogEntry, CurrentReturn, Submission

COUNTED = ("received", "accepted", "returned")  # the statuses a current return can have


@dataclass(frozen=True)
class Holder:
    """The return that counts now for a school and cycle."""

    submission_id: str
    audit_id: str
    revision: int
    setting_type: str
    counted_as: dict[str, str]  # the groups its answers are counted under (aggregate.kept)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str | None


class ReleaseRefused(ValueError):
    """The return cannot be released; the message says why, in plain words."""


# Built once: every return runs these, and building a statement costs more than running it.
_HOLDER = (
    select(CurrentReturn.submission_id, CurrentReturn.setting_type, CurrentReturn.counted_as,
           Submission.audit_id, Submission.revision)
    .join(Submission, Submission.submission_id == CurrentReturn.submission_id)
    .where(CurrentReturn.cycle == bindparam("cycle"), CurrentReturn.urn == bindparam("urn"))
    .with_for_update(of=CurrentReturn)
)  # fmt: skip
_MINE = select(Submission.setting_type, Submission.phase, Submission.district).where(
    Submission.submission_id == bindparam("sid")
)
_ADD_CURRENT = insert(CurrentReturn)
# The values set are the parameters named after columns (submission_id, setting_type...).
_MOVE_CURRENT = update(CurrentReturn).where(
    CurrentReturn.cycle == bindparam("key_cycle"), CurrentReturn.urn == bindparam("key_urn")
)
_EARLIER = select(Submission.submission_id).where(
    Submission.urn == bindparam("urn"),
    Submission.audit_id == bindparam("audit_id"),
    Submission.revision < bindparam("revision"),
    Submission.status != "superseded",
)
_SUPERSEDE = (
    update(Submission)
    .where(Submission.submission_id.in_(bindparam("ids", expanding=True)))
    .values(status="superseded")
)
_NOT_CURRENT = (
    update(Answer)
    .where(Answer.submission_id.in_(bindparam("ids", expanding=True)))
    .values(current=False)
)


def lock_holder(session: Session, cycle: str, urn: str) -> Holder | None:
    """The current return for (cycle, urn), its row locked until the transaction ends."""
    held = session.connection().execute(_HOLDER, {"cycle": cycle, "urn": urn}).first()
    if held is None:
        return None
    return Holder(held.submission_id, held.audit_id, int(held.revision), held.setting_type,
                  json.loads(held.counted_as))  # fmt: skip


def decide(
    audit_id: str,
    revision: int,
    key: tuple[str, str],
    holder: Holder | None,
    problems: list[str],
) -> Decision:
    """The status a new return for key (cycle, urn) is stored with, given the current return
    and the new one's content problems."""
    reason = "; ".join(problems) or None
    if holder is not None and holder.audit_id == audit_id and holder.revision > revision:
        return Decision("superseded", reason)  # a later revision of this audit already counts
    if problems:
        return Decision("quarantined", reason)
    if holder is None or (holder.audit_id == audit_id and holder.revision < revision):
        return Decision("received", None)
    return Decision("quarantined", duplicate_reason(key, holder))


def duplicate_reason(key: tuple[str, str], holder: Holder) -> str:
    cycle, urn = key
    return (
        f"duplicate_return: establishment {urn} already has a current return for {cycle} "
        f"({holder.submission_id}, another audit or the same revision), which keeps counting; "
        "an LA officer may release this one to count instead"
    )


def take_over(
    session: Session,
    submission_id: str,
    key: tuple[str, str],
    audit_id: str,
    revision: int,
    holder: Holder | None,
    ratings: Counter[tuple[str, str]] | None = None,
    changes: kept.Changes | None = None,
    stored: Stored | None = None,
) -> None:
    """Make `submission_id` the current return for key (cycle, urn): the holder and earlier
    revisions of the same audit and establishment become superseded, and the kept counts
    follow. Its own answers must already be current (ingest writes them so; `release` sets
    them); `ratings`, its answers by (standard, rating), saves reading them back; `changes`:
    gather the kept-count changes there for the caller to write before commit (kept.switch);
    `stored`: what its submission row holds, if the caller has it in hand (ingest does)."""
    cycle, urn = key
    connection = session.connection()
    if stored is None:
        row = connection.execute(_MINE, {"sid": submission_id}).one()
        stored = Stored(row.setting_type, row.phase, row.district)
    groups = kept.groups_of(connection, urn, stored.phase, stored.district)
    values = {"submission_id": submission_id, "setting_type": stored.setting_type,
              "counted_as": json.dumps(groups, sort_keys=True)}  # fmt: skip
    if holder is None:  # raises IntegrityError if another writer got there first: retried
        connection.execute(_ADD_CURRENT, {"cycle": cycle, "urn": urn, **values})
    else:
        connection.execute(_MOVE_CURRENT, {"key_cycle": cycle, "key_urn": urn, **values})
        _supersede(session, [holder.submission_id])
    old = None
    if holder is not None:
        old = (cycle, holder.setting_type, holder.submission_id, holder.counted_as)
    kept.switch(connection, (cycle, stored.setting_type, submission_id), groups, old, ratings,
                changes, stored.template)  # fmt: skip
    earlier = connection.execute(_EARLIER, {"urn": urn, "audit_id": audit_id, "revision": revision})
    _supersede(session, list(earlier.scalars()))


@dataclass(frozen=True)
class Stored:
    """The submission row's values `take_over` needs."""

    setting_type: str
    phase: str
    district: str | None
    template: tuple[str, str] | None = None  # id and version answered (None: read it)


def _supersede(session: Session, submission_ids: list[str]) -> None:
    if not submission_ids:
        return
    connection = session.connection()
    connection.execute(_SUPERSEDE, {"ids": submission_ids})
    connection.execute(_NOT_CURRENT, {"ids": submission_ids})


def release_return(database: Database, submission_id: str, actor: str) -> str | None:
    """`release` in a write transaction of its own, run once more if a return for the same
    school became current at the same moment (the primary key refused the second)."""
    for attempt in (1, 2):
        try:
            with database.write() as session:
                return release(session, submission_id, actor)
        except IntegrityError:
            if attempt == 2:
                raise
    return None  # not reached


def release(session: Session, submission_id: str, actor: str) -> str | None:
    """An LA officer's choice: a quarantined return becomes the current one for its school and
    cycle. Returns the id of the return it replaced (None if there was none)."""
    found = session.get(Submission, submission_id)
    if found is None:
        raise ReleaseRefused("No return has that submission id.")
    holder = lock_holder(session, found.cycle, found.urn)
    session.refresh(found)  # its status as of the lock, not as first read
    if found.status != "quarantined":
        raise ReleaseRefused(
            f"Only a quarantined return can be released; this one is {found.status}."
        )
    if "duplicate_response:" in (found.quarantine_reason or ""):
        raise ReleaseRefused(
            "This return answers a standard more than once, so it cannot count: ask the school "
            "to send a corrected revision."
        )
    if (
        holder is not None
        and holder.audit_id == found.audit_id
        and holder.revision > found.revision
    ):
        raise ReleaseRefused(
            "A later revision of the same audit already counts; this one cannot replace it."
        )
    found.status = "received"
    session.flush()
    session.execute(
        update(Answer).where(Answer.submission_id == submission_id).values(current=True)
    )
    take_over(session, submission_id, (found.cycle, found.urn), found.audit_id,
              int(found.revision), holder)  # fmt: skip
    replaced = holder.submission_id if holder else None
    detail = f"replaces {replaced}" if replaced else "no return counted before"
    session.add(AuditLogEntry(actor=actor[:100], action="return_released",
                              target=submission_id, detail=detail))  # fmt: skip
    return replaced


@dataclass(frozen=True)
class WaitingDuplicate:
    submission_id: str
    urn: str
    cycle: str
    received_at: str
    reason: str


def quarantined_returns(session: Session, cycle: str | None = None) -> list[WaitingDuplicate]:
    """Quarantined returns (duplicates and content-rule breaches) waiting for an officer."""
    query = select(Submission).where(Submission.status == "quarantined")
    if cycle:
        query = query.where(Submission.cycle == cycle)
    return [
        WaitingDuplicate(s.submission_id, s.urn, s.cycle,
                         s.received_at.isoformat(timespec="seconds"), s.quarantine_reason or "")
        for s in session.scalars(query.order_by(Submission.cycle, Submission.urn,
                                                Submission.received_at))
    ]  # fmt: skip
