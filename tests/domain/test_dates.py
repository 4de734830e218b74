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
