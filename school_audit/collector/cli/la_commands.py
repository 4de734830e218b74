"""The LA's data commands: cycles and exemptions, XLSX templates, exports, demo (the register's
import commands are in register_commands)."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path

from school_audit.collector.cli.common import CommandError, friendly, open_database, settings_from
from school_audit.collector.cli.register_commands import problems_error as _problems
from school_audit.commands.registry import Commands

CYCLE_HELP = "academic year, e.g. 2025-26"


def register(commands: Commands) -> None:
    _cycle_commands(commands.group("cycle", "Audit cycles: templates, deadlines, exemptions."))
    _template_commands(commands.group("template", "Audit templates offered to devices."))
    _export_commands(commands.group("export", "Exports for the LA and the steering group."))
    demo = commands.command("demo", "Seed a fictional LA: register, cycles, signed returns, users.")
    demo.add_argument(
        "--users-file", type=Path, help="also write the log-ins and enrolment code here (JSON)"
    )
    demo.add_argument("--password", help="one password for all demo users (default: random ones)")
    demo.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    demo.set_defaults(handler=friendly(run_demo))


def _cycle_commands(group: Commands) -> None:
    opening = group.command("open", "Open a cycle with its templates and two deadlines.")
    opening.add_argument("cycle", help=CYCLE_HELP)
    opening.add_argument("--school-template", metavar="ID@VERSION")
    opening.add_argument("--early-years-template", metavar="ID@VERSION")
    opening.add_argument("--first-deadline", required=True, type=_day, metavar="YYYY-MM-DD")
    opening.add_argument("--final-deadline", required=True, type=_day, metavar="YYYY-MM-DD")
    opening.add_argument("--title")
    opening.set_defaults(handler=friendly(run_cycle_open))
    exempting = group.command("exempt", "Excuse an establishment from this cycle, with a reason.")
    exempting.add_argument("urn")
    exempting.add_argument("--reason", required=True)
    exempting.add_argument("--cycle", help=f"{CYCLE_HELP} (default: the newest open cycle)")
    exempting.set_defaults(handler=friendly(run_cycle_exempt))
    listing = group.command("list", "List cycles with their templates and deadlines.")
    listing.set_defaults(handler=friendly(run_cycle_list))


def _template_commands(group: Commands) -> None:
    importing = group.command(
        "import", "Read an LA-authored XLSX template, local pack or XLSForm and check it."
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("-o", "--output", type=Path, help="JSON to write (default: FILE.json)")
    importing.add_argument("--publish", action="store_true", help="publish it to devices as well")
    importing.add_argument("--cycle", help="cycle to publish for (default: the template's own)")
    importing.set_defaults(handler=friendly(run_template_import))
    exporting = group.command("export", "Write a template as XLSX (a starting point) or JSON.")
    exporting.add_argument("template", metavar="ID[@VERSION]")
    exporting.add_argument("--format", choices=["xlsx", "json"], default="xlsx")
    exporting.add_argument("-o", "--output", type=Path, required=True)
    exporting.set_defaults(handler=friendly(run_template_export))


def _export_commands(group: Commands) -> None:
    for kind, text in (("returns", "One row per return."), ("aggregates", "The aggregate tables.")):
        command = group.command(kind, text)
        command.add_argument("--cycle", help=f"{CYCLE_HELP} (default: the newest open cycle)")
        formats = ["xlsx", "csv", "pdf"] if kind == "aggregates" else ["xlsx", "csv"]
        command.add_argument("--format", choices=formats, default="xlsx")
        command.add_argument("--setting-type", choices=["school", "early_years"], default="school")
        command.add_argument("-o", "--output", type=Path, required=True)
        if kind == "aggregates":
            command.add_argument(
                "--steering", action="store_true", help="the suppressed steering pack"
            )
            command.add_argument(
                "--la-name", help="named on the PDF pack's cover (default: the la_name setting)"
            )
        command.set_defaults(handler=friendly(run_export), kind=kind)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-02-13") from None


def _read_template(path: Path) -> bytes:
    from school_audit.domain.template_limits import TemplateTooLarge, read_bounded

    try:
        return read_bounded(path)
    except TemplateTooLarge as error:
        raise CommandError(
            f"the template was not imported: {path} is too large ({error})"
        ) from None
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from None


def run_cycle_open(args: argparse.Namespace) -> int:
    from school_audit.collector.cycles import CycleError, open_cycle, parse_template_ref

    try:
        refs = [
            parse_template_ref(t) for t in (args.school_template, args.early_years_template) if t
        ]
        if not refs:
            raise CycleError(
                "name at least one template: --school-template or --early-years-template"
            )
        with open_database(args).write() as session:
            info = open_cycle(
                session,
                args.cycle,
                refs,
                args.first_deadline,
                args.final_deadline,
                "cli",
                args.title,
            )
    except CycleError as error:
        raise CommandError(str(error)) from None
    templates = ", ".join(
        f"{kind}: {tid}@{ver}" for kind, (tid, ver) in sorted(info.templates.items())
    )
    print(
        f"Cycle {info.cycle} open ({templates}); deadlines {info.first_deadline} and {info.final_deadline}."
    )
    return 0


def _default_cycle(session, given: str | None) -> str:  # type: ignore[no-untyped-def]
    from school_audit.collector.cycles import list_cycles

    if given:
        return given
    open_cycles = [c.cycle for c in list_cycles(session) if c.is_open]
    if not open_cycles:
        raise CommandError("no cycle is open: give --cycle or open one with `cycle open`")
    return open_cycles[-1]


def run_cycle_exempt(args: argparse.Namespace) -> int:
    from school_audit.collector.cycles import CycleError, exempt

    try:
        with open_database(args).write() as session:
            cycle = _default_cycle(session, args.cycle)
            exempt(session, cycle, args.urn.strip(), args.reason, "cli")
    except CycleError as error:
        raise CommandError(str(error)) from None
    print(f"{args.urn} is exempt from {cycle}: {args.reason.strip()}")
    return 0


def run_cycle_list(args: argparse.Namespace) -> int:
    from school_audit.collector.cycles import list_cycles

    with open_database(args).read() as session:
        cycles = list_cycles(session)
    for info in cycles:
        templates = ", ".join(f"{k}={t}@{v}" for k, (t, v) in sorted(info.templates.items()))
        state = "open" if info.is_open else "closed"
        print(
            f"{info.cycle}  {state}  first {info.first_deadline}  final {info.final_deadline}  {templates}"
        )
    if not cycles:
        print("No cycles yet: open one with `school-audit-collector cycle open`.")
    return 0


def run_template_import(args: argparse.Namespace) -> int:
    from school_audit.collector.authoring import import_authored
    from school_audit.collector.cli.pack_commands import run_pack_import
    from school_audit.collector.template_xlsx import TemplateWorkbookError
    from school_audit.domain.local_pack import LocalPack

    try:  # our template layout, the local-pack form, or an XLSForm
        template = import_authored(_read_template(args.file))
    except TemplateWorkbookError as error:
        raise _problems(list(error.problems), "the template was not imported") from None
    if isinstance(template, LocalPack):
        return run_pack_import(args, template)
    output = args.output or args.file.with_suffix(".json")
    output.write_text(
        json.dumps(template.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"{template.id} {template.version}: {len(template.standards())} standards, written to {output}"
    )
    if args.publish:
        from school_audit.collector.catalog import PublishError, publish_template

        try:
            with open_database(args).write() as session:
                created = publish_template(session, template, args.cycle)
        except PublishError as error:
            raise CommandError(str(error)) from None
        print("Published." if created else "Already published with the same content.")
    return 0


def run_template_export(args: argparse.Namespace) -> int:
    from school_audit.collector.template_xlsx import export_workbook

    template = _find_template(args)
    if args.format == "xlsx":
        args.output.write_bytes(export_workbook(template))
    else:
        text = json.dumps(template.to_json(), indent=2, ensure_ascii=False) + "\n"
        args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {template.id} {template.version} to {args.output}")
    return 0


def _find_template(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from school_audit.collector.db.tables import TemplateRow
    from school_audit.content import builtin_templates
    from school_audit.domain.template_loading import load_template

    template_id, _, version = args.template.partition("@")
    with open_database(args).read() as session:
        query = select(TemplateRow).where(TemplateRow.template_id == template_id)
        rows = [r for r in session.scalars(query) if not version or r.version == version]
        if rows:
            return load_template(sorted(rows, key=lambda r: r.published_at)[-1].json)
    builtins = [
        t
        for t in builtin_templates()
        if t.id == template_id and (not version or t.version == version)
    ]
    if not builtins:
        raise CommandError(f"no template {args.template} (published or built in)")
    return builtins[-1]


def run_export(args: argparse.Namespace) -> int:
    from school_audit.collector.aggregate import snapshots
    from school_audit.collector.cycles import CycleError
    from school_audit.collector.exports.steering_pack import export_steering_pack
    from school_audit.collector.exports.tables import ExportError, export_aggregates, export_returns

    settings = settings_from(args)
    rule = snapshots.rule_from(settings)
    try:
        with open_database(args).write() as session:
            cycle = _default_cycle(session, args.cycle)
            # The steering group's figures come from the latest snapshot, like the dashboard's.
            steering = args.kind == "aggregates" and (args.format == "pdf" or args.steering)
            view = (
                snapshots.current_in(session, cycle, args.setting_type, rule).view
                if steering
                else None
            )
            if args.kind == "returns":
                result = export_returns(session, cycle, args.format, "cli", args.setting_type)
            elif args.format == "pdf":
                # The PDF is only ever the steering group's suppressed pack.
                la_name = args.la_name or settings.la_name
                result = export_steering_pack(
                    session,
                    cycle,
                    "cli",
                    setting_type=args.setting_type,
                    la_name=la_name,
                    view=view,
                )
            else:
                result = export_aggregates(
                    session,
                    cycle,
                    args.format,
                    "cli",
                    steering=args.steering,
                    setting_type=args.setting_type,
                    view=view,
                )
    except (ExportError, CycleError) as error:
        raise CommandError(str(error)) from None
    args.output.write_bytes(result.content)
    print(f"Wrote {result.rows} rows to {args.output}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from school_audit.collector.demo.seed import DemoError, seed_demo
    from school_audit.collector.keys import ensure_key_file
    from school_audit.collector.web.passwords import WeakPassword

    settings = settings_from(args)
    settings.home.mkdir(parents=True, exist_ok=True)
    database = open_database(args)
    key, _ = ensure_key_file(settings.resolved_key_file)
    try:
        result = seed_demo(
            database, key, settings.home / "demo", password=args.password, seed=args.seed
        )
    except (DemoError, WeakPassword) as error:
        raise CommandError(str(error)) from None
    _print_demo(result)
    if args.users_file:
        _write_users_file(args.users_file, result)
        print(f"Log-ins and the enrolment code are also in {args.users_file}")
    return 0


def _print_demo(result) -> None:  # type: ignore[no-untyped-def]
    print(f"Demo register written to {result.files[0].parent} and imported.")
    print(f"Returns stored: {', '.join(f'{c}: {n}' for c, n in sorted(result.returns.items()))}.")
    print("\nDashboard log-ins (start it with `school-audit-collector serve`, then open")
    print("http://127.0.0.1:8000/):")
    for username, role, password in result.users:
        print(f"  {username:<10} {role:<11} {password}")
    print(f"\n{result.enrolment_name} (URN {result.enrolment_urn}) has not returned yet. Enrol its")
    print(f"desktop app with code {result.enrolment_code}:")
    print(f"  school-audit enrol http://127.0.0.1:8000 {result.enrolment_code}")


def _write_users_file(path: Path, result) -> None:  # type: ignore[no-untyped-def]
    data = {
        "dashboard": "http://127.0.0.1:8000/",
        "users": [{"username": u, "role": r, "password": p} for u, r, p in result.users],
        "enrolment": {
            "code": result.enrolment_code,
            "urn": result.enrolment_urn,
            "name": result.enrolment_name,
        },
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # passwords: owner only
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
