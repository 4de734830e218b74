"""The LA's feedback letter to one setting after review: a ReportLab PDF.

The collector gathers the figures (this package may not import it) into `FeedbackLetter`: the
setting's own share of standards met by section, beside similar settings (same phase) and the LA
as a whole, with the steering group's suppression already applied (a comparison that is None was
suppressed and prints as such, never as a number); the reviewer's comments; strengths; the
actions the LA expects and by when; and the change since last year. No answer or evidence text
of the setting is printed: only ratings, the template's wording and the LA's own comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

from school_audit.domain.dates import day_text
from school_audit.i18n import tr
from school_audit.reports.fonts import REGULAR
from school_audit.reports.styles import MUTED, RATING_FILL, RULE, styles

SUPPRESSED_TEXT = "Suppressed"
HEADER_FILL = "#EEF1F5"
SUPPRESSED_FILL = "#EDEDED"
RATING_WORDS = {"met": "Met", "partially_met": "Partly met", "not_met": "Not met"}


@dataclass(frozen=True)
class SectionFigures:
    section_id: str
    title: str
    met: int
    partially_met: int
    not_met: int
    similar: float | None  # share met in similar settings; None: suppressed or no data
    la: float | None
    last_year: float | None = None  # this setting's own share a year ago

    @property
    def share(self) -> float | None:
        rated = self.met + self.partially_met + self.not_met
        return self.met / rated if rated else None


@dataclass(frozen=True)
class ExpectedAction:
    standard_id: str
    standard_text: str
    rating: str
    by: date | None
    comment: str = ""


@dataclass(frozen=True)
class FeedbackLetter:
    la_name: str
    establishment_name: str
    urn: str
    cycle: str
    phase_label: str
    decision: str  # accepted | returned
    reviewed_on: date
    reviewer: str
    similar_settings: int | None  # None: the group was suppressed
    la_settings: int | None
    sections: list[SectionFigures]
    general_comment: str = ""
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # id, standard, comment
    actions: list[ExpectedAction] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # since last year, in words
    threshold: int = 5


def percent(value: float | None, *, suppressed: bool = False) -> str:
    if value is None:
        return tr(SUPPRESSED_TEXT) if suppressed else "–"
    return f"{round(value * 100)}%"


def build_feedback_letter(letter: FeedbackLetter) -> bytes:
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    out = BytesIO()
    title = tr("Feedback on your safeguarding self-audit {cycle}", cycle=letter.cycle)
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
        topMargin=16 * mm, bottomMargin=18 * mm, title=title, author=letter.la_name,
    )  # fmt: skip
    story = _opening(letter, title) + _figures(letter, doc.width) + _feedback(letter, doc.width)
    doc.build(story, onFirstPage=_footer(letter), onLaterPages=_footer(letter))
    return out.getvalue()


def _p(text: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def _footer(letter: FeedbackLetter) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(18 * mm, 10 * mm, f"{letter.la_name} · {letter.establishment_name} "
                          f"(URN {letter.urn}) · {letter.cycle}")  # fmt: skip
        canvas.drawRightString(192 * mm, 10 * mm, tr("Page {page}", page=doc.page))
        canvas.restoreState()

    return draw


def _opening(letter: FeedbackLetter, title: str) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    outcome = (
        tr("accepted your audit")
        if letter.decision == "accepted"
        else tr("returned your audit for changes")
    )
    return [
        _p(letter.la_name, "h2"),
        _p(title, "title"),
        _p(f"{letter.establishment_name} · URN {letter.urn} · {letter.phase_label}", "h2"),
        _p(day_text(letter.reviewed_on), "small"),
        Spacer(1, 4 * mm),
        _p(tr("To the designated safeguarding lead, the head teacher and the chair of governors,")),
        Spacer(1, 2 * mm),
        _p(
            tr(
                "Thank you for your safeguarding self-audit for {cycle}. We have reviewed it and "
                "{outcome}. This letter sets out how your ratings compare with similar settings and "
                "with the local authority as a whole, what we saw as strengths, our comments, and "
                "the actions we expect.",
                cycle=letter.cycle,
                outcome=outcome,
            )
        ),  # fmt: skip
    ]


def _figures(letter: FeedbackLetter, width: float) -> list[Any]:
    similar_head = _group_head(tr("Similar settings"), letter.phase_label, letter.similar_settings)
    la_head = _group_head(tr("All settings in the LA"), "", letter.la_settings)
    header = [tr("Section"), tr("Your setting"), tr("Standards met / partly / not"),
              similar_head, la_head, tr("You last year")]  # fmt: skip
    rows: list[list[Any]] = [[_p(text, "cell_bold") for text in header]]
    grey: list[tuple[int, int]] = []
    for r, section in enumerate(letter.sections, start=1):
        # A suppressed group's figures never print, whatever was passed for them.
        similar = None if letter.similar_settings is None else section.similar
        whole = None if letter.la_settings is None else section.la
        cells = [
            f"{section.section_id}. {section.title}",
            percent(section.share),
            f"{section.met} / {section.partially_met} / {section.not_met}",
            percent(similar, suppressed=letter.similar_settings is None),
            percent(whole, suppressed=letter.la_settings is None),
            percent(section.last_year),
        ]
        grey += [(c, r) for c, v in ((3, similar), (4, whole)) if v is None]
        rows.append([_p(text, "cell") for text in cells])
    widths = [width * share for share in (0.34, 0.12, 0.16, 0.14, 0.12, 0.12)]
    return [
        _p(tr("Your ratings beside others"), "h1"),
        _grid(rows, widths, grey),
        _p(
            tr(
                "Shares are of rated standards met (not applicable left out). A comparison group of "
                "fewer than {n} settings, or one that would let a small group be worked out from the "
                "others, is shown as \u201cSuppressed\u201d, so no other setting can be identified.",
                n=letter.threshold,
            ),
            "small",
        ),  # fmt: skip
    ]


def _group_head(label: str, detail: str, settings: int | None) -> str:
    count = tr("{n} settings", n=settings) if settings is not None else tr(SUPPRESSED_TEXT)
    return f"{label} ({detail + ', ' if detail else ''}{count})"


def _feedback(letter: FeedbackLetter, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    story: list[Any] = []
    if letter.changes:
        story += [_p(tr("Since last year"), "h1")] + [_p(f"• {line}") for line in letter.changes]
    story += [_p(tr("Strengths"), "h1")]
    story += [_p(f"• {line}") for line in letter.strengths] or [
        _p(tr("We will discuss strengths with you when we next meet."))
    ]
    story += [_p(tr("Our comments"), "h1")]
    if letter.general_comment:
        story.append(_p(letter.general_comment))
    for standard_id, text, comment in letter.comments:
        story.append(_p(f"{standard_id} {text}", "cell_bold"))
        story.append(_p(comment))
    if not letter.general_comment and not letter.comments:
        story.append(_p(tr("No further comments.")))
    story += [_p(tr("Actions we expect"), "h1")] + _actions(letter.actions, width)
    story += [Spacer(1, 6 * mm), _p(tr("With thanks,"), "body"), _p(letter.reviewer, "cell_bold"),
              _p(tr("Education safeguarding, {la}", la=letter.la_name), "small")]  # fmt: skip
    return story


def _actions(actions: list[ExpectedAction], width: float) -> list[Any]:
    if not actions:
        return [_p(tr("Every standard is met: keep your evidence up to date for next year."))]
    header = [tr("Standard"), tr("Your rating"), tr("What we expect"), tr("By")]
    rows: list[list[Any]] = [[_p(text, "cell_bold") for text in header]]
    for action in actions:
        expect = action.comment or tr("An action that brings this standard to met.")
        by = day_text(action.by) if action.by else tr("Agree a date with us")
        rows.append([_p(f"{action.standard_id} {action.standard_text}", "cell"),
                     _p(tr(RATING_WORDS.get(action.rating, action.rating)), "cell"),
                     _p(expect, "cell"), _p(by, "cell")])  # fmt: skip
    widths = [width * share for share in (0.42, 0.12, 0.30, 0.16)]
    return [_grid(rows, widths, [], ratings=[a.rating for a in actions])]


def _grid(
    rows: list[list[Any]],
    widths: list[float],
    grey: list[tuple[int, int]],
    ratings: list[str] | None = None,
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    grid = Table(rows, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
    ]
    commands += [("BACKGROUND", cell, cell, colors.HexColor(SUPPRESSED_FILL)) for cell in grey]
    for r, rating in enumerate(ratings or [], start=1):
        commands.append(("BACKGROUND", (1, r), (1, r), colors.HexColor(RATING_FILL[rating])))
    grid.setStyle(TableStyle(commands))
    return grid
