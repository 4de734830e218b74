"""`school-audit-collector template publish-pack` and `template packs`."""

from __future__ import annotations

import json

import pytest

from school_audit.collector.cli.main import main
from school_audit.content.local_packs import builtin_local_pack
from tests.conftest import FIXTURES


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    assert main(["init"]) == 0


def test_the_la_publishes_its_pack_after_the_templates(cli_env, capsys):
    pack = builtin_local_pack("worcestershire")
    capsys.readouterr()
    assert main(["template", "publish-pack", "--builtin", "worcestershire"]) == 1
    assert "publish the templates before the pack" in capsys.readouterr().err
    for template_id in ("school-s175", "early-years-eyfs"):
        assert (
            main(["template", "publish", "--builtin", template_id, "--version", "2025-26.1"]) == 0
        )
    assert main(["template", "publish-pack", "--builtin", "worcestershire"]) == 0
    out = capsys.readouterr().out
    assert f"Published: worcestershire {pack.version} for 2025-26" in out and pack.sha256 in out
    assert main(["template", "publish-pack", "--builtin", "worcestershire"]) == 0
    assert "Already published" in capsys.readouterr().out
    assert main(["template", "packs"]) == 0
    assert f"worcestershire@{pack.version}" in capsys.readouterr().out


def test_a_pack_that_breaks_the_rules_is_refused_with_every_problem(cli_env, tmp_path, capsys):
    data = json.loads((FIXTURES / "mini_local_pack.json").read_text())
    data["notes"][0]["statutory"] = True
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(data))
    assert main(["template", "publish-pack", str(path)]) == 1
    err = capsys.readouterr().err
    assert "is not a usable local pack" in err
    assert "notes[0].statutory: a local pack cannot make a national standard statutory" in err
    assert "Traceback" not in err
