"""The one password hasher: every password is hashed and checked here.

PASSWORD_HASH_METHOD (config.py) is scrypt, werkzeug's parameters; the testing profile names a
cheap method instead, as cookiecutter-flask lowers its bcrypt rounds.
"""

from __future__ import annotations

import threading
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

# Each scrypt hash holds 32 MB while it runs (werkzeug's parameters) and keeps a core busy: with
# 8 threads, 8 sign-ins at once took the server's memory 256 MB higher, 64 MB with two at a time.
# On 2 cores the 8 are answered as fast either way (0.6 s for all); the others wait their turn.
HASHES_AT_ONCE = 2
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)


def _method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def hash_password(password: str) -> str:
    with _hashing:
        return generate_password_hash(password, method=_method())


def check_password(password_hash: str, password: str) -> bool:
    with _hashing:
        return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    with _hashing:
        return generate_password_hash("pas-un-vrai-mot-de-passe", method=method)


def check_against_nothing(password: str) -> None:
    """Spend the time of a real check when the username is unknown: both failures take as long."""
    check_password(_dummy_hash(_method()), password)
