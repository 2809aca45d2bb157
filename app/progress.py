"""The only writer of learning records: visits, completions and quiz attempts.

Each public writer is one use case and commits once. Writers are idempotent
where a phone may resend: a quiz attempt is keyed by its client id. Each write
also adds to the summaries the reports read (models.LearnerDay, LearnerWeek,
ModuleCompletion), in the same transaction; `rebuild_summaries` recomputes them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .content import Lesson, Library, Module, QuizResult
from .extensions import db
from .models import HelpRequest, LearnerDay, LearnerWeek, LessonProgress, ModuleCompletion, QuizAttempt, utcnow

# One page of a lesson rarely takes longer; beyond this the phone was left aside.
MAX_CREDITED_SECONDS = 30 * 60

TODO, STARTED, DONE = "todo", "started", "done"


class ForeignSubmission(ValueError):
    """A client id already used by another learner."""


@dataclass(frozen=True)
class LessonState:
    status: str
    best_score: int | None = None
    best_max_score: int | None = None
    seconds_spent: int = 0
    last_seen_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def best_percent(self) -> int | None:
        if self.best_score is None or not self.best_max_score:
            return None
        return round(100 * self.best_score / self.best_max_score)


NOT_STARTED = LessonState(TODO)


def _credit(seconds: int | None) -> int:
    return max(0, min(int(seconds or 0), MAX_CREDITED_SECONDS))


def _progress_row(user_id: int, lesson_id: str) -> LessonProgress:
    row = db.session.execute(
        select(LessonProgress).filter_by(user_id=user_id, lesson_id=lesson_id)
    ).scalar_one_or_none()
    if row is None:
        now = utcnow()
        row = LessonProgress(user_id=user_id, lesson_id=lesson_id, seconds_spent=0, started_at=now, last_seen_at=now)
        db.session.add(row)
    return row


def _commit_retrying(write) -> None:
    """Run write() and commit; a concurrent first visit makes the row exist, so retry once."""
    try:
        write()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        write()
        db.session.commit()


# A lesson opened again this soon, with nothing opened in between, is not written again: most
# repeated views (back, reload, the quiz's result) then cost no write, and "continue" stays right.
VISIT_REWRITE_AFTER = timedelta(minutes=10)


def record_visit(user_id: int, lesson_id: str) -> None:
    now = utcnow()
    latest = db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.last_seen_at)
        .filter_by(user_id=user_id)
        .order_by(LessonProgress.last_seen_at.desc())
        .limit(1)
    ).first()
    if latest and latest.lesson_id == lesson_id and now - latest.last_seen_at < VISIT_REWRITE_AFTER \
            and _same_day(latest.last_seen_at, now):
        return

    def write():
        _row, summaries = _seen(user_id, lesson_id, now)
        summaries.write()

    _commit_retrying(write)


def _same_day(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment.date() == now.date()


def _seen(user_id: int, lesson_id: str, now: datetime) -> tuple[LessonProgress, Summaries]:
    """The learner's row for this lesson, seen now, and the summaries this write adds to.

    The learner counts as active today unless the row was already written today: every write of
    a row marks the day of its last_seen_at, so that day is marked already.
    """
    row = _progress_row(user_id, lesson_id)
    summaries = Summaries()
    if row.id is None or not _same_day(row.last_seen_at, now):
        summaries.active(user_id, now)
    row.last_seen_at = now
    return row, summaries


def complete_lesson(user_id: int, lesson: Lesson, module: Module, seconds: int | None = 0) -> None:
    """A lesson without a quiz, finished: its reading time is credited each time."""

    def write():
        now = utcnow()
        row, summaries = _seen(user_id, lesson.id, now)
        credited = _credit(seconds)
        row.seconds_spent = (row.seconds_spent or 0) + credited
        summaries.credit(user_id, now, credited)
        if row.completed_at is None:
            row.completed_at = now
            _note_module_completion(summaries, user_id, module, now)
        summaries.write()

    _commit_retrying(write)


def record_attempt(
    user_id: int, lesson: Lesson, module: Module, result: QuizResult, client_id: str, seconds: int | None = 0
) -> QuizAttempt:
    """Store one quiz submission once, whatever the number of times it is sent."""
    existing = _attempt_by_client_id(client_id)
    if existing is not None:
        return _same_learner(existing, user_id)
    passed = result.passed(lesson.pass_mark)
    attempt = QuizAttempt(
        client_id=client_id,
        user_id=user_id,
        lesson_id=lesson.id,
        quiz_fingerprint=lesson.quiz.fingerprint,
        score=result.score,
        max_score=result.max_score,
        passed=passed,
        answers=result.answers(),
        seconds_spent=_credit(seconds),
    )

    def write():
        first_try = not db.session.scalar(
            select(func.count()).select_from(QuizAttempt).filter_by(user_id=user_id, lesson_id=lesson.id)
        )
        db.session.add(attempt)
        attempt.created_at = now = utcnow()
        row, summaries = _seen(user_id, lesson.id, now)
        row.seconds_spent = (row.seconds_spent or 0) + attempt.seconds_spent
        if row.best_score is None or result.score * (row.best_max_score or 1) > row.best_score * result.max_score:
            row.best_score, row.best_max_score = result.score, result.max_score
        summaries.credit(user_id, attempt.created_at, attempt.seconds_spent, first_try=first_try, passed=passed)
        if passed and row.completed_at is None:
            row.completed_at = attempt.created_at
            _note_module_completion(summaries, user_id, module, attempt.created_at)
        summaries.write()

    try:
        write()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _attempt_by_client_id(client_id)
        if existing is not None:  # the same submission arrived twice at once
            return _same_learner(existing, user_id)
        write()  # the rollback expunged the pending attempt: add it again
        db.session.commit()
    return attempt


def _note_module_completion(summaries: Summaries, user_id: int, module: Module, moment: datetime) -> None:
    """Called when a lesson of the module was just completed (flushed with the others)."""
    db.session.flush()
    lesson_ids = [lesson.id for lesson in module.lessons]
    done = db.session.scalar(
        select(func.count()).select_from(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids),
            LessonProgress.completed_at.is_not(None),
        )
    )
    if lesson_ids and done == len(lesson_ids):
        summaries.module_completed(user_id, module.id, moment)


def _attempt_by_client_id(client_id: str) -> QuizAttempt | None:
    return db.session.execute(select(QuizAttempt).filter_by(client_id=client_id)).scalar_one_or_none()


def _same_learner(attempt: QuizAttempt, user_id: int) -> QuizAttempt:
    if attempt.user_id != user_id:
        raise ForeignSubmission(attempt.client_id)
    return attempt


def learner_states(user_id: int) -> dict[str, LessonState]:
    """Every lesson this learner has opened, by lesson id, in one query."""
    rows = db.session.execute(select(LessonProgress).filter_by(user_id=user_id)).scalars()
    return {
        row.lesson_id: LessonState(
            status=DONE if row.completed_at else STARTED,
            best_score=row.best_score,
            best_max_score=row.best_max_score,
            seconds_spent=row.seconds_spent,
            last_seen_at=row.last_seen_at,
            completed_at=row.completed_at,
        )
        for row in rows
    }


def learner_attempt(user_id: int, attempt_id: int) -> QuizAttempt | None:
    return db.session.execute(
        select(QuizAttempt).filter_by(id=attempt_id, user_id=user_id)
    ).scalar_one_or_none()


def lesson_to_continue(ordered_lesson_ids: list[str], states: dict[str, LessonState]) -> str | None:
    """The lesson last opened if unfinished, else the first unfinished one in course order."""
    unfinished = [i for i in ordered_lesson_ids if states.get(i, NOT_STARTED).status != DONE]
    started = [i for i in unfinished if i in states]
    if started:
        return max(started, key=lambda i: states[i].last_seen_at)
    return unfinished[0] if unfinished else None


# Summaries ------------------------------------------------------------------------------

ALL_DAYS = 0b1111111


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def day_bit(day: date) -> int:
    return 1 << day.weekday()


@dataclass
class Summaries:
    """What some records add to the summaries: those of one write, or of every record (rebuild)."""

    # (learner, day) -> [seconds, first attempts, first attempts passed]
    days: defaultdict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    # (learner, Monday) -> bits of the active days
    weeks: defaultdict = field(default_factory=lambda: defaultdict(int))
    # (learner, module) -> when its last lesson was finished
    modules: dict = field(default_factory=dict)

    def active(self, user_id: int, moment: datetime) -> None:
        day = moment.date()
        self.weeks[user_id, week_of(day)] |= day_bit(day)

    def credit(self, user_id: int, moment: datetime, seconds: int, first_try: bool = False, passed: bool = False) -> None:
        figures = self.days[user_id, moment.date()]
        figures[0] += seconds
        figures[1] += first_try
        figures[2] += first_try and passed

    def module_completed(self, user_id: int, module_id: str, moment: datetime) -> None:
        self.modules[user_id, module_id] = moment

    def write(self) -> None:
        """Add these figures to the stored ones (upserts: one statement per table, many rows each)."""
        add_days, mark_weeks, note_modules = _upserts(db.engine.dialect.name)
        days = [
            {"user_id": user_id, "day": day, "seconds": s, "first_attempts": f, "first_attempts_passed": p}
            for (user_id, day), (s, f, p) in self.days.items() if s or f
        ]
        if days:
            db.session.execute(add_days, days)
        if self.weeks:
            db.session.execute(
                mark_weeks, [{"user_id": user_id, "week": week, "days": bits} for (user_id, week), bits in self.weeks.items()]
            )
        if self.modules:
            db.session.execute(
                note_modules, [{"user_id": u, "module_id": m, "completed_at": at} for (u, m), at in self.modules.items()]
            )


@cache
def _upserts(dialect: str) -> tuple:
    """The three upserts, built once per database kind (building one costs more than running it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    days, weeks = insert(LearnerDay), insert(LearnerWeek)
    return (
        days.on_conflict_do_update(
            index_elements=["user_id", "day"],
            set_={column: getattr(LearnerDay, column) + getattr(days.excluded, column)
                  for column in ("seconds", "first_attempts", "first_attempts_passed")},
        ),
        weeks.on_conflict_do_update(index_elements=["user_id", "week"], set_={"days": LearnerWeek.days.op("|")(weeks.excluded.days)}),
        insert(ModuleCompletion).on_conflict_do_nothing(),
    )


def rebuild_summaries(library: Library) -> None:
    """Recompute every summary from the records (after a migration, or to check them).

    The records keep less than the writes saw: a lesson's visits between its first and last one,
    and reading time credited to a lesson without a quiz after it was first finished (counted
    here on the day it was finished), are not in them.
    """
    summaries = Summaries()
    done: dict[int, dict[str, datetime]] = defaultdict(dict)
    with_attempts = set()
    attempts = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.lesson_id, QuizAttempt.created_at, QuizAttempt.passed, QuizAttempt.seconds_spent)
        .order_by(QuizAttempt.user_id, QuizAttempt.lesson_id, QuizAttempt.created_at, QuizAttempt.id)
    )
    for user_id, lesson_id, created_at, passed, seconds in attempts:
        first_try = (user_id, lesson_id) not in with_attempts
        with_attempts.add((user_id, lesson_id))
        summaries.active(user_id, created_at)
        summaries.credit(user_id, created_at, seconds, first_try=first_try, passed=passed)
    progress_rows = db.session.execute(
        select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.started_at, LessonProgress.last_seen_at,
               LessonProgress.completed_at, LessonProgress.seconds_spent)
    )
    for user_id, lesson_id, started_at, last_seen_at, completed_at, seconds in progress_rows:
        summaries.active(user_id, started_at)
        summaries.active(user_id, last_seen_at)
        if completed_at is not None:
            done[user_id][lesson_id] = completed_at
            summaries.active(user_id, completed_at)
            if (user_id, lesson_id) not in with_attempts:  # a lesson with a quiz is finished by passing it
                summaries.credit(user_id, completed_at, seconds or 0)
    for user_id, completed in done.items():
        for module in library.modules:
            ids = [lesson.id for lesson in module.lessons]
            if ids and all(i in completed for i in ids):
                summaries.module_completed(user_id, module.id, max(completed[i] for i in ids))
    for model in (LearnerDay, LearnerWeek, ModuleCompletion):
        db.session.execute(db.delete(model))
    summaries.write()
    db.session.commit()


# Help requests ("Je suis bloqué·e") ----------------------------------------------------

HELP_MESSAGE_MAX = 500


def request_help(user_id: int, lesson_id: str, message: str = "") -> HelpRequest:
    """A learner stuck on a lesson asks to be called back."""
    help_request = HelpRequest(user_id=user_id, lesson_id=lesson_id, message=(message or "").strip()[:HELP_MESSAGE_MAX])
    db.session.add(help_request)
    db.session.commit()
    return help_request


def mark_help_handled(help_request: HelpRequest, handled_by_id: int) -> None:
    """Idempotent: marking twice keeps the first time and person."""
    if help_request.handled_at is None:
        help_request.handled_at = utcnow()
        help_request.handled_by_id = handled_by_id
        db.session.commit()
