"""Grading is a pure function of quiz and answers."""

from pathlib import Path

import pytest

from app.content import AnswerError, MissingAnswers, grade, load_library

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
