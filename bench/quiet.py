"""Wait until the machine is quiet before a browser measurement.

Lighthouse simulates a slow phone from what it measures on this machine: a
PostgreSQL autovacuum, a worker still finishing, or another job on one of the two
cores shows up as long tasks in the page, and the score moves by ten points or
more. The benchmark waits (bounded) until the CPUs have been nearly idle for a
few seconds in a row, and says in its notes when they never were.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BUSY_AT_MOST = 0.15  # share of all CPU time not idle
QUIET_SECONDS = 3  # consecutive one-second samples under BUSY_AT_MOST
TIMEOUT_S = 180.0


def _cpu_times(stat: Path = Path("/proc/stat")) -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs since boot; iowait counts as idle."""
    fields = [int(v) for v in stat.read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return idle, sum(fields[:8])


def cpu_busy(interval_s: float = 1.0, read: Callable[[], tuple[int, int]] = _cpu_times) -> float:
    """The share of CPU time (all cores) spent busy during the next `interval_s` seconds."""
    idle0, total0 = read()
    time.sleep(interval_s)
    idle1, total1 = read()
    total = total1 - total0
    return 0.0 if total <= 0 else max(0.0, 1.0 - (idle1 - idle0) / total)


@dataclass(frozen=True)
class Quiet:
    quiet: bool
    waited_s: float
    last_busy: float


def wait_for_quiet(
    sample: Callable[[], float] = cpu_busy,
    busy_at_most: float = BUSY_AT_MOST,
    quiet_samples: int = QUIET_SECONDS,
    timeout_s: float = TIMEOUT_S,
    clock: Callable[[], float] = time.monotonic,
) -> Quiet:
    """Sample until `quiet_samples` in a row are at most `busy_at_most`, or `timeout_s` passed."""
    start = clock()
    in_a_row = 0
    while True:
        busy = sample()
        in_a_row = in_a_row + 1 if busy <= busy_at_most else 0
        if in_a_row >= quiet_samples:
            return Quiet(True, clock() - start, busy)
        if clock() - start >= timeout_s:
            return Quiet(False, clock() - start, busy)
