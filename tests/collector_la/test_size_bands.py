"""Size bands at their boundaries, for schools (number on roll) and early years (places)."""

from __future__ import annotations

import pytest

from school_audit.collector.register.sizes import BAND_ORDER, SIZE_NOT_KNOWN, size_band


@pytest.mark.parametrize(
    ("pupils", "band"),
    [
        (0, "Up to 100 pupils"),
        (100, "Up to 100 pupils"),
        (101, "101–250 pupils"),
        (250, "101–250 pupils"),
        (251, "251–500 pupils"),
        (500, "251–500 pupils"),
        (501, "501–1,000 pupils"),
        (1000, "501–1,000 pupils"),
        (1001, "Over 1,000 pupils"),
        (4000, "Over 1,000 pupils"),
        (None, SIZE_NOT_KNOWN),
    ],
)
def test_school_bands(pupils, band):
    assert size_band(pupils, "school") == band


@pytest.mark.parametrize(
    ("places", "band"),
    [
        (1, "Up to 20 places"),
        (20, "Up to 20 places"),
        (21, "21–40 places"),
        (40, "21–40 places"),
        (41, "41–80 places"),
        (80, "41–80 places"),
        (81, "Over 80 places"),
        (None, SIZE_NOT_KNOWN),
    ],
)
def test_early_years_bands(places, band):
    assert size_band(places, "early_years") == band


def test_bands_are_ordered_smallest_first_and_unknown_last():
    assert BAND_ORDER[0] == "Up to 100 pupils" and BAND_ORDER[-1] == SIZE_NOT_KNOWN
    assert BAND_ORDER.index("Over 1,000 pupils") < BAND_ORDER.index("Up to 20 places")
    assert len(set(BAND_ORDER)) == len(BAND_ORDER)
