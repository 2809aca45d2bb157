"""Plain data classes for the lesson library: no Flask, no database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from pathlib import Path

# In a lesson, [[mot]] or [[texte montré|mot]]: a link to a word of the glossary.
GLOSSARY_LINK = re.compile(r"\[\[(?P<shown>[^\]|]+)(?:\|(?P<word>[^\]|]+))?\]\]")


class QuestionType(Enum):
    SINGLE = "choix unique"
    MULTIPLE = "choix multiple"
    TRUE_FALSE = "vrai ou faux"
    TAP = "touchez le bon endroit"
    ORDER = "remettez dans l'ordre"
    TYPED = "écrivez la réponse"


# The answer « Je ne sais pas »: not right, and recorded as itself so that a guess and an honest
# « I don't know » are told apart.
DONT_KNOW = "je-ne-sais-pas"


class Tolerance(Enum):
    """What an author lets a typed answer differ by (`Tolérances :` in the lesson file)."""

    CASE = "majuscules"
    ACCENTS = "accents"
    SPACES = "espaces"
    WWW = "www"


@dataclass(frozen=True)
class Zone:
    """A rectangle of a picture, in the picture's own pixels."""

    x: int
    y: int
    width: int
    height: int

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height


@dataclass(frozen=True)
class Picture:
    url: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class Problem:
    """Something wrong in a lesson file, located for its author."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LessonText:
    """What an author wrote (Markdown), made safe HTML by `render` the first time it is shown: a
    start reads and checks every lesson, and renders none of them (docs/benchmarks.md)."""

    markdown: str
    render: Callable[[str], str] = field(compare=False, repr=False)

    @cached_property
    def html(self) -> str:
        return self.render(self.markdown)


@dataclass(frozen=True)
class Choice:
    key: str
    text: LessonText
    correct: bool
    explanation: LessonText | None = None
    # A tap question's zone: its choices are the zones, their texts the labels.
    zone: Zone | None = None

    @property
    def text_html(self) -> str:
        return self.text.html

    @property
    def explanation_html(self) -> str:
        return self.explanation.html if self.explanation else ""


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    prompt: LessonText
    choices: tuple[Choice, ...]
    explanation: LessonText
    line: int
    hints: tuple[LessonText, ...] = ()
    picture: Picture | None = None  # a tap question's screen
    accepted: tuple[str, ...] = ()  # a typed question's accepted answers
    tolerances: frozenset[Tolerance] = frozenset()
    # An ordering question's steps are its choices, in the right order.

    @property
    def right_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.choices if c.correct)

    @property
    def prompt_html(self) -> str:
        return self.prompt.html

    @property
    def explanation_html(self) -> str:
        return self.explanation.html

    @property
    def hints_html(self) -> tuple[str, ...]:
        return tuple(hint.html for hint in self.hints)

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    # Identifies this version of the quiz, stored with each attempt so an
    # edited lesson does not change what an old attempt meant.
    fingerprint: str
    dont_know: bool = True  # « Je ne sais pas » offered on every question

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    long_sentences: tuple[str, ...]

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class Source:
    """Where a lesson's facts come from, for whoever checks the lesson again."""

    url: str
    supports: str


@dataclass
class Lesson:
    id: str
    title: str
    duration: int
    objectives: tuple[str, ...]
    pass_mark: int
    body: LessonText
    quiz: Quiz | None
    path: Path
    sources: tuple[Source, ...]
    verified: date
    # The author's checks, worked out the first time they are asked for (by `flask lessons check`
    # and « Leçons à revoir »): a learner's page never needs them, so a start does not pay for them.
    measure_readability: Callable[[], Readability] = field(compare=False, repr=False)
    find_warnings: Callable[[], tuple[Problem, ...]] = field(compare=False, repr=False)
    verified_line: int = 1
    module_id: str = ""
    position: int = 0

    @cached_property
    def readability(self) -> Readability:
        return self.measure_readability()

    @cached_property
    def warnings(self) -> tuple[Problem, ...]:
        """What the check found hard for weak readers: the lesson is still shown."""
        return self.find_warnings()

    @property
    def body_html(self) -> str:
        return self.body.html

    def texts(self) -> Iterator[LessonText]:
        """Everything of the lesson a learner reads: its body, then each question's texts."""
        yield self.body
        for question in self.quiz.questions if self.quiz else ():
            yield question.prompt
            yield from question.hints
            for choice in question.choices:
                yield choice.text
                if choice.explanation:
                    yield choice.explanation
            yield question.explanation


@dataclass
class Module:
    id: str
    title: str
    description: str
    icon: str
    order: int
    folder: Path
    lessons: list[Lesson] = field(default_factory=list)
    # « Je sais … » statements the learner may answer at the module's start and end (`je_sais_faire:`).
    self_assessment: tuple[str, ...] = ()


@dataclass(frozen=True)
class Procedure:
    """A real procedure a learner learns to do alone (a module's demarches.yml), with what prepares it."""

    id: str
    title: str
    module_id: str
    lesson_ids: tuple[str, ...]
    exercise_ids: tuple[str, ...]
    line: int
    path: Path
