"""Part 1 (serving) and the memory figures of part 3: gunicorn on SQLite and PostgreSQL.

For each database: migrate and seed 200 learners (tests.load.run.seed, the real lessons/ folder)
and start gunicorn with gunicorn.conf.py (its workers and threads) on 127.0.0.1. Two measurements follow:

- learners (tests/bench/learners.py): N people on a phone, who read between two taps, with locust;
- capacity: wrk for each page and each number of connections that never pause. Every learner signs
  in over HTTP first; every request carries the session cookie of the next learner in turn
  (tests/bench/wrk/learners.lua).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.load.run import PASSWORD, seed
from tests.load.servers import ROOT, Postgres, healthy, server_env, start_gunicorn, stop

from .measure import CSRF, Memory, memory

LUA = Path(__file__).with_name("wrk") / "learners.lua"
RADIO = re.compile(r'type="(?:radio|checkbox)" name="(q\d+)" value="([^"]+)"')
CONCURRENCY = (1, 10, 50, 200)
LEARNERS = 200
# Seconds between two taps of a simulated learner. Conservative: our learners read slowly, some
# with difficulty, and a lesson page or a quiz takes them minutes. A shorter pause sends more
# requests per learner than real people do, so the figures overstate the load of N people.
THINK_SECONDS = (5, 15)


@dataclass
class Result:
    database: str
    page: str
    connections: int
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    failures: int


@dataclass
class ServingRun:
    database: str
    learners: list[Result] = field(default_factory=list)
    capacity: list[Result] = field(default_factory=list)
    # The master and its workers together, RSS and PSS.
    memory_start: Memory | None = None
    memory_after: Memory | None = None


def _request(url: str, method: str, path: str, cookie: str = "", body: dict | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    response.text = response.read().decode()
    connection.close()
    return response


def _session_cookie(response: http.client.HTTPResponse, previous: str) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0].removeprefix("session=")
    return previous


def sign_in(url: str, username: str, lesson_path: str) -> tuple[str, str, str]:
    """Sign one learner in; return the session cookie, a CSRF token valid with it, and the lesson page."""
    page = _request(url, "GET", "/connexion")
    cookie = _session_cookie(page, "")
    response = _request(url, "POST", "/connexion", cookie,
                        {"csrf_token": CSRF.search(page.text).group(1), "username": username, "password": PASSWORD})
    assert response.status == 302, (username, response.status)
    cookie = _session_cookie(response, cookie)
    lesson = _request(url, "GET", lesson_path, cookie)  # puts the CSRF secret in the session
    assert lesson.status == 200, lesson.status
    return _session_cookie(lesson, cookie), CSRF.search(lesson.text).group(1), lesson.text


def wait_idle(url: str, limit: float = 60) -> None:
    """Wait until the server answers at once: when wrk stops, the requests its connections had
    sent are still queued in gunicorn, and the next run's first request would wait behind them."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 5 and time.monotonic() < deadline:
        started = time.monotonic()
        answered = healthy(url)
        quick = quick + 1 if answered and time.monotonic() - started < 0.05 else 0
        time.sleep(0.2)


def learners(url: str, lessons: list[str], levels: tuple[int, ...], seconds: int, workdir: Path) -> list[dict]:
    """tests/bench/learners.py in its own process (locust patches the standard library)."""
    out = workdir / "learners.json"
    env = os.environ | {"LOAD_PASSWORD": PASSWORD, "LOAD_PARTICIPANTS": str(LEARNERS), "LOAD_LESSON_IDS": ",".join(lessons)}
    subprocess.run([sys.executable, "-m", "tests.bench.learners", "--host", url, "--users", ",".join(map(str, levels)),
                    "--seconds", str(seconds), "--json", str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text())


def wrk(url: str, path: str, connections: int, seconds: int, sessions: Path, mode: str = "get", answers: str = "") -> dict:
    env = {"BENCH_SESSIONS": str(sessions), "BENCH_MODE": mode, "BENCH_PATH": path, "BENCH_ANSWERS": answers,
           "BENCH_RUN": f"wrk{time.time_ns()}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(LUA), f"{url}{path}"],
        env=env, capture_output=True, text=True, timeout=seconds + 60, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_database(database: str, seconds: int, levels: tuple[int, ...], learner_seconds: int) -> ServingRun:
    run = ServingRun("PostgreSQL" if database == "postgresql" else "SQLite")
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-serving-"))
    postgres = Postgres.start() if database == "postgresql" else None
    try:
        database_url = postgres.url if postgres else f"sqlite:///{workdir / 'bench.sqlite'}"
        _group_id, lessons = seed(database_url, LEARNERS)
        lesson_path = f"/lecons/{lessons[0]}"
        # Workers are not recycled during the run (--max-requests 0), so the memory read after the
        # load is that of a worker which served all of it.
        server, url, _seconds = start_gunicorn(server_env(database_url), workdir / "gunicorn.log", extra=("--max-requests", "0"))
        try:
            time.sleep(1)
            run.memory_start = memory(server.pid)
            run.learners = [Result(run.database, **row) for row in learners(url, lessons, levels, learner_seconds, workdir)]
            wait_idle(url)
            with ThreadPoolExecutor(8) as pool:
                signed = list(pool.map(lambda n: sign_in(url, f"charge{n:03d}", lesson_path), range(1, LEARNERS + 1)))
            sessions = workdir / "sessions.txt"
            sessions.write_text("".join(f"{cookie} {token}\n" for cookie, token, _page in signed))
            choices: dict[str, str] = {}
            for question, value in RADIO.findall(signed[0][2]):
                choices.setdefault(question, value)
            answers = urlencode(choices)
            pages = [("home page", "/", "get"), ("lesson page", lesson_path, "get"), ("quiz submission", f"{lesson_path}/quiz", "quiz")]
            for name, path, mode in pages:
                for connections in levels:
                    wait_idle(url)
                    figures = wrk(url, path, connections, seconds, sessions, mode, answers)
                    failures = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
                    result = Result(
                        run.database, name, connections, figures["requests"],
                        figures["requests"] / (figures["duration_us"] / 1e6),
                        figures["p50_us"] / 1000, figures["p95_us"] / 1000, figures["p99_us"] / 1000, failures,
                    )
                    run.capacity.append(result)
                    print(f"  {result}", flush=True)
            run.memory_after = memory(server.pid)
        finally:
            stop(server)
    finally:
        if postgres:
            postgres.ctl("stop")
    return run
