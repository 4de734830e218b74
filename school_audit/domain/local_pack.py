"""An LA's local pack: what one safeguarding partnership adds under the national core.

The national templates hold only what applies in every LA of England. A local pack is a small,
versioned data file (`school-audit/local-pack/v1`, docs/templates.md) with three kinds of content:

- local questions, in local sections: never statutory, never rated, never counted towards
  compliance (their answers travel as the envelope's `local_answers`);
- local guidance notes on national standards ("in this county, refer through …"), shown after the
  national guidance;
- local references (the partnership's procedures, tools and reviews) that notes and questions cite.

A pack can never change the national core: it cannot make a standard statutory, change a
standard's text or rating rules, or reuse a national standard or section id. `load_local_pack`
refuses a pack that tries, naming the field; `check_pack_against` checks it against the national
templates it names. `merge_pack` (domain/local_pack_merge.py) builds the merged view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from school_audit.domain.canonical import sha256_hex
from school_audit.domain.records import Rule
from school_audit.domain.template import (
    AnswerKind,
    Applicability,
    Id,
    Template,
    Text,
    _Strict,
)
from school_audit.domain.template_loading import (
    TemplateError,
    TemplateProblem,
    _from_validation_error,
    parse_json_strictly,
)

PACK_FORMAT: Literal["school-audit/local-pack/v1"] = "school-audit/local-pack/v1"
Cycle = Annotated[str, Rule(pattern=r"^\d{4}-\d{2}$")]


class LocalPackError(TemplateError):
    """A local pack that cannot be used, with every problem found."""


@dataclass(frozen=True, kw_only=True)
class LocalAuthority(_Strict):
    name: Text
    code: Annotated[str, Rule(pattern=r"^\d{3}$")] | None = None  # the DfE LA code, e.g. 885


@dataclass(frozen=True, kw_only=True)
class LocalReference(_Strict):
    """A local document a note or question cites (procedures, a tool, a review)."""

    id: Id
    title: Text
    publisher: Text
    url: str = ""
    edition: str = ""  # a date or edition, where the document shows one


@dataclass(frozen=True, kw_only=True)
class GuidanceNote(_Strict):
    """Local guidance on one national standard, shown after its national guidance."""

    standard: Id  # a national standard id
    note: Text
    references: list[Id] = field(default_factory=list)  # ids in the pack's references
    templates: list[Id] | None = None  # only for these national templates (default: all)


@dataclass(frozen=True, kw_only=True)
class LocalQuestion(_Strict):
    id: Id
    text: Text
    guidance: str = ""
    references: list[Id] = field(default_factory=list)
    answer: AnswerKind = AnswerKind.YES_NO
    choices: list[Text] | None = None  # for a "choice" answer
    applies_when: Applicability = field(default_factory=Applicability)


@dataclass(frozen=True, kw_only=True)
class LocalSection(_Strict):
    id: Id
    title: Text
    description: str = ""
    templates: list[Id] | None = None  # only in these national templates (default: all)
    applies_when: Applicability = field(default_factory=Applicability)
    questions: Annotated[list[LocalQuestion], Rule(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class LocalPack(_Strict):
    format: Literal["school-audit/local-pack/v1"] = PACK_FORMAT
    id: Id
    version: Text
    title: Text
    la: LocalAuthority
    cycle: Cycle
    applies_to: Annotated[list[Id], Rule(min_length=1)]  # national template ids
    description: str = ""
    published: date | None = None
    references: list[LocalReference] = field(default_factory=list)
    notes: list[GuidanceNote] = field(default_factory=list)
    sections: list[LocalSection] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the pack's RFC 8785 canonical bytes, as for templates."""
        return sha256_hex(self.to_json())

    def reference(self, reference_id: str) -> LocalReference:
        for item in self.references:
            if item.id == reference_id:
                return item
        raise KeyError(reference_id)

    def sections_for(self, template_id: str) -> list[LocalSection]:
        return [s for s in self.sections if s.templates is None or template_id in s.templates]

    def notes_for(self, template_id: str) -> list[GuidanceNote]:
        return [n for n in self.notes if n.templates is None or template_id in n.templates]


# What a note may not carry: each would change the national standard itself.
NOTE_REFUSALS = {
    "statutory": "a local pack cannot make a national standard statutory, or stop it being so",
    "text": "a local pack cannot change a national standard's text: add a guidance note instead",
    **{
        key: "a local pack cannot change a national standard's rating rules"
        for key in ("answer", "evidence", "choices", "applies_when", "dates", "rating")
    },
}
QUESTION_REFUSALS = {
    "statutory": "local questions are never statutory",
    "evidence": "local questions are not rated, so they take no evidence rule",
    "dates": "local questions are not rated, so they record no dates",
}


def load_local_pack(data: bytes | str | dict[str, Any]) -> LocalPack:
    """A validated LocalPack from JSON bytes, text or an already parsed object."""
    try:
        raw = data if isinstance(data, dict) else parse_json_strictly(data)
    except TemplateError as error:
        raise LocalPackError(error.problems, unreadable=error.unreadable) from None
    if not isinstance(raw, dict):
        raise LocalPackError([TemplateProblem("", "a local pack must be a JSON object")])
    problems = _refused_fields(raw)
    if problems:
        raise LocalPackError(problems)
    from pydantic import ValidationError

    try:
        pack = LocalPack.model_validate(raw)
    except ValidationError as error:
        raise LocalPackError(_from_validation_error(error)) from None
    problems = check_pack_rules(pack)
    if problems:
        raise LocalPackError(problems)
    return pack


def _refused_fields(raw: dict[str, Any]) -> list[TemplateProblem]:
    """The attempts to change the national core, said plainly before the generic checks."""
    problems: list[TemplateProblem] = []
    for index, note in _items(raw.get("notes")):
        problems += [
            TemplateProblem(f"notes[{index}].{key}", message)
            for key, message in NOTE_REFUSALS.items()
            if key in note
        ]
    for s_index, section in _items(raw.get("sections")):
        if "local" in section and section["local"] is not True:
            path = f"sections[{s_index}].local"
            problems.append(TemplateProblem(path, "a local pack adds local sections only"))
        for index, question in _items(section.get("questions")):
            path = f"sections[{s_index}].questions[{index}]"
            problems += [
                TemplateProblem(f"{path}.{key}", message)
                for key, message in QUESTION_REFUSALS.items()
                if key in question
            ]
            if question.get("answer") == AnswerKind.RATING.value:
                problems.append(
                    TemplateProblem(
                        f"{path}.answer",
                        "local questions are not rated: answer yes_no, number, choice or text",
                    )
                )
    return problems


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def check_pack_rules(pack: LocalPack) -> list[TemplateProblem]:
    """Rules inside the pack: unique ids, references that resolve, choices where needed."""
    problems: list[TemplateProblem] = []
    reference_ids = [r.id for r in pack.references]
    problems += _duplicates("references", reference_ids, "reference")
    problems += _duplicates("sections", [s.id for s in pack.sections], "section")
    question_ids = [q.id for s in pack.sections for q in s.questions]
    problems += _duplicates("sections", question_ids, "question")
    known = set(reference_ids)
    for index, note in enumerate(pack.notes):
        problems += _unknown_refs(f"notes[{index}]", note.references, known)
        problems += _unknown_templates(f"notes[{index}]", note.templates, pack.applies_to)
    for s_index, section in enumerate(pack.sections):
        path = f"sections[{s_index}]"
        problems += _unknown_templates(path, section.templates, pack.applies_to)
        for index, question in enumerate(section.questions):
            q_path = f"{path}.questions[{index}]"
            problems += _unknown_refs(q_path, question.references, known)
            if (question.answer is AnswerKind.CHOICE) != bool(question.choices):
                message = "choices are needed for, and only for, 'choice'"
                problems.append(TemplateProblem(f"{q_path}.choices", message))
    return problems


def _duplicates(path: str, ids: list[str], what: str) -> list[TemplateProblem]:
    seen: set[str] = set()
    problems = []
    for item in ids:
        if item in seen:
            problems.append(TemplateProblem(path, f"duplicate {what} id {item!r}"))
        seen.add(item)
    return problems


def _unknown_refs(path: str, refs: list[str], known: set[str]) -> list[TemplateProblem]:
    return [
        TemplateProblem(f"{path}.references", f"no reference {ref!r} in the pack's references")
        for ref in refs
        if ref not in known
    ]


def _unknown_templates(
    path: str, templates: list[str] | None, applies_to: list[str]
) -> list[TemplateProblem]:
    return [
        TemplateProblem(f"{path}.templates", f"{tid!r} is not in the pack's applies_to")
        for tid in templates or []
        if tid not in applies_to
    ]


def check_pack_against(pack: LocalPack, templates: list[Template]) -> list[TemplateProblem]:
    """The pack against the national templates it applies to (every edition of each published
    for the cycle): it redefines none of their ids, and every note names a standard they have."""
    problems: list[TemplateProblem] = []
    by_id: dict[str, list[Template]] = {}
    for template in templates:
        if template.id in pack.applies_to:
            by_id.setdefault(template.id, []).append(template)
    for index, template_id in enumerate(pack.applies_to):
        if template_id not in by_id:
            message = (
                f"no national template {template_id!r} published for {pack.cycle} "
                "(publish the templates before the pack)"
            )
            problems.append(TemplateProblem(f"applies_to[{index}]", message))
    for template in [t for group in by_id.values() for t in group]:
        if template.local_pack is not None:
            message = f"{template.id!r} is already merged with a local pack"
            problems.append(TemplateProblem("applies_to", message))
        problems += redefinitions(pack, template)
    for index, note in enumerate(pack.notes):
        ids = [t for t in note.templates or list(by_id) if t in by_id]
        targets = [t for tid in ids for t in by_id[tid]]
        if targets and not any(_has_standard(t, note.standard) for t in targets):
            names = ", ".join(dict.fromkeys(t.id for t in targets))
            message = f"no national standard {note.standard!r} in {names}"
            problems.append(TemplateProblem(f"notes[{index}].standard", message))
    return list(dict.fromkeys(problems))


def redefinitions(pack: LocalPack, template: Template) -> list[TemplateProblem]:
    """Pack ids that are already national ids in `template`: a pack adds, it never redefines."""
    standard_ids = {s.id for s in template.standards()}
    section_ids = {s.id for s in template.sections}
    problems: list[TemplateProblem] = []
    for s_index, section in enumerate(pack.sections):
        if section.templates is not None and template.id not in section.templates:
            continue
        if section.id in section_ids:
            message = f"section id {section.id!r} is a section of {template.id}"
            problems.append(TemplateProblem(f"sections[{s_index}].id", message))
        for index, question in enumerate(section.questions):
            if question.id in standard_ids:
                message = f"{question.id!r} is a national standard of {template.id}: a local pack cannot redefine it"
                problems.append(
                    TemplateProblem(f"sections[{s_index}].questions[{index}].id", message)
                )
    return problems


def _has_standard(template: Template, standard_id: str) -> bool:
    return any(s.id == standard_id for s in template.standards())
