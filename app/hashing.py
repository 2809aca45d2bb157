"""The one password hasher: every password is hashed and checked here.

PASSWORD_HASH_METHOD (config.py) is scrypt, werkzeug's parameters; the testing profile names a
cheap method instead, as cookiecutter-flask lowers its bcrypt rounds.
"""

from __future__ import annotations

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def _method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("pas-un-vrai-mot-de-passe", method=method)


def check_against_nothing(password: str) -> None:
    """Spend the time of a real check when the username is unknown: both failures take as long."""
    check_password_hash(_dummy_hash(_method()), password)
