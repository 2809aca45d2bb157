"""The activity log: what the reports count, and the per-lesson summary rebuilt from it."""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app, progress, reports
from app.extensions import db
from app.lesson_library import get_library
from app.models import Activity, ActivityKind, LessonProgress
from app.reports import impact
from config import TestingConfig
from tests.facilitate_helpers import answer, finish, make_group, make_learner, visit

D = datetime


def summary_rows() -> list[tuple]:
    return sorted(
        db.session.execute(
            select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.started_at, LessonProgress.last_seen_at,
                   LessonProgress.completed_at, LessonProgress.seconds_spent, LessonProgress.best_score,
                   LessonProgress.best_max_score)
        ).all()
    )


def figures(group_id: int, start: date, end: date) -> tuple:
    """The impact report's raw figures (before the small-numbers rule hides them): active people and
    seconds from the period's log, then every row of the lessons section."""
    scope = impact.Scope([group_id], start, end, get_library())
    log = scope.log
    lessons = {(row.indicator, row.theme): row.figure.value for row in impact.lessons_section(scope).rows}
    return (log.active, log.seconds, lessons[("Leçons terminées", "")], log.first_tries, log.first_tries_passed,
            tuple(sorted(log.weekly.items())), tuple(sorted(lessons.items())))


def test_a_lesson_finished_on_monday_and_wednesday_and_opened_on_friday(app):
    """The review's case: the summaries said 1 active and 600 s on Wednesday, and 0 and 0 s after a rebuild."""
    with app.app_context():
        lesson = get_library().lesson("demo-sans-quiz")
        group = make_group("Groupe du lundi")
        ana = make_learner("ana", group)
        for opened, minutes in ((D(2026, 3, 2, 9), 5), (D(2026, 3, 4, 9), 10)):
            visit(ana, lesson.id, opened)
            finish(ana, lesson, opened + timedelta(minutes=minutes))
        visit(ana, lesson.id, D(2026, 3, 6, 9))
        wednesday = date(2026, 3, 4)
        live = figures(group, wednesday, wednesday)
        assert live[:2] == (1, 600)
        assert live[2] == 0  # finished on Monday: not again on Wednesday
        progress.rebuild_lesson_progress()
        assert figures(group, wednesday, wednesday) == live
        assert figures(group, date(2026, 3, 2), date(2026, 3, 2))[:3] == (1, 300, 1)
        assert figures(group, date(2026, 3, 6), date(2026, 3, 6))[:2] == (1, 0)


def test_days_are_the_association_s_local_days(app):
    with app.app_context():
        lesson = get_library().lesson("demo-sans-quiz")
        group = make_group("Groupe du soir")
        ana = make_learner("ana", group)
        visit(ana, lesson.id, D(2026, 3, 2, 22, 50))  # 23:50 in Paris (UTC+1)
        finish(ana, lesson, D(2026, 3, 2, 23, 10))  # 00:10 on Tuesday in Paris
        visit(ana, lesson.id, D(2026, 7, 1, 22, 30))  # 00:30 on 2 July in Paris (UTC+2)
        days = db.session.execute(select(Activity.at, Activity.day).order_by(Activity.at)).all()
        assert [day for _at, day in days] == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 7, 2)]
        assert figures(group, date(2026, 3, 3), date(2026, 3, 3))[:3] == (1, 1200, 1)
        assert figures(group, date(2026, 7, 1), date(2026, 7, 1))[0] == 0


@pytest.mark.parametrize("seed", range(4))
def test_random_writes_over_several_weeks_give_the_same_figures_after_a_rebuild(app, seed):
    """Any sequence of writes: the summary kept live equals the one rebuilt from the log, and so do
    the report and the group grid; the report's time is the log's."""
    rng = random.Random(seed)  # noqa: S311 (a repeatable sequence of test writes)
    with app.app_context():
        library = get_library()
        lessons = library.ordered_lessons
        group = make_group(f"Groupe {seed}")
        learners = [make_learner(f"l{seed}-{n}", group) for n in range(4)]
        moments = {learner: D(2026, 3, 1, 8) for learner in learners}
        for _ in range(120):
            learner, lesson = rng.choice(learners), rng.choice(lessons)
            # Seconds to days apart, some around midnight and across the change to summer time (29 March).
            moments[learner] += timedelta(seconds=rng.choice((5, 90, 600, 2400, 4 * 3600, 26 * 3600)))
            at = moments[learner]
            kind = rng.random()
            if kind < 0.4:
                visit(learner, lesson.id, at)
            elif lesson.quiz is not None and kind < 0.8:
                answer(learner, lesson, at, right=rng.random() < 0.5)
            elif lesson.quiz is None and kind < 0.8:
                finish(learner, lesson, at)
            else:
                progress.request_help(learner, lesson.id, "Je suis perdue.", at=at)
        live_rows = summary_rows()
        periods = [(date(2026, 3, 1), date(2026, 3, 1)), (date(2026, 3, 2), date(2026, 3, 15)),
                   (date(2026, 3, 25), date(2026, 4, 5)), (date(2026, 1, 1), date(2026, 12, 31))]
        live = [figures(group, *period) for period in periods]
        grid = reports.group_progress(group, library)
        live_grid = {(row.id, lesson_id): cell for row in grid.learners for lesson_id, cell in row.cells.items()}

        progress.rebuild_lesson_progress()

        assert summary_rows() == live_rows
        assert [figures(group, *period) for period in periods] == live
        rebuilt = reports.group_progress(group, library)
        assert {(row.id, lesson_id): cell for row in rebuilt.learners for lesson_id, cell in row.cells.items()} == live_grid
        # The whole year's time is every entry's, and every entry is on its learner's summary.
        entries = db.session.scalars(select(Activity)).all()
        assert live[-1][1] == sum(e.seconds for e in entries)
        assert sum(row[5] for row in live_rows) == sum(e.seconds for e in entries)
        assert {(e.user_id, e.lesson_id) for e in entries} == {(row[0], row[1]) for row in live_rows}
        assert all(e.day == e.at.date() or e.day == (e.at + timedelta(hours=2)).date() for e in entries)


def test_the_migration_turns_existing_records_into_the_log(tmp_path):
    """A database written before the log (revision 0005) gets entries from its records, and the
    summary rebuilt from them is the one it had."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(revision="0005")
        statements = [
            "INSERT INTO \"user\" (id, username, first_name, last_initial, role, password_hash, active, created_at)"
            " VALUES (1, 'ana', 'Ana', '', 'participant', 'x', true, '2026-01-01 00:00:00')",
            # A quiz failed then passed; a lesson without a quiz finished and seen again later.
            "INSERT INTO lesson_progress (user_id, lesson_id, started_at, last_seen_at, completed_at, seconds_spent, best_score,"
            " best_max_score) VALUES (1, 'demo-premiers-pas', '2026-03-02 10:00:00', '2026-03-03 09:01:40',"
            " '2026-03-03 09:01:40', 220, 3, 3)",
            "INSERT INTO lesson_progress (user_id, lesson_id, started_at, last_seen_at, completed_at, seconds_spent)"
            " VALUES (1, 'demo-sans-quiz', '2026-03-03 09:05:00', '2026-03-06 18:00:00', '2026-03-03 09:10:00', 300)",
            "INSERT INTO quiz_attempt (client_id, user_id, lesson_id, quiz_fingerprint, score, max_score, passed, answers,"
            " seconds_spent, created_at) VALUES ('a1', 1, 'demo-premiers-pas', 'f', 1, 3, false, '{}', 120, '2026-03-02 10:02:00')",
            "INSERT INTO quiz_attempt (client_id, user_id, lesson_id, quiz_fingerprint, score, max_score, passed, answers,"
            " seconds_spent, created_at) VALUES ('a2', 1, 'demo-premiers-pas', 'f', 3, 3, true, '{}', 100, '2026-03-03 09:01:40')",
            "INSERT INTO help_request (user_id, lesson_id, message, created_at) VALUES (1, 'demo-sans-quiz', '', '2026-03-05 08:00:00')",
        ]
        for statement in statements:
            db.session.execute(db.text(statement))
        db.session.commit()
        upgrade()
        before = summary_rows()
        kinds = db.session.execute(
            select(Activity.lesson_id, Activity.kind, Activity.first_try, Activity.completed_lesson, Activity.seconds)
            .order_by(Activity.at)
        ).all()
        assert kinds == [
            ("demo-premiers-pas", ActivityKind.OPENED, False, False, 0),
            ("demo-premiers-pas", ActivityKind.QUIZ_ANSWERED, True, False, 120),
            ("demo-premiers-pas", ActivityKind.QUIZ_ANSWERED, False, True, 100),
            ("demo-sans-quiz", ActivityKind.OPENED, False, False, 0),
            ("demo-sans-quiz", ActivityKind.FINISHED, False, True, 300),
            ("demo-sans-quiz", ActivityKind.HELP_ASKED, False, False, 0),
            ("demo-sans-quiz", ActivityKind.OPENED, False, False, 0),
        ]
        progress.rebuild_lesson_progress()
        assert summary_rows() == before
        db.session.remove()  # its reads hold locks on PostgreSQL: dropping the tables would wait for them
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()
