"""The portable archive of signed returns, shared by the collector (which writes one for an
establishment or the whole LA) and the school's app (which writes its own history, and checks
any archive offline). It imports neither side: only the domain and signing."""

from school_audit.archive.checks import ArchiveReport, Problem, ReturnResult, verify_archive
from school_audit.archive.layout import (
    FORMAT,
    Archive,
    ArchivedReturn,
    ArchiveUnreadable,
    read_archive,
    write_archive,
)
from school_audit.archive.report import report_lines

__all__ = [
    "FORMAT",
    "Archive",
    "ArchiveReport",
    "ArchiveUnreadable",
    "ArchivedReturn",
    "Problem",
    "ReturnResult",
    "read_archive",
    "report_lines",
    "verify_archive",
    "write_archive",
]
