"""The benchmark's pure parts: reading wrk, percentiles, sizes, the replayed
request, the report and the README rewrite, the load run's mix and report.
Timings are never asserted: the benchmark prints them."""

from __future__ import annotations

import json

import pytest

from bench.capture import country_view, with_view
from bench.cold import country_query_count, views_in_order
from bench.config import sizes_up_to
from bench.load import CALLBACK, JUNK, MIX_SIZE, ROUTER, check_local, mix_lines, parse_load_output, report
from bench.readme import END, START, rewrite_section
from bench.report import Measurement, markdown_table, targets, text_table
from bench.stats import percentile, summarise
from bench.wrk import parse_wrk_output, to_ms

WRK_TEXT = """Running 1s test @ http://127.0.0.1:18765/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.41ms    1.59ms  10.86ms   86.87%
    Req/Sec     1.79k   418.69     2.44k    70.00%
  Latency Distribution
     50%  772.00us
     75%    1.30ms
     90%    3.67ms
     99%    1.02s
  1779 requests in 1.00s, 0.94MB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec:   1775.05
Transfer/sec:      0.94MB
"""

BENCH_JSON = (
    'BENCH_JSON {"requests": 2000, "duration_us": 4000000, "bytes": 987345, "errors_connect": 0, '
    '"errors_read": 1, "errors_write": 0, "errors_status": 2, "errors_timeout": 0, '
    '"p50_us": 772, "p95_us": 5179, "p99_us": 7744, "max_us": 10864}'
)


# --- wrk ---------------------------------------------------------------------------


def test_wrk_text_report_is_read():
    result = parse_wrk_output(WRK_TEXT)
    assert result.req_per_s == pytest.approx(1775.05)
    assert result.requests == 1779
    assert result.p50_ms == pytest.approx(0.772)
    assert result.p99_ms == pytest.approx(1020.0)
    assert result.p95_ms is None  # wrk's own report has no p95
    assert result.errors == 10
    assert result.non_2xx == 12
    assert not result.ok


def test_wrk_json_line_wins_over_the_text():
    result = parse_wrk_output(WRK_TEXT + BENCH_JSON + "\n")
    assert result.requests == 2000
    assert result.req_per_s == pytest.approx(500.0)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == pytest.approx((0.772, 5.179, 7.744))
    assert result.errors == 1
    assert result.non_2xx == 2


def test_clean_wrk_run_is_ok():
    clean = WRK_TEXT.replace("  Socket errors: connect 0, read 3, write 0, timeout 7\n", "").replace(
        "  Non-2xx or 3xx responses: 12\n", ""
    )
    assert parse_wrk_output(clean).ok


def test_not_a_wrk_report_is_refused():
    with pytest.raises(ValueError):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused")


@pytest.mark.parametrize(
    ("value", "unit", "ms"), [("850", "us", 0.85), ("1.5", "ms", 1.5), ("2", "s", 2000), ("1", "m", 60000)]
)
def test_wrk_durations_in_ms(value, unit, ms):
    assert to_ms(value, unit) == pytest.approx(ms)


# --- percentiles -------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    samples = [15, 20, 35, 40, 50]
    assert percentile(samples, 0) == 15
    assert percentile(samples, 50) == 35
    assert percentile(samples, 100) == 50
    assert percentile(samples, 40) == pytest.approx(29.0)  # rank 1.6: 20 + 0.6 * 15
    assert percentile(samples, 95) == pytest.approx(48.0)  # rank 3.8: 40 + 0.8 * 10


def test_percentile_ignores_input_order():
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([7.5], 99) == 7.5


def test_p95_of_one_to_hundred():
    samples = list(range(1, 101))
    assert percentile(samples, 95) == pytest.approx(95.05)
    assert percentile(samples, 99) == pytest.approx(99.01)


@pytest.mark.parametrize(("samples", "pct"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_nonsense(samples, pct):
    with pytest.raises(ValueError):
        percentile(samples, pct)


def test_summary_of_sequential_requests():
    s = summarise([10.0, 20.0, 30.0, 40.0])
    assert s.samples == 4
    assert s.p50_ms == pytest.approx(25.0)
    assert s.max_ms == 40.0
    assert s.req_per_s == pytest.approx(40.0)  # one client, mean 25 ms


# --- sizes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cap", "sizes"),
    [
        (None, [10_000, 1_000_000, 10_000_000]),
        (10_000, [10_000]),
        (50_000, [10_000, 50_000]),
        (1_000_000, [10_000, 1_000_000]),
        (2_000, [2_000]),
        (20_000_000, [10_000, 1_000_000, 10_000_000, 20_000_000]),
    ],
)
def test_bench_rows_caps_the_sizes(cap, sizes):
    assert sizes_up_to(cap) == sizes


def test_bench_rows_must_be_positive():
    with pytest.raises(ValueError):
        sizes_up_to(0)


# --- the replayed request ----------------------------------------------------------

ROUTER_BODY = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": "/countries/LBY"},
        {"id": "_pages_location", "property": "search", "value": "?year=2024"},
    ],
    "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
}


def test_country_view_changes_only_the_location():
    changed = country_view(ROUTER_BODY, "TUN", 2022)
    values = {i["property"]: i["value"] for i in changed["inputs"]}
    assert values == {"pathname": "/countries/TUN", "search": "?year=2022"}
    assert {k: v for k, v in changed.items() if k != "inputs"} == {
        k: v for k, v in ROUTER_BODY.items() if k != "inputs"
    }
    assert ROUTER_BODY["inputs"][0]["value"] == "/countries/LBY"  # the captured body is untouched


def test_a_body_without_the_router_inputs_is_refused():
    body = json.loads(json.dumps(ROUTER_BODY))
    body["inputs"] = body["inputs"][:1]
    with pytest.raises(ValueError):
        with_view(body, "/", "")


def test_cold_views_cycle_through_every_view_in_a_fixed_order():
    views = [("LBY", 2022), ("TUN", 2023), ("NER", 2024)]
    first = views_in_order(views, 7)
    assert first == views_in_order(views, 7)
    assert sorted(first[:3]) == sorted(views)
    assert first[3:6] == first[:3]
    with pytest.raises(ValueError):
        views_in_order([], 3)


def test_country_query_counter_is_found_by_function_name():
    counts = {
        "data_access.queries._countries": 3,
        "data_access.queries._country_results": 1,
        "data_access.catalog._country_targets": 4,
    }
    assert country_query_count(counts) == 1
    with pytest.raises(KeyError):
        country_query_count({"data_access.queries._countries": 3})


# --- report and README -------------------------------------------------------------


def _measurements() -> list[Measurement]:
    return [
        Measurement(10_000, "ceiling", "warm", 5000.0, 5.0, 9.0, 12.0, 50_000),
        Measurement(10_000, "postgres", "warm", 3100.0, 8.0, 14.0, 20.0, 31_000),
        Measurement(10_000, "postgres", "cold", 20.0, 45.0, 80.0, 95.0, 100),
        Measurement(10_000, "naive", "warm", 22.0, 900.0, 1400.5, 1600.0, 220, errors=3),
    ]


def test_tables_show_every_measurement():
    text = text_table(_measurements())
    assert "5,000" in text and "1,400.5" in text and "PostgreSQL + Redis" in text
    assert len(text.splitlines()) == 2 + 4
    markdown = markdown_table(_measurements())
    assert markdown.count("\n") == 1 + 4
    assert "| 10,000 | naive Dash: read_sql + pandas | warm | 22 |" in markdown


def _summary(**overrides) -> dict:
    base = {
        "rows": 10_000_000,
        "warm_ratio_vs_ceiling": 0.62,
        "cold_p95_ms_postgres": 80.0,
        "cold_p95_ms_sqlite": 120.0,
        "first_load_bytes": 900_000,
        "external_requests": 0,
        "stampede_db_queries": 1,
        "worker_rss_mb": 250.0,
        "lighthouse": {
            "/": {
                "desktop": {"performance": 97, "accessibility": 100, "best-practices": 100, "seo": 100},
                "mobile": {"performance": 79, "accessibility": 100, "best-practices": 100, "seo": 100},
            }
        },
    }
    return {**base, **overrides}


def test_targets_are_checked_honestly():
    met = {t.name: t.met for t in targets(_summary())}
    assert met["warm throughput"] is True
    assert met["cold p95, postgres"] is True
    assert met["cold p95, sqlite"] is False
    assert met["Lighthouse desktop /"] is True
    assert met["Lighthouse mobile /"] is False
    assert met["50 identical cold requests"] is True


def test_targets_at_scale_are_not_claimed_on_a_small_run():
    met = {t.name: t.met for t in targets(_summary(rows=10_000))}
    assert met["cold p95, postgres"] is None
    assert met["memory per worker"] is None
    assert met["warm throughput"] is True  # not tied to a size


def test_unmeasured_targets_say_so():
    met = {
        t.name: t.met
        for t in targets(_summary(first_load_bytes=None, stampede_db_queries=None, lighthouse={}))
    }
    assert met["first load of /"] is None
    assert met["50 identical cold requests"] is None
    assert met["Lighthouse"] is None


README = f"# Title\n\nIntro.\n\n## Performance\n\nHow.\n\n{START}\nold table\n{END}\n\n## Tests\n\nText.\n"


def test_readme_section_is_replaced_and_nothing_else():
    new = rewrite_section(README, "| new | table |\n")
    assert new == README.replace("old table", "| new | table |")
    assert rewrite_section(new, "again") == README.replace("old table", "again")


@pytest.mark.parametrize(
    "broken",
    [
        "# No markers\n",
        f"{END}\nbackwards\n{START}\n",
        f"{START}\none\n{END}\n{START}\ntwo\n{END}\n",
    ],
)
def test_readme_without_one_clean_section_is_refused(broken):
    with pytest.raises(ValueError):
        rewrite_section(broken, "x")


def test_the_repository_readme_has_one_bench_section():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert START in rewrite_section(text, "probe")


# --- processes ---------------------------------------------------------------------


def test_stop_all_ends_children_and_their_children(tmp_path):
    import os
    import sys
    import time

    from bench import procs

    script = "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"
    parent = procs.start([sys.executable, "-c", script], os.environ, tmp_path / "log")
    try:
        deadline = time.monotonic() + 10
        while not procs.worker_pids(parent.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        (child,) = procs.worker_pids(parent.pid)
        assert procs.rss_mb(child) is not None
    finally:
        procs.stop_all()
    assert parent.poll() is not None
    assert _ends(child), "the grandchild survived"


def _ends(pid: int) -> bool:
    """Whether `pid` is gone or a zombie within a few seconds (a SIGKILL is not instant)."""
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


ADOPT_SCRIPT = """
import subprocess, sys, time
from bench import procs
assert procs._become_subreaper()
# a middle process starts a detached grandchild (as Lighthouse starts Chromium) and dies
subprocess.run([sys.executable, "-c",
    "import subprocess; p = subprocess.Popen(['sleep', '60'], start_new_session=True); print(p.pid)"],
    check=True, stdout=open(sys.argv[1], "w"))
time.sleep(0.2)
adopted = procs.worker_pids(__import__("os").getpid())
procs.stop_strays()
print(len(adopted), len(procs.worker_pids(__import__("os").getpid())))
"""


def test_a_detached_grandchild_is_adopted_and_stopped(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    pid_file = tmp_path / "pid"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", ADOPT_SCRIPT, str(pid_file)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0"]
    assert _ends(int(pid_file.read_text()))


def test_a_wrk_run_that_finished_nothing_has_no_latency():
    empty = BENCH_JSON.replace('"requests": 2000', '"requests": 0').replace('"p50_us": 772', '"p50_us": 0')
    result = parse_wrk_output(empty)
    assert result.req_per_s == 0.0
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (None, None, None)
    assert not result.ok


def test_closed_loop_summary_counts_completed_requests_over_elapsed_time():
    from bench.loop import _summary

    s = _summary([1000.0, 3000.0, 2000.0], elapsed=6.0)
    assert s.req_per_s == pytest.approx(0.5)
    assert s.p50_ms == 2000.0
    nothing = _summary([], elapsed=10.0)
    assert nothing.req_per_s == 0.0 and nothing.p95_ms is None


def test_readme_section_holds_the_table_targets_and_notes():
    from bench.report import readme_section

    summary = _summary(date="2026-11-26 20:00 UTC", duration_s=3000, notes=["the machine was busy"])
    section = readme_section(summary, _measurements())
    assert markdown_table(_measurements()) in section
    assert "- cold p95, sqlite: 120.0 ms (target <= 100 ms at 10M rows): NOT met" in section
    assert "- the machine was busy" in section
    assert "50 min" in section
    assert START not in section and END not in section


def test_cold_samples_are_all_taken_at_the_largest_size_only():
    from bench.config import BenchConfig

    config = BenchConfig(sizes=[10_000, 1_000_000], cold_samples=100, cold_samples_smaller=30)
    assert config.cold_samples_at(1_000_000) == 100
    assert config.cold_samples_at(10_000) == 30
    assert BenchConfig(sizes=[10_000], cold_samples=20).cold_samples_at(10_000) == 20
    assert BenchConfig(sizes=[10_000, 50_000], cold_samples=20).cold_samples_at(10_000) == 20


# --- the load run (bench/load.py) --------------------------------------------------------------

LOAD_JSON = (
    'BENCH_JSON {"requests": 1000, "duration_us": 2000000, "bytes": 5, "errors_connect": 1, '
    '"errors_read": 2, "errors_write": 0, "errors_status": 7, "errors_timeout": 3, '
    '"p50_us": 1500, "p95_us": 9000, "p99_us": 20000, "max_us": 30000, '
    '"statuses": {"200": 993, "429": 4, "500": 3}}'
)


def test_load_report_is_read_from_the_lua_line():

    result = parse_load_output("Running 2s test\n" + LOAD_JSON + "\n")
    assert result["req_per_s"] == 500.0 and result["requests"] == 1000
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (1.5, 9.0, 20.0)
    assert result["errors"] == 6  # connect + read + write + timeout; statuses are counted apart
    assert result["non_2xx"] == {"429": 4, "500": 3}
    assert result["statuses"]["200"] == 993


def test_a_load_run_that_did_not_finish_is_refused():

    with pytest.raises(ValueError, match="BENCH_JSON"):
        parse_load_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_load_mix_has_every_kind_and_unique_junk_placeholders():

    lines = mix_lines(["LBY", "TUN"], [2022, 2023], 0.1)
    assert len(lines) == MIX_SIZE
    methods = [line.split("\t")[0] for line in lines]
    assert methods.count("GET") == 18  # a fifth of what is not junk
    posts = [json.loads(line.split("\t")[2]) for line in lines if line.startswith("POST")]
    assert all(line.split("\t")[1] == CALLBACK for line in lines if line.startswith("POST"))
    junk = [p for p in posts if JUNK in json.dumps(p)]
    assert len(junk) == 10 and all(p["output"] == ROUTER for p in junk)
    assert all(p["output"] == ROUTER for p in posts)  # controls write their URL in the browser
    assert len(posts) == MIX_SIZE - 18
    renders = {p["inputs"][0]["value"] + p["inputs"][1]["value"] for p in posts if p["output"] == ROUTER}
    assert "/countries/TUN?year=2023" in renders and "/?year=2022" in renders
    assert "GET" in methods[:10] and "POST" in methods[:10]  # interleaved, not in blocks


def test_load_mix_junk_is_an_unknown_key_or_a_bad_value():

    def junk_searches(kind: str) -> set[str]:
        lines = mix_lines(["LBY"], [2022], 0.1, kind)
        return {line.split("\t")[2] for line in lines if JUNK in line}

    assert all(f"zz={JUNK}" in body for body in junk_searches("key"))
    assert all(f"lang=x{JUNK}" in body for body in junk_searches("value"))
    with pytest.raises(ValueError, match="junk kind"):
        mix_lines(["LBY"], [2022], 0.1, "other")


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_load_mix_refuses_a_share_outside_0_to_1(share):

    with pytest.raises(ValueError, match="between 0 and 1"):
        mix_lines(["LBY"], [2022], share)


def test_load_report_puts_the_ceiling_beside_and_the_redis_growth():

    result = report({"req_per_s": 300.0}, {"req_per_s": 1200.0}, 1000, 1500, concurrency=200)
    assert result["of_ceiling"] == 0.25 and result["redis_used_memory_growth"] == 500
    assert result["concurrency"] == 200
    assert report({"req_per_s": 1.0}, None, None, None)["redis_used_memory_growth"] is None


@pytest.mark.parametrize("url", ["http://example.org:80", "https://127.0.0.1:8050", "http://10.0.0.5:8050"])
def test_load_runs_only_against_this_machine(url):

    with pytest.raises(SystemExit, match="127.0.0.1"):
        check_local(url)
    assert check_local("http://localhost:8050") == "http://127.0.0.1:8050"


def test_the_ceiling_server_starts_although_gunicorn_reads_the_production_conf(tmp_path, monkeypatch):
    """gunicorn reads ./gunicorn.conf.py even without -c, and that refuses the default
    SECRET_KEY: the bench gives every server its run's key (bench/servers.py)."""
    import urllib.request

    from bench import servers

    monkeypatch.delenv("SECRET_KEY", raising=False)
    body = tmp_path / "response.json"
    body.write_bytes(b'{"ok": true}')
    logs = tmp_path / "logs"
    logs.mkdir()
    server = servers.start_ceiling(body, logs)
    try:
        request = urllib.request.Request(
            f"{server.base_url}/_dash-update-component", data=b"{}", method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == b'{"ok": true}'
    finally:
        server.stop()


def test_each_warm_side_keeps_the_better_of_its_two_runs():
    from bench.report import Measurement, better_run

    def run(req_per_s):
        return Measurement(1000, "postgres", "warm", req_per_s, 1.0, 2.0, 3.0, 100)

    dip, steady = run(1200.0), run(3000.0)
    assert better_run(dip, steady) is steady and better_run(steady, dip) is steady
    assert better_run(run(None), dip) is dip  # a failed run never wins
    same = run(3000.0)
    assert better_run(steady, same) is steady  # equal: the first
