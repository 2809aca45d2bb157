"""Before/after: per module and « Je sais … » statement, how the people who answered at the
start and at the end of the module (both within the period) moved.

A person's answers at a moment are her latest set then (app.progress.record_self_assessment);
both sets must fall within the period, in the association's local days. Any figure over fewer
than rules.REPORT_MIN_PEOPLE people is withheld: the cell says « moins de 5 ».
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from ..content import Library
from ..extensions import db
from ..formats import KNOW_HOW_WORDS
from ..models import KnowHow, SelfAssessment, SelfAssessmentMoment
from ..rules import REPORT_MIN_PEOPLE
from ..timezone import utc_moment

TOO_FEW = f"moins de {REPORT_MIN_PEOPLE}"


@dataclass
class StatementChange:
    statement: str
    people: int = 0  # who answered this statement at both moments
    up: int = 0
    same: int = 0
    down: int = 0
    at_start: Counter = field(default_factory=Counter)  # KnowHow → people
    at_end: Counter = field(default_factory=Counter)

    @property
    def enough(self) -> bool:
        return self.people >= REPORT_MIN_PEOPLE

    def shown(self, value: int) -> int | str:
        """A figure of this statement as a report shows it."""
        return value if self.enough else TOO_FEW


@dataclass
class ModuleChange:
    module_id: str
    title: str
    people: int  # who answered both moments of this module
    statements: list[StatementChange]

    @property
    def enough(self) -> bool:
        return self.people >= REPORT_MIN_PEOPLE

    @property
    def people_shown(self) -> int | str:
        return self.people if self.enough else TOO_FEW


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
        people = 0
        for (module_id, _), moments in answers.items():
            start, end = moments.get(SelfAssessmentMoment.START), moments.get(SelfAssessmentMoment.END)
            if module_id != module.id or not start or not end:
                continue
            people += 1
            for index, change in enumerate(changes):
                if index in start and index in end:
                    _count(change, start[index], end[index])
        report.append(ModuleChange(module.id, module.title, people, changes))
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


def self_assessment_rows(modules: list[ModuleChange]) -> Iterator[tuple]:
    """The before/after block as (indicator, module, value) rows, for the impact report's CSV."""
    for module in modules:
        yield ("Auto-évaluation : personnes ayant répondu au début et à la fin", module.title, module.people_shown)
        for change in module.statements:
            yield (f"Auto-évaluation « {change.statement} » : ont progressé", module.title, change.shown(change.up))
            yield (f"Auto-évaluation « {change.statement} » : sans changement", module.title, change.shown(change.same))
            yield (f"Auto-évaluation « {change.statement} » : ont reculé", module.title, change.shown(change.down))
            for answer in reversed(KnowHow):
                words = KNOW_HOW_WORDS[answer.value]
                yield (
                    f"Auto-évaluation « {change.statement} » : « {words} » au début",
                    module.title,
                    change.shown(change.at_start[answer]),
                )
                yield (
                    f"Auto-évaluation « {change.statement} » : « {words} » à la fin",
                    module.title,
                    change.shown(change.at_end[answer]),
                )
