"""The steering group's PDF pack: aggregate tables only, small groups already suppressed.

The collector turns its suppressed view into the plain tables below (this package may not
import the collector); a cell that is None was hidden there and prints as "Suppressed", never
as a number. Nothing here names a setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from school_audit.domain.text_cleaning import clean_text
from school_audit.i18n import tr
from school_audit.reports.fonts import BOLD, REGULAR
from school_audit.reports.steering_summary import PackSummary, summary_pages
from school_audit.reports.styles import MUTED, RULE, styles

Cell = str | int | float | None
SUPPRESSED_TEXT = "Suppressed"
FOOTER = "Aggregates only. Groups of fewer than five settings are suppressed."
HEADER_FILL = "#EEF1F5"
TOTAL_FILL = "#F6F7F9"
SUPPRESSED_FILL = "#EDEDED"
WEAK_FILL = "#F6D3D0"  # a share met below the weak line (as "not met" in the other reports)
MIN_COLUMN_MM = 21  # room for "Suppressed" in a cell


@dataclass(frozen=True)
class PackTable:
    """One table: a header row and body rows; the last row is bold when `total_last`."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total_last: bool = True
    first_width: float = 0.34  # share of the page width for the first column
    weak_below: float | None = None  # shares met under this are shaded, so weak areas stand out


@dataclass(frozen=True)
class PackPart:
    """A heading with an explanation and its tables (e.g. completeness, compliance)."""

    heading: str
    intro: str
    tables: list[PackTable] = field(default_factory=list)


@dataclass(frozen=True)
class SteeringPack:
    threshold: int
    setting_label: str
    parts: list[PackPart]
    summary: PackSummary | None = None
    cycle_title: str = ""
    # Breakdown -> "Other districts: Malvern Hills, Redditch": the key to folded groups.
    folded: list[tuple[str, str]] = field(default_factory=list)


def print_date(day: date) -> str:
    """One way of writing a date across the pack: 21 Nov 2026."""
    return f"{day.day} {day:%b %Y}"


def cell_text(value: Cell) -> str:
    """How a cell prints: hidden cells as words, shares as whole percentages."""
    if value is None:
        return tr(SUPPRESSED_TEXT)
    if isinstance(value, float):
        return f"{value * 100:.0f}%"
    return str(value)


def suppression_rule(threshold: int, folded: bool = True) -> str:
    fold = tr(
        "First, groups with fewer than {m} settings on the register are put together as "
        "“Other” (for example “Other districts” or “Other trusts”), so that they can be shown. "
        "The same groups are put together in every table and in every update of this cycle. ",
        m=2 * threshold,
    )
    return (fold if folded else "") + tr(
        "Then any group that still counts fewer than {n} settings is shown as “Suppressed”, and "
        "where a total would give a hidden group away by subtraction, another group is "
        "suppressed too. The figures change only when a new snapshot is taken, never one "
        "return at a time.",
        n=threshold,
    )


def build_steering_pack(
    pack: SteeringPack, path: Path, *, la_name: str, cycle: str, generated_on: date
) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    title = tr("Safeguarding self-audit {cycle}: summary for the steering group", cycle=cycle)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
        topMargin=16 * mm, bottomMargin=18 * mm, title=title, author=la_name,
    )  # fmt: skip
    story = [*_cover(pack, title, la_name, cycle, generated_on), PageBreak()]
    if pack.summary is not None:
        story += summary_pages(pack.summary, doc.width)
    for part in pack.parts:
        story += _part(part, doc.width)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return path


def _footer(canvas: Any, doc: Any) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(colors.HexColor(MUTED))
    canvas.drawString(16 * mm, 10 * mm, tr(FOOTER))
    canvas.drawRightString(194 * mm, 10 * mm, tr("Page {page}", page=doc.page))
    canvas.restoreState()


def _p(text: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(clean_text(text)).replace("\n", "<br/>"), styles()[style])


def _cover(
    pack: SteeringPack, title: str, la_name: str, cycle: str, generated_on: date
) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    cycle_text = f"{cycle} ({pack.cycle_title})" if pack.cycle_title not in ("", cycle) else cycle
    facts = [
        (tr("Local authority"), la_name),
        (tr("Audit cycle"), cycle_text),
        (tr("Settings"), pack.setting_label),
        (tr("Produced"), print_date(generated_on)),
        (tr("Small groups"), suppression_rule(pack.threshold, bool(pack.folded))),
    ]
    if pack.folded:
        facts.append((tr("Put together"), "\n".join(f"{k}: {v}" for k, v in pack.folded)))
    rows = [[_p(k, "cell_bold"), _p(v, "cell")] for k, v in facts]
    rows.append([_p(tr("In this pack"), "cell_bold"), _p("\n".join(_contents(pack)), "cell")])
    return [
        _p(title, "title"),
        _p(la_name, "h2"),
        Spacer(1, 3 * mm),
        _grid(rows, [40 * mm, 138 * mm], header=False),
        Spacer(1, 4 * mm),
        _p(
            tr(
                "Shares are of rated answers (not applicable left out). The tables count "
                "settings and answers only; no setting is named."
            ),
            "small",
        ),
    ]


def _contents(pack: SteeringPack) -> list[str]:
    lines = []
    if pack.summary is not None:
        lines.append(
            tr(
                "Two summary pages: returns against both deadlines, the weakest standards, risk "
                "counts, change since last year and the training needs asked for"
            )
        )
    headings = [part.heading for part in pack.parts if not part.heading.startswith("Standards:")]
    lines += headings
    if any(part.heading.startswith("Standards:") for part in pack.parts):
        lines.append(tr("Every standard, section by section"))
    return lines


def _part(part: PackPart, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether

    # A heading never sits alone at the foot of a page: it travels with the first table.
    story: list[Any] = [CondPageBreak(40 * mm)]
    lead = [_p(part.heading, "h1"), *([_p(part.intro)] if part.intro else [])]
    tables = [piece for table in part.tables for piece in _split(table, width)]
    for table in tables:
        heading = [*lead, *([_p(table.title, "h2")] if table.title else [])]
        lead = []
        body = _table(table, width)
        # Keep short tables on one page with their heading; long ones repeat their header row.
        if len(table.rows) < 25:
            story.append(KeepTogether([*heading, body]))
        else:
            story += [*heading, body]
    return story + lead


def _column_width(table: PackTable) -> float:
    """The narrowest a number column may be: room for "Suppressed" and for the longest word of
    any header, so that no label is broken inside a word."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = [w for header in table.columns[1:] for w in str(header).split()]
    longest = max((stringWidth(w, BOLD, 8) for w in words), default=0.0)
    return max(MIN_COLUMN_MM * mm, longest + 14)  # the cell's padding on both sides


def _split(table: PackTable, width: float) -> list[PackTable]:
    """Wide tables as several, each repeating the first column, so "Suppressed" fits a cell."""

    fits = max(int(width * (1 - table.first_width) // _column_width(table)), 1)
    extra = len(table.columns) - 1
    if extra <= fits:
        return [table]
    pieces = []
    count = -(-extra // fits)
    size = -(-extra // count)  # balanced: 6 columns as 3 + 3, not 5 + 1
    starts = range(1, extra + 1, size)
    for number, start in enumerate(starts, start=1):
        stop = min(start + size, extra + 1)
        part = tr("part {n} of {count}", n=number, count=len(starts))
        title = f"{table.title} ({part})" if table.title else part.capitalize()
        columns = [table.columns[0], *table.columns[start:stop]]
        rows = [[row[0], *row[start:stop]] for row in table.rows]
        pieces.append(
            PackTable(title, columns, rows, table.total_last, table.first_width, table.weak_below)
        )
    return pieces


def _table(table: PackTable, width: float) -> Any:
    header = [_p(c, "cell_bold") for c in table.columns]
    rows: list[list[Any]] = [header]
    suppressed: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []
    last = len(table.rows)
    for r, row in enumerate(table.rows, start=1):
        style = "cell_bold" if table.total_last and r == last else "cell"
        for c, value in enumerate(row):
            if value is None:
                suppressed.append((c, r))
            elif isinstance(value, float) and table.weak_below and value < table.weak_below:
                weak.append((c, r))
        rows.append([_p(cell_text(v), style) for v in row])
    others = max(len(table.columns) - 1, 1)
    first = width * table.first_width
    widths = [first] + [(width - first) / others] * others
    bold_last = table.total_last and last > 0
    return _grid(rows, widths, header=True, suppressed=suppressed, total_row=bold_last, weak=weak)


def _grid(
    rows: list[list[Any]],
    widths: list[float],
    *,
    header: bool,
    suppressed: list[tuple[int, int]] | None = None,
    total_row: bool = False,
    weak: list[tuple[int, int]] | None = None,
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    grid = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)))
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(TOTAL_FILL)))
    for cell in suppressed or []:
        commands.append(("BACKGROUND", cell, cell, colors.HexColor(SUPPRESSED_FILL)))
    for cell in weak or []:
        commands.append(("BACKGROUND", cell, cell, colors.HexColor(WEAK_FILL)))
    grid.setStyle(TableStyle(commands))
    return grid
