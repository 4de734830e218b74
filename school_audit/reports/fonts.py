"""The report fonts: DejaVu Sans, shipped with the package, so names like "Zoë Łukasiewicz" and
marks like ✓ print everywhere (ReportLab's built-in fonts cover Latin-1 only)."""

from __future__ import annotations

from functools import cache
from importlib import resources

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources.files(__package__).joinpath("fonts")
    for name in (REGULAR, BOLD):
        with resources.as_file(folder.joinpath(f"{name}.ttf")) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
