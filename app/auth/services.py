"""Who may sign in."""

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ..extensions import db
from ..models import User, utcnow

# Checked when the username is unknown, so both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$9NzUYtLtoUrauyfG$0bae62888b7c4f4a18f21b9666b53fc59be632c6a44cd6e6592e91870ff9e596375bea4b3523d0cd12fc15a17f9de072e1283e4e39d26300756b9ee8600b0f12"


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_sign_in(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.commit()
