"""The summaries the reports read: kept by each write, and the same when rebuilt from the records."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import progress, reports
from app.content import grade
from app.extensions import db
from app.lesson_library import get_library
from app.models import LearnerDay, LearnerWeek, ModuleCompletion
from tests.facilitate_helpers import make_group, make_learner

D = datetime


class Clock:
    """The time progress writes, set by the test."""

    def __init__(self):
        self.now = D(2026, 3, 2, 9)

    def __call__(self):
        return self.now


def answers(quiz, right: bool) -> dict:
    if right:
        return {q.key: sorted(q.right_keys) for q in quiz.questions}
    return {q.key: sorted({c.key for c in q.choices} - q.right_keys)[:1] for q in quiz.questions}


def stored() -> dict:
    return {
        "days": sorted(db.session.execute(select(LearnerDay.user_id, LearnerDay.day, LearnerDay.seconds,
                                                 LearnerDay.first_attempts, LearnerDay.first_attempts_passed)).all()),
        "weeks": sorted(db.session.execute(select(LearnerWeek.user_id, LearnerWeek.week, LearnerWeek.days)).all()),
        "modules": sorted(db.session.execute(select(ModuleCompletion.user_id, ModuleCompletion.module_id,
                                                    ModuleCompletion.completed_at)).all()),
    }


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress, "utcnow", clock)
    return clock


def write_two_weeks(clock) -> tuple[int, int, int]:
    """Ana finishes the "demo" module over two weeks and reads a lesson again; Ben opens a lesson on a
    Sunday and passes its quiz on Monday."""
    library = get_library()
    first, no_quiz, bonus = (library.lesson(i) for i in ("demo-premiers-pas", "demo-sans-quiz", "demo-bonus"))
    module = library.module_of(first)
    group = make_group("Groupe du lundi")
    ana, ben = make_learner("ana", group, created_at=D(2026, 1, 5)), make_learner("ben", group, created_at=D(2026, 1, 5))

    def at(moment: datetime) -> None:
        clock.now = moment

    at(D(2026, 3, 2, 10))  # Monday
    progress.record_visit(ana, first.id)
    progress.record_attempt(ana, first, module, grade(first.quiz, answers(first.quiz, False)), "ana-1", 120)
    at(D(2026, 3, 3, 9))  # Tuesday
    progress.record_attempt(ana, first, module, grade(first.quiz, answers(first.quiz, True)), "ana-2", 100)
    progress.record_visit(ana, no_quiz.id)
    progress.complete_lesson(ana, no_quiz, module, 300)
    at(D(2026, 3, 8, 18))  # Sunday
    progress.record_visit(ben, first.id)
    at(D(2026, 3, 9, 8))  # Monday
    progress.record_attempt(ben, first, module, grade(first.quiz, answers(first.quiz, True)), "ben-1", 80)
    at(D(2026, 3, 10, 0, 5))  # Tuesday: Ana's last lesson of the module
    progress.record_visit(ana, bonus.id)
    progress.record_attempt(ana, bonus, module, grade(bonus.quiz, answers(bonus.quiz, True)), "ana-3", 60)
    progress.record_attempt(ana, bonus, module, grade(bonus.quiz, answers(bonus.quiz, True)), "ana-3", 60)  # resent
    at(D(2026, 3, 12, 20))  # Thursday: Ana reads a finished lesson again, twice
    progress.record_visit(ana, no_quiz.id)
    at(D(2026, 3, 12, 21))
    progress.record_visit(ana, no_quiz.id)
    return group, ana, ben


def test_each_write_keeps_the_summaries_and_a_rebuild_finds_the_same(app, clock):
    with app.test_request_context():
        _group, ana, ben = write_two_weeks(clock)
        written = stored()
        assert written["days"] == [
            (ana, date(2026, 3, 2), 120, 1, 0),
            (ana, date(2026, 3, 3), 400, 0, 0),  # the second try is not a first one; the reading time is
            (ana, date(2026, 3, 10), 60, 1, 1),  # sent twice, counted once
            (ben, date(2026, 3, 9), 80, 1, 1),
        ]
        monday, tuesday, thursday, sunday = 1, 2, 8, 64
        assert written["weeks"] == [
            (ana, date(2026, 3, 2), monday | tuesday),
            (ana, date(2026, 3, 9), tuesday | thursday),
            (ben, date(2026, 3, 2), sunday),
            (ben, date(2026, 3, 9), monday),
        ]
        assert written["modules"] == [(ana, "demo", D(2026, 3, 10, 0, 5))]
        progress.rebuild_summaries(get_library())
        assert stored() == written


def test_the_impact_report_reads_what_the_writes_kept(app, clock):
    with app.test_request_context():
        group, _ana, _ben = write_two_weeks(clock)
        library = get_library()
        report = reports.impact_report([group], date(2026, 3, 2), date(2026, 3, 15), library)
        assert (report.active, report.seconds, report.first_attempts, report.first_attempts_passed) == (2, 120 + 400 + 60 + 80, 3, 2)
        assert (report.lessons_completed, report.modules_completed) == (4, 1)
        assert report.weeks == [(date(2026, 3, 2), 2), (date(2026, 3, 9), 2)]
        # A period cut mid-week counts only its own days: Tuesday 3 to Saturday 7 March.
        cut = reports.impact_report([group], date(2026, 3, 3), date(2026, 3, 7), library)
        assert (cut.active, cut.seconds, cut.first_attempts, cut.weeks) == (1, 400, 0, [(date(2026, 3, 2), 1)])
        # From Sunday 8 to Monday 9: Ben alone, in both weeks.
        edge = reports.impact_report([group], date(2026, 3, 8), date(2026, 3, 9), library)
        assert (edge.active, edge.weeks) == (1, [(date(2026, 3, 2), 1), (date(2026, 3, 9), 1)])
