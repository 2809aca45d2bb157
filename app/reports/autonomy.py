"""The autonomy ladder in the funders' report: per procedure, the people at each rung at the
period's end, and the steps climbed during it. A step climbed is a rung reached above the
learner's highest one on that procedure (a lower rung noted later climbs nothing). No figure is
computed over fewer than rules.REPORT_MIN_PEOPLE people: the cell then says « moins de 5 »."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..access import in_scope
from ..content import Library
from ..extensions import db
from ..formats import autonomy_level
from ..lesson_library import get_library
from ..models import AutonomyClaim, AutonomyLevel, AutonomyStep, Group, Role, User
from ..progress import ladders_of
from ..rules import REPORT_MIN_PEOPLE

BELOW_MIN = f"moins de {REPORT_MIN_PEOPLE}"
Figure = int | str  # a count, or BELOW_MIN


def shown(count: int, people: int | None = None) -> Figure:
    """A count as a report may show it: BELOW_MIN when it stands for fewer than REPORT_MIN_PEOPLE
    people (`people`: how many people it counts, when not the count itself)."""
    return count if (count if people is None else people) >= REPORT_MIN_PEOPLE else BELOW_MIN


@dataclass(frozen=True)
class ProcedureAutonomy:
    procedure_id: str
    title: str
    module_title: str
    # People whose highest rung at the period's end is this one, lowest rung first.
    at_level: dict[AutonomyLevel, Figure]
    steps_climbed: Figure  # in the period
    people_climbing: Figure  # people who climbed at least one step in the period


@dataclass(frozen=True)
class AutonomyReport:
    procedures: list[ProcedureAutonomy]
    # People who reached at least this rung on at least one procedure by the period's end.
    people_reaching: dict[AutonomyLevel, Figure]
    steps_climbed: Figure
    people_climbing: Figure


def autonomy_for_report(learner_ids, start_day: date, end_day: date, library: Library | None = None) -> AutonomyReport:
    """Over [start_day, end_day], both included, for these learners (ids, or a query of ids): one query."""
    library = library or get_library()
    steps = db.session.execute(
        select(AutonomyStep.user_id, AutonomyStep.procedure_id, AutonomyStep.level, AutonomyStep.day)
        .where(AutonomyStep.user_id.in_(learner_ids), AutonomyStep.day <= end_day)
        .order_by(AutonomyStep.user_id, AutonomyStep.procedure_id, AutonomyStep.at, AutonomyStep.id)
    )
    highest: dict[tuple[int, str], AutonomyLevel] = {}
    climbs: dict[str, int] = defaultdict(int)
    climbers: dict[str, set[int]] = defaultdict(set)
    for user_id, procedure_id, level, day in steps:
        key = (user_id, procedure_id)
        if key in highest and level.rank <= highest[key].rank:
            continue
        highest[key] = level
        if day >= start_day:
            climbs[procedure_id] += 1
            climbers[procedure_id].add(user_id)
    at_level: dict[str, dict[AutonomyLevel, int]] = defaultdict(lambda: dict.fromkeys(AutonomyLevel, 0))
    reaching: dict[AutonomyLevel, set[int]] = {level: set() for level in AutonomyLevel}
    for (user_id, procedure_id), level in highest.items():
        if procedure_id not in library.procedures:
            continue  # taken out of the catalogue since
        at_level[procedure_id][level] += 1
        for rung in AutonomyLevel:
            if rung.rank <= level.rank:
                reaching[rung].add(user_id)
    procedures = [
        ProcedureAutonomy(
            procedure.id,
            procedure.title,
            library.module(procedure.module_id).title,
            {level: shown(count) for level, count in at_level[procedure.id].items()},
            shown(climbs[procedure.id], len(climbers[procedure.id])),
            shown(len(climbers[procedure.id])),
        )
        for procedure in library.procedures.values()
    ]
    everyone_climbing = set().union(*(climbers[p] for p in library.procedures))
    return AutonomyReport(
        procedures=procedures,
        people_reaching={level: shown(len(people)) for level, people in reaching.items()},
        steps_climbed=shown(sum(climbs[p] for p in library.procedures), len(everyone_climbing)),
        people_climbing=shown(len(everyone_climbing)),
    )


def autonomy_rows(report: AutonomyReport) -> Iterator[tuple]:
    """The ladder's figures as (indicator, procedure, value) rows, for the report's CSV."""
    for level, figure in report.people_reaching.items():
        yield (f"Personnes ayant atteint « {autonomy_level(level)} » sur au moins une démarche", "", figure)
    yield ("Marches gravies dans la période (autonomie)", "", report.steps_climbed)
    yield ("Personnes ayant gravi au moins une marche", "", report.people_climbing)
    for procedure in report.procedures:
        for level, figure in procedure.at_level.items():
            yield (f"Personnes au niveau « {autonomy_level(level)} » en fin de période", procedure.title, figure)
        yield ("Marches gravies dans la période (autonomie)", procedure.title, procedure.steps_climbed)


@dataclass(frozen=True)
class ClaimToConfirm:
    learner_id: int
    name: str
    group_name: str
    procedure_id: str
    procedure_title: str
    claimed_at: datetime


def claims_to_confirm(staff: User, library: Library) -> list[ClaimToConfirm]:
    """« Je l'ai fait pour de vrai ! » waiting in the groups this person follows, oldest first."""
    rows = db.session.execute(
        select(AutonomyClaim, User, Group.name)
        .join(User, User.id == AutonomyClaim.user_id)
        .join(Group, Group.id == User.group_id)
        .where(
            AutonomyClaim.waiting.is_(True), User.role == Role.PARTICIPANT, User.active, in_scope(User.group_id, staff)
        )
        .order_by(AutonomyClaim.claimed_at, AutonomyClaim.id)
    )
    return [
        ClaimToConfirm(
            learner.id,
            learner.display_name,
            group_name,
            claim.procedure_id,
            library.procedures[claim.procedure_id].title,
            claim.claimed_at,
        )
        for claim, learner, group_name in rows
        if claim.procedure_id in library.procedures
    ]


@dataclass(frozen=True)
class GroupProcedure:
    """A group's ladder on one procedure, for its facilitators: how many people at each rung."""

    procedure_id: str
    title: str
    at_level: dict[AutonomyLevel, int]  # by highest rung, lowest rung first
    waiting: int  # claims « à confirmer »


def group_ladders(learner_ids: list[int], library: Library) -> list[GroupProcedure]:
    """Every procedure of the catalogue, in its order, with the group's people at each rung (two
    queries; none without a catalogue)."""
    if not library.procedures:
        return []
    ladders = ladders_of(learner_ids)
    found = []
    for procedure in library.procedures.values():
        at_level = dict.fromkeys(AutonomyLevel, 0)
        waiting = 0
        for by_procedure in ladders.values():
            ladder = by_procedure.get(procedure.id)
            if ladder is None:
                continue
            if ladder.level is not None:
                at_level[ladder.level] += 1
            waiting += ladder.claim is not None
        found.append(GroupProcedure(procedure.id, procedure.title, at_level, waiting))
    return found
