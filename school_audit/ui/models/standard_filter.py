"""Which standards the navigator shows for a filter and a search (Qt-free, tested on its own)."""

from __future__ import annotations

from enum import StrEnum

from school_audit.domain.audit import Response
from school_audit.domain.readiness import ReadinessProblem
from school_audit.domain.references import reference_text
from school_audit.domain.template import Standard
from school_audit.i18n import N_, LazyMap


class StandardFilter(StrEnum):
    ALL = "all"
    UNANSWERED = "unanswered"
    NEEDS_ATTENTION = "needs_attention"
    STATUTORY = "statutory"
    COMMENTED = "commented"  # the LA commented on it when it returned the audit

    @property
    def label(self) -> str:
        return FILTER_LABELS[self]


FILTER_LABELS = LazyMap(
    {
        StandardFilter.ALL: N_("All standards"),
        StandardFilter.UNANSWERED: N_("Unanswered"),
        StandardFilter.NEEDS_ATTENTION: N_("Needs attention"),
        StandardFilter.STATUTORY: N_("Statutory only"),
        StandardFilter.COMMENTED: N_("Commented by the LA"),
    }
)


def needs_attention(response: Response, problems: list[ReadinessProblem]) -> bool:
    """Anything the readiness check flags, or a rating that calls for action."""
    return bool(problems) or (response.rating is not None and response.rating.falls_short)


def matches_filter(
    chosen: StandardFilter,
    standard: Standard,
    response: Response,
    problems: list[ReadinessProblem],
    commented: bool = False,
) -> bool:
    if chosen is StandardFilter.COMMENTED:
        return commented
    if chosen is StandardFilter.UNANSWERED:
        return not response.is_answered
    if chosen is StandardFilter.NEEDS_ATTENTION:
        return needs_attention(response, problems)
    if chosen is StandardFilter.STATUTORY:
        return standard.statutory
    return True


def matches_search(query: str, standard: Standard, response: Response) -> bool:
    """Every word of the query appears in the standard's id, text, guidance, reference or evidence."""
    words = query.casefold().split()
    if not words:
        return True
    haystack = " ".join(
        (standard.id, standard.text, standard.guidance, reference_text(standard), response.evidence)
    ).casefold()
    return all(word in haystack for word in words)
