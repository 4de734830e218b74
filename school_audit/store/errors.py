"""Typed errors of the local store, each with a plain-English message and what to do next.

`translate` turns the driver's exceptions (sqlite3 or SQLAlchemy wrapping it) into these, by the
SQLite result code where Python gives one and by the message text otherwise.
"""

from __future__ import annotations

import sqlite3
import sys


class StoreError(Exception):
    """Something stopped the local database working. Nothing the caller holds is lost."""

    default_message = "The audit database could not be used."
    default_what_to_do = "Try again. If it keeps happening, restart the app."

    def __init__(self, message: str | None = None, what_to_do: str | None = None) -> None:
        self.message = message or self.default_message
        self.what_to_do = what_to_do or self.default_what_to_do
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} {self.what_to_do}"


class DatabaseLocked(StoreError):
    default_message = "The audit database is busy: another program is using it."
    default_what_to_do = (
        "Close any other copy of the app (or a backup or sync program holding the file), "
        "then try again. Your last change is kept on screen until it is saved."
    )


class DatabaseReadOnly(StoreError):
    default_message = "The audit database cannot be written: the file or its folder is read-only."
    default_what_to_do = (
        "Check that you may write to the data folder (it may be on a read-only drive or share), "
        "or choose another folder with --data-dir. Your last change is kept on screen."
    )


class DiskFull(StoreError):
    default_message = "The disk holding the audit database is full."
    default_what_to_do = (
        "Free some space on the disk, then try again. Everything saved before this is safe."
    )


class DatabaseCorrupt(StoreError):
    default_message = "The audit database file is damaged."
    default_what_to_do = (
        "Open the last good copy (the app keeps one before every upgrade). The damaged file is "
        "kept aside, never overwritten; send it to your local authority's support team."
    )


class DatabaseEmpty(DatabaseCorrupt):
    """The file is there but holds nothing (0 bytes). SQLite would happily treat it as a new,
    empty database; it is damage (a sync program, a failed copy or a disk fault emptied it) and is
    reported as such, so the app never quietly starts again over a school's lost answers."""

    default_message = "The audit database file is empty (0 bytes): its contents have been lost."
    default_what_to_do = (
        "Restore the last good copy (the app keeps one before every upgrade); the empty file is "
        "kept aside, never overwritten. If this computer never held any answers, move the empty "
        "file out of the data folder and start the app again."
    )


class DatabaseTooNew(StoreError):
    default_message = "The audit database was written by a newer version of this app."
    default_what_to_do = "Install the latest version of the app, then open it again."


class AuditReadOnlyError(Exception):
    """The audit is signed (or sent): changing it needs a new revision."""

    def __init__(
        self,
        message: str = "This audit has been signed and can no longer be changed.",
        what_to_do: str = "Start a new revision if the local authority returns it.",
    ) -> None:
        self.message = message
        self.what_to_do = what_to_do
        super().__init__(message)


class AuditSealedError(AuditReadOnlyError):
    """The audit is sealed for signing: its content is frozen until the DSL unseals it."""

    def __init__(self) -> None:
        super().__init__(
            "This audit is sealed for signing, so its answers cannot be changed.",
            "Unseal it on the sign-off page to change it: every signature collected so far "
            "is then void and the signatories must sign again.",
        )


class AuditNotFound(LookupError):
    """No audit with that id in this database."""


# SQLite primary result codes (https://sqlite.org/rescode.html).
_BY_CODE: dict[int, type[StoreError]] = {
    5: DatabaseLocked,  # SQLITE_BUSY
    6: DatabaseLocked,  # SQLITE_LOCKED
    8: DatabaseReadOnly,  # SQLITE_READONLY
    11: DatabaseCorrupt,  # SQLITE_CORRUPT
    13: DiskFull,  # SQLITE_FULL
    26: DatabaseCorrupt,  # SQLITE_NOTADB
}

_BY_TEXT: list[tuple[str, type[StoreError]]] = [
    ("database is locked", DatabaseLocked),
    ("database table is locked", DatabaseLocked),
    ("readonly database", DatabaseReadOnly),
    ("read-only", DatabaseReadOnly),
    ("database or disk is full", DiskFull),
    ("file is not a database", DatabaseCorrupt),
    ("database disk image is malformed", DatabaseCorrupt),
]


# Result codes whose usual cause on a school PC deserves its own words.
_CANT_OPEN = DatabaseReadOnly(
    "The audit database file cannot be opened.",
    "Check that the data folder exists and that you may write to it (it may be on a read-only "
    "or disconnected drive), or choose another folder with --data-dir.",
)
_DISK_ERROR = StoreError(
    "The disk reported an error while reading or saving the audit database.",
    "Check the drive is still connected (a USB stick or network drive?), then try again. "
    "Your last change is kept on screen.",
)
_BY_CODE_WITH_TEXT: dict[int, StoreError] = {
    3: _CANT_OPEN,  # SQLITE_PERM
    10: _DISK_ERROR,  # SQLITE_IOERR
    14: _CANT_OPEN,  # SQLITE_CANTOPEN
}


def _driver_error(error: BaseException) -> BaseException:
    """The driver's own exception: SQLAlchemy wraps it in a DBAPIError, as `.orig`."""
    # Looked up, not imported: the start-up reader runs before SQLAlchemy is loaded, and while
    # it is not loaded no error can be one of its wrappers.
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(error, sa_exc.DBAPIError):
        original: BaseException = error.orig
        return original
    return error


def classify(error: BaseException) -> type[StoreError] | None:
    """The StoreError class for a driver error, or None if it is not one we recognise."""
    original = _driver_error(error)
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _BY_CODE:
        return _BY_CODE[code & 0xFF]
    text = str(original).lower()
    for fragment, kind in _BY_TEXT:
        if fragment in text:
            return kind
    return None


def translate(error: BaseException) -> StoreError:
    """A StoreError for any driver error (a generic one, with the detail, if unrecognised)."""
    if isinstance(error, StoreError):
        return error
    kind = classify(error)
    if kind is not None:
        return kind()
    original = _driver_error(error)
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _BY_CODE_WITH_TEXT:
        known = _BY_CODE_WITH_TEXT[code & 0xFF]
        return type(known)(known.message, known.what_to_do)
    return StoreError(f"The audit database reported an error ({original}).")


class WrongAuditState(Exception):
    """The audit is not in the state this step needs (e.g. reopening one that was not returned)."""
