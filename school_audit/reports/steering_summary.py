"""The steering pack's two summary pages: returns against both deadlines, the weakest standards,
change since last year, risk counts and training needs asked for.

Plain data in (the collector has already suppressed, folded and rounded everything), flowables
out. Bars are drawn at print size with their labels wrapped beside them, never cut, and every
scale starts at a floor near the weakest value, stated above the chart, so a weak area stands out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from school_audit.domain.text_cleaning import clean_text
from school_audit.i18n import tr
from school_audit.reports.styles import INK, MUTED, RULE, styles

BAR_FILL = "#3C6E9F"
WEAK_FILL = "#B5483B"  # a bar below the weak line
LAST_YEAR_FILL = "#A9B4C0"
TRACK_FILL = "#EEF1F5"
WEAK_BELOW = 0.8  # a share met under this is drawn in the weak colour


@dataclass(frozen=True)
class Bar:
    label: str
    share: float
    previous: float | None = None  # last year's, drawn as a thinner bar beneath
    note: str = ""  # printed after the share, e.g. "+4 pts"


@dataclass(frozen=True)
class PackSummary:
    cycle_title: str
    deadlines: tuple[str, str]  # as printed, e.g. ("23 Feb 2026", "23 Mar 2026")
    returns: list[tuple[str, str, float | None]]  # label, count as printed, share of expected
    weakest: list[Bar]
    sections: list[Bar]
    previous_cycle: str  # "" when there is nothing to compare with
    risks: list[tuple[str, str]]  # what, settings as printed
    training: list[tuple[str, str]]  # standard, settings as printed
    training_note: str = ""
    notes: list[str] = field(default_factory=list)


def _p(text: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(clean_text(text)).replace("\n", "<br/>"), styles()[style])


def floor_for(shares: list[float]) -> float:
    """Where a scale starts: 10 points below the weakest value, in tens, never below zero."""
    if not shares:
        return 0.0
    return max(0.0, (int(min(shares) * 10) - 1) / 10)


def _bar(bar: Bar, floor: float, width: float, height: float) -> Any:
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    span = max(1.0 - floor, 0.01)

    def x(share: float) -> float:
        return max(0.0, min(1.0, (share - floor) / span)) * width

    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor(TRACK_FILL), strokeColor=None))
    top = height * (0.45 if bar.previous is not None else 0.15)
    fill = WEAK_FILL if bar.share < WEAK_BELOW else BAR_FILL
    drawing.add(
        Rect(0, top, x(bar.share), height * 0.7 - (top - height * 0.15),
             fillColor=colors.HexColor(fill), strokeColor=None)
    )  # fmt: skip
    if bar.previous is not None:
        drawing.add(
            Rect(0, height * 0.12, x(bar.previous), height * 0.25,
                 fillColor=colors.HexColor(LAST_YEAR_FILL), strokeColor=None)
        )  # fmt: skip
    if floor < WEAK_BELOW:
        line = x(WEAK_BELOW)
        drawing.add(Line(line, 0, line, height, strokeColor=colors.HexColor(MUTED), strokeWidth=0.5,
                         strokeDashArray=[1.5, 1.5]))  # fmt: skip
    return drawing


def bar_chart(title: str, bars: list[Bar], width: float, legend: str = "") -> list[Any]:
    """A labelled horizontal bar chart as a table: label (wrapped) | bar | value."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    if not bars:
        return []
    floor = floor_for(
        [b.share for b in bars] + [b.previous for b in bars if b.previous is not None]
    )
    label_w, value_w = width * 0.46, 34 * mm
    bar_w = width - label_w - value_w
    scale = tr("Share met. Scale from {low}% to 100%.", low=round(floor * 100))
    if floor < WEAK_BELOW:
        scale += " " + tr("The dotted line marks {weak}%; bars below it are red.",
                          weak=round(WEAK_BELOW * 100))  # fmt: skip
    rows: list[list[Any]] = [
        [_p(title, "h2"), "", ""],
        [_p(scale + (" " + legend if legend else ""), "small"), "", ""],
    ]
    for bar in bars:
        value = f"{bar.share * 100:.0f}%" + (f" {bar.note}" if bar.note else "")
        rows.append([_p(bar.label, "cell"), _bar(bar, floor, bar_w - 4, 9 if bar.previous is None else 11),
                     _p(value, "cell_bold")])  # fmt: skip
    table = Table(rows, colWidths=[label_w, bar_w, value_w])
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, 1), (-1, 1)),
        ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 2), (-1, -1), 0.3, colors.HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))  # fmt: skip
    return [table]


def _facts(rows: list[list[Any]], widths: list[float]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF1F5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor(INK)),
    ]))  # fmt: skip
    return table


def summary_pages(summary: PackSummary, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    story: list[Any] = [_p(tr("Summary: returns, the weakest standards and risks"), "h1")]
    first, final = summary.deadlines
    rows: list[list[Any]] = [[_p(tr("Returns"), "cell_bold"), _p(tr("Settings"), "cell_bold"),
                              _p(tr("Share of expected"), "cell_bold")]]  # fmt: skip
    for label, count, share in summary.returns:
        label = label.replace("{first}", first).replace("{final}", final)
        shown = f"{share * 100:.0f}%" if share is not None else "–"
        rows.append([_p(label, "cell"), _p(count, "cell"), _p(shown, "cell")])
    story += [_facts(rows, [width * 0.5, width * 0.25, width * 0.25]), Spacer(1, 4 * mm)]
    story += bar_chart(tr("Weakest standards LA-wide, weakest first"), summary.weakest, width,
                       tr("[S]: statutory."))  # fmt: skip
    story.append(Spacer(1, 4 * mm))
    risk_rows = [[_p(tr("Risk flag"), "cell_bold"), _p(tr("Settings"), "cell_bold")]]
    risk_rows += [[_p(label, "cell"), _p(count, "cell")] for label, count in summary.risks]
    story += [_p(tr("Risk counts"), "h2"), _facts(risk_rows, [width * 0.7, width * 0.3])]
    story += [PageBreak(), _p(tr("Summary: change since last year and training needs"), "h1")]
    if summary.previous_cycle:
        legend = tr("Thin grey bar: {cycle}.", cycle=summary.previous_cycle)
        title = tr("Share met by section: this year and {cycle}", cycle=summary.previous_cycle)
    else:
        legend, title = "", tr("Share met by section (no earlier cycle to compare with)")
    story += bar_chart(title, summary.sections, width, legend)
    story.append(Spacer(1, 4 * mm))
    story.append(_p(tr("Training needs asked for"), "h2"))
    if summary.training:
        rows = [[_p(tr("Standard"), "cell_bold"), _p(tr("Settings asking"), "cell_bold")]]
        rows += [[_p(text, "cell"), _p(count, "cell")] for text, count in summary.training]
        story.append(_facts(rows, [width * 0.8, width * 0.2]))
    notes = " ".join([summary.training_note, *summary.notes]).strip()
    if notes:
        story.append(_p(notes, "small"))
    return [*story, PageBreak()]
