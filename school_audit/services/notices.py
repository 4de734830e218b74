"""What the LA has said back, as Home shows it: a return received, accepted or returned for
changes, and the feedback letter once the LA has issued one.

Read from what the store already keeps (the outbox, each return's review status, a setting per
issued letter), so Home can show it without the network; `SubmissionService.refresh_status` keeps
it up to date, and `fetch_feedback_letter` brings the letter itself. Qt-free.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Settings (plain, non-secret) kept per return once the LA has issued its letter on it.
LETTER_ISSUED = "feedback_letter_issued:"  # + submission id: when (RFC 3339)
# How long good news stays on Home: long enough to be seen, gone when it is old news. A return
# sent back for changes stays until the DSL has made them (the audit is no longer "returned").
RECEIVED_SHOWN = timedelta(days=14)
ACCEPTED_SHOWN = timedelta(days=28)
LETTER_SHOWN = timedelta(days=365)  # the letter is about the year's return: kept for the year
SENT_STATES = ("sent", "accepted", "returned")  # audit states that can have a notice
_SAFE = re.compile(r"[^A-Za-z0-9-]")


@dataclass(frozen=True)
class HomeNotice:
    kind: str  # "received" | "accepted" | "returned"
    audit_id: str
    submission_id: str
    cycle: str
    revision: int
    on: date | None  # when it was received or reviewed
    comments: int = 0  # the LA's comments when returned (general and by standard)
    letter_issued_on: date | None = None  # the LA issued a feedback letter on this return


def _day(text: Any) -> date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def home_notices(store: Any, today: date) -> list[HomeNotice]:
    """The notices still worth showing, newest first: one per audit, for its current revision."""
    if not hasattr(store, "outbox_items"):  # a test double without an outbox
        return []
    found: list[HomeNotice] = []
    for item in store.outbox_items(["sent"]):
        notice = _notice(store, item, today)
        if notice is not None:
            found.append(notice)
    latest: dict[str, HomeNotice] = {}
    for notice in found:
        kept = latest.get(notice.audit_id)
        if kept is None or notice.revision > kept.revision:
            latest[notice.audit_id] = notice
    return sorted(latest.values(), key=lambda n: n.on or date.min, reverse=True)


def _notice(store: Any, item: Any, today: date) -> HomeNotice | None:
    try:
        current = store.load_audit(item.audit_id).revision
    except LookupError:
        return None
    if current != item.revision:  # a later revision is under way: this one is old news
        return None
    review = store.review_of(item.submission_id)
    status = review.status if review is not None else (item.receipt or {}).get("status", "")
    details = review.review if review is not None else {}
    received = _day((item.receipt or {}).get("received_at")) or _day(item.sent_at)
    cycle = home_cycle(item)
    issued = _day(store.get_setting(LETTER_ISSUED + item.submission_id))
    base = dict(audit_id=item.audit_id, submission_id=item.submission_id, cycle=cycle,
                revision=item.revision)  # fmt: skip
    if issued is not None and today - issued > LETTER_SHOWN:
        issued = None
    if status in ("received", "quarantined"):
        if received is None or today - received > RECEIVED_SHOWN:
            return None
        return HomeNotice("received", on=received, **base)
    reviewed = _day(details.get("reviewed_at")) or (review.checked_at.date() if review else None)
    if status == "accepted":
        if issued is None and (reviewed is None or today - reviewed > ACCEPTED_SHOWN):
            return None
        return HomeNotice("accepted", on=reviewed, letter_issued_on=issued, **base)
    if status == "returned":
        comments = details.get("comments")
        count = len(comments) if isinstance(comments, dict) else 0
        count += 1 if details.get("general_comment") else 0
        return HomeNotice("returned", on=reviewed, comments=count, letter_issued_on=issued,
                          **base)  # fmt: skip
    return None  # superseded, or a status this app does not know: nothing to say


def home_cycle(item: Any) -> str:
    """The cycle of an outbox item, read from its signed envelope ('' if unreadable)."""
    try:
        return str(json.loads(item.envelope).get("cycle", ""))
    except (ValueError, AttributeError):
        return ""


def letter_path(folder: Path, notice_cycle: str, submission_id: str) -> Path:
    """Where the letter on a return is kept in the app's data folder."""
    name = f"feedback-letter-{_SAFE.sub('-', notice_cycle) or 'return'}-{_SAFE.sub('', submission_id)[:8]}"
    return folder / f"{name}.pdf"


def remember_letter(store: Any, submission_id: str, issued_at: str | None) -> bool:
    """Keep that the LA issued a letter on the return; True when this is news."""
    key = LETTER_ISSUED + str(submission_id)
    if not issued_at or store.get_setting(key) == issued_at:
        return False
    store.set_setting(key, issued_at)
    return True


def save_letter(data: bytes, path: Path) -> Path:
    """Write the PDF whole or not at all (a half-written letter never replaces a good one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path
