"""PDF of a full school return (every standard of the built-in school template, 30+ actions).

QUALITY target: under a second. Printed as a ratio to a floor measured in the same run: the same
number of table rows laid out by ReportLab with no content logic (so a slow machine moves both).

    .venv/bin/python bench/bench_pdf.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from school_audit.content import builtin_template
from school_audit.domain.audit import Action, Audit, Rating, Response, SignOff, SignOffRole
from school_audit.domain.profile import EstablishmentProfile
from school_audit.reports.governors_report import SubmissionInfo, build_governors_report

RUNS = 5


def full_audit() -> tuple[Audit, object]:
    template = builtin_template("school-s175")
    profile = EstablishmentProfile(
        urn="123456", name="Benchmark Primary School", setting_type="school", phase="primary",
        flags={"has_eyfs": True, "has_sixth_form": True, "boarding": True, "lets_premises": True},
    )
    audit = Audit.start(template, profile)
    ratings = [Rating.MET, Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET]
    for index, standard in enumerate(template.applicable(profile.phase, profile.flags)):
        rating = ratings[index % 4]
        audit.responses[standard.id] = Response(
            standard_id=standard.id, rating=rating,
            evidence="Minutes of the full governing body, policy review log and training record. " * 2,
        )
        if rating is not Rating.MET:
            audit.actions.append(Action(standard_id=standard.id, description="Review and evidence the gap", owner_role="DSL", target_date=date(2026, 3, 31)))
    audit.sign_off.append(SignOff(role=SignOffRole.DSL, name="Zoë Łukasiewicz", statement="I confirm.", signed_at=datetime.now(UTC)))
    return audit, template


def floor(rows: int, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    data = [["x" * 40, "Met", "y" * 60] for _ in range(rows)]
    SimpleDocTemplate(str(path), pagesize=A4).build([Table(data, repeatRows=1)])


def timed(fn) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    audit, template = full_audit()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "return.pdf"
        info = SubmissionInfo("bench", "ab" * 32, "sent")
        build_governors_report(audit, template, out, today=date(2026, 1, 10), submission=info)  # warm fonts
        report = timed(lambda: build_governors_report(audit, template, out, today=date(2026, 1, 10), submission=info))
        base = timed(lambda: floor(len(audit.responses) + len(audit.actions), Path(folder) / "floor.pdf"))
        pages = out.read_bytes().count(b"/Type /Page") - out.read_bytes().count(b"/Type /Pages")
    print(f"standards: {len(audit.responses)}, actions: {len(audit.actions)}, pages: {pages}")
    print(f"governors' PDF: {report * 1000:.0f} ms (target < 1000 ms)")
    print(f"floor (plain table, same rows): {base * 1000:.0f} ms")
    print(f"ratio: {report / base:.2f}x the floor")


if __name__ == "__main__":
    main()
