"""The one place the client is put together: the store opened once, every service over it.

The desktop window and the command line both start here, so they share one store and one template
catalogue: the submission service finds an audit's template in the same catalogue the audit
service filled, instead of building its own. The UI reaches the store only through this (an
import-linter contract in pyproject.toml keeps `ui` from importing `store`).

Nothing heavy is imported until it is needed: opening for the window's first screen reads with
plain sqlite3 (`store.startup`), the HTTP and crypto stacks load with the submission service, and
ReportLab with the first report.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from school_audit.services.audit_service import AuditService
from school_audit.store.startup import open_for_start

if TYPE_CHECKING:
    from school_audit.services.submission_service import SubmissionService
    from school_audit.store import Store


class ClientServices:
    """The services of one data folder's store. Safe to share between the window's two lanes:
    the submission service is built once, whichever lane asks first."""

    def __init__(self, audits: AuditService, today: Callable[[], date] = date.today) -> None:
        self.audits = audits
        self._today = today
        self._submission: SubmissionService | None = None
        self._building = threading.Lock()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open_for_start(cls, path: Path, today: Callable[[], date] = date.today) -> ClientServices:
        """For the window: the store ready to read at once, SQLAlchemy loaded later."""
        # A StartingStore answers as a Store does (what it lacks comes from the full store, opened
        # on first need), so the service takes it as one.
        store = cast("Store", open_for_start(path))
        return cls(AuditService(store, today), today)

    @classmethod
    def open_default(cls, today: Callable[[], date] = date.today) -> ClientServices:
        """For a command: the store in the data folder, opened in full."""
        from school_audit.store import Store

        return cls(AuditService(Store.open_default(), today), today)

    @staticmethod
    def copies_to_restore(error: BaseException) -> list[Path]:
        """The good copies to offer when `error` says the database file is damaged (else [])."""
        from school_audit.store import DatabaseCorrupt, list_backups

        return list(list_backups()) if isinstance(error, DatabaseCorrupt) else []

    @classmethod
    def restore(cls, copy: Path, today: Callable[[], date] = date.today) -> tuple[Any, Path]:
        """Put `copy` in place (the damaged file is kept aside): the services and where the
        damaged file went."""
        from school_audit.store import Store

        store, damaged = Store.restore_backup(copy)
        return cls(AuditService(store, today), today), damaged

    @property
    def store(self) -> Store:
        return self.audits.store

    def close(self) -> None:
        self.store.close()

    # -- the services --------------------------------------------------------------------------

    @property
    def submission(self) -> SubmissionService:
        """Enrolment, sign-off and the outbox (imports the HTTP stack on first use)."""
        with self._building:
            if self._submission is None:
                from school_audit.services.submission_service import SubmissionService

                self._submission = SubmissionService(self.store, audits=self.audits)
            return self._submission

    def governors_report(self, audit_id: uuid.UUID, path: Path | None = None) -> Path:
        """Write the governors' PDF of the audit; returns where it went."""
        from school_audit.services.report_service import export_governors_report

        return export_governors_report(self.audits, audit_id, path, today=self._today)

    def enrolled_establishment(self) -> dict[str, Any] | None:
        """The establishment the LA's enrolment answer named (URN, name, setting type, phase,
        LA code, district), or None when this computer is not enrolled."""
        import json

        from school_audit.sync.enrolment import DEVICE_ID, ESTABLISHMENT

        if not self.store.get_setting(DEVICE_ID):
            return None
        try:
            found = json.loads(self.store.get_setting(ESTABLISHMENT) or "null")
        except ValueError:
            return None
        return found if isinstance(found, dict) and found.get("urn") else None

    # -- what the LA said back -----------------------------------------------------------------

    def notices(self, summaries: list[Any] | None = None) -> list[Any]:
        """Home's notices (received, accepted, returned; the feedback letter), from the store.
        Given Home's `summaries`, nothing more is read unless one of them was sent: a start-up
        with drafts only stays on the quick reader (`store.startup`)."""
        from school_audit.services.notices import SENT_STATES, home_notices

        if summaries is not None and not any(str(s.state) in SENT_STATES for s in summaries):
            return []
        store = getattr(self.audits, "store", None)
        return home_notices(store, self._today()) if store is not None else []

    def fetch_feedback_letter(self, submission_id: str, folder: Path | None = None) -> Path:
        """Download the LA's feedback letter on a return into the data folder's `letters`
        (network: the window's network lane only); returns the file."""
        from school_audit import paths

        target = folder or paths.data_dir() / "letters"
        return self.submission.fetch_feedback_letter(submission_id, target)
