"""Progress and red/amber/green counts for a group of standards (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from school_audit.domain.audit import Rating, Response
from school_audit.i18n import tr


@dataclass(frozen=True)
class Progress:
    total: int = 0
    answered: int = 0
    met: int = 0
    partially_met: int = 0
    not_met: int = 0
    not_applicable: int = 0

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    def short_text(self) -> str:
        return tr("{answered} of {total}", answered=self.answered, total=self.total)

    def long_text(self) -> str:
        return tr(
            "{answered} of {total} answered: {met} met, {partial} partially met, "
            "{not_met} not met, {na} not applicable",
            answered=self.answered,
            total=self.total,
            met=self.met,
            partial=self.partially_met,
            not_met=self.not_met,
            na=self.not_applicable,
        )


def progress_of(responses: Iterable[Response]) -> Progress:
    counts = dict.fromkeys(("total", "answered", *Rating), 0)
    for response in responses:
        counts["total"] += 1
        counts["answered"] += response.is_answered
        if response.rating is not None:
            counts[response.rating] += 1
    return Progress(
        total=counts["total"],
        answered=counts["answered"],
        met=counts[Rating.MET],
        partially_met=counts[Rating.PARTIALLY_MET],
        not_met=counts[Rating.NOT_MET],
        not_applicable=counts[Rating.NOT_APPLICABLE],
    )
