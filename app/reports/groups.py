"""The groups a staff member sees, with their learners, lessons completed and open help requests."""

from __future__ import annotations

from sqlalchemy import func, select

from ..access import in_scope
from ..extensions import db
from ..models import Group, HelpRequest, LessonProgress, Role, User


def groups_overview(user: User, archived: bool = False) -> list[dict]:
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
    waiting = (
        select(User.group_id, func.count(HelpRequest.id).label("waiting"))
        .join(HelpRequest, HelpRequest.user_id == User.id)
        .where(HelpRequest.handled_at.is_(None))
        .group_by(User.group_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Group.id, Group.name, Group.archived_at, learners.c.learners, completed.c.completed, waiting.c.waiting)
        .outerjoin(learners, learners.c.group_id == Group.id)
        .outerjoin(completed, completed.c.group_id == Group.id)
        .outerjoin(waiting, waiting.c.group_id == Group.id)
        .where(Group.archived_at.is_not(None) if archived else Group.archived_at.is_(None), in_scope(Group.id, user))
        .order_by(Group.name)
    )
    return [
        {
            "id": r.id, "name": r.name, "archived": r.archived_at is not None,
            "learners": r.learners or 0, "completed": r.completed or 0, "waiting": r.waiting or 0,
        }
        for r in rows
    ]
