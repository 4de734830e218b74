"""Server-side SVG charts: stacked horizontal bars of met / partially met / not met shares.

Each chart is an accessible image (role="img", <title>, aria-label) and is always shown next to a
text table with the same figures, so nobody depends on colour or on seeing the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Colours chosen to keep white text readable (WCAG AA for large text) and to differ in lightness,
# so the segments still separate in greyscale. Labels always accompany them.
SEGMENT_COLOURS = {
    "met": "#1d6b38",
    "partially_met": "#b35900",
    "not_met": "#b0182c",
    "suppressed": "#6b6b6b",
    "accepted": "#1d6b38",
    "awaiting": "#1f4e79",
    "missing": "#b0182c",
}
SEGMENT_LABELS = {
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "accepted": "Accepted",
    "awaiting": "Received, not yet accepted",
    "missing": "Not received",
}

LABEL_WIDTH = 185
BAR_WIDTH = 360
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 30


@dataclass(frozen=True)
class StackedRow:
    """One bar: a label and the share (0..1) of each segment, or None when suppressed."""

    label: str
    shares: dict[str, float] | None
    note: str = "Suppressed (fewer than 5 settings)"


def stacked_bar_chart(
    title: str,
    rows: Sequence[StackedRow],
    *,
    segments: Sequence[str] = ("met", "partially_met", "not_met"),
) -> Markup:
    """An SVG of one 100% stacked bar per row, with a legend naming each colour."""
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        _opening(title, width, height),
        _legend(segments),
    ]
    for index, row in enumerate(rows):
        parts.append(_bar(row, TOP + index * ROW_HEIGHT, segments))
    parts.append("</svg>")
    return Markup("".join(parts))


def _opening(title: str, width: int, height: int) -> str:
    """The chart's <svg> element, named for screen readers, and its title."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def _legend(segments: Sequence[str]) -> str:
    items = []
    x = LABEL_WIDTH
    for key in segments:
        label = escape(SEGMENT_LABELS.get(key, key))
        items.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{SEGMENT_COLOURS[key]}"/>'
            f'<text x="{x + 16}" y="16" class="legend">{label}</text>'
        )
        x += 16 + int(6.5 * len(label)) + 18
    return "".join(items)


def _bar(row: StackedRow, y: int, segments: Sequence[str]) -> str:
    label = escape(_shorten(row.label))
    out = [
        f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end" class="row-label">{label}</text>'
    ]
    if row.shares is None:
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
            f'fill="#eeeeee" stroke="{SEGMENT_COLOURS["suppressed"]}"/>'
            f'<text x="{LABEL_WIDTH + 8}" y="{y + 13}" class="suppressed">{escape(row.note)}</text>'
        )
        return "".join(out)
    x = float(LABEL_WIDTH)
    for key in segments:
        share = max(0.0, min(1.0, row.shares.get(key, 0.0)))
        width = share * BAR_WIDTH
        if width <= 0:
            continue
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{SEGMENT_COLOURS[key]}"/>'
        )
        if width >= 34:
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{y + 13}" text-anchor="middle" '
                f'class="seg-label">{share * 100:.0f}%</text>'
            )
        x += width
    return "".join(out)


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def simple_bar_chart(
    title: str, rows: Sequence[tuple[str, float, str]], *, colour: str = "#1f4e79"
) -> Markup:
    """Horizontal bars of a share (0..1) each, with its text value printed at the end of the bar."""
    height = 12 + ROW_HEIGHT * max(len(rows), 1)
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        _opening(title, width, height),
    ]
    for index, (label, share, text) in enumerate(rows):
        y = 6 + index * ROW_HEIGHT
        bar = max(0.0, min(1.0, share)) * BAR_WIDTH
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end" class="row-label">'
            f"{escape(_shorten(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#eef1f5"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 13}" class="value">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def paired_bar_chart(title: str, rows: Sequence[tuple[str, float | None, float | None]]) -> Markup:
    """Two thin bars per row: last cycle's share (light) above this cycle's (dark), with values."""
    pair = 2 * 10 + 10
    height = 30 + pair * max(len(rows), 1)
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        _opening(title, width, height),
        f'<rect x="{LABEL_WIDTH}" y="6" width="12" height="12" fill="#9fb3c8"/>'
        f'<text x="{LABEL_WIDTH + 16}" y="16" class="legend">Previous cycle</text>'
        f'<rect x="{LABEL_WIDTH + 130}" y="6" width="12" height="12" fill="#1f4e79"/>'
        f'<text x="{LABEL_WIDTH + 146}" y="16" class="legend">This cycle</text>',
    ]
    for index, (label, before, now) in enumerate(rows):
        y = 28 + index * pair
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end" class="row-label">'
            f"{escape(_shorten(label))}</text>"
        )
        for offset, share, colour in ((0, before, "#9fb3c8"), (10, now, "#1f4e79")):
            text = "–" if share is None else f"{share * 100:.0f}%"
            bar = 0.0 if share is None else max(0.0, min(1.0, share)) * BAR_WIDTH
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + offset}" width="{bar:.1f}" height="9" fill="{colour}"/>'
                f'<text x="{LABEL_WIDTH + bar + 4:.1f}" y="{y + offset + 8}" class="value small-value">{text}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
