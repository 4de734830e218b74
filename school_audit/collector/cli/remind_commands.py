"""`remind` (for the LA's timer), its preview, the schedule and each setting's history."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path

from school_audit.collector.cli.common import CommandError, friendly, open_database
from school_audit.commands.registry import Commands

CYCLE_HELP = "academic year, e.g. 2025-26 (default: the newest open cycle)"


def register(commands: Commands) -> None:
    remind = commands.command(
        "remind", "Queue the reminders due today (run it daily from a timer)."
    )
    remind.add_argument("--cycle", help=CYCLE_HELP)
    remind.add_argument(
        "--preview", action="store_true", help="only show who would get what, and why"
    )
    remind.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="with --preview: show the plan for another day")  # fmt: skip
    remind.add_argument("--send", action="store_true", help="then send the queued mail at once")
    remind.set_defaults(handler=friendly(run_remind))
    group = commands.group("reminders", "The reminder schedule and history.")
    schedule = group.command("schedule", "Show a cycle's reminder steps, or change them.")
    schedule.add_argument("--cycle", help=CYCLE_HELP)
    schedule.add_argument(
        "--set", type=Path, metavar="FILE.json", help="use the steps in this file"
    )
    schedule.add_argument("--reset", action="store_true", help="back to the default steps")
    schedule.set_defaults(handler=friendly(run_schedule))
    history = group.command("history", "The reminders a setting was sent.")
    history.add_argument("urn")
    history.add_argument("--cycle")
    history.set_defaults(handler=friendly(run_history))


def _cycle(session, given: str | None) -> str:  # type: ignore[no-untyped-def]
    from school_audit.collector.cycles import list_cycles

    if given:
        return given
    open_cycles = [c.cycle for c in list_cycles(session) if c.is_open]
    if not open_cycles:
        raise CommandError("no cycle is open: give --cycle or open one with `cycle open`")
    return open_cycles[-1]


def run_remind(args: argparse.Namespace) -> int:
    from school_audit.collector.cycles import CycleError
    from school_audit.collector.mail.reminders import plan_reminders, send_reminders

    if args.today and not args.preview:
        raise CommandError("--today only goes with --preview: reminders are sent for today")
    today = args.today or datetime.now(UTC).date()
    database = open_database(args)
    try:
        with database.read() as session:
            cycle = _cycle(session, args.cycle)
            plan = plan_reminders(session, cycle, today)
        if args.preview:
            _print_plan(plan)
            return 0
        sent = send_reminders(database, cycle, today)
    except CycleError as error:
        raise CommandError(str(error)) from None
    for item in sent:
        print(
            f"{item.urn} {item.name}: {item.step.key} to {', '.join(r.email for r in item.recipients)}"
        )
    print(f"{len(sent)} reminder step(s) taken for {cycle} on {today}.")
    if args.send and sent:
        from school_audit.collector.cli.mail_commands import run_mail_send

        args.loop = False
        return run_mail_send(args)
    return 0


def _print_plan(plan) -> None:  # type: ignore[no-untyped-def]
    print(f"Reminders for {plan.cycle} on {plan.today}: {len(plan.planned)} to send.")
    for item in plan.planned:
        to = ", ".join(f"{r.role} {r.email}" for r in item.recipients)
        wording = " [returned for changes]" if item.wording == "returned_for_changes" else ""
        print(f"SEND {item.urn} {item.name}: {item.step.key}{wording} to {to} ({item.why})")
    for skipped in plan.not_reminded:
        print(f"SKIP {skipped.urn} {skipped.name}: {skipped.reason}")


def run_schedule(args: argparse.Namespace) -> int:
    from school_audit.collector.cycles import CycleError, cycle_info
    from school_audit.collector.mail.schedule import (
        ScheduleError,
        parse_steps,
        save_schedule,
        schedule_for,
        steps_json,
    )  # fmt: skip

    database = open_database(args)
    try:
        with database.write() as session:
            cycle = _cycle(session, args.cycle)
            info = cycle_info(session, cycle)
            if args.set or args.reset:
                steps = parse_steps(args.set.read_bytes()) if args.set else None
                save_schedule(session, cycle, steps, "cli")
            steps = schedule_for(session, cycle)
    except (CycleError, ScheduleError) as error:
        raise CommandError(str(error)) from None
    print(steps_json(steps))
    if info.first_deadline and info.final_deadline:
        for step in steps:
            days = ", ".join(
                str(day) for day in step.dates(info.first_deadline, info.final_deadline)
            )
            print(f"{step.key}: {days} to {', '.join(step.to)}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.reminders import reminder_history

    with open_database(args).read() as session:
        rows = reminder_history(session, args.urn.strip(), args.cycle)
    for row in rows:
        print(
            f"{row.cycle} {row.due_on} {row.step} ({row.wording}): {row.recipients}; queued {row.sent_at:%Y-%m-%d %H:%M} UTC"
        )
    if not rows:
        print(f"No reminders sent to {args.urn}.")
    return 0
