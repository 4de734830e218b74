"""The content rules keep what a template implies per profile, but never more than a bounded set."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from school_audit.collector.catalog import PublishedTemplate
from school_audit.collector.ingest import rules
from school_audit.domain.envelope import Envelope, build_envelope
from tests.collector.factories import complete_audit, mini_template, school_profile


def _envelope(flags: dict[str, bool] | None) -> Envelope:
    template = mini_template()
    raw = build_envelope(
        complete_audit(template, school_profile()),
        template,
        device_key_id="k",
        signed_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    raw = copy.deepcopy(raw)
    raw["responses"] = []  # nothing answered: every required statutory standard is missing
    if flags is None:
        raw["establishment"].pop("flags", None)
    else:
        raw["establishment"]["flags"] = flags
    return Envelope.model_validate(raw)


def _missing(envelope: Envelope) -> str:
    published = PublishedTemplate(mini_template(), mini_template().cycle)
    found = [p for p in rules.content_problems(envelope, published) if "missing_statutory" in p]
    return found[0] if found else ""


def test_each_profile_gets_its_own_required_standards() -> None:
    """C12 (statutory) applies only with EYFS; without flags only phase-only standards count."""
    for _ in range(2):  # the second round is answered from what the first one kept
        assert _missing(_envelope({"has_eyfs": True})) == "missing_statutory: A1, C4, C12"
        assert _missing(_envelope({"has_eyfs": False})) == "missing_statutory: A1, C4"
        assert _missing(_envelope(None)) == "missing_statutory: A1, C4"


def test_made_up_flags_cannot_grow_the_remembered_profiles_without_bound() -> None:
    for n in range(rules.MAX_PROFILES + 50):
        _missing(_envelope({f"flag_{n}": True}))
    template = mini_template()
    assert len(rules._facts_of(template)._required) <= rules.MAX_PROFILES
