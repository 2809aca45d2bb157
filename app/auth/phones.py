"""Phones enrolled by a person's card, and the picture code they accept.

Enrolling gives the phone a device secret: 32 random bytes in a cookie (HttpOnly, SameSite=Lax,
one per person enrolled there), stored here hashed. A picture code is checked only for a request
that carries a live device secret of that very person, so it is worth nothing on another phone.
Each wrong code is counted on the phone's row before the code is checked; at
PICTURE_CODE_ATTEMPTS the code is locked on that phone until her card is scanned there or her
facilitator lifts the lock. Removing a phone deletes its secret and ends her sessions.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import delete, select, update

from .. import audit
from ..extensions import db
from ..models import EnrolledDevice, User, utcnow
from ..rules import PEOPLE_PER_PHONE, PHONE_KEPT_FOR, PICTURE_CODE_ATTEMPTS
from . import pictures

COOKIE_PREFIX = "pasapas_phone_"
SECRET_MAX_LENGTH = 64


def cookie_name(device: EnrolledDevice) -> str:
    return f"{COOKIE_PREFIX}{device.id}"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _cookies_here() -> list[tuple[int, str]]:
    """(device id, secret) for each device cookie this phone sent, at most PEOPLE_PER_PHONE."""
    found = []
    for name, value in request.cookies.items():
        number = name.removeprefix(COOKIE_PREFIX)
        if name.startswith(COOKIE_PREFIX) and number.isascii() and number.isdigit() and len(number) < 10 and len(value) <= SECRET_MAX_LENGTH:
            found.append((int(number), value))
    return sorted(found)[:PEOPLE_PER_PHONE]


def _live(device: EnrolledDevice | None, secret: str) -> bool:
    if device is None or not hmac.compare_digest(device.secret_hash, _hash(secret)):
        return False
    user = db.session.get(User, device.user_id)
    return user is not None and user.active


def enrolled_here() -> tuple[list[EnrolledDevice], list[str]]:
    """The people enrolled on this phone (their devices, in enrolment order), and the names of
    this phone's device cookies that no longer open anything (removed, forged, deactivated)."""
    cookies = _cookies_here()
    rows = {d.id: d for d in db.session.scalars(select(EnrolledDevice).where(EnrolledDevice.id.in_([i for i, _ in cookies])))}
    live, stale = [], []
    for device_id, secret in cookies:
        device = rows.get(device_id)
        if _live(device, secret):
            live.append(device)
        else:
            stale.append(f"{COOKIE_PREFIX}{device_id}")
    return live, stale


def here(device_id: int) -> EnrolledDevice | None:
    """This device, if this phone holds its live secret (else None: no cookie, another person's, forged)."""
    secret = request.cookies.get(f"{COOKIE_PREFIX}{device_id}")
    if secret is None or len(secret) > SECRET_MAX_LENGTH:
        return None
    device = db.session.get(EnrolledDevice, device_id)
    return device if _live(device, secret) else None


def of_user_here(user: User) -> EnrolledDevice | None:
    return next((d for d in enrolled_here()[0] if d.user_id == user.id), None)


def set_cookie(response, device: EnrolledDevice, secret: str) -> None:
    response.set_cookie(
        cookie_name(device), secret, max_age=PHONE_KEPT_FOR, path="/", httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def renew_cookie(response, device: EnrolledDevice) -> None:
    """Used again: kept PHONE_KEPT_FOR from today."""
    set_cookie(response, device, request.cookies[cookie_name(device)])


def forget_cookies(response, names: list[str]) -> None:
    for name in names:
        response.delete_cookie(name, path="/", httponly=True, samesite="Lax")


def enrol(user: User, keep_signed_in: bool) -> tuple[EnrolledDevice, str] | None:
    """A new device secret for this person on this phone (commits), or None when the phone
    already holds PEOPLE_PER_PHONE people."""
    if len(enrolled_here()[0]) >= PEOPLE_PER_PHONE:
        return None
    secret = secrets.token_urlsafe(32)
    device = EnrolledDevice(user_id=user.id, secret_hash=_hash(secret), keep_signed_in=keep_signed_in)
    db.session.add(device)
    audit.record(user, user, audit.PHONE_ENROLLED)
    db.session.commit()
    return device, secret


def card_scanned_on(device: EnrolledDevice, keep_signed_in: bool) -> None:
    """Her card was scanned on a phone already hers: the card lifts a lock there (commits)."""
    device.keep_signed_in = keep_signed_in
    device.last_used_at = utcnow()
    if device.locked_at is not None:
        audit.record(None, db.session.get(User, device.user_id), audit.PICTURE_CODE_UNLOCKED, detail="par sa carte")
    device.failures, device.locked_at = 0, None
    db.session.commit()


class Outcome(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"  # locked now or before: the code was not checked or was the last try
    NO_CODE = "no_code"  # no picture code was chosen for this person


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    tries_left: int = 0


def is_locked(device: EnrolledDevice) -> bool:
    return device.failures >= PICTURE_CODE_ATTEMPTS


def try_code(device: EnrolledDevice, ids: list[str]) -> Answer:
    """Check a picture code typed on this enrolled phone; counts it first, in one guarded UPDATE,
    so that codes sent at the same moment are checked at most PICTURE_CODE_ATTEMPTS times."""
    user = db.session.get(User, device.user_id)
    if not user.picture_code_hash:
        return Answer(Outcome.NO_CODE)
    db.session.commit()  # a fresh transaction: SQLite cannot turn an old read into a write
    counted = db.session.execute(
        update(EnrolledDevice)
        .where(EnrolledDevice.id == device.id, EnrolledDevice.failures < PICTURE_CODE_ATTEMPTS)
        .values(failures=EnrolledDevice.failures + 1)
        .returning(EnrolledDevice.failures)
    ).first()
    db.session.commit()
    if counted is None:
        return Answer(Outcome.LOCKED)
    db.session.refresh(device)
    if pictures.check_code(user.picture_code_hash, ids):
        device.failures, device.last_used_at = 0, utcnow()
        db.session.commit()
        return Answer(Outcome.RIGHT)
    if counted.failures >= PICTURE_CODE_ATTEMPTS:
        device.locked_at = utcnow()
        audit.record(None, user, audit.PICTURE_CODE_LOCKED, detail=f"après {PICTURE_CODE_ATTEMPTS} codes faux")
        db.session.commit()
        return Answer(Outcome.LOCKED)
    return Answer(Outcome.WRONG, PICTURE_CODE_ATTEMPTS - counted.failures)


def replace_picture_code(user: User, ids: list[str], actor: User) -> None:
    """A new picture code; the old one stops working and every phone's lock is lifted (the caller commits)."""
    user.picture_code_hash = pictures.hash_code(ids)
    db.session.execute(update(EnrolledDevice).where(EnrolledDevice.user_id == user.id).values(failures=0, locked_at=None))
    audit.record(actor, user, audit.PICTURE_CODE_SET)


def phones_of(user_id: int) -> list[EnrolledDevice]:
    return list(db.session.scalars(
        select(EnrolledDevice).where(EnrolledDevice.user_id == user_id).order_by(EnrolledDevice.created_at, EnrolledDevice.id)
    ))


def phone_of(user_id: int, device_id: int) -> EnrolledDevice | None:
    device = db.session.get(EnrolledDevice, device_id)
    return device if device is not None and device.user_id == user_id else None


def unlock(device: EnrolledDevice, actor: User) -> None:
    device.failures, device.locked_at = 0, None
    audit.record(actor, db.session.get(User, device.user_id), audit.PICTURE_CODE_UNLOCKED)
    db.session.commit()


def forget_phones(user: User) -> None:
    """Anonymisation: no phone knows her any more, and she has no picture code (the caller commits)."""
    db.session.execute(delete(EnrolledDevice).where(EnrolledDevice.user_id == user.id))
    user.picture_code_hash = None


def remove(device: EnrolledDevice, actor: User) -> None:
    """The phone's secret is deleted and every session of the person ends, that phone's too
    (the session token is one per person: her other phones sign in again)."""
    user = db.session.get(User, device.user_id)
    db.session.execute(delete(EnrolledDevice).where(EnrolledDevice.id == device.id))
    user.end_sessions()
    audit.record(actor, user, audit.PHONE_REMOVED, detail=f"ajouté le {device.created_at:%d/%m/%Y}")
    db.session.commit()
