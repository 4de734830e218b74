"""The registry of source documents that standards cite: KCSIE, the EYFS frameworks, Acts…

A standard's structured reference names a registry document, optionally one of its headings, and
paragraphs only where the registry records that heading's paragraph range. The range is recorded
only when it has been read in the published text, so a paragraph number nobody has checked cannot
get into a template: validation rejects it. The registry is data (`sources.json` beside this
module): it is the vocabulary templates are checked against, as the profile flags are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, ClassVar

from school_audit.domain.records import Record

_PARAGRAPHS = re.compile(r"^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$")


class _Strict(Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "str_strip_whitespace": True,
    }


@dataclass(frozen=True, kw_only=True)
class SourceHeading(_Strict):
    id: str
    title: str
    # "first-last" (e.g. "168-171" or "3.4-3.9"), only when read in the published text.
    paragraphs: str | None = None


@dataclass(frozen=True, kw_only=True)
class SourceDocument(_Strict):
    id: str
    title: str
    short_title: str
    publisher: str
    edition: str
    kind: str
    checked: str = ""  # what was checked against the published text, and where
    headings: list[SourceHeading] = field(default_factory=list)

    def heading(self, heading_id: str) -> SourceHeading | None:
        return next((h for h in self.headings if h.id == heading_id), None)


@dataclass(frozen=True, kw_only=True)
class SourceRegistry(_Strict):
    format: str = "school-audit/sources/v1"
    documents: list[SourceDocument]

    def document(self, document_id: str) -> SourceDocument | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def with_documents(self, extra: list[SourceDocument]) -> SourceRegistry:
        """This registry plus `extra` (e.g. a local pack's own documents); an id given again
        replaces the national one, so a pack can name its partnership's own procedures."""
        ids = {d.id for d in extra}
        return SourceRegistry(documents=[d for d in self.documents if d.id not in ids] + extra)


@cache
def default_sources() -> SourceRegistry:
    """The national registry shipped with the app. It is our own data, checked by the tests, so
    it is read without pydantic: the window shows a standard's reference before pydantic loads."""
    data = resources.files(__package__).joinpath("sources.json").read_text(encoding="utf-8")
    return SourceRegistry.from_trusted(json.loads(data))


def paragraph_problem(paragraphs: str, heading: SourceHeading) -> str | None:
    """Why `paragraphs` cannot be cited under `heading`, or None if it can."""
    wanted = _span(paragraphs)
    if wanted is None:
        return f"paragraphs {paragraphs!r} should look like '168' or '168-171'"
    known = _span(heading.paragraphs or "")
    if known is None:
        return (
            f"no paragraph range is recorded for {heading.title!r}, so paragraph numbers "
            "cannot be checked: cite the heading only"
        )
    if not (known[0] <= wanted[0] <= wanted[1] <= known[1]):
        return f"paragraphs {paragraphs} are outside {heading.title!r} ({heading.paragraphs})"
    return None


def _span(text: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    match = _PARAGRAPHS.match(text.strip())
    if match is None:
        return None
    first = tuple(int(p) for p in match.group(1).split("."))
    last = tuple(int(p) for p in (match.group(2) or match.group(1)).split("."))
    return (first, last) if first <= last else None
