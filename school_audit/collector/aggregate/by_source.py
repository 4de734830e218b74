"""Compliance grouped by the source document each standard's reference names.

The compliance page can show its standards under the registry documents they cite (KCSIE 2025,
the EYFS frameworks, Working Together 2023, the local partnership's procedures...) instead of
under the template's sections: an LA can then say how its settings stand against one document.

The figures are the compliance report's own (kept counts, in the ids of the cycle's template,
whichever edition a school answered), only arranged differently:

- a standard appears under every document its references name, first the main one, so the
  groups may share standards and their counts are not added up across groups;
- a standard whose reference is free text (an edition written before the registry, such as
  2025-26.1) takes the documents its counterparts cite in the newest published edition that
  follows it (through `replaces`, as the counts are carried): the corrected edition's
  references are the checked ones;
- a standard with no document either way is listed under "No source document recorded", so
  nothing is left out;
- groups follow the registry's order (national statutory texts first), the unrecorded last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import RatingCounts, cycle_template
from school_audit.collector.aggregate.compliance import ComplianceReport
from school_audit.collector.db.tables import LocalPackRow
from school_audit.domain.carry_forward import standard_mapping
from school_audit.domain.references import source_ids
from school_audit.domain.sources import SourceRegistry, default_sources
from school_audit.domain.template import Template

UNRECORDED = ""  # the group of standards whose reference names no registry document
UNRECORDED_TITLE = "No source document recorded"
LOCAL_KIND = "local"


@dataclass(frozen=True)
class SourceGroup:
    source_id: str  # a registry document id, or UNRECORDED
    title: str  # the document's full title, in words
    short_title: str
    publisher: str
    edition: str
    local: bool  # the local partnership's own procedures
    # Compliance rows (`StandardCompliance`), or the steering view's (`SteeringStandard`).
    standards: list[Any] = field(default_factory=list)
    local_packs: tuple[str, ...] = ()  # the cycle's published local packs, for a local document

    @property
    def statutory(self) -> int:
        return sum(1 for s in self.standards if s.statutory)

    @property
    def counts(self) -> RatingCounts:
        """Answers across the group's standards (compliance rows only)."""
        total = RatingCounts()
        for standard in self.standards:
            total = total + standard.counts
        return total


def cited_documents(
    template: Template, later: tuple[Template, list[Template]] | None = None
) -> dict[str, list[str]]:
    """Each rated standard's registry documents, first the main one; `later`: a newer edition
    following `template` (and those between), whose structured references stand in for the
    free-text ones of an edition written before the registry."""
    cited = {s.id: source_ids(s) for s in template.standards() if s.is_rated}
    if later is not None:
        for standard_id, documents in later_sources(template, *later).items():
            if standard_id in cited and not cited[standard_id]:
                cited[standard_id] = documents
    return cited


def arrange(
    rows: Sequence[Any],
    cited: dict[str, list[str]],
    registry: SourceRegistry | None = None,
    local_packs: tuple[str, ...] = (),
) -> list[SourceGroup]:
    """`rows` (each with a `standard_id` and `statutory`) under the documents they cite."""
    registry = registry or default_sources()
    members: dict[str, list[Any]] = {}
    for row in rows:
        documents = [d for d in cited.get(row.standard_id, []) if registry.document(d)]
        for document_id in documents or [UNRECORDED]:
            members.setdefault(document_id, []).append(row)
    groups = []
    for document in registry.documents:
        if document.id in members:
            local = document.kind == LOCAL_KIND
            groups.append(
                SourceGroup(document.id, document.title, document.short_title, document.publisher,
                            document.edition, local, members[document.id],
                            local_packs if local else ())
            )  # fmt: skip
    if UNRECORDED in members:
        groups.append(
            SourceGroup(UNRECORDED, UNRECORDED_TITLE, UNRECORDED_TITLE, "", "", False,
                        members[UNRECORDED])
        )  # fmt: skip
    return groups


def source_groups(
    report: ComplianceReport,
    template: Template,
    registry: SourceRegistry | None = None,
    local_packs: tuple[str, ...] = (),
    later: tuple[Template, list[Template]] | None = None,
) -> list[SourceGroup]:
    """The report's standards under the documents they cite (see the module's notes)."""
    return arrange(report.standards, cited_documents(template, later), registry, local_packs)


def later_sources(template: Template, newer: Template, via: list[Template]) -> dict[str, list[str]]:
    """For each standard of `template`: the documents its counterparts in `newer` cite (kept,
    renamed, split or merged into), following every edition between them."""
    cites = {s.id: source_ids(s) for s in newer.standards()}
    found: dict[str, list[str]] = {}
    for old_id, (new_ids, _) in standard_mapping(template, newer, via).items():
        documents = [d for new_id in new_ids for d in cites.get(new_id, [])]
        if documents:
            found[old_id] = list(dict.fromkeys(documents))
    return found


def documents_for(
    session: Session, cycle: str, setting_type: str
) -> tuple[dict[str, list[str]], tuple[str, ...]] | None:
    """For the cycle's template: each standard's documents (`cited_documents`, through the
    newest published edition that follows it) and the local packs the LA published for the
    cycle (named beside the local procedures); None when the cycle has no such template."""
    template = cycle_template(session, cycle, setting_type)
    if template is None:
        return None
    packs = session.execute(
        select(LocalPackRow.title, LocalPackRow.version, LocalPackRow.applies_to)
        .where(LocalPackRow.cycle == cycle)
        .order_by(LocalPackRow.pack_id, LocalPackRow.version)
    ).all()
    names = tuple(
        f"{title} (version {version})"
        for title, version, applies_to in packs
        if template.id in applies_to.split(",")
    )
    found = editions.newest_following(session.connection(), (template.id, template.version))
    later = (found[1], found[2]) if found is not None else None
    return cited_documents(template, later), names


def compliance_by_source(session: Session, report: ComplianceReport) -> list[SourceGroup]:
    """`arrange` for a report of the compliance page."""
    found = documents_for(session, report.cycle, report.setting_type)
    if found is None:
        return []
    cited, packs = found
    return arrange(report.standards, cited, local_packs=packs)
