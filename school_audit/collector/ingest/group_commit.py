"""Group commit: returns that arrive while another is being written share the next transaction.

With `synchronous=FULL` every SQLite commit waits for the disk, and writers take turns, so under
concurrent uploads the disk's flushes per second, not the CPU, set the pace. Here a thread that
finds the writer busy leaves its work in a queue; whoever writes next takes everything queued and
commits it in one transaction. Nobody gets a result before the commit that made it durable.

If any piece of work in a shared transaction raises, the whole transaction rolls back and each
piece is written again in a transaction of its own, so one failing return undoes nothing of the
others. (Savepoints per piece would do the same but make SQLite copy every page it touches a
second time, which costs more than the rare retry.) Work therefore must be safe to run twice:
it only reads and writes the database. Expected refusals are better returned than raised.

`finish(session)`, if given, runs once per transaction after all its work and before the commit:
work can leave what is cheaper written once for the whole batch (ingest's kept-count changes)
in `session.info` for it.

PostgreSQL already lets concurrent transactions share WAL flushes and runs them in parallel, so
there each piece of work simply gets its own transaction, as many at once as there are callers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from school_audit.collector.db import Database

T = TypeVar("T")
MAX_BATCH = 32  # bounds the time the SQLite write lock is held by one transaction


class _Job(Generic[T]):
    __slots__ = ("done", "error", "result", "work")

    def __init__(self, work: Callable[[Session], T]) -> None:
        self.work = work
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    def __init__(
        self,
        database: Database,
        max_batch: int = MAX_BATCH,
        shared: bool | None = None,
        finish: Callable[[Session], None] | None = None,
    ) -> None:
        self.database = database
        self.finish = finish or _nothing
        self.max_batch = max_batch
        self.shared = database.sqlite if shared is None else shared
        self._queue: list[_Job[T]] = []
        self._queue_lock = threading.Lock()
        self._leader = threading.Lock()  # held by the thread writing the current batch

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in a write transaction, possibly shared; return once committed."""
        job = _Job(work)
        if not self.shared:
            _write_alone(self.database, job, self.finish)
        else:
            with self._queue_lock:
                self._queue.append(job)
            while True:
                with self._leader:
                    if job.done:
                        break
                    self._write(self._take())
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]  # set when done without error

    def _take(self) -> list[_Job[T]]:
        with self._queue_lock:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
        return batch

    def _write(self, batch: list[_Job[T]]) -> None:
        try:
            if len(batch) > 1 and self._write_together(batch):
                return
            for job in batch:
                _write_alone(self.database, job, self.finish)
        finally:
            for job in batch:
                job.done = True

    def _write_together(self, batch: list[_Job[T]]) -> bool:
        try:
            with self.database.write() as session:
                results = [job.work(session) for job in batch]
                self.finish(session)
        except Exception:  # noqa: BLE001 - rolled back; each piece is written alone instead
            return False
        for job, result in zip(batch, results, strict=True):
            job.result = result
        return True


def _nothing(session: Session) -> None:
    return None


def _write_alone(database: Database, job: _Job[T], finish: Callable[[Session], None]) -> None:
    for attempt in (1, 2):
        try:
            with database.write() as session:
                result = job.work(session)
                finish(session)
        except IntegrityError as error:
            # Another process stored the same return first (PostgreSQL): look once more.
            if attempt == 2:
                job.error = error
        except BaseException as error:  # handed to the caller whose work this is
            job.error = error
            return
        else:
            job.result = result
            return
