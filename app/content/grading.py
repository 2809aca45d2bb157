"""Grade a learner's answers against a quiz: a pure function returning a result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Question, QuestionType, Quiz


class AnswerError(ValueError):
    """Answers that no form of ours could have sent (unknown question or choice)."""


class MissingAnswers(ValueError):
    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    given: frozenset[str]

    @property
    def correct(self) -> bool:
        return self.given == self.question.right_keys


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
        return {r.question.key: sorted(r.given) for r in self.results}


def check_answers(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """Keep the valid answers; raise AnswerError on anything tampered with."""
    unknown = set(answers) - {q.key for q in quiz.questions}
    if unknown:
        raise AnswerError(f"question inconnue : {sorted(unknown)}")
    checked = {}
    for question in quiz.questions:
        given = frozenset(answers.get(question.key, ()))
        if any(question.choice(key) is None for key in given):
            raise AnswerError(f"choix inconnu pour {question.key}")
        if question.type is not QuestionType.MULTIPLE and len(given) > 1:
            raise AnswerError(f"plusieurs réponses pour {question.key}")
        if given:
            checked[question.key] = given
    return checked


def grade(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> QuizResult:
    checked = check_answers(quiz, answers)
    missing = [q.key for q in quiz.questions if q.key not in checked]
    if missing:
        raise MissingAnswers(missing)
    return QuizResult(tuple(QuestionResult(q, checked[q.key]) for q in quiz.questions))
