"""Reminders across simulated days with a real SMTP server: the default schedule escalates to the
right people, skips returned, exempt and closed settings, words a returned-for-changes setting
apart, and never sends a step twice (run twice a day, the second time from a new connection)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from school_audit.collector.db import Database
from school_audit.collector.mail.reminders import plan_reminders, reminder_history, send_reminders
from school_audit.collector.mail.schedule import ScheduleError, Step, parse_steps, save_schedule
from school_audit.collector.mail.worker import MailWorker
from tests.collector_mail.county import (
    CHANGES,
    CLOSED,
    CYCLE,
    EXEMPT,
    FINAL,
    FIRST,
    NO_ADDRESS,
    NOT_RETURNED,
    RECEIVED,
    address,
    build_county,
)  # fmt: skip


@pytest.fixture
def county(world):
    built = build_county(world)
    yield built
    built.client.close()


NOTICES = ("Received:", "Accepted:", "Changes needed:")  # review notices, not reminders


def reminders_by_day(county, smtp, days):
    """Run the timer (twice) and the mail worker each day; what each address got, by day."""
    world = county.world
    seen = len(smtp.inbox.arrived)
    got: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for day in days:
        send_reminders(world.database, CYCLE, day)
        send_reminders(Database(world.settings.resolved_database_url), CYCLE, day)  # a new process
        MailWorker(world.database, world.settings).run_once()
        for arrived in smtp.inbox.arrived[seen:]:
            if not arrived.message["Subject"].startswith(NOTICES):
                for to in arrived.rcpt_tos:
                    got[to].append((day, arrived.message["Subject"]))
        seen = len(smtp.inbox.arrived)
    return got


def every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_the_default_schedule_across_the_cycle(county, smtp):
    got = reminders_by_day(county, smtp, every_day(date(2026, 1, 20), date(2026, 3, 10)))
    two_weeks_before, weekly = FIRST - timedelta(days=14), FIRST + timedelta(days=7)
    days = {to: [day for day, _ in items] for to, items in got.items()}
    for urn in (NOT_RETURNED, CHANGES):
        assert days[address(urn, "dsl")] == [two_weeks_before, FIRST, weekly, FINAL]
        assert days[address(urn, "head")] == [weekly, FINAL]
        assert days[address(urn, "chair")] == [FINAL]
    for urn in (RECEIVED, EXEMPT, CLOSED, NO_ADDRESS):
        assert not [to for to in got if urn in to]
    subjects = [subject for _, subject in got[address(NOT_RETURNED, "dsl")]]
    assert subjects == [
        "Reminder: Alder First School's safeguarding audit 2025-26 is due on 13 February 2026",
        "Due today: Alder First School's safeguarding audit 2025-26",
        "Overdue: Alder First School's safeguarding audit 2025-26",
        "Due today: Alder First School's safeguarding audit 2025-26",
    ]
    changed = {subject for _, subject in got[address(CHANGES, "dsl")]}
    assert changed == {"Changes still needed: Birch First School's safeguarding audit 2025-26"}


def test_escalated_reminders_say_who_was_written_to_and_carry_no_answer_text(county, smtp):
    reminders_by_day(county, smtp, [FINAL])
    [to_chair] = smtp.inbox.to(address(NOT_RETURNED, "chair"))
    text = to_chair.message.get_body(("plain",)).get_content()
    assert "Dear CHAIR of 100001," in text
    assert "the designated safeguarding lead, the head teacher and the chair of governors" in text
    assert "due today, 27 February 2026 (the final deadline)" in text
    for arrived in smtp.inbox.arrived:
        assert b"Seen in the minutes" not in arrived.data  # the returns' evidence text
        assert b"last training" not in arrived.data  # the reviewer's comment stays in the app


def test_a_late_timer_sends_only_the_latest_step_and_the_history_shows_it(county, smtp):
    got = reminders_by_day(county, smtp, [FIRST + timedelta(days=9)])
    assert got[address(NOT_RETURNED, "dsl")] == [
        (FIRST + timedelta(days=9), "Overdue: Alder First School's safeguarding audit 2025-26")
    ]
    with county.world.database.read() as session:
        [row] = reminder_history(session, NOT_RETURNED, CYCLE)
    assert (row.step, row.due_on, row.wording) == (
        "weekly_overdue",
        FIRST + timedelta(days=7),
        "not_returned",
    )
    assert "head:head@100001.example.sch.uk" in row.recipients


def test_the_preview_says_who_gets_what_and_why(county):
    with county.world.database.read() as session:
        plan = plan_reminders(session, CYCLE, FIRST)
    planned = {item.urn: item for item in plan.planned}
    assert set(planned) == {NOT_RETURNED, CHANGES}
    assert planned[CHANGES].wording == "returned_for_changes"
    assert (
        "returned for changes" in planned[CHANGES].why and "first_deadline" in planned[CHANGES].why
    )
    reasons = {item.urn: item.reason for item in plan.not_reminded}
    assert reasons[RECEIVED] == "returned (status received)"
    assert reasons[EXEMPT] == "exempt: Closing at Christmas"
    assert reasons[NO_ADDRESS].startswith("no usable address on file")
    assert CLOSED not in reasons and CLOSED not in planned
    # Planning took nothing: the first run takes the two steps, a second run none.
    assert send_reminders(county.world.database, CYCLE, FIRST) and not send_reminders(
        county.world.database, CYCLE, FIRST
    )


def test_an_la_schedule_replaces_the_default(county, smtp):
    steps = (Step(key="one_week_before", anchor="first", offset_days=-7, to=("dsl", "chair")),)
    with county.world.database.write() as session:
        save_schedule(session, CYCLE, steps, "olive")
    got = reminders_by_day(county, smtp, every_day(date(2026, 1, 20), date(2026, 3, 10)))
    assert [day for day, _ in got[address(NOT_RETURNED, "dsl")]] == [FIRST - timedelta(days=7)]
    assert [day for day, _ in got[address(NOT_RETURNED, "chair")]] == [FIRST - timedelta(days=7)]
    assert address(NOT_RETURNED, "head") not in got


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"key": "x", "anchor": "first", "offset_days": 0, "to": ["bursar"]}]', "to.0"),
        ('[{"key": "x", "anchor": "soon", "offset_days": 0, "to": ["dsl"]}]', "anchor"),
        ("[]", "at least one step"),
        (
            '[{"key": "x", "anchor": "first", "offset_days": 0, "to": ["dsl"]},'
            ' {"key": "x", "anchor": "final", "offset_days": 0, "to": ["dsl"]}]',
            "same key",
        ),
        ("not json", "not valid"),
    ],
)
def test_a_bad_schedule_is_refused_with_where(text, message):
    with pytest.raises(ScheduleError, match=message):
        parse_steps(text)
