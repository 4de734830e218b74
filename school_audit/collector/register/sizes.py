"""Size bands: the breakdown "by size" the LA reports on (DOMAIN §6).

Schools are banded by number on roll, early-years settings by registered places; the two scales
differ by an order of magnitude, so each has its own bands. A setting whose size the register does
not give is "Size not known".
"""

from __future__ import annotations

# (largest size in the band, label), smallest first; the last band has no upper limit.
SCHOOL_BANDS: list[tuple[int | None, str]] = [
    (100, "Up to 100 pupils"),
    (250, "101–250 pupils"),
    (500, "251–500 pupils"),
    (1000, "501–1,000 pupils"),
    (None, "Over 1,000 pupils"),
]
EARLY_YEARS_BANDS: list[tuple[int | None, str]] = [
    (20, "Up to 20 places"),
    (40, "21–40 places"),
    (80, "41–80 places"),
    (None, "Over 80 places"),
]
SIZE_NOT_KNOWN = "Size not known"
# Every label in the order tables and charts show them.
BAND_ORDER: list[str] = [
    *(label for _, label in SCHOOL_BANDS),
    *(label for _, label in EARLY_YEARS_BANDS),
    SIZE_NOT_KNOWN,
]


def bands_for(setting_type: str) -> list[tuple[int | None, str]]:
    return EARLY_YEARS_BANDS if setting_type == "early_years" else SCHOOL_BANDS


def size_band(pupils: int | None, setting_type: str = "school") -> str:
    """The band label of a school with `pupils` on roll (or an early-years setting with that many
    registered places)."""
    if pupils is None:
        return SIZE_NOT_KNOWN
    for largest, label in bands_for(setting_type):
        if largest is None or pupils <= largest:
            return label
    raise AssertionError("the last band has no upper limit")  # pragma: no cover
