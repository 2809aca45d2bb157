"""Figures for funders over a period, for some groups, counted from the activity log.

A learner is active on a day they did anything (opened a lesson, finished one, answered a quiz,
asked for help); time counts on the day it was credited; a first try is a learner's first answer
ever to a quiz; a lesson is completed on the day its entry says so; a module on the day its
last lesson was. Days are the association's local days (app.timezone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, null, select, union_all

from ..content import Library
from ..extensions import db
from ..formats import decimal, spreadsheet_day
from ..models import Activity, Group, Role, User
from ..timezone import utc_moment, week_of
from .members import learners_in


@dataclass(frozen=True)
class ModuleFigures:
    module_id: str
    title: str
    lesson_count: int
    lessons_completed: int
    modules_completed: int


@dataclass
class ImpactReport:
    start: date
    end: date
    group_names: list[str]
    enrolled: int
    active: int
    seconds: int
    lessons_completed: int
    modules_completed: int
    first_attempts: int
    first_attempts_passed: int
    modules: list[ModuleFigures]
    # (Monday of the week, learners active that week), every week of the period.
    weeks: list[tuple[date, int]]

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)

    @property
    def first_try_percent(self) -> int | None:
        return round(100 * self.first_attempts_passed / self.first_attempts) if self.first_attempts else None


def impact_report(group_ids: list[int], start: date, end: date, library: Library) -> ImpactReport:
    """Over [start, end], both days included, in five queries."""
    learners = learners_in(group_ids)
    in_period = and_(Activity.user_id.in_(learners), Activity.day >= start, Activity.day <= end)

    group_names = list(db.session.scalars(select(Group.name).where(Group.id.in_(group_ids)).order_by(Group.name)))
    enrolled = db.session.scalar(
        select(func.count(User.id)).where(
            User.group_id.in_(group_ids), User.role == Role.PARTICIPANT, User.created_at < utc_moment(end + timedelta(days=1))
        )
    )
    # One pass over the period's entries: per learner and week, then per week and for the period.
    learner_weeks = (
        select(
            Activity.week, Activity.user_id, func.sum(Activity.seconds).label("seconds"),
            func.count().filter(Activity.first_try).label("first_tries"),
            func.count().filter(Activity.first_try, Activity.passed).label("first_tries_passed"),
        )
        .where(in_period).group_by(Activity.user_id, Activity.week).cte("learner_weeks")
    )
    by_week = select(learner_weeks.c.week, func.count(), null(), null(), null()).group_by(learner_weeks.c.week)
    whole_period = select(
        null(), func.count(func.distinct(learner_weeks.c.user_id)), func.coalesce(func.sum(learner_weeks.c.seconds), 0),
        func.coalesce(func.sum(learner_weeks.c.first_tries), 0), func.coalesce(func.sum(learner_weeks.c.first_tries_passed), 0),
    )
    weekly = {}
    for week, learners_count, *totals in db.session.execute(union_all(by_week, whole_period)):
        if week is None:
            active, seconds, first_attempts, first_passed = learners_count, *totals
        else:
            weekly[week] = learners_count
    lessons_done = dict(
        db.session.execute(
            select(Activity.lesson_id, func.count()).where(in_period, Activity.completed_lesson).group_by(Activity.lesson_id)
        ).all()
    )
    modules_done = _modules_completed(learners, start, end, library)
    modules = [
        ModuleFigures(
            module.id, module.title, len(module.lessons),
            sum(lessons_done.get(lesson.id, 0) for lesson in module.lessons), modules_done.get(module.id, 0),
        )
        for module in library.modules
    ]
    weeks, monday = [], week_of(start)
    while monday <= end:
        weeks.append((monday, weekly.get(monday, 0)))
        monday += timedelta(days=7)
    return ImpactReport(
        start=start, end=end, group_names=group_names, enrolled=enrolled, active=active, seconds=int(seconds),
        lessons_completed=sum(m.lessons_completed for m in modules),
        modules_completed=sum(m.modules_completed for m in modules),
        first_attempts=int(first_attempts), first_attempts_passed=int(first_passed),
        modules=modules, weeks=weeks,
    )


def _modules_completed(learners, start: date, end: date, library: Library) -> dict[str, int]:
    """Per module, the learners whose last lesson of it (as the module is now) was completed in the period."""
    module_of = {lesson.id: module.id for module in library.modules for lesson in module.lessons}
    sizes = {module.id: len(module.lessons) for module in library.modules if module.lessons}
    if not sizes:
        return {}
    module = case(module_of, value=Activity.lesson_id)
    per_learner = (
        select(module.label("module_id"), func.count().label("done"), func.max(Activity.day).label("last_day"))
        .where(Activity.user_id.in_(learners), Activity.completed_lesson, Activity.lesson_id.in_(module_of))
        .group_by(Activity.user_id, module)
        .subquery()
    )
    return dict(
        db.session.execute(
            select(per_learner.c.module_id, func.count())
            .where(per_learner.c.done == case(sizes, value=per_learner.c.module_id),
                   per_learner.c.last_day >= start, per_learner.c.last_day <= end)
            .group_by(per_learner.c.module_id)
        ).all()
    )


def impact_rows(report: ImpactReport) -> Iterator[tuple]:
    """The impact report as (indicator, module, value) rows, for its CSV."""
    yield ("Période", "", f"{spreadsheet_day(report.start)} au {spreadsheet_day(report.end)}")
    yield ("Groupes", "", ", ".join(report.group_names))
    yield ("Participants inscrits", "", report.enrolled)
    yield ("Participants actifs", "", report.active)
    yield ("Heures d'apprentissage", "", decimal(report.hours))
    yield ("Leçons terminées", "", report.lessons_completed)
    yield ("Modules terminés", "", report.modules_completed)
    yield ("Quiz réussis du premier coup (%)", "", "" if report.first_try_percent is None else report.first_try_percent)
    yield ("Premières tentatives de quiz", "", report.first_attempts)
    for module in report.modules:
        yield ("Leçons terminées", module.title, module.lessons_completed)
        yield ("Modules terminés", module.title, module.modules_completed)
    for monday, count in report.weeks:
        yield ("Participants actifs dans la semaine du", spreadsheet_day(monday), count)
