"""Write register files in the published layouts: used by the demo and by the tests.

`gias_csv` writes exactly what a GIAS download looks like: every column of the extract, every
field quoted, CRLF line ends, Windows-1252 bytes. Columns not given are left empty. `ofsted_csv`
writes Ofsted's provider-level file: two title lines, then the header and the rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from school_audit.collector.register import early_years
from school_audit.collector.register.gias_columns import ALL_COLUMNS


def gias_csv(rows: Iterable[Mapping[str, str]], columns: list[str] = ALL_COLUMNS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"not GIAS columns: {sorted(unknown)}")
        writer.writerow([row.get(name, "") for name in columns])
    return buffer.getvalue().encode("cp1252")


# The columns of Ofsted's "most recent inspections" provider-level CSV (release as at 31 December
# 2025) that the import reads or that sit between them, in the published order.
OFSTED_COLUMNS = [
    "Provider URN", "Registration Date", "Provider Type", "Provider Subtype", "Provider Status",
    "Provider Early Years Register Flag", "Provider Compulsory Childcare Register Flag",
    "Provider Voluntary Childcare Register Flag", "Provider Name", "Provider Postcode",
    "Local Authority", "Places", "Places including Estimates",
    "Most Recent Full: Inspection Date", "Most Recent Full: Overall Effectiveness",
]  # fmt: skip
OFSTED_TITLE = "Latest inspections of all registered providers as at 31 December 2025"
OFSTED_NOTE = "This worksheet contains one table."


def ofsted_csv(rows: Iterable[Mapping[str, str]], columns: list[str] = OFSTED_COLUMNS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([OFSTED_TITLE])
    writer.writerow([OFSTED_NOTE])
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return buffer.getvalue().encode("utf-8")


def early_years_csv(rows: Iterable[Mapping[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=early_years.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in early_years.COLUMNS})
    return buffer.getvalue().encode("utf-8")
