"""A check, at start, for a PySide6 release that loses references to None.

PySide6 6.12.0 on Python 3.11 gives back a reference to None that it never took each time Python
reads an empty value through Qt; after a few thousand, Python frees None and the window dies
("Fatal Python error: deallocating None"). pyproject.toml leaves that release out, but a copy
installed some other way (or a later release with the same fault) would still close the window
in the middle of a sitting. The app then says so at once, and the log names the release, so
whoever installed it knows what to change. Answers are saved as they are made either way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

PROBES = 16

FAULTY_QT = (
    "This copy of the app uses a release of Qt for Python (PySide6 {version}) with a known fault "
    "that can close the window without warning after a while. Your answers are saved as you go. "
    "Please ask whoever installed the app to install it again."
)


def _read_empty_value() -> None:
    from PySide6.QtCore import QModelIndex

    QModelIndex().data()  # an empty value read through Qt


def loses_none_references(read: Callable[[], object] = _read_empty_value) -> bool:
    """True when reading empty values through Qt lowers None's reference count (on a Python
    where None is immortal, 3.12 and later, the count never moves and the fault is harmless)."""
    before = sys.getrefcount(None)
    for _ in range(PROBES):
        read()
    return sys.getrefcount(None) <= before - PROBES


def warning_if_faulty(read: Callable[[], object] = _read_empty_value) -> str:
    """The message for the DSL if this PySide6 has the fault ('' if all is well); logged too."""
    if not loses_none_references(read):
        return ""
    import PySide6

    log.error("PySide6 %s loses references to None: the window will close unexpectedly "
              "(install another release; see docs/desktop-app.md)", PySide6.__version__)  # fmt: skip
    return FAULTY_QT.format(version=PySide6.__version__)
