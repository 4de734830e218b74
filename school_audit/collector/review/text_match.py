"""Searching settings by what an officer types: the text is matched as typed, never as a pattern."""

from __future__ import annotations

ESCAPE = "\\"


def contains(text: str) -> str:
    """A LIKE pattern for "contains `text`", in which `%` and `_` stand for themselves.

    Use it with `escape=ESCAPE`: without that, `%` typed in the search box would list every
    setting.
    """
    for special in (ESCAPE, "%", "_"):
        text = text.replace(special, ESCAPE + special)
    return f"%{text}%"
