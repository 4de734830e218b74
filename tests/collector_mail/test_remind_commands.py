"""`school-audit-collector remind` and `reminders schedule|history` as the LA's timer runs them."""

from __future__ import annotations

import json

import pytest

from school_audit.collector.cli.main import main
from tests.collector_mail.county import (
    CHANGES,
    CYCLE,
    NOT_RETURNED,
    RECEIVED,
    address,
    build_county,
)


@pytest.fixture
def county(world, env):
    built = build_county(world)
    yield built
    built.client.close()


def test_preview_then_remind_then_nothing_more(county, smtp, capsys):
    assert main(["remind", "--preview", "--today", "2026-02-13"]) == 0
    out = capsys.readouterr().out
    assert (
        f"SEND {NOT_RETURNED} Alder First School: first_deadline to dsl {address(NOT_RETURNED, 'dsl')}"
        in out
    )
    assert f"SEND {CHANGES} Birch First School: first_deadline [returned for changes]" in out
    assert f"SKIP {RECEIVED} Cedar First School: returned (status received)" in out
    assert main(["remind", "--today", "2026-02-13"]) == 1  # only a preview may pretend
    assert "--today only goes with --preview" in capsys.readouterr().err
    before = len(smtp.inbox.arrived)
    assert main(["remind", "--send"]) == 0  # today: long after the final deadline
    out = capsys.readouterr().out
    assert "2 reminder step(s) taken" in out
    reminders = [
        a
        for a in smtp.inbox.arrived[before:]
        if "Received:" not in a.message["Subject"]
        and not a.message["Subject"].startswith("Changes needed")
    ]  # the review notices
    assert len(reminders) == 6  # two settings, DSL + head + chair each
    assert main(["remind"]) == 0
    assert "0 reminder step(s) taken" in capsys.readouterr().out
    assert main(["reminders", "history", NOT_RETURNED]) == 0
    assert "final_deadline (not_returned): dsl:dsl@100001" in capsys.readouterr().out


def test_the_schedule_is_shown_and_changed(county, tmp_path, capsys):
    assert main(["reminders", "schedule", "--cycle", CYCLE]) == 0
    out = capsys.readouterr().out
    assert "weekly_overdue: 2026-02-20 to dsl, head" in out
    assert "two_weeks_before: 2026-01-30 to dsl" in out
    steps = [{"key": "week_before", "anchor": "first", "offset_days": -7, "to": ["dsl"]}]
    (tmp_path / "steps.json").write_text(json.dumps(steps))
    assert main(["reminders", "schedule", "--set", str(tmp_path / "steps.json")]) == 0
    assert "week_before: 2026-02-06 to dsl" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text('[{"key": "x"}]')
    assert main(["reminders", "schedule", "--set", str(tmp_path / "bad.json")]) == 1
    assert "not valid" in capsys.readouterr().err
    assert main(["reminders", "schedule", "--reset"]) == 0
    assert "final_deadline: 2026-02-27 to dsl, head, chair" in capsys.readouterr().out
