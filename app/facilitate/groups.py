"""Groups and who follows them (admin). Each function commits once."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Group, Role, User, group_facilitator, utcnow
from ..names import RefusedName, group_name, name_key
from .accounts import AccountError


def _checked(name: str, except_id: int | None = None) -> tuple[str, str]:
    try:
        name = group_name(name)
    except RefusedName as error:
        raise AccountError(str(error)) from error
    key = name_key(name)
    query = select(func.count()).select_from(Group).where(Group.name_key == key)
    if except_id is not None:
        query = query.where(Group.id != except_id)
    if db.session.scalar(query):
        raise AccountError(_("Un groupe porte déjà ce nom."))
    return name, key


def _commit_name() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # the same name given at the same moment
        db.session.rollback()
        raise AccountError(_("Un groupe porte déjà ce nom.")) from error


def create_group(name: str) -> Group:
    name, key = _checked(name)
    group = Group(name=name, name_key=key)
    db.session.add(group)
    _commit_name()
    return group


def rename_group(group: Group, name: str) -> None:
    group.name, group.name_key = _checked(name, except_id=group.id)
    _commit_name()


def set_group_archived(group: Group, archived: bool) -> None:
    group.archived_at = utcnow() if archived else None
    db.session.commit()


def assign_facilitators(group: Group, facilitator_ids: Iterable[int]) -> None:
    """The group's facilitators become exactly these (ids of other roles are ignored)."""
    wanted = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(list(facilitator_ids)), User.role == Role.FACILITATOR)
        )
    )
    db.session.execute(delete(group_facilitator).where(group_facilitator.c.group_id == group.id))
    if wanted:
        db.session.execute(insert(group_facilitator), [{"group_id": group.id, "user_id": uid} for uid in sorted(wanted)])
    db.session.commit()
