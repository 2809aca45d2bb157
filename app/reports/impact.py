"""The report funders read: figures over a period, for some groups, as a list of sections.

Each section is its own function `(scope) -> Section` in SECTIONS, with its rows (what the CSV
and the default table show) and maybe more data for its template
(templates/facilitate/impact/_<key>.html, else the plain table _rows.html). A new block of the
report is one more function in the list, beside the others.

Counted from the records: a learner is active on a day they did anything (opened a lesson,
finished one, answered a quiz, asked for help); time at home is the activity log's credited
seconds, on the day it was credited; a first try is a learner's first answer ever to a quiz; a
lesson is completed on the day its entry says so; a module on the day its last lesson was;
workshops count on their day. Days are the association's local days (app.timezone).

Small numbers (rules.REPORT_MIN_PEOPLE): every figure says over how many people it was computed,
and below that number it is shown as « moins de 5 » (app/reports/figures.py).
Categories are only ever counted, never listed per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, null, select, union_all

from ..content import Library
from ..extensions import db
from ..formats import KNOW_HOW_WORDS, autonomy_level, spreadsheet_day
from ..models import Activity, CategoryConsent, Group, KnowHow, ParticipantCategory, User, Workshop, WorkshopAttendance
from ..timezone import utc_moment, week_of
from .autonomy import autonomy_for_report
from .exercises import exercise_figures
from .figures import AUTONOMOUS, COLLECTIVE, Figure, Row, Section, hours, people
from .members import learners_in
from .self_assessment import self_assessment_for_report

CSV_HEADER = ("Rubrique", "Indicateur", "Type d'accompagnement", "Thématique", "Valeur")


@dataclass(frozen=True)
class PeriodLog:
    """What several sections read from the period's activity log, added up in one pass."""

    active: int  # people who did anything
    seconds: int  # credited time
    timed: int  # people with credited time
    first_tries: int
    first_tries_passed: int
    tried: int  # people with a first try
    weekly: dict[date, int]  # Monday -> people active that week


@dataclass(frozen=True)
class Scope:
    """What every section is computed over."""

    group_ids: list[int]
    start: date
    end: date
    library: Library

    @property
    def learners(self):
        return learners_in(self.group_ids)

    @property
    def enrolled(self):
        """The participants of these groups enrolled by the period's end."""
        return self.learners.where(User.created_at < utc_moment(self.end + timedelta(days=1)))

    @property
    def in_period(self):
        return and_(Activity.user_id.in_(self.learners), Activity.day >= self.start, Activity.day <= self.end)

    @cached_property
    def log(self) -> PeriodLog:
        """One pass over the period's entries, per learner and week (an index-only scan in the
        order the index keeps them), then per week and for the whole period."""
        learner_weeks = (
            select(
                Activity.week,
                Activity.user_id,
                func.sum(Activity.seconds).label("seconds"),
                func.count().filter(Activity.first_try).label("tries"),
                func.count().filter(Activity.first_try, Activity.passed).label("passed"),
            )
            .where(self.in_period)
            .group_by(Activity.user_id, Activity.week)
            .cte("learner_weeks")
        )
        c = learner_weeks.c
        by_week = select(c.week, func.count(), null(), null(), null(), null(), null()).group_by(c.week)
        whole_period = select(
            null(),
            func.count(func.distinct(c.user_id)),
            func.coalesce(func.sum(c.seconds), 0),
            func.count(func.distinct(case((c.seconds > 0, c.user_id)))),
            func.coalesce(func.sum(c.tries), 0),
            func.coalesce(func.sum(c.passed), 0),
            func.count(func.distinct(case((c.tries > 0, c.user_id)))),
        )
        weekly, totals = {}, (0, 0, 0, 0, 0, 0)
        for week, count, *rest in db.session.execute(union_all(by_week, whole_period)):
            if week is None:
                totals = (count, *rest)
            else:
                weekly[week] = count
        active, seconds, timed, tries, passed, tried = (int(v) for v in totals)
        return PeriodLog(active, seconds, timed, tries, passed, tried, weekly)

    @property
    def workshops(self):
        """The period's workshops of these groups, as a subquery of ids."""
        return select(Workshop.id).where(
            Workshop.group_id.in_(self.group_ids), Workshop.day >= self.start, Workshop.day <= self.end
        )


@dataclass
class ImpactReport:
    start: date
    end: date
    group_names: list[str]
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def figure(self, key: str, indicator: str, theme: str = "") -> Figure:
        """One figure by its section and words (for the tests and the charts)."""
        return next(r.figure for r in self.section(key).rows if r.indicator == indicator and r.theme == theme)


def people_section(scope: Scope) -> Section:
    enrolled = db.session.scalar(select(func.count()).select_from(scope.enrolled.subquery()))
    active = scope.log.active
    return Section(
        "people",
        _("Participants et groupes"),
        [
            Row(_("Participants inscrits"), people(enrolled)),
            Row(_("Participants actifs"), people(active)),
            Row(_("Groupes"), Figure(len(scope.group_ids))),
        ],
    )


def workshops_section(scope: Scope) -> Section:
    """Workshops held, hours offered and attendance, in all and per module (« thématique »).

    Who came counts by the workshop's group, as ticked that day (not by where the person is now)."""
    held = {
        module_id: (count, minutes)
        for module_id, count, minutes in db.session.execute(
            select(Workshop.module_id, func.count(), func.sum(Workshop.minutes))
            .where(Workshop.id.in_(scope.workshops))
            .group_by(Workshop.module_id)
        )
    }
    # Per module and person: her attendances and minutes there; added up here (a few rows a person).
    came: dict[str | None, set[int]] = {None: set()}
    attendances: dict[str | None, int] = {None: 0}
    minutes: dict[str | None, int] = {None: 0}
    for module_id, person, count, spent in db.session.execute(
        select(Workshop.module_id, WorkshopAttendance.user_id, func.count(), func.sum(Workshop.minutes))
        .join(Workshop, Workshop.id == WorkshopAttendance.workshop_id)
        .where(Workshop.id.in_(scope.workshops))
        .group_by(Workshop.module_id, WorkshopAttendance.user_id)
    ):
        for key in (None, module_id):
            came.setdefault(key, set()).add(person)
            attendances[key] = attendances.get(key, 0) + count
            minutes[key] = minutes.get(key, 0) + spent

    def rows(key: str | None, theme: str, count: int, offered: int) -> list[Row]:
        people_there = len(came.get(key, ()))
        return [
            Row(_("Ateliers"), Figure(count), COLLECTIVE, theme),
            Row(_("Heures d'atelier proposées"), Figure(round(offered / 60, 1)), COLLECTIVE, theme),
            Row(_("Nombre de participants"), people(people_there), COLLECTIVE, theme),
            Row(_("Présences"), Figure(attendances.get(key, 0), people_there), COLLECTIVE, theme),
            Row(_("Heures de présence en atelier"), hours(minutes.get(key, 0) * 60, people_there), COLLECTIVE, theme),
        ]

    found = rows(None, "", sum(c for c, _m in held.values()), sum(m for _c, m in held.values()))
    for module in scope.library.modules:
        if module.id in held:
            found += rows(module.id, module.title, *held[module.id])
    return Section("workshops", _("Ateliers"), found)


def home_section(scope: Scope) -> Section:
    """Time at home and activity week by week."""
    log = scope.log
    seconds, timed, weekly = log.seconds, log.timed, log.weekly
    weeks, monday = [], week_of(scope.start)
    while monday <= scope.end:
        weeks.append((monday, people(weekly.get(monday, 0))))
        monday += timedelta(days=7)
    rows = [
        Row(_("Heures sur la plateforme"), hours(seconds, timed), AUTONOMOUS),
        Row(_("Participants ayant appris sur la plateforme"), people(timed), AUTONOMOUS),
    ]
    summary = list(rows)
    rows += [
        Row(_("Participants actifs dans la semaine du %(day)s", day=spreadsheet_day(monday)), count, AUTONOMOUS)
        for monday, count in weeks
    ]
    return Section("home", _("À la maison, sur la plateforme"), rows, {"weeks": weeks, "summary": summary})


def lessons_section(scope: Scope) -> Section:
    """Lessons and modules completed, first tries at quizzes; per module.

    One pass over the completions, per learner and module (a few rows a learner): the period's
    lessons, and whether her last lesson of the module (as it is now) came in the period. (Reading
    every completion into Python instead took three times as long at 10,000 learners.)"""
    library = scope.library
    module_of = {lesson.id: module.id for module in library.modules for lesson in module.lessons}
    sizes = {module.id: len(module.lessons) for module in library.modules}
    lessons: dict[str, int] = {}
    learners: dict[str, set[int]] = {"": set()}
    modules_done: dict[str, int] = {}
    if module_of:
        module = case(module_of, value=Activity.lesson_id)
        in_period = and_(Activity.day >= scope.start, Activity.day <= scope.end)
        for module_id, person, in_period_count, done, last_day in db.session.execute(
            select(module, Activity.user_id, func.count().filter(in_period), func.count(), func.max(Activity.day))
            .where(Activity.user_id.in_(scope.learners), Activity.completed_lesson, Activity.lesson_id.in_(module_of))
            .group_by(Activity.user_id, module)
        ):
            if in_period_count:
                lessons[module_id] = lessons.get(module_id, 0) + in_period_count
                learners.setdefault(module_id, set()).add(person)
                learners[""].add(person)
            if done == sizes[module_id] and scope.start <= last_day <= scope.end:
                modules_done[module_id] = modules_done.get(module_id, 0) + 1
    first_tries, passed, tried = scope.log.first_tries, scope.log.first_tries_passed, scope.log.tried
    rows = [
        Row(_("Leçons terminées"), Figure(sum(lessons.values()), len(learners[""]))),
        Row(_("Modules terminés"), people(sum(modules_done.values()))),
        Row(_("Premières tentatives de quiz"), Figure(first_tries, tried)),
        Row(_("Quiz réussis du premier coup"), Figure(passed, tried)),
    ]
    per_module = []
    for m in library.modules:
        done_here = Figure(lessons.get(m.id, 0), len(learners.get(m.id, ())))
        per_module.append((m.title, done_here))
        rows += [
            Row(_("Leçons terminées"), done_here, theme=m.title),
            Row(_("Modules terminés"), people(modules_done.get(m.id, 0)), theme=m.title),
        ]
    return Section("lessons", _("Leçons et modules"), rows, {"modules": per_module})


def categories_section(scope: Scope) -> Section:
    """People of these groups enrolled by the period's end, in each category: counted only (recorded with their consent)."""
    counts = dict(
        db.session.execute(
            select(CategoryConsent.category_id, func.count())
            .where(CategoryConsent.user_id.in_(scope.enrolled))
            .group_by(CategoryConsent.category_id)
        ).all()
    )
    rows = [
        Row(_("Participants : %(label)s", label=label), people(counts.get(category_id, 0)))
        for category_id, label in db.session.execute(
            select(ParticipantCategory.id, ParticipantCategory.label).order_by(ParticipantCategory.label)
        )
    ]
    return Section("categories", _("Par catégorie (avec l'accord des personnes)"), rows)


def exercises_section(scope: Scope) -> Section:
    """Practice exercises run to their end in the period (each run once)."""
    figures = exercise_figures(scope.learners, scope.start, scope.end)
    return Section("exercises", _("Exercices pratiques"), [
        Row(_("Exercices pratiques terminés"), Figure(figures.finished, figures.people), AUTONOMOUS),
        Row(_("Exercices terminés sans « Montrez-moi »"), Figure(figures.alone, figures.people_alone), AUTONOMOUS),
        Row(_("Participants ayant terminé un exercice"), people(figures.people), AUTONOMOUS),
    ])


def autonomy_section(scope: Scope) -> Section:
    """The autonomy ladder on real procedures: people at each rung at the period's end, steps climbed in it."""
    report = autonomy_for_report(scope.learners, scope.start, scope.end, scope.library)
    rows = [
        Row(_("Personnes ayant atteint « %(level)s » sur au moins une démarche", level=autonomy_level(level)), figure)
        for level, figure in report.people_reaching.items()
    ]
    rows += [
        Row(_("Marches gravies dans la période"), report.steps_climbed),
        Row(_("Personnes ayant gravi au moins une marche"), report.people_climbing),
    ]
    for procedure in report.procedures:
        rows += [
            Row(_("Personnes au niveau « %(level)s » en fin de période", level=autonomy_level(level)), figure, theme=procedure.title)
            for level, figure in procedure.at_level.items()
        ]
        rows.append(Row(_("Marches gravies dans la période"), procedure.steps_climbed, theme=procedure.title))
    return Section("autonomy", _("Autonomie sur les démarches réelles"), rows, {"autonomy": report})


def self_assessment_section(scope: Scope) -> Section:
    """Before/after « Je sais … »: per module and statement, how those who answered at its start and at
    its end, both in the period, moved; and how many gave each answer each time."""
    modules = self_assessment_for_report(scope.learners, scope.start, scope.end, scope.library)
    answers = list(reversed(KnowHow))  # Oui, Un peu, Pas encore: the order of the learner's page
    rows = []
    for module in modules:
        rows.append(Row(_("Participants ayant répondu au début et à la fin"), module.answered, theme=module.title))
        for change in module.statements:
            moves = (
                (_("ont progressé"), change.up),
                (_("sans changement"), change.same),
                (_("ont reculé"), change.down),
            )
            rows += [
                Row(
                    _("« %(statement)s » : %(move)s", statement=change.statement, move=move),
                    change.figure(count),
                    theme=module.title,
                )
                for move, count in moves
            ]
            rows += [
                Row(
                    _(
                        "« %(statement)s » : « %(answer)s » %(moment)s",
                        statement=change.statement,
                        answer=KNOW_HOW_WORDS[answer.value],
                        moment=moment,
                    ),
                    change.figure(counts[answer]),
                    theme=module.title,
                )
                for answer in answers
                for moment, counts in ((_("au début"), change.at_start), (_("à la fin"), change.at_end))
            ]
    return Section(
        "self_assessment",
        _("Avant et après : ce que les participants disent savoir faire"),
        rows,
        {"modules": modules, "answers": answers},
    )


SECTIONS: list[Callable[[Scope], Section]] = [
    people_section,
    workshops_section,
    home_section,
    lessons_section,
    exercises_section,
    autonomy_section,
    self_assessment_section,
    categories_section,
]


def impact_report(group_ids: list[int], start: date, end: date, library: Library) -> ImpactReport:
    """Over [start, end], both days included: each section in a few queries, whatever the number of learners."""
    scope = Scope(list(group_ids), start, end, library)
    names = list(db.session.scalars(select(Group.name).where(Group.id.in_(group_ids)).order_by(Group.name)))
    return ImpactReport(start, end, names, [section(scope) for section in SECTIONS])


def impact_rows(report: ImpactReport) -> Iterator[tuple]:
    """The report as CSV rows (CSV_HEADER): the period and groups, then each section's rows."""
    yield ("", _("Période"), "", "", f"{spreadsheet_day(report.start)} au {spreadsheet_day(report.end)}")
    yield ("", _("Groupes"), "", "", ", ".join(report.group_names))
    for section in report.sections:
        for row in section.rows:
            yield (section.title, row.indicator, row.kind, row.theme, row.text)
