"""A bounded load run against a running server: many clients, a realistic mix.

    .venv/bin/python -m bench.load --url http://127.0.0.1:8050 [--concurrency 200]
        [--duration 60] [--junk 0.1] [--redis-url redis://127.0.0.1:6379/0] [--no-ceiling]

wrk (bench/load.lua) keeps C connections busy for D seconds with a mix of page
loads (GET /), page-render callbacks for several countries and years (the body
Dash's pages router posts; a control change costs exactly that, its URL being
written in the browser) and a share of page renders whose query string is unique junk
(`?year=2022&zz=<n>`, never the same twice; `--junk-kind value`:
`?year=2022&lang=x<n>`, a bad value the page echoes). It prints one JSON line: req/s,
p50/p95/p99, errors, responses per status, Redis used_memory before and after,
and the same run against a bare Flask hello world under the same gunicorn.conf.py
(the most this machine can serve), side by side. Every loop is bounded in count
and time; only 127.0.0.1 is ever loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bench import procs
from bench.wrk import wrk_path

LUA_SCRIPT = Path(__file__).with_name("load.lua")
CALLBACK = "/_dash-update-component"
ROUTER = ".._pages_content.children..._pages_store.data.."  # the pages router's output
JUNK = "__JUNK__"  # replaced by load.lua with a number unique to each request
MIX_SIZE = 100  # lines in the mix file; wrk cycles through them
MAX_DURATION, MAX_CONCURRENCY = 600, 2000
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def router_body(pathname: str, search: str = "") -> dict:
    """The body Dash's renderer posts when the URL changes (the pages router)."""
    return {
        "output": ROUTER,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _line(method: str, path: str, body: dict | None = None) -> str:
    return f"{method}\t{path}\t{json.dumps(body, separators=(',', ':')) if body else ''}"


# Junk query strings: an unknown key with a unique value (a click id such as
# fbclid=...: the page says "ignored the unknown setting" whatever the value), or a
# unique bad value of a known key (the page echoes the value: every link differs).
JUNK_KINDS = {"key": "?year={year}&zz={junk}", "value": "?year={year}&lang=x{junk}"}


def mix_lines(
    countries: Sequence[str], years: Sequence[int], junk_share: float, junk_kind: str = "key"
) -> list[str]:
    """MIX_SIZE requests, interleaved: about 20 % page loads, junk_share junk page
    renders (JUNK_KINDS), the rest page renders (overview and each country, each year:
    what a page's links and controls cost)."""
    if junk_kind not in JUNK_KINDS:
        raise ValueError(f"the junk kind is one of {', '.join(JUNK_KINDS)}, not {junk_kind!r}")
    if not countries or not years:
        raise ValueError("at least one country and one year are needed")
    if not 0 <= junk_share <= 1:
        raise ValueError(f"the junk share is a fraction between 0 and 1, not {junk_share}")
    junk = round(junk_share * MIX_SIZE)
    rest = MIX_SIZE - junk
    loads = rest // 5
    renders = rest - loads
    views = [("/", y) for y in years] + [(f"/countries/{c}", y) for c in countries for y in years]
    kinds = (
        [_line("GET", "/")] * loads
        + [
            _line(
                "POST", CALLBACK, router_body(views[i % len(views)][0], f"?year={views[i % len(views)][1]}")
            )
            for i in range(renders)
        ]
        + [
            _line(
                "POST",
                CALLBACK,
                router_body(
                    f"/countries/{countries[0]}", JUNK_KINDS[junk_kind].format(year=years[0], junk=JUNK)
                ),
            )
            for _ in range(junk)
        ]
    )
    # Interleave: every kind spread over the cycle, not in blocks.
    return [kinds[(i * 37) % MIX_SIZE] for i in range(MIX_SIZE)]


def parse_load_output(text: str) -> dict:
    """The BENCH_JSON line load.lua prints, as the figures of the report."""
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise ValueError("no BENCH_JSON line: wrk did not finish its run")
    seconds = data["duration_us"] / 1e6
    done = data["requests"] > 0
    statuses = {str(k): int(v) for k, v in sorted(data.get("statuses", {}).items())}
    return {
        "req_per_s": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "requests": data["requests"],
        "p50_ms": data["p50_us"] / 1000 if done else None,
        "p95_ms": data["p95_us"] / 1000 if done else None,
        "p99_ms": data["p99_us"] / 1000 if done else None,
        "errors": sum(data[f"errors_{k}"] for k in ("connect", "read", "write", "timeout")),
        "non_2xx": {code: n for code, n in statuses.items() if not code.startswith("2")},
        "statuses": statuses,
    }


def redis_used_memory(url: str | None) -> int | None:
    """Redis's used_memory in bytes (INFO memory), or None without a Redis URL."""
    if not url:
        return None
    import redis

    return int(redis.Redis.from_url(url, socket_timeout=2).info("memory")["used_memory"])


def report(
    dashboard: dict, ceiling: dict | None, memory_before: int | None, memory_after: int | None, **run
) -> dict:
    """The one JSON object printed at the end."""
    growth = memory_after - memory_before if memory_before is not None and memory_after is not None else None
    return {
        **run,
        "dashboard": dashboard,
        "ceiling": ceiling,
        "of_ceiling": round(dashboard["req_per_s"] / ceiling["req_per_s"], 3)
        if ceiling and ceiling["req_per_s"]
        else None,
        "redis_used_memory_before": memory_before,
        "redis_used_memory_after": memory_after,
        "redis_used_memory_growth": growth,
    }


def check_local(url: str) -> str:
    """Only a server on this machine is ever loaded."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or not parts.port:
        raise SystemExit(f"--url must be http://127.0.0.1:<port>, not {url!r}")
    return f"http://127.0.0.1:{parts.port}"


def run_mix(url: str, lines: Sequence[str], connections: int, seconds: int, threads: int) -> dict:
    """wrk with load.lua for `seconds`, then its report."""
    with tempfile.TemporaryDirectory(prefix="compass-load-") as folder:
        mix = Path(folder) / "mix.tsv"
        mix.write_text("\n".join(lines) + "\n")
        command = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", str(LUA_SCRIPT), url]
        output = procs.run_bounded(
            command, timeout=seconds + 30, env={**os.environ, "BENCH_MIX_FILE": str(mix)}
        )
    return parse_load_output(output)


def hello_app():
    """The ceiling: a bare Flask hello world (started under the same gunicorn.conf.py)."""
    from flask import Flask

    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    @app.post(CALLBACK)
    def hello():
        return "Hello, world!"

    return app


def measure_ceiling(lines: Sequence[str], args) -> dict:
    from bench import servers

    with tempfile.TemporaryDirectory(prefix="compass-load-logs-") as logs:
        # gunicorn.conf.py refuses to start without a real SECRET_KEY (the bench's own).
        env = {"GUNICORN_ACCESS_LOG": "off", "SECRET_KEY": servers.SECRET_KEY}
        server = servers._start("hello", "bench.load:hello_app()", env, Path(logs), True)
        try:
            return run_mix(server.base_url, lines, args.concurrency, args.duration, args.threads)
        finally:
            server.stop()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the running dashboard, http://127.0.0.1:<port>")
    parser.add_argument("--concurrency", type=int, default=200, help="open connections (200)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (60)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--junk", type=float, default=0.1, help="share of unique junk query strings (0.1)")
    parser.add_argument(
        "--junk-kind",
        choices=sorted(JUNK_KINDS),
        default="key",
        help="unknown keys (key) or bad values (value)",
    )
    parser.add_argument("--countries", default="LBY,TUN,MLI,NER", help="ISO3 codes, comma-separated")
    parser.add_argument("--years", default="2022,2023", help="years, comma-separated")
    parser.add_argument("--redis-url", default="", help="the dashboard's Redis, for used_memory")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the hello-world run")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be 1 to {MAX_DURATION} seconds")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency must be 1 to {MAX_CONCURRENCY}")
    if not 1 <= args.threads <= args.concurrency:
        parser.error("--threads must be 1 to --concurrency")
    try:
        args.years = [int(y) for y in args.years.split(",") if y.strip()]
    except ValueError:
        parser.error("--years must be whole numbers, comma-separated")
    args.countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    url = check_local(args.url)
    try:
        lines = mix_lines(args.countries, args.years, args.junk, args.junk_kind)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    procs.install_cleanup()
    before = redis_used_memory(args.redis_url)
    dashboard = run_mix(url, lines, args.concurrency, args.duration, args.threads)
    after = redis_used_memory(args.redis_url)
    ceiling = None if args.no_ceiling else measure_ceiling(lines, args)
    result = report(
        dashboard,
        ceiling,
        before,
        after,
        url=url,
        concurrency=args.concurrency,
        duration_s=args.duration,
        junk_share=args.junk,
        junk_kind=args.junk_kind,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
