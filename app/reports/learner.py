"""One learner: lessons, every quiz attempt with the answers given, and a timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape
from sqlalchemy import select

from ..content import AnswerError, Lesson, Library, QuestionType
from ..content.grading import grade_answer
from ..extensions import db
from ..models import Activity, ActivityKind, HelpRequest, LessonProgress, QuizAttempt
from ..progress import LessonStatus
from .group_progress import Cell


@dataclass(frozen=True)
class AnswerShown:
    prompt_html: str
    given_html: tuple[str, ...]
    correct: bool
    dont_know: bool = False


@dataclass(frozen=True)
class AttemptShown:
    id: int
    lesson_id: str
    lesson_title: str
    created_at: datetime
    score: int
    max_score: int
    passed: bool
    seconds_spent: int
    # None when the lesson changed since: its choices can no longer be named.
    answers: tuple[AnswerShown, ...] | None
    raw_answers: dict


class EventKind:
    """What the timeline shows: a lesson first opened, a lesson done, a quiz answered, help asked."""

    STARTED, DONE, ATTEMPT, HELP = "started", "done", "attempt", "help"


@dataclass(frozen=True)
class Event:
    when: datetime
    kind: str  # one of EventKind
    lesson_id: str
    lesson_title: str
    detail: str = ""


@dataclass
class LearnerActivity:
    states: dict[str, Cell]
    completed: dict[str, datetime]
    seconds: int
    attempts: list[AttemptShown]
    events: list[Event]
    first_activity: datetime | None
    last_activity: datetime | None


def _answers_shown(lesson: Lesson | None, attempt: QuizAttempt) -> tuple[AnswerShown, ...] | None:
    if lesson is None or lesson.quiz is None or lesson.quiz.fingerprint != attempt.quiz_fingerprint:
        return None
    shown = []
    for question in lesson.quiz.questions:
        try:
            result = grade_answer(lesson.quiz, question, attempt.answers.get(question.key, []))
        except AnswerError:
            return None
        shown.append(AnswerShown(question.prompt_html, _given_texts(result), result.correct, result.dont_know))
    return tuple(shown)


def _given_texts(result) -> tuple[str, ...]:
    """The answer as the learner gave it, in HTML: choices, steps in their order, the zone tapped,
    the typed text (empty for « Je ne sais pas » or a tap outside every zone, which AnswerShown says)."""
    question = result.question
    if result.dont_know:
        return ()
    if question.type is QuestionType.TYPED:
        return tuple(str(escape(text)) for text in result.given)
    if question.type is QuestionType.TAP:
        return (result.zone_chosen.text_html,) if result.zone_chosen else ()
    return tuple(c.text_html for key in result.given if (c := question.choice(key)) is not None)


def learner_activity(learner_id: int, library: Library) -> LearnerActivity:
    """In four queries: the summary rows, the attempts, the log, the help requests."""

    def title(lesson_id: str) -> str:
        lesson = library.lesson(lesson_id)
        return lesson.title if lesson else lesson_id

    progress_rows = list(db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == learner_id)))
    attempts = list(
        db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == learner_id).order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())
        )
    )
    shown = [
        AttemptShown(
            attempt.id, attempt.lesson_id, title(attempt.lesson_id), attempt.created_at, attempt.score,
            attempt.max_score, attempt.passed, attempt.seconds_spent,
            _answers_shown(library.lesson(attempt.lesson_id), attempt), attempt.answers,
        )
        for attempt in attempts
    ]
    scores = {attempt.id: f"{attempt.score}/{attempt.max_score}" for attempt in attempts}
    entries = db.session.execute(
        select(Activity.at, Activity.kind, Activity.lesson_id, Activity.attempt_id, Activity.completed_lesson)
        .where(Activity.user_id == learner_id).order_by(Activity.at, Activity.id)
    ).all()
    events, opened = [], set()
    for at, kind, lesson_id, attempt_id, completed_lesson in entries:
        if kind is ActivityKind.OPENED and lesson_id not in opened:
            events.append(Event(at, EventKind.STARTED, lesson_id, title(lesson_id)))
        opened.add(lesson_id)
        if kind is ActivityKind.QUIZ_ANSWERED:
            events.append(Event(at, EventKind.ATTEMPT, lesson_id, title(lesson_id), scores.get(attempt_id, "")))
        if completed_lesson:
            events.append(Event(at, EventKind.DONE, lesson_id, title(lesson_id)))
    for help_request in db.session.scalars(select(HelpRequest).where(HelpRequest.user_id == learner_id)):
        events.append(Event(help_request.created_at, EventKind.HELP, help_request.lesson_id, title(help_request.lesson_id),
                            help_request.message))
    events.sort(key=lambda event: event.when, reverse=True)
    return LearnerActivity(
        states={
            r.lesson_id: Cell(LessonStatus.DONE if r.completed_at else LessonStatus.STARTED, r.best_score, r.best_max_score)
            for r in progress_rows
        },
        completed={r.lesson_id: r.completed_at for r in progress_rows if r.completed_at},
        seconds=sum(r.seconds_spent or 0 for r in progress_rows),
        attempts=shown,
        events=events,
        first_activity=entries[0].at if entries else None,
        last_activity=entries[-1].at if entries else None,
    )

