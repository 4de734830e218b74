"""The desktop client's local store: one SQLite file holding the profile, audits and outbox.

    store = Store.open()              # paths.database_path(), created or upgraded as needed
    store.save_response(audit_id, response)   # committed before it returns

See docs/local-store.md for the guarantees and what each error means.

`Store` (SQLAlchemy Core) is imported on first use: SQLAlchemy takes a third of a second to load,
and the desktop window shows the last audit before that through `startup.open_for_start`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from school_audit.store import backups
from school_audit.store.errors import (
    AuditNotFound,
    AuditReadOnlyError,
    AuditSealedError,
    DatabaseCorrupt,
    DatabaseEmpty,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    StoreError,
    WrongAuditState,
)
from school_audit.store.rows import StoredTemplate

if TYPE_CHECKING:
    from school_audit.store.outbox_records import OutboxItem, ReviewStatus
    from school_audit.store.sql_store import Store, remove_copy

__all__ = [
    "AuditNotFound",
    "AuditReadOnlyError",
    "AuditSealedError",
    "DatabaseCorrupt",
    "DatabaseEmpty",
    "DatabaseLocked",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DiskFull",
    "OutboxItem",
    "ReviewStatus",
    "Store",
    "StoreError",
    "StoredTemplate",
    "WrongAuditState",
    "list_backups",
    "remove_copy",
]

list_backups = backups.list_backups

# Names that need SQLAlchemy, and the module that defines each.
_LOADED_ON_USE = {
    "Store": "school_audit.store.sql_store",
    "remove_copy": "school_audit.store.sql_store",
    "OutboxItem": "school_audit.store.outbox_records",
    "ReviewStatus": "school_audit.store.outbox_records",
}


def __getattr__(name: str) -> Any:
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
