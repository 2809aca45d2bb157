"""Who is in a group, and the staff."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from ..extensions import db
from ..models import Role, SignInToken, User, group_facilitator


def participants(group_ids: list[int]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.group_id.in_(group_ids), User.role == Role.PARTICIPANT)
            .order_by(User.first_name, User.last_initial, User.id)
        )
    )


def learners_in(group_ids: list[int]):
    """The participants of these groups, as a subquery to filter records by (cheaper than a join:
    the database then reads the records in their index order)."""
    return select(User.id).where(User.group_id.in_(group_ids), User.role == Role.PARTICIPANT)


def group_members(group_id: int) -> list[User]:
    return participants([group_id])


def facilitators_by_group() -> dict[int, list[int]]:
    rows = db.session.execute(select(group_facilitator.c.group_id, group_facilitator.c.user_id))
    result: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in rows:
        result[group_id].append(user_id)
    return result


def staff_members() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role != Role.PARTICIPANT).order_by(User.first_name)))


def has_card(user_id: int) -> bool:
    return bool(db.session.scalar(select(func.count(SignInToken.id)).where(SignInToken.user_id == user_id)))
