"""No coroutine of the collector touches the database itself: the event loop serves every request
(`/healthz`, every school's upload), so one coroutine waiting on SQL holds them all up.

Read from the source (AST): inside each `async def` of the collector, outside the functions it
defines to hand to the thread pool, no call may reach the database directly, nor through a plain
function of the same module that does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import school_audit.collector as collector_package

ROOT = Path(collector_package.__file__).parent
# Calls that open a session or run SQL, whatever object they are called on.
DATABASE_CALLS = {"database", "get_database", "read", "write", "execute", "scalar", "scalars"}
KNOWN = {"web/pages/login.py:login"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _calls_outside_nested_functions(function: ast.AST) -> list[ast.Call]:
    """Calls made by `function` itself: not those in the functions or lambdas it defines."""
    found, stack = [], list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _blocking_functions(tree: ast.Module) -> set[str]:
    """Plain functions of the module that reach the database, directly or through one another."""
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    calls = {name: {_called_name(c) for c in _calls_outside_nested_functions(node)}
             for name, node in functions.items()}  # fmt: skip
    blocking = {name for name, called in calls.items() if called & DATABASE_CALLS}
    while grown := {n for n, called in calls.items() if called & blocking} - blocking:
        blocking |= grown
    return blocking


def offences(source: str, module: str) -> list[str]:
    tree = ast.parse(source)
    blocking = _blocking_functions(tree) | DATABASE_CALLS
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef) and f"{module}:{node.name}" not in KNOWN:
            for call in _calls_outside_nested_functions(node):
                if _called_name(call) in blocking:
                    found.append(f"{module}:{call.lineno} {node.name} calls {_called_name(call)}")
    return found


def test_no_coroutine_of_the_collector_reaches_the_database_on_the_event_loop():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        found += offences(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert found == [], "database work on the event loop:\n" + "\n".join(found)


# The check itself, on small examples of what it must catch and what it must let through.

CAUGHT = """
def _load(request):
    with deps.database(request).read() as session:
        return session.get(User, 1)

def _detail(request):
    return _load(request)

async def route(request):
    _detail(request)
"""

ALLOWED = """
def _load(request):
    with deps.database(request).read() as session:
        return session.get(User, 1)

async def route(request):
    def inner():
        with get_database(request).write() as session:
            session.execute(statement)

    form = await request.form()
    await run_in_threadpool(inner)
    return await run_in_threadpool(_load, request)
"""


def test_the_check_catches_database_work_reached_through_plain_functions():
    assert offences(CAUGHT, "example.py") == ["example.py:10 route calls _detail"]


def test_the_check_lets_work_handed_to_the_thread_pool_through():
    assert offences(ALLOWED, "example.py") == []


def test_the_envelope_is_validated_by_the_ingestor_not_by_fastapi_on_the_loop():
    """FastAPI validates a body on the event loop; a large envelope takes tens of milliseconds, so
    the route's model lets it through untouched and the ingestor (in the thread pool) checks it.
    (test_strict_envelope shows that a bad envelope is still refused with 422.)"""
    from school_audit.collector.api.schemas import SubmissionRequest

    raw = {"revision": "not checked here"}
    assert SubmissionRequest.model_validate({"envelope": raw, "signature": "s"}).envelope is raw
    schema = SubmissionRequest.model_json_schema()
    assert schema["properties"]["envelope"]["title"] == "Envelope"  # still documented in full
    assert "submission_id" in schema["properties"]["envelope"]["required"]
