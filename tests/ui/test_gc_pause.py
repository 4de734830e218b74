"""The garbage collector's pause at start-up ends, and ends only what it began."""

from __future__ import annotations

import gc

import pytest

from school_audit.ui import gc_pause


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


def test_paused_until_resumed_then_start_up_objects_are_frozen():
    gc.unfreeze()
    gc_pause.pause_for_start()
    assert not gc.isenabled()
    gc_pause.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    gc_pause.resume()  # a second call changes nothing
    assert gc.isenabled()


def test_resume_leaves_a_collector_it_did_not_pause_alone():
    gc.disable()  # turned off by someone else
    gc_pause.pause_for_start()
    gc_pause.resume()
    assert not gc.isenabled()
