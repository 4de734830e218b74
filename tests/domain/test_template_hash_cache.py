"""Template.sha256 is computed once per (frozen) template, and never survives a changed copy."""

from __future__ import annotations

from school_audit.domain.canonical import sha256_hex


def test_hash_is_cached_and_a_changed_copy_rehashes(mini_template):
    first = mini_template.sha256
    assert first == sha256_hex(mini_template.to_json()) == mini_template.sha256
    changed = mini_template.model_copy(update={"version": "2025-26.2"})
    assert changed.sha256 == sha256_hex(changed.to_json()) != first
    assert mini_template.model_copy().sha256 == first
