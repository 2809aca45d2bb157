"""Grade a learner's answers against a quiz: pure functions returning a result, one per kind of
question, chosen by the question's type.

An answer is recorded as a list of strings, the same for every kind:
choice keys (one answer, several answers, true or false); a tap's point « x,y » in the picture's
pixels, or the key of the zone chosen from the list; the step keys in the learner's order; the
typed text; or [DONT_KNOW]."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .model import DONT_KNOW, Choice, Question, QuestionType, Quiz, Tolerance

_POINT = re.compile(r"^(\d{1,5}),(\d{1,5})$")


class AnswerError(ValueError):
    """Answers that no form of ours could have sent (unknown question or choice)."""


class MissingAnswers(ValueError):
    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    given: tuple[str, ...]
    correct: bool

    @property
    def dont_know(self) -> bool:
        return self.given == (DONT_KNOW,)

    @property
    def point(self) -> tuple[int, int] | None:
        """Where a tap landed, in the picture's pixels."""
        return tap_point(self.given[0]) if self.question.type is QuestionType.TAP and self.given else None

    @property
    def zone_chosen(self) -> Choice | None:
        """A tap question's zone the learner tapped in or chose from the list (None: elsewhere)."""
        if self.question.type is not QuestionType.TAP or self.dont_know:
            return None
        point = self.point
        if point is None:
            return self.question.choice(self.given[0])
        # A right zone first, where zones overlap, as grading counts it.
        zones = sorted(self.question.choices, key=lambda choice: not choice.correct)
        return next((choice for choice in zones if choice.zone.contains(*point)), None)


def score_needed(pass_mark: int, max_score: int) -> int:
    """Right answers needed to pass, out of max_score: 80 % of 5 questions is 4."""
    return -(-pass_mark * max_score // 100)  # rounded up: 80 % of 3 is 3, never 2.4


@dataclass(frozen=True)
class QuizResult:
    results: tuple[QuestionResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def max_score(self) -> int:
        return len(self.results)

    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    def passed(self, pass_mark: int) -> bool:
        return self.max_score > 0 and self.score >= score_needed(pass_mark, self.max_score)

    def answers(self) -> dict[str, list[str]]:
        return {r.question.key: list(r.given) for r in self.results}


def tap_point(value: str) -> tuple[int, int] | None:
    match = _POINT.match(value)
    return (int(match[1]), int(match[2])) if match else None


def _grade_choices(question: Question, given: tuple[str, ...]) -> bool:
    if any(question.choice(key) is None for key in given):
        raise AnswerError(f"choix inconnu pour {question.key}")
    if question.type is not QuestionType.MULTIPLE and len(given) > 1:
        raise AnswerError(f"plusieurs réponses pour {question.key}")
    return frozenset(given) == question.right_keys


def _grade_tap(question: Question, given: tuple[str, ...]) -> bool:
    """A point inside a right zone, or a right zone chosen from the list of zones."""
    if len(given) != 1:
        raise AnswerError(f"plusieurs réponses pour {question.key}")
    point = tap_point(given[0])
    if point is None:
        return _grade_choices(question, given)
    return any(choice.correct and choice.zone.contains(*point) for choice in question.choices)


def _grade_order(question: Question, given: tuple[str, ...]) -> bool:
    steps = [choice.key for choice in question.choices]
    if sorted(given) != sorted(steps):
        raise AnswerError(f"étapes inconnues pour {question.key}")
    return list(given) == steps


def normalise(text: str, tolerances: frozenset[Tolerance]) -> str:
    """The typed text as the author's tolerances let it differ."""
    text = unicodedata.normalize("NFC", text.strip())
    if Tolerance.CASE in tolerances:
        text = text.casefold()
    if Tolerance.ACCENTS in tolerances:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    if Tolerance.SPACES in tolerances:
        text = "".join(text.split())
    if Tolerance.WWW in tolerances:
        text = re.sub(r"^www\.", "", text, flags=re.I)
    return text


def _grade_typed(question: Question, given: tuple[str, ...]) -> bool:
    if len(given) != 1:
        raise AnswerError(f"plusieurs réponses pour {question.key}")
    typed = normalise(given[0], question.tolerances)
    return any(typed == normalise(accepted, question.tolerances) for accepted in question.accepted)


GRADERS: dict[QuestionType, Callable[[Question, tuple[str, ...]], bool]] = {
    QuestionType.SINGLE: _grade_choices,
    QuestionType.MULTIPLE: _grade_choices,
    QuestionType.TRUE_FALSE: _grade_choices,
    QuestionType.TAP: _grade_tap,
    QuestionType.ORDER: _grade_order,
    QuestionType.TYPED: _grade_typed,
}


def right_answer(question: Question) -> list[str]:
    """One right answer, recorded as a learner's would be."""
    if question.type is QuestionType.ORDER:
        return [choice.key for choice in question.choices]
    if question.type is QuestionType.TYPED:
        return [question.accepted[0]]
    if question.type is QuestionType.TAP:
        return [next(choice.key for choice in question.choices if choice.correct)]
    return sorted(question.right_keys)


def grade_answer(quiz: Quiz, question: Question, given: Sequence[str]) -> QuestionResult:
    """One question's answer, as recorded (for the reports); AnswerError if it cannot be one."""
    return _grade_question(quiz, question, tuple(given))


def _grade_question(quiz: Quiz, question: Question, given: tuple[str, ...]) -> QuestionResult:
    if DONT_KNOW in given:
        if not quiz.dont_know or len(given) > 1:
            raise AnswerError(f"« Je ne sais pas » impossible pour {question.key}")
        return QuestionResult(question, given, correct=False)
    if GRADERS[question.type] is _grade_choices:
        given = tuple(sorted(given))  # the same choices in any order are the same answer
    return QuestionResult(question, given, GRADERS[question.type](question, given))


def grade(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> QuizResult:
    """Raise AnswerError on anything tampered with, MissingAnswers when a question is unanswered."""
    unknown = set(answers) - {q.key for q in quiz.questions}
    if unknown:
        raise AnswerError(f"question inconnue : {sorted(unknown)}")
    given = {q.key: tuple(answers.get(q.key, ())) for q in quiz.questions}
    results = [_grade_question(quiz, q, given[q.key]) for q in quiz.questions if given[q.key]]
    missing = [q.key for q in quiz.questions if not given[q.key]]
    if missing:
        raise MissingAnswers(missing)
    return QuizResult(tuple(results))
