"""Read a quiz form into answers as grading records them, and the hints a learner opened.

The names of the form's fields are written here once; the quiz templates take them from
`AnswerFields`."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping

from .grading import AnswerError, tap_point
from .model import DONT_KNOW, Choice, Question, QuestionType, Quiz

# The button « Voir un indice » sends the key of its question under this name.
HINT_BUTTON = "hint"


class AnswerFields:
    """Field names of one question, beside its own key (choices, zones from the list, « Je ne sais pas »)."""

    DONT_KNOW = DONT_KNOW
    HINT_BUTTON = HINT_BUTTON

    @staticmethod
    def point(question: Question) -> str:
        """A tap kept as « x,y » (by the page's script, or by the server across a re-render)."""
        return f"{question.key}-point"

    @staticmethod
    def text(question: Question) -> str:
        return f"{question.key}-text"

    @staticmethod
    def place(question: Question, step: Choice) -> str:
        return f"{question.key}-{step.key}"

    @staticmethod
    def hints(question: Question) -> str:
        return f"{question.key}-hints"


def _fields_of(question: Question) -> set[str]:
    names = {question.key, AnswerFields.hints(question)}
    if question.type is QuestionType.TAP:
        # <input type="image" name="q1"> sends where it was tapped as q1.x and q1.y.
        names |= {f"{question.key}.x", f"{question.key}.y", AnswerFields.point(question)}
    elif question.type is QuestionType.ORDER:
        names |= {AnswerFields.place(question, step) for step in question.choices}
    elif question.type is QuestionType.TYPED:
        names.add(AnswerFields.text(question))
    return names


def read_answers(quiz: Quiz, form: Mapping, other_fields: set[str]) -> dict[str, list[str]]:
    """The answers a form sent, an unanswered question left out. AnswerError on a field no form of ours has."""
    known = set(other_fields) | {HINT_BUTTON}
    for question in quiz.questions:
        known |= _fields_of(question)
    if set(form) - known:
        raise AnswerError(f"champ inconnu : {sorted(set(form) - known)}")
    answers = {}
    for question in quiz.questions:
        chosen = form.getlist(question.key)
        if DONT_KNOW in chosen:
            answer = [DONT_KNOW]
        elif chosen and question.type in (QuestionType.ORDER, QuestionType.TYPED):
            raise AnswerError(f"choix impossible pour {question.key}")
        elif question.type is QuestionType.TAP:
            answer = _tap(question, form, chosen)
        elif question.type is QuestionType.ORDER:
            answer = _order(question, form)
        elif question.type is QuestionType.TYPED:
            text = form.get(AnswerFields.text(question), "").strip()
            answer = [text] if text else []
        else:
            answer = chosen
        if answer:
            answers[question.key] = answer
    return answers


def _tap(question: Question, form: Mapping, chosen: list[str]) -> list[str]:
    """The latest gesture wins: the tap that sent the form, else a zone chosen from the list, else a tap kept."""
    x, y = form.get(f"{question.key}.x", ""), form.get(f"{question.key}.y", "")
    # (0, 0) is what a browser sends when the picture is activated without a tap (Enter on it).
    if x.isdigit() and y.isdigit() and (x, y) != ("0", "0"):
        return [f"{int(x)},{int(y)}"]
    if chosen:
        return chosen
    kept = form.get(AnswerFields.point(question), "")
    return [kept] if tap_point(kept) else []


def _order(question: Question, form: Mapping) -> list[str]:
    """The steps by the places given; nothing while a place is missing or given twice."""
    by_place: dict[int, str] = {}
    for step in question.choices:
        place = form.get(AnswerFields.place(question, step), "")
        if not place.isdigit() or not 1 <= int(place) <= len(question.choices) or int(place) in by_place:
            return []
        by_place[int(place)] = step.key
    return [by_place[place] for place in sorted(by_place)]


def read_hints(quiz: Quiz, form: Mapping) -> dict[str, int]:
    """Hints opened per question, within what each question has; a question with none opened is left out."""
    opened = {}
    for question in quiz.questions:
        value = form.get(AnswerFields.hints(question), "0")
        count = min(int(value), len(question.hints)) if value.isdigit() else 0
        if count:
            opened[question.key] = count
    return opened


def shown_steps(quiz: Quiz, question: Question) -> list[Choice]:
    """An ordering question's steps as shown: shuffled, the same way on every reload, never in the right order."""
    seed = hashlib.sha256(f"{quiz.fingerprint}:{question.key}".encode()).digest()
    steps = list(question.choices)
    random.Random(seed).shuffle(steps)  # noqa: S311 (a layout, not a secret)
    if steps == list(question.choices):
        steps = steps[1:] + steps[:1]
    return steps
