"""The shipped Worcestershire pack: valid, fits this year's national templates, and carries the
partnership's priorities (issue 12 §3)."""

from __future__ import annotations

import pytest

from school_audit.content import builtin_templates
from school_audit.content.local_packs import builtin_local_pack, builtin_local_packs
from school_audit.domain.local_pack import check_pack_against
from school_audit.domain.local_pack_merge import merge_pack
from school_audit.domain.template import AnswerKind

PACK = builtin_local_pack("worcestershire")
NATIONAL = [t for t in builtin_templates() if t.cycle == PACK.cycle]


def pack_text() -> str:
    parts = [PACK.description]
    parts += [f"{r.title} {r.publisher}" for r in PACK.references]
    parts += [n.note for n in PACK.notes]
    parts += [f"{q.text} {q.guidance}" for s in PACK.sections for q in s.questions]
    return " ".join(parts)


def test_it_is_the_only_shipped_pack_and_fits_every_national_template_of_its_cycle():
    assert [p.id for p in builtin_local_packs()] == ["worcestershire"]
    assert PACK.la.code == "885"
    assert {t.id for t in NATIONAL} >= set(PACK.applies_to)
    assert check_pack_against(PACK, NATIONAL) == []


@pytest.mark.parametrize(
    "term",
    [
        "GET SAFE risk assessment",
        "Family Front Door",
        "Levels of Need",
        "elective home education",
        "Review of sexual abuse in schools and colleges",
        "Safeguarding Babies",
        "The Myth of Invisible Men",
        "early-years safeguarding training pathway",
    ],
)
def test_it_carries_each_of_the_partnerships_priorities(term):
    assert term.lower() in pack_text().lower()


@pytest.mark.parametrize("template", NATIONAL, ids=lambda t: t.id)
def test_merged_it_keeps_every_national_rule_and_adds_only_unrated_local_questions(template):
    merged = merge_pack(template, PACK)
    assert merged.core_sha256 == template.sha256
    for standard in template.standards():
        kept = merged.standard(standard.id)
        assert (kept.text, kept.statutory, kept.answer, kept.applies_when, kept.evidence) == (
            standard.text, standard.statutory, standard.answer, standard.applies_when,
            standard.evidence,
        )  # fmt: skip
    added = [s for s in merged.standards() if s.id not in {x.id for x in template.standards()}]
    assert added and all(not s.statutory and s.answer is not AnswerKind.RATING for s in added)
    assert all(merged.section_of(s.id).local for s in added)


def test_the_male_carers_question_is_asked_of_schools_only_with_eyfs():
    school = merge_pack(next(t for t in NATIONAL if t.id == "school-s175"), PACK)
    with_nursery = {s.id for s in school.applicable("primary", {"has_eyfs": True})}
    without = {s.id for s in school.applicable("secondary", {"has_eyfs": False})}
    assert "WOR2" in with_nursery and "WOR2" not in without
