"""Who may sign in."""

from sqlalchemy import func, select

from .. import hashing
from ..extensions import db
from ..models import User, utcnow


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        hashing.check_against_nothing(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_sign_in(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.commit()
