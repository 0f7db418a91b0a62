"""Every process the benchmark starts, and the guarantee that it stops them.

Children run in their own session (process group), so Ctrl-C in the terminal
reaches only the benchmark, which then stops each group it started: on normal
exit, on an exception, on SIGINT/SIGTERM. Nothing is killed by name.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

_RUNNING: list[subprocess.Popen] = []
_SUBREAPER = False


def _stop_group(proc: subprocess.Popen, grace: float = 8.0) -> None:
    """SIGTERM the child's process group, then SIGKILL it after `grace` seconds."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    # gunicorn workers may outlive a master that already exited
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def stop(proc: subprocess.Popen) -> None:
    """Stop one child started by `start` (and its whole group)."""
    _stop_group(proc)
    if proc in _RUNNING:
        _RUNNING.remove(proc)


def stop_all() -> None:
    """Stop every child still running (newest first), then any orphan we adopted."""
    while _RUNNING:
        stop(_RUNNING[-1])
    if _SUBREAPER:
        stop_strays()


def _become_subreaper() -> bool:
    """Adopt our orphaned descendants (Linux PR_SET_CHILD_SUBREAPER).

    Tools such as Lighthouse start Chromium detached, in a session of its own;
    if the tool is killed, that browser would be re-parented to init and
    outlive the benchmark. As a subreaper, it becomes our child instead, and
    `stop_strays` ends it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # 36 = PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def stop_strays(grace: float = 5.0) -> None:
    """SIGTERM, then SIGKILL, every process still our child, and reap it."""
    strays = worker_pids(os.getpid())
    for pid in strays:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while strays and time.monotonic() < deadline:
        strays = [pid for pid in strays if not _reaped(pid)]
        time.sleep(0.1)
    for pid in strays:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _reaped(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return True


def _on_signal(signum, _frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def install_cleanup() -> None:
    """Stop children at exit and turn SIGTERM/SIGHUP into a clean unwind."""
    global _SUBREAPER
    _SUBREAPER = _become_subreaper()
    atexit.register(stop_all)
    # Ctrl-C must unwind even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)


def start(
    command: Sequence[str], env: Mapping[str, str], log: Path, cwd: Path | None = None
) -> subprocess.Popen:
    """Start a long-running child in its own session, output to `log`."""
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _RUNNING.append(proc)
    return proc


def run_bounded(
    command: Sequence[str], timeout: float, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> str:
    """Run a command to completion within `timeout` seconds; its stdout, or an error with its output."""
    proc = subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    _RUNNING.append(proc)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{command[0]} took longer than {timeout:.0f} s") from exc
    finally:
        stop(proc)
    if proc.returncode != 0:
        tail = "\n".join(output.splitlines()[-20:])
        raise RuntimeError(f"{' '.join(command[:4])} ... exited with {proc.returncode}:\n{tail}")
    return output


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(proc: subprocess.Popen, port: int, log: Path, timeout: float = 60.0) -> None:
    """Wait until `port` accepts connections; fail with the log's tail if the child dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not listen on {port} within {timeout:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def worker_pids(master: int) -> list[int]:
    """The children of `master` (gunicorn's workers), read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may contain spaces or parentheses: split after the last ')'
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == master:
            children.append(int(entry.name))
    return sorted(children)


def rss_mb(pid: int) -> float | None:
    """Resident memory of `pid` in MB (VmRSS), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pss_mb(pid: int) -> float | None:
    """Proportional memory of `pid` in MB: pages shared with other workers counted once in total."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
