"""An in-process sliding-window limiter (per key: a client address, an enrolment code).

Each app process keeps its own counts; with several workers the effective limit is that many
times higher, which still stops guessing. Memory is bounded: old keys are dropped.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 100_000


class SlidingWindowLimiter:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int | None:
        """Seconds to wait if `key` has used up its tries, else None."""
        with self._lock:
            hits = self._recent(key)
            if hits is None or len(hits) < self.limit:
                return None
            return max(1, math.ceil(hits[0] + self.window - self.clock()))

    def record(self, key: str) -> None:
        with self._lock:
            if len(self._hits) >= MAX_KEYS:
                self._forget_idle()
            self._hits.setdefault(key, deque()).append(self.clock())

    def _recent(self, key: str) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is None:
            return None
        cutoff = self.clock() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        return hits

    def _forget_idle(self) -> None:
        cutoff = self.clock() - self.window
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[key]
        if len(self._hits) >= MAX_KEYS:  # still full of live keys: start afresh rather than grow
            self._hits.clear()
