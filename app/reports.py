"""Aggregate reads of learning records for the facilitator screens."""

from __future__ import annotations

from sqlalchemy import func, select

from .extensions import db
from .models import Group, LessonProgress, Role, User


def group_overview() -> list[dict]:
    """Each active group with its number of learners and of lessons completed."""
    learners = (
        select(User.group_id, func.count(User.id).label("learners"))
        .where(User.role == Role.PARTICIPANT)
        .group_by(User.group_id)
        .subquery()
    )
    completed = (
        select(User.group_id, func.count(LessonProgress.id).label("completed"))
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .where(LessonProgress.completed_at.is_not(None))
        .group_by(User.group_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Group.id, Group.name, learners.c.learners, completed.c.completed)
        .outerjoin(learners, learners.c.group_id == Group.id)
        .outerjoin(completed, completed.c.group_id == Group.id)
        .where(Group.archived_at.is_(None))
        .order_by(Group.name)
    )
    return [
        {"id": r.id, "name": r.name, "learners": r.learners or 0, "completed": r.completed or 0}
        for r in rows
    ]
