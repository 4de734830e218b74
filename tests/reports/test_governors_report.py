"""The governors' PDF, read back from the file."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime

from pypdf import PdfReader

from school_audit.domain.audit import Action, Audit, Rating, Response, SignOff, SignOffRole
from school_audit.reports.governors_report import (
    SubmissionInfo,
    build_governors_report,
    verification_code,
)

SHA = "3f2a91bc00d4e5f6" + "0" * 48


def audit_for(template, profile) -> Audit:
    audit = Audit.start(template, profile)
    for s in template.applicable(profile.phase, profile.flags):
        if s.is_rated:
            audit.responses[s.id] = Response(standard_id=s.id, rating=Rating.MET, evidence="Board minutes 12 May ✓")
    audit.responses["A2"] = Response(standard_id="A2", rating=Rating.NOT_MET)
    audit.actions.append(Action(standard_id="A2", description="Appoint a link governor", owner_role="Chair", target_date=date(2025, 1, 31), support_requested=True))
    audit.sign_off.append(SignOff(role=SignOffRole.DSL, name="Zoë Łukasiewicz", statement="I confirm this is accurate.", signed_at=datetime(2025, 12, 1, 9, 0, tzinfo=UTC)))
    return audit


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_report_carries_answers_actions_signatories_and_code(tmp_path, mini_template, school_profile):
    path = build_governors_report(
        audit_for(mini_template, school_profile), mini_template, tmp_path / "gov.pdf",
        today=date(2025, 12, 2), submission=SubmissionInfo("sub-1", SHA, "accepted"),
    )
    text = text_of(path)
    assert "Hollybank First School" in text
    assert "Zoë Łukasiewicz" in text  # needs the embedded Unicode font
    assert "Appoint a link governor" in text and "(overdue)" in text
    assert "3F2A-91BC-00D4-E5F6" in text
    assert "Leadership and governance" in text
    assert "Boarding" not in text  # a non-applicable standard is left out


def test_draft_says_it_is_unsigned(tmp_path, mini_template, school_profile):
    audit = Audit.start(mini_template, school_profile)
    path = build_governors_report(audit, mini_template, tmp_path / "draft.pdf", today=date(2025, 12, 2))
    text = text_of(path)
    assert "Not signed yet" in text and "Not answered" in text
    assert "Verification code" not in text


def test_verification_code_format():
    assert verification_code(SHA) == "3F2A-91BC-00D4-E5F6"


def test_pages_render(tmp_path, mini_template, school_profile):
    path = build_governors_report(audit_for(mini_template, school_profile), mini_template, tmp_path / "g.pdf", today=date(2025, 12, 2))
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True, timeout=60)
    assert sorted(p.name for p in tmp_path.glob("page*.png"))


def test_the_pdf_shows_references_and_what_changed_in_the_edition(tmp_path, school_profile):
    from school_audit.content import builtin_template

    template = builtin_template("school-s175", "2025-26.2")
    profile = school_profile.model_copy(update={"flags": {"has_eyfs": True, "is_maintained": True}})
    audit = audit_for(template, profile)
    path = build_governors_report(audit, template, tmp_path / "g.pdf", today=date(2026, 1, 10))
    text = " ".join(text_of(path).split())
    assert "What changed since edition 2025-26.1" in text
    assert "C2: No longer statutory" in text
    assert "Reference: KCSIE 2025, Part two: The designated safeguarding lead" in text


def test_a_merged_audit_names_its_local_pack_on_the_cover(tmp_path, mini_template, school_profile):
    from school_audit.domain.local_pack import load_local_pack
    from school_audit.domain.local_pack_merge import merge_pack
    from tests.conftest import FIXTURES

    merged = merge_pack(mini_template, load_local_pack((FIXTURES / "mini_local_pack.json").read_bytes()))
    path = build_governors_report(audit_for(merged, school_profile), merged, tmp_path / "gov.pdf", today=date(2025, 12, 2))
    text = text_of(path)
    assert "Local pack" in text and "mini-county, version 2025-26.1" in text
    plain = text_of(build_governors_report(audit_for(mini_template, school_profile), mini_template, tmp_path / "plain.pdf", today=date(2025, 12, 2)))
    assert "Local pack" not in plain


def test_control_characters_in_evidence_do_not_reach_the_pdf(tmp_path, mini_template, school_profile):
    import re

    audit = audit_for(mini_template, school_profile)
    audit.responses["A1"] = Response(standard_id="A1", rating=Rating.MET, evidence="Minutes\x00 of\x01 May\x0bsigned")
    path = build_governors_report(audit, mini_template, tmp_path / "gov.pdf", today=date(2025, 12, 2))
    text = text_of(path)
    assert "Minutes of May" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_the_qr_code_decodes_to_the_verify_address(tmp_path, mini_template, school_profile):
    """Printed, rendered to pixels and read back by a real decoder (zxing-cpp)."""
    import shutil

    import zxingcpp  # a dev dependency: the setup installs it
    from PIL import Image

    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils, installed by the setup) renders the PDF"
    info = SubmissionInfo("sub-1", SHA, "received", collector_url="https://audit.example.gov.uk/")
    path = build_governors_report(audit_for(mini_template, school_profile), mini_template,
                                  tmp_path / "gov.pdf", today=date(2025, 12, 2), submission=info)
    address = "https://audit.example.gov.uk/verify/3F2A-91BC-00D4-E5F6"
    assert address in text_of(path).replace("\n", "")
    last = len(PdfReader(str(path)).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(last), "-l", str(last), str(path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    found = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [address]


def test_without_an_enrolment_there_is_no_qr_code(tmp_path, mini_template, school_profile):
    path = build_governors_report(audit_for(mini_template, school_profile), mini_template,
                                  tmp_path / "gov.pdf", today=date(2025, 12, 2),
                                  submission=SubmissionInfo("sub-1", SHA, "received"))
    assert "/verify/" not in text_of(path)


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_a_draft_says_draft_on_every_page_and_a_signed_one_nowhere(tmp_path, school_profile):
    from school_audit.content import builtin_template
    from school_audit.domain.audit import AuditState

    template = builtin_template("school-s175", "2025-26.2")
    draft = audit_for(template, school_profile)
    draft.sign_off.clear()
    pages = _pages(build_governors_report(draft, template, tmp_path / "d.pdf", today=date(2026, 1, 10)))
    assert len(pages) >= 3  # a real audit runs to several pages
    assert all("DRAFT" in page for page in pages)
    assert "Draft: not signed" in pages[0]
    signed = draft.model_copy(update={"state": AuditState.ACCEPTED})
    pages = _pages(build_governors_report(signed, template, tmp_path / "s.pdf", today=date(2026, 1, 10),
                                          submission=SubmissionInfo("sub-1", SHA, "accepted")))  # fmt: skip
    assert not any("DRAFT" in page for page in pages)
    assert "Accepted by the local authority" in pages[0]


def test_labels_are_words_and_column_headings_whole(tmp_path, mini_template, school_profile):
    audit = audit_for(mini_template, school_profile)
    audit.responses["C4"] = Response(standard_id="C4", rating=Rating.MET, evidence="Certificate",
                                     dates={"dsl_training": date(2025, 9, 1)})  # fmt: skip
    path = build_governors_report(audit, mini_template, tmp_path / "g.pdf", today=date(2025, 12, 2))
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, timeout=60,
                            capture_output=True, text=True).stdout  # fmt: skip
    label = next(f.label for f in mini_template.standard("C4").dates if f.key == "dsl_training")
    assert f"{label}: 1 Sep 2025" in " ".join(layout.split())
    assert "dsl_training" not in layout and "dsl training:" not in layout  # no raw keys
    header = next(line for line in layout.splitlines() if line.strip().startswith("Section"))
    for heading in ("Met", "Partially met", "Not met", "N/A", "Not answered"):
        assert heading in header  # each heading whole, on the heading's own line
    assert "Unanswere" not in layout
    assert "Not started" in layout and "31 Jan 2025" in layout  # the action, in words
    assert "Printed" in layout and "2 Dec 2025" in layout


def test_a_draft_page_renders_with_its_watermark(tmp_path, mini_template, school_profile):
    """Page 1 as a picture: the watermark's red tint is on it (draft) and not on a signed copy."""
    from school_audit.domain.audit import AuditState

    def reddish(audit, name) -> int:
        path = build_governors_report(audit, mini_template, tmp_path / f"{name}.pdf", today=date(2025, 12, 2))
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile", str(path),
                        str(tmp_path / name)], check=True, timeout=60)  # fmt: skip
        return _reddish_pixels(tmp_path / f"{name}.png")

    audit = audit_for(mini_template, school_profile)
    draft, sent = reddish(audit, "draft"), reddish(audit.model_copy(update={"state": AuditState.SENT}), "sent")
    assert draft > 1000 and sent < draft / 10, (draft, sent)


def _reddish_pixels(png) -> int:
    """Pixels of the watermark's tint: its red at low opacity over the white page."""
    from PIL import Image

    with Image.open(png) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if abs(r - 247) <= 3 and abs(g - 225) <= 3 and abs(b - 225) <= 3)
