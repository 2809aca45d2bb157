"""Database models. Learning records are written by app.progress only."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


class Group(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    members: Mapped[list[User]] = relationship(back_populates="group")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_initial: Mapped[str] = mapped_column(String(4), default="")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.PARTICIPANT,
    )
    password_hash: Mapped[str] = mapped_column(String(256))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # RGPD: the learner asked for deletion; an admin acts on it.
    deletion_requested_at: Mapped[datetime | None]
    # Set when the account was anonymised: its learning records still count in the figures.
    anonymised_at: Mapped[datetime | None]

    group: Mapped[Group | None] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}".strip()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class LessonProgress(db.Model):
    """One row per learner and lesson: where they are in it."""

    # Lessons completed in a period by some learners: read from the index alone.
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id"),
        Index("ix_lesson_progress_user_completed", "user_id", "completed_at", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # The lesson's stable id from its file, not its file name.
    lesson_id: Mapped[str] = mapped_column(String(120), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    seconds_spent: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[int | None]
    best_max_score: Mapped[int | None]


class QuizAttempt(db.Model):
    """One row per quiz submission, kept whole for the facilitator."""

    # Every report reads attempts by learner and quiz, in time order (the first attempt, failures,
    # active weeks, time spent): this index answers them without reading the rows themselves.
    __table_args__ = (
        Index("ix_quiz_attempt_user_lesson_time", "user_id", "lesson_id", "created_at", "id", "passed", "seconds_spent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the phone (or the form) once per submission: a resent one is stored once.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    lesson_id: Mapped[str] = mapped_column(String(120), index=True)
    quiz_fingerprint: Mapped[str] = mapped_column(String(32))
    score: Mapped[int]
    max_score: Mapped[int]
    passed: Mapped[bool]
    answers: Mapped[dict] = mapped_column(JSON)
    seconds_spent: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# Summaries: figures kept as the records are written (app.progress), so that reports over
# years of records read a few rows per learner. `flask progress rebuild` recomputes them.


class LearnerDay(db.Model):
    """What a learner was credited with on one day: learning time and first tries at quizzes."""

    # SQLite: rows stored in key order, so one learner's days are read together (PostgreSQL ignores it).
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    seconds: Mapped[int] = mapped_column(default=0)
    first_attempts: Mapped[int] = mapped_column(default=0)
    first_attempts_passed: Mapped[int] = mapped_column(default=0)


class LearnerWeek(db.Model):
    """The days of one week (from Monday) on which a learner did anything: counts active learners."""

    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[date] = mapped_column(primary_key=True)  # its Monday
    # One bit a day, Monday = 1, Sunday = 64: a period starting or ending mid-week stays exact.
    days: Mapped[int] = mapped_column(default=0)


class ModuleCompletion(db.Model):
    """When a learner finished the last lesson of a module (its lessons at that time)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    completed_at: Mapped[datetime]


# Facilitator workspace ---------------------------------------------------------------

# Which facilitators follow which groups (an admin sees every group without a row here).
group_facilitator = db.Table(
    "group_facilitator",
    db.Column("group_id", ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class SignInToken(db.Model):
    """The secret of a sign-in card's QR code, stored hashed: one per person, revocable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # sha256 of the token, hex: the token itself is only ever printed on the card.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class HelpRequest(db.Model):
    """A learner asked for help on a lesson: to be called back, maybe at a number and time of day.

    At most one open request per learner and lesson: asking again updates it, so a facilitator
    sees one line with the latest message and `updated_at`. The database keeps it so with a
    unique (user, lesson, waiting) where `waiting` is True while open and NULL once handled
    (NULLs are never equal, so handled requests pile up freely; no dialect-specific index).
    """

    __table_args__ = (UniqueConstraint("user_id", "lesson_id", "waiting", name="uq_help_request_open"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    call_back_time: Mapped[str] = mapped_column(String(20), default="")  # progress.CALL_BACK_TIMES, "" = any time
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting: Mapped[bool | None] = mapped_column(default=True)  # True while open, NULL once handled
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class AuditEvent(db.Model):
    """Who looked at or changed a learner's personal data, for the admin to read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as text so the line stays readable after the learner is deleted.
    subject_label: Mapped[str] = mapped_column(String(160))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(200), default="")
