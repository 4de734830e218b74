"""Mail commands: prove the relay settings, send the queue, see failures, keep contacts."""

from __future__ import annotations

import argparse
import threading
from datetime import datetime

from school_audit.collector.cli.common import CommandError, friendly, open_database, settings_from
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    mail = commands.group("mail", "Outgoing mail through the LA's SMTP relay.")
    test = mail.command("test", "Send a test message now (not queued) to prove the settings.")
    test.add_argument("address")
    test.set_defaults(handler=friendly(run_mail_test))
    send = mail.command("send", "Send the queued mail that is due (for a timer or a service).")
    send.add_argument("--loop", action="store_true", help="keep running, every --interval seconds")
    send.add_argument("--interval", type=float, default=30.0)
    send.set_defaults(handler=friendly(run_mail_send))
    status = mail.command("status", "Queued, sent and failed mail; failures with the address.")
    status.set_defaults(handler=friendly(run_mail_status))
    retry = mail.command("retry", "Queue failed messages again (after fixing what was wrong).")
    retry.add_argument("ids", nargs="+", type=int, metavar="ID", help="as `mail status` shows")
    retry.set_defaults(handler=friendly(run_mail_retry))
    contact = commands.group("contact", "Who gets mail: each setting's DSL, head and chair.")
    setting = contact.command("set", "Set or correct one address (audit-logged).")
    setting.add_argument("urn")
    setting.add_argument("--role", required=True, choices=["dsl", "head", "chair"])
    setting.add_argument("--email", required=True)
    setting.add_argument("--name")
    setting.set_defaults(handler=friendly(run_contact_set))
    listing = contact.command("list", "List addresses on file (and any the relay refused).")
    listing.add_argument("--urn")
    listing.set_defaults(handler=friendly(run_contact_list))


def run_mail_test(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.compose import TemplateProblem, build_message
    from school_audit.collector.mail.config import MailNotConfigured, SmtpConfig, is_address
    from school_audit.collector.mail.queue import new_message_id
    from school_audit.collector.mail.transport import SendFailure, SmtpTransport

    settings = settings_from(args)
    if not is_address(args.address):
        raise CommandError(f"{args.address!r} is not an email address")
    try:
        config = SmtpConfig.from_settings(settings)
        context = {"recipient_name": "", "establishment_name": "", "urn": "", "cycle": ""}
        raw = build_message(settings, kind="test", context=context, message_id=new_message_id(),
                            to_address=args.address, when=datetime.now().astimezone())  # fmt: skip
        with SmtpTransport(config) as smtp:
            smtp.send(raw, args.address)
    except (MailNotConfigured, TemplateProblem, SendFailure) as error:
        raise CommandError(str(error)) from None
    print(
        f"{config.host}:{config.port} ({config.security}) accepted a test message to {args.address}."
    )
    if not settings.mail_link:
        print("Note: SCHOOL_AUDIT_COLLECTOR_MAIL_LINK is not set, so messages carry no link.")
    if not settings.public_url:
        print(
            "Note: SCHOOL_AUDIT_COLLECTOR_PUBLIC_URL is not set, so remote signing is refused "
            "(no signing link can be built)."
        )
    return 0


def run_mail_send(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.config import MailNotConfigured
    from school_audit.collector.mail.worker import MailWorker

    worker = MailWorker(open_database(args), settings_from(args))
    try:
        if args.loop:
            worker.run_forever(threading.Event(), args.interval)
            return 0
        report = worker.run_once()
    except MailNotConfigured as error:
        raise CommandError(str(error)) from None
    print(
        f"{report.sent} sent, {len(report.retrying)} to retry later, {len(report.failed)} failed."
    )
    for address, why in report.retrying:
        print(f"RETRY {address}: {why}")
    for address, why in report.failed:
        print(f"FAILED {address}: {why}")
    return 3 if report.failed else 0


def run_mail_status(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.status import mail_summary

    with open_database(args).read() as session:
        summary = mail_summary(session)
    print(f"{summary.queued} queued, {summary.sent} sent, {len(summary.failed)} failed.")
    for failed in summary.failed:
        print(
            f"FAILED #{failed.id} {failed.urn or '-'} {failed.role or ''} {failed.address}: {failed.error}"
        )
    return 0


def run_mail_retry(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.status import requeue

    with open_database(args).write() as session:
        done = requeue(session, args.ids, actor="cli")
    missing = sorted(set(args.ids) - set(done))
    print(f"{len(done)} message(s) queued again.")
    if missing:
        raise CommandError(f"no failed message with id {', '.join(map(str, missing))}")
    return 0


def run_contact_set(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.contacts import ContactError, set_contact

    try:
        with open_database(args).write() as session:
            set_contact(
                session, args.urn.strip(), args.role, args.email, actor="cli", name=args.name
            )
    except ContactError as error:
        raise CommandError(str(error)) from None
    print(f"{args.urn} {args.role}: {args.email.strip()}")
    return 0


def run_contact_list(args: argparse.Namespace) -> int:
    from school_audit.collector.mail.contacts import list_contacts

    with open_database(args).read() as session:
        for row in list_contacts(session, args.urn):
            bounced = (
                f"  REFUSED {row.bounced_at:%Y-%m-%d}: {row.bounce_reason}"
                if row.bounced_at
                else ""
            )
            print(f"{row.urn}\t{row.role}\t{row.email}\t{row.name or ''}\t({row.source}){bounced}")
    return 0
