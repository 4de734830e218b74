"""Structured references resolve against the source registry, or the template is refused."""

from __future__ import annotations

import copy
import json

import pytest

from school_audit.domain.references import reference_text, source_ids
from school_audit.domain.sources import (
    SourceDocument,
    SourceHeading,
    SourceRegistry,
    default_sources,
)
from school_audit.domain.template_loading import TemplateError, load_template
from tests.conftest import FIXTURES

BASE = json.loads((FIXTURES / "mini_school_template.json").read_text())

REQUIRED_DOCUMENTS = {
    "kcsie-2025", "eyfs-group-2025", "eyfs-childminders-2025", "working-together-2023",
    "prevent-duty-2023", "filtering-monitoring-standards", "arranging-alternative-provision-2025",
    "mobile-phones-2024", "rshe-2019", "school-staffing-regulations-2009",
    "children-and-families-act-2014", "local-partnership-procedures",
}  # fmt: skip


def with_refs(*refs: dict) -> dict:
    data = copy.deepcopy(BASE)
    data["sections"][0]["standards"][0]["references"] = list(refs)
    return data


def problems_of(data, sources=None) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        load_template(data, sources)
    return [str(p) for p in caught.value.problems]


def test_the_registry_holds_every_document_the_templates_need():
    registry = SourceRegistry.model_validate(default_sources().model_dump())  # strictly checked
    ids = [d.id for d in registry.documents]
    assert set(ids) >= REQUIRED_DOCUMENTS
    assert len(ids) == len(set(ids))
    for document in registry.documents:
        headings = [h.id for h in document.headings]
        assert len(headings) == len(set(headings)), document.id
        assert document.title and document.publisher and document.edition, document.id


def test_a_known_document_and_heading_load_and_read_as_words():
    ref = {"source": "kcsie-2025", "heading": "part-two-dsl"}
    law = {"source": "children-and-families-act-2014", "heading": "section-100"}
    template = load_template(with_refs(ref, law))
    standard = template.standard("A1")
    assert reference_text(standard) == (
        "KCSIE 2025, Part two: The designated safeguarding lead; Children and Families Act 2014, "
        "Section 100: Duty to support pupils with medical conditions"
    )
    assert source_ids(standard) == ["kcsie-2025", "children-and-families-act-2014"]


def test_a_free_text_reference_reads_as_written():
    template = load_template(BASE)
    assert reference_text(template.standard("A1")) == "KCSIE 2025 Part two"


def test_an_unknown_document_is_refused_with_its_path():
    problems = problems_of(with_refs({"source": "kcsie-2052"}))
    assert problems == [
        "sections[0].standards[0].references[0].source: unknown source document 'kcsie-2052' "
        "(not in the source registry)"
    ]


def test_an_unknown_heading_is_refused():
    problems = problems_of(
        with_refs({"source": "kcsie-2025", "heading": "governance-and-oversight"})
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "sections[0].standards[0].references[0].heading: KCSIE 2025 has no"
    )


def test_a_paragraph_number_nobody_has_checked_is_refused():
    ref = {"source": "kcsie-2025", "heading": "part-three", "paragraphs": "168-171"}
    (problem,) = problems_of(with_refs(ref))
    assert "no paragraph range is recorded" in problem and "cite the heading only" in problem


def test_paragraphs_within_a_recorded_range_are_accepted_and_outside_it_refused():
    checked = SourceDocument(
        id="kcsie-2025", title="KCSIE", short_title="KCSIE 2025", publisher="DfE",
        edition="2025", kind="statutory_guidance",
        headings=[SourceHeading(id="part-three", title="Part three", paragraphs="150-200")],
    )  # fmt: skip
    registry = default_sources().with_documents([checked])
    inside = {"source": "kcsie-2025", "heading": "part-three", "paragraphs": "168-171"}
    template = load_template(with_refs(inside), registry)
    assert reference_text(template.standard("A1"), registry) == (
        "KCSIE 2025, Part three, paragraphs 168–171"
    )
    outside = {"source": "kcsie-2025", "heading": "part-three", "paragraphs": "199-204"}
    (problem,) = problems_of(with_refs(outside), registry)
    assert "outside 'Part three' (150-200)" in problem


def test_paragraphs_need_a_heading_and_a_sensible_shape():
    (no_heading,) = problems_of(with_refs({"source": "kcsie-2025", "paragraphs": "12"}))
    assert "need the heading" in no_heading
    registry = default_sources().with_documents(
        [
            SourceDocument(
                id="x",
                title="X",
                short_title="X",
                publisher="p",
                edition="e",
                kind="guidance",
                headings=[SourceHeading(id="h", title="H", paragraphs="1-9")],
            )  # fmt: skip
        ]
    )
    (shape,) = problems_of(
        with_refs({"source": "x", "heading": "h", "paragraphs": "9-1"}), registry
    )
    assert "should look like" in shape


def test_older_editions_without_structured_references_still_load_with_the_same_hash():
    template = load_template(BASE)
    assert "references" not in json.dumps(template.to_json())
    assert load_template(template.to_json()).sha256 == template.sha256
