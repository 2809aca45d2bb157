"""What a small server and a phone pay: start-up time, memory of every server process, first-visit weights.

    python -m tests.bench.footprint [--workers 2 --threads 4] [--seconds 10] [--no-weights]

On SQLite with the real lessons/ folder and 200 seeded learners (tests.load.run.seed), gunicorn
starts with gunicorn.conf.py (the workers and threads given go through WEB_CONCURRENCY and
GUNICORN_THREADS, as on a bigger server). Measured:

- start-up: from launching gunicorn to the first 200 on the sign-in page, the median of 3 starts
  (the app's bytecode compiled first, as in the Docker image);
- memory of the master and every worker together, RSS and PSS (from /proc/<pid>/smaps_rollup:
  PSS shares each page among the processes that map it, so it adds up to what they really cost),
  idle and after a serving load (wrk on the home page, a lesson and its quiz at 10 and 50
  connections, `--seconds` each), with the lesson page's requests a second at 10 connections;
- first-visit weights (chromium through Playwright, an empty cache and no service worker yet):
  every byte sent, headers included, for the sign-in, home, lesson and group pages, with and
  without the lesson's own pictures.

`make bench` runs it as its "footprint" part; `make bench-footprint` runs it alone (about 3 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.load.run import PASSWORD, seed
from tests.load.servers import server_env, start_gunicorn, stop

from . import serving
from .measure import ROOT, Memory, memory, server_processes, table

# The lesson with a picture, as a participant meets it first (module 1, lesson 1).
LESSON_WITH_PICTURE = "famille-caf-telephone"
CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


# One start can be slowed by other work on the machine: the figure is the median of a few.
STARTS = 3


@dataclass
class Footprint:
    settings: str
    start_seconds: float  # the median of the starts
    starts: list[float]
    # CPU time the server processes had used by then (user + system): what the start costs on an idle
    # machine, whatever else ran on this one.
    start_cpu_seconds: float
    idle: Memory
    after: Memory
    lesson_rps: float = 0.0
    lesson_p95_ms: float = 0.0
    failures: int = 0
    weights: list[dict] = field(default_factory=list)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serving_load(url: str, lesson_path: str, seconds: int, workdir: Path) -> tuple[serving.Result, int]:
    """wrk on the home page, the lesson and its quiz at 10 and 50 connections; the lesson at 10 and the failures."""
    with ThreadPoolExecutor(4) as pool:
        signed = list(pool.map(lambda n: serving.sign_in(url, f"charge{n:03d}", lesson_path), range(1, serving.LEARNERS + 1)))
    sessions = workdir / "sessions.txt"
    sessions.write_text("".join(f"{cookie} {token}\n" for cookie, token, _page in signed))
    choices: dict[str, str] = {}
    for question, value in serving.RADIO.findall(signed[0][2]):
        choices.setdefault(question, value)
    lesson, failures = None, 0
    for path, mode in (("/", "get"), (lesson_path, "get"), (f"{lesson_path}/quiz", "quiz")):
        for connections in (10, 50):
            serving.wait_idle(url)
            figures = serving.wrk(url, path, connections, seconds, sessions, mode, urlencode(choices))
            failures += sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
            if path == lesson_path and connections == 10:
                lesson = serving.Result("SQLite", "lesson page", 10, figures["requests"],
                                        figures["requests"] / (figures["duration_us"] / 1e6),
                                        figures["p50_us"] / 1000, figures["p95_us"] / 1000, figures["p99_us"] / 1000, 0)
    return lesson, failures


def first_visits(url: str, group_id: int) -> list[dict]:
    """Bytes a phone that never saw the site downloads for each page (Playwright's request sizes)."""
    from playwright.sync_api import sync_playwright

    pages = [("sign-in", "/connexion", None), ("home", "/", "charge001"),
             ("lesson", f"/lecons/{LESSON_WITH_PICTURE}", "charge002"),
             ("group", f"/animation/groupes/{group_id}", "charge-animatrice")]
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        for name, path, username in pages:
            cookies = []
            if username:
                signing = browser.new_context(**PHONE, base_url=url)
                page = signing.new_page()
                page.goto("/connexion")
                page.get_by_label("Identifiant").fill(username)
                page.get_by_label("Mot de passe").fill(PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.wait_for_load_state()
                cookies = signing.cookies()
                signing.close()
            context = browser.new_context(**PHONE, base_url=url)
            context.add_cookies(cookies)
            sent: list[tuple[str, int]] = []
            context.on("requestfinished", lambda request, sent=sent: sent.append(
                (request.url, max(0, request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))))
            page = context.new_page()
            page.goto(path)
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)  # what the service worker fetches once installed
            first_screen = sum(size for address, size in sent if "/lecons/media/" not in address)
            # Read to the end: the pictures below the first screen load as the reader comes near them.
            for picture in page.locator("main img").all():
                picture.scroll_into_view_if_needed()
            page.wait_for_function("() => [...document.querySelectorAll('main img')].every((img) => img.complete)")
            page.wait_for_timeout(500)
            total = sum(size for _address, size in sent)
            rows.append({"page": name, "requests": len(sent), "kb": round(first_screen / 1024, 1),
                         "kb_with_pictures": round(total / 1024, 1),
                         "files": [(address.removeprefix(url), size) for address, size in sent]})
            context.close()
        browser.close()
    return rows


def measure(settings: dict[str, str] | None = None, seconds: int = 10, weights: bool = True) -> Footprint:
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-footprint-"))
    database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
    group_id, lessons = seed(database_url, serving.LEARNERS)
    env = server_env(database_url, **(settings or {}))
    # As the Docker image has it, and as Python writes it on a first start unless told not to.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app", "config.py"], cwd=ROOT, check=True)
    starts = []
    for _ in range(STARTS - 1):
        server, _url, start_seconds = start_gunicorn(env, workdir / "gunicorn.log")
        stop(server)
        starts.append(start_seconds)
    server, url, start_seconds = start_gunicorn(env, workdir / "gunicorn.log")
    start_cpu_seconds = sum(cpu_seconds(pid) for pid in server_processes(server.pid))
    starts.append(start_seconds)
    try:
        time.sleep(2)  # workers settle
        idle = memory(server.pid)
        lesson, failures = serving_load(url, f"/lecons/{lessons[0]}", seconds, workdir)
        after = memory(server.pid)
        label = " ".join(f"{name}={value}" for name, value in (settings or {}).items()) or "gunicorn.conf.py"
        result = Footprint(label, round(statistics.median(starts), 2), [round(s, 2) for s in starts], round(start_cpu_seconds, 2), idle, after,
                           round(lesson.rps, 1), round(lesson.p95, 1), failures)
        if weights and CHROMIUM.exists():
            result.weights = first_visits(url, group_id)
    finally:
        stop(server)
    return result


def tables(result: Footprint) -> str:
    memory_rows = [[result.settings, label, m.processes, m.rss_mb, m.pss_mb]
                   for label, m in (("idle, after start-up", result.idle), ("after the serving load", result.after))]
    parts = [
        f"Start-up, launch to the first 200 on the sign-in page: **{result.start_seconds:.2f} s** "
        f"{'✓' if result.start_seconds <= 2 else '✗'} (target ≤ 2 s; the median of {len(result.starts)} starts: "
        f"{', '.join(f'{s:.2f}' for s in result.starts)} s). The last one used {result.start_cpu_seconds:.2f} s of CPU "
        "in the server processes (the wall-clock time grows with the machine's load average).",
        table(["settings", "when", "processes", "RSS, all processes (MB)", "PSS, all processes (MB)"], memory_rows),
        f"After the load, all processes: {result.after.rss_mb:.1f} MB RSS {'✓' if result.after.rss_mb <= 150 else '✗'}, "
        f"{result.after.pss_mb:.1f} MB PSS {'✓' if result.after.pss_mb <= 150 else '✗'} (target ≤ 150 MB); "
        f"lesson page at 10 connections {result.lesson_rps:.1f} req/s, p95 {result.lesson_p95_ms:.1f} ms; "
        f"{result.failures} failed requests.",
    ]
    if result.weights:
        parts.append(table(
            ["first visit", "requests", "KB sent (without the lesson's pictures)", "KB sent, read to the end with its pictures"],
            [[w["page"], w["requests"], w["kb"], w["kb_with_pictures"]] for w in result.weights]))
        lesson = next(w for w in result.weights if w["page"] == "lesson")
        parts.append(f"Lesson page: {lesson['kb']:.1f} KB {'✓' if lesson['kb'] <= 25 else '✗'} (target ≤ 25 KB without its pictures).")
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-weights", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    settings = {}
    if args.workers:
        settings["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        settings["GUNICORN_THREADS"] = str(args.threads)
    result = measure(settings, args.seconds, not args.no_weights)
    print(tables(result))
    if args.json:
        Path(args.json).write_text(json.dumps(vars(result) | {"idle": vars(result.idle), "after": vars(result.after)}, indent=1))


if __name__ == "__main__":
    main()
