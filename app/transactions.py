"""The one way to commit a write that may meet a concurrent one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from .extensions import db

Result = TypeVar("Result")


def commit_retrying(write: Callable[[], Result], attempts: int = 3) -> Result:
    """Run write() and commit. A conflicting insert (a row another request has just written: a
    unique name, a summary row, a first try) rolls back and runs write() again, which then sees
    it; after `attempts` tries the IntegrityError is the caller's to turn into a message."""
    for attempt in range(1, attempts + 1):
        try:
            result = write()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
