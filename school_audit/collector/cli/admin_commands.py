"""Admin commands: establishments, enrolment codes, devices, templates; users (user_commands)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from school_audit.collector.catalog import PublishError, publish_template
from school_audit.collector.cli import user_commands
from school_audit.collector.cli.common import CommandError, friendly, open_database, record
from school_audit.collector.db.tables import Establishment
from school_audit.collector.devices import list_devices, revoke_device
from school_audit.collector.enrolment import UnknownEstablishment, issue_code
from school_audit.collector.register.early_years import MOST_PLACES
from school_audit.collector.register.gias import MOST_PUPILS
from school_audit.commands.registry import Commands
from school_audit.domain.profile import URN_PATTERN
from school_audit.domain.setting import SettingType, phases_for
from school_audit.domain.template import Template
from school_audit.domain.template_loading import TemplateError, load_template, read_template_file

URN = re.compile(URN_PATTERN)  # ASCII digits only: \d would take look-alike digits


def register(commands: Commands) -> None:
    est = commands.group("establishment", "Establishments expected to make a return.")
    add = est.command("add", "Add one establishment by hand (the register import adds many).")
    add.add_argument("--urn", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--setting-type", required=True, choices=[s.value for s in SettingType])
    add.add_argument("--phase", required=True)
    add.add_argument("--la-code")
    add.add_argument("--district")
    add.add_argument("--trust", help="the multi-academy trust (MAT) it belongs to, if any")
    add.add_argument("--trust-ref", help="the trust's GIAS code, if known")
    add.add_argument(
        "--pupils", type=int, help="number on roll (schools) or registered places (early years)"
    )
    add.set_defaults(handler=friendly(run_establishment_add))

    enrol = commands.group("enrol", "Enrolment codes for school devices.")
    issue = enrol.command("issue", "Issue a one-time enrolment code for an establishment.")
    issue.add_argument("--urn", required=True)
    issue.add_argument(
        "--days", type=int, default=None, help="days the code stays valid (default 14)"
    )
    issue.set_defaults(handler=friendly(run_enrol_issue))

    device = commands.group("device", "Enrolled devices.")
    revoke = device.command("revoke", "Revoke a device: its token stops working at once.")
    revoke.add_argument("device_id")
    revoke.set_defaults(handler=friendly(run_device_revoke))
    listing = device.command("list", "List enrolled devices.")
    listing.add_argument("--urn")
    listing.set_defaults(handler=friendly(run_device_list))

    template = commands.group("template", "Audit templates offered to devices.")
    publish = template.command("publish", "Publish a template (a JSON file or a built-in one).")
    source = publish.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="template JSON file")
    source.add_argument("--builtin", metavar="ID", help="a built-in template id")
    publish.add_argument("--version", help="built-in version (default: newest)")
    publish.add_argument("--cycle", help="cycle to publish for (default: the template's own)")
    publish.set_defaults(handler=friendly(run_template_publish))

    user_commands.register(commands)


def run_establishment_add(args: argparse.Namespace) -> int:
    if not URN.fullmatch(args.urn.strip()):
        raise CommandError(f"{args.urn!r} is not a URN (six digits 0-9; EY or VC and six digits)")
    phases = phases_for(SettingType(args.setting_type))
    if args.phase not in phases:
        raise CommandError(f"unknown phase {args.phase!r}; choose one of: {', '.join(phases)}")
    most = MOST_PUPILS if args.setting_type == SettingType.SCHOOL.value else MOST_PLACES
    if args.pupils is not None and not 0 <= args.pupils <= most:
        raise CommandError(f"--pupils must be a whole number from 0 to {most:,}")
    database = open_database(args)
    try:
        with database.write() as session:
            session.add(
                Establishment(
                    urn=args.urn.strip(),
                    name=args.name.strip(),
                    setting_type=args.setting_type,
                    phase=args.phase,
                    la_code=args.la_code,
                    district=args.district,
                    trust_name=(args.trust or "").strip() or None,
                    trust_ref=(args.trust_ref or "").strip() or None,
                    pupils=args.pupils,
                    status="open",
                    source="manual",
                )
            )
    except IntegrityError:
        raise CommandError(f"an establishment with URN {args.urn} already exists") from None
    record(database, "establishment_add", args.urn)
    print(f"Added {args.urn} {args.name}.")
    return 0


def run_enrol_issue(args: argparse.Namespace) -> int:
    database = open_database(args)
    from school_audit.collector.settings import CollectorSettings

    days = args.days if args.days is not None else CollectorSettings.from_env().enrolment_days
    if not 1 <= days <= 365:
        raise CommandError("--days must be between 1 and 365")
    try:
        with database.write() as session:
            code = issue_code(session, args.urn, days)
    except UnknownEstablishment:
        raise CommandError(
            f"no establishment with URN {args.urn}: add it or import the register"
        ) from None
    record(database, "enrolment_code_issued", args.urn, f"valid {days} days")
    print(code)
    print(
        f"One-time code for {args.urn}, valid for {days} days. It is not stored: note it now.",
        file=sys.stderr,
    )
    return 0


def run_device_revoke(args: argparse.Namespace) -> int:
    database = open_database(args)
    with database.write() as session:
        found = revoke_device(session, args.device_id)
    if not found:
        raise CommandError(f"no device {args.device_id} (see `device list`)")
    record(database, "device_revoked", args.device_id)
    print(f"Revoked {args.device_id}.")
    return 0


def run_device_list(args: argparse.Namespace) -> int:
    with open_database(args).read() as session:
        devices = list_devices(session, args.urn)
    print("device_id\turn\tdevice_key_id\tname\tenrolled_at\trevoked_at")
    for d in devices:
        revoked = d.revoked_at.isoformat() if d.revoked_at else "-"
        print(
            f"{d.device_id}\t{d.urn}\t{d.device_key_id}\t{d.name}\t{d.enrolled_at.isoformat()}\t{revoked}"
        )
    return 0


def _template_from(args: argparse.Namespace) -> Template:
    if args.builtin:
        from school_audit.content import builtin_template

        try:
            return builtin_template(args.builtin, args.version)
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
    try:
        return load_template(read_template_file(args.file))
    except TemplateError as error:
        problems = "\n  ".join(str(p) for p in error.problems)
        raise CommandError(f"{args.file} is not a usable template:\n  {problems}") from None


def run_template_publish(args: argparse.Namespace) -> int:
    template = _template_from(args)
    if args.cycle is not None and not (len(args.cycle) == 7 and args.cycle[4] == "-"):
        raise CommandError("--cycle looks like 2025-26")
    database = open_database(args)
    try:
        with database.write() as session:
            created = publish_template(session, template, args.cycle)
    except PublishError as error:
        raise CommandError(str(error)) from None
    cycle = args.cycle or template.cycle
    if created:
        record(
            database, "template_published", f"{template.id} {template.version}", f"cycle {cycle}"
        )
    state = "Published" if created else "Already published"
    print(f"{state}: {template.id} {template.version} for {cycle} (sha256 {template.sha256})")
    return 0
