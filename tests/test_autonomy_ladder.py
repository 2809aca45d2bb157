"""The autonomy ladder's records: each rung reached once, with who set it and when; the learner's
« Je l'ai fait pour de vrai ! » waits for a facilitator, who confirms it or sets another rung."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app import progress
from app.extensions import db
from app.models import AuditEvent, AutonomyClaim, AutonomyLevel, AutonomyStep, User
from app.progress import AutonomyLevel as ReExported

PROCEDURE = "demo-envoyer-message"
MONDAY = datetime(2026, 11, 2, 9, 0)


def people():
    found = {u.username: u for u in db.session.scalars(select(User))}
    return found["amina"], found["josiane"], found["animatrice"]


def count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_the_levels_are_ordered_and_the_engine_finds_them_in_progress():
    assert ReExported is AutonomyLevel
    assert [level.rank for level in AutonomyLevel] == [1, 2, 3, 4]
    assert (
        list(AutonomyLevel)[0] is AutonomyLevel.DONE_FOR_ME and list(AutonomyLevel)[-1] is AutonomyLevel.ALONE_FOR_REAL
    )


def test_each_rung_is_reached_once_with_who_and_when_and_the_level_is_the_highest(app):
    with app.app_context():
        amina, _josiane, nadia = people()
        step = progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.ALONE_IN_EXERCISE, None, at=MONDAY)
        assert (step.by_platform, step.set_by_id, step.at, str(step.day)) == (True, None, MONDAY, "2026-11-02")
        # The same exercise finished again: nothing new, the first date is kept.
        assert (
            progress.record_autonomy(
                amina.id, PROCEDURE, AutonomyLevel.ALONE_IN_EXERCISE, None, at=datetime(2026, 11, 9)
            )
            is None
        )
        # A lower rung noted afterwards is kept in her history; her level stays the highest.
        later = datetime(2026, 11, 10, 14, 0)
        progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.DONE_WITH_ME, nadia, at=later)
        ladder = progress.learner_ladders(amina.id)[PROCEDURE]
        assert ladder.level is AutonomyLevel.ALONE_IN_EXERCISE
        assert ladder.rungs[AutonomyLevel.ALONE_IN_EXERCISE] == progress.Rung(
            AutonomyLevel.ALONE_IN_EXERCISE, MONDAY, True, ""
        )
        assert ladder.rungs[AutonomyLevel.DONE_WITH_ME] == progress.Rung(
            AutonomyLevel.DONE_WITH_ME, later, False, "Nadia"
        )
        assert AutonomyLevel.DONE_FOR_ME not in ladder.rungs and not ladder.done_for_real
        assert count(AutonomyStep, user_id=amina.id) == 2
        # The facilitator's change is in the audit log, in words; the platform's is not.
        details = [e.detail for e in db.session.scalars(select(AuditEvent).filter_by(subject_id=amina.id))]
        assert details == ["demo-envoyer-message : fait avec moi"]


def test_the_platform_sets_only_the_exercise_rung(app):
    with app.app_context():
        amina, _josiane, _nadia = people()
        for level in (AutonomyLevel.DONE_FOR_ME, AutonomyLevel.DONE_WITH_ME, AutonomyLevel.ALONE_FOR_REAL):
            with pytest.raises(ValueError):
                progress.record_autonomy(amina, PROCEDURE, level, None)
        assert count(AutonomyStep) == 0


def test_a_claim_waits_once_then_the_confirmation_reaches_the_top_rung(app):
    with app.app_context():
        amina, _josiane, nadia = people()
        claim = progress.claim_done_for_real(amina, PROCEDURE, at=MONDAY)
        assert claim.waiting is True and claim.confirmed is None
        assert progress.claim_done_for_real(amina.id, PROCEDURE).id == claim.id  # pressed twice: one claim
        assert progress.learner_ladders(amina.id)[PROCEDURE].claim.id == claim.id
        step = progress.confirm_done_for_real(amina, PROCEDURE, nadia, at=datetime(2026, 11, 3, 10, 0))
        db.session.refresh(claim)
        assert (claim.waiting, claim.confirmed, claim.answered_by_id) == (None, True, nadia.id)
        assert (step.level, step.claim_id, step.set_by_id) == (AutonomyLevel.ALONE_FOR_REAL, claim.id, nadia.id)
        ladder = progress.learner_ladders(amina.id)[PROCEDURE]
        assert ladder.done_for_real and ladder.claim is None and ladder.level is AutonomyLevel.ALONE_FOR_REAL
        # Done for real already: nothing to claim.
        assert progress.claim_done_for_real(amina, PROCEDURE) is None
        assert count(AutonomyClaim, user_id=amina.id) == 1


def test_another_rung_answers_a_claim_without_confirming_it_and_she_may_claim_again(app):
    with app.app_context():
        amina, _josiane, nadia = people()
        first = progress.claim_done_for_real(amina, PROCEDURE, at=MONDAY)
        step = progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.DONE_WITH_ME, nadia)
        db.session.refresh(first)
        assert (first.waiting, first.confirmed) == (None, False) and step.claim_id is None
        assert progress.learner_ladders(amina.id)[PROCEDURE].claim is None
        # The platform never answers a claim.
        second = progress.claim_done_for_real(amina, PROCEDURE)
        assert second.id != first.id
        progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.ALONE_IN_EXERCISE, None)
        assert progress.learner_ladders(amina.id)[PROCEDURE].claim.id == second.id


def test_a_rung_for_several_learners_at_once_skips_whoever_has_it(app):
    with app.app_context():
        amina, josiane, nadia = people()
        progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.DONE_WITH_ME, nadia, at=MONDAY)
        written = progress.record_autonomy_for_many([amina, josiane], PROCEDURE, AutonomyLevel.DONE_WITH_ME, nadia)
        assert [step.user_id for step in written] == [josiane.id]
        ladders = progress.ladders_of([amina.id, josiane.id])
        assert ladders[amina.id][PROCEDURE].rungs[AutonomyLevel.DONE_WITH_ME].at == MONDAY
        assert ladders[josiane.id][PROCEDURE].level is AutonomyLevel.DONE_WITH_ME


def test_a_step_outlives_the_facilitator_who_set_it(app):
    with app.app_context():
        amina, _josiane, nadia = people()
        progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.DONE_FOR_ME, nadia, at=MONDAY)
        db.session.delete(nadia)
        db.session.commit()
        rung = progress.learner_ladders(amina.id)[PROCEDURE].rungs[AutonomyLevel.DONE_FOR_ME]
        assert (rung.by, rung.by_platform, rung.at) == ("", False, MONDAY)


def test_the_demo_activity_climbs_a_ladder_and_leaves_a_claim_to_confirm(app):
    from app.cli import create_demo_activity

    with app.app_context():
        amina, josiane, _nadia = people()
        assert create_demo_activity(now=datetime(2026, 11, 20, 12, 0)) == 6  # 4 + 1 lessons, 1 ladder
        ladder = progress.learner_ladders(amina.id)[PROCEDURE]
        assert set(ladder.rungs) == {AutonomyLevel.DONE_WITH_ME, AutonomyLevel.ALONE_IN_EXERCISE}
        assert ladder.claim is not None and ladder.claim.waiting
        assert progress.learner_ladders(josiane.id)[PROCEDURE].level is AutonomyLevel.DONE_FOR_ME
