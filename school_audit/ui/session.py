"""The open audit: the one place where the views' intents become service calls.

The pages see the audit only through this session, and the session writes only through an
`AnswerWriter` (`services/interfaces.py`), which the real service and the tests' double both are.

Every change is applied in memory at once (so the views stay responsive), queued for the store,
and written by `flush` (at once for clicks, after a short pause for typing). The save indicator
only says "saved" after the service returned; a failed write keeps the change queued, shows why,
and is retried, so nothing typed is lost.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from school_audit.domain.audit import Action, Audit, Response, clear_afresh_on_answer
from school_audit.domain.readiness import ReadinessProblem, check_readiness, is_ready
from school_audit.domain.template import Standard, Template
from school_audit.i18n import tr
from school_audit.ui.errors import user_message
from school_audit.ui.undo import StateCommand

if TYPE_CHECKING:
    from school_audit.services.interfaces import AnswerWriter

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 300
TYPING_MAX_WAIT_S = 2.0  # someone typing without a pause is still saved every two seconds
RETRY_MS = 3000

WriteKey = tuple[str, str]  # ("response", standard id) or ("action", action id)


class SaveState(StrEnum):
    SAVED = "saved"
    PENDING = "pending"
    FAILED = "failed"


class AuditSession(QObject):
    save_state_changed = Signal(str, str)  # SaveState, message for the user
    response_changed = Signal(str)  # standard id
    actions_changed = Signal()
    problems_changed = Signal()

    def __init__(
        self, service: AnswerWriter, audit: Audit, template: Template, today: Callable[[], date]
    ) -> None:
        super().__init__()
        self.service = service
        self.audit = audit
        self.template = template
        self._today = today
        self.sections = audit.applicable_sections(template)
        self.standards = [standard for _, standards in self.sections for standard in standards]
        self.problems: list[ReadinessProblem] = []
        self.returned_comments = None  # the LA's comments when this draft replaces a return
        self.undo_stack = QUndoStack(self)
        self.save_state = SaveState.SAVED
        self.save_message = tr("All changes saved")
        self._dirty: dict[WriteKey, None] = {}
        self._typing_before: dict[WriteKey, object] = {}
        self._typing_since: float | None = None
        self._typing_timer = _single_shot(self, TYPING_PAUSE_MS, self.flush)
        self._retry_timer = _single_shot(self, RETRY_MS, self.flush)
        self._recheck()

    # -- reading -------------------------------------------------------------------------------

    def today(self) -> date:
        return self._today()

    @property
    def read_only(self) -> bool:
        # A sealed draft is frozen for signing: it opens read-only until it is unsealed.
        return self.audit.is_read_only or self.audit.sealed

    @property
    def ready_to_sign(self) -> bool:
        return is_ready(self.problems)

    def standard(self, standard_id: str) -> Standard:
        return self.template.standard(standard_id)

    def response(self, standard_id: str) -> Response:
        return self.audit.response(standard_id)

    def la_comment(self, standard_id: str) -> str:
        """The LA's comment on this standard when it returned the audit ('' if none)."""
        comments = self.returned_comments
        return comments.by_standard.get(standard_id, "") if comments is not None else ""

    def problems_for(self, standard_id: str) -> list[ReadinessProblem]:
        return [p for p in self.problems if p.standard_id == standard_id]

    # -- answers -------------------------------------------------------------------------------

    def set_response(self, response: Response, *, typed: bool = False) -> None:
        """Record a new answer. Typed text is grouped into one undo step per pause."""
        key = ("response", response.standard_id)
        before = self.audit.response(response.standard_id)
        if before == response:
            return
        if typed:
            self._typing_before.setdefault(key, before)
            self._apply_response(response, flush=False)
            self._typed()
            return
        self.flush()
        self.undo_stack.push(
            StateCommand(tr("Change answer"), self._apply_response, before, response)
        )

    def confirm_afresh(self, standard_id: str) -> None:
        self.flush()
        try:
            self.service.confirm_afresh(self.audit.audit_id, standard_id)
        except Exception as error:
            self._failed(error)
            return
        self.audit.answer_afresh.pop(standard_id, None)
        self._recheck()
        self.response_changed.emit(standard_id)

    # -- actions -------------------------------------------------------------------------------

    def add_action(self, standard_id: str) -> Action:
        action = Action(standard_id=standard_id)
        self.flush()
        apply = functools.partial(self._apply_action, action.action_id)
        self.undo_stack.push(StateCommand(tr("Add action"), apply, None, action))
        return action

    def update_action(self, action: Action, *, typed: bool = False) -> None:
        key = ("action", str(action.action_id))
        before = self._find_action(action.action_id)
        if before == action:
            return
        apply = functools.partial(self._apply_action, action.action_id)
        if typed:
            self._typing_before.setdefault(key, before)
            self._apply_action(action.action_id, action, flush=False)
            self._typed()
            return
        self.flush()
        self.undo_stack.push(StateCommand(tr("Change action"), apply, before, action))

    def remove_action(self, action_id: uuid.UUID) -> None:
        self.flush()
        before = self._find_action(action_id)
        apply = functools.partial(self._apply_action, action_id)
        self.undo_stack.push(StateCommand(tr("Remove action"), apply, before, None))

    # -- undo ----------------------------------------------------------------------------------

    def undo(self) -> None:
        self.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.undo_stack.redo()

    # -- saving --------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Write every queued change now. True when nothing is left unsaved."""
        self._typing_timer.stop()
        self._typing_since = None
        typed = bool(self._typing_before)
        self._record_typing()
        if typed:
            self._recheck()
        for key in list(self._dirty):
            try:
                self._write(key)
            except Exception as error:
                self._failed(error)
                return False
            del self._dirty[key]
        self._retry_timer.stop()
        self._set_state(SaveState.SAVED, tr("All changes saved"))
        return True

    @property
    def has_unsaved(self) -> bool:
        return bool(self._dirty)

    def _typed(self) -> None:
        """Save after a pause in typing, or at the latest every TYPING_MAX_WAIT_S."""
        now = time.monotonic()
        if self._typing_since is None:
            self._typing_since = now
        if now - self._typing_since >= TYPING_MAX_WAIT_S:
            self.flush()
            return
        self._typing_timer.start()

    def _record_typing(self) -> None:
        """Turn each finished burst of typing into one undo step (already applied)."""
        for key, before in self._typing_before.items():
            kind, ident = key
            if kind == "response":
                after: object = self.audit.response(ident)
                apply = self._apply_response
            else:
                after = self._find_action(uuid.UUID(ident))
                apply = functools.partial(self._apply_action, uuid.UUID(ident))
            command = StateCommand(tr("Typing"), apply, before, after, already_applied=True)
            self.undo_stack.push(command)
        self._typing_before.clear()

    def _write(self, key: WriteKey) -> None:
        kind, ident = key
        audit_id = self.audit.audit_id
        if kind == "response":
            response = self.audit.response(ident)
            self.service.save_response(audit_id, response)
            if clear_afresh_on_answer(self.audit.answer_afresh, response):  # as the store did
                self._recheck()
            return
        action = self._find_action(uuid.UUID(ident))
        if action is None:
            self.service.delete_action(audit_id, uuid.UUID(ident))
        else:
            self.service.save_action(audit_id, action)

    def _failed(self, error: BaseException) -> None:
        log.warning("Saving failed; will retry", exc_info=(type(error), error, error.__traceback__))
        self._set_state(SaveState.FAILED, user_message(error))
        self._retry_timer.start()

    def _set_state(self, state: SaveState, message: str) -> None:
        if (state, message) == (self.save_state, self.save_message):
            return
        self.save_state, self.save_message = state, message
        self.save_state_changed.emit(state.value, message)

    def _queue(self, key: WriteKey) -> None:
        self._dirty[key] = None
        if self.save_state is SaveState.SAVED:
            self._set_state(SaveState.PENDING, tr("Saving…"))

    # -- applying (memory first, then the store queue, then the views) --------------------------

    def _apply_response(self, response: Response, flush: bool = True) -> None:
        self.audit.responses[response.standard_id] = response
        self._queue(("response", response.standard_id))
        if flush:  # typing is rechecked when it is saved, not at every key
            self.flush()
            self._recheck()
        self.response_changed.emit(response.standard_id)

    def _apply_action(
        self, action_id: uuid.UUID, action: Action | None, flush: bool = True
    ) -> None:
        actions = [a for a in self.audit.actions if a.action_id != action_id]
        if action is not None:
            position = self._position_of(action_id)
            actions.insert(position if position is not None else len(actions), action)
        self.audit.actions = actions
        self._queue(("action", str(action_id)))
        if flush:
            self.flush()
            self._recheck()
        self.actions_changed.emit()

    def _find_action(self, action_id: uuid.UUID) -> Action | None:
        return next((a for a in self.audit.actions if a.action_id == action_id), None)

    def _position_of(self, action_id: uuid.UUID) -> int | None:
        ids = [a.action_id for a in self.audit.actions]
        return ids.index(action_id) if action_id in ids else None

    def _recheck(self) -> None:
        self.problems = check_readiness(self.audit, self.template, self._today())
        self.problems_changed.emit()


def _single_shot(parent: QObject, msecs: int, slot: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(slot)
    return timer
