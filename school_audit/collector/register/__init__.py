"""The establishment register: who is expected to return in each cycle.

Schools come from the DfE "Get Information About Schools" all-establishments CSV as published;
early-years providers from a documented CSV (see docs/la-guide.md). Parsing is pure (`gias`,
`early_years`); `store` applies a parsed register to the database in one transaction.
"""

from school_audit.collector.register.early_years import parse_early_years
from school_audit.collector.register.gias import parse_gias
from school_audit.collector.register.model import RegisterImportError, RowProblem
from school_audit.collector.register.store import ImportSummary, TooManyClosures, apply_register

__all__ = [
    "ImportSummary",
    "RegisterImportError",
    "RowProblem",
    "TooManyClosures",
    "apply_register",
    "parse_early_years",
    "parse_gias",
]
