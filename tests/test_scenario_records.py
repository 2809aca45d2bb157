"""Practice scenarios' records: runs and steps through app.progress, time credited by the server,
and every bad step (twice, out of order, the scenario changed, the run over) changing nothing."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import progress
from app.content.scenarios import StepOutcome, UnknownAction
from app.extensions import db
from app.lesson_library import get_library
from app.models import (
    Activity,
    ActivityKind,
    LessonProgress,
    ScenarioRun,
    ScenarioStep,
    User,
)
from app.privacy.services import personal_data, personal_data_csv
from app.rules import MAX_CREDITED_SECONDS
from tests.facilitate_helpers import make_group, make_learner, visit
from tests.scenario_helpers import right_path

SCENARIO_ID = "exercice-demo-payer"
T0 = datetime(2026, 3, 2, 9)


@pytest.fixture
def ctx(app):
    with app.app_context():
        scenario = get_library().scenario(SCENARIO_ID)
        learner = make_learner("awa", make_group("Groupe exercice"))
        yield learner, scenario


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def steps_of(run) -> list[tuple]:
    return db.session.execute(
        select(
            ScenarioStep.number,
            ScenarioStep.screen_id,
            ScenarioStep.action_label,
            ScenarioStep.outcome,
            ScenarioStep.seconds,
        )
        .filter_by(run_id=run.id)
        .order_by(ScenarioStep.number)
    ).all()


def test_a_run_starts_at_the_first_screen(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    assert (run.current_screen_id, run.step_count, run.scenario_version) == ("accueil", 1, scenario.version)
    assert not run.finished and not run.alone
    assert progress.unfinished_run(learner, scenario).id == run.id


def test_each_step_is_recorded_with_the_time_the_server_credits(ctx):
    learner, scenario = ctx
    visit(learner, "demo-premiers-pas", T0)
    run = progress.start_scenario_run(learner, scenario, T0 + timedelta(seconds=5))
    wrong = progress.record_scenario_step(learner, run, scenario, 1, "Aide", {}, T0 + timedelta(seconds=30))
    assert wrong.refused is None and wrong.result.outcome is StepOutcome.WRONG
    mistake = progress.record_scenario_step(learner, run, scenario, 2, "colis-faux", {}, T0 + timedelta(seconds=50))
    assert mistake.result.outcome is StepOutcome.MISTAKE and run.current_screen_id == "piege"
    progress.record_scenario_step(learner, run, scenario, 3, "Revenir", {}, T0 + timedelta(seconds=60))
    progress.record_demonstration(learner, run, scenario, 4, T0 + timedelta(hours=2))
    assert steps_of(run) == [
        (1, "accueil", "Aide", "wrong", 30),
        (2, "accueil", "colis-faux", "mistake", 20),
        (3, "piege", "Revenir", "right", 10),
        (4, "accueil", "Ma Banque", "shown", MAX_CREDITED_SECONDS),
    ]
    assert (run.current_screen_id, run.step_count, run.wrong_count, run.mistake_count, run.shown_count) == (
        "accueil",
        5,
        1,
        1,
        1,
    )
    kinds = db.session.scalars(select(Activity.kind).filter_by(lesson_id=SCENARIO_ID)).all()
    assert kinds == [ActivityKind.EXERCISE_STEP] * 4
    # The lesson's summary is the lesson's: the exercise's entries are not folded into any.
    assert db.session.scalars(select(LessonProgress.lesson_id)).all() == ["demo-premiers-pas"]


def test_reaching_the_end_finishes_the_run_alone_without_montrez_moi(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    for number, (_, action, values) in enumerate(right_path(scenario), start=1):
        record = progress.record_scenario_step(
            learner, run, scenario, number, action, values, T0 + timedelta(minutes=number)
        )
        assert record.result.right
    assert run.finished and run.alone and run.current_screen_id == "fin"
    assert run.finished_at == T0 + timedelta(minutes=4)
    finished = db.session.scalars(select(Activity).filter_by(kind=ActivityKind.EXERCISE_FINISHED)).all()
    assert [(e.lesson_id, e.seconds) for e in finished] == [(SCENARIO_ID, 0)]
    assert progress.unfinished_run(learner, scenario) is None
    # Over: nothing more is recorded.
    late = progress.record_scenario_step(learner, run, scenario, 5, "Ma Banque", {}, T0 + timedelta(minutes=9))
    assert late.refused is progress.StepRefusal.FINISHED and run.step_count == 5


def test_a_run_with_montrez_moi_is_finished_but_not_alone(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    number = 1
    for _, action, values in right_path(scenario):
        if number == 1:
            progress.record_demonstration(learner, run, scenario, number)
            number += 1
        progress.record_scenario_step(learner, run, scenario, number, action, values)
        number += 1
    assert run.finished and not run.alone and run.shown_count == 1


def test_a_step_posted_twice_or_out_of_order_changes_nothing(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    progress.record_scenario_step(learner, run, scenario, 1, "Ma Banque", {}, T0 + timedelta(seconds=10))
    before = (count(ScenarioStep), count(Activity), run.current_screen_id, run.step_count)
    for expected_step in (1, 3, 0):
        again = progress.record_scenario_step(
            learner, run, scenario, expected_step, "Ma Banque", {}, T0 + timedelta(seconds=20)
        )
        assert again.refused is progress.StepRefusal.OUT_OF_STEP and again.result is None
        shown = progress.record_demonstration(learner, run, scenario, expected_step, T0 + timedelta(seconds=20))
        assert shown.refused is progress.StepRefusal.OUT_OF_STEP
    assert (count(ScenarioStep), count(Activity), run.current_screen_id, run.step_count) == before


def test_a_scenario_changed_since_the_run_started_keeps_the_old_run_as_it_is(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    changed = dataclasses.replace(scenario, version="0123456789ab")
    record = progress.record_scenario_step(learner, run, changed, 1, "Ma Banque", {}, T0 + timedelta(seconds=10))
    assert record.refused is progress.StepRefusal.CHANGED
    assert progress.record_demonstration(learner, run, changed, 1).refused is progress.StepRefusal.CHANGED
    assert (count(ScenarioStep), run.step_count, run.current_screen_id) == (0, 1, "accueil")
    assert progress.unfinished_run(learner, changed) is None  # « Reprendre » is not offered: start again
    assert progress.unfinished_run(learner, scenario).id == run.id


def test_an_action_the_screen_does_not_offer_is_refused_and_nothing_is_kept(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    with pytest.raises(UnknownAction):
        progress.record_scenario_step(learner, run, scenario, 1, "Payer", {}, T0 + timedelta(seconds=10))
    db.session.rollback()
    assert (count(ScenarioStep), count(Activity)) == (0, 0)


def test_another_learner_s_run_is_not_found(ctx):
    learner, scenario = ctx
    other = make_learner("binta", make_group("Autre groupe exercice"))
    run = progress.start_scenario_run(learner, scenario, T0)
    assert progress.learner_run(learner, run.id).id == run.id
    assert progress.learner_run(other, run.id) is None


def test_the_rebuilt_lesson_summaries_ignore_the_exercises(ctx):
    learner, scenario = ctx
    visit(learner, "demo-premiers-pas", T0)
    run = progress.start_scenario_run(learner, scenario, T0)
    for number, (_, action, values) in enumerate(right_path(scenario), start=1):
        progress.record_scenario_step(learner, run, scenario, number, action, values, T0 + timedelta(minutes=number))
    live = db.session.execute(select(LessonProgress.lesson_id, LessonProgress.seconds_spent)).all()
    progress.rebuild_lesson_progress()
    assert (
        db.session.execute(select(LessonProgress.lesson_id, LessonProgress.seconds_spent)).all()
        == live
        == [("demo-premiers-pas", 0)]
    )


def test_deleting_a_learner_deletes_her_runs(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    progress.record_scenario_step(learner, run, scenario, 1, "Ma Banque", {}, T0)
    db.session.execute(db.delete(User).where(User.id == learner))
    db.session.commit()
    assert (count(ScenarioRun), count(ScenarioStep)) == (0, 0)


def test_a_wrong_field_keeps_which_field_was_not_right_never_what_she_typed(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    progress.record_scenario_step(learner, run, scenario, 1, "Ma Banque", {}, T0)
    progress.record_scenario_step(learner, run, scenario, 2, "Payer la facture", {}, T0)
    amount, *others = scenario.screen(run.current_screen_id).inputs
    values = {i.name: i.demonstrated for i in others} | {amount.name: "secret 42"}
    progress.record_scenario_step(learner, run, scenario, 3, "Payer", values, T0)
    kept = db.session.scalars(
        select(ScenarioStep.wrong_inputs).filter_by(run_id=run.id).order_by(ScenarioStep.number)
    ).all()
    assert kept == [[], [], [amount.name]]
    assert "secret" not in str(kept)


def test_her_runs_are_in_her_data_export_without_what_she_typed(ctx):
    learner, scenario = ctx
    run = progress.start_scenario_run(learner, scenario, T0)
    progress.record_scenario_step(learner, run, scenario, 1, "Ma Banque", {}, T0)
    progress.record_scenario_step(learner, run, scenario, 2, "Payer la facture", {}, T0)
    progress.record_scenario_step(learner, run, scenario, 3, "Payer", {"p1": "secret 42"}, T0)
    data = personal_data(db.session.get(User, learner), get_library())
    assert data["exercices"] == [
        {
            "exercice": "Payer une facture",
            "commencé le": "2026-03-02T10:00:00+01:00",
            "terminé le": "",
            "étapes": 3,
            "« Montrez-moi »": 0,
            "indices": 1,
            "pièges": 0,
        }
    ]
    assert "secret 42" not in personal_data_csv(data)
