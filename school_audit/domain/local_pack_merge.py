"""The merged view: a national template with an LA's local pack under it.

What the app shows and the PDFs print is one `Template`: the national sections unchanged except
that a standard with a local note gets the note after its national guidance (and the note's local
references after its reference), then the pack's local sections. The merged template records the
pack and the national core's hash (`Template.local_pack`), so the envelope names both and the
collector checks each against what it published.
"""

from __future__ import annotations

import dataclasses

from school_audit.domain.local_pack import (
    GuidanceNote,
    LocalPack,
    LocalPackError,
    LocalQuestion,
    LocalSection,
    redefinitions,
)
from school_audit.domain.template import (
    LocalPackStamp,
    Section,
    Standard,
    Template,
)
from school_audit.domain.template_loading import TemplateProblem, check_template_rules


def merge_pack(template: Template, pack: LocalPack) -> Template:
    """`template` with `pack` merged under it; raises LocalPackError if the pack does not fit."""
    problems = _fit_problems(template, pack)
    if problems:
        raise LocalPackError(problems)
    notes = _notes_by_standard(pack.notes_for(template.id))
    sections = [_with_notes(section, notes, pack) for section in template.sections]
    sections += [_local_section(section, pack) for section in pack.sections_for(template.id)]
    stamp = LocalPackStamp(
        id=pack.id, version=pack.version, sha256=pack.sha256, core_sha256=template.sha256
    )
    merged = dataclasses.replace(template, sections=sections, local_pack=stamp)
    problems = check_template_rules(merged)  # e.g. a phase a school template does not know
    if problems:
        raise LocalPackError(problems)
    return merged


def pack_applies(template: Template, pack: LocalPack) -> bool:
    """Whether `pack` is meant to go under `template` (same cycle, named in applies_to)."""
    return (
        template.local_pack is None
        and template.id in pack.applies_to
        and (template.cycle == pack.cycle)
    )


def _fit_problems(template: Template, pack: LocalPack) -> list[TemplateProblem]:
    if template.local_pack is not None:
        return [TemplateProblem("", f"{template.id} {template.version} already has a local pack")]
    if template.id not in pack.applies_to:
        return [TemplateProblem("applies_to", f"the pack does not apply to {template.id}")]
    if template.cycle != pack.cycle:
        message = f"the pack is for {pack.cycle}, the template for {template.cycle}"
        return [TemplateProblem("cycle", message)]
    return redefinitions(pack, template)


def _notes_by_standard(notes: list[GuidanceNote]) -> dict[str, list[GuidanceNote]]:
    found: dict[str, list[GuidanceNote]] = {}
    for note in notes:
        found.setdefault(note.standard, []).append(note)
    return found


def _with_notes(section: Section, notes: dict[str, list[GuidanceNote]], pack: LocalPack) -> Section:
    if not any(s.id in notes for s in section.standards):
        return section
    standards = [_noted(s, notes.get(s.id, []), pack) for s in section.standards]
    return dataclasses.replace(section, standards=standards)


def _noted(standard: Standard, notes: list[GuidanceNote], pack: LocalPack) -> Standard:
    if not notes:
        return standard
    label = f"In {pack.la.name}"
    guidance = "\n\n".join(
        [standard.guidance, *(f"{label}: {note.note}" for note in notes)]
    ).strip()
    titles = [_cite(pack, ref) for note in notes for ref in note.references]
    reference = "; ".join(part for part in [standard.reference, *dict.fromkeys(titles)] if part)
    return dataclasses.replace(standard, guidance=guidance, reference=reference)


def _local_section(section: LocalSection, pack: LocalPack) -> Section:
    return Section(
        id=section.id,
        title=section.title,
        description=section.description,
        local=True,
        applies_when=section.applies_when,
        standards=[_local_standard(q, pack) for q in section.questions],
    )


def _local_standard(question: LocalQuestion, pack: LocalPack) -> Standard:
    return Standard(
        id=question.id,
        text=question.text,
        guidance=question.guidance,
        reference="; ".join(_cite(pack, ref) for ref in question.references),
        answer=question.answer,
        choices=question.choices,
        applies_when=question.applies_when,
    )


def _cite(pack: LocalPack, reference_id: str) -> str:
    reference = pack.reference(reference_id)
    edition = f" ({reference.edition})" if reference.edition else ""
    return f"{reference.title}{edition}, {reference.publisher}"
