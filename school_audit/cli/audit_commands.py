"""`school-audit audit list|start|show|readiness|demo` (and, through their modules, `profile`
and `data`).

Every command opens the local store in the data folder (`--data-dir` or SCHOOL_AUDIT_HOME). A
store problem prints its message and what to do, and exits 2; never a traceback.
"""

from __future__ import annotations

import argparse
import uuid
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from school_audit.cli import data_commands, profile_commands
from school_audit.cli.store_access import (
    EXIT_OK,
    EXIT_PROBLEM,
    fail,
    guard,
    open_service,
    table,
    while_app_closed,
)
from school_audit.commands.registry import Commands

if TYPE_CHECKING:
    from school_audit.domain.audit import Audit
    from school_audit.domain.template import Standard, Template
    from school_audit.services.audit_service import AuditService


def register(commands: Commands) -> None:
    # The profile and data groups live in their own modules; registering them from here keeps
    # cli/main.py's module list as it is.
    profile_commands.register(commands)
    data_commands.register(commands)
    audit = commands.group("audit", "audits on this computer: list, start, show, readiness, demo")
    audit.command("list", "list the audits").set_defaults(handler=guard(list_audits))
    start = audit.command("start", "start this cycle's audit")
    start.add_argument("--template", dest="template_id", help="template id (default: the newest)")
    start.add_argument("--version", dest="template_version", help="template version")
    start.add_argument(
        "--from-previous", action="store_true", help="carry forward last cycle's audit"
    )
    start.add_argument(
        "--prefill", action="store_true", help="with --from-previous: pre-fill answers"
    )
    start.set_defaults(handler=guard(while_app_closed(start_audit)))
    for name, handler, text in (
        ("show", show_audit, "progress by section, with red/amber/green counts"),
        ("readiness", audit_readiness, "what stops sign-off (exit 1 if anything blocks)"),
    ):
        command = audit.command(name, text)
        command.add_argument("audit_id", metavar="AUDIT_ID", help="the id, or its first characters")
        command.set_defaults(handler=guard(handler))
    demo = audit.command("demo", "a fictional first school with a partly completed audit")
    demo.set_defaults(handler=guard(while_app_closed(make_demo)))


# --- audits ------------------------------------------------------------------------------------


def list_audits(args: argparse.Namespace) -> int:
    with open_service() as service:
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
    table(rows)
    return EXIT_OK


def start_audit(args: argparse.Namespace) -> int:
    with open_service() as service:
        template = _choose_template(
            service.available_templates(), args.template_id, args.template_version
        )
        previous = _previous_audit(service, template.cycle) if args.from_previous else None
        if args.from_previous and previous is None:
            return fail(
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
    with open_service() as service:
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
    table(rows)
    return EXIT_OK


def _applicable(audit: Audit, template: Template) -> list[Standard]:
    return audit.applicable_standards(template)


def audit_readiness(args: argparse.Namespace) -> int:
    from school_audit.domain.readiness import describe, is_ready

    with open_service() as service:
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
    from school_audit.cli.audit_demo import DEMO_PROFILE, SHARE_ANSWERED, demo_template
    from school_audit.services.catalogue import builtin_templates_or_none
    from school_audit.services.demo_audits import fill

    template = demo_template(builtin_templates_or_none())
    if template is None:
        return fail(
            "There is no built-in school template in this installation, so no demo.", EXIT_PROBLEM
        )
    with open_service() as service:
        current = service.profile()
        if current is not None and current.urn != DEMO_PROFILE.urn:
            return fail(
                f"This data folder already holds {current.name}'s profile: the demo will not touch it.\n"
                "Run the demo in an empty folder, e.g. `school-audit --data-dir ./demo audit demo`.",
                EXIT_PROBLEM,
            )
        service.save_profile(DEMO_PROFILE)
        audit = service.start_audit(template)
        fill(service, audit, template, date.today(), SHARE_ANSWERED)
        summary = service.summary(audit.audit_id)
        actions = len(service.load(audit.audit_id).actions)
    print(
        f"Demo: {DEMO_PROFILE.name}, audit {audit.audit_id} on {template.title} ({template.cycle}),"
    )
    print(f"{summary.answered} of {summary.total} standards answered, {actions} actions.")
    return EXIT_OK


def _rating_order() -> list[Any]:
    from school_audit.domain.audit import Rating

    return [Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET, Rating.NOT_APPLICABLE]


_ORDER = _rating_order()
