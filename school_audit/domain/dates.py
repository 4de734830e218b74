"""Calendar helpers for expiring dates and academic cycles."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    """(`calendar.monthrange` would bring the calendar and locale modules to start-up.)"""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def cycle_for(day: date) -> str:
    """The academic year (September to August) a day falls in, as `YYYY-YY`."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def next_cycle(cycle: str) -> str:
    start = int(cycle[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def day_text(value: object) -> str:
    """A date written the one way every page, export, letter and PDF writes it: 21 Nov 2026 (no
    leading zero). An ISO day ("2026-11-21") is read first; anything else comes back as text."""
    if isinstance(value, str) and len(value) == 10:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, date):  # a datetime is a date too
        return f"{value.day} {value:%b %Y}"
    return "" if value is None else str(value)


def moment_text(value: object) -> str:
    """A moment: the date as `day_text` writes it, then the time (21 Nov 2026, 14:05). An ISO
    moment as text ("2026-11-21T14:05:00Z", as signed envelopes carry them) is read first."""
    if isinstance(value, str) and len(value) > 10:
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return f"{day_text(value)}, {value:%H:%M}"
    return day_text(value)
