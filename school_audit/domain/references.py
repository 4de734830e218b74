"""A standard's references in words a DSL recognises, and their check against the registry.

The app's standard page and every PDF call `reference_text`, so a reference reads the same
everywhere: "KCSIE 2025, Part two: The designated safeguarding lead; Children and Families Act
2014, Section 100: Duty to support pupils with medical conditions".
"""

from __future__ import annotations

from school_audit.domain.sources import SourceRegistry, default_sources, paragraph_problem
from school_audit.domain.template import SourceRef, Standard


def reference_text(standard: Standard, registry: SourceRegistry | None = None) -> str:
    """The standard's references as one line; an older edition's free-text reference as it is."""
    if not standard.references:
        return standard.reference
    registry = registry or default_sources()
    return "; ".join(ref_text(ref, registry) for ref in standard.references)


def ref_text(ref: SourceRef, registry: SourceRegistry) -> str:
    document = registry.document(ref.source)
    if document is None:  # a template checked against another registry (e.g. a local pack's)
        return ref.source
    words = document.short_title
    heading = document.heading(ref.heading) if ref.heading else None
    if heading is not None:
        words += f", {heading.title}"
    if ref.paragraphs:
        label = "paragraphs" if "-" in ref.paragraphs else "paragraph"
        words += f", {label} {ref.paragraphs.replace('-', '–')}"
    return words


def source_ids(standard: Standard) -> list[str]:
    """The registry documents a standard cites, first the main one: what a dashboard groups by."""
    return list(dict.fromkeys(ref.source for ref in standard.references or []))


def reference_problems(ref: SourceRef, registry: SourceRegistry) -> list[tuple[str, str]]:
    """(field, message) for each way `ref` fails to resolve in `registry`."""
    document = registry.document(ref.source)
    if document is None:
        return [("source", f"unknown source document {ref.source!r} (not in the source registry)")]
    if ref.heading is None:
        if ref.paragraphs:
            return [("paragraphs", "paragraphs need the heading they sit under")]
        return []
    heading = document.heading(ref.heading)
    if heading is None:
        known = ", ".join(h.id for h in document.headings) or "none"
        message = f"{document.short_title} has no heading {ref.heading!r} (known: {known})"
        return [("heading", message)]
    if ref.paragraphs:
        problem = paragraph_problem(ref.paragraphs, heading)
        if problem:
            return [("paragraphs", problem)]
    return []
