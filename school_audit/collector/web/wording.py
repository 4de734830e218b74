"""Internal codes as the words a person reads: audit-log events and their targets, quarantine
reasons, column names. The codes stay in the database and the API; pages show these words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Establishment, Submission
from school_audit.collector.web.roles import ROLE_LABELS

EVENT_LABELS = {
    "login": "Logged in",
    "login_failed": "Log-in refused",
    "logout": "Logged out",
    "review_accepted": "Return accepted",
    "review_returned": "Return sent back for changes",
    "redaction.add": "Text hidden in a return",
    "redaction.remove": "Hidden text shown again",
    "cycle.open": "Cycle opened",
    "cycle.close": "Cycle closed",
    "cycle.exempt": "Setting exempted from the cycle",
    "cycle.unexempt": "Exemption withdrawn",
    "contact.set": "Contact address changed",
    "mail.bounce": "Mail refused by the relay",
    "mail.retry": "Mail sent again",
    "letter.queued": "Feedback letter queued",
    "reminders.schedule": "Reminder schedule changed",
    "triage.contacted": "Setting marked contacted",
    "register.import.gias": "School register imported",
    "register.import.early_years_csv": "Early-years register imported",
    "register.import.early_years": "Early-years register imported",
    "register.import.early_years_ofsted": "Early-years register imported from Ofsted's file",
    "register.import.gias_groups": "Trust membership imported",
    "cycle.deadlines": "Deadlines changed",
    "export.returns": "Returns exported",
    "export.aggregates": "Figures exported",
    "return_released": "Quarantined return released",
    "user_added": "User added",
    "user_enabled": "User enabled",
    "user_disabled": "User disabled",
    "user_role_changed": "Role changed",
    "user_password_reset": "Password reset",
    "password_reset_link_sent": "Password reset link sent",
    "password_reset_link_used": "Password set from a reset link",
    "enrolment_code_issued": "Enrolment code issued",
    "enrolment_code_revoked": "Enrolment code revoked",
    "register.closing_allowed": "Register upload allowed to close settings",
}
# The keys of an audit-log line's detail ("format=xlsx rows=12"), as words.
DETAIL_KEYS = {
    "format": "Format",
    "pack": "Pack",
    "setting_type": "Kind of setting",
    "rows": "Rows",
    "role": "Role",
}
DETAIL_VALUES: dict[str, dict[str, str]] = {
    "setting_type": {"school": "schools", "early_years": "early years"},
    "pack": {"full": "LA officers' (full counts)", "steering": "steering group's (suppressed)"},
    "role": ROLE_LABELS,
}
QUARANTINE_LABELS = {
    "cycle_mismatch": "The return is for another cycle than its template",
    "setting_type_mismatch": "The template is for another kind of setting",
    "duplicate_response": "A standard is answered twice",
    "unknown_standard": "Answers to standards the template does not have",
    "na_on_statutory": "Statutory standards answered “not applicable”",
    "missing_statutory": "Statutory standards left unanswered",
    "action_unknown_standard": "Actions on standards the template does not have",
    "timestamp_not_utc": "A time is not given in UTC",
    "duplicate_return": "Another return already counts for this setting and cycle",
}
# Column names of the exports and tables, as a reader should see them.
FIELD_LABELS = {
    "urn": "URN",
    "setting_type": "Kind of setting",
    "type_group": "Type",
    "la_code": "LA code",
    "submission_id": "Return ID",
    "received_at": "Received",
    "signed_at": "Signed",
    "na_reason": "Reason not applicable",
    "standard_id": "Standard",
}
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_URN = re.compile(r"^(EY|VC)?\d{5,8}$")  # GIAS and Ofsted URNs
_CYCLE_URN = re.compile(r"^(\d{4}-\d{2})/(\w{1,16})$")


def event_words(code: str) -> str:
    """An audit-log event in words; an event not listed still reads as words, not a code."""
    if code in EVENT_LABELS:
        return EVENT_LABELS[code]
    text = re.sub(r"[._]+", " ", code).strip()
    return text[:1].upper() + text[1:]


def field_words(code: str) -> str:
    if code in FIELD_LABELS:
        return FIELD_LABELS[code]
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def quarantine_words(reason: str | None) -> list[str]:
    """Each problem of a quarantined return ("na_on_statutory: A1, B2; ...") in words."""
    found = []
    for part in (reason or "").split(";"):
        code, _, rest = part.strip().partition(":")
        if not code:
            continue
        label = QUARANTINE_LABELS.get(code.strip())
        found.append(
            f"{label}: {rest.strip()}" if label and rest.strip() else label or part.strip()
        )
    return found


def detail_words(detail: str | None) -> str:
    """A detail written as `key=value` pairs ("format=xlsx setting_type=school rows=12") in words:
    "Format: xlsx · Kind of setting: schools · Rows: 12". Other details are kept as written."""
    text = (detail or "").strip()
    pairs = [part.partition("=") for part in text.split()]
    if not pairs or not all(sep and key.isidentifier() for key, sep, _ in pairs):
        # "role la_officer", "la_officer to admin": the role codes a user's line carries
        return " ".join(ROLE_LABELS.get(word, word) for word in text.split(" "))
    return " · ".join(
        f"{DETAIL_KEYS.get(key, field_words(key))}: {DETAIL_VALUES.get(key, {}).get(value, value)}"
        for key, _, value in pairs
    )


def target_names(session: Session, entries: Iterable[AuditLogEntry]) -> dict[str, str]:
    """What each audit-log target is, in words, with the URN beside a setting's name: a return
    becomes "Setting name (URN n), cycle, revision n", "cycle/urn" becomes "Setting name (URN n),
    cycle", a URN "Setting name (URN n)"."""
    targets = {entry.target for entry in entries if entry.target}
    submissions = [t for t in targets if _SUBMISSION_ID.match(t)]
    urns = {m.group(2) for t in targets if (m := _CYCLE_URN.match(t))}
    urns |= {t for t in targets if _URN.match(t)}
    returns: dict[str, tuple[str, str, int]] = {}
    if submissions:
        query = select(
            Submission.submission_id, Submission.urn, Submission.cycle, Submission.revision
        ).where(Submission.submission_id.in_(submissions))
        for sid, urn, cycle, revision in session.execute(query):
            returns[sid] = (urn, cycle, revision)
            urns.add(urn)
    names: dict[str, str] = {}
    if urns:
        found = select(Establishment.urn, Establishment.name).where(Establishment.urn.in_(urns))
        names = {urn: name for urn, name in session.execute(found)}
    words = {}
    for target in targets:
        if target in returns:
            urn, cycle, revision = returns[target]
            words[target] = f"{_named(names, urn)}, {cycle}, revision {revision}"
        elif match := _CYCLE_URN.match(target):
            cycle, urn = match.groups()
            words[target] = f"{_named(names, urn)}, {cycle}"
        elif target in names:
            words[target] = _named(names, target)
    return words


def _named(names: dict[str, str], urn: str) -> str:
    return f"{names[urn]} (URN {urn})" if urn in names else f"URN {urn}"
