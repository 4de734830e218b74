"""Opening the store quickly for the desktop window.

`open_for_start(path)` returns at once with a `StartingStore` when the file is already at this
app's schema: the first reads (the last audit, its template, the list of audits) come from the
plain-sqlite3 `StoreReader`, and the full SQLAlchemy `Store` is opened by `warm_up()` in a
background thread. Everything else, every write included, goes to the full store and waits for it
if it is not open yet, so a save is never dropped or reordered: it is committed (or raises) before
the call returns, exactly as with `Store`. A new file, or one that needs upgrading, is opened the
ordinary way (`Store.open`) straight away.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from school_audit.domain.audit import Audit
from school_audit.domain.profile import EstablishmentProfile
from school_audit.store.pragmas import DEFAULT_BUSY_TIMEOUT_MS
from school_audit.store.reader import StoreReader
from school_audit.store.rows import StoredTemplate

if TYPE_CHECKING:
    from school_audit.store.sql_store import Store

log = logging.getLogger(__name__)


def open_for_start(
    path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> StartingStore | Store:
    """The store at `path`, ready to read as soon as possible (see the module docstring)."""
    reader = StoreReader.open(path, busy_timeout_ms)
    if reader is None:
        from school_audit.store.sql_store import Store

        return Store.open(path, busy_timeout_ms=busy_timeout_ms)
    return StartingStore(reader, busy_timeout_ms)


class StartingStore:
    """A `Store` whose first reads need no SQLAlchemy. Any attribute not defined here is the full
    store's (opened on first need, or earlier by `warm_up`)."""

    read_only = False

    def __init__(self, reader: StoreReader, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS):
        self.path = reader.path
        self._reader = reader
        self._busy_timeout_ms = busy_timeout_ms
        self._store: Store | None = None
        self._opening = threading.Lock()
        self._warm_up: threading.Thread | None = None

    # -- the full store --------------------------------------------------------------------------

    def full(self) -> Store:
        """The full store, opened here if `warm_up` has not done it (waiting for it if it is)."""
        with self._opening:
            if self._store is None:
                from school_audit.store.sql_store import Store

                self._store = Store.open(self.path, busy_timeout_ms=self._busy_timeout_ms)
            return self._store

    def warm_up(self) -> None:
        """Open the full store in a background thread (once), ready for the first save."""
        if self._warm_up is None:
            # Not a daemon: quitting waits for it rather than stopping it in the middle of an import.
            self._warm_up = threading.Thread(target=self._open_quietly, name="store-warm-up")
            self._warm_up.start()

    @property
    def is_warm(self) -> bool:
        return self._store is not None

    def _open_quietly(self) -> None:
        try:
            self.full()
        except Exception:
            # Not lost: the first call that needs the full store opens it again and raises.
            log.warning("Opening the store in the background failed", exc_info=True)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends probe for these: never open for them
            raise AttributeError(name)
        return getattr(self.full(), name)

    def close(self) -> None:
        if self._warm_up is not None:
            self._warm_up.join()
        with self._opening:
            if self._store is not None:
                self._store.close()

    # -- reads served before the full store is open ----------------------------------------------

    def _reads(self) -> Store | StoreReader:
        return self._store if self._store is not None else self._reader

    def audit_ids(self) -> list[uuid.UUID]:
        return self._reads().audit_ids()

    def load_audit(self, audit_id: uuid.UUID | str) -> Audit:
        return self._reads().load_audit(audit_id)

    def load_profile(self) -> EstablishmentProfile | None:
        return self._reads().load_profile()

    def stored_templates(self, setting_type: str | None = None) -> list[StoredTemplate]:
        return self._reads().stored_templates(setting_type)

    def stored_template(
        self, template_id: str, version: str, sha256: str | None = None
    ) -> StoredTemplate | None:
        return self._reads().stored_template(template_id, version, sha256)

    def outbox_state_of(self, audit_id: uuid.UUID | str) -> str | None:
        return self._reads().outbox_state_of(audit_id)
