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

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Redaction, Submission
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
    existing = spans_by_item(redactions_for(session, submission_id)).get((target, item_id), [])
    if any(s <= start and end <= e for s, e in merged(existing)):
        raise RedactionRefused("That text is already hidden.")
    row = Redaction(
        submission_id=submission_id, target=target, item_id=item_id, start=start, end=end,
        reason=reason, reviewer=reviewer[:100],
    )  # fmt: skip
    session.add(row)
    session.flush()
    detail = f"{item.label} characters {start}-{end}: {reason}"  # never the hidden text itself
    session.add(
        AuditLogEntry(actor=reviewer[:100], action="redaction.add", target=submission_id,
                      detail=f"#{row.id} {detail}")
    )  # fmt: skip
    return row


def redact_text(
    session: Session, submission_id: str, item: str, text: str, reason: str, reviewer: str
) -> list[Redaction]:
    """Hide every occurrence of `text` in the free text of standard (or question or action) `item`.

    Matching is exact, or else ignores case; the reviewer types what they see.
    """
    wanted = text.strip()
    if not wanted:
        raise RedactionRefused("Type the text to hide, exactly as it appears.")
    _clean_reason(reason)
    envelope = stored_envelope(session, submission_id)
    items = [i for i in free_text_items(envelope) if item.strip() in (i.standard_id, i.item_id)]
    if not items:
        raise RedactionRefused(f"{item.strip() or 'That item'} has no free text in this return.")
    spans = [(i, m.span()) for i in items for m in _occurrences(i.text, wanted)]
    if not spans:
        raise RedactionRefused(f"That text was not found in {item.strip()}'s free text.")
    hidden = spans_by_item(redactions_for(session, submission_id))
    new = [
        (i, span)
        for i, span in spans
        if not any(s <= span[0] and span[1] <= e for s, e in hidden.get((i.target, i.item_id), []))
    ]
    if not new:
        raise RedactionRefused("That text is already hidden.")
    return [
        add_redaction(session, submission_id, i.target, i.item_id, span, reason, reviewer)
        for i, span in new
    ]


def _occurrences(text: str, wanted: str) -> list[re.Match[str]]:
    exact = list(re.finditer(re.escape(wanted), text))
    return exact or list(re.finditer(re.escape(wanted), text, re.IGNORECASE))


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
