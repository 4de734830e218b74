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

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import RatingCounts, cycle_template
from school_audit.collector.aggregate.compliance import ComplianceReport, StandardCompliance
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
    standards: list[StandardCompliance] = field(default_factory=list)
    local_packs: tuple[str, ...] = ()  # the cycle's published local packs, for a local document

    @property
    def statutory(self) -> int:
        return sum(1 for s in self.standards if s.statutory)

    @property
    def counts(self) -> RatingCounts:
        """Answers across the group's standards."""
        total = RatingCounts()
        for standard in self.standards:
            total = total + standard.counts
        return total

    def by_group(self, group: str) -> RatingCounts:
        total = RatingCounts()
        for standard in self.standards:
            total = total + standard.by_group.get(group, RatingCounts())
        return total


def source_groups(
    report: ComplianceReport,
    template: Template,
    registry: SourceRegistry | None = None,
    local_packs: tuple[str, ...] = (),
    later: tuple[Template, list[Template]] | None = None,
) -> list[SourceGroup]:
    """The report's standards under the documents they cite (see the module's notes); `later`:
    a newer edition following `template` (and those between), whose structured references
    stand in for the free-text ones of an edition written before the registry."""
    registry = registry or default_sources()
    cited: dict[str, list[str]] = {}
    for standard in template.standards():
        if standard.is_rated:
            cited[standard.id] = source_ids(standard)
    if later is not None:
        for standard_id, documents in later_sources(template, *later).items():
            if not cited.get(standard_id):
                cited[standard_id] = documents
    members: dict[str, list[StandardCompliance]] = {}
    for row in report.standards:
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


def compliance_by_source(session: Session, report: ComplianceReport) -> list[SourceGroup]:
    """`source_groups` for a report of the compliance page, with the cycle's template and the
    local packs the LA published for the cycle (named beside the local procedures)."""
    template = cycle_template(session, report.cycle, report.setting_type)
    if template is None:
        return []
    packs = session.execute(
        select(LocalPackRow.title, LocalPackRow.version, LocalPackRow.applies_to)
        .where(LocalPackRow.cycle == report.cycle)
        .order_by(LocalPackRow.pack_id, LocalPackRow.version)
    ).all()
    names = tuple(
        f"{title} (version {version})"
        for title, version, applies_to in packs
        if template.id in applies_to.split(",")
    )
    found = editions.newest_following(
        session.connection(), (report.template_id, report.template_version)
    )
    later = (found[1], found[2]) if found is not None else None
    return source_groups(report, template, local_packs=names, later=later)
