"""`make bench`: serving, footprint, reports at scale, content and growth, on 127.0.0.1, in about 25 minutes.

    python -m tests.bench.run [--parts serving,footprint,reports,content] [--databases sqlite,postgresql]
                              [--seconds 10] [--learner-seconds 60] [--scales 100,1000,10000]
                              [--output docs/benchmarks.md]

Prints one Markdown table per part and writes them to docs/benchmarks.md between the
`<!-- bench:start -->` and `<!-- bench:end -->` markers (the text around them is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.facilitate_helpers import write_lessons
from tests.load.servers import Postgres, server_env

from . import content, footprint, serving
from .measure import ROOT, machine, table

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# The footprint has markers of its own, so that `make bench-footprint` rewrites it alone.
FOOTPRINT_START, FOOTPRINT_END = "<!-- footprint:start -->", "<!-- footprint:end -->"
TARGETS = {"lesson page": 50, "quiz submission": 100}
REPORTS = ["group view (typical group)", "group view (big group)", "impact report (one association: 4 groups of 20)",
           "impact report (every group)",
           "lesson question analysis (every group)", "lesson question analysis (typical group)", "CSV export (largest group)"]


def reports_run(database: str, url: str, learners: int, lessons: Path) -> dict:
    """One data set in a fresh database, measured in its own process (config.py reads the environment once)."""
    out = Path(tempfile.mkstemp(prefix="pasapas-bench-reports-", suffix=".json")[1])
    env = server_env(url, LESSONS_DIR=str(lessons))
    subprocess.run([sys.executable, "-m", "tests.bench.reports_at_scale", "--learners", str(learners),
                    "--attempts", str(learners * 100), "--json", str(out)], cwd=ROOT, env=env, check=True)
    result = json.loads(out.read_text())
    result["database"] = database
    return result


def reports_part(databases: list[str], scales: list[int]) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-reports-"))
    lessons = write_lessons(workdir / "lessons", 4, 10)  # 40 lessons with a one-question quiz each
    results = []
    for database in databases:
        postgres = Postgres.start() if database == "postgresql" else None
        try:
            for learners in scales:
                if postgres:
                    name = f"bench_{learners}"
                    subprocess.run(["su", "postgres", "-c", f"{Postgres.bin()}/createdb -h 127.0.0.1 -p {postgres.url.rsplit(':', 1)[1].split('/')[0]} -U postgres {name}"],
                                   check=True, capture_output=True)
                    url = postgres.url.rsplit("/", 1)[0] + f"/{name}"
                else:
                    url = f"sqlite:///{workdir / f'reports-{learners}.sqlite'}"
                print(f"reports: {database}, {learners} learners, {learners * 100} attempts", flush=True)
                results.append(reports_run("PostgreSQL" if postgres else "SQLite", url, learners, lessons))
        finally:
            if postgres:
                postgres.ctl("stop")
    return results


def serving_table(runs: list[serving.ServingRun], measurement: str, targets: bool) -> str:
    """One row per database, page and number of learners (or of connections) of one measurement."""
    rows = []
    for run in runs:
        for r in getattr(run, measurement):
            p95, failed = f"{r.p95:.1f}", str(r.failures)
            if targets and r.connections == 50 and r.page in TARGETS:
                p95 += " ✓" if r.p95 < TARGETS[r.page] else " ✗"
            if targets and r.connections == max(serving.CONCURRENCY):
                failed += " ✓" if r.failures == 0 else " ✗"
            rows.append([run.database, r.page, r.connections, r.requests, round(r.rps, 1), round(r.p50, 1),
                         p95, round(r.p99, 1), failed])
    concurrent = "learners" if measurement == "learners" else "connections"
    return table(["database", "page", concurrent, "requests", "req/s", "p50 (ms)", "p95 (ms)", "p99 (ms)", "failed"], rows)


def memory_table(runs: list[serving.ServingRun]) -> str:
    rows = [[run.database, run.memory_start.processes, run.memory_start.rss_mb, run.memory_start.pss_mb,
             run.memory_after.rss_mb, run.memory_after.pss_mb] for run in runs]
    return table(["database", "processes", "RSS after start-up (MB, all)", "PSS after start-up (MB, all)",
                  "RSS after the serving load (MB, all)", "PSS after the serving load (MB, all)"], rows)


def reports_table(results: list[dict], learners: int) -> str:
    rows = []
    for result in results:
        if result["learners"] != learners:
            continue
        for name in REPORTS:
            f = result["functions"][name]
            page = result["pages"].get(name)
            rows.append([result["database"], name, f["ms"], f["queries"], page["ms"] if page else "", page["queries"] if page else ""])
    return table(["database", "report", "function (ms)", "queries", "page, test client (ms)", "queries (page)"], rows)


def growth_tables(results: list[dict], content_rows: list[dict]) -> str:
    parts = []
    for database in dict.fromkeys(r["database"] for r in results):
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["learners"])
        if len(mine) < 2:
            continue
        header = ["report (function, ms)"] + [f"{r['learners']:_} learners / {r['attempts']:_} attempts".replace("_", " ") for r in mine]
        header += ["last step ×", "growth"]
        rows = []
        for name in REPORTS:
            times = [r["functions"][name]["ms"] for r in mine]
            step = times[-1] / times[-2] if times[-2] else float("inf")
            scale = mine[-1]["learners"] / mine[-2]["learners"]
            verdict = "linear or better" if step <= scale * 1.25 else "worse than linear"
            rows.append([name, *times, round(step, 1), verdict])
        queries = [r["functions"]["group view (big group)"]["queries"] for r in mine]
        rows.append(["queries of the group view", *queries, "", "constant" if len(set(queries)) == 1 else "varies"])
        sizes = [r["sizes"]["big"] for r in mine]
        rows.append(["size of the big group (learners)", *sizes, "", ""])
        parts.append(f"**{database}**\n\n" + table(header, rows))
    generated = [r for r in content_rows if r["folder"] != content.FOLDERS[0][0] and r["folder"] != "40 generated"]
    if len(generated) >= 2:
        step = generated[-1]["ms"] / generated[-2]["ms"]
        scale = generated[-1]["lessons"] / generated[-2]["lessons"]
        verdict = "linear or better" if step <= scale * 1.25 else "worse than linear"
        parts.append(table(["content (ms)"] + [f"{r['lessons']} lessons" for r in generated] + ["last step ×", "growth"],
                           [["load_library", *[r["ms"] for r in generated], round(step, 1), verdict]]))
    return "\n\n".join(parts)


def document(sections: dict[str, str], load_at_start: tuple[float, ...], start: str = START, end: str = END) -> str:
    info = machine()
    info["load average (1, 5, 15 min) at start / end"] = (
        f"{' '.join(f'{v:.1f}' for v in load_at_start)} / {' '.join(f'{v:.1f}' for v in os.getloadavg())}"
        " (2 would mean both cores busy; other work on the machine shows here)"
    )
    lines = [start, "", f"Measured by `make bench` on {info['date']}.", "",
             table(["machine", ""], [[k, v] for k, v in info.items() if k != "date"]), ""]
    for title, body in sections.items():
        lines += [f"### {title}", "", body, ""]
    lines.append(end)
    return "\n".join(lines)


def write(output: Path, generated: str, start: str = START, end: str = END) -> None:
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + generated + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    output.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="serving,footprint,reports,content")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--learner-seconds", type=int, default=60, help="measured for each number of learners")
    parser.add_argument("--scales", default="100,1000,10000")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    parts, databases = args.parts.split(","), args.databases.split(",")
    scales = [int(s) for s in args.scales.split(",")]
    sections: dict[str, str] = {}
    content_rows: list[dict] = []
    report_results: list[dict] = []
    runs: list[serving.ServingRun] = []
    if "content" in parts:
        print("content: load_library", flush=True)
        content_rows = content.measure()
    if "serving" in parts:
        for database in databases:
            print(f"serving: {database}", flush=True)
            runs.append(serving.one_database(database, args.seconds, serving.CONCURRENCY, args.learner_seconds))
        low, high = serving.THINK_SECONDS
        sections["1. Serving: concurrent learners (locust, gunicorn.conf.py: 1 worker × 8 threads)"] = (
            f"People on a phone, who read before the next tap: each learner loops over the home page, a lesson "
            f"page and its quiz, with {low} to {high} s between two requests; {args.learner_seconds} s measured once "
            "all have signed in. The targets apply to this table. A few learners send few requests: at 1 and 10 the "
            "percentiles rest on a handful of answers (the 1-connection rows of the capacity table have hundreds).\n\n" + serving_table(runs, "learners", targets=True)
        )
        sections["1b. Serving: capacity (wrk, connections that never pause)"] = (
            "Each connection sends its next request as soon as the answer arrives: this measures how many requests "
            "a second the server can answer, not what learners wait. wrk corrects its percentiles for the requests "
            "a slow answer held back (coordinated omission), so one stall weighs many times.\n\n"
            + serving_table(runs, "capacity", targets=False)
        )
    if "footprint" in parts:
        print("footprint: start-up, memory, first visits (SQLite)", flush=True)
        measured = footprint.measure(seconds=args.seconds)
        generated = document({"Footprint: start-up, memory of every server process, first-visit weights (SQLite, the real lessons)": (
            "gunicorn with gunicorn.conf.py and 200 seeded learners. Start-up is from launching gunicorn to the first 200 "
            "on the sign-in page. Memory adds up the master and its workers: RSS counts a page shared by several "
            "processes in each of them, PSS divides it among them (what the machine really spends). The serving load "
            "is wrk on the home page, a lesson and its quiz at 10 and 50 connections. Weights are what chromium "
            "downloads on a first visit (empty cache, no service worker yet), headers included.\n\n"
            + footprint.tables(measured)
        )}, load_at_start, FOOTPRINT_START, FOOTPRINT_END)
        print(generated)
        write(Path(args.output), generated, FOOTPRINT_START, FOOTPRINT_END)
        load_at_start = os.getloadavg()
    if "reports" in parts:
        report_results = reports_part(databases, scales)
        biggest = max(scales)
        sections[f"2. Reports at scale ({biggest:_} learners, {biggest * 100:_} attempts, 40 lessons)".replace("_", " ")] = (
            reports_table(report_results, biggest)
        )
    if content_rows or runs:
        body = []
        if content_rows:
            body.append(table(["lessons folder", "lessons", "read and check, at start (ms)", "render every text, over the first visits (ms)"],
                              [[r["folder"], r["lessons"], r["ms"], r["render_ms"]] for r in content_rows]))
        if runs:
            body.append(memory_table(runs))
        sections["3. Content and memory"] = "\n\n".join(body)
    if report_results or content_rows:
        sections["4. Growth"] = growth_tables(report_results, content_rows)
    if not sections:
        return
    generated = document(sections, load_at_start)
    print(generated)
    write(Path(args.output), generated)
    raw = Path(tempfile.gettempdir()) / "pasapas-benchmarks.json"
    raw.write_text(json.dumps({"reports": report_results, "content": content_rows,
                               "serving": [vars(r) | {kind: [vars(x) for x in getattr(r, kind)] for kind in ("learners", "capacity")} for r in runs]}, indent=1))
    print(f"written: {args.output} (raw figures: {raw})")


if __name__ == "__main__":
    main()
