"""Before/after: per module and « Je sais … » statement, how the people who answered at the
start and at the end of the module (both within the period) moved.

A person's answers at a moment are her latest set then (app.progress.record_self_assessment);
both sets must fall within the period, in the association's local days. Raw counts only: the
report's section (reports.impact.self_assessment_section) shows them as figures.Figure, under
the small-numbers rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from ..content import Library
from ..extensions import db
from ..models import KnowHow, SelfAssessment, SelfAssessmentMoment
from ..timezone import utc_moment
from .figures import Figure, people


@dataclass
class StatementChange:
    statement: str
    people: int = 0  # who answered this statement at both moments
    up: int = 0
    same: int = 0
    down: int = 0
    at_start: Counter = field(default_factory=Counter)  # KnowHow → people
    at_end: Counter = field(default_factory=Counter)

    def figure(self, count: int) -> Figure:
        """One of this statement's counts, computed over its people."""
        return Figure(count, self.people)


@dataclass
class ModuleChange:
    module_id: str
    title: str
    people: int  # who answered both moments of this module
    statements: list[StatementChange]

    @property
    def answered(self) -> Figure:
        return people(self.people)


def self_assessment_for_report(learner_ids, start_day: date, end_day: date, library: Library) -> list[ModuleChange]:
    """Every module with statements, in course order, in one query; learner_ids a list or a subquery."""
    in_period = and_(
        SelfAssessment.user_id.in_(learner_ids),
        SelfAssessment.at >= utc_moment(start_day),
        SelfAssessment.at < utc_moment(end_day + timedelta(days=1)),
    )
    latest = (
        select(
            SelfAssessment.user_id,
            SelfAssessment.module_id,
            SelfAssessment.moment,
            func.max(SelfAssessment.at).label("at"),
        )
        .where(in_period)
        .group_by(SelfAssessment.user_id, SelfAssessment.module_id, SelfAssessment.moment)
        .subquery()
    )
    rows = db.session.execute(
        select(
            SelfAssessment.user_id,
            SelfAssessment.module_id,
            SelfAssessment.moment,
            SelfAssessment.statement,
            SelfAssessment.answer,
        ).join(
            latest,
            and_(
                SelfAssessment.user_id == latest.c.user_id,
                SelfAssessment.module_id == latest.c.module_id,
                SelfAssessment.moment == latest.c.moment,
                SelfAssessment.at == latest.c.at,
            ),
        )
    )
    # (module, person) → moment → statement → answer
    answers: dict[tuple[str, int], dict[SelfAssessmentMoment, dict[int, KnowHow]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for user_id, module_id, moment, statement, answer in rows:
        answers[module_id, user_id][moment][statement] = answer
    report = []
    for module in library.modules:
        if not module.self_assessment:
            continue
        changes = [StatementChange(text) for text in module.self_assessment]
        both = 0  # people who answered both moments
        for (module_id, _), moments in answers.items():
            start, end = moments.get(SelfAssessmentMoment.START), moments.get(SelfAssessmentMoment.END)
            if module_id != module.id or not start or not end:
                continue
            both += 1
            for index, change in enumerate(changes):
                if index in start and index in end:
                    _count(change, start[index], end[index])
        report.append(ModuleChange(module.id, module.title, both, changes))
    return report


def _count(change: StatementChange, before: KnowHow, after: KnowHow) -> None:
    change.people += 1
    change.at_start[before] += 1
    change.at_end[after] += 1
    if after.rank > before.rank:
        change.up += 1
    elif after.rank < before.rank:
        change.down += 1
    else:
        change.same += 1
