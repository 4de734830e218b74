"""Turning aggregate counts into chart rows and table cells."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from school_audit.collector.aggregate.common import RatingCounts
from school_audit.collector.web.svg import StackedRow, stacked_bar_chart


def shares(counts: RatingCounts) -> dict[str, float] | None:
    if not counts.rated:
        return None
    return {r: counts.share(r) or 0.0 for r in ("met", "partially_met", "not_met")}


def rating_chart(title: str, rows: Iterable[tuple[str, RatingCounts]]) -> Markup:
    return stacked_bar_chart(
        title, [StackedRow(label, shares(counts), "No rated answers") for label, counts in rows]
    )
