"""A repeatable data set for the report benchmarks: learners in groups, lesson progress and quiz attempts.

Fixed seed; one precomputed password hash for every account; bulk inserts (executemany through
SQLAlchemy Core in large batches on SQLite, COPY on PostgreSQL) of the records and of the activity-log
entries app.progress would have written with them: a visit when a lesson is first opened, and each
quiz answer with its seconds, first try and completion.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from werkzeug.security import generate_password_hash

from app.content import Library
from app.extensions import db
from app.models import Activity, Group, LessonProgress, QuizAttempt, User, Workshop, WorkshopAttendance

SEED = 20250101
LEARNERS_PER_GROUP = 20
ADMIN_USERNAME = "bench-admin"
PASSWORD = "bench-mot-de-passe"
START = datetime(2025, 1, 1, 8, 0)
BATCH = 20_000

USER_COLUMNS = (
    "id", "username", "first_name", "last_initial", "role", "password_hash", "group_id", "active", "created_at", "session_token",
)
ATTEMPT_COLUMNS = (
    "id", "client_id", "user_id", "lesson_id", "quiz_fingerprint", "score", "max_score", "passed", "answers", "seconds_spent", "created_at",
)
PROGRESS_COLUMNS = (
    "user_id", "lesson_id", "started_at", "last_seen_at", "completed_at", "seconds_spent", "best_score", "best_max_score",
)
ACTIVITY_COLUMNS = (
    "user_id", "lesson_id", "kind", "at", "day", "week", "seconds", "attempt_id", "first_try", "passed", "completed_lesson",
)
ZONE = ZoneInfo("Europe/Paris")


def _entry(user_id, lesson_id, kind, at, seconds=0, attempt_id=None, first_try=False, passed=None, completed=False) -> tuple:
    day = at.replace(tzinfo=UTC).astimezone(ZONE).date()
    return (user_id, lesson_id, kind, at, day, day - timedelta(days=day.weekday()), seconds, attempt_id, first_try, passed,
            completed)


@dataclass(frozen=True)
class Shape:
    learners: int
    attempts: int
    groups: int
    big_group_id: int  # 5 % of the learners: the largest group from 10 × on
    typical_group_id: int  # a group of about 20 learners
    group_sizes: dict[int, int]


def group_sizes(learners: int) -> dict[int, int]:
    """learners / 20 groups; group 1 holds 5 % of the learners, the others share the rest evenly."""
    groups = max(2, learners // LEARNERS_PER_GROUP)
    big = max(1, learners // 20)
    rest, others = learners - big, groups - 1
    sizes = {1: big}
    for n in range(others):
        sizes[n + 2] = rest // others + (1 if n < rest % others else 0)
    return sizes


def _quizzes(library: Library) -> list[tuple[str, str, str, list[str], str]]:
    """(lesson id, fingerprint, question key, wrong keys, right key) of each one-question quiz."""
    out = []
    for lesson in library.ordered_lessons:
        question = lesson.quiz.questions[0]
        right = sorted(question.right_keys)[0]
        wrong = [c.key for c in question.choices if c.key not in question.right_keys]
        out.append((lesson.id, lesson.quiz.fingerprint, question.key, wrong, right))
    return out


def _records(rng: random.Random, sizes: dict[int, int], attempts: int, library: Library) -> Iterator[tuple[str, tuple]]:
    """("user" | "attempt" | "progress" | "activity", row) in insertion order; user ids start at 2 (1 is the admin)."""
    quizzes = _quizzes(library)
    learners = sum(sizes.values())
    per_learner, extra = divmod(attempts, learners)
    user_id, attempt_number = 1, 0
    for group_id, size in sizes.items():
        for _ in range(size):
            user_id += 1
            created = START + timedelta(days=rng.randrange(0, 230), minutes=rng.randrange(0, 600))
            yield "user", (user_id, f"p{user_id:06d}", f"Prénom{user_id}", "B", "participant", None, group_id, True, created,
                           f"bench-session-{user_id}")
            skill = rng.uniform(0.2, 0.8)
            when = created
            position = 0
            progress: dict[str, list] = {}
            for _ in range(per_learner + (1 if user_id - 2 < extra else 0)):
                when += timedelta(minutes=rng.randrange(60, 60 * 60))
                if position < len(quizzes):
                    lesson_id, fingerprint, key, wrong, right = quizzes[position]
                else:  # every lesson done: practice again
                    lesson_id, fingerprint, key, wrong, right = rng.choice(quizzes)
                passed = rng.random() < skill
                if passed and position < len(quizzes):
                    position += 1
                seconds = rng.randrange(30, 600)
                attempt_number += 1
                yield "attempt", (
                    attempt_number, f"bench-{attempt_number:09d}", user_id, lesson_id, fingerprint, int(passed), 1, passed,
                    {key: [right if passed else rng.choice(wrong)]}, seconds, when,
                )
                row = progress.get(lesson_id)
                completes = passed and (row is None or row[2] is None)
                yield "activity", _entry(user_id, lesson_id, "quiz_answered", when, seconds, attempt_number, row is None, passed,
                                         completes)
                if row is None:
                    progress[lesson_id] = [when - timedelta(minutes=5), when, when if passed else None, seconds, int(passed)]
                    yield "activity", _entry(user_id, lesson_id, "opened", when - timedelta(minutes=5))
                else:
                    row[1] = when
                    row[3] += seconds
                    row[4] = max(row[4], int(passed))
                    if passed and row[2] is None:
                        row[2] = when
            for lesson_id, (started, last_seen, completed, seconds, best) in progress.items():
                yield "progress", (user_id, lesson_id, started, last_seen, completed, seconds, best, 1)


def build(library: Library, learners: int, attempts: int, seed: int = SEED) -> Shape:
    """Fill an empty, migrated database (inside an app context)."""
    rng = random.Random(seed)
    sizes = group_sizes(learners)
    password_hash = generate_password_hash(PASSWORD, method="scrypt")  # once for every account
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as connection:
        connection.execute(
            Group.__table__.insert(),
            [{"id": g, "name": f"Groupe {g:04d}", "name_key": f"groupe {g:04d}", "created_at": START} for g in sizes],
        )
        connection.execute(
            User.__table__.insert(),
            [{"id": 1, "username": ADMIN_USERNAME, "first_name": "Admin", "last_initial": "", "role": "admin",
              "password_hash": password_hash, "group_id": None, "active": True, "created_at": START,
              "session_token": "bench-session-admin"}],
        )
    buffers: dict[str, list[tuple]] = {"user": [], "attempt": [], "progress": [], "activity": []}
    tables = {"user": (User.__table__, USER_COLUMNS), "attempt": (QuizAttempt.__table__, ATTEMPT_COLUMNS),
              "progress": (LessonProgress.__table__, PROGRESS_COLUMNS), "activity": (Activity.__table__, ACTIVITY_COLUMNS)}

    def flush(kind: str) -> None:
        rows = buffers[kind]
        if not rows:
            return
        table, columns = tables[kind]
        if kind == "user":
            rows = [row[:5] + (password_hash,) + row[6:] for row in rows]
        if postgres:
            _copy(table.name, columns, rows)
        else:
            with db.engine.begin() as connection:
                connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        buffers[kind] = []

    for kind, row in _records(rng, sizes, attempts, library):
        buffers[kind].append(row)
        if len(buffers[kind]) >= BATCH:
            if kind != "user":
                flush("user")  # foreign keys: learners first, then the attempts the log points to
            if kind == "activity":
                flush("attempt")
            flush(kind)
    for kind in ("user", "attempt", "progress", "activity"):
        flush(kind)
    _add_workshops(rng, library, postgres)
    if postgres:
        with db.engine.begin() as connection:
            for table in ("user", "group", "quiz_attempt", "workshop"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"))  # noqa: S608 (two fixed table names)
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
        finally:
            raw.close()
    typical = min((g for g in sizes if g != 1), key=lambda g: (abs(sizes[g] - LEARNERS_PER_GROUP), g))
    return Shape(learners, attempts, len(sizes), 1, typical, sizes)


WORKSHOPS_PER_GROUP = 20  # a workshop of three hours every other week of 2025


def _add_workshops(rng: random.Random, library: Library, postgres: bool) -> None:
    """Each group's workshops through the modules, most members at each (issue 17's report reads them)."""
    members: dict[int, list[int]] = {}
    for user_id, group_id in db.session.execute(select(User.id, User.group_id).where(User.group_id.is_not(None))):
        members.setdefault(group_id, []).append(user_id)
    modules = [m.id for m in library.modules]
    workshops, attendance = [], []
    for group_id, people in sorted(members.items()):
        for number in range(WORKSHOPS_PER_GROUP):
            workshop_id = len(workshops) + 1
            day = (START + timedelta(days=14 * number + group_id % 7)).date()
            workshops.append((workshop_id, group_id, modules[number * len(modules) // WORKSHOPS_PER_GROUP], day, 180,
                              "Centre social", None, START))
            attendance += [(len(attendance) + 1 + i, workshop_id, person)
                           for i, person in enumerate(p for p in people if rng.random() < 0.7)]
    for table, columns, rows in (
        (Workshop.__table__, WORKSHOP_COLUMNS, workshops), (WorkshopAttendance.__table__, ATTENDANCE_COLUMNS, attendance),
    ):
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            if postgres:
                _copy(table.name, columns, batch)
            else:
                with db.engine.begin() as connection:
                    connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in batch])


WORKSHOP_COLUMNS = ("id", "group_id", "module_id", "day", "minutes", "place", "created_by_id", "created_at")
ATTENDANCE_COLUMNS = ("id", "workshop_id", "user_id")


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        names = ", ".join(columns)
        answers = columns.index("answers") if "answers" in columns else None
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                if answers is not None:
                    row = row[:answers] + (json.dumps(row[answers]),) + row[answers + 1:]
                copy.write_row(row)
        raw.driver_connection.commit()
    finally:
        raw.close()
