"""The only writer of learning records: visits, completions and quiz attempts.

Each public writer is one use case and commits once. Writers are idempotent
where a phone may resend: a quiz attempt is keyed by its client id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .content import Lesson, QuizResult
from .extensions import db
from .models import HelpRequest, LessonProgress, QuizAttempt, utcnow

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
        row = LessonProgress(user_id=user_id, lesson_id=lesson_id, seconds_spent=0)
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


def record_visit(user_id: int, lesson_id: str) -> None:
    def write():
        row = _progress_row(user_id, lesson_id)
        row.last_seen_at = utcnow()

    _commit_retrying(write)


def complete_lesson(user_id: int, lesson_id: str, seconds: int | None = 0) -> None:
    def write():
        row = _progress_row(user_id, lesson_id)
        now = utcnow()
        row.last_seen_at = now
        row.seconds_spent = (row.seconds_spent or 0) + _credit(seconds)
        if row.completed_at is None:
            row.completed_at = now

    _commit_retrying(write)


def record_attempt(
    user_id: int, lesson: Lesson, result: QuizResult, client_id: str, seconds: int | None = 0
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
        db.session.add(attempt)
        row = _progress_row(user_id, lesson.id)
        row.last_seen_at = attempt.created_at = utcnow()
        row.seconds_spent = (row.seconds_spent or 0) + attempt.seconds_spent
        if row.best_score is None or result.score * (row.best_max_score or 1) > row.best_score * result.max_score:
            row.best_score, row.best_max_score = result.score, result.max_score
        if passed and row.completed_at is None:
            row.completed_at = attempt.created_at

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
