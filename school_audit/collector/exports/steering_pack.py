"""The steering group's PDF pack: the suppressed steering view as plain tables for `reports`.

Always built from a steering snapshot (or `steering_view`), so small groups are already folded
and every group still small hidden (None) before the PDF sees it; the PDF prints those cells as
"Suppressed". Two summary pages come first (`steering_summary`, kept with the snapshot). Each
pack writes an audit-log line, like the XLSX and CSV exports.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import DIMENSIONS
from school_audit.collector.aggregate.folding import folded_groups
from school_audit.collector.aggregate.steering import SteeringView, steering_view
from school_audit.collector.aggregate.steering_summary import steering_summary
from school_audit.collector.aggregate.suppression import ShownRow, SteeringTable
from school_audit.collector.cycles import previous_cycle
from school_audit.collector.exports.tables import ExportResult, _log
from school_audit.collector.register.model import TYPE_GROUPS
from school_audit.domain.setting import EARLY_YEARS_PHASES, SCHOOL_PHASES
from school_audit.reports.steering_pack import (
    Cell,
    PackPart,
    PackTable,
    SteeringPack,
    build_steering_pack,
    print_date,
)
from school_audit.reports.steering_summary import WEAK_BELOW, Bar, PackSummary

MEDIA_TYPE = "application/pdf"
UNNAMED_LA = "Local authority"  # the la_name setting's default
SETTING_LABELS = {"school": "Schools", "early_years": "Early years settings"}
COMPLETENESS_HEADERS = {
    "expected": "Expected",
    "received": "Received",
    "received_by_first": "By first deadline",
    "received_by_final": "By final deadline",
    "accepted": "Accepted",
}
SHARES = ("met", "partially_met", "not_met")
SHARE_HEADERS = ["Answers", "Met", "Partially met", "Not met"]
PHASE_LABELS = {**SCHOOL_PHASES, **EARLY_YEARS_PHASES}


def export_steering_pack(
    session: Session,
    cycle: str,
    actor: str,
    *,
    setting_type: str = "school",
    la_name: str = "Local authority",
    today: date | None = None,
    view: SteeringView | None = None,
) -> ExportResult:
    """The PDF pack for one cycle and kind of setting, audit-logged like the other exports; of
    `view` (the steering snapshot) when given."""
    if not la_name.strip() or la_name == UNNAMED_LA:
        # The setting was never made: say how to name the LA rather than "Local authority" twice.
        la_name = "Local authority not named (set SCHOOL_AUDIT_COLLECTOR_LA_NAME)"
    view = view or steering_view(session, cycle, setting_type)
    if not view.summary:  # a snapshot taken before the summary pages existed, or no snapshot
        view.summary = steering_summary(session, view)
    pack = pack_from_view(view)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        build_steering_pack(
            pack, path, la_name=la_name, cycle=cycle, generated_on=today or date.today()
        )
        content = path.read_bytes()
    rows = sum(len(t.rows) for part in pack.parts for t in part.tables)
    _log(
        session,
        actor,
        "export.aggregates",
        cycle,
        f"format=pdf pack=steering setting_type={setting_type} rows={rows}",
    )
    return ExportResult(content, f"steering-pack-{setting_type}-{cycle}.pdf", MEDIA_TYPE, rows)


def pack_from_view(view: SteeringView) -> SteeringPack:
    parts = [_completeness(view)]
    if view.sections:
        parts += [_sections(view), *_standards(view)]
    label = SETTING_LABELS.get(view.setting_type, view.setting_type)
    summary = _summary(view) if view.summary else None
    title = str(view.summary.get("cycle_title", "")) if view.summary else ""
    return SteeringPack(view.threshold, label, parts, summary, title, folded_key(view))


def folded_key(view: SteeringView) -> list[tuple[str, str]]:
    """What each "Other" group holds, in words (long lists of trusts as a count)."""
    key = []
    for dimension, label in DIMENSIONS.items():
        for other, groups in folded_groups(view.folding, dimension).items():
            names = [group_label(dimension, g) for g in groups]
            if len(names) > 12:
                text = f"{len(names)} {label.lower()} groups, each with few settings"
            else:
                text = ", ".join(names)
            key.append((other, text))
    return key


def _day(text: str | None) -> str:
    return print_date(date.fromisoformat(text)) if text else "no date set"


def _summary(view: SteeringView) -> PackSummary:
    data = view.summary
    first, final = (data.get("deadlines") or [None, None])[:2]
    returns = data.get("returns")
    lines: list[tuple[str, str, float | None]] = []
    if returns:
        expected = returns.get("expected") or 0
        for column, label in (
            ("expected", "Expected"),
            ("received", "Received so far"),
            ("received_by_first", "By the first deadline ({first})"),
            ("received_by_final", "By the final deadline ({final})"),
            ("accepted", "Reviewed and accepted by the LA"),
        ):
            count = returns.get(column)
            share = count / expected if expected and count is not None else None
            lines.append((label, str(count), share))
    else:
        lines.append(("Returns", "Hidden in this snapshot (see the rule on the cover)", None))
    weakest = [
        Bar(f"{w['standard_id']}{' [S]' if w['statutory'] else ''} {w['text']}", w["share_met"],
            note=f"({w['not_met'] * 100:.0f}% not met)")
        for w in data.get("weakest", [])
    ]  # fmt: skip
    sections = []
    previous_seen = False
    for s in data.get("sections", []):
        if s["share_met"] is None:
            continue
        note = ""
        if s.get("previous") is not None:
            previous_seen = True
            change = round((s["share_met"] - s["previous"]) * 100)
            note = f"({change:+d} pts)"
        sections.append(
            Bar(f"{s['section_id']}. {s['title']}", s["share_met"], s.get("previous"), note)
        )
    risks = [(r["label"], _count(r["settings"])) for r in data.get("risks", [])]
    training = data.get("training", {})
    needs = [
        (f"{t['standard_id']} {t['text']}", _count(t["settings"]))
        for t in training.get("standards", [])
    ]
    notes = []
    if training.get("more"):
        notes.append(
            f"{training['more']} more standards were asked about by five or more settings."
        )
    if training.get("fewer_than_five"):
        notes.append(
            f"{training['fewer_than_five']} standards were asked about by fewer than five settings."
        )
    return PackSummary(
        cycle_title=str(data.get("cycle_title", "")),
        deadlines=(_day(first), _day(final)),
        returns=lines,
        weakest=weakest,
        sections=sections,
        previous_cycle=previous_cycle(view.cycle) if previous_seen else "",
        risks=risks,
        training=needs,
        training_note=" ".join(notes) or ("" if needs else "No setting asked for support."),
        notes=["Counts of settings on this page are rounded to the nearest five; “fewer than "
               "five” where under five. Shares come from the tables that follow."],
    )  # fmt: skip


def _count(value: int | None) -> str:
    return "fewer than five" if value is None else f"about {value}"


def group_label(dimension: str, key: str) -> str:
    if dimension == "type":
        return TYPE_GROUPS.get(key, key)
    if dimension == "phase":
        return PHASE_LABELS.get(key, key)
    return key or "Not recorded"


def _rows_with_total(table: SteeringTable) -> list[tuple[str, ShownRow]]:
    named = [(group_label(table.dimension, row.group), row) for row in table.rows]
    return [*named, ("Total", table.total)]


def _completeness(view: SteeringView) -> PackPart:
    tables = []
    for dimension, label in DIMENSIONS.items():
        table = view.completeness.get(dimension)
        if table is None:
            continue
        rows: list[list[Cell]] = [
            [name, *(row.counts[c] for c in table.columns)] for name, row in _rows_with_total(table)
        ]
        columns = [label, *(COMPLETENESS_HEADERS.get(c, c) for c in table.columns)]
        tables.append(PackTable(f"Returns by {label.lower()}", columns, rows))
    intro = "Returns expected and received, by deadline, and accepted by the LA."
    return PackPart("Completeness", intro, tables)


def _shares(row: ShownRow) -> list[Cell]:
    """Answers and the share of each rating; all None when the row is hidden."""
    if row.suppressed:
        return [None] * (1 + len(SHARES))
    counts = {r: row.counts[r] or 0 for r in SHARES}
    rated = sum(counts.values())
    return [rated, *((counts[r] / rated if rated else "–") for r in SHARES)]


def _sections(view: SteeringView) -> PackPart:
    overall: list[list[Cell]] = [
        [f"{s.section_id}. {s.title}", *_shares(s.tables["phase"].total)] for s in view.sections
    ]
    tables = [PackTable("All settings", ["Section", *SHARE_HEADERS], overall, total_last=False)]
    for dimension, label in DIMENSIONS.items():
        groups = [row.group for row in view.sections[0].tables[dimension].rows]
        rows: list[list[Cell]] = []
        for section in view.sections:
            by_group = {row.group: row for row in section.tables[dimension].rows}
            rows.append([f"{section.section_id}. {section.title}"] + [
                _shares(by_group[g])[1] if g in by_group else "–" for g in groups
            ])  # fmt: skip
        columns = ["Section", *(group_label(dimension, g) for g in groups)]
        title = f"Share met by {label.lower()}"
        tables.append(PackTable(title, columns, rows, total_last=False, weak_below=WEAK_BELOW))
    intro = (
        "Share of rated answers met, partially met and not met in each section "
        f"(not applicable left out). Shares met below {WEAK_BELOW:.0%} are shaded."
    )
    return PackPart("Compliance by section", intro, tables)


def _standards(view: SteeringView) -> list[PackPart]:
    parts = []
    for section in view.sections:
        standards = [s for s in view.standards if s.section_id == section.section_id]
        totals: list[list[Cell]] = []
        by_phase: list[list[Cell]] = []
        phases = [row.group for row in section.tables["phase"].rows]
        for standard in standards:
            table = standard.tables["phase"]
            statutory = " [S]" if standard.statutory else ""
            totals.append(
                [f"{standard.standard_id}{statutory} {standard.text}", *_shares(table.total)]
            )
            shown = {row.group: row for row in table.rows}
            by_phase.append([standard.standard_id] + [
                _shares(shown[g])[1] if g in shown else "–" for g in phases
            ])  # fmt: skip
        columns = ["Standard", *SHARE_HEADERS]
        phase_columns = ["Standard", *(group_label("phase", g) for g in phases)]
        parts.append(PackPart(
            f"Standards: {section.section_id}. {section.title}",
            "[S]: statutory. Share met by phase uses the same rule for small groups.",
            [
                PackTable("All settings", columns, totals, total_last=False, first_width=0.5),
                PackTable("Share met by phase", phase_columns, by_phase, total_last=False, first_width=0.12,
                          weak_below=WEAK_BELOW),
            ],
        ))  # fmt: skip
    return parts
