"""Undo and redo of answer and action edits: thin QUndoCommands that call back into the session.

The command holds the state before and after; the session applies it (memory, store, views).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

Apply = Callable[[Any], None]


class StateCommand(QUndoCommand):
    """Switches one thing between two states through `apply`.

    `already_applied` is set for typed edits: the text is already on screen and in the store
    queue when the command is recorded, so the first redo must not apply it again.
    """

    def __init__(
        self, text: str, apply: Apply, before: Any, after: Any, *, already_applied: bool = False
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self._before = before
        self._after = after
        self._skip_redo = already_applied

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)
