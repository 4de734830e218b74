"""Python's cyclic garbage collector is paused while the app starts.

Start-up makes tens of thousands of objects that live as long as the app (modules, classes,
PySide6's enums, the open audit), and the collector, left to itself, walks them again and again as
they pile up: about 50 ms before the audit is on screen. It is paused from the first line of
`school-audit` until the first screen is built. Then the objects made so far are frozen (moved out
of the collector's sight: later collections only look at what the session makes) and it runs as
usual. Nothing is lost meanwhile: objects are still freed as soon as nothing refers to them; only
reference cycles wait for the collector.
"""

from __future__ import annotations

import gc

_paused = False


def pause_for_start() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Let the collector run again (once; only if `pause_for_start` paused it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
