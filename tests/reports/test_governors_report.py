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
