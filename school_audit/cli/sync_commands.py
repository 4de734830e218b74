"""`school-audit enrol|seal|unseal|sign|send|status`: signed returns from the command line.

Sign-off follows the app's rule (services/sign_off_service.py): the DSL seals the audit, each
person named to `sign` signs the sealed content in person, and the audit is finalised once every
required role has signed (here, in the app, or by email).

Every expected failure (no enrolment, not ready, no keyring, network down, refused by the
collector, database busy) prints a plain message and exits non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import socket
import sys
import uuid
from collections.abc import Callable
from typing import Any

from school_audit.cli.store_access import while_app_closed
from school_audit.commands.registry import Commands

EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_WAITING, EXIT_REENROL = 0, 1, 2, 3, 4

# Command-line option -> sign-off role, in the order declarations are shown.
SIGNER_OPTIONS = [
    ("dsl", "dsl", "designated safeguarding lead"),
    ("head", "head_teacher", "head teacher"),
    ("chair", "chair_of_governors", "chair of governors"),
    ("proprietor", "proprietor", "proprietor (independent schools)"),
    ("safeguarding_governor", "safeguarding_governor", "safeguarding governor (optional)"),
    ("manager", "manager", "setting manager (early years)"),
    ("registered_person", "registered_person", "registered person (early years)"),
    ("childminder", "childminder", "childminder"),
]


def register(commands: Commands) -> None:
    enrol = commands.command("enrol", "enrol this computer with the local authority's collector")
    enrol.add_argument("url", help="the collector's address, e.g. https://audit.example.gov.uk")
    enrol.add_argument("code", help="the one-time enrolment code from the local authority")
    enrol.add_argument("--device-name", default=socket.gethostname(), help="a name for this PC")
    enrol.add_argument("--ca-bundle", help="certificate file of the local authority's own CA")
    enrol.add_argument("--dsl-email", metavar="ADDRESS",
                       help="the DSL's email address, for the LA's reminders and notices")  # fmt: skip
    enrol.set_defaults(handler=friendly(run_enrol))

    seal = commands.command("seal", "freeze a ready audit so that everyone signs the same content")
    seal.add_argument("audit_id", help="the audit's id")
    seal.set_defaults(handler=friendly(while_app_closed(run_seal)))

    unseal = commands.command("unseal", "let a sealed audit change again (voids its signatures)")
    unseal.add_argument("audit_id", help="the audit's id")
    unseal.set_defaults(handler=friendly(while_app_closed(run_unseal)))

    sign = commands.command("sign", "sign a sealed audit in person and put it in the outbox")
    sign.add_argument("audit_id", help="the audit's id")
    for option, _, label in SIGNER_OPTIONS:
        sign.add_argument(f"--{option.replace('_', '-')}", dest=option, metavar="NAME",
                          help=f"name of the {label}")  # fmt: skip
    sign.add_argument("--yes", action="store_true", help="accept the declarations shown")
    sign.set_defaults(handler=friendly(while_app_closed(run_sign)))

    send = commands.command("send", "send signed audits waiting in the outbox")
    send.add_argument("--attempts", type=int, default=5, help="tries per audit (default 5)")
    send.set_defaults(handler=friendly(run_send))

    status = commands.command("status", "show the outbox and the local authority's reviews")
    status.add_argument("--offline", action="store_true", help="do not ask the collector")
    status.set_defaults(handler=friendly(run_status))


def friendly(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run `handler`, turning the errors a user can meet into a message and an exit code."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except Exception as error:  # noqa: BLE001 - mapped to a message below
            message = _message_for(error)
            if message is None:
                raise
            print(message, file=sys.stderr)
            return EXIT_ERROR

    return run


def _message_for(error: Exception) -> str | None:
    from school_audit.credentials import KeyringUnavailable
    from school_audit.services.submission_errors import SealBroken
    from school_audit.services.submission_service import (
        EstablishmentMismatch,
        NotEnrolledError,
        NotReadyError,
        SignOffIncomplete,
    )
    from school_audit.store import AuditNotFound, AuditReadOnlyError, StoreError
    from school_audit.sync.errors import CollectorError

    if isinstance(error, CollectorError):
        return f"The collector could not be used: {error.describe()}"
    if isinstance(error, StoreError | AuditReadOnlyError):
        return f"{error.message} {error.what_to_do}"
    if isinstance(error, AuditNotFound):
        return f"No audit with id {error} on this computer."
    known = (KeyringUnavailable, NotEnrolledError, NotReadyError, SignOffIncomplete,
             EstablishmentMismatch, SealBroken, ValueError, FileNotFoundError, LookupError)  # fmt: skip
    return str(error) if isinstance(error, known) else None


def _service() -> Any:
    from school_audit.services.client import ClientServices

    return ClientServices.open_default().submission


def run_enrol(args: argparse.Namespace) -> int:
    service = _service()
    state = service.enrol(args.url, args.code, args.device_name, ca_bundle=args.ca_bundle,
                          dsl_email=args.dsl_email)  # fmt: skip
    place = state.establishment or {}
    print(f"Enrolled as {state.device_name!r} for {place.get('name', '?')} "
          f"(URN {place.get('urn', '?')}).")  # fmt: skip
    return EXIT_OK


def _signing() -> Any:
    from school_audit.services.sign_off_service import SignOffService

    return SignOffService(_service())


def _audit_id(text: str) -> uuid.UUID:
    if not _is_uuid(text):
        raise ValueError(f"{text!r} is not an audit id")
    return uuid.UUID(text)


def run_seal(args: argparse.Namespace) -> int:
    audit_id = _audit_id(args.audit_id)
    sealed = _signing().seal(audit_id)
    print(f"Sealed: the audit cannot change until it is unsealed.\n"
          f"Content fingerprint (SHA-256): {sealed.content_sha256}\n"
          f"Each person can now sign: school-audit sign {audit_id} --dsl NAME ...")  # fmt: skip
    return EXIT_OK


def run_unseal(args: argparse.Namespace) -> int:
    voided = _signing().unseal(_audit_id(args.audit_id))
    names = ", ".join(sorted({record.name for record in voided}))
    if names:
        print(f"Unsealed. These signatures are void and must be made again: {names}.")
    else:
        print("Unsealed: the audit can be changed.")
    return EXIT_OK


def run_sign(args: argparse.Namespace) -> int:
    from school_audit.domain.audit import SignOffRole
    from school_audit.domain.signatories import ROLE_LABELS

    audit_id = _audit_id(args.audit_id)
    chosen = [(SignOffRole(role), " ".join(getattr(args, option).split()))
              for option, role, _ in SIGNER_OPTIONS if getattr(args, option)]  # fmt: skip
    if not chosen:
        raise ValueError("name at least one signatory, e.g. --dsl 'Amira Okafor'")
    signing = _signing()
    submission = signing.submissions
    signing.require_seal(audit_id)  # people sign the sealed content, as in the app
    # Say what is missing before asking anyone: those signing now, with those who already have.
    now = {role for role, _ in chosen}
    earlier = [person for person in signing.sign_offs(audit_id) if person.role not in now]
    people = earlier + [submission.sign_off(role, name) for role, name in chosen]
    submission.check_finalise(audit_id, people)
    for person in earlier:
        print(f"{person.name} ({ROLE_LABELS[person.role]}) has signed already.")
    for role, name in chosen:
        print(f"{name} ({ROLE_LABELS[role]}) declares:\n  {signing.declaration(role)}\n")
    if not args.yes and not _confirm("Do all signatories agree to these declarations?"):
        print("Not signed.", file=sys.stderr)
        return EXIT_ERROR
    for role, name in chosen:
        signing.sign_here(audit_id, role, name)
    result = signing.finalise(audit_id)
    print(f"Signed. Submission {result.submission_id} is in the outbox; "
          f"run `school-audit send` to send it.")  # fmt: skip
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print("Add --yes to accept the declarations without a prompt.", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def run_send(args: argparse.Namespace) -> int:
    service = _service()
    report = service.send_now(
        progress=lambda done, seen, message: print(message),
        max_attempts_per_run=max(1, args.attempts),
    )
    print(f"Sent {len(report.sent)}; refused {len(report.refused)}; "
          f"waiting {len(report.waiting)}.")  # fmt: skip
    for sid, message in report.refused.items():
        print(f"Refused {sid}: {message}", file=sys.stderr)
    if report.reenrol_required:
        print("The collector no longer accepts this computer: enrol it again.", file=sys.stderr)
        return EXIT_REENROL
    if report.refused:
        return EXIT_REFUSED
    return EXIT_WAITING if report.waiting or report.cancelled else EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    service = _service()
    state = service.enrolment()
    if state.enrolled:
        place = state.establishment or {}
        print(f"Enrolled with {state.collector_url} as {state.device_name!r} "
              f"for URN {place.get('urn', '?')}.")  # fmt: skip
    else:
        print("Not enrolled: run `school-audit enrol URL CODE`.")
    if state.enrolled and not args.offline:
        _refresh(service)
    entries = service.outbox()
    if not entries:
        print("The outbox is empty.")
    for entry in entries:
        _print_entry(entry)
    return EXIT_OK


def _refresh(service: Any) -> None:
    from school_audit.sync.errors import CollectorError

    try:
        service.refresh_status()
    except CollectorError as error:
        print(f"Could not ask the collector ({error.describe()}); showing what is known.")


def _print_entry(entry: Any) -> None:
    item = entry.item
    state = "refused" if entry.refused else item.state
    review = f", review: {entry.review.status}" if entry.review else ""
    print(f"{item.submission_id}  audit {item.audit_id} rev {item.revision}  {state}"
          f" (attempts {item.attempts}){review}")  # fmt: skip
    if item.last_error and item.state != "sent":
        print(f"    last error: {item.last_error}")
    if entry.general_comment:
        print(f"    comment from the local authority: {entry.general_comment}")
    for standard_id, comment in entry.standard_comments.items():
        print(f"    on {standard_id}: {comment}")
