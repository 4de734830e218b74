"""Write register files in the published layouts: used by the demo and by the tests.

`gias_csv` writes exactly what a GIAS download looks like: every column of the extract, every
field quoted, CRLF line ends, Windows-1252 bytes. Columns not given are left empty.
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


def early_years_csv(rows: Iterable[Mapping[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=early_years.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in early_years.COLUMNS})
    return buffer.getvalue().encode("utf-8")
