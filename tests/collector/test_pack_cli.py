"""`school-audit-collector template publish-pack` and `template packs`."""

from __future__ import annotations

import json

import pytest

from school_audit.collector.cli.main import main
from school_audit.content.local_packs import builtin_local_pack
from school_audit.domain.local_pack import load_local_pack
from school_audit.domain.template_loading import load_template
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


def test_the_local_pack_form_goes_out_and_back_through_template_import(cli_env, tmp_path, capsys):
    pack = builtin_local_pack("worcestershire")
    form = tmp_path / "our-pack.xlsx"
    assert main(["template", "export-pack", "worcestershire", "-o", str(form)]) == 0
    for template_id in ("school-s175", "early-years-eyfs"):
        assert (
            main(["template", "publish", "--builtin", template_id, "--version", "2025-26.1"]) == 0
        )
    assert main(["template", "import", str(form), "--publish"]) == 0
    out = capsys.readouterr().out
    assert "Local pack worcestershire" in out and f"Published: worcestershire {pack.version}" in out
    written = json.loads((tmp_path / "our-pack.json").read_text())
    assert load_local_pack(written).sha256 == pack.sha256


def test_template_import_reads_an_xlsform_or_says_what_it_cannot_take(cli_env, tmp_path, capsys):
    from tests.collector.test_xlsform import SURVEY, workbook

    good = tmp_path / "county.xlsx"
    good.write_bytes(workbook())
    assert main(["template", "import", str(good)]) == 0
    assert "our-county 2025-26.1: 6 standards" in capsys.readouterr().out
    assert load_template((tmp_path / "county.json").read_bytes()).sections[1].local
    bad = tmp_path / "kobo.xlsx"
    survey = [[*row, None] for row in SURVEY]
    survey[0][-1] = "relevant"
    survey[3][-1] = "${A1} = 'met'"
    bad.write_bytes(workbook(survey=survey))
    assert main(["template", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "the template was not imported" in err
    assert "sheet 'survey', row 4, column H (relevant): skip logic is not supported" in err
    assert not (tmp_path / "kobo.json").exists()


def test_the_pack_commands_are_in_the_la_guide():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "la-guide.md").read_text()
    for name in ("template publish-pack", "template packs", "template export-pack"):
        assert f"school-audit-collector {name}" in guide, name
