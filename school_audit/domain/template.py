"""The audit template: versioned data from which the questions, rules and envelope follow.

A template is JSON written by us or by an LA officer. `load_template` turns bytes into a
`Template` or raises `TemplateError` listing every problem with its field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from school_audit.domain.canonical import sha256_hex
from school_audit.domain.records import Record, Rule
from school_audit.domain.setting import PROFILE_FLAGS, SettingType

TEMPLATE_FORMAT: Literal["school-audit/template/v1"] = "school-audit/template/v1"

Id = Annotated[str, Rule(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Text = Annotated[str, Rule(min_length=1, strip_whitespace=True)]
StrictBool = Annotated[bool, Rule(strict=True)]


class _Strict(Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "str_strip_whitespace": True}


class EvidenceRule(StrEnum):
    REQUIRED = "required"  # evidence whatever the rating
    REQUIRED_WHEN_MET = "required_when_met"  # a "met" needs evidence to back it
    OPTIONAL = "optional"


class AnswerKind(StrEnum):
    RATING = "rating"  # met / partially met / not met / N/A
    YES_NO = "yes_no"  # local questions only
    NUMBER = "number"
    CHOICE = "choice"
    TEXT = "text"


@dataclass(frozen=True, kw_only=True)
class Applicability(_Strict):
    """When a standard applies. Empty means always; every condition given must hold."""

    phases: list[str] | None = None
    requires: list[str] = field(default_factory=list)  # profile flags that must be set
    excludes: list[str] = field(default_factory=list)  # profile flags that must not be set

    def applies_to(self, phase: str, flags: dict[str, bool]) -> bool:
        if self.phases is not None and phase not in self.phases:
            return False
        if any(not flags.get(flag, False) for flag in self.requires):
            return False
        return not any(flags.get(flag, False) for flag in self.excludes)


@dataclass(frozen=True, kw_only=True)
class DatedField(_Strict):
    """A date the DSL records, e.g. "DSL training last completed", which goes stale."""

    key: Id
    label: Text
    max_age_months: Annotated[int, Rule(strict=True, ge=1, le=120)] | None = None
    required: StrictBool = False


@dataclass(frozen=True, kw_only=True)
class SourceRef(_Strict):
    """One structured reference: a document of the source registry (`domain/sources.json`), one
    of its headings, and paragraphs only where the registry records that heading's range."""

    source: Id
    heading: Id | None = None
    paragraphs: str | None = None


@dataclass(frozen=True, kw_only=True)
class Standard(_Strict):
    id: Id
    text: Text
    guidance: str = ""
    reference: str = ""
    statutory: StrictBool = False
    answer: AnswerKind = AnswerKind.RATING
    choices: list[Text] | None = None  # for AnswerKind.CHOICE
    applies_when: Applicability = field(default_factory=Applicability)
    evidence: EvidenceRule | None = None  # None: required_when_met if statutory, else optional
    dates: list[DatedField] = field(default_factory=list)
    childminder_note: str = ""  # what differs for a childminder, shown beside the guidance
    # New fields default to None, which `to_json` leaves out, so an older edition's hash (and the
    # signatures over it) stay as they were.
    references: list[SourceRef] | None = None  # checked against the source registry
    changes: list[Text] | None = None  # what changed since the previous edition, and why

    @property
    def evidence_rule(self) -> EvidenceRule:
        if self.evidence is not None:
            return self.evidence
        return EvidenceRule.REQUIRED_WHEN_MET if self.statutory else EvidenceRule.OPTIONAL

    @property
    def is_rated(self) -> bool:
        return self.answer is AnswerKind.RATING


@dataclass(frozen=True, kw_only=True)
class Section(_Strict):
    id: Id
    title: Text
    description: str = ""
    reference: str = ""
    local: StrictBool = False  # local partnership questions: optional, never statutory
    applies_when: Applicability = field(default_factory=Applicability)
    standards: Annotated[list[Standard], Rule(min_length=1)]


class ReplaceKind(StrEnum):
    RENAMED = "renamed"
    SPLIT = "split"
    MERGED = "merged"
    RETIRED = "retired"


@dataclass(frozen=True, kw_only=True)
class Replacement(_Strict):
    """How standards of the previous edition map onto this one."""

    kind: ReplaceKind
    old: Annotated[list[Id], Rule(min_length=1)]  # ids in the previous edition
    new: list[Id] = field(default_factory=list)  # ids in this edition (empty when retired)
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class TemplateRef(_Strict):
    id: Id
    version: Text


@dataclass(frozen=True, kw_only=True)
class LocalPackStamp(_Strict):
    """Set on a template merged with an LA's local pack (domain/local_pack.py): which pack, and
    the hash of the national core it was merged under, which is what the collector publishes."""

    id: Id
    version: Text
    sha256: Annotated[str, Rule(pattern=r"^[0-9a-f]{64}$")]
    core_sha256: Annotated[str, Rule(pattern=r"^[0-9a-f]{64}$")]


@dataclass(frozen=True, kw_only=True)
class Template(_Strict):
    format: Literal["school-audit/template/v1"] = TEMPLATE_FORMAT
    id: Id
    version: Text
    title: Text
    setting_type: SettingType
    edition: Text
    cycle: Annotated[str, Rule(pattern=r"^[0-9]{4}-[0-9]{2}$")]  # ASCII digits only
    description: str = ""
    published: date | None = None
    previous: TemplateRef | None = None
    replaces: list[Replacement] = field(default_factory=list)
    # Where open actions on a retired standard go when an audit is carried forward.
    orphan_actions_to: Id | None = None
    sections: Annotated[list[Section], Rule(min_length=1)]
    local_pack: LocalPackStamp | None = None  # None for a national template as published

    @property
    def core_sha256(self) -> str:
        """The national template's hash: this one's, or for a merged view the core's."""
        return self.local_pack.core_sha256 if self.local_pack else self.sha256

    @property
    def ref(self) -> TemplateRef:
        return TemplateRef(id=self.id, version=self.version)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the template's RFC 8785 canonical bytes (the model is frozen, so the
        hash is computed once: a 150-standard template takes tens of milliseconds)."""
        return sha256_hex(self.to_json())

    def remember_hash(self, sha256: str) -> None:
        """Take `sha256` as this template's hash without computing it: for a template read back
        from where it was stored with the hash computed then."""
        self.__dict__["sha256"] = sha256

    def standards(self) -> list[Standard]:
        return [standard for section in self.sections for standard in section.standards]

    def standard(self, standard_id: str) -> Standard:
        for standard in self.standards():
            if standard.id == standard_id:
                return standard
        raise KeyError(standard_id)

    def section_of(self, standard_id: str) -> Section:
        for section in self.sections:
            if any(s.id == standard_id for s in section.standards):
                return section
        raise KeyError(standard_id)

    def applicable(self, phase: str, flags: dict[str, bool]) -> list[Standard]:
        """The standards a setting with this phase and these flags must answer, in order."""
        return [
            standard
            for section in self.sections
            if section.applies_when.applies_to(phase, flags)
            for standard in section.standards
            if standard.applies_when.applies_to(phase, flags)
        ]


KNOWN_FLAGS = frozenset(PROFILE_FLAGS)
