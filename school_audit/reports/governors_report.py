"""The governors' copy of a school's return: what was answered, what is planned, who signed.

It ends with a verification code (the start of the signed envelope's SHA-256) that the LA can
match against the receipt it issued, so governors can be sure the paper copy is what was sent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from school_audit.domain.audit import ActionStatus, Audit, AuditState, Rating
from school_audit.domain.dates import day_text, moment_text
from school_audit.domain.references import reference_text
from school_audit.domain.setting import phases_for
from school_audit.domain.template import Section, Standard, Template
from school_audit.domain.text_cleaning import clean_text
from school_audit.i18n import tr
from school_audit.reports.styles import MUTED, RATING_FILL, RULE, styles


@dataclass(frozen=True)
class SubmissionInfo:
    """What the outbox knows of the signed return; absent for a draft."""

    submission_id: str
    envelope_sha256: str
    status: str
    # The collector's address, when this computer is enrolled: the QR code points there.
    collector_url: str | None = None


def verify_address(collector_url: str, envelope_sha256: str) -> str:
    """The public page that confirms the LA received this return (collector `/verify/{code}`)."""
    return f"{collector_url.rstrip('/')}/verify/{verification_code(envelope_sha256)}"


def verification_code(envelope_sha256: str) -> str:
    """Sixteen hex digits in groups of four: short enough to read out on the phone."""
    head = envelope_sha256[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def build_governors_report(
    audit: Audit,
    template: Template,
    path: Path,
    *,
    today: date,
    submission: SubmissionInfo | None = None,
) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    draft = audit.state is AuditState.DRAFT  # not signed: every page says so

    class Doc(SimpleDocTemplate):  # type: ignore[misc]
        def afterPage(self) -> None:  # over the page's content, so no table cell hides it
            if draft:
                _watermark(self.canv)

    doc = Doc(
        str(path), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
        topMargin=16 * mm, bottomMargin=18 * mm,
        title=tr("Safeguarding audit {cycle}: {name}", cycle=audit.cycle, name=audit.profile.name),
        author=audit.profile.name, subject=template.title,
    )
    story = [
        *_cover(audit, template, today, submission),
        *_summary(audit, template),
        *_what_changed(audit, template),
        *_sections(audit, template),
        *_action_plan(audit, today),
        *_verification(audit, submission),
    ]
    doc.build(story, onFirstPage=_footer(audit), onLaterPages=_footer(audit))
    return path


# The audit's state (or the collector's status of the signed return) in words.
STATUS_WORDS = {
    "draft": "Draft: not signed",
    "signed": "Signed, waiting to be sent",
    "queued": "Signed, waiting to be sent",
    "sending": "Signed, waiting to be sent",
    "failed": "Signed, waiting to be sent",
    "sent": "Sent to the local authority",
    "received": "Received by the local authority",
    "quarantined": "Received by the local authority, held for checks",
    "accepted": "Accepted by the local authority",
    "returned": "Returned for changes",
    "superseded": "Replaced by a newer revision",
}
ACTION_STATUS_WORDS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.COMPLETE: "Complete",
}


def _watermark(canvas: Any) -> None:
    """DRAFT across the page, light enough to read the page through it."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont("DejaVuSans-Bold", 110)
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
    canvas.translate(105 * mm, 148 * mm)
    canvas.rotate(52)
    canvas.drawCentredString(0, -38, tr("DRAFT"))
    canvas.restoreState()


def _footer(audit: Audit) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans", 7.5)
        canvas.setFillColor(colors.HexColor(MUTED))
        text = tr("{name} · safeguarding audit {cycle} · page {page}", name=audit.profile.name, cycle=audit.cycle, page=doc.page)
        canvas.drawString(16 * mm, 10 * mm, text)
        canvas.drawRightString(194 * mm, 10 * mm, tr("Contains no information that identifies a child."))
        canvas.restoreState()

    return draw


def _p(text: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(clean_text(text)).replace("\n", "<br/>"), styles()[style])


def _table(rows: list[list[Any]], widths: list[float], fills: dict[int, str] | None = None) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF1F5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for row, fill in (fills or {}).items():
        commands.append(("BACKGROUND", (1, row), (1, row), colors.HexColor(fill)))
    table.setStyle(TableStyle(commands))
    return table


def _cover(audit: Audit, template: Template, today: date, submission: SubmissionInfo | None) -> list[Any]:
    profile = audit.profile
    phase = phases_for(profile.setting_type).get(profile.phase, profile.phase)
    state = submission.status if submission else audit.state.value
    facts = [
        (tr("Establishment"), f"{profile.name} (URN {profile.urn})"),
        (tr("Phase"), phase + (f", {profile.district}" if profile.district else "")),
        (tr("Audit"), f"{template.title} ({template.edition}, version {template.version})"),
        (tr("Academic year"), audit.cycle),
        (tr("Revision"), str(audit.revision)),
        (tr("Status"), tr(STATUS_WORDS.get(state, state.replace("_", " ").capitalize()))),
        (tr("Printed"), day_text(today)),
    ]
    if template.local_pack is not None:  # the LA's additions merged under the national core
        pack = template.local_pack
        facts.insert(3, (tr("Local pack"), f"{pack.id}, version {pack.version}"))
    rows = [[_p(k, "cell_bold"), _p(v, "cell")] for k, v in facts]
    return [_p(tr("Safeguarding self-audit {cycle}", cycle=audit.cycle), "title"), _p(profile.name, "h2"), _table_no_header(rows)]


def _table_no_header(rows: list[list[Any]]) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=[40 * mm, 138 * mm])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _applicable_sections(audit: Audit, template: Template) -> list[tuple[Section, list[Any]]]:
    return audit.applicable_sections(template, rated_only=True)


def _summary(audit: Audit, template: Template) -> list[Any]:
    from reportlab.lib.units import mm

    heads = ("Section", "Met", "Partially met", "Not met", "N/A", "Not answered")
    header = [_p(tr(h), "cell_bold") for h in heads]
    rows = [header]
    totals: Counter[Rating | None] = Counter()
    for section, standards in _applicable_sections(audit, template):
        counts = Counter(audit.response(s.id).rating for s in standards)
        totals.update(counts)
        rows.append([_p(f"{section.id}. {section.title}", "cell"), *[_p(str(counts[r]), "cell") for r in _ORDER]])
    rows.append([_p(tr("All sections"), "cell_bold"), *[_p(str(totals[r]), "cell_bold") for r in _ORDER]])
    # Each heading fits its column in whole words (no "Unanswere / d").
    widths = [62 * mm, 18 * mm, 27 * mm, 20 * mm, 17 * mm, 34 * mm]
    statutory_gaps = [
        s for _, standards in _applicable_sections(audit, template) for s in standards
        if s.statutory and (rating := audit.response(s.id).rating) is not None and rating.falls_short
    ]
    story = [_p(tr("Summary"), "h1"), _table(rows, widths)]
    if statutory_gaps:
        story.append(_p(tr("Statutory standards not fully met"), "h2"))
        story += [_p(f"{s.id} ({_rating_label(audit.response(s.id).rating)}): {s.text}") for s in statutory_gaps]
    return story


def _standard_cell(standard: Standard) -> Any:
    """The statement, and beneath it in small type the reference a DSL can look up."""
    from reportlab.platypus import Paragraph

    head = escape(f"{standard.id}{' [S]' if standard.statutory else ''}: {standard.text}")
    reference = reference_text(standard)
    if reference:
        head += f"<br/><font size=7>{escape(tr('Reference: {ref}', ref=reference))}</font>"
    return Paragraph(head, styles()["cell"])


def _what_changed(audit: Audit, template: Template) -> list[Any]:
    """What this edition changed, for the standards this setting answers (empty for an edition
    that records no changes)."""
    rows = [
        _p(f"{s.id}: " + " ".join(s.changes or []))
        for _, standards in _applicable_sections(audit, template)
        for s in standards
        if s.changes
    ]
    if not rows:
        return []
    since = f" {template.previous.version}" if template.previous else ""
    return [_p(tr("What changed since edition{since}", since=since), "h1"), *rows]


def _rating_label(rating: Rating | None) -> str:
    return rating.label if rating is not None else ""


_ORDER: list[Rating | None] = [Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET, Rating.NOT_APPLICABLE, None]


def _sections(audit: Audit, template: Template) -> list[Any]:
    from reportlab.lib.units import mm

    story: list[Any] = [_p(tr("Answers by standard"), "h1")]
    for section, standards in _applicable_sections(audit, template):
        story.append(_p(f"{section.id}. {section.title}", "h2"))
        rows = [[_p(tr(h), "cell_bold") for h in ("Standard", "Rating", "Evidence and actions")]]
        fills = {}
        for index, standard in enumerate(standards, start=1):
            response = audit.response(standard.id)
            fills[index] = RATING_FILL[response.rating.value if response.rating else None]
            rows.append([
                _standard_cell(standard),
                _p(response.rating.label if response.rating else tr("Not answered"), "cell_bold"),
                _p(_evidence_text(audit, standard), "cell"),
            ])
        story.append(_table(rows, [66 * mm, 30 * mm, 82 * mm], fills))
    return story


def _evidence_text(audit: Audit, standard: Standard) -> str:
    standard_id = standard.id
    response = audit.response(standard_id)
    labels = {field.key: field.label for field in standard.dates}
    parts = [response.evidence.strip()] if response.evidence.strip() else []
    if response.na_reason.strip():
        parts.append(tr("Not applicable because: {reason}", reason=response.na_reason.strip()))
    # Each date under the template's own label ("DSL training last completed"), never its key.
    parts += [f"{labels.get(key) or key.replace('_', ' ').capitalize()}: {day_text(day)}"
              for key, day in sorted(response.dates.items())]  # fmt: skip
    parts += [
        tr("Action: {what} ({owner}, by {when})", what=a.description, owner=a.owner_role or tr("no owner yet"), when=day_text(a.target_date) if a.target_date else tr("no date set"))
        for a in audit.actions_for(standard_id)
    ]
    return "\n".join(parts) or "—"


def _action_plan(audit: Audit, today: date) -> list[Any]:
    from reportlab.lib.units import mm

    story: list[Any] = [_p(tr("Action plan"), "h1")]
    if not audit.actions:
        return [*story, _p(tr("No actions."))]
    rows = [[_p(tr(h), "cell_bold") for h in ("Standard", "Action", "Owner", "Target", "Status")]]
    actions = sorted(audit.actions, key=lambda a: (a.target_date or date.max, a.standard_id))
    for action in actions:
        status = tr(ACTION_STATUS_WORDS[action.status])
        if action.is_overdue(today):
            status += " " + tr("(overdue)")
        if action.support_requested:
            status += " · " + tr("LA support requested")
        rows.append([
            _p(action.standard_id, "cell"), _p(action.description, "cell"), _p(action.owner_role, "cell"),
            _p(day_text(action.target_date) if action.target_date else "—", "cell"), _p(status, "cell"),
        ])
    return [*story, _table(rows, [22 * mm, 68 * mm, 30 * mm, 30 * mm, 28 * mm])]


def _verification(audit: Audit, submission: SubmissionInfo | None) -> list[Any]:
    from reportlab.lib.units import mm

    story: list[Any] = [_p(tr("Sign-off"), "h1")]
    if audit.sign_off:
        rows = [[_p(tr(h), "cell_bold") for h in ("Role", "Name", "Declaration", "Signed (UTC)")]]
        rows += [
            [_p(tr(s.role.label), "cell"), _p(s.name, "cell"), _p(s.statement, "cell"),
             _p(moment_text(s.signed_at), "cell")]
            for s in audit.sign_off
        ]
        story.append(_table(rows, [30 * mm, 38 * mm, 80 * mm, 30 * mm]))
    else:
        story.append(_p(tr("Not signed yet: this is a draft for discussion.")))
    if submission:
        story += [
            _p(tr("Verification"), "h2"),
            _p(tr("Verification code: {code}", code=verification_code(submission.envelope_sha256)), "h2"),
            _p(tr("Return {sid}. The local authority can confirm this code against the receipt it issued.", sid=submission.submission_id), "small"),
        ]
        if submission.collector_url:
            address = verify_address(submission.collector_url, submission.envelope_sha256)
            story += [
                qr_drawing(address),
                _p(tr("Anyone can check it: scan the code or open {address}", address=address), "small"),
            ]
    return story


def qr_drawing(payload: str, size_mm: float = 32) -> Any:
    """A QR code (ReportLab's own encoder) as a flowable of `size_mm` square."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm

    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    side = size_mm * mm
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing
