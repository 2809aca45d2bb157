"""Learners × lessons of one group (the facilitator's grid), or of several (« Qui a besoin de vous »)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..models import EXERCISE_KINDS, Activity, LessonProgress, QuizAttempt, utcnow
from ..progress import LessonStatus, WithStatus
from ..rules import FAILURES_FLAGGED, INACTIVE_AFTER
from .members import learners_in, participants


@dataclass(frozen=True)
class Cell(WithStatus):
    status: LessonStatus = LessonStatus.TODO
    best_score: int | None = None
    best_max_score: int | None = None
    failures: int = 0

    @property
    def best_percent(self) -> int | None:
        if self.best_score is None or not self.best_max_score:
            return None
        return round(100 * self.best_score / self.best_max_score)

    @property
    def stuck(self) -> bool:
        """Failed the quiz often enough to be flagged, and not passed since."""
        return self.failures >= FAILURES_FLAGGED and not self.done


EMPTY_CELL = Cell()


@dataclass
class LearnerRow:
    id: int
    name: str
    username: str
    active: bool
    created_at: datetime
    group_id: int | None = None
    last_login_at: datetime | None = None
    last_activity: datetime | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    inactive: bool = False
    # Lessons whose quiz was failed at least FAILURES_FLAGGED times and not passed since.
    stuck_on: list[str] = field(default_factory=list)
    done: int = 0
    seconds: int = 0

    def cell(self, lesson_id: str) -> Cell:
        return self.cells.get(lesson_id, EMPTY_CELL)


@dataclass
class GroupProgress:
    learners: list[LearnerRow]
    lesson_count: int


def group_progress(group_id: int, library: Library, now: datetime | None = None) -> GroupProgress:
    """In four queries whatever the group's size."""
    return learners_progress([group_id], library, now)


def learners_progress(group_ids: list[int], library: Library, now: datetime | None = None) -> GroupProgress:
    """The learners of these groups, in four queries whatever their number."""
    now = now or utcnow()
    in_group = learners_in(group_ids)
    rows = {
        u.id: LearnerRow(u.id, u.display_name, u.username, u.active, u.created_at, u.group_id, u.last_login_at)
        for u in participants(group_ids)
    }
    failures = {
        (user_id, lesson_id): count
        for user_id, lesson_id, count in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.count(QuizAttempt.id))
            .where(QuizAttempt.user_id.in_(in_group), QuizAttempt.passed.is_(False))
            .group_by(QuizAttempt.user_id, QuizAttempt.lesson_id)
        )
    }
    progress_rows = db.session.execute(
        select(
            LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.completed_at,
            LessonProgress.best_score, LessonProgress.best_max_score, LessonProgress.last_seen_at,
            LessonProgress.seconds_spent,
        ).where(LessonProgress.user_id.in_(in_group))
    )
    for user_id, lesson_id, completed_at, best_score, best_max_score, last_seen_at, seconds in progress_rows:
        row = rows[user_id]
        status = LessonStatus.DONE if completed_at else LessonStatus.STARTED
        row.cells[lesson_id] = Cell(status, best_score, best_max_score, failures.get((user_id, lesson_id), 0))
        row.done += completed_at is not None
        row.seconds += seconds or 0
        if row.last_activity is None or last_seen_at > row.last_activity:
            row.last_activity = last_seen_at
    # Practice scenarios leave the lessons' summaries alone: a learner who only practises is active too.
    for user_id, last_step_at in db.session.execute(
        select(Activity.user_id, func.max(Activity.at))
        .where(Activity.user_id.in_(in_group), Activity.kind.in_(EXERCISE_KINDS)).group_by(Activity.user_id)
    ):
        row = rows[user_id]
        row.last_activity = max(filter(None, (row.last_activity, last_step_at)))
    order = {lesson.id: i for i, lesson in enumerate(library.ordered_lessons)}
    for row in rows.values():
        row.inactive = (row.last_activity or row.created_at) <= now - INACTIVE_AFTER
        row.stuck_on = sorted(
            (lesson_id for lesson_id, cell in row.cells.items() if cell.stuck),
            key=lambda lesson_id: order.get(lesson_id, len(order)),
        )
    return GroupProgress(list(rows.values()), len(library.ordered_lessons))
