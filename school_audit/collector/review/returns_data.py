"""What the return pages show: the list of returns, one return in full, and its revisions.

These are lookups of single returns, not aggregates (those come from `collector.aggregate`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector import redaction
from school_audit.collector.db.tables import (
    CycleRow,
    Establishment,
    Redaction,
    Review,
    Submission,
    TemplateRow,
)
from school_audit.collector.review.text_match import ESCAPE, contains
from school_audit.domain.template import Template
from school_audit.domain.template_loading import TemplateError, load_template

REVIEWABLE = ("received", "returned", "quarantined", "accepted")


@dataclass(frozen=True)
class ReturnRow:
    submission_id: str
    urn: str
    name: str
    phase: str
    district: str | None
    revision: int
    status: str
    received_at: datetime


@dataclass
class ReturnDetail:
    """One return as shown: `envelope` is the signed one with reviewers' redactions applied."""

    submission: Submission
    envelope: dict[str, Any]
    establishment: Establishment | None
    template: Template | None
    reviews: list[Review]
    revisions: list[Submission]
    changes: list[Change] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    flagged: list[FlaggedItem] = field(default_factory=list)
    text_items: list[tuple[str, str]] = field(default_factory=list)  # (item, label) for the form
    item_labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (target, item_id)

    @property
    def suggestion_count(self) -> int:
        return sum(len(flagged.suggestions) for flagged in self.flagged)

    @property
    def name(self) -> str:
        return (
            self.establishment.name
            if self.establishment
            else self.envelope["establishment"]["name"]
        )

    def responses_by_id(self) -> dict[str, dict[str, Any]]:
        return {r["standard_id"]: r for r in self.envelope.get("responses", [])}

    def actions_for(self, standard_id: str) -> list[dict[str, Any]]:
        return [a for a in self.envelope.get("actions", []) if a["standard_id"] == standard_id]

    def rating_counts(self) -> dict[str, int]:
        counts = {"met": 0, "partially_met": 0, "not_met": 0, "not_applicable": 0}
        for response in self.envelope.get("responses", []):
            counts[response["rating"]] = counts.get(response["rating"], 0) + 1
        return counts

    def needing_attention(self) -> list[AnswerItem]:
        """Standards rated not met or partially met, statutory ones first, in template order."""
        items = [
            item
            for group in self.sections()
            for item in group.items
            if item.response["rating"] in ("not_met", "partially_met")
        ]
        return sorted(
            items, key=lambda item: (not item.statutory, item.response["rating"] != "not_met")
        )

    def sections(self) -> list[AnswerGroup]:
        """The answers in the template's order, grouped by section (unknown ones at the end)."""
        responses = self.responses_by_id()
        groups: list[AnswerGroup] = []
        placed: set[str] = set()
        for section in self.template.sections if self.template else []:
            items = [
                AnswerItem(s.id, s.text, s.statutory, responses[s.id], self.actions_for(s.id))
                for s in section.standards
                if s.id in responses
            ]
            placed.update(item.standard_id for item in items)
            if items:
                groups.append(AnswerGroup(section.title, items))
        rest = [
            AnswerItem(sid, "", False, response, self.actions_for(sid))
            for sid, response in responses.items()
            if sid not in placed
        ]
        if rest:
            groups.append(AnswerGroup("Other answers" if groups else "Answers", rest))
        return groups


@dataclass(frozen=True)
class AnswerItem:
    standard_id: str
    text: str
    statutory: bool
    response: dict[str, Any]
    actions: list[dict[str, Any]]


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    items: list[AnswerItem]


@dataclass(frozen=True)
class FlaggedItem:
    """A free-text item the privacy check flags: shown redacted, suggestions highlighted."""

    item: redaction.TextItem
    segments: list[redaction.Segment]
    suggestions: list[redaction.Suggestion]


@dataclass(frozen=True)
class Change:
    standard_id: str
    before: str | None  # rating before, None when the standard is new
    after: str | None  # rating after, None when it was dropped
    evidence_changed: bool


def cycles(session: Session) -> list[str]:
    """The cycles to choose from: those the LA opened, newest first, then any other cycle named
    by a return (a device may sign any cycle; such returns are quarantined) so they stay
    findable. Only an opened cycle is ever the default (`default_cycle`)."""
    opened = opened_cycles(session)
    seen = session.scalars(select(Submission.cycle).distinct().order_by(Submission.cycle.desc()))
    return opened + [cycle for cycle in seen if cycle not in opened]


def opened_cycles(session: Session) -> list[str]:
    return list(session.scalars(select(CycleRow.cycle).order_by(CycleRow.cycle.desc())))


def default_cycle(session: Session) -> str:
    """The newest cycle the LA opened, as on the other pages; "" (every cycle) if none."""
    opened = opened_cycles(session)
    return opened[0] if opened else ""


def list_returns(
    session: Session, cycle: str | None, status: str | None, search: str, include_superseded: bool
) -> list[ReturnRow]:
    query = select(Submission, Establishment.name).join(
        Establishment, Establishment.urn == Submission.urn, isouter=True
    )
    if cycle:
        query = query.where(Submission.cycle == cycle)
    if status:
        query = query.where(Submission.status == status)
    elif not include_superseded:
        query = query.where(Submission.status != "superseded")
    if search:
        like = contains(search.strip())
        query = query.where(
            Establishment.name.ilike(like, escape=ESCAPE) | Submission.urn.ilike(like, escape=ESCAPE)
        )
    query = query.order_by(Submission.received_at.desc()).limit(2000)
    return [
        ReturnRow(
            s.submission_id,
            s.urn,
            name or s.urn,
            s.phase,
            s.district,
            s.revision,
            s.status,
            s.received_at,
        )
        for s, name in session.execute(query)
    ]


def load_detail(session: Session, submission_id: str) -> ReturnDetail | None:
    submission = session.get(Submission, submission_id)
    if submission is None:
        return None
    signed = json.loads(submission.envelope)
    redactions = redaction.redactions_for(session, submission_id)
    revisions = list(
        session.scalars(
            select(Submission)
            .where(Submission.audit_id == submission.audit_id)
            .order_by(Submission.revision)
        )
    )
    reviews = list(
        session.scalars(
            select(Review)
            .where(Review.submission_id == submission_id)
            .order_by(Review.reviewed_at.desc())
        )
    )
    detail = ReturnDetail(
        submission,
        redaction.redacted_envelope(signed, redactions),
        session.get(Establishment, submission.urn),
        _template(session, submission),
        reviews,
        revisions,
        redactions=redactions,
        flagged=_flagged(signed, redactions),
        text_items=_text_items(signed),
        item_labels={(i.target, i.item_id): i.label for i in redaction.free_text_items(signed)},
    )
    previous = _previous_revision(revisions, submission)
    if previous is not None:
        # Compared on the signed text (the result names standards only, never their text).
        detail.changes = changes_between(json.loads(previous.envelope), signed)
    return detail


def _flagged(signed: dict[str, Any], redactions: list[Redaction]) -> list[FlaggedItem]:
    hidden = redaction.spans_by_item(redactions)
    by_item: dict[tuple[str, str], list[redaction.Suggestion]] = {}
    for suggestion in redaction.suggestions(signed, redactions):
        by_item.setdefault((suggestion.item.target, suggestion.item.item_id), []).append(suggestion)
    return [
        FlaggedItem(
            found[0].item,
            redaction.segments(
                found[0].item.text, hidden.get(key, []), [(s.start, s.end) for s in found]
            ),
            found,
        )
        for key, found in by_item.items()
    ]


def _text_items(signed: dict[str, Any]) -> list[tuple[str, str]]:
    """The standards (and local questions) that have free text, for the "hide text" form."""
    seen: dict[str, str] = {}
    for item in redaction.free_text_items(signed):
        seen.setdefault(item.standard_id, item.standard_id)
    return list(seen.items())


def _template(session: Session, submission: Submission) -> Template | None:
    row = session.get(TemplateRow, (submission.template_id, submission.template_version))
    if row is None:
        return None
    try:
        return load_template(row.json)
    except TemplateError:
        return None


def _previous_revision(revisions: list[Submission], submission: Submission) -> Submission | None:
    earlier = [r for r in revisions if r.revision < submission.revision]
    return earlier[-1] if earlier else None


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Standards whose rating or evidence differ between two envelopes (added and dropped too)."""
    old = {r["standard_id"]: r for r in before.get("responses", [])}
    new = {r["standard_id"]: r for r in after.get("responses", [])}
    changes = []
    for standard_id in sorted(old.keys() | new.keys(), key=_natural):
        a, b = old.get(standard_id), new.get(standard_id)
        if a and b and a["rating"] == b["rating"] and a.get("evidence") == b.get("evidence"):
            continue
        changes.append(
            Change(
                standard_id,
                a["rating"] if a else None,
                b["rating"] if b else None,
                bool(a and b and a.get("evidence") != b.get("evidence")),
            )
        )
    return changes


def _natural(standard_id: str) -> tuple[str, int, str]:
    letters = standard_id.rstrip("0123456789")
    digits = standard_id[len(letters) :]
    return (letters, int(digits) if digits else 0, standard_id)
