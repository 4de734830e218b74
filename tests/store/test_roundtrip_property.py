"""Property: after any sequence of edits, the reopened database holds exactly what a plain
in-memory model of the audit holds (answers replaced whole, actions added, edited, deleted)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from school_audit.domain.audit import Action, ActionStatus, Audit, Rating, Response
from school_audit.store import Store

STANDARDS = ["A1", "A2", "C4", "C12", "Ö7-local"]
texts = st.text(max_size=60)  # any Unicode (no lone surrogates: they cannot be UTF-8)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))

responses = st.builds(
    Response,
    standard_id=st.sampled_from(STANDARDS),
    rating=st.none() | st.sampled_from(Rating),
    evidence=texts,
    na_reason=texts,
    dates=st.dictionaries(
        st.sampled_from(["dsl_training", "dsl_update", "policy"]), days, max_size=3
    ),
    value=st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
)
actions = st.builds(
    Action,
    action_id=st.uuids(),
    standard_id=st.sampled_from(STANDARDS),
    description=texts,
    owner_role=texts,
    target_date=st.none() | days,
    status=st.sampled_from(ActionStatus),
    support_requested=st.booleans(),
    carried_forward=st.booleans(),
)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), responses),
        st.tuples(st.just("add"), actions),
        st.tuples(st.just("edit"), st.integers(0, 20), actions),
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("reopen")),
    ),
    max_size=25,
)


@dataclass
class Model:
    responses: dict[str, Response] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)


def _apply(store: Store, audit_id: uuid.UUID, model: Model, edit: tuple) -> Store:
    kind = edit[0]
    if kind == "answer":
        store.save_response(audit_id, edit[1])
        model.responses[edit[1].standard_id] = edit[1]
    elif kind == "add":
        store.save_action(audit_id, edit[1])
        model.actions.append(edit[1])
    elif kind == "edit" and model.actions:
        index = edit[1] % len(model.actions)
        changed = edit[2].model_copy(update={"action_id": model.actions[index].action_id})
        store.save_action(audit_id, changed)
        model.actions[index] = changed
    elif kind == "delete" and model.actions:
        gone = model.actions.pop(edit[1] % len(model.actions))
        store.delete_action(audit_id, gone.action_id)
    elif kind == "reopen":
        store.close()
        store = Store.open(store.path)
    return store


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    # A real file, on a RAM disk where there is one: this property is about what is stored, not
    # about surviving power loss, and thousands of fsyncs would make it slow.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="school-audit-roundtrip-", dir=shm))
    else:
        folder = tmp_path_factory.mktemp("roundtrip")
    path = folder / "audit.sqlite3"
    Store.open(path, backups=folder / "backups").close()
    yield path
    shutil.rmtree(folder, ignore_errors=True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=edits)
def test_reopened_audit_equals_the_model(database, mini_template, school_profile, edits):
    # Adding an action whose id is already in the plan is an edit: keep ids unique in the model.
    store = Store.open(database)
    audit = Audit.start(mini_template, school_profile)
    store.create_audit(audit)
    model = Model()
    try:
        for edit in edits:
            if edit[0] == "add" and any(a.action_id == edit[1].action_id for a in model.actions):
                continue
            store = _apply(store, audit.audit_id, model, edit)
    finally:
        store.close()
    with Store.open(database) as reopened:
        loaded = reopened.load_audit(audit.audit_id)
    assert loaded.responses == model.responses
    assert loaded.actions == model.actions
    assert loaded.model_copy(update={"responses": {}, "actions": []}) == audit
