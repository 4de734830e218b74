"""Plain records produced by the register parsers, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RegisterEntry:
    """One establishment as the register describes it."""

    urn: str
    name: str
    setting_type: str  # "school" or "early_years"
    phase: str  # a key of SCHOOL_PHASES or EARLY_YEARS_PHASES
    type_name: str  # the source's own type, e.g. "Community school", "Childminder"
    type_group: str  # a key of TYPE_GROUPS: the breakdown the LA reports by
    district: str
    is_open: bool
    la_code: str = ""
    laestab: str = ""
    postcode: str = ""
    town: str = ""
    telephone: str = ""
    email: str = ""
    contact_name: str = ""
    website: str = ""
    low_age: int | None = None
    high_age: int | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    source: str = "gias"  # "gias" or "early_years"
    trust_name: str = ""  # the multi-academy trust, if any (GIAS "Trusts (name)")
    trust_ref: str = ""  # GIAS "Trusts (code)"
    pupils: int | None = None  # number on roll (schools) or registered places (early years)
    opens_on: date | None = None  # set for one proposed to open: expected from this date
    withheld: bool = False  # Ofsted publishes this childminder's details as "REDACTED"


# The breakdown of establishments "by type" the LA reports on (DOMAIN §6).
TYPE_GROUPS: dict[str, str] = {
    "maintained": "LA maintained",
    "academy": "Academy",
    "free_school": "Free school",
    "independent": "Independent",
    "special_non_maintained": "Non-maintained special",
    "college": "FE or sixth-form college",
    "early_years_group": "Early years: group setting",
    "childminder": "Early years: childminder",
    "other": "Other",
}


@dataclass(frozen=True)
class RowProblem:
    """Why one line of an input file cannot be used. Line 1 is the header."""

    line: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SkippedRow:
    """A row read correctly but outside the register (other LA, out-of-scope type)."""

    line: int
    urn: str
    reason: str


class RegisterImportError(ValueError):
    """The file cannot be imported; nothing was changed. Holds every problem found."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s): {shown}{more}")


@dataclass
class ParsedRegister:
    entries: list[RegisterEntry]
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)  # what the import assumed, said to the user
