"""Practice scenarios (« exercices pratiques ») as a facilitator reads them: per group and scenario,
who started, who finished, who finished alone (without « Montrez-moi »), the hardest screen; per
learner, every run step by step; and the exercises done in a period for the impact report.

A run is finished once it reached a Fin screen; it was done alone when it finished without any
« Montrez-moi ». A screen's difficulty is the number of runs that stopped there unfinished plus
the number of runs that asked « Montrez-moi » there.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from ..content import Library
from ..content.scenarios import Scenario, wrong_inputs_hint
from ..extensions import db
from ..models import ScenarioRun, ScenarioStep
from ..timezone import utc_moment
from .members import learners_in, participants

ALONE = and_(ScenarioRun.finished_at.is_not(None), ScenarioRun.shown_count == 0)


class ExerciseStatus(enum.Enum):
    """Where a learner is in one scenario, the best of her runs."""

    TODO = "todo"
    STARTED = "started"
    DONE = "done"  # finished, with « Montrez-moi » at least once
    DONE_ALONE = "done_alone"


@dataclass(frozen=True)
class ExerciseCell:
    runs: int = 0
    finished: int = 0
    alone: int = 0

    @property
    def status(self) -> ExerciseStatus:
        if self.alone:
            return ExerciseStatus.DONE_ALONE
        if self.finished:
            return ExerciseStatus.DONE
        return ExerciseStatus.STARTED if self.runs else ExerciseStatus.TODO

    # What screens ask (templates never compare the status's value).
    @property
    def done_alone(self) -> bool:
        return self.alone > 0

    @property
    def done(self) -> bool:
        return self.finished > 0

    @property
    def started(self) -> bool:
        return self.runs > 0


EMPTY_CELL = ExerciseCell()


@dataclass
class ScenarioTotals:
    """People of the group, not runs: one who finished twice counts once."""

    scenario: Scenario
    started: int = 0
    finished: int = 0
    alone: int = 0


@dataclass
class GroupExercises:
    scenarios: list[ScenarioTotals]
    cells: dict[tuple[int, str], ExerciseCell]

    def cell(self, learner_id: int, scenario_id: str) -> ExerciseCell:
        return self.cells.get((learner_id, scenario_id), EMPTY_CELL)


def ordered_scenarios(library: Library) -> list[Scenario]:
    """In the course's order: module by module."""
    return [scenario for module in library.modules for scenario in library.scenarios_of_module(module.id)]


def _cells(learners, scenario_ids: list[str]) -> dict[tuple[int, str], ExerciseCell]:
    rows = db.session.execute(
        select(
            ScenarioRun.user_id,
            ScenarioRun.scenario_id,
            func.count(ScenarioRun.id),
            func.count(ScenarioRun.finished_at),
            func.count().filter(ALONE),
        )
        .where(ScenarioRun.user_id.in_(learners), ScenarioRun.scenario_id.in_(scenario_ids))
        .group_by(ScenarioRun.user_id, ScenarioRun.scenario_id)
    )
    return {
        (user_id, scenario_id): ExerciseCell(runs, finished, alone)
        for user_id, scenario_id, runs, finished, alone in rows
    }


def group_exercises(group_id: int, library: Library) -> GroupExercises:
    """Every learner × scenario of one group, in one query whatever their number."""
    scenarios = ordered_scenarios(library)
    cells = _cells(learners_in([group_id]), [s.id for s in scenarios]) if scenarios else {}
    totals = {s.id: ScenarioTotals(s) for s in scenarios}
    for (_user_id, scenario_id), cell in cells.items():
        total = totals[scenario_id]
        total.started += 1
        total.finished += cell.finished > 0
        total.alone += cell.alone > 0
    return GroupExercises(list(totals.values()), cells)


# One scenario in one group ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInScenario:
    id: int
    name: str
    cell: ExerciseCell
    last_run_at: datetime | None


@dataclass(frozen=True)
class ScreenDifficulty:
    screen_id: str
    title: str
    # Runs not finished whose learner is still on this screen.
    stopped: int
    # Runs that asked « Montrez-moi » on this screen, and the times it was asked.
    shown_runs: int
    shown_times: int

    @property
    def score(self) -> int:
        return self.stopped + self.shown_runs


@dataclass
class ScenarioReport:
    scenario: Scenario
    people: list[PersonInScenario]
    runs: int
    screens: list[ScreenDifficulty]  # the screens with a difficulty, the hardest first

    @property
    def hardest(self) -> ScreenDifficulty | None:
        return self.screens[0] if self.screens else None

    def with_status(self, *statuses: ExerciseStatus) -> list[PersonInScenario]:
        return [p for p in self.people if p.cell.status in statuses]

    @property
    def started(self) -> list[PersonInScenario]:
        return [p for p in self.people if p.cell.runs]

    @property
    def finished(self) -> list[PersonInScenario]:
        return self.with_status(ExerciseStatus.DONE, ExerciseStatus.DONE_ALONE)

    @property
    def alone(self) -> list[PersonInScenario]:
        return self.with_status(ExerciseStatus.DONE_ALONE)


def _screen_title(scenario: Scenario | None, screen_id: str) -> str:
    screen = scenario.screens.get(screen_id) if scenario else None
    return screen.title if screen else screen_id  # a screen (or scenario) removed since: its id says which


def scenario_report(group_id: int, scenario: Scenario) -> ScenarioReport:
    """In four queries: the group's participants, their runs per person, where unfinished runs
    stopped, where « Montrez-moi » was asked."""
    learners = learners_in([group_id])
    in_group = and_(ScenarioRun.user_id.in_(learners), ScenarioRun.scenario_id == scenario.id)
    per_person = {
        user_id: (ExerciseCell(runs, finished, alone), last)
        for user_id, runs, finished, alone, last in db.session.execute(
            select(
                ScenarioRun.user_id,
                func.count(ScenarioRun.id),
                func.count(ScenarioRun.finished_at),
                func.count().filter(ALONE),
                func.max(ScenarioRun.started_at),
            )
            .where(in_group)
            .group_by(ScenarioRun.user_id)
        )
    }
    people = [
        PersonInScenario(u.id, u.display_name, *per_person.get(u.id, (EMPTY_CELL, None)))
        for u in participants([group_id])
    ]
    stopped = dict(
        db.session.execute(
            select(ScenarioRun.current_screen_id, func.count())
            .where(in_group, ScenarioRun.finished_at.is_(None))
            .group_by(ScenarioRun.current_screen_id)
        ).all()
    )
    shown = {
        screen_id: (runs, times)
        for screen_id, runs, times in db.session.execute(
            select(ScenarioStep.screen_id, func.count(func.distinct(ScenarioStep.run_id)), func.count())
            .join(ScenarioRun, ScenarioRun.id == ScenarioStep.run_id)
            .where(in_group, ScenarioStep.outcome == "shown")
            .group_by(ScenarioStep.screen_id)
        )
    }
    order = {screen_id: i for i, screen_id in enumerate(scenario.screens)}
    screens = [
        ScreenDifficulty(
            screen_id, _screen_title(scenario, screen_id), stopped.get(screen_id, 0), *shown.get(screen_id, (0, 0))
        )
        for screen_id in set(stopped) | set(shown)
    ]
    screens.sort(key=lambda s: (-s.score, order.get(s.screen_id, len(order)), s.screen_id))
    return ScenarioReport(scenario, people, sum(cell.runs for cell, _last in per_person.values()), screens)


# One learner --------------------------------------------------------------------------------


class StepKind:
    """What a step of a run was, in the facilitator's words (the template says them)."""

    RIGHT, WRONG, MISTAKE, SHOWN = "right", "wrong", "mistake", "shown"


@dataclass(frozen=True)
class StepShown:
    number: int
    screen_title: str
    kind: str  # one of StepKind
    action_label: str
    at: datetime
    seconds: int
    # The hint she read after a wrong action; for « Montrez-moi », the right action shown.
    hint: str | None = None
    # A wrong step on the right button: a field, choice or box was not right.
    inputs_wrong: bool = False
    # Their labels on the screen (none known for a step recorded before migration 0016).
    wrong_labels: tuple[str, ...] = ()


@dataclass
class RunShown:
    id: int
    scenario_id: str
    scenario_title: str
    started_at: datetime
    finished_at: datetime | None
    shown_count: int
    mistake_count: int
    wrong_count: int
    current_screen_title: str
    # False once the scenario left the lessons: the run stays, without its page.
    in_library: bool
    # False when the scenario changed since the run: its screens and hints may differ now.
    same_version: bool
    steps: list[StepShown] = field(default_factory=list)

    @property
    def alone(self) -> bool:
        return self.finished_at is not None and self.shown_count == 0

    @property
    def seconds(self) -> int:
        return sum(step.seconds for step in self.steps)


def _step_shown(step: ScenarioStep, scenario: Scenario | None, same_version: bool) -> StepShown:
    """What the screen told her, recomputed from the scenario when the run followed this version
    (a step keeps what she did, not the words it was answered with): after a wrong button, the
    screen's Indice; after the right button with a wrong field, that field's hint, as
    content.scenarios.step chose it (no hint when the step did not keep which field)."""
    screen = scenario.screens.get(step.screen_id) if scenario and same_version else None
    hint, inputs_wrong, wrong_labels = None, False, ()
    if step.outcome == StepKind.SHOWN:
        hint = step.action_label  # what « Montrez-moi » showed, kept with the step
    elif step.outcome == StepKind.WRONG:
        inputs_wrong = screen is not None and any(a.label == step.action_label for a in screen.right_actions)
        if not inputs_wrong:
            hint = screen.hint if screen is not None else None
        elif wrong := [i for i in screen.inputs if i.name in step.wrong_inputs]:
            wrong_labels = tuple(i.label for i in wrong)
            hint = wrong_inputs_hint(screen, wrong)
    return StepShown(
        step.number,
        _screen_title(scenario, step.screen_id),
        step.outcome,
        step.action_label,
        step.at,
        step.seconds,
        hint,
        inputs_wrong,
        wrong_labels,
    )


def learner_runs(
    learner_id: int, library: Library, scenario_id: str | None = None, with_steps: bool = False
) -> list[RunShown]:
    """A learner's runs, the latest first (of one scenario if given), with their steps if asked: in
    one or two queries."""
    query = select(ScenarioRun).where(ScenarioRun.user_id == learner_id)
    if scenario_id is not None:
        query = query.where(ScenarioRun.scenario_id == scenario_id)
    runs: dict[int, RunShown] = {}
    scenarios: dict[int, Scenario | None] = {}
    for run in db.session.scalars(query.order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc())):
        scenario = library.scenario(run.scenario_id)
        scenarios[run.id] = scenario
        runs[run.id] = RunShown(
            run.id,
            run.scenario_id,
            scenario.title if scenario else run.scenario_id,
            run.started_at,
            run.finished_at,
            run.shown_count,
            run.mistake_count,
            run.wrong_count,
            _screen_title(scenario, run.current_screen_id),
            scenario is not None,
            scenario is not None and scenario.version == run.scenario_version,
        )
    if with_steps and runs:
        steps = db.session.scalars(
            select(ScenarioStep)
            .where(ScenarioStep.run_id.in_(list(runs)))
            .order_by(ScenarioStep.run_id, ScenarioStep.number)
        )
        for step in steps:
            run = runs[step.run_id]
            run.steps.append(_step_shown(step, scenarios[step.run_id], run.same_version))
    return list(runs.values())


# The impact report's section ----------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseFigures:
    finished: int  # runs finished in the period
    alone: int  # of which without « Montrez-moi »
    people: int  # learners who finished at least one
    people_alone: int  # learners who finished at least one without « Montrez-moi »


def exercise_figures(learner_ids, start: date, end: date) -> ExerciseFigures:
    """Runs finished over [start, end], both local days included, by these learners (a query of ids): one query."""
    alone = ScenarioRun.shown_count == 0
    return ExerciseFigures(*db.session.execute(
        select(
            func.count(),
            func.count().filter(alone),
            func.count(func.distinct(ScenarioRun.user_id)),
            func.count(func.distinct(ScenarioRun.user_id)).filter(alone),
        ).where(
            ScenarioRun.user_id.in_(learner_ids),
            ScenarioRun.finished_at >= utc_moment(start),
            ScenarioRun.finished_at < utc_moment(end + timedelta(days=1)),
        )
    ).one())
