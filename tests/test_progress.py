"""The progress service: idempotent writes and the lesson to continue."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import progress
from app.content import grade, load_library
from app.extensions import db
from app.models import LessonProgress, User

LIBRARY = load_library(Path(__file__).parent / "fixtures" / "lessons")
LESSON = LIBRARY.lesson("demo-premiers-pas")
MODULE = LIBRARY.module_of(LESSON)
RIGHT = {q.key: sorted(q.right_keys) for q in LESSON.quiz.questions}
ONE_WRONG = RIGHT | {"q3": ["vrai"]}


def user_id(name):
    return db.session.execute(select(User.id).filter_by(username=name)).scalar_one()


def test_best_score_is_kept_and_completion_happens_once(app):
    with app.app_context():
        amina = user_id("amina")
        progress.record_attempt(amina, LESSON, MODULE, grade(LESSON.quiz, ONE_WRONG), "client-0001", 60)
        progress.record_attempt(amina, LESSON, MODULE, grade(LESSON.quiz, RIGHT), "client-0002", 120)
        completed_at = progress.learner_states(amina)[LESSON.id].completed_at
        progress.record_attempt(amina, LESSON, MODULE, grade(LESSON.quiz, ONE_WRONG), "client-0003", 5000)
        state = progress.learner_states(amina)[LESSON.id]
        assert (state.status, state.best_score, state.best_max_score) == (progress.DONE, 3, 3)
        assert state.completed_at == completed_at
        # Time is credited per submission, capped when a phone was left aside.
        assert state.seconds_spent == 60 + 120 + progress.MAX_CREDITED_SECONDS


def test_a_resent_attempt_is_stored_once_and_a_foreign_one_refused(app):
    with app.app_context():
        amina, josiane = user_id("amina"), user_id("josiane")
        first = progress.record_attempt(amina, LESSON, MODULE, grade(LESSON.quiz, RIGHT), "client-same", 30)
        again = progress.record_attempt(amina, LESSON, MODULE, grade(LESSON.quiz, ONE_WRONG), "client-same", 30)
        assert again.id == first.id and again.score == 3
        with pytest.raises(progress.ForeignSubmission):
            progress.record_attempt(josiane, LESSON, MODULE, grade(LESSON.quiz, RIGHT), "client-same", 30)
        rows = db.session.scalars(select(LessonProgress)).all()
        assert [(r.user_id, r.seconds_spent) for r in rows] == [(amina, 30)]


def test_lesson_to_continue():
    ids = ["a", "b", "c", "d"]
    day = datetime(2026, 1, 1)
    assert progress.lesson_to_continue(ids, {}) == "a"
    done = progress.LessonState(progress.DONE, last_seen_at=day)
    started = progress.LessonState(progress.STARTED, last_seen_at=day)
    later = progress.LessonState(progress.STARTED, last_seen_at=day.replace(hour=5))
    assert progress.lesson_to_continue(ids, {"a": done}) == "b"
    assert progress.lesson_to_continue(ids, {"a": done, "c": started, "d": later}) == "d"
    assert progress.lesson_to_continue(ids, dict.fromkeys(ids, done)) is None


def test_a_lesson_opened_again_soon_is_not_written_again(app, monkeypatch):
    now = {"t": datetime(2026, 3, 2, 23, 40)}
    monkeypatch.setattr(progress, "utcnow", lambda: now["t"])
    other = LIBRARY.lesson("demo-sans-quiz")

    def visit(lesson, minutes_later):
        now["t"] += timedelta(minutes=minutes_later)
        progress.record_visit(amina, lesson.id)
        return {i: s.last_seen_at for i, s in progress.learner_states(amina).items()}

    with app.app_context():
        amina = user_id("amina")
        opened = visit(LESSON, 0)[LESSON.id]
        assert visit(LESSON, 5)[LESSON.id] == opened  # a reload: nothing written
        assert visit(other, 1)[other.id] == now["t"]
        assert visit(LESSON, 1)[LESSON.id] == now["t"]  # another lesson in between: "continue" must follow
        assert visit(LESSON, 11)[LESSON.id] == now["t"]  # after 10 minutes
        assert visit(LESSON, 9)[LESSON.id] == now["t"]  # past midnight: a new day to count
        assert now["t"].date() == date(2026, 3, 3)


def test_asking_for_help_again_updates_the_one_open_request(app):
    with app.app_context():
        amina = user_id("amina")
        first = progress.request_help(amina, LESSON.id, "Je ne trouve pas.")
        again = progress.request_help(amina, LESSON.id, "  Toujours bloquée.  ", phone="06 12 34 56 78", call_back_time="evening")
        assert again.id == first.id
        assert (again.message, again.phone, again.call_back_time) == ("Toujours bloquée.", "06 12 34 56 78", "evening")
        assert again.updated_at >= again.created_at
        other_lesson = progress.request_help(amina, "demo-suite-lecture", "Et ici aussi.")
        assert other_lesson.id != first.id
        progress.mark_help_handled(again, handled_by_id=user_id("animatrice"))
        after_call = progress.request_help(amina, LESSON.id)
        assert after_call.id not in (first.id, other_lesson.id)
        assert progress.open_help_request(amina, LESSON.id).id == after_call.id
        with pytest.raises(ValueError):
            progress.request_help(amina, LESSON.id, call_back_time="minuit")


def test_the_database_itself_refuses_a_second_open_request(app):
    from sqlalchemy.exc import IntegrityError

    from app.models import HelpRequest

    with app.app_context():
        amina = user_id("amina")
        first = progress.request_help(amina, LESSON.id)
        db.session.add(HelpRequest(user_id=amina, lesson_id=LESSON.id))  # as a concurrent writer would
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Handled requests are not limited: asked, called back, asked again, called back again.
        progress.mark_help_handled(db.session.get(HelpRequest, first.id), handled_by_id=user_id("animatrice"))
        progress.mark_help_handled(progress.request_help(amina, LESSON.id), handled_by_id=user_id("animatrice"))
        progress.request_help(amina, LESSON.id)
        rows = db.session.scalars(select(HelpRequest).filter_by(user_id=amina).order_by(HelpRequest.id)).all()
        assert [row.waiting for row in rows] == [None, None, True]
