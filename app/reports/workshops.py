"""Workshops as their pages show them: a group's list, and those one person attended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..models import Workshop, WorkshopAttendance


@dataclass(frozen=True)
class WorkshopShown:
    id: int
    day: date
    module_title: str
    minutes: int
    place: str
    people: int  # who came (on the group's list); 1 on a person's own list


def _title(library: Library, module_id: str) -> str:
    module = library.module(module_id)
    return module.title if module else module_id


def group_workshops(group_id: int, library: Library) -> list[WorkshopShown]:
    """The group's workshops, the latest first, each with how many came."""
    came = (
        select(WorkshopAttendance.workshop_id, func.count().label("people"))
        .group_by(WorkshopAttendance.workshop_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Workshop, func.coalesce(came.c.people, 0))
        .outerjoin(came, came.c.workshop_id == Workshop.id)
        .where(Workshop.group_id == group_id)
        .order_by(Workshop.day.desc(), Workshop.id.desc())
    )
    return [WorkshopShown(w.id, w.day, _title(library, w.module_id), w.minutes, w.place, n) for w, n in rows]


def attended_workshops(user_id: int, library: Library) -> list[WorkshopShown]:
    """The workshops this person came to, the latest first."""
    rows = db.session.scalars(
        select(Workshop)
        .join(WorkshopAttendance, WorkshopAttendance.workshop_id == Workshop.id)
        .where(WorkshopAttendance.user_id == user_id)
        .order_by(Workshop.day.desc(), Workshop.id.desc())
    )
    return [WorkshopShown(w.id, w.day, _title(library, w.module_id), w.minutes, w.place, 1) for w in rows]


def workshop_seconds(shown: list[WorkshopShown]) -> int:
    return 60 * sum(w.minutes for w in shown)
