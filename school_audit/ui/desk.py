"""The window as its flows see it: a small typed interface, not the window's attributes.

The flows (`flows.py`, `submission_flows.py`, `sign_off_flows.py`) and the LA's news
(`la_news.py`) are given a `Desk`: the services, the two lanes to run work on, where dialogs go,
and the few things they tell the window (a message, "read Home again", "open this audit", "the
report is being made"). `MainWindow` is one; the flows never import `main_window`, so the window's
top floor has no import cycle (an import-linter contract in pyproject.toml keeps it so, and mypy
checks that the window satisfies this, `tests/ui/typed_seams.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from school_audit.services.client import ClientServices
    from school_audit.services.interfaces import AuditServices
    from school_audit.sync.drain import DrainReport
    from school_audit.ui.tasks import NetworkLane, TaskRunner
    from school_audit.ui.widgets.home_notices import HomeNotices


class Desk(Protocol):
    @property
    def service(self) -> AuditServices | None:
        """The audit service (None until the store is open)."""
        ...

    @property
    def services(self) -> ClientServices | None:
        """Every service of the store (None until it is open)."""
        ...

    @property
    def runner(self) -> TaskRunner:
        """The store's lane: local work, in order, off the UI thread."""
        ...

    @property
    def network(self) -> NetworkLane:
        """The network lane: calls to the collector, cancelled when the window closes."""
        ...

    def today(self) -> date: ...

    def dialog_parent(self) -> QWidget:
        """What the flows' dialogs open over."""
        ...

    def show_error(self, error: BaseException) -> None: ...

    def show_message(
        self, message: str, button: str = "", action: Callable[[], object] | None = None
    ) -> None: ...

    def show_success(
        self, message: str, button: str = "", action: Callable[[], object] | None = None
    ) -> None:
        """Good news, shown as such (never in the error's colours)."""
        ...

    def refresh_home(self) -> None:
        """Read Home again on the store's lane (audits, states, the LA's notices)."""
        ...

    def open_audit(
        self, audit_id: uuid.UUID, on_error: Callable[[BaseException], None] | None = None
    ) -> None: ...

    def report_busy(self, busy: bool) -> None:
        """The governors' PDF is being made (Home's button says so) or is done."""
        ...

    def drain_outbox(
        self,
        on_done: Callable[[DrainReport | None], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Send what is in the outbox now, on the network lane (None: not enrolled)."""
        ...

    def letter_panel(self) -> HomeNotices:
        """Home's notices, which show how fetching the LA's letter goes."""
        ...
