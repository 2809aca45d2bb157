"""Who may see what: a facilitator sees the groups assigned to them and their participants, an
admin sees every group. Views and reports both ask here."""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import Group, Role, User, group_facilitator


def visible_group_ids(user: User) -> list[int] | None:
    """The ids of the groups this staff member follows; None means every group (admin)."""
    if user.role is Role.ADMIN:
        return None
    return list(db.session.scalars(select(group_facilitator.c.group_id).where(group_facilitator.c.user_id == user.id)))


def in_scope(column, user: User):
    """A condition on a group id column: the groups this person sees."""
    ids = visible_group_ids(user)
    return True if ids is None else column.in_(ids)


def group_for(user: User, group_id: int) -> Group | None:
    return db.session.execute(select(Group).where(Group.id == group_id, in_scope(Group.id, user))).scalar_one_or_none()


def learner_for(user: User, learner_id: int) -> User | None:
    """A participant of one of this staff member's groups (admin: any participant)."""
    query = select(User).where(User.id == learner_id, User.role == Role.PARTICIPANT)
    if user.role is not Role.ADMIN:
        query = query.where(in_scope(User.group_id, user))
    return db.session.execute(query).scalar_one_or_none()


def visible_groups(user: User) -> list[Group]:
    """The groups this person sees (an admin: every group), the archived ones last."""
    return list(
        db.session.scalars(select(Group).where(in_scope(Group.id, user)).order_by(Group.archived_at.is_not(None), Group.name))
    )
