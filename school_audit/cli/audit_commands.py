"""`school-audit profile show|set`, `audit list|start|show|readiness|demo`, `data backups|restore`.

Every command opens the local store in the data folder (`--data-dir` or SCHOOL_AUDIT_HOME). A
store problem prints its message and what to do, and exits 2; never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from school_audit.cli.registry import Commands

if TYPE_CHECKING:
    from school_audit.domain.audit import Audit
    from school_audit.domain.template import Standard, Template
    from school_audit.services.audit_service import AuditService

EXIT_OK, EXIT_PROBLEM, EXIT_STORE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def register(commands: Commands) -> None:
    profile = commands.group("profile", "the establishment profile: show, set")
    profile.command("show", "show the establishment profile").set_defaults(
        handler=_guard(show_profile)
    )
    setter = profile.command("set", "create or change the establishment profile")
    _profile_arguments(setter)
    setter.set_defaults(handler=_guard(set_profile))

    audit = commands.group("audit", "audits on this computer: list, start, show, readiness, demo")
    audit.command("list", "list the audits").set_defaults(handler=_guard(list_audits))
    start = audit.command("start", "start this cycle's audit")
    start.add_argument("--template", dest="template_id", help="template id (default: the newest)")
    start.add_argument("--version", dest="template_version", help="template version")
    start.add_argument(
        "--from-previous", action="store_true", help="carry forward last cycle's audit"
    )
    start.add_argument(
        "--prefill", action="store_true", help="with --from-previous: pre-fill answers"
    )
    start.set_defaults(handler=_guard(start_audit))
    for name, handler, text in (
        ("show", show_audit, "progress by section, with red/amber/green counts"),
        ("readiness", audit_readiness, "what stops sign-off (exit 1 if anything blocks)"),
    ):
        command = audit.command(name, text)
        command.add_argument("audit_id", metavar="AUDIT_ID", help="the id, or its first characters")
        command.set_defaults(handler=_guard(handler))
    demo = audit.command("demo", "a fictional first school with a partly completed audit")
    demo.set_defaults(handler=_guard(make_demo))

    data = commands.group("data", "the database file: its copies, and restoring one")
    data.command("backups", "list the copies of the database, newest first").set_defaults(
        handler=_guard(list_backup_copies)
    )
    restore = data.command("restore", "set the database aside and put a copy in its place")
    restore.add_argument("backup", metavar="BACKUP", help="a file listed by `data backups`")
    restore.set_defaults(handler=_guard(restore_copy))


def _profile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--urn", help="unique reference number (6 or 7 digits; EY for early years)")
    parser.add_argument("--name", help="the establishment's name")
    parser.add_argument("--setting-type", choices=["school", "early_years"])
    parser.add_argument("--phase", help="e.g. primary, first, secondary, day_nursery, childminder")
    parser.add_argument("--la-code", help="local authority code, e.g. 885")
    parser.add_argument("--district")
    parser.add_argument(
        "--flag", action="append", default=[], metavar="FLAG", help="set a flag (repeatable)"
    )
    parser.add_argument(
        "--clear-flag", action="append", default=[], metavar="FLAG", help="clear a flag"
    )
    parser.add_argument("--dsl-name", help="the designated safeguarding lead's name")
    parser.add_argument("--head-name", help="the head teacher's (or manager's) name")
    parser.add_argument("--chair-name", help="the chair of governors' name")


def _guard(handler: Handler) -> Handler:
    """Turn the errors a user can meet into a message and an exit code."""

    @functools.wraps(handler)
    def guarded(args: argparse.Namespace) -> int:
        from school_audit.services.audit_service import NoProfileError, TemplateNotFound
        from school_audit.store import AuditNotFound, AuditReadOnlyError, StoreError

        try:
            return handler(args)
        except StoreError as error:
            return _fail(f"{error.message}\n{error.what_to_do}", EXIT_STORE)
        except AuditReadOnlyError as error:
            return _fail(f"{error.message} {error.what_to_do}", EXIT_PROBLEM)
        except AuditNotFound as error:
            return _fail(f"There is no audit {error}. See `school-audit audit list`.", EXIT_PROBLEM)
        except (NoProfileError, TemplateNotFound, LookupError, ValueError) as error:
            return _fail(str(error), EXIT_PROBLEM)

    return guarded


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


@contextmanager
def _service() -> Iterator[AuditService]:
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    store = Store.open_default()
    try:
        yield AuditService(store)
    finally:
        store.close()


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


# --- profile -----------------------------------------------------------------------------------


def show_profile(args: argparse.Namespace) -> int:
    with _service() as service:
        profile = service.profile()
    if profile is None:
        return _fail(
            "No profile yet. Set one with `school-audit profile set --urn ... --name ...`.",
            EXIT_PROBLEM,
        )
    flags = ", ".join(sorted(k for k, v in profile.flags.items() if v)) or "none"
    rows = [
        ("URN", profile.urn), ("Name", profile.name), ("Setting", profile.setting_type.value),
        ("Phase", profile.phase), ("LA code", profile.la_code or "-"),
        ("District", profile.district or "-"), ("Flags", flags),
        ("DSL", profile.dsl.name or "-"), ("Head", profile.head.name or "-"),
        ("Chair of governors", profile.chair_of_governors.name or "-"),
    ]  # fmt: skip
    _table([(f"{label}:", value) for label, value in rows])
    return EXIT_OK


def set_profile(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from school_audit.domain.profile import EstablishmentProfile

    with _service() as service:
        current = service.profile()
        data = current.model_dump() if current else {}
        try:
            data = _apply_profile_arguments(data, args)
            profile = EstablishmentProfile.model_validate(data)
        except ValidationError as error:
            problems = [
                f"  - {'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}"
                for e in error.errors()
            ]
            return _fail("The profile was not saved:\n" + "\n".join(problems), EXIT_PROBLEM)
        service.save_profile(profile)
    print(f"Saved the profile of {profile.name} (URN {profile.urn}).")
    return EXIT_OK


def _apply_profile_arguments(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from school_audit.domain.setting import PROFILE_FLAGS, SettingType, phases_for

    for field in ("urn", "name", "setting_type", "phase", "la_code", "district"):
        if getattr(args, field) is not None:
            data[field] = getattr(args, field)
    for key, value in (
        ("dsl", args.dsl_name),
        ("head", args.head_name),
        ("chair_of_governors", args.chair_name),
    ):
        if value is not None:
            data[key] = {**data.get(key, {}), "name": value}
    unknown = [f for f in args.flag + args.clear_flag if f not in PROFILE_FLAGS]
    if unknown:
        raise ValueError(f"Unknown flag {unknown[0]!r}. Flags: {', '.join(PROFILE_FLAGS)}.")
    data["flags"] = {
        **data.get("flags", {}),
        **dict.fromkeys(args.flag, True),
        **dict.fromkeys(args.clear_flag, False),
    }
    setting = data.get("setting_type")
    if setting in ("school", "early_years") and data.get("phase") not in phases_for(
        SettingType(setting)
    ):
        phases = ", ".join(phases_for(SettingType(setting)))
        raise ValueError(f"Phase {data.get('phase')!r} is not one of: {phases}.")
    return data


# --- audits ------------------------------------------------------------------------------------


def list_audits(args: argparse.Namespace) -> int:
    with _service() as service:
        summaries = service.audits()
    if not summaries:
        print("No audits yet. Start one with `school-audit audit start` (or try `audit demo`).")
        return EXIT_OK
    rows = [("ID", "CYCLE", "STATE", "REV", "ANSWERED", "BLOCKING", "OUTBOX", "TEMPLATE")]
    rows += [
        (str(s.audit_id), s.cycle, s.state.value, str(s.revision), f"{s.answered}/{s.total}",
         str(s.blocking), s.outbox_state or "-", s.template_title)
        for s in summaries
    ]  # fmt: skip
    _table(rows)
    return EXIT_OK


def start_audit(args: argparse.Namespace) -> int:
    with _service() as service:
        template = _choose_template(
            service.available_templates(), args.template_id, args.template_version
        )
        previous = _previous_audit(service, template.cycle) if args.from_previous else None
        if args.from_previous and previous is None:
            return _fail(
                f"There is no audit from a cycle before {template.cycle} to carry forward.",
                EXIT_PROBLEM,
            )
        audit = service.start_audit(template, carry_forward_from=previous, prefill=args.prefill)
    print(f"Started audit {audit.audit_id} ({template.title}, {template.cycle}).")
    if audit.answer_afresh:
        print(
            f"{len(audit.answer_afresh)} standards changed since last year and need answering afresh."
        )
    return EXIT_OK


def _choose_template(
    templates: list[Template], template_id: str | None, version: str | None
) -> Template:
    matches = [t for t in templates if template_id in (None, t.id) and version in (None, t.version)]
    if not matches:
        wanted = " ".join(filter(None, [template_id, version])) or "for this setting"
        raise LookupError(
            f"No template {wanted} on this computer. See `school-audit template list`."
        )
    return max(matches, key=lambda t: (t.cycle, t.version))


def _previous_audit(service: AuditService, cycle: str) -> uuid.UUID | None:
    earlier = [s for s in service.audits() if s.cycle < cycle]
    return max(earlier, key=lambda s: s.cycle).audit_id if earlier else None


def _find_audit(service: AuditService, text: str) -> uuid.UUID:
    matches = [s.audit_id for s in service.audits() if str(s.audit_id).startswith(text.lower())]
    if len(matches) != 1:
        raise LookupError(
            f"{'No' if not matches else 'More than one'} audit matches {text!r}. "
            "See `school-audit audit list`."
        )
    return matches[0]


def show_audit(args: argparse.Namespace) -> int:
    with _service() as service:
        audit = service.load(_find_audit(service, args.audit_id))
        template = service.template_of(audit)
    print(
        f"{audit.profile.name} - {template.title} ({audit.cycle}), {audit.state.value}, revision {audit.revision}"
    )
    rows: list[tuple[str, ...]] = [
        ("SECTION", "ANSWERED", "MET", "PARTLY", "NOT MET", "N/A", "TITLE")
    ]
    applicable = {s.id for s in _applicable(audit, template)}
    for section in template.sections:
        rated = [s for s in section.standards if s.is_rated and s.id in applicable]
        if not rated:
            continue
        counts = Counter(audit.response(s.id).rating for s in rated)
        answered = len(rated) - counts[None]
        rows.append(
            (
                section.id,
                f"{answered}/{len(rated)}",
                *(str(counts[r]) for r in _ORDER),
                section.title,
            )
        )
    _table(rows)
    return EXIT_OK


def _applicable(audit: Audit, template: Template) -> list[Standard]:
    return template.applicable(audit.profile.phase, audit.profile.flags)


def audit_readiness(args: argparse.Namespace) -> int:
    from school_audit.domain.readiness import describe, is_ready

    with _service() as service:
        problems = service.readiness(_find_audit(service, args.audit_id))
    for problem in problems:
        print(f"{problem.standard_id:>8}  {problem.severity.value:<8}  {describe(problem)}")
    blocking = sum(1 for p in problems if p.blocking)
    print(
        f"{blocking} blocking, {len(problems) - blocking} warnings."
        if problems
        else "Ready to sign."
    )
    return EXIT_OK if is_ready(problems) else EXIT_PROBLEM


def make_demo(args: argparse.Namespace) -> int:
    from school_audit.cli.audit_demo import DEMO_PROFILE, demo_template, fill_demo_answers
    from school_audit.services.catalogue import builtin_templates_or_none

    template = demo_template(builtin_templates_or_none())
    if template is None:
        return _fail(
            "There is no built-in school template in this installation, so no demo.", EXIT_PROBLEM
        )
    with _service() as service:
        current = service.profile()
        if current is not None and current.urn != DEMO_PROFILE.urn:
            return _fail(
                f"This data folder already holds {current.name}'s profile: the demo will not touch it.\n"
                "Run the demo in an empty folder, e.g. `school-audit --data-dir ./demo audit demo`.",
                EXIT_PROBLEM,
            )
        service.save_profile(DEMO_PROFILE)
        audit = service.start_audit(template)
        fill_demo_answers(audit, template, date.today())
        for response in audit.responses.values():
            service.save_response(audit.audit_id, response)
        for action in audit.actions:
            service.save_action(audit.audit_id, action)
        summary = service.summary(audit.audit_id)
    print(
        f"Demo: {DEMO_PROFILE.name}, audit {audit.audit_id} on {template.title} ({template.cycle}),"
    )
    print(
        f"{summary.answered} of {summary.total} standards answered, {len(audit.actions)} actions."
    )
    return EXIT_OK


def list_backup_copies(args: argparse.Namespace) -> int:
    from school_audit import paths
    from school_audit.store import list_backups

    copies = list_backups()
    if not copies:
        print(f"No copies in {paths.backups_dir()} yet (one is taken before every upgrade).")
    for copy in copies:
        print(copy)
    return EXIT_OK


def restore_copy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from school_audit.store import Store

    backup = Path(args.backup)
    if not backup.is_file():
        return _fail(f"There is no file {backup}. See `school-audit data backups`.", EXIT_PROBLEM)
    store, damaged = Store.restore_backup(backup)
    store.close()
    print(f"Restored {backup.name}. The previous database was kept as {damaged}.")
    return EXIT_OK


def _rating_order() -> list[Any]:
    from school_audit.domain.audit import Rating

    return [Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET, Rating.NOT_APPLICABLE]


_ORDER = _rating_order()
