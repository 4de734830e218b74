"""The collector's content rules: a signed return that breaks one is kept but quarantined.

Which statutory standards a return must answer follows from the phase and the profile flags the
envelope carries (`establishment.flags`, an optional field). Without flags (an older client) only
standards that depend on nothing but the phase can be required.

What a template implies (its rated standards, the statutory ones a phase and set of flags must
answer) is worked out once per template and profile, not for every return.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

from school_audit.collector.catalog import PublishedTemplate
from school_audit.domain.audit import Rating
from school_audit.domain.envelope import Envelope
from school_audit.domain.template import Applicability, Standard, Template


def content_problems(
    envelope: Envelope, published: PublishedTemplate, local_ids: frozenset[str] = frozenset()
) -> list[str]:
    """`local_ids`: the questions of the local pack the return names (actions may be on them)."""
    template = published.template
    problems: list[str] = []
    if envelope.cycle != published.cycle:
        problems.append(
            f"cycle_mismatch: the return is for {envelope.cycle}, the template for {published.cycle}"
        )
    if envelope.establishment.setting_type != template.setting_type.value:
        problems.append("setting_type_mismatch: the template is for another kind of setting")
    problems += _response_problems(envelope, template)
    problems += _action_problems(envelope, template, local_ids)
    problems += _timestamp_problems(envelope)
    return problems


def _is_utc(moment: datetime) -> bool:
    return moment.utcoffset() == timedelta(0)  # None (no offset at all) is not UTC either


def _timestamp_problems(envelope: Envelope) -> list[str]:
    """§4.1 asks for RFC 3339 UTC; other offsets or none at all are stored, but flagged."""
    moments = [envelope.signed_at, *(s.signed_at for s in envelope.sign_off)]
    return [] if all(_is_utc(m) for m in moments) else ["timestamp_not_utc: a time is not in UTC"]


_Key = tuple[str, str, str]
_ProfileKey = tuple[str, tuple[tuple[str, bool], ...] | None]
MAX_PROFILES = 256  # flags come from the envelope: bound what a sender can make us remember


class _TemplateFacts:
    """A published template never changes under its id and version, so neither do these."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.rated = {s.id: s for s in template.standards() if s.is_rated}
        self.known = {s.id for s in template.standards()}
        self._required: dict[_ProfileKey, list[str]] = {}

    def required_statutory(self, envelope: Envelope) -> list[str]:
        flags = envelope.establishment.flags
        key = (envelope.establishment.phase, None if flags is None else tuple(flags.items()))
        found = self._required.get(key)
        if found is None:
            found = [s.id for s in _required_statutory(self.template, envelope)]
            if len(self._required) >= MAX_PROFILES:
                self._required.clear()
            self._required[key] = found
        return found


_facts: dict[_Key, _TemplateFacts] = {}
_facts_lock = threading.Lock()


def _facts_of(template: Template) -> _TemplateFacts:
    key = (template.id, template.version, template.sha256)
    with _facts_lock:
        facts = _facts.get(key)
        if facts is None:
            facts = _facts[key] = _TemplateFacts(template)
        return facts


def _response_problems(envelope: Envelope, template: Template) -> list[str]:
    facts = _facts_of(template)
    rated = facts.rated
    counts = Counter(r.standard_id for r in envelope.responses)
    problems = [f"duplicate_response: {sid}" for sid, n in sorted(counts.items()) if n > 1]
    unknown = sorted(sid for sid in counts if sid not in rated)
    if unknown:
        problems.append("unknown_standard: " + ", ".join(unknown[:20]))
    statutory_na = sorted(
        r.standard_id
        for r in envelope.responses
        if r.rating is Rating.NOT_APPLICABLE
        and r.standard_id in rated
        and rated[r.standard_id].statutory
    )
    if statutory_na:
        problems.append("na_on_statutory: " + ", ".join(statutory_na))
    missing = [sid for sid in facts.required_statutory(envelope) if sid not in counts]
    if missing:
        problems.append("missing_statutory: " + ", ".join(missing[:20]))
    return problems


def _required_statutory(template: Template, envelope: Envelope) -> list[Standard]:
    phase, flags = envelope.establishment.phase, envelope.establishment.flags
    if flags is not None:
        applicable = template.applicable(phase, flags)
        return [s for s in applicable if s.statutory and s.is_rated]
    return [
        standard
        for section in template.sections
        if _phase_only(section.applies_when, phase)
        for standard in section.standards
        if standard.statutory and standard.is_rated and _phase_only(standard.applies_when, phase)
    ]


def _phase_only(rule: Applicability, phase: str) -> bool:
    """True when the rule surely applies: no flags involved and the phase matches."""
    if rule.requires or rule.excludes:
        return False
    return rule.phases is None or phase in rule.phases


def _action_problems(
    envelope: Envelope, template: Template, local_ids: frozenset[str]
) -> list[str]:
    known = _facts_of(template).known
    unknown = sorted(
        {a.standard_id for a in envelope.actions if a.standard_id not in known | local_ids}
    )
    return ["action_unknown_standard: " + ", ".join(unknown[:20])] if unknown else []
