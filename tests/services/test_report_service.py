"""The governors' PDF from a real store, through the service and the command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from pypdf import PdfReader

from school_audit.content import builtin_template
from school_audit.domain.audit import Rating, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.services.audit_service import AuditService
from school_audit.services.report_service import export_governors_report
from school_audit.store import Store


def seeded_store() -> tuple[Store, AuditService, object]:
    store = Store.open_default()
    service = AuditService(store, today=lambda: date(2025, 11, 20))
    service.save_profile(
        EstablishmentProfile(urn="654321", name="Brookside Primary", setting_type="school", phase="primary")
    )
    audit = service.start_audit(builtin_template("school-s175", "2025-26.1"))
    service.save_response(audit.audit_id, Response(standard_id="A1", rating=Rating.MET, evidence="Board minutes, 3 July"))
    return store, service, audit.audit_id


def test_service_writes_a_pdf_of_the_saved_audit(tmp_path):
    store, service, audit_id = seeded_store()
    path = export_governors_report(service, audit_id, tmp_path / "out.pdf")
    store.close()
    text = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    assert "Brookside Primary" in text and "Board minutes, 3 July" in text
    assert "Not signed yet" in text


def test_command_line_writes_to_the_exports_folder(isolated_home):
    store, _, audit_id = seeded_store()
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "school_audit.cli.main", "report", "governors", str(audit_id)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    written = isolated_home / "exports" / "safeguarding-audit-2025-26-654321.pdf"
    assert written.exists() and written.read_bytes().startswith(b"%PDF")


def test_command_line_unknown_audit(isolated_home):
    Store.open_default().close()
    result = subprocess.run(
        [sys.executable, "-m", "school_audit.cli.main", "report", "governors", "00000000-0000-0000-0000-000000000000"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "There is no audit" in result.stderr and "Traceback" not in result.stderr
