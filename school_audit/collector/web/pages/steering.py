"""The steering group's view: aggregates only, small groups folded into "Other" and every group
still under five settings hidden (the same folding and rule as the PDF pack, from the snapshot).

Everything shown comes from the latest dated snapshot (`aggregate.snapshots`), built with the
suppression rules (secondary suppression against subtraction, and against subtracting two
snapshots); this page only lays it out.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.aggregate.by_source import arrange, documents_for
from school_audit.collector.aggregate.suppression import ShownRow, SteeringTable
from school_audit.collector.exports.steering_pack import folded_key
from school_audit.collector.web import deps, filters
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.pages.compliance import GROUPINGS
from school_audit.collector.web.rendering import render
from school_audit.collector.web.svg import StackedRow, stacked_bar_chart
from school_audit.i18n import tr
from school_audit.reports.steering_pack import suppression_rule

router = APIRouter(route_class=WebRoute)
RATED = ("met", "partially_met", "not_met")


def row_shares(row: ShownRow) -> dict[str, float] | None:
    """Shares of rated answers in a shown row; None when suppressed or nothing was rated."""
    if row.suppressed:
        return None
    rated = sum(row.counts.get(r) or 0 for r in RATED)
    return {r: (row.counts.get(r) or 0) / rated for r in RATED} if rated else None


def table_chart(title: str, table: SteeringTable, dimension: str) -> Markup:
    rows = [
        StackedRow(
            filters.group_label(dimension, row.group),
            row_shares(row),
            tr("Suppressed (fewer than 5 settings)") if row.suppressed else tr("No rated answers"),
        )
        for row in table.rows
    ]
    return stacked_bar_chart(title, rows)


@router.get("/steering")
def steering_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("steering"))],
    cycle: str = "",
    setting_type: str = "",
    by: str = "",
    group: str = "",
) -> Response:
    grouping = group if group in GROUPINGS else ""
    database = deps.database(request)
    with database.read() as session:
        choice = filters.choose(session, cycle, setting_type, by or "phase")
        documents = (
            documents_for(session, choice.cycle, choice.setting_type)
            if grouping == "source" and choice.cycle
            else None
        )
    # The latest dated snapshot, never live figures: two visits must not differ by one school.
    snapshot = deps.steering_snapshot(request, choice.cycle, choice.setting_type)
    view = snapshot.view if snapshot is not None else None
    dimension = choice.dimension or "phase"
    charts = {}
    if view is not None:
        charts = {
            s.section_id: table_chart(
                tr(
                    "{section}: share met, partially met and not met by {dimension}",
                    section=s.title,
                    dimension=filters.DIMENSIONS[dimension].lower(),
                ),
                s.tables[dimension],
                dimension,
            )
            for s in view.sections
            if dimension in s.tables
        }
    context = {
        "title": tr("Steering group view"),
        "choice": choice,
        "dimension": dimension,
        "view": view,
        "snapshot": snapshot,
        "charts": charts,
        "row_shares": row_shares,
        # The rule and the key to "Other" groups in the same words as the PDF pack's cover.
        "rule": suppression_rule(view.threshold if view else 5, bool(view and view.folding)),
        "folded": folded_key(view) if view is not None else [],
        "action": "/steering",
        "show_dimension": True,
        "no_blank_dimension": True,
        "show_grouping": True,
        "grouping": grouping,
        "groupings": GROUPINGS,
        # By source document: the snapshot's own figures for each standard (already suppressed),
        # arranged under the documents; no figure is added up across standards here.
        "sources": (
            arrange(view.standards, documents[0], local_packs=documents[1])
            if view and documents
            else []
        ),
    }
    return render(request, "steering.html", context)
