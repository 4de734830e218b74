"""A steering view as stored in a snapshot (JSON and back), and a section's table built from
the tables its standards show."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from school_audit.collector.aggregate.steering import (
    SteeringSection,
    SteeringStandard,
    SteeringView,
)
from school_audit.collector.aggregate.suppression import ShownRow, SteeringTable

FORMAT = 1


def view_to_json(view: SteeringView) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "cycle": view.cycle,
            "setting_type": view.setting_type,
            "threshold": view.threshold,
            "completeness": {d: _table(t) for d, t in view.completeness.items()},
            "standards": [
                {
                    "standard_id": s.standard_id,
                    "section_id": s.section_id,
                    "text": s.text,
                    "statutory": s.statutory,
                    "tables": {d: _table(t) for d, t in s.tables.items()},
                }
                for s in view.standards
            ],
            "sections": [
                {
                    "section_id": s.section_id,
                    "title": s.title,
                    "tables": {d: _table(t) for d, t in s.tables.items()},
                }
                for s in view.sections
            ],
            "folding": view.folding,
            "summary": view.summary,
        },
        ensure_ascii=False,
    )


def view_from_json(text: str) -> SteeringView:
    data = json.loads(text)
    view = SteeringView(data["cycle"], data["setting_type"], data["threshold"])
    view.completeness = {d: _from_table(t) for d, t in data["completeness"].items()}
    view.standards = [
        SteeringStandard(
            s["standard_id"],
            s["section_id"],
            s["text"],
            s["statutory"],
            {d: _from_table(t) for d, t in s["tables"].items()},
        )
        for s in data["standards"]
    ]
    view.sections = [
        SteeringSection(
            s["section_id"], s["title"], {d: _from_table(t) for d, t in s["tables"].items()}
        )
        for s in data["sections"]
    ]
    # Snapshots taken before folding have neither: their cycle stays unfolded (`folding`).
    view.folding = {d: dict(m) for d, m in data.get("folding", {}).items()}
    view.summary = dict(data.get("summary", {}))
    return view


def _row(row: ShownRow) -> dict[str, Any]:
    return {
        "group": row.group,
        "settings": row.settings,
        "counts": row.counts,
        "suppressed": row.suppressed,
    }


def _table(table: SteeringTable) -> dict[str, Any]:
    return {
        "dimension": table.dimension,
        "columns": list(table.columns),
        "rows": [_row(r) for r in table.rows],
        "total": _row(table.total),
    }


def _from_row(data: dict[str, Any]) -> ShownRow:
    return ShownRow(data["group"], data["settings"], dict(data["counts"]), data["suppressed"])


def _from_table(data: dict[str, Any]) -> SteeringTable:
    return SteeringTable(
        data["dimension"],
        list(data["columns"]),
        [_from_row(r) for r in data["rows"]],
        _from_row(data["total"]),
    )


def section_table(
    dimension: str, columns: Sequence[str], tables: Sequence[SteeringTable]
) -> SteeringTable:
    """A section's table by one breakdown: each row adds up only the cells its standards' tables
    show for that group, and the total the totals they show, so it gives nothing hidden away."""
    groups = list(dict.fromkeys(row.group for table in tables for row in table.rows))
    rows = []
    for group in groups:
        shown = [r for t in tables for r in t.rows if r.group == group and not r.suppressed]
        rows.append(_sum(group, shown, columns))
    totals = [t.total for t in tables if not t.total.suppressed]
    return SteeringTable(dimension, list(columns), rows, _sum("Total", totals, columns))


def _sum(group: str, shown: Sequence[ShownRow], columns: Sequence[str]) -> ShownRow:
    if not shown:
        return ShownRow(group, None, {c: None for c in columns}, True)
    counts: dict[str, int | None] = {c: sum(row.counts[c] or 0 for row in shown) for c in columns}
    return ShownRow(group, max(row.settings or 0 for row in shown), counts, False)
