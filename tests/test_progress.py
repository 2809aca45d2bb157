"""The progress writer: idempotent writes, time measured by the server, first tries decided by the
database, and the lesson to continue."""

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import progress
from app.content import grade, load_library
from app.extensions import db
from app.models import Activity, ActivityKind, LessonProgress, QuizAttempt, User
from app.rules import MAX_CREDITED_SECONDS
from tests.conftest import csrf_token

LIBRARY = load_library(Path(__file__).parent / "fixtures" / "lessons")
LESSON = LIBRARY.lesson("demo-premiers-pas")
RIGHT = {q.key: sorted(q.right_keys) for q in LESSON.quiz.questions}
ONE_WRONG = RIGHT | {"q3": ["vrai"]}
T0 = datetime(2026, 3, 2, 9)


def user_id(name):
    return db.session.execute(select(User.id).filter_by(username=name)).scalar_one()


def test_best_score_is_kept_completion_happens_once_and_time_is_measured_by_the_server(app):
    with app.app_context():
        amina = user_id("amina")
        progress.record_visit(amina, LESSON.id, at=T0)
        progress.record_attempt(amina, LESSON, grade(LESSON.quiz, ONE_WRONG), "client-0001", at=T0 + timedelta(seconds=60))
        progress.record_attempt(amina, LESSON, grade(LESSON.quiz, RIGHT), "client-0002", at=T0 + timedelta(seconds=180))
        completed_at = progress.learner_states(amina)[LESSON.id].completed_at
        # The phone was left aside for over an hour before the next answer.
        progress.record_attempt(amina, LESSON, grade(LESSON.quiz, ONE_WRONG), "client-0003", at=T0 + timedelta(hours=2))
        state = progress.learner_states(amina)[LESSON.id]
        assert (state.done, state.best_score, state.best_max_score) == (True, 3, 3)
        assert state.completed_at == completed_at == T0 + timedelta(seconds=180)
        assert state.seconds_spent == 60 + 120 + MAX_CREDITED_SECONDS
        firsts = db.session.scalars(select(Activity.first_try).where(Activity.kind == ActivityKind.QUIZ_ANSWERED)).all()
        assert firsts == [True, False, False]


def test_a_resent_attempt_is_stored_once_and_a_foreign_one_refused(app):
    with app.app_context():
        amina, josiane = user_id("amina"), user_id("josiane")
        progress.record_visit(amina, LESSON.id, at=T0)
        first = progress.record_attempt(amina, LESSON, grade(LESSON.quiz, RIGHT), "client-same", at=T0 + timedelta(seconds=30))
        again = progress.record_attempt(amina, LESSON, grade(LESSON.quiz, ONE_WRONG), "client-same", at=T0 + timedelta(seconds=90))
        assert again.id == first.id and again.score == 3
        with pytest.raises(progress.ForeignSubmission):
            progress.record_attempt(josiane, LESSON, grade(LESSON.quiz, RIGHT), "client-same")
        rows = db.session.scalars(select(LessonProgress)).all()
        assert [(r.user_id, r.seconds_spent) for r in rows] == [(amina, 30)]
        assert db.session.scalar(select(func.count()).select_from(Activity)) == 2  # the visit and one answer


def test_every_visit_is_logged_and_the_last_one_is_where_to_continue(app):
    other = LIBRARY.lesson("demo-sans-quiz")
    with app.app_context():
        amina = user_id("amina")
        for minutes, lesson in ((0, LESSON), (1, LESSON), (2, other), (3, LESSON)):
            progress.record_visit(amina, lesson.id, at=T0 + timedelta(minutes=minutes))
        states = progress.learner_states(amina)
        assert states[LESSON.id].last_seen_at == T0 + timedelta(minutes=3)
        assert progress.lesson_to_continue([LESSON.id, other.id], states) == LESSON.id
        assert db.session.scalar(select(func.count()).select_from(Activity).where(Activity.kind == ActivityKind.OPENED)) == 4
        assert states[LESSON.id].seconds_spent == 0  # opening a lesson credits nothing


def test_lesson_to_continue():
    ids = ["a", "b", "c", "d"]
    done = progress.LessonState(progress.LessonStatus.DONE, last_seen_at=T0)
    started = progress.LessonState(progress.LessonStatus.STARTED, last_seen_at=T0)
    later = progress.LessonState(progress.LessonStatus.STARTED, last_seen_at=T0.replace(hour=15))
    assert progress.lesson_to_continue(ids, {}) == "a"
    assert progress.lesson_to_continue(ids, {"a": done}) == "b"
    assert progress.lesson_to_continue(ids, {"a": done, "c": started, "d": later}) == "d"
    assert progress.lesson_to_continue(ids, dict.fromkeys(ids, done)) is None


def test_a_forged_form_field_credits_no_time(app, client, auth):
    """Ten submissions claiming the lesson was opened in 1970 credit only the seconds that passed."""
    auth.login()
    started = datetime.now()
    page = client.get(f"/lecons/{LESSON.id}").get_data(as_text=True)
    for n in range(10):
        form = {"csrf_token": csrf_token(page), "client_id": f"forged-{n:04d}", "opened_at": "1"} | RIGHT
        assert client.post(f"/lecons/{LESSON.id}/quiz", data=form).status_code == 302
    elapsed = (datetime.now() - started).total_seconds()
    with app.app_context():
        credited = db.session.scalar(select(func.sum(Activity.seconds)))
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 10
    assert credited <= elapsed + 1


def test_concurrent_submissions_count_one_first_try_and_credit_the_time_once(app):
    """Thirty answers sent at the same instant, as a phone that resends its queue could."""
    with app.app_context():
        amina = user_id("amina")
        progress.record_visit(amina, LESSON.id, at=T0)
    barrier = threading.Barrier(30)
    errors = []

    def submit(n):
        with app.app_context():
            try:
                barrier.wait()
                progress.record_attempt(amina, LESSON, grade(LESSON.quiz, RIGHT), f"burst-{n:04d}", at=T0 + timedelta(minutes=10))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        answered = select(Activity).where(Activity.kind == ActivityKind.QUIZ_ANSWERED)
        entries = db.session.scalars(answered).all()
        assert len(entries) == 30
        assert sum(e.first_try for e in entries) == 1
        assert sum(e.completed_lesson for e in entries) == 1
        assert sum(e.seconds for e in entries) == 600  # ten minutes since the visit, credited once
        assert progress.learner_states(amina)[LESSON.id].seconds_spent == 600


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
        progress.close_help_requests(amina, handled_by_id=user_id("animatrice"))
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
        progress.request_help(amina, LESSON.id)
        db.session.add(HelpRequest(user_id=amina, lesson_id=LESSON.id))  # as a concurrent writer would
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Handled requests are not limited: asked, called back, asked again, called back again.
        progress.close_help_requests(amina, handled_by_id=user_id("animatrice"))
        progress.request_help(amina, LESSON.id)
        progress.close_help_requests(amina, handled_by_id=user_id("animatrice"))
        progress.request_help(amina, LESSON.id)
        rows = db.session.scalars(select(HelpRequest).filter_by(user_id=amina).order_by(HelpRequest.id)).all()
        assert [row.waiting for row in rows] == [None, None, True]
