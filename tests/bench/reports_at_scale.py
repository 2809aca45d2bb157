"""Parts 2 and 4 (reports): build a data set in an empty database and time the facilitator reports.

Runs in its own process, because config.py reads DATABASE_URL and LESSONS_DIR when imported:

    python -m tests.bench.reports_at_scale --learners 10000 --attempts 1000000 --lessons DIR --json OUT

Every figure is the median of three runs after one warm-up run (one run only when the warm-up
took more than 3 s), and the SQL statements sent during one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, func, select

from .measure import CSRF

IMPACT_START, IMPACT_END = date(2025, 1, 1), date(2026, 3, 31)


@contextmanager
def counting(engine):
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def timed(engine, work: Callable[[], object], runs: int = 3) -> dict:
    started = time.perf_counter()
    with counting(engine) as counter:
        work()
    first = time.perf_counter() - started
    times = [first]
    if first < 3:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    return {"ms": round(statistics.median(times) * 1000, 1), "queries": counter["n"], "runs": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--attempts", type=int, required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--profile", help="write a pyinstrument HTML profile of the slowest report here")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app, reports
    from app.extensions import db
    from app.facilitate.exports import csv_chunks
    from app.lesson_library import EXTENSION_KEY
    from app.models import QuizAttempt
    from config import ProductionConfig

    from . import dataset

    app = create_app(ProductionConfig())
    logging.disable(logging.INFO)  # one request-log line per page would drown the figures
    out: dict = {"learners": args.learners, "attempts": args.attempts}
    with app.app_context():
        upgrade()
        library = app.extensions[EXTENSION_KEY]
        started = time.perf_counter()
        shape = dataset.build(library, args.learners, args.attempts)
        out["build_seconds"] = round(time.perf_counter() - started, 1)
        out["stored_attempts"] = db.session.scalar(select(func.count(QuizAttempt.id)))
        out["groups"] = shape.groups
        big, typical = shape.big_group_id, shape.typical_group_id
        largest = max(shape.group_sizes, key=lambda g: (shape.group_sizes[g], -g))
        out["sizes"] = {"typical": shape.group_sizes[typical], "big": shape.group_sizes[big], "largest": shape.group_sizes[largest]}
        all_groups = list(shape.group_sizes)
        # One association: four groups of about 20, whatever else the database holds.
        association = sorted((g for g in shape.group_sizes if g != big), key=lambda g: (abs(shape.group_sizes[g] - 20), g))[:4]
        lesson = library.ordered_lessons[0]
        engine = db.engine

        def export(group_id):
            return sum(len(chunk) for chunk in csv_chunks(reports.EXPORT_HEADER, reports.group_export_rows(group_id, library)))

        work = {
            "group view (typical group)": lambda: reports.group_progress(typical, library),
            "group view (big group)": lambda: reports.group_progress(big, library),
            "impact report (one association: 4 groups of 20)": lambda: reports.impact_report(
                association, IMPACT_START, IMPACT_END, library),
            "impact report (every group)": lambda: reports.impact_report(all_groups, IMPACT_START, IMPACT_END, library),
            "lesson question analysis (every group)": lambda: reports.lesson_stats(lesson, all_groups),
            "lesson question analysis (typical group)": lambda: reports.lesson_stats(lesson, [typical]),
            "CSV export (largest group)": lambda: export(largest),
        }
        functions = {}
        for name, job in work.items():
            functions[name] = timed(engine, job)
            db.session.rollback()
            print(f"  {args.learners} learners, {name}: {functions[name]}", flush=True)
        out["functions"] = functions
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            with profiler:
                work["impact report (every group)"]()
            with open(args.profile, "w") as html:
                html.write(profiler.output_html())

    # The same through the test client: sign-in, access checks, template, audit log, CSV streaming.
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    response = client.post("/connexion", data={"csrf_token": CSRF.search(page).group(1), "username": dataset.ADMIN_USERNAME,
                                               "password": dataset.PASSWORD})
    assert response.status_code == 302, response.status_code
    period = [f"start={IMPACT_START.isoformat()}", f"end={IMPACT_END.isoformat()}"]
    query = "&".join(period + [f"groups={g}" for g in all_groups])
    association_query = "&".join(period + [f"groups={g}" for g in association])
    pages = {
        "group view (typical group)": f"/animation/groupes/{typical}",
        "group view (big group)": f"/animation/groupes/{big}",
        "impact report (one association: 4 groups of 20)": f"/animation/rapport?{association_query}",
        "impact report (every group)": f"/animation/rapport?{query}",
        "lesson question analysis (typical group)": f"/animation/groupes/{typical}/lecons/{lesson.id}",
        "CSV export (largest group)": f"/animation/groupes/{largest}/export.csv",
    }
    requests = {}
    with app.app_context():
        engine = db.engine

    def fetch(url):
        response = client.get(url)
        body = response.get_data()
        assert response.status_code == 200, (url, response.status_code)
        return body

    for name, url in pages.items():
        requests[name] = timed(engine, lambda url=url: fetch(url))
        print(f"  {args.learners} learners, page {name}: {requests[name]}", flush=True)
    out["pages"] = requests
    with open(args.json, "w") as handle:
        json.dump(out, handle)


if __name__ == "__main__":
    main()
