"""Grading is a pure function of quiz and answers."""

import dataclasses
from pathlib import Path

import pytest

from app.content import AnswerError, MissingAnswers, grade, load_library
from app.content.model import DONT_KNOW

LIBRARY = load_library(Path(__file__).parent / "fixtures" / "lessons")
QUIZ = LIBRARY.lesson("demo-premiers-pas").quiz
SINGLE, MULTIPLE, TRUE_FALSE = QUIZ.questions


def keys(question, correct):
    return [c.key for c in question.choices if c.correct is correct]


def all_right():
    return {SINGLE.key: keys(SINGLE, True), MULTIPLE.key: keys(MULTIPLE, True), TRUE_FALSE.key: ["faux"]}


def test_all_right_answers_score_full_marks_and_pass():
    result = grade(QUIZ, all_right())
    assert (result.score, result.max_score, result.percent()) == (3, 3, 100)
    assert result.passed(70) and result.passed(100)
    assert all(r.correct for r in result.results)


def test_multiple_choice_needs_every_right_answer_and_no_wrong_one():
    partial = all_right() | {MULTIPLE.key: keys(MULTIPLE, True)[:1]}
    too_many = all_right() | {MULTIPLE.key: keys(MULTIPLE, True) + keys(MULTIPLE, False)}
    assert grade(QUIZ, partial).score == 2
    assert grade(QUIZ, too_many).score == 2


def test_pass_mark_is_inclusive_and_two_of_three_is_below_seventy_percent():
    one_wrong = all_right() | {TRUE_FALSE.key: ["vrai"]}
    result = grade(QUIZ, one_wrong)
    assert result.score == 2 and result.percent() == 67
    assert not result.passed(70)
    assert result.passed(66)
    assert [r.correct for r in result.results] == [True, True, False]


def test_missing_answers_name_the_questions():
    with pytest.raises(MissingAnswers) as error:
        grade(QUIZ, {SINGLE.key: keys(SINGLE, True)})
    assert error.value.missing == [MULTIPLE.key, TRUE_FALSE.key]


@pytest.mark.parametrize(
    "tampered",
    [
        {"q9": ["vrai"]},
        {"q1": ["zzzzzzzz"]},
        {"q3": ["peut-etre"]},
        {"q1": keys(SINGLE, True) + keys(SINGLE, False)},
        {"q3": ["vrai", "faux"]},
    ],
)
def test_unknown_or_impossible_answers_are_refused(tampered):
    with pytest.raises(AnswerError):
        grade(QUIZ, all_right() | tampered)


def test_answers_are_recorded_by_question_key():
    assert grade(QUIZ, all_right()).answers() == {k: sorted(v) for k, v in all_right().items()}


# Practice questions, from the fixture lesson « demo-pratique ».
PRACTICE = LIBRARY.lesson("demo-pratique").quiz
TAP, TAP_MENU, ORDER, TYPED = PRACTICE.questions


def practice(changed=None):
    """Grade all-right practice answers, with `changed` answers ({question: answer}) instead."""
    right = {TAP: ["120,160"], TAP_MENU: ["20,20"], ORDER: [c.key for c in ORDER.choices], TYPED: ["www.service-public.fr"]}
    return grade(PRACTICE, {q.key: answer for q, answer in (right | (changed or {})).items()})


def verdicts(result):
    return [r.correct for r in result.results]


def test_practice_answers_all_right():
    assert verdicts(practice()) == [True, True, True, True]


@pytest.mark.parametrize(
    ("point", "correct"),
    [("20,140", True), ("220,188", True), ("120,139", False), ("120,220", False), ("0,0", False), ("239,299", False)],
)
def test_a_tap_is_right_inside_a_right_zone_edges_included(point, correct):
    assert practice({TAP: [point]}).results[0].correct is correct
    assert practice({TAP: [point]}).results[0].point == tuple(int(v) for v in point.split(","))


def test_a_zone_chosen_from_the_list_is_graded_like_a_tap_in_it():
    right, payments, menu = TAP.choices
    assert verdicts(practice({TAP: [right.key]}))[0] is True
    assert verdicts(practice({TAP: [menu.key]}))[0] is False
    assert practice({TAP: [menu.key]}).results[0].point is None


def test_an_order_is_right_only_in_the_exact_order():
    steps = [c.key for c in ORDER.choices]
    assert verdicts(practice({ORDER: steps[::-1]}))[2] is False
    assert verdicts(practice({ORDER: [steps[1], steps[0], *steps[2:]]}))[2] is False
    assert practice({ORDER: steps[::-1]}).answers()[ORDER.key] == steps[::-1]  # recorded in the learner's order


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("www.service-public.fr", True),
        ("  WWW.Service-Public.FR ", True),  # capitals tolerated, spaces at both ends always
        ("service-public.fr", True),  # a missing www.
        ("www.service - public.fr", True),  # spaces anywhere
        ("www.sérvice-public.fr", False),  # accents are not tolerated by this author
        ("www.service-public.com", False),
    ],
)
def test_a_typed_answer_is_normalised_by_the_authors_tolerances(typed, correct):
    assert verdicts(practice({TYPED: [typed]}))[3] is correct


def test_normalise_applies_each_tolerance_alone():
    from app.content.grading import normalise
    from app.content.model import Tolerance

    assert normalise(" Élève ", frozenset()) == "Élève"
    assert normalise("Élève", frozenset({Tolerance.CASE})) == "élève"
    assert normalise("Élève", frozenset({Tolerance.ACCENTS})) == "Eleve"
    assert normalise("1 234,50 €", frozenset({Tolerance.SPACES})) == "1234,50€"
    assert normalise("www.caf.fr", frozenset({Tolerance.WWW})) == "caf.fr"
    assert normalise("www.caf.fr", frozenset()) == "www.caf.fr"


def test_dont_know_is_not_right_and_recorded_as_itself_on_every_kind():
    result = grade(PRACTICE, {q.key: [DONT_KNOW] for q in PRACTICE.questions})
    assert verdicts(result) == [False] * 4 and all(r.dont_know for r in result.results)
    assert result.answers() == {q.key: [DONT_KNOW] for q in PRACTICE.questions}
    assert not grade(QUIZ, all_right() | {SINGLE.key: [DONT_KNOW]}).results[0].correct


def test_dont_know_is_refused_when_the_lesson_turns_it_off():
    closed = dataclasses.replace(PRACTICE, dont_know=False)
    with pytest.raises(AnswerError):
        grade(closed, {q.key: [DONT_KNOW] for q in PRACTICE.questions})


@pytest.mark.parametrize(
    "tampered",
    [
        {"TAP": ["120,160", "20,20"]},
        {"TAP": ["-1,20"]},
        {"TAP": ["zz"]},
        {"ORDER": ["x", "y", "z", "w"]},
        {"ORDER": None},  # a step twice
        {"TYPED": ["a", "b"]},
        {"TYPED": [DONT_KNOW, "a"]},
    ],
)
def test_impossible_practice_answers_are_refused(tampered):
    (name, value), = tampered.items()
    if value is None:
        steps = [c.key for c in ORDER.choices]
        value = [steps[0], *steps[:-1]]
    with pytest.raises(AnswerError):
        practice({{"TAP": TAP, "ORDER": ORDER, "TYPED": TYPED}[name]: value})


def test_right_answer_is_graded_right_for_every_kind():
    from app.content.grading import right_answer

    for quiz in (QUIZ, PRACTICE):
        assert grade(quiz, {q.key: right_answer(q) for q in quiz.questions}).score == len(quiz.questions)
