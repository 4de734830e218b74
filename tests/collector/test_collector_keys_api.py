"""GET /api/v1/collector-keys: the collector's key history, for devices to follow a rotation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from school_audit.collector.cli.main import main as collector_cli
from school_audit.collector.keys import load_key_file
from school_audit.signing.key_history import chain_problems

URL = "/api/v1/collector-keys"


def rotate(world, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(world.settings.home))
    code = collector_cli(["--database-url", world.settings.resolved_database_url,
                          "keys", "rotate", "--yes"])  # fmt: skip
    assert code == 0, capsys.readouterr().err


def test_anyone_reads_the_key_history_and_it_chains_after_a_rotation(
    client, world, capsys, monkeypatch
):
    old = client.app.state.collector_key
    before = client.get(URL)  # no bearer token: the history is public and proves itself
    assert before.status_code == 200
    assert before.headers["Cache-Control"] == "no-store"
    [entry] = before.json()["keys"]
    assert entry["key_id"] == old.key_id and entry["public_key"] == old.public_key_b64
    assert before.json()["current_key_id"] == old.key_id

    rotate(world, capsys, monkeypatch)
    new = load_key_file(world.settings.resolved_key_file)
    with TestClient(world.app(), raise_server_exceptions=False) as restarted:
        after = restarted.get(URL).json()
    assert [e["key_id"] for e in after["keys"]] == [old.key_id, new.key_id]
    assert after["current_key_id"] == new.key_id
    runs, problems = chain_problems(after["keys"])
    assert runs == [[old.key_id, new.key_id]] and problems == {}
    assert after["keys"][1]["endorsement"]["previous_key_id"] == old.key_id
    assert "secret" not in str(after) and new.secret() not in str(after)


def test_other_methods_get_the_api_error_shape(client):
    refused = client.post(URL, json={"keys": []})
    assert refused.status_code == 405
    assert set(refused.json()["error"]) == {"code", "message"}
