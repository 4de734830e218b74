from datetime import date

from school_audit.domain.dates import add_months, cycle_for, next_cycle


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 15), 24) == date(2025, 11, 15)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)


def test_academic_cycle():
    assert cycle_for(date(2025, 9, 1)) == "2025-26"
    assert cycle_for(date(2026, 8, 31)) == "2025-26"
    assert cycle_for(date(2099, 12, 1)) == "2099-00"
    assert next_cycle("2025-26") == "2026-27"


def test_add_months_lands_on_the_last_day_of_every_month_when_it_must():
    import calendar

    for year in range(1999, 2102):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            assert add_months(date(year, 1, 31), month - 1) == date(year, month, last)
            assert add_months(date(year - 1, 12, 31), month) == date(year, month, last)


def test_dates_are_written_one_way():
    from datetime import UTC, datetime

    from school_audit.domain.dates import day_text, moment_text

    assert day_text(date(2026, 11, 1)) == "1 Nov 2026"  # no leading zero
    assert day_text("2026-11-21") == "21 Nov 2026"  # an ISO day, as returns carry them
    assert day_text(datetime(2026, 2, 3, 9, 5)) == "3 Feb 2026"
    assert moment_text(datetime(2026, 11, 21, 14, 5, tzinfo=UTC)) == "21 Nov 2026, 14:05"
    assert moment_text("2026-11-21T14:05:00Z") == "21 Nov 2026, 14:05"  # an envelope's moment
    assert moment_text(date(2026, 11, 21)) == "21 Nov 2026"
    assert day_text(None) == "" and day_text("not a date") == "not a date"
    assert moment_text("not a moment at all") == "not a moment at all"
