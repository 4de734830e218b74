"""A school's computer for end-to-end tests: its own data folder, real store, real HTTP client."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from school_audit.domain.audit import Audit, Rating, Response, SignOffRole
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template_loading import load_template
from school_audit.services.submission_service import FinaliseResult, SubmissionService
from school_audit.store import Store
from school_audit.sync.http import HttpSettings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class ShiftedClock:
    """Real time plus whatever the code under test "slept": waits cost no wall-clock time."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._offset += timedelta(seconds=seconds)


class School:
    def __init__(self, folder: Path, urn: str, *, http: HttpSettings | None = None,
                 clock: ShiftedClock | None = None) -> None:  # fmt: skip
        self.urn = urn
        self.clock = clock or ShiftedClock()
        self.store = Store.open(folder / "audit.sqlite3", backups=folder / "backups")
        self.service = SubmissionService(
            self.store, http=http, now=self.clock.now, sleep=self.clock.sleep
        )
        self.template = load_template((FIXTURES / "mini_school_template.json").read_bytes())
        self.store.save_template(self.template, "file")
        self.profile = EstablishmentProfile(
            urn=urn, name=f"School {urn}", setting_type="school", phase="first", la_code="885",
            district="Redditch", flags={"has_eyfs": True},
        )  # fmt: skip

    def complete_audit(self) -> uuid.UUID:
        audit = Audit.start(self.template, self.profile)
        trained = self.clock.now().date() - timedelta(days=60)
        for standard in self.template.applicable(self.profile.phase, self.profile.flags):
            if standard.is_rated:
                audit.responses[standard.id] = Response(
                    standard_id=standard.id, rating=Rating.MET, evidence="Minutes, spring term",
                    dates={field.key: trained for field in standard.dates},
                )  # fmt: skip
        self.store.create_audit(audit)
        return audit.audit_id

    def sign(self, audit_id: uuid.UUID) -> FinaliseResult:
        service = self.service
        people = [
            service.sign_off(SignOffRole.DSL, "Amira Okafor"),
            service.sign_off(SignOffRole.HEAD_TEACHER, "Gareth Lloyd"),
            service.sign_off(SignOffRole.CHAIR_OF_GOVERNORS, "Zoë Łukasiewicz"),
        ]
        return service.finalise(audit_id, people)

    def close(self) -> None:
        self.store.close()
