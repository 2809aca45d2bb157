"""Practice scenarios (« exercices pratiques »): thin views over content.scenarios and progress.

Every step is a plain form POST carrying the run's step number, so a form sent twice or an old
one changes nothing and shows where the run is."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import progress
from ..auth.access import write_limit
from ..content.scenarios import StepOutcome, UnknownAction, demonstration, screen_values, summarise
from ..lesson_library import get_library, scenario_or_404
from ..rules import SCENARIO_TYPED_MAX
from . import bp

SHOW_BUTTON = "montrez-moi"


def _scenario_and_run_or_404(scenario_id: str, run_id: int):
    """The scenario and this learner's run of it: another learner's run is not found."""
    scenario = scenario_or_404(scenario_id)
    run = progress.learner_run(current_user.id, run_id)
    if run is None or run.scenario_id != scenario.id:
        abort(404)
    return scenario, run


@bp.get("/exercices/<scenario_id>")
@login_required
def exercise(scenario_id: str):
    scenario = scenario_or_404(scenario_id)
    library = get_library()
    return render_template(
        "learn/exercise_intro.html",
        scenario=scenario,
        lesson=library.lesson(scenario.lesson_id),
        unfinished=progress.unfinished_run(current_user.id, scenario),
    )


@bp.post("/exercices/<scenario_id>/commencer")
@login_required
@write_limit
def start_exercise(scenario_id: str):
    scenario = scenario_or_404(scenario_id)
    run = progress.start_scenario_run(current_user.id, scenario)
    return redirect(url_for("learn.exercise_screen", scenario_id=scenario.id, run_id=run.id))


def _render_screen(scenario, run, status=200, values=None, hint=None, field_errors=(), shown=None, notice=None):
    return render_template(
        "learn/exercise_screen.html",
        scenario=scenario,
        run=run,
        screen=scenario.screens[run.current_screen_id],
        values=values or {},
        hint=hint,
        field_errors=set(field_errors),
        shown=shown,
        notice=notice,
    ), status


def _render_changed(scenario, run):
    """The scenario's file changed since this run started: the run stays as it was."""
    return render_template("learn/exercise_changed.html", scenario=scenario, run=run), 409


@bp.get("/exercices/<scenario_id>/essai/<int:run_id>")
@login_required
def exercise_screen(scenario_id: str, run_id: int):
    scenario, run = _scenario_and_run_or_404(scenario_id, run_id)
    if run.scenario_version != scenario.version:
        return _render_changed(scenario, run)
    if run.finished:
        return redirect(url_for("learn.exercise_result", scenario_id=scenario.id, run_id=run.id))
    return _render_screen(scenario, run)


@bp.post("/exercices/<scenario_id>/essai/<int:run_id>")
@login_required
@write_limit
def exercise_step(scenario_id: str, run_id: int):
    scenario, run = _scenario_and_run_or_404(scenario_id, run_id)
    expected_step = request.form.get("step", "")
    if not expected_step.isdigit() or len(expected_step) > 9:
        abort(400)
    screen = scenario.screen(run.current_screen_id)
    values = screen_values(screen, request.form, SCENARIO_TYPED_MAX)
    try:
        if SHOW_BUTTON in request.form:
            record = progress.record_demonstration(current_user.id, run, scenario, int(expected_step))
        else:
            record = progress.record_scenario_step(
                current_user.id,
                run,
                scenario,
                int(expected_step),
                request.form.get("action", ""),
                values,
                procedure_ids=get_library().procedures_of_scenario(scenario.id),
            )
    except UnknownAction:
        abort(400)
    if record.refused is progress.StepRefusal.CHANGED:
        return _render_changed(scenario, run)
    if record.refused is progress.StepRefusal.FINISHED:
        return redirect(url_for("learn.exercise_result", scenario_id=scenario.id, run_id=run.id))
    if record.refused is progress.StepRefusal.OUT_OF_STEP:
        notice = _("Cette action était déjà faite. Voici l'écran où vous en êtes : continuez d'ici.")
        return _render_screen(scenario, run, status=409, notice=notice)
    if record.result is None:  # « Montrez-moi »: the same screen, what to do drawn on it
        return _render_screen(scenario, run, values=values, shown=demonstration(scenario, run.current_screen_id))
    if record.result.outcome is StepOutcome.WRONG:
        return _render_screen(
            scenario, run, values=values, hint=record.result.hint, field_errors=record.result.field_errors
        )
    if run.finished:
        return redirect(url_for("learn.exercise_result", scenario_id=scenario.id, run_id=run.id))
    return redirect(url_for("learn.exercise_screen", scenario_id=scenario.id, run_id=run.id))


@bp.get("/exercices/<scenario_id>/essai/<int:run_id>/resultat")
@login_required
def exercise_result(scenario_id: str, run_id: int):
    scenario, run = _scenario_and_run_or_404(scenario_id, run_id)
    if run.scenario_version != scenario.version:
        return _render_changed(scenario, run)
    if not run.finished:
        return redirect(url_for("learn.exercise_screen", scenario_id=scenario.id, run_id=run.id))
    library = get_library()
    summary = summarise(scenario, [(s.screen_id, s.outcome) for s in run.steps])
    return render_template(
        "learn/exercise_result.html",
        scenario=scenario,
        run=run,
        end=scenario.screens[run.current_screen_id],
        summary=summary,
        reviews=[library.lesson(i) for i in summary.review_lesson_ids if library.lesson(i)],
    )
