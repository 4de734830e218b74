"""Reviewers' redactions: spans of a return's free text hidden from every view and export.

Schools are warned when they type something that looks like a child's name or number
(`domain.privacy`), but a warning is not a block. An LA reviewer can hide such a span afterwards.
The signed envelope stays byte for byte, so its hash and signature still verify; what the
dashboard shows is a copy with each hidden span replaced by MARKER (`redacted_envelope`).

Free text lives in four places of an envelope; each redaction names one by `target` and `item_id`:
evidence and na_reason (by standard id), action (the description, by action id) and local (a local
question's text answer, by question id). Offsets are characters of the signed text.
"""

from __future__ import annotations

import bisect
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Redaction, Submission
from school_audit.collector.db.types import utc_now
from school_audit.domain.privacy import MESSAGES, PrivacyKind, check_text

MARKER = "[redacted]"
TARGETS = ("evidence", "na_reason", "action", "local")
TARGET_LABELS = {
    "evidence": "evidence",
    "na_reason": "reason not applicable",
    "action": "action",
    "local": "local answer",
}
MAX_REASON = 200
# Limits that keep one request, and every later view of the return, quick (docs/collector.md).
MAX_OCCURRENCES = 500  # hidden by one typed text
MAX_SCANNED = 5_000  # occurrences looked at, hidden already or not, before giving up
MAX_REDACTIONS = 2_000  # kept on one return
SUGGESTION_REASONS = {
    PrivacyKind.CHILD_NAME: "Looks like a child's name",
    PrivacyKind.DATE_OF_BIRTH: "Looks like a date of birth",
    PrivacyKind.NHS_NUMBER: "Looks like an NHS number",
    PrivacyKind.UPN: "Looks like a unique pupil number",
    PrivacyKind.CASE_REFERENCE: "Looks like a case reference",
}


class RedactionRefused(ValueError):
    """The redaction cannot be made or undone as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class TextItem:
    target: str
    item_id: str
    standard_id: str  # the standard it belongs to (for local answers: the question id)
    text: str

    @property
    def label(self) -> str:
        return f"{self.standard_id} {TARGET_LABELS[self.target]}"


@dataclass(frozen=True)
class Suggestion:
    item: TextItem
    start: int
    end: int
    kind: PrivacyKind

    @property
    def excerpt(self) -> str:
        return self.item.text[self.start : self.end]

    @property
    def reason(self) -> str:
        return SUGGESTION_REASONS[self.kind]

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


@dataclass(frozen=True)
class Segment:
    """A run of text as shown: plain, a suggestion to highlight, or hidden (text is MARKER)."""

    kind: str  # plain | suggested | redacted
    text: str


Spans = list[tuple[int, int]]


# --- The free text of an envelope ---


def free_text_items(envelope: dict[str, Any]) -> list[TextItem]:
    """Every non-empty free-text item of a return, in the envelope's order."""
    items: list[TextItem] = []
    for response in envelope.get("responses", []):
        sid = str(response["standard_id"])
        for target in ("evidence", "na_reason"):
            if response.get(target):
                items.append(TextItem(target, sid, sid, str(response[target])))
    for action in envelope.get("actions", []):
        if action.get("description"):
            sid = str(action["standard_id"])
            items.append(TextItem("action", str(action["action_id"]), sid, action["description"]))
    for answer in envelope.get("local_answers") or []:
        if isinstance(answer.get("value"), str) and answer["value"]:
            qid = str(answer["question_id"])
            items.append(TextItem("local", qid, qid, answer["value"]))
    return items


def find_item(envelope: dict[str, Any], target: str, item_id: str) -> TextItem | None:
    return next(
        (i for i in free_text_items(envelope) if i.target == target and i.item_id == item_id),
        None,
    )


# --- Spans and text ---


def merged(spans: Spans) -> Spans:
    """Overlapping or touching spans joined, in order."""
    joined: Spans = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def segments(text: str, hidden: Spans, suggested: Spans | None = None) -> list[Segment]:
    """`text` cut into runs; hidden spans become MARKER, suggestions outside them are marked."""
    hidden = merged(hidden)
    marks = [(s, e) for s, e in merged(suggested or []) if not _overlaps((s, e), hidden)]
    cuts = sorted([(s, e, "redacted") for s, e in hidden] + [(s, e, "suggested") for s, e in marks])
    result: list[Segment] = []
    position = 0
    for start, end, kind in cuts:
        if start > position:
            result.append(Segment("plain", text[position:start]))
        result.append(Segment(kind, MARKER if kind == "redacted" else text[start:end]))
        position = end
    if position < len(text):
        result.append(Segment("plain", text[position:]))
    return result


def apply(text: str, hidden: Spans) -> str:
    """`text` with every hidden span replaced by MARKER (overlapping spans count once)."""
    return "".join(segment.text for segment in segments(text, hidden))


def _overlaps(span: tuple[int, int], others: Spans) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def spans_by_item(redactions: list[Redaction]) -> dict[tuple[str, str], Spans]:
    spans: dict[tuple[str, str], Spans] = {}
    for row in redactions:
        spans.setdefault((row.target, row.item_id), []).append((row.start, row.end))
    return spans


def redacted_envelope(envelope: dict[str, Any], redactions: list[Redaction]) -> dict[str, Any]:
    """A copy of `envelope` with every redaction applied: what views and exports may show."""
    spans = spans_by_item(redactions)
    shown = copy.deepcopy(envelope)
    for response in shown.get("responses", []):
        for target in ("evidence", "na_reason"):
            if hidden := spans.get((target, str(response["standard_id"]))):
                response[target] = apply(str(response.get(target) or ""), hidden)
    for action in shown.get("actions", []):
        if hidden := spans.get(("action", str(action["action_id"]))):
            action["description"] = apply(str(action.get("description") or ""), hidden)
    for answer in shown.get("local_answers") or []:
        hidden = spans.get(("local", str(answer["question_id"])))
        if hidden and isinstance(answer.get("value"), str):
            answer["value"] = apply(answer["value"], hidden)
    return shown


def suggestions(envelope: dict[str, Any], redactions: list[Redaction]) -> list[Suggestion]:
    """What the privacy check flags in the return's free text and is not hidden yet."""
    spans = spans_by_item(redactions)
    found = []
    for item in free_text_items(envelope):
        hidden = merged(spans.get((item.target, item.item_id), []))
        for warning in check_text(item.text):
            if not _overlaps((warning.start, warning.end), hidden):
                found.append(Suggestion(item, warning.start, warning.end, warning.kind))
    return found


# --- Stored redactions ---


def redactions_for(session: Session, submission_id: str) -> list[Redaction]:
    query = select(Redaction).where(Redaction.submission_id == submission_id)
    return list(session.scalars(query.order_by(Redaction.redacted_at, Redaction.id)))


def stored_envelope(session: Session, submission_id: str) -> dict[str, Any]:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise RedactionRefused(f"there is no return {submission_id}")
    envelope: dict[str, Any] = json.loads(submission.envelope)
    return envelope


def add_redaction(
    session: Session,
    submission_id: str,
    target: str,
    item_id: str,
    span: tuple[int, int],
    reason: str,
    reviewer: str,
) -> Redaction:
    """Hide characters `span` of one free-text item; checked, then written with an audit-log line."""
    reason = _clean_reason(reason)
    item = find_item(stored_envelope(session, submission_id), target, item_id)
    if target not in TARGETS or item is None:
        raise RedactionRefused("That text is not in this return.")
    start, end = span
    if not 0 <= start < end <= len(item.text):
        raise RedactionRefused("Choose some text inside the item to hide.")
    existing = redactions_for(session, submission_id)
    if _Hidden(existing).covers(item, span):
        raise RedactionRefused("That text is already hidden.")
    _check_room(len(existing), 1)
    return _store(session, submission_id, [(item, span)], reason, reviewer)[0]


def redact_text(
    session: Session, submission_id: str, item: str, text: str, reason: str, reviewer: str
) -> list[Redaction]:
    """Hide every occurrence of `text` in the free text of standard (or question or action) `item`.

    Matching is exact, or else ignores case; the reviewer types what they see. One pass: the
    envelope is read once and the new rows are written together, however many occurrences
    (at most MAX_OCCURRENCES at once).
    """
    wanted = text.strip()
    if not wanted:
        raise RedactionRefused("Type the text to hide, exactly as it appears.")
    reason = _clean_reason(reason)
    envelope = stored_envelope(session, submission_id)
    items = [i for i in free_text_items(envelope) if item.strip() in (i.standard_id, i.item_id)]
    if not items:
        raise RedactionRefused(f"{item.strip() or 'That item'} has no free text in this return.")
    existing = redactions_for(session, submission_id)
    hidden = _Hidden(existing)
    found, new = 0, []
    for text_item in items:
        for match in _occurrences(text_item.text, wanted):
            found += 1
            if not hidden.covers(text_item, match.span()):
                new.append((text_item, match.span()))
            if len(new) > MAX_OCCURRENCES or found > MAX_SCANNED:
                raise RedactionRefused(_too_many(wanted, item.strip()))
    if not found:
        raise RedactionRefused(f"That text was not found in {item.strip()}'s free text.")
    if not new:
        raise RedactionRefused("That text is already hidden.")
    _check_room(len(existing), len(new))
    return _store(session, submission_id, new, reason, reviewer)


def _too_many(wanted: str, item: str) -> str:
    return (
        f"That text occurs more than {MAX_OCCURRENCES} times in {item}'s free text: more than "
        "can be hidden at once. Type a longer, more exact phrase (a full name rather than one "
        "word), or ask the school to send a corrected return."
    )


def _check_room(existing: int, adding: int) -> None:
    if existing + adding > MAX_REDACTIONS:
        raise RedactionRefused(
            f"This return already has {existing} hidden pieces of text, and at most "
            f"{MAX_REDACTIONS} can be kept. Ask the school to send a corrected return."
        )


class _Hidden:
    """The spans already hidden on a return, merged per item, for quick "is it covered?" checks."""

    def __init__(self, redactions: list[Redaction]) -> None:
        self._spans = {key: merged(spans) for key, spans in spans_by_item(redactions).items()}
        self._starts = {key: [s for s, _ in spans] for key, spans in self._spans.items()}

    def covers(self, item: TextItem, span: tuple[int, int]) -> bool:
        key = (item.target, item.item_id)
        spans = self._spans.get(key)
        if not spans:
            return False
        # Merged spans do not overlap: only the last one starting at or before `span` can hold it.
        index = bisect.bisect_right(self._starts[key], span[0]) - 1
        return index >= 0 and spans[index][1] >= span[1]


def _store(
    session: Session,
    submission_id: str,
    spans: list[tuple[TextItem, tuple[int, int]]],
    reason: str,
    reviewer: str,
) -> list[Redaction]:
    """Write the redactions, then one audit-log line for each (never the hidden text itself).

    Two multi-row inserts and a read-back, however many spans: the ORM would insert one row at a
    time on SQLite, to learn each new id in order.
    """
    reviewer, now = reviewer[:100], utc_now()
    new = session.execute(
        insert(Redaction).returning(Redaction.id, Redaction.target, Redaction.item_id,
                                    Redaction.start, Redaction.end),
        [{"submission_id": submission_id, "target": item.target, "item_id": item.item_id,
          "start": start, "end": end, "reason": reason, "reviewer": reviewer, "redacted_at": now}
         for item, (start, end) in spans],
    ).all()  # fmt: skip
    # RETURNING gives no promise of order: each span is told apart by its item and characters.
    ids = {(target, item_id, start, end): id_ for id_, target, item_id, start, end in new}
    session.execute(
        insert(AuditLogEntry),
        [{"at": now, "actor": reviewer, "action": "redaction.add", "target": submission_id,
          "detail": f"#{ids[(item.target, item.item_id, start, end)]} {item.label} "
                    f"characters {start}-{end}: {reason}"}
         for item, (start, end) in spans],
    )  # fmt: skip
    query = select(Redaction).where(Redaction.id.in_(ids.values())).order_by(Redaction.id)
    return list(session.scalars(query))


def _occurrences(text: str, wanted: str) -> Iterator[re.Match[str]]:
    """Exact matches, or (when there are none) matches ignoring case; found as they are read."""
    pattern = re.compile(re.escape(wanted))
    if pattern.search(text) is None:
        pattern = re.compile(re.escape(wanted), re.IGNORECASE)
    return pattern.finditer(text)


def remove_redaction(
    session: Session, submission_id: str, redaction_id: int, reviewer: str
) -> Redaction:
    """Undo one redaction (the text shows again); written to the audit log."""
    row = session.get(Redaction, redaction_id) if 0 < redaction_id < 2**31 else None
    if row is None or row.submission_id != submission_id:
        raise RedactionRefused("That redaction is not on this return (it may already be undone).")
    session.delete(row)
    session.add(
        AuditLogEntry(actor=reviewer[:100], action="redaction.remove", target=submission_id,
                      detail=f"#{row.id} {row.target} {row.item_id} characters {row.start}-{row.end}")
    )  # fmt: skip
    return row


def _clean_reason(reason: str) -> str:
    text = str(reason or "").replace("\x00", "").strip()
    if not text:
        raise RedactionRefused("Give a reason for hiding the text (e.g. a child's name).")
    if len(text) > MAX_REASON:
        raise RedactionRefused(f"The reason is longer than {MAX_REASON} characters.")
    return text
