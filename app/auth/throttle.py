"""Wrong passwords slow the next attempts down; they never lock the person out.

Each attempt is counted before its password is checked, in one guarded UPDATE: forty attempts
sent at once for one username are checked FREE_ATTEMPTS times, the others wait. After that,
every further attempt waits twice as long as the one before, up to LONGEST_WAIT. A good password,
a facilitator (lift()) or an hour without a wrong password starts the count again; the card
sign-in never goes through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import SignInThrottle, utcnow

FREE_ATTEMPTS = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
FORGOTTEN_AFTER = timedelta(hours=1)
RACES = 3


class SignInPaused(Exception):
    """Too many wrong passwords for this username: the next check waits this long."""

    def __init__(self, wait: timedelta):
        super().__init__(wait)
        self.wait = wait

    @property
    def minutes(self) -> int:
        return max(1, -(-int(self.wait.total_seconds()) // 60))


def wait_after(failures: int) -> timedelta | None:
    """How long the attempt after this many wrong passwords waits (None: no wait)."""
    if failures < FREE_ATTEMPTS:
        return None
    doublings = min(failures - FREE_ATTEMPTS, 16)  # 30 s × 2**16 is far past LONGEST_WAIT already
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


def key_for(username: str) -> str:
    return username.strip().lower()[:64]


@dataclass(frozen=True)
class Attempt:
    key: str
    failures: int  # counting this one


def count_attempt(username: str) -> Attempt:
    """Count one attempt before its check, or raise SignInPaused. Commits."""
    key = key_for(username)
    db.session.commit()  # a fresh transaction: SQLite cannot turn an old read into a write
    for _race in range(RACES):
        now = utcnow()
        row = db.session.execute(
            update(SignInThrottle)
            .where(SignInThrottle.username == key, or_(SignInThrottle.wait_until.is_(None), SignInThrottle.wait_until <= now))
            .values(
                failures=db.case((SignInThrottle.last_failure_at < now - FORGOTTEN_AFTER, 1), else_=SignInThrottle.failures + 1),
                last_failure_at=now,
            )
            .returning(SignInThrottle.failures)
        ).first()
        if row is not None:
            # Still in the same transaction: nobody else can count an attempt in between.
            _set_wait(key, row.failures, now)
            db.session.commit()
            return Attempt(key, row.failures)
        db.session.rollback()
        wait_until = db.session.scalar(select(SignInThrottle.wait_until).where(SignInThrottle.username == key))
        if wait_until is not None and wait_until > now:
            raise SignInPaused(wait_until - now)
        if wait_until is None:
            try:
                db.session.execute(insert(SignInThrottle).values(username=key, failures=1, last_failure_at=now))
                db.session.commit()
                return Attempt(key, 1)
            except IntegrityError:  # counted by another request at the same moment: count again
                db.session.rollback()
    raise SignInPaused(FIRST_WAIT)


def _set_wait(key: str, failures: int, now) -> None:
    wait = wait_after(failures)
    db.session.execute(
        update(SignInThrottle).where(SignInThrottle.username == key).values(wait_until=now + wait if wait else None)
    )


def refund(attempt: Attempt) -> None:
    """The server failed before answering: this attempt does not count."""
    db.session.rollback()
    db.session.execute(
        update(SignInThrottle).where(SignInThrottle.username == attempt.key).values(failures=attempt.failures - 1)
    )
    _set_wait(attempt.key, attempt.failures - 1, utcnow())
    db.session.commit()


def forget(username: str) -> None:
    """A good password, or a facilitator lifted the wait (the caller commits)."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.username == key_for(username)))


def is_paused(username: str) -> bool:
    wait_until = db.session.scalar(select(SignInThrottle.wait_until).where(SignInThrottle.username == key_for(username)))
    return wait_until is not None and wait_until > utcnow()


def forget_stale(now=None) -> int:
    """Rows nobody has tried for a day (`flask privacy purge`)."""
    result = db.session.execute(
        delete(SignInThrottle).where(SignInThrottle.last_failure_at < (now or utcnow()) - timedelta(days=1))
    )
    return result.rowcount
