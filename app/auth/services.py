"""Who may sign in, and the one sign-in step shared by the password and the card."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from flask import current_app, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import delete, func, insert, select

from .. import hashing
from ..extensions import db
from ..models import SignInToken, User, utcnow
from . import throttle

CARD_TOKEN_MAX_LENGTH = 128


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure).

    The attempt is counted before the password is checked (raises throttle.SignInPaused when
    this username must wait); a server error on the way does not count."""
    attempt = throttle.count_attempt(username)
    try:
        user = db.session.execute(
            select(User).where(func.lower(User.username) == throttle.key_for(username))
        ).scalar_one_or_none()
        if user is None:
            hashing.check_against_nothing(password)
            return None
        if not user.check_password(password) or not user.active:
            return None
    except Exception:
        throttle.refund(attempt)
        raise
    throttle.forget(username)
    db.session.commit()
    return user


def sign_in(user: User, remember: bool) -> None:
    """A new session for this person on this browser, whatever was there before."""
    session.clear()
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    db.session.commit()


def sign_out(user: User) -> None:
    """This browser's cookies are deleted, and a copy of them kept elsewhere stops working too:
    the token is one per person, so every session of this person ends."""
    user.end_sessions()
    db.session.commit()
    # Cleared first: logout_user() leaves in the session the flag that deletes the remember cookie.
    session.clear()
    logout_user()


# Sign-in cards -------------------------------------------------------------------------------


def base_url() -> str:
    """The platform's public address, without a trailing slash: BASE_URL when it is set (behind a
    proxy, on cards printed elsewhere; never from the Host header a visitor sends), else this request's."""
    return (current_app.config.get("BASE_URL") or request.host_url).rstrip("/")


def card_url(token: str) -> str:
    return base_url() + url_for("auth.card", token=token)


def new_card_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_card_tokens(user_ids: Iterable[int]) -> dict[int, str]:
    """New card tokens for these people (their old cards stop working); the caller commits."""
    user_ids = list(user_ids)
    tokens = {user_id: new_card_token() for user_id in user_ids}
    if not user_ids:
        return tokens
    delete_card_tokens(user_ids)
    now = utcnow()
    db.session.execute(
        insert(SignInToken),
        [{"user_id": uid, "token_hash": hash_token(tok), "created_at": now} for uid, tok in tokens.items()],
    )
    return tokens


def delete_card_tokens(user_ids: Iterable[int]) -> None:
    """These people's cards stop working; the caller commits."""
    db.session.execute(delete(SignInToken).where(SignInToken.user_id.in_(list(user_ids))))


def user_for_card_token(token: str) -> User | None:
    """The active person whose card carries this token."""
    if not token or len(token) > CARD_TOKEN_MAX_LENGTH:
        return None
    user = db.session.scalars(
        select(User).join(SignInToken, SignInToken.user_id == User.id).where(SignInToken.token_hash == hash_token(token))
    ).first()
    return user if user is not None and user.active else None


def record_card_use(user: User) -> None:
    """Noted when the card signs someone in (the caller commits)."""
    db.session.execute(
        db.update(SignInToken).where(SignInToken.user_id == user.id).values(last_used_at=utcnow())
    )
