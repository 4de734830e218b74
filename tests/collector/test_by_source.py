"""Compliance grouped by source document (aggregate/by_source.py), worked out from the template
text: a standard under every document it cites, counts per document, free-text references
taking the newer edition's documents through `replaces`, nothing left out."""

from __future__ import annotations

import random

from school_audit.collector.aggregate.by_source import UNRECORDED, source_groups
from school_audit.collector.aggregate.common import RatingCounts
from school_audit.collector.aggregate.compliance import build_report
from school_audit.content import builtin_template
from school_audit.domain.references import source_ids
from school_audit.domain.sources import default_sources

OLD = builtin_template("school-s175", "2025-26.1")  # free-text references only
NEW = builtin_template("school-s175", "2025-26.2")  # registry references
RATINGS = ("met", "partially_met", "not_met", "not_applicable")


def _report(template, seed=3):
    rng = random.Random(seed)
    counts = {
        ("", s.id): {r: rng.randint(0, 4) for r in RATINGS}
        for s in template.standards()
        if s.is_rated
    }
    return build_report(template, "2025-26", None, counts, {"": 9}), counts


def test_each_document_lists_every_standard_citing_it_with_its_counts():
    report, counts = _report(NEW)
    groups = {g.source_id: g for g in source_groups(report, NEW)}
    registry = default_sources()
    rated = [s for s in NEW.standards() if s.is_rated]
    for document_id, group in groups.items():
        citing = [s for s in rated if document_id in source_ids(s)]
        assert [r.standard_id for r in group.standards] == [s.id for s in citing]
        assert group.statutory == sum(s.statutory for s in citing)
        expected = RatingCounts()
        for s in citing:
            expected = expected + RatingCounts.of(counts[("", s.id)])
        assert group.counts == expected
        assert group.title == registry.document(document_id).title  # in words, not the id
    # Every standard is somewhere; one citing three documents is under all three.
    assert {r.standard_id for g in groups.values() for r in g.standards} == {s.id for s in rated}
    assert {"working-together-2023", "local-partnership-procedures", "kcsie-2025"} <= {
        d for d, g in groups.items() if "A8" in {r.standard_id for r in g.standards}
    }
    assert UNRECORDED not in groups
    order = [d.id for d in registry.documents if d.id in groups]
    assert list(groups) == order  # the registry's order, KCSIE first
    assert groups["local-partnership-procedures"].local


def test_free_text_references_take_the_newer_editions_documents():
    report, _ = _report(OLD)
    alone = source_groups(report, OLD)
    assert [g.source_id for g in alone] == [UNRECORDED]  # nothing is lost without a mapping
    assert len(alone[0].standards) == len(report.standards)
    groups = {g.source_id: g for g in source_groups(report, OLD, later=(NEW, []))}
    # .1's B11 was split into .2's B11 and B13: it cites what both parts cite.
    b11 = {d for d, g in groups.items() if "B11" in {r.standard_id for r in g.standards}}
    assert b11 == set(source_ids(NEW.standard("B11"))) | set(source_ids(NEW.standard("B13")))
    assert "kcsie-2025" in groups and groups["kcsie-2025"].standards
