"""Shared test set-up.

Qt must find a platform before anything imports it (an empty QT_QPA_PLATFORM aborts the whole
process), and no test may touch a real OS keyring: an in-memory backend is installed for every test.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM") or "offscreen"

import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets a fresh in-memory keyring (see tests/keyring_backend.py)."""
    try:
        import keyring
    except ImportError:  # the collector-only install has no keyring
        yield None
        return
    from tests.keyring_backend import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own data folder, never the user's."""
    home = tmp_path / "school-audit-home"
    monkeypatch.setenv("SCHOOL_AUDIT_HOME", str(home))
    return home


@pytest.fixture
def mini_template():
    from school_audit.domain.template_loading import load_template

    return load_template((FIXTURES / "mini_school_template.json").read_bytes())


@pytest.fixture
def school_profile():
    from school_audit.domain.profile import EstablishmentProfile

    return EstablishmentProfile(
        urn="123456",
        name="Hollybank First School",
        setting_type="school",
        phase="first",
        la_code="885",
        district="Redditch",
        flags={"has_eyfs": True},
    )
