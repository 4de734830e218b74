"""Reading a template from bytes, with errors an LA officer can act on.

Every problem names the field path (e.g. `sections[2].standards[4].id`) and what is wrong; nothing
here ever lets a raw traceback reach a user.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from school_audit.domain import template_limits as limits
from school_audit.domain.references import reference_problems
from school_audit.domain.setting import PROFILE_FLAGS, SettingType, phases_for
from school_audit.domain.sources import SourceRegistry, default_sources
from school_audit.domain.template import AnswerKind, ReplaceKind, Template
from school_audit.domain.text_cleaning import clean_strings

if TYPE_CHECKING:
    from pydantic import ValidationError

# pydantic's wording for a field of a dataclass, said as for any other object
_MESSAGES = {
    "extra_forbidden": "unknown field (check the spelling)",
    "unexpected_keyword_argument": "unknown field (check the spelling)",
    "missing_keyword_only_argument": "Field required",
    "missing_argument": "Field required",
}


@dataclass(frozen=True)
class TemplateProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class TemplateError(ValueError):
    """A template that cannot be used, with every problem found."""

    def __init__(self, problems: list[TemplateProblem], *, unreadable: bool = False) -> None:
        self.problems = problems
        self.unreadable = unreadable  # the bytes are not text at all (not UTF-8)
        super().__init__("; ".join(str(p) for p in problems))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = Counter(key for key, _ in pairs)
    duplicated = [key for key, count in keys.items() if count > 1]
    if duplicated:
        raise ValueError(f"duplicate key {duplicated[0]!r} in one object")
    return dict(pairs)


def too_large(error: limits.TemplateTooLarge) -> TemplateError:
    return TemplateError([TemplateProblem("", f"too large to use: {error}")])


def read_template_file(path: Path) -> bytes:
    """A template file's bytes; TemplateError (before reading) when it is too large."""
    try:
        return limits.read_bounded(path)
    except limits.TemplateTooLarge as error:
        raise too_large(error) from None


def parse_json_strictly(data: bytes | str) -> Any:
    """JSON from bytes: UTF-8 only, no duplicate keys, within the limits. Raises TemplateError."""
    try:
        limits.check_size(len(data))
    except limits.TemplateTooLarge as error:
        raise too_large(error) from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TemplateError(
                [TemplateProblem("", f"the file is not UTF-8 text (byte {error.start})")],
                unreadable=True,
            ) from None
    try:
        return json.loads(data, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        problem = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        raise TemplateError([TemplateProblem("", problem)]) from None
    except ValueError as error:
        raise TemplateError([TemplateProblem("", str(error))]) from None
    except RecursionError:  # the parser recurses per level: far past MAX_DEPTH, stop it here
        raise too_large(limits.TemplateTooLarge("the JSON is nested too deeply")) from None


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _from_validation_error(error: ValidationError) -> list[TemplateProblem]:
    problems = []
    for item in error.errors():
        location = tuple(p for p in item["loc"] if not str(p).startswith("function-"))
        message = _MESSAGES.get(item["type"], item["msg"])
        problems.append(TemplateProblem(_path(location), message))
    return problems


def load_template(
    data: bytes | str | dict[str, Any], sources: SourceRegistry | None = None
) -> Template:
    """A validated Template from JSON bytes, text or an already parsed object. Structured
    references are checked against `sources` (the national registry unless one is given)."""
    raw = data if isinstance(data, dict) else parse_json_strictly(data)
    if not isinstance(raw, dict):
        raise TemplateError([TemplateProblem("", "a template must be a JSON object")])
    try:
        limits.check_json_tree(raw)
    except limits.TemplateTooLarge as error:
        raise too_large(error) from None
    raw = clean_strings(raw)  # no control characters reach the app, the PDFs or the exports
    from pydantic import ValidationError

    try:
        template = Template.model_validate(raw)
    except ValidationError as error:
        raise TemplateError(_from_validation_error(error)) from None
    problems = check_template_rules(template, sources)
    if problems:
        raise TemplateError(problems)
    return template


def check_template_rules(
    template: Template, sources: SourceRegistry | None = None
) -> list[TemplateProblem]:
    """Rules that span fields: unique ids, sensible local questions, replaces that resolve,
    references that name a known document and heading."""
    return [
        *_duplicate_ids(template),
        *_standard_rules(template),
        *_replacement_rules(template),
        *_reference_rules(template, sources),
    ]


def _reference_rules(template: Template, sources: SourceRegistry | None) -> list[TemplateProblem]:
    if not any(standard.references for standard in template.standards()):
        return []  # an older edition with free-text references only: nothing to resolve
    registry = sources or default_sources()
    problems: list[TemplateProblem] = []
    for s_index, section in enumerate(template.sections):
        for index, standard in enumerate(section.standards):
            for r_index, ref in enumerate(standard.references or []):
                path = f"sections[{s_index}].standards[{index}].references[{r_index}]"
                problems += [
                    TemplateProblem(f"{path}.{field}", message)
                    for field, message in reference_problems(ref, registry)
                ]
    return problems


def _duplicate_ids(template: Template) -> list[TemplateProblem]:
    problems: list[TemplateProblem] = []
    seen_sections: set[str] = set()
    seen_standards: set[str] = set()
    for s_index, section in enumerate(template.sections):
        if section.id in seen_sections:
            problems.append(
                TemplateProblem(f"sections[{s_index}].id", f"duplicate section id {section.id!r}")
            )
        seen_sections.add(section.id)
        for index, standard in enumerate(section.standards):
            if standard.id in seen_standards:
                path = f"sections[{s_index}].standards[{index}].id"
                problems.append(TemplateProblem(path, f"duplicate standard id {standard.id!r}"))
            seen_standards.add(standard.id)
    return problems


def _standard_rules(template: Template) -> list[TemplateProblem]:
    problems: list[TemplateProblem] = []
    phases = phases_for(SettingType(template.setting_type))
    for s_index, section in enumerate(template.sections):
        problems += _applicability_rules(f"sections[{s_index}].applies_when", section, phases)
        for index, standard in enumerate(section.standards):
            path = f"sections[{s_index}].standards[{index}]"
            problems += _applicability_rules(f"{path}.applies_when", standard, phases)
            if standard.statutory and section.local:
                problems.append(
                    TemplateProblem(f"{path}.statutory", "local questions are never statutory")
                )
            if not standard.is_rated and not section.local:
                problems.append(
                    TemplateProblem(
                        f"{path}.answer",
                        f"{standard.answer.value!r} answers belong in a local section",
                    )
                )
            if (standard.answer is AnswerKind.CHOICE) != bool(standard.choices):
                problems.append(
                    TemplateProblem(
                        f"{path}.choices", "choices are needed for, and only for, 'choice'"
                    )
                )
            keys = [d.key for d in standard.dates]
            if len(keys) != len(set(keys)):
                problems.append(TemplateProblem(f"{path}.dates", "two dated fields share a key"))
    return problems


def _applicability_rules(path: str, item: Any, phases: dict[str, str]) -> list[TemplateProblem]:
    rule = item.applies_when
    problems = [
        TemplateProblem(f"{path}.phases", f"unknown phase {phase!r}")
        for phase in rule.phases or []
        if phase not in phases
    ]
    problems += [
        TemplateProblem(f"{path}.{field}", f"unknown profile flag {flag!r}")
        for field in ("requires", "excludes")
        for flag in getattr(rule, field)
        if flag not in PROFILE_FLAGS
    ]
    return problems


def _replacement_rules(template: Template) -> list[TemplateProblem]:
    ids = {standard.id for standard in template.standards()}
    problems: list[TemplateProblem] = []
    if template.replaces and template.previous is None:
        problems.append(TemplateProblem("previous", "replaces needs the previous edition named"))
    if template.orphan_actions_to and template.orphan_actions_to not in ids:
        problems.append(
            TemplateProblem("orphan_actions_to", f"no standard {template.orphan_actions_to!r}")
        )
    edges: dict[str, set[str]] = {}
    for index, item in enumerate(template.replaces):
        path = f"replaces[{index}]"
        problems += _replacement_shape(path, item.kind, len(item.old), len(item.new))
        for n_index, new_id in enumerate(item.new):
            if new_id not in ids:
                problems.append(
                    TemplateProblem(f"{path}.new[{n_index}]", f"points to no standard {new_id!r}")
                )
        for old_id in item.old:
            edges.setdefault(old_id, set()).update(item.new)
    cycle = _find_cycle(edges)
    if cycle:
        problems.append(TemplateProblem("replaces", "mappings form a cycle: " + " → ".join(cycle)))
    return problems


def _replacement_shape(path: str, kind: ReplaceKind, old: int, new: int) -> list[TemplateProblem]:
    expected = {
        ReplaceKind.RENAMED: (old == 1 and new == 1, "renamed maps one old id to one new id"),
        ReplaceKind.SPLIT: (old == 1 and new >= 2, "split maps one old id to two or more new ids"),
        ReplaceKind.MERGED: (old >= 2 and new == 1, "merged maps two or more old ids to one"),
        ReplaceKind.RETIRED: (new == 0, "retired standards have no new ids"),
    }
    ok, message = expected[kind]
    return [] if ok else [TemplateProblem(path, message)]


def _find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A chain old → new → … that comes back to where it started, if any."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if target == node:
                continue  # a standard kept under its own id is not a cycle
            if state.get(target) == 1:
                return [*trail, node, target]
            if target not in state:
                found = visit(target, [*trail, node])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state:
            found = visit(start, [])
            if found:
                return found[found.index(found[-1]) :]
    return None
