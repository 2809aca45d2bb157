"""A group's progress for its CSV exports: one row per learner and lesson, or one row per learner.
Numbers, durations and dates as app.formats writes them for a French spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..formats import duration, spreadsheet_moment
from ..models import LessonProgress, QuizAttempt
from ..progress import LessonStatus
from .group_progress import Cell, group_progress
from .members import learners_in, participants

EXPORT_HEADER = (
    "Participant", "Identifiant", "Module", "Leçon", "État", "Meilleur score (%)", "Tentatives au quiz",
    "Temps passé", "Première visite", "Dernière visite", "Terminée le",
)
PEOPLE_EXPORT_HEADER = (
    "Participant", "Identifiant", "Compte", "Leçons terminées", "Leçons commencées", "Leçons en tout", "Temps passé",
    "Dernière activité", "Inactif", "Quiz échoués plusieurs fois",
)
STATE_WORDS = {LessonStatus.TODO: "à faire", LessonStatus.STARTED: "commencée", LessonStatus.DONE: "terminée"}


def group_export_rows(group_id: int, library: Library) -> Iterator[tuple]:
    """One row per learner and lesson, in three queries, to be streamed as CSV."""
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
                    "" if best is None else best, attempt_counts.get((learner.id, lesson.id), 0), duration(seconds),
                    spreadsheet_moment(started), spreadsheet_moment(seen), spreadsheet_moment(completed),
                )


def group_people_rows(group_id: int, library: Library) -> Iterator[tuple]:
    """One row per learner: the group's grid added up, in the grid's three queries."""
    grid = group_progress(group_id, library)
    for row in grid.learners:
        started = sum(1 for cell in row.cells.values() if not cell.done)
        stuck = ", ".join(lesson.title if (lesson := library.lesson(lesson_id)) else lesson_id for lesson_id in row.stuck_on)
        yield (
            row.name, row.username, "actif" if row.active else "désactivé", row.done, started, grid.lesson_count,
            duration(row.seconds), spreadsheet_moment(row.last_activity), "oui" if row.inactive else "non", stuck,
        )
