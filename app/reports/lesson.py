"""One lesson across some groups: per question, right answers at first try, the wrong answer
chosen most often (for a tap question the zone, for ordering the order), « Je ne sais pas », the
hints opened, and where the group tapped wrong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ..content import AnswerError, Lesson, Question, QuestionType, Quiz
from ..content.grading import grade_answer
from ..extensions import db
from ..models import Activity, LessonProgress, QuizAttempt
from .members import learners_in


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    right: int
    top_wrong_html: str | None
    top_wrong_count: int
    dont_know: int = 0
    # People who opened at least one hint, and the hints opened in all.
    hinted: int = 0
    hints_opened: int = 0
    # Where the group tapped outside the right zones: where people look for the button.
    wrong_taps: tuple[tuple[int, int], ...] = ()
    # The steps of the wrong order given most often (top_wrong_count times).
    top_wrong_order_html: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def prompt_html(self) -> str:
        return self.question.prompt_html

    @property
    def right_percent(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None

    @property
    def dont_know_percent(self) -> int | None:
        return round(100 * self.dont_know / self.answered) if self.answered else None


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
    questions = [_question_stats(lesson.quiz, question, current) for question in (lesson.quiz.questions if lesson.quiz else ())]
    return LessonStats(started, completed, len(firsts), len(firsts) - len(current), questions)


def _question_stats(quiz: Quiz, question: Question, attempts: list[QuizAttempt]) -> QuestionStats:
    """Graded again by content, answer by answer: the attempt keeps its answers, not each verdict."""
    results = []
    hints = [attempt.hints.get(question.key, 0) for attempt in attempts if attempt.hints]
    for attempt in attempts:
        given = attempt.answers.get(question.key)
        if not given:
            continue
        try:
            results.append(grade_answer(quiz, question, given))
        except AnswerError:
            continue  # cannot happen for the same version of the quiz; never a 500 if it does
    wrong = [r for r in results if not r.correct and not r.dont_know]
    if question.type is QuestionType.ORDER:
        orders = Counter(r.given for r in wrong).most_common(1)
        top_html, top_count = None, orders[0][1] if orders else 0
        order_html = tuple(question.choice(key).text_html for key in orders[0][0]) if orders else ()
    else:
        if question.type is QuestionType.TAP:
            chosen = Counter(r.zone_chosen.key for r in wrong if r.zone_chosen)
        else:
            chosen = Counter(key for r in wrong for key in r.given if key not in question.right_keys)
        top = chosen.most_common(1)
        top_html, top_count = (question.choice(top[0][0]).text_html, top[0][1]) if top else (None, 0)
        order_html = ()
    return QuestionStats(
        question, len(results), sum(r.correct for r in results), top_html, top_count,
        dont_know=sum(r.dont_know for r in results),
        hinted=sum(1 for count in hints if count), hints_opened=sum(hints),
        wrong_taps=tuple(r.point for r in wrong if r.point),
        top_wrong_order_html=order_html,
    )
