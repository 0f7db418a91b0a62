"""Load generation with wrk: run it bounded in time and read what it prints.

wrk's own summary has no p95, so post.lua prints one `BENCH_JSON {...}` line
from its `done()` hook; the plain text report is parsed as a fallback (an older
script, or a run cut short before `done()`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.procs import run_bounded

LUA_SCRIPT = Path(__file__).with_name("post.lua")
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles (ms), errors."""

    req_per_s: float
    requests: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: int
    non_2xx: int

    @property
    def ok(self) -> bool:
        return self.requests > 0 and self.errors == 0 and self.non_2xx == 0


def to_ms(value: str, unit: str) -> float:
    """wrk's '1.23ms', '850.00us', '1.02s' as milliseconds."""
    return float(value) * _UNITS_MS[unit]


def parse_wrk_output(text: str) -> WrkResult:
    """Read a wrk report: the BENCH_JSON line when present, else wrk's own text."""
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            return _from_json(json.loads(line.removeprefix("BENCH_JSON ")))
    return _from_text(text)


def _from_json(data: dict) -> WrkResult:
    seconds = data["duration_us"] / 1e6
    errors = sum(data[f"errors_{k}"] for k in ("connect", "read", "write", "timeout"))
    done = data["requests"] > 0  # with no request finished, wrk's percentiles are 0, not a latency
    return WrkResult(
        req_per_s=data["requests"] / seconds if seconds else 0.0,
        requests=data["requests"],
        p50_ms=data["p50_us"] / 1000 if done else None,
        p95_ms=data["p95_us"] / 1000 if done else None,
        p99_ms=data["p99_us"] / 1000 if done else None,
        errors=errors,
        non_2xx=data["errors_status"],
    )


def _from_text(text: str) -> WrkResult:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    if not rate or not total:
        raise ValueError("not a wrk report: no 'Requests/sec' line")
    percentiles = {
        int(m.group(1)): to_ms(m.group(2), m.group(3))
        for m in re.finditer(rf"^\s+(\d+)%\s+{_DURATION}\s*$", text, re.MULTILINE)
    }
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkResult(
        req_per_s=float(rate.group(1)),
        requests=int(total.group(1)),
        p50_ms=percentiles.get(50),
        p95_ms=percentiles.get(95),
        p99_ms=percentiles.get(99),
        errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        non_2xx=int(status.group(1)) if status else 0,
    )


def wrk_path() -> str:
    """The wrk binary, or a clear message on how to get it."""
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "wrk is missing: `make bench` installs it as root, else: sudo apt-get install -y wrk"
        )
    return found


def run_wrk(url: str, body_file: Path, seconds: int, connections: int, threads: int) -> WrkResult:
    """POST `body_file` to `url` for `seconds` with `connections` open connections."""
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        url,
    ]
    env = {**os.environ, "BENCH_BODY_FILE": str(body_file)}
    output = run_bounded(command, timeout=seconds + 30, env=env)
    return parse_wrk_output(output)
