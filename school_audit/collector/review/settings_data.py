"""The settings behind a figure: the drill-down lists of the dashboard (LA staff only).

A figure on the overview, compliance, triage or themes page links here with the same choice in
the address (cycle, standard, rating, group), and this module lists the settings it counted:
one current return per setting (the one the `current_returns` table names),
or none for a setting that has not returned. Filters and sort are all in the address, so a list
can be bookmarked. Aggregates are not computed here (they are `collector.aggregate`'s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import end_of_day, group_name
from school_audit.collector.cycles import cycle_info, expected_query
from school_audit.collector.db.tables import (
    ActionRow,
    Answer,
    CurrentReturn,
    Establishment,
    ReminderSent,
    Review,
    Submission,
)
from school_audit.collector.register.model import TYPE_GROUPS
from school_audit.collector.register.sizes import BAND_ORDER, size_band
from school_audit.collector.review.text_match import ESCAPE, contains

# The statuses of a return that counts; quarantined and superseded ones do not.
STATUS_CHOICES = {
    "missing": "Not returned",
    "quarantined": "Quarantined only (not counted)",
    "received": "Returned (any state)",
    "awaiting": "Received, awaiting review",
    "accepted": "Accepted",
    "returned": "Returned for changes",
}
RATING_CHOICES = {
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
    "not_fully_met": "Not fully met",
}
YES_NO = {"yes": "Yes", "no": "No"}
DEADLINES = {"first": "Received by the first deadline", "final": "Received by the final deadline"}
# Columns an officer can sort by: (label, key of the row).
SORTS = {
    "name": "Setting",
    "district": "District",
    "phase": "Phase",
    "type": "Type",
    "size": "Size band",
    "status": "Return",
    "received": "Received",
}
GROUP_FILTERS = {
    "setting_type": "Kind of setting",
    "phase": "Phase",
    "district": "District",
    "type": "Type",
    "trust": "Trust",
    "size": "Size band",
}
MAX_TEXT = 200


@dataclass(frozen=True)
class SettingRow:
    urn: str
    name: str
    postcode: str
    setting_type: str
    phase: str
    district: str  # as the aggregates group it: "(not recorded)" when the register has none
    type: str
    trust: str
    size: str
    status: str  # a STATUS_CHOICES key other than "received"
    submission_id: str | None
    received_at: datetime | None
    expected: bool  # open, of a kind the cycle has a template for, not exempt
    reviewed: bool
    reminded: bool
    first_received_at: datetime | None  # the first return of any state (as the overview counts)
    rating: str | None  # the rating of the chosen standard, when one is chosen

    def group(self, dimension: str) -> str:
        return str(getattr(self, dimension))


@dataclass(frozen=True)
class Query:
    """What the list shows; built from the address by `read_query` (unknown values dropped)."""

    cycle: str
    standard: str = ""
    rating: str = ""
    support: str = ""  # a standard on which the setting asked the LA for support
    status: str = ""
    reviewed: str = ""
    reminded: str = ""
    expected: str = ""  # yes: only the settings the overview counts as expected
    deadline: str = ""  # a DEADLINES key
    groups: tuple[tuple[str, str], ...] = ()  # (dimension, group) pairs
    sort: str = "name"
    descending: bool = False

    def params(self, **changes: str) -> dict[str, str]:
        """The address of this list, with some values changed (for links and the form)."""
        values = {
            "cycle": self.cycle,
            "standard": self.standard,
            "rating": self.rating,
            "support": self.support,
            "status": self.status,
            "reviewed": self.reviewed,
            "reminded": self.reminded,
            "expected": self.expected,
            "deadline": self.deadline,
            **dict(self.groups),
            "sort": self.sort if self.sort != "name" else "",
            "order": "desc" if self.descending else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}


def read_query(cycle: str, params: Mapping[str, str]) -> Query:
    def choice(name: str, allowed: Mapping[str, str]) -> str:
        value = params.get(name, "")
        return value if value in allowed else ""

    groups = tuple(
        (name, params[name][:MAX_TEXT]) for name in GROUP_FILTERS if params.get(name, "")
    )
    return Query(
        cycle=cycle,
        standard=params.get("standard", "")[:MAX_TEXT],
        rating=choice("rating", RATING_CHOICES),
        support=params.get("support", "")[:MAX_TEXT],
        status=choice("status", STATUS_CHOICES),
        reviewed=choice("reviewed", YES_NO),
        reminded=choice("reminded", YES_NO),
        expected=choice("expected", YES_NO),
        deadline=choice("deadline", DEADLINES),
        groups=groups,
        sort=choice("sort", SORTS) or "name",
        descending=params.get("order") == "desc",
    )


def list_settings(session: Session, query: Query) -> list[SettingRow]:
    rows = [row for row in _all_rows(session, query) if _matches(row, query)]
    if query.deadline:
        rows = [row for row in rows if _on_time(row, _deadline(session, query))]
    return sorted(rows, key=_sort_key(query.sort), reverse=query.descending)


def current_returns(session: Session, cycle: str) -> dict[str, Submission]:
    """The one return that counts for each setting: the one `current_returns` names (the ingest
    keeps it; quarantined and superseded returns never count)."""
    rows = session.scalars(
        select(Submission)
        .join(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
        .where(CurrentReturn.cycle == cycle)
    )
    return {submission.urn: submission for submission in rows}


def _all_rows(session: Session, query: Query) -> list[SettingRow]:
    returns = current_returns(session, query.cycle)
    kinds = list(cycle_info(session, query.cycle).templates)
    establishments = {e.urn: e for e in session.scalars(expected_query(query.cycle, kinds))}
    expected = set(establishments)
    unexpected = [urn for urn in returns if urn not in establishments]
    if unexpected:
        found = select(Establishment).where(Establishment.urn.in_(unexpected))
        establishments.update({e.urn: e for e in session.scalars(found)})
    ratings = _ratings(session, query, returns) if query.standard else None
    reviewed = _reviewed(session, [s.submission_id for s in returns.values()])
    held = dict(
        session.execute(
            select(Submission.urn, Submission.submission_id)
            .where(Submission.cycle == query.cycle, Submission.status == "quarantined")
            .order_by(Submission.revision)
        ).all()
    )
    first_at = dict(
        session.execute(
            select(Submission.urn, func.min(Submission.received_at))
            .where(Submission.cycle == query.cycle)
            .group_by(Submission.urn)
        ).all()
    )
    reminded = set(
        session.scalars(select(ReminderSent.urn).where(ReminderSent.cycle == query.cycle))
    )
    urns = set(ratings) if ratings is not None else establishments.keys() | returns.keys()
    if query.support:
        urns &= _asking_support(session, query, returns)
    return [
        _row(
            urn,
            establishments.get(urn),
            returns.get(urn),
            quarantined_id=held.get(urn),
            submission_reviewed=urn in returns and returns[urn].submission_id in reviewed,
            reminded=urn in reminded,
            expected=urn in expected,
            first_received_at=first_at.get(urn),
            rating=ratings.get(urn) if ratings is not None else None,
        )
        for urn in urns
    ]


def _ratings(session: Session, query: Query, returns: dict[str, Submission]) -> dict[str, str]:
    """The chosen standard's rating in each current return (read through ix_answers_agg). The
    standard is the cycle template's: a return on another edition is read through the mapping
    (`aggregate.editions`), as the compliance page counted it."""
    wanted = {"not_fully_met": ("partially_met", "not_met")}.get(query.rating, (query.rating,))
    answered = editions.cycle_editions(session.connection(), query.cycle)
    answers = answered.restrict(
        select(Answer.urn, Answer.rating, Answer.submission_id).where(
            Answer.cycle == query.cycle, Answer.current.is_(True)
        ),
        Answer,
        [query.standard],
    )
    if query.rating:
        answers = answers.where(Answer.rating.in_(wanted))
    current = {s.submission_id for s in returns.values()}
    return {urn: rating for urn, rating, sid in session.execute(answers) if sid in current}


def _deadline(session: Session, query: Query) -> datetime | None:
    info = cycle_info(session, query.cycle)
    day = info.first_deadline if query.deadline == "first" else info.final_deadline
    return end_of_day(day)


def _on_time(row: SettingRow, limit: datetime | None) -> bool:
    """Received by the deadline, as the overview counts it (no deadline set: received at all)."""
    if row.status in ("missing", "quarantined"):  # no return that counts
        return False
    first = row.first_received_at
    return first is not None and (limit is None or first < limit)


def _asking_support(session: Session, query: Query, returns: dict[str, Submission]) -> set[str]:
    """Settings whose current return asks the LA for support on the chosen standard (the
    cycle template's, through the editions' mapping as for ratings)."""
    answered = editions.cycle_editions(session.connection(), query.cycle)
    asking = answered.restrict(
        select(ActionRow.urn, ActionRow.submission_id).where(
            ActionRow.cycle == query.cycle, ActionRow.support_requested.is_(True)
        ),
        ActionRow,
        [query.support],
    )
    current = {s.submission_id for s in returns.values()}
    return {urn for urn, sid in session.execute(asking) if sid in current}


def _reviewed(session: Session, submission_ids: list[str]) -> set[str]:
    if not submission_ids:
        return set()
    found = select(Review.submission_id).where(Review.submission_id.in_(submission_ids))
    return set(session.scalars(found.distinct()))


def _row(
    urn: str,
    place: Establishment | None,
    submission: Submission | None,
    *,
    quarantined_id: str | None,
    submission_reviewed: bool,
    reminded: bool,
    expected: bool,
    first_received_at: datetime | None,
    rating: str | None,
) -> SettingRow:
    # Phase and district as signed in the return (as compliance groups them), else the register.
    phase = submission.phase if submission else (place.phase if place else "")
    district = submission.district if submission else (place.district if place else None)
    kind = place.setting_type if place else (submission.setting_type if submission else "school")
    status = submission.status if submission else ("quarantined" if quarantined_id else "missing")
    return SettingRow(
        urn=urn,
        name=place.name if place else urn,
        postcode=(place.postcode or "") if place else "",
        setting_type=kind,
        phase=group_name(phase),
        district=group_name(district),
        type=group_name(place.type_group if place else None),
        trust=group_name(place.trust_name if place else None, "trust"),
        size=size_band(place.pupils if place else None, kind),
        status="awaiting" if status == "received" else status,
        submission_id=submission.submission_id if submission else quarantined_id,
        received_at=submission.received_at if submission else None,
        reviewed=submission_reviewed,
        reminded=reminded,
        expected=expected,
        first_received_at=first_received_at,
        rating=rating,
    )


def _matches(row: SettingRow, query: Query) -> bool:
    if query.status == "received" and row.status in ("missing", "quarantined"):
        return False
    if query.status not in ("", "received") and row.status != query.status:
        return False
    if query.reviewed and row.reviewed != (query.reviewed == "yes"):
        return False
    if query.expected and row.expected != (query.expected == "yes"):
        return False
    if query.reminded and row.reminded != (query.reminded == "yes"):
        return False
    return all(row.group(dimension) == group for dimension, group in query.groups)


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    status_order = list(STATUS_CHOICES)

    def key(row: SettingRow) -> tuple[object, ...]:
        value: object
        if sort == "size":
            value = BAND_ORDER.index(row.size) if row.size in BAND_ORDER else len(BAND_ORDER)
        elif sort == "status":
            value = status_order.index(row.status)
        elif sort == "received":
            value = row.received_at.timestamp() if row.received_at else 0.0
        elif sort == "type":
            value = TYPE_GROUPS.get(row.type, row.type).lower()
        else:
            value = str(getattr(row, sort)).lower()
        return (value, row.name.lower(), row.urn)

    return key


def find(session: Session, text: str, limit: int = 50) -> list[Establishment]:
    """Settings whose name, URN or postcode contains `text` (postcodes with or without space)."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return []
    like = contains(text)
    squeezed = contains(text.replace(" ", ""))
    postcode = func.replace(Establishment.postcode, " ", "")
    found = (
        select(Establishment)
        .where(
            Establishment.name.ilike(like, escape=ESCAPE)
            | Establishment.urn.ilike(like, escape=ESCAPE)
            | postcode.ilike(squeezed, escape=ESCAPE)
        )
        .order_by(Establishment.name)
        .limit(limit)
    )
    return list(session.scalars(found))
