"""Fixtures for the desktop app tests (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ui.memory_service import MemoryAuditService

TODAY = date(2025, 11, 1)


@pytest.fixture(autouse=True)
def lanes_finished():
    """Each test ends when the background work of the windows it started has ended."""
    from tests.ui.helpers import wait_for_lanes

    yield
    wait_for_lanes()


@pytest.fixture
def memory_service(mini_template, school_profile):
    return MemoryAuditService([mini_template], school_profile, today=lambda: TODAY)


@pytest.fixture
def memory_session(qapp, memory_service, mini_template):
    from school_audit.ui.session import AuditSession

    audit = memory_service.start_audit(mini_template)
    return AuditSession(memory_service, audit, mini_template, today=lambda: TODAY)
