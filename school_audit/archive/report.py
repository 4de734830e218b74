"""The verify-archive report in words: each return VALID or INVALID, and for each failure the
item (file and part) and the check that failed."""

from __future__ import annotations

from school_audit.archive.checks import ArchiveReport


def report_lines(report: ArchiveReport) -> list[str]:
    lines = [
        f"Archive made by the {report.made_by} at {report.created_at}: "
        f"{len(report.returns)} return(s).",
        f"Collector keys trusted: {', '.join(report.trusted_keys) or 'none'}; "
        f"trusted as {report.trust}.",
    ]
    for problem in report.key_problems:
        lines.append(f"  KEY PROBLEM  {problem}")
    for item in report.returns:
        head = f"{item.submission_id}  URN {item.urn}  {item.cycle}  revision {item.revision}"
        if item.valid:
            checked = ", ".join(item.passed) or "nothing signed to check"
            lines.append(f"VALID    {head}: {checked}")
        else:
            lines.append(f"INVALID  {head}")
            lines.extend(f"  - {problem}" for problem in item.problems)
        lines.extend(f"  note: {note}" for note in item.notes)
    verdict = "Everything verifies." if report.valid else "Something does not verify (above)."
    lines.append(verdict)
    return lines


def report_json(report: ArchiveReport) -> dict[str, object]:
    """The same, for programs (`verify-archive --json`)."""
    return {
        "valid": report.valid,
        "made_by": report.made_by,
        "created_at": report.created_at,
        "trusted_collector_keys": report.trusted_keys,
        "key_problems": [vars(p) for p in report.key_problems],
        "returns": [
            {
                "submission_id": r.submission_id,
                "urn": r.urn,
                "cycle": r.cycle,
                "revision": r.revision,
                "valid": r.valid,
                "passed": r.passed,
                "problems": [vars(p) for p in r.problems],
                "notes": r.notes,
            }  # fmt: skip
            for r in report.returns
        ],
    }
