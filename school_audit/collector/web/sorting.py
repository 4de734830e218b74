"""Sorting by column header, without JavaScript: each header is a link to the same list sorted by
its column (a second click reverses it), and says its state with `aria-sort`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode


def sort_links(
    path: str,
    params: Mapping[str, str],
    columns: Iterable[str],
    current: str,
    descending: bool,
    default: str = "name",
) -> dict[str, tuple[str, str]]:
    """For each column: the address that sorts by it, and its aria-sort value.

    `params` are the list's other filters (kept in every link); `sort` and `order` are replaced."""
    kept = {k: v for k, v in params.items() if k not in ("sort", "order") and v}
    links = {}
    for column in columns:
        is_current = column == current
        reverse = is_current and not descending
        values = dict(kept)
        if column != default:
            values["sort"] = column
        if reverse:
            values["order"] = "desc"
        state = ("descending" if descending else "ascending") if is_current else "none"
        links[column] = (f"{path}?{urlencode(values)}", state)
    return links
