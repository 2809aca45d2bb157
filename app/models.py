"""Database models. Learning records and the activity log are written by app.progress only."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import hashing
from .extensions import db
from .names import name_key
from .rules import (
    CATEGORY_LABEL_MAX,
    FIRST_NAME_MAX,
    FOLLOW_UP_NOTE_MAX,
    GROUP_NAME_MAX,
    HELP_MESSAGE_MAX,
    HELP_PHONE_MAX,
    LESSON_ID_MAX,
    SCENARIO_VALUE_MAX,
    SELF_ASSESSMENT_TEXT_MAX,
    WORKSHOP_PLACE_MAX,
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


def _group_name_key(context) -> str:
    return name_key(context.get_current_parameters()["name"])


class Group(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX), unique=True)
    # Unique whatever the case or accents' form, in every alphabet (SQLite's lower() is ASCII only).
    name_key: Mapped[str] = mapped_column(String(GROUP_NAME_MAX), unique=True, default=_group_name_key)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    members: Mapped[list[User]] = relationship(back_populates="group")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(FIRST_NAME_MAX))
    last_initial: Mapped[str] = mapped_column(String(4), default="")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.PARTICIPANT,
    )
    password_hash: Mapped[str] = mapped_column(String(256))
    # The picture code printed on the card (app/auth/pictures.py), hashed like a password.
    picture_code_hash: Mapped[str | None] = mapped_column(String(256))
    # Flask-Login's alternative id: the session and remember cookies carry it, never the row id,
    # so that replacing it ends every session of this person at once (end_sessions()).
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
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

    def get_id(self) -> str:
        return self.session_token

    def end_sessions(self) -> None:
        """Every saved cookie of this person stops working (the caller commits)."""
        self.session_token = secrets.token_urlsafe(32)

    @property
    def session_fingerprint(self) -> str:
        """Names this session to the page's scripts (the offline pages kept per person) without
        revealing the token: it changes whenever the sessions are ended."""
        return hashlib.sha256(self.session_token.encode()).hexdigest()[:24]

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}".strip()

    def set_password(self, password: str) -> None:
        self.password_hash = hashing.hash_password(password)

    def check_password(self, password: str) -> bool:
        return hashing.check_password(self.password_hash, password)


class LessonProgress(db.Model):
    """One row per learner and lesson: where they are in it. A summary of the activity log and the
    quiz attempts, kept as they are written and rebuilt from them (progress.rebuild_lesson_progress)."""

    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # The lesson's stable id from its file, not its file name.
    lesson_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX), index=True)
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
    lesson_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX), index=True)
    quiz_fingerprint: Mapped[str] = mapped_column(String(32))
    score: Mapped[int]
    max_score: Mapped[int]
    passed: Mapped[bool]
    answers: Mapped[dict] = mapped_column(JSON)
    # Hints opened before answering, per question key (a question with none is left out).
    hints: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    seconds_spent: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ActivityKind(enum.Enum):
    """What happened, in one entry of the activity log."""

    OPENED = "opened"  # a lesson page was shown
    FINISHED = "finished"  # "J'ai terminé" on a lesson without a quiz
    QUIZ_ANSWERED = "quiz_answered"  # a quiz attempt was stored
    HELP_ASKED = "help_asked"  # the learner asked to be called back
    # A practice scenario (lesson_id holds the scenario's id): never folded into LessonProgress.
    EXERCISE_STEP = "exercise_step"  # one action, or « Montrez-moi », on a screen of an exercise
    EXERCISE_FINISHED = "exercise_finished"  # a run of an exercise reached its end


# The kinds of entry that are about an exercise, not a lesson.
EXERCISE_KINDS = frozenset({ActivityKind.EXERCISE_STEP, ActivityKind.EXERCISE_FINISHED})


class Activity(db.Model):
    """The activity log: one row per thing a learner did, appended by app.progress in the same
    transaction as the record it goes with, never changed. Reports count from it; the
    per-lesson summary (LessonProgress) is rebuilt from it."""

    __table_args__ = (
        # A learner's entries week by week, with what reports add up: read from the index alone, in the
        # order the impact report groups them (no sort).
        Index("ix_activity_user_week", "user_id", "week", "day", "kind", "seconds", "first_try", "passed", "completed_lesson"),
        Index("ix_activity_user_lesson_at", "user_id", "lesson_id", "at"),
        # Lessons completed, by learner and day: lessons and modules completed in a period.
        Index("ix_activity_completions", "user_id", "day", "lesson_id",
              sqlite_where=text("completed_lesson"), postgresql_where=text("completed_lesson")),
        # The database, not the code, decides which entry is a learner's first try at a quiz and
        # which one completed a lesson: two submissions at the same instant cannot both be.
        Index("uq_activity_first_try", "user_id", "lesson_id", unique=True,
              sqlite_where=text("first_try"), postgresql_where=text("first_try")),
        Index("uq_activity_completed_lesson", "user_id", "lesson_id", unique=True,
              sqlite_where=text("completed_lesson"), postgresql_where=text("completed_lesson")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    lesson_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    kind: Mapped[ActivityKind] = mapped_column(
        Enum(ActivityKind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The association's local day and its Monday (app.timezone), fixed when written.
    day: Mapped[date]
    week: Mapped[date]
    # Learning time credited to this entry, measured by the server (app.progress).
    seconds: Mapped[int] = mapped_column(default=0)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    first_try: Mapped[bool] = mapped_column(default=False)
    passed: Mapped[bool | None]
    # This entry made the lesson done (once per learner and lesson).
    completed_lesson: Mapped[bool] = mapped_column(default=False)


# Facilitator workspace ---------------------------------------------------------------

# Which facilitators follow which groups (an admin sees every group without a row here).
group_facilitator = db.Table(
    "group_facilitator",
    db.Column("group_id", ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class SignInThrottle(db.Model):
    """Wrong passwords given for one username, known or not (app/auth/throttle.py)."""

    username: Mapped[str] = mapped_column(String(64), primary_key=True)  # lowercased
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    wait_until: Mapped[datetime | None]


class SignInToken(db.Model):
    """The secret of a sign-in card's QR code, stored hashed: one per person, revocable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # sha256 of the token, hex: the token itself is only ever printed on the card.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class EnrolledDevice(db.Model):
    """A phone enrolled by scanning a person's card: it keeps a device secret (a cookie), stored here
    hashed, without which her picture code is never accepted. One row per person and phone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # sha256 of the secret, hex: the secret itself is only ever in the phone's cookie.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Her answer when enrolling: a picture code sign-in on this phone stays signed in.
    keep_signed_in: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Wrong picture codes in a row on this phone; at rules.PICTURE_CODE_ATTEMPTS it is locked.
    failures: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None]


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
    lesson_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    message: Mapped[str] = mapped_column(String(HELP_MESSAGE_MAX), default="")
    phone: Mapped[str] = mapped_column(String(HELP_PHONE_MAX), default="")
    call_back_time: Mapped[str] = mapped_column(String(20), default="")  # rules.CALL_BACK_TIMES, "" = any time
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting: Mapped[bool | None] = mapped_column(default=True)  # True while open, NULL once handled
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class FollowUp(db.Model):
    """« J'ai rappelé »: a facilitator called a learner back, with a short note (personal data,
    not a learning record: written by app.facilitate.follow_up)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(FOLLOW_UP_NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class HealthCheck(db.Model):
    """One row, written by /healthz: a database that cannot be written (read-only folder, full
    disk) is not healthy, even if it can still be read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


# Practice scenarios -------------------------------------------------------------------

# The version of a scenario's file (content.scenarios.Scenario.version) and a screen's id.
SCENARIO_VERSION_MAX = 16


class ScenarioRun(db.Model):
    """One try of a practice scenario by a learner, kept on the server (written by app.progress).

    `step_count` is the number of the next step: every screen's form carries it, so a form
    posted twice, or an old one, is told apart from the next action."""

    __table_args__ = (Index("ix_scenario_run_user_scenario", "user_id", "scenario_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    scenario_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX), index=True)
    scenario_version: Mapped[str] = mapped_column(String(SCENARIO_VERSION_MAX))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    current_screen_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    step_count: Mapped[int] = mapped_column(default=1)
    shown_count: Mapped[int] = mapped_column(default=0)  # « Montrez-moi »
    mistake_count: Mapped[int] = mapped_column(default=0)  # actions leading to a trap
    wrong_count: Mapped[int] = mapped_column(default=0)  # actions that got a hint

    steps: Mapped[list[ScenarioStep]] = relationship(order_by="ScenarioStep.number", back_populates="run")

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def alone(self) -> bool:
        """Finished without « Montrez-moi »."""
        return self.finished and self.shown_count == 0


class ScenarioStep(db.Model):
    """One step of a run: an action on a screen and what it was, or « Montrez-moi » (outcome
    'shown'), with the time the server credited it."""

    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scenario_run.id", ondelete="CASCADE"))
    number: Mapped[int]
    screen_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    action_label: Mapped[str] = mapped_column(String(SCENARIO_VALUE_MAX), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # 'right', 'wrong', 'mistake' or 'shown'
    # A wrong step on the right button: the names of the fields, choices or boxes that were not
    # right (never what she typed). Empty for steps recorded before migration 0016.
    wrong_inputs: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds: Mapped[int] = mapped_column(default=0)

    run: Mapped[ScenarioRun] = relationship(back_populates="steps")


# The autonomy ladder (issue 17) ---------------------------------------------------------


class AutonomyLevel(enum.Enum):
    """The rungs of a learner's ladder on a real procedure, lowest first (their order is the ladder's)."""

    DONE_FOR_ME = "done-for-me"  # « fait pour moi »: by a facilitator or an « aidant »
    DONE_WITH_ME = "done-with-me"  # « fait avec moi »: in a workshop
    ALONE_IN_EXERCISE = "alone-in-exercise"  # « fait seule en exercice »: set by the platform
    ALONE_FOR_REAL = "alone-for-real"  # « fait seule pour de vrai »: claimed, then confirmed

    @property
    def rank(self) -> int:
        return list(AutonomyLevel).index(self) + 1


class AutonomyStep(db.Model):
    """A rung of a learner's ladder on a procedure (its id in a demarches.yml), reached once: who
    set it and when. Appended by app.progress, never changed; her level is the highest rung."""

    __table_args__ = (UniqueConstraint("user_id", "procedure_id", "level", name="uq_autonomy_step_rung"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    level: Mapped[AutonomyLevel] = mapped_column(
        Enum(AutonomyLevel, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])
    )
    # The facilitator who set it; NULL when the platform did (an exercise) or once her account is gone
    # (`by_platform` tells the two apart).
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    by_platform: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    day: Mapped[date]  # the association's local day (app.timezone), for the report's periods
    # The learner's « Je l'ai fait pour de vrai ! » this step confirms.
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("autonomy_claim.id", ondelete="SET NULL"))


class AutonomyClaim(db.Model):
    """« Je l'ai fait pour de vrai ! »: the learner says she did a procedure alone; a facilitator
    answers it, confirming (a step « fait seule pour de vrai ») or setting another rung. At most
    one waiting claim per learner and procedure (`waiting` True, NULL once answered, as HelpRequest)."""

    __table_args__ = (UniqueConstraint("user_id", "procedure_id", "waiting", name="uq_autonomy_claim_waiting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting: Mapped[bool | None] = mapped_column(default=True)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed: Mapped[bool | None]


# Workshops and participant categories (issue 17) -------------------------------------------


class Workshop(db.Model):
    """A workshop a facilitator held with a group: its day, module, length and place."""

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    day: Mapped[date] = mapped_column(index=True)  # the association's local day
    minutes: Mapped[int]
    place: Mapped[str] = mapped_column(String(WORKSHOP_PLACE_MAX), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()


class WorkshopAttendance(db.Model):
    """Someone came to a workshop (ticked by the facilitator)."""

    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)


class ParticipantCategory(db.Model):
    """A category an admin defines for the report (« parent seul »): counted only in aggregate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(CATEGORY_LABEL_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryConsent(db.Model):
    """A person is in a category, recorded by a facilitator with her consent; she or staff remove it."""

    __table_args__ = (UniqueConstraint("user_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("participant_category.id", ondelete="CASCADE"))
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    category: Mapped[ParticipantCategory] = relationship()


# Before/after self-assessment (issue 17) ---------------------------------------------


class SelfAssessmentMoment(enum.Enum):
    """When a learner says what she knows how to do: before a module's first lesson, after its last."""

    START = "debut"
    END = "fin"


class KnowHow(enum.Enum):
    """Her answer to a « Je sais … » statement, from the lowest to the highest."""

    NOT_YET = "pas-encore"
    A_LITTLE = "un-peu"
    YES = "oui"

    @property
    def rank(self) -> int:
        return list(KnowHow).index(self)


def _value_enum(enum_class, length: int) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class SelfAssessment(db.Model):
    """One answer to one « Je sais … » statement of a module (app.progress.record_self_assessment).

    Append-only: a set of answers sent together shares its `at`; answering the same moment again adds
    a new set, and the latest set per learner, module and moment is the one that counts. The
    statement's text is kept beside its index, so an author editing module.yml later does not change
    what an old answer said.
    """

    __table_args__ = (Index("ix_self_assessment_user_module", "user_id", "module_id", "moment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(LESSON_ID_MAX))
    moment: Mapped[SelfAssessmentMoment] = mapped_column(_value_enum(SelfAssessmentMoment, 8))
    statement: Mapped[int]  # its index in the module's je_sais_faire list, from 0
    statement_text: Mapped[str] = mapped_column(String(SELF_ASSESSMENT_TEXT_MAX))
    answer: Mapped[KnowHow] = mapped_column(_value_enum(KnowHow, 12))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
