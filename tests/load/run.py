"""`make load`: 200 participants for 60 s against gunicorn (4 workers) on SQLite and PostgreSQL,
with and without faults (a worker killed with SIGKILL, PostgreSQL stopped for 5 s).
Everything runs on 127.0.0.1 and stops by itself. Figures go to docs/reliability.md.

    python -m tests.load.run [--users 200] [--seconds 60] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .servers import BIN, ROOT, Postgres, free_port, server_env, wait_healthy, worker_pids

PASSWORD = "charge-mot-de-passe"


def seed(database_url: str, participants: int) -> tuple[int, list[str]]:
    """Migrate an empty database and add one group of participants and its facilitator."""
    code = f"""
import json
from flask_migrate import upgrade
from sqlalchemy import insert
from werkzeug.security import generate_password_hash
from app import create_app
from app.extensions import db
from app.lesson_library import get_library
from app.models import Group, Role, User, group_facilitator
from config import ProductionConfig

app = create_app(ProductionConfig())
with app.app_context():
    upgrade()
    group = Group(name="Groupe charge")
    db.session.add(group)
    db.session.flush()
    password_hash = generate_password_hash({PASSWORD!r}, method="scrypt")
    rows = [dict(username=f"charge{{n:03d}}", first_name=f"Charge{{n}}", role=Role.PARTICIPANT,
                 password_hash=password_hash, group_id=group.id, active=True, last_initial="")
            for n in range(1, {participants} + 1)]
    rows.append(dict(username="charge-animatrice", first_name="Animatrice", role=Role.FACILITATOR,
                     password_hash=password_hash, group_id=None, active=True, last_initial=""))
    db.session.execute(insert(User), rows)
    facilitator = db.session.scalar(db.select(User.id).filter_by(username="charge-animatrice"))
    db.session.execute(insert(group_facilitator), [dict(group_id=group.id, user_id=facilitator)])
    db.session.commit()
    lessons = [lesson.id for lesson in get_library().ordered_lessons if lesson.quiz]
    print(json.dumps([group.id, lessons]))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=server_env(database_url), check=True, capture_output=True, text=True
    )
    group_id, lessons = json.loads(out.stdout.strip().splitlines()[-1])
    return group_id, lessons


@dataclass
class Run:
    name: str
    database: str
    faults: bool
    events: list[str] = field(default_factory=list)
    stats: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    acknowledged: int = 0
    stored: int = 0
    distinct_stored: int = 0
    lost: int = 0
    stored_unacknowledged: int = 0
    recovery_seconds: list[float] = field(default_factory=list)


def count_attempts(database_url: str) -> tuple[set[str], int]:
    code = """
import json
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.models import QuizAttempt
from config import ProductionConfig
app = create_app(ProductionConfig())
with app.app_context():
    ids = list(db.session.scalars(select(QuizAttempt.client_id)))
    print(json.dumps(ids))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=server_env(database_url), check=True, capture_output=True, text=True
    )
    ids = json.loads(out.stdout.strip().splitlines()[-1])
    return set(ids), len(ids)


def inject_faults(run: Run, master: int, url: str, postgres: Postgres | None, seconds: int) -> None:
    time.sleep(seconds * 0.3)
    victim = worker_pids(master)[0]
    os.kill(victim, signal.SIGKILL)
    run.events.append(f"t≈{seconds * 0.3:.0f} s : worker {victim} tué (SIGKILL)")
    recovered = wait_healthy(url, 30)
    run.recovery_seconds.append(recovered if recovered is not None else float("nan"))
    if postgres is None:
        return
    time.sleep(seconds * 0.2)
    postgres.ctl("stop")
    run.events.append(f"t≈{seconds * 0.5:.0f} s : PostgreSQL arrêté")
    time.sleep(5)
    postgres.ctl("start")
    run.events.append(f"t≈{seconds * 0.5 + 5:.0f} s : PostgreSQL redémarré après 5 s")
    recovered = wait_healthy(url, 60)
    run.recovery_seconds.append(recovered if recovered is not None else float("nan"))


def one_run(database: str, faults: bool, users: int, seconds: int) -> Run:
    run = Run(f"{'PostgreSQL' if database == 'postgresql' else 'SQLite'}{' + pannes' if faults else ''}", database, faults)
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-load-"))
    postgres = Postgres.start() if database == "postgresql" else None
    database_url = postgres.url if postgres else f"sqlite:///{workdir / 'load.sqlite'}"
    group_id, lessons = seed(database_url, users)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        # Through the environment, as on a bigger server: gunicorn.conf.py preloads the app for several workers.
        env=server_env(database_url, WEB_CONCURRENCY="4", GUNICORN_THREADS="2"),
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    try:
        if wait_healthy(url, 30) is None:
            raise SystemExit(f"gunicorn did not start: see {workdir / 'gunicorn.log'}")
        ack_file = workdir / "acks.json"
        env = os.environ | {
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_PARTICIPANTS": str(users),
            "LOAD_GROUP_ID": str(group_id),
            "LOAD_LESSON_IDS": ",".join(lessons),
            "LOAD_ACK_FILE": str(ack_file),
        }
        fault_thread = None
        if faults:
            fault_thread = threading.Thread(target=inject_faults, args=(run, server.pid, url, postgres, seconds))
            fault_thread.start()
        subprocess.run(
            [
                str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                "-u", str(users + users // 20), "-r", str(max(users // 10, 1)), "-t", f"{seconds}s",
                "--stop-timeout", "30", "--host", url, "--csv", str(workdir / "stats"), "--only-summary",
            ],
            cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=seconds + 120,
        )
        if fault_thread:
            fault_thread.join()
        with open(workdir / "stats_stats.csv") as stats:
            run.stats = list(csv.DictReader(stats))
        with open(workdir / "stats_failures.csv") as failures:
            run.failures = list(csv.DictReader(failures))
        acks = json.loads(ack_file.read_text())
        stored, total = count_attempts(database_url)
        acknowledged = set(acks["acknowledged"])
        run.acknowledged, run.stored, run.distinct_stored = len(acknowledged), total, len(stored)
        run.lost = len(acknowledged - stored)
        run.stored_unacknowledged = len(stored - acknowledged)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if postgres:
            postgres.ctl("stop")
    return run


def markdown(runs: list[Run], users: int, seconds: int) -> str:
    lines = [
        "# Reliability under load and faults",
        "",
        f"Made by `make load` on {time.strftime('%Y-%m-%d')}: {users} simulated participants (plus one facilitator",
        f"for every 20 of them) for {seconds} s against gunicorn with 4 workers, 2 threads each, on 127.0.0.1;",
        "locust in the same 2-core machine. Participants sign in, open the home page, their progress and",
        "lessons, and send quizzes; facilitators open their group view and its CSV export. A quiz whose",
        "answer is not a redirect to its result is sent again with the same client id, as the phone does.",
        "",
    ]
    for run in runs:
        lines += [f"## {run.name}", ""]
        if run.events:
            lines += [f"- {event}" for event in run.events]
            lines += [f"- retour à la normale (`/healthz` 200) en {', '.join(f'{s:.1f} s' for s in run.recovery_seconds)}", ""]
        lines += ["| request | requests | failures | p50 (ms) | p95 (ms) | p99 (ms) | req/s |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for row in run.stats:
            lines.append(
                f"| {row['Name'] if row['Name'] != 'Aggregated' else '**total**'} | {row['Request Count']} | {row['Failure Count']} "
                f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
            )
        if run.failures:
            lines += ["", "Failed requests, by cause:", ""]
            lines += [f"- {row['Name']} : {row['Error']} × {row['Occurrences']}" for row in run.failures]
        lines += [
            "",
            f"Quiz submissions acknowledged: **{run.acknowledged}**; attempts stored: **{run.stored}** "
            f"({run.distinct_stored} distinct client ids); acknowledged but not stored: **{run.lost}**; "
            f"stored but never acknowledged: **{run.stored_unacknowledged}**.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--output", default=str(ROOT / "docs" / "reliability.md"))
    args = parser.parse_args()
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    runs = []
    for faults in (False, True):
        for database in databases:
            run = one_run(database, faults, args.users, args.seconds)
            total = next(r for r in run.stats if r["Name"] == "Aggregated")
            print(f"{run.name}: {total['Request Count']} requests, {total['Failure Count']} failures, "
                  f"acknowledged {run.acknowledged}, stored {run.stored}, lost {run.lost}", flush=True)
            runs.append(run)
    Path(args.output).write_text(markdown(runs, args.users, args.seconds))
    print(f"written: {args.output}")


if __name__ == "__main__":
    main()
