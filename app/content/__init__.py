"""The lesson library: parse, validate, render and grade. No Flask, no database."""

from .grading import AnswerError, MissingAnswers, QuizResult, grade, score_needed
from .library import ICONS, Library, load_library
from .model import Choice, Lesson, Module, Problem, Question, QuestionType, Quiz

__all__ = [
    "ICONS", "AnswerError", "Choice", "Lesson", "Library", "MissingAnswers", "Module",
    "Problem", "Question", "QuestionType", "Quiz", "QuizResult", "grade", "load_library",
    "score_needed",
]
