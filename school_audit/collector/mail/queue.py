"""Putting a message in the outgoing-mail table, inside the caller's transaction.

Only the facts a template needs are stored (names, dates, the cycle): never answer text, a
child's data or a token. The Message-ID is fixed here, once: whatever happens later, every copy
the relay ever gets of this message carries it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import OutgoingMail
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.contacts import Recipient

MESSAGE_ID_DOMAIN = "school-audit.collector"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{MESSAGE_ID_DOMAIN}>"


def enqueue(
    session: Session,
    kind: str,
    recipient: Recipient,
    context: dict[str, Any],
    *,
    urn: str | None = None,
    cycle: str | None = None,
    now: datetime | None = None,
) -> str:
    """Queue one message to one recipient (one per row: a refusal names one address); returns
    its Message-ID. A Core insert: the ingest queues a notice per return, and the ORM's unit of
    work would cost it more than the row itself."""
    when = now or utc_now()
    facts = {**context, "recipient_name": recipient.name, "recipient_role": recipient.role}
    message_id = new_message_id()
    session.execute(
        insert(OutgoingMail).values(
            message_id=message_id,
            kind=kind,
            urn=urn,
            cycle=cycle,
            role=recipient.role,
            to_address=recipient.email,
            context=json.dumps(facts, sort_keys=True, default=str),
            status="queued",
            attempts=0,
            unfinished_sends=0,
            next_attempt_at=when,
            created_at=when,
        )
    )
    return message_id


# Facts that let the recipient act (a signing link, a one-time code): a queued row must hold them
# until the message is sent, and not a moment longer (collector/sign_off_requests.py).
SECRET_FACTS = ("sign_link", "code", "reset_link")


def forget_secrets(row: OutgoingMail) -> None:
    """Once a message is sent or given up: drop its bytes and any secret fact it was made from."""
    facts = json.loads(row.context)
    if not any(name in facts for name in SECRET_FACTS):
        return
    row.raw = None
    row.context = json.dumps({k: v for k, v in facts.items() if k not in SECRET_FACTS},
                             sort_keys=True, default=str)  # fmt: skip
