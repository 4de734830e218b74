"""Compliance: per section and per standard, the share met / partially met / not met; with
`group=source`, the standards under the source documents they cite (`aggregate.by_source`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.aggregate.by_source import SourceGroup, compliance_by_source
from school_audit.collector.aggregate.common import RatingCounts
from school_audit.collector.aggregate.compliance import ComplianceReport, compliance
from school_audit.collector.web import deps, filters
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.charts import rating_chart
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
# How the standards are grouped: the template's sections, or the source documents they cite.
GROUPINGS = {"": "Section", "source": "Source document"}


@router.get("/compliance")
def compliance_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("compliance"))],
    cycle: str = "",
    setting_type: str = "",
    by: str = "",
    group: str = "",
) -> Response:
    grouping = group if group in GROUPINGS else ""
    sources: list[SourceGroup] = []
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle, setting_type, by)
        report = (
            compliance(session, choice.cycle, choice.setting_type, choice.dimension or None)
            if choice.cycle
            else None
        )
        if report is not None and grouping == "source":
            sources = compliance_by_source(session, report)
    context = {
        "title": tr("Compliance"),
        "choice": choice,
        "report": report,
        "action": "/compliance",
        "grouping": grouping,
        "groupings": GROUPINGS,
        "sources": sources,
    }
    if report is not None:
        context["section_chart"] = rating_chart(
            tr("Share of answers met, partially met and not met, by section"),
            [(f"{s.section_id} {s.title}", s.counts) for s in report.sections],
        )
        context["section_charts"] = {
            s.section_id: rating_chart(
                tr(
                    "Standards in section {section}: share met, partially met and not met",
                    section=s.title,
                ),
                [
                    (r.standard_id, r.counts)
                    for r in report.standards
                    if r.section_id == s.section_id
                ],
            )
            for s in report.sections
        }
        if sources:
            context["source_chart"] = rating_chart(
                tr("Share of answers met, partially met and not met, by source document"),
                [(g.short_title, g.counts) for g in sources],
            )
        if report.dimension:
            totals = {g: _group_total(report, g) for g in report.groups}
            context["group_totals"] = totals
            context["group_chart"] = rating_chart(
                tr("All standards by {dimension}", dimension=choice.dimension_label.lower()),
                [(filters.group_label(choice.dimension, g), c) for g, c in totals.items()],
            )
    return render(request, "compliance.html", context)


def _group_total(report: ComplianceReport, group: str) -> RatingCounts:
    total = RatingCounts()
    for section in report.sections:
        total = total + section.by_group.get(group, RatingCounts())
    return total
