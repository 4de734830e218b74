"""Shared look of every report: fonts, colours for ratings, paragraph styles."""

from __future__ import annotations

from functools import cache
from typing import Any

from school_audit.reports.fonts import BOLD, REGULAR, register_fonts

RATING_FILL = {
    "met": "#DCEFD9",
    "partially_met": "#FCE8C3",
    "not_met": "#F6D3D0",
    "not_applicable": "#E6E6E6",
    None: "#FFFFFF",
}
INK = "#1F2A37"
MUTED = "#5B6573"
RULE = "#C9CFD6"


@cache
def styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink = colors.HexColor(INK)
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=ink)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor(MUTED)
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=8, leading=10
        ),
    }
