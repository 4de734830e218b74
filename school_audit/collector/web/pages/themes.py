"""Themes (what is most often not fully met; support requested) and trends against last cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.aggregate.themes import support_requests, themes
from school_audit.collector.aggregate.trends import TrendRow, trends
from school_audit.collector.web import deps, filters
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.collector.web.svg import paired_bar_chart, simple_bar_chart
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
TOP = 10
MOVERS = 15
NEEDS_SHOWN = 20


@router.get("/themes")
def themes_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("themes"))],
    cycle: str = "",
    setting_type: str = "",
    all_needs: str = "",
) -> Response:
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle, setting_type)
        top = themes(session, choice.cycle, choice.setting_type, TOP) if choice.cycle else []
        needs = support_requests(session, choice.cycle, choice.setting_type) if choice.cycle else []
    chart = simple_bar_chart(
        tr(
            "Standards most often not fully met: share of settings rating them partially met or not met"
        ),
        [(t.standard_id, t.share, f"{t.not_fully_met} of {t.rated}") for t in top],
        colour="#b0182c",
    )
    context = {
        "title": tr("Themes"),
        "choice": choice,
        "themes": top,
        "needs": needs if all_needs else needs[:NEEDS_SHOWN],
        "needs_total": len(needs),
        "query": f"cycle={choice.cycle}&setting_type={choice.setting_type}",
        "chart": chart,
        "action": "/themes",
    }
    return render(request, "themes.html", context)


@router.get("/trends")
def trends_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("trends"))],
    cycle: str = "",
    setting_type: str = "",
) -> Response:
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle, setting_type)
        report = trends(session, choice.cycle, choice.setting_type) if choice.cycle else None
    has_previous = bool(report and any(row.previous for row in report.rows))
    chart = None
    if report and has_previous:
        chart = movers_chart(report.rows)
    context = {
        "title": tr("Trends"),
        "choice": choice,
        "report": report,
        "has_previous": has_previous,
        "chart": chart,
        "action": "/trends",
    }
    return render(request, "trends.html", context)


def movers_chart(rows: list[TrendRow]) -> Markup:
    """The standards that moved most; the table beside the chart lists every standard."""
    moved = sorted(
        (r for r in rows if r.change_in_met_share is not None),
        key=lambda r: (-abs(r.change_in_met_share or 0), r.standard_id),
    )[:MOVERS]
    return paired_bar_chart(
        tr("The {n} standards whose share met changed most since the previous cycle", n=len(moved)),
        [
            (r.standard_id, r.previous.share_met if r.previous else None, r.current.share_met)
            for r in moved
        ],
    )
