"""One lesson across some groups: per question, right answers at first try and the wrong answer
chosen most often."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ..content import Lesson
from ..extensions import db
from ..models import Activity, LessonProgress, QuizAttempt
from .members import learners_in


@dataclass(frozen=True)
class QuestionStats:
    key: str
    prompt_html: str
    answered: int
    right: int
    top_wrong_html: str | None
    top_wrong_count: int

    @property
    def right_percent(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None


@dataclass
class LessonStats:
    started: int
    completed: int
    first_attempts: int
    # First attempts made on an older version of the quiz, left out of the questions' figures.
    older_version: int
    questions: list[QuestionStats]


def lesson_stats(lesson: Lesson, group_ids: list[int]) -> LessonStats:
    """In two queries: the summary rows' counts, the first attempts (marked so in the log)."""
    learners = learners_in(group_ids)
    started, completed = db.session.execute(
        select(func.count(LessonProgress.id), func.count(LessonProgress.completed_at))
        .where(LessonProgress.lesson_id == lesson.id, LessonProgress.user_id.in_(learners))
    ).one()
    firsts = list(
        db.session.scalars(
            select(QuizAttempt).join(Activity, Activity.attempt_id == QuizAttempt.id)
            .where(Activity.user_id.in_(learners), Activity.lesson_id == lesson.id, Activity.first_try)
        )
    )
    current = [a for a in firsts if lesson.quiz and a.quiz_fingerprint == lesson.quiz.fingerprint]
    questions = []
    for question in lesson.quiz.questions if lesson.quiz else ():
        right, answered, wrong_choices = 0, 0, Counter()
        for attempt in current:
            given = frozenset(attempt.answers.get(question.key, ()))
            if not given:
                continue
            answered += 1
            if given == question.right_keys:
                right += 1
            else:
                wrong_choices.update(key for key in given if key not in question.right_keys)
        top = wrong_choices.most_common(1)
        choice = question.choice(top[0][0]) if top else None
        questions.append(
            QuestionStats(
                question.key, question.prompt_html, answered, right,
                choice.text_html if choice else None, top[0][1] if top else 0,
            )
        )
    return LessonStats(started, completed, len(firsts), len(firsts) - len(current), questions)
