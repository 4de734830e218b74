"""How long to wait before trying an upload again: capped exponential backoff with full jitter.

Full jitter (a uniform wait between zero and the capped exponential) spreads a whole county's
schools out after an outage instead of having them retry in lock-step. A `Retry-After` from the
server is a floor: we never come back sooner than asked.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BackoffPolicy:
    base: float = 2.0  # seconds: the ceiling of the first wait
    cap: float = 15 * 60.0  # no wait longer than this (unless the server asks for longer)
    max_wait_in_run: float = 120.0  # a drain run sleeps at most this long before giving up

    def ceiling(self, failures: int) -> float:
        """The largest wait after `failures` consecutive failures (1 for the first)."""
        exponent = max(0, failures - 1)
        if exponent > 60:  # 2**60 * base is past any cap; avoid huge floats
            return self.cap
        return min(self.cap, self.base * 2.0**exponent)

    def delay(
        self,
        failures: int,
        retry_after: float | None = None,
        uniform: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait: uniform in [0, ceiling], but never less than `retry_after`."""
        jittered = uniform() * self.ceiling(failures)
        return max(jittered, retry_after or 0.0)
