"""A mail worker in its own process that kills itself (SIGKILL) at one step of one send.

python -m tests.collector_mail.crashing_worker DB_URL HOME SMTP_PORT STEP MESSAGE_ID [HOURS_AHEAD]

HOURS_AHEAD runs its clock that far ahead (past the lease a worker killed earlier left behind).
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import timedelta

from school_audit.collector.db import Database
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.worker import MailWorker
from school_audit.collector.settings import CollectorSettings
from tests.collector_mail.conftest import mail_settings


def main(url: str, home: str, port: str, step: str, victim: str, hours: str = "0") -> None:
    settings = CollectorSettings(home=home, database_url=url, **mail_settings(int(port)))

    def hook(reached: str, message_id: str) -> None:
        if reached == step and message_id == victim:
            os.kill(os.getpid(), signal.SIGKILL)

    ahead = timedelta(hours=float(hours))
    MailWorker(Database(url), settings, hook=hook, clock=lambda: utc_now() + ahead).run_once()


if __name__ == "__main__":
    main(*sys.argv[1:])
