"""The "à rappeler" list: help requests not handled yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..access import in_scope
from ..content import Library
from ..extensions import db
from ..models import Group, HelpRequest, Role, User


@dataclass(frozen=True)
class HelpItem:
    id: int
    learner_id: int
    learner_name: str
    group_name: str
    lesson_id: str
    lesson_title: str
    message: str
    created_at: datetime


def open_help_requests(user: User, library: Library) -> list[HelpItem]:
    """Unhandled requests from this person's groups, oldest first."""
    query = (
        select(HelpRequest, User.first_name, User.last_initial, Group.name)
        .join(User, User.id == HelpRequest.user_id)
        .outerjoin(Group, Group.id == User.group_id)
        .where(HelpRequest.handled_at.is_(None))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    if user.role is not Role.ADMIN:
        query = query.where(in_scope(User.group_id, user))
    items = []
    for request, first_name, initial, group_name in db.session.execute(query):
        lesson = library.lesson(request.lesson_id)
        items.append(
            HelpItem(
                request.id, request.user_id, f"{first_name} {initial}".strip(), group_name or "",
                request.lesson_id, lesson.title if lesson else request.lesson_id, request.message, request.created_at,
            )
        )
    return items
