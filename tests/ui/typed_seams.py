"""Read by mypy (tests/test_typing.py), never run: each seam's two sides fit.

The real audit service and the UI tests' in-memory double both satisfy the interfaces the UI is
typed against (`services/interfaces.py`), and the window is the `Desk` its flows are given
(`ui/desk.py`). A method the UI starts to need that one side lacks, or with another signature,
is a type error here.
"""

from __future__ import annotations

from school_audit.services.audit_service import AuditService
from school_audit.services.interfaces import AnswerWriter, AuditServices
from school_audit.ui.desk import Desk
from school_audit.ui.main_window import MainWindow
from tests.ui.memory_service import MemoryAuditService


def the_double_serves_the_window(double: MemoryAuditService) -> AuditServices:
    return double


def the_double_takes_the_sessions_writes(double: MemoryAuditService) -> AnswerWriter:
    return double


def the_real_service_serves_the_window(service: AuditService) -> AuditServices:
    return service


def the_window_is_the_flows_desk(window: MainWindow) -> Desk:
    return window
