"""A group's progress as one row per learner and lesson, for its CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..models import LessonProgress, QuizAttempt
from ..progress import LessonStatus
from ..timezone import local
from .group_progress import Cell
from .members import learners_in, participants

EXPORT_HEADER = (
    "Participant", "Identifiant", "Module", "Leçon", "État", "Meilleur score (%)", "Tentatives au quiz",
    "Temps passé (minutes)", "Première visite", "Dernière visite", "Terminée le",
)
STATE_WORDS = {LessonStatus.TODO: "à faire", LessonStatus.STARTED: "commencée", LessonStatus.DONE: "terminée"}


def _stamp(moment: datetime | None) -> str:
    """A moment as the association's local date and time, as a spreadsheet reads it."""
    return local(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def group_export_rows(group_id: int, library: Library) -> Iterator[tuple]:
    """In three queries, to be streamed as CSV."""
    learners = participants([group_id])
    progress_rows = {
        (r.user_id, r.lesson_id): r
        for r in db.session.execute(
            select(
                LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.started_at, LessonProgress.last_seen_at,
                LessonProgress.completed_at, LessonProgress.seconds_spent, LessonProgress.best_score,
                LessonProgress.best_max_score,
            ).where(LessonProgress.user_id.in_(learners_in([group_id])))
        )
    }
    attempt_counts = {
        (user_id, lesson_id): count
        for user_id, lesson_id, count in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.count(QuizAttempt.id))
            .where(QuizAttempt.user_id.in_(learners_in([group_id])))
            .group_by(QuizAttempt.user_id, QuizAttempt.lesson_id)
        )
    }
    for learner in learners:
        for module in library.modules:
            for lesson in module.lessons:
                row = progress_rows.get((learner.id, lesson.id))
                if row is None:
                    status, best, seconds, started, seen, completed = LessonStatus.TODO, None, 0, None, None, None
                else:
                    status = LessonStatus.DONE if row.completed_at else LessonStatus.STARTED
                    best = Cell(status, row.best_score, row.best_max_score).best_percent
                    seconds, started, seen, completed = row.seconds_spent or 0, row.started_at, row.last_seen_at, row.completed_at
                yield (
                    learner.display_name, learner.username, module.title, lesson.title, STATE_WORDS[status],
                    "" if best is None else best, attempt_counts.get((learner.id, lesson.id), 0), round(seconds / 60),
                    _stamp(started), _stamp(seen), _stamp(completed),
                )
