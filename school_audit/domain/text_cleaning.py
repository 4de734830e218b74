"""Text fit to show and export: no control characters, no lone surrogates.

A NUL, `\\x01` or a vertical tab copied from a word processor into a register, a template or a
return's evidence carries no meaning, but it breaks whatever shows the text: XLSX (XML 1.0 cannot
hold it), PDF paragraphs, some CSV readers. Text is cleaned where it enters the collector and the
app (register import, template loading, the display copies of a return) and again by every export,
so one bad character never stops an export for everyone. The signed bytes of a return are never
cleaned: they are kept exactly as signed.

`clean_line` is for one-line values (names, districts, ids): every kind of line break or tab
becomes one space. `clean_text` is for free text (guidance, evidence): it keeps tabs and line
breaks (as `\\n`).
"""

from __future__ import annotations

import re
from typing import Any

# Breaks that word processors and old systems use instead of \n: vertical tab, form feed, the
# file/group/record/unit separators, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# Everything else that is a control character (C0 but tab, LF and CR; DEL; C1), the two
# non-characters XML refuses, and lone surrogates (which no UTF-8 writer can encode).
_DROP = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_BREAK = re.compile(f"\r\n?|[{_BREAKS}]")
_LINE_SPACE = re.compile(f" *[\t\r\n{_BREAKS}][ \t\r\n{_BREAKS}]*")
# Anything either function changes (CR included: text line ends become \n).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def _common(value: str) -> str:
    return _SURROGATE.sub("\ufffd", _DROP.sub("", value))


def clean_text(value: str) -> str:
    """Free text without control characters; tabs and line breaks kept, line ends as `\\n`."""
    if not _UNSAFE.search(value):
        return value  # the usual case costs one scan
    return _TEXT_BREAK.sub("\n", _common(value))


def clean_line(value: str) -> str:
    """A one-line value: control characters dropped, breaks and tabs as single spaces, trimmed."""
    if _UNSAFE.search(value) or "\t" in value or "\n" in value:
        value = _LINE_SPACE.sub(" ", _common(value))
    return value.strip()


def clean_strings(value: Any) -> Any:
    """Every string inside parsed JSON (objects, arrays) passed through `clean_text`; keys too.

    Recursive: call it on JSON already bounded in depth (`template_limits`). Returns new
    containers; the value given is not changed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_strings(v) for v in value]
    return value
