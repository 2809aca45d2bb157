"""Concurrent learners as people on a phone, for `make bench`: locust in library mode.

    python -m tests.bench.learners --host URL --users 1,10,50,200 --seconds 60 --json OUT

Each simulated learner signs in (tests/load/locustfile.py, with LOAD_* in the environment as for
`make load`), then loops: home page, a lesson page, its quiz, with a reading time between taps.
For each number of learners: all of them start (20 a second at most), the figures are reset once
every one has signed in (sign-ins are costly and not what is measured), then measured for --seconds. Runs in its own process because importing
locust patches the standard library with gevent.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import gevent
from locust import between, task
from locust.env import Environment

from tests.bench.serving import THINK_SECONDS
from tests.load.locustfile import SignedInParticipant

# locust's names for the requests (tests/load/locustfile.py) -> the names in the tables.
PAGES = {"accueil": ("GET", "home page"), "leçon": ("GET", "lesson page"), "quiz (envoi)": ("POST", "quiz submission")}
SPAWN_RATE = 20  # learners started a second: 200 take 10 s to arrive
SIGN_IN_LIMIT = 180  # seconds for every learner to sign in (a scrypt hash each) before measuring


class Learner(SignedInParticipant):
    wait_time = between(*THINK_SECONDS)  # why these figures: see THINK_SECONDS

    def on_start(self):
        super().on_start()
        # Sign-ins queue behind one another (a scrypt hash each) and end in a burst: a first
        # reading time spreads the learners' first requests as people's would be.
        self.wait()

    @task
    def home_lesson_quiz(self):
        self.home()
        self.wait()
        opened = self.open_lesson()
        if opened:
            self.wait()
            self.submit_quiz(*opened)


def measure(host: str, users: int, seconds: int) -> list[dict]:
    """Figures per page for `users` learners during `seconds`, after they have all signed in."""
    environment = Environment(user_classes=[Learner], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=SPAWN_RATE)
    runner.spawning_greenlet.join()
    sign_ins = environment.stats.get("connexion (envoi)", "POST")
    deadline = time.monotonic() + SIGN_IN_LIMIT
    while sign_ins.num_requests < users and time.monotonic() < deadline:
        gevent.sleep(0.5)
    environment.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    rows = []
    for name, (method, page) in PAGES.items():
        entry = environment.stats.get(name, method)
        rows.append({
            "page": page, "connections": users, "requests": entry.num_requests,
            "rps": entry.num_requests / seconds, "failures": entry.num_failures,
            **{f"p{p}": float(entry.get_response_time_percentile(p / 100)) if entry.num_requests else 0.0 for p in (50, 95, 99)},
        })
        print(f"  {users} learners, {page}: {rows[-1]}", flush=True)
    for error in environment.stats.errors.values():
        print(f"  {users} learners, failed: {error.method} {error.name}: {error.error} × {error.occurrences}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", default="1,10,50,200")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    rows = [row for users in args.users.split(",") for row in measure(args.host, int(users), args.seconds)]
    Path(args.json).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
