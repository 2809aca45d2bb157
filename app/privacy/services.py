"""RGPD: what we hold about a person, anonymisation, deletion, retention, and the audit log."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..models import (
    Activity,
    AuditEvent,
    FollowUp,
    HelpRequest,
    LessonProgress,
    QuizAttempt,
    Role,
    SignInToken,
    User,
    utcnow,
)

ANONYMOUS_NAME = "Anonyme"


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def personal_data(user: User, library: Library) -> dict:
    """Everything the platform holds about one person, in plain French keys."""

    def title(lesson_id: str) -> str:
        lesson = library.lesson(lesson_id)
        return lesson.title if lesson else lesson_id

    progress_rows = db.session.scalars(
        select(LessonProgress).filter_by(user_id=user.id).order_by(LessonProgress.started_at)
    )
    attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=user.id).order_by(QuizAttempt.created_at))
    help_requests = db.session.scalars(select(HelpRequest).filter_by(user_id=user.id).order_by(HelpRequest.created_at))
    days = db.session.scalars(select(Activity.day).filter_by(user_id=user.id).distinct().order_by(Activity.day))
    follow_ups = db.session.scalars(select(FollowUp).filter_by(learner_id=user.id).order_by(FollowUp.created_at))
    return {
        "compte": {
            "identifiant": user.username,
            "prénom": user.first_name,
            "initiale du nom": user.last_initial,
            "rôle": {"participant": "participant", "facilitator": "animateur", "admin": "administrateur"}[user.role.value],
            "groupe": user.group.name if user.group else "",
            "créé le": _iso(user.created_at),
            "dernière connexion": _iso(user.last_login_at),
            "suppression demandée le": _iso(user.deletion_requested_at),
        },
        "leçons": [
            {
                "leçon": title(row.lesson_id),
                "commencée le": _iso(row.started_at),
                "dernière visite": _iso(row.last_seen_at),
                "terminée le": _iso(row.completed_at),
                "temps passé (secondes)": row.seconds_spent,
                "meilleur score": f"{row.best_score}/{row.best_max_score}" if row.best_score is not None else "",
            }
            for row in progress_rows
        ],
        "quiz": [
            {
                "leçon": title(attempt.lesson_id),
                "date": _iso(attempt.created_at),
                "score": f"{attempt.score}/{attempt.max_score}",
                "réussi": "oui" if attempt.passed else "non",
                "réponses": attempt.answers,
            }
            for attempt in attempts
        ],
        "demandes d'aide": [
            {
                "leçon": title(request.lesson_id),
                "date": _iso(request.created_at),
                "message": request.message,
                "traitée le": _iso(request.handled_at),
            }
            for request in help_requests
        ],
        # « J'ai rappelé »: the facilitators' notes after calling the person.
        "rappels": [{"date": _iso(call.created_at), "note": call.note} for call in follow_ups],
        # Kept for the figures: the days something was done, not what.
        "jours d'activité": [{"date": day.isoformat()} for day in days],
    }


def personal_data_csv(data: dict) -> str:
    """The same data as one table: category, record number, field, value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["catégorie", "numéro", "champ", "valeur"])
    for field, value in data["compte"].items():
        writer.writerow(["compte", 1, field, _neutralise(value)])
    for category in ("leçons", "quiz", "demandes d'aide", "rappels", "jours d'activité"):
        for number, record in enumerate(data[category], start=1):
            for field, value in record.items():
                writer.writerow([category, number, field, _neutralise(value)])
    return "\ufeff" + out.getvalue()


def _neutralise(value) -> str:
    # A spreadsheet must not run a cell as a formula.
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def request_deletion(user: User) -> None:
    if user.deletion_requested_at is None:
        user.deletion_requested_at = utcnow()
        db.session.commit()


def anonymise(user: User, actor: User | None = None) -> None:
    """Remove what identifies the person; keep the learning records for the figures."""
    label = user.display_name
    _anonymise_fields(user)
    _audit(actor, user, "anonymisation", label=label)
    db.session.commit()


def _anonymise_fields(user: User) -> None:
    user.username = f"anonyme-{user.id}"
    user.first_name = ANONYMOUS_NAME
    user.last_initial = ""
    user.set_password(secrets.token_urlsafe(32))
    user.active = False
    user.anonymised_at = utcnow()
    user.deletion_requested_at = None
    db.session.execute(
        db.update(HelpRequest).where(HelpRequest.user_id == user.id).values(message="")
    )
    db.session.execute(db.delete(SignInToken).where(SignInToken.user_id == user.id))
    db.session.execute(db.delete(FollowUp).where(FollowUp.learner_id == user.id))  # notes name the person


def delete_learner(user: User, actor: User | None = None) -> None:
    """Delete the account and every learning record (they then leave the figures)."""
    _audit(actor, user, "suppression")
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.commit()


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    anonymised: list[str]


def last_activity_by_user() -> dict[int, datetime]:
    """The latest of account creation, sign-in and lesson visit, per participant, in one query."""
    latest_visit = (
        select(LessonProgress.user_id, func.max(LessonProgress.last_seen_at).label("seen"))
        .group_by(LessonProgress.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User.id, User.created_at, User.last_login_at, latest_visit.c.seen)
        .outerjoin(latest_visit, latest_visit.c.user_id == User.id)
        .where(User.role == Role.PARTICIPANT, User.anonymised_at.is_(None))
    )
    return {row.id: max(m for m in (row.created_at, row.last_login_at, row.seen) if m) for row in rows}


def purge_inactive(months: int, now: datetime | None = None) -> PurgeReport:
    """Anonymise participants inactive for `months` months (30-day months)."""
    cutoff = (now or utcnow()) - timedelta(days=30 * months)
    stale = [user_id for user_id, seen in last_activity_by_user().items() if seen < cutoff]
    users = db.session.scalars(select(User).where(User.id.in_(stale)).order_by(User.id)).all() if stale else []
    labels = []
    for user in users:
        labels.append(f"{user.display_name} ({user.username})")
        label = user.display_name
        _anonymise_fields(user)
        _audit(None, user, "anonymisation", label=label, detail=f"inactif depuis plus de {months} mois")
    db.session.commit()
    return PurgeReport(cutoff, labels)


def _audit(actor: User | None, subject: User, action: str, label: str | None = None, detail: str = "") -> None:
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            subject_id=subject.id,
            subject_label=(label or subject.display_name)[:160],
            action=action,
            detail=detail[:200],
        )
    )


def audit_event(actor: User, subject: User, action: str, detail: str = "") -> None:
    """A line of the audit log, committed with the caller's change."""
    _audit(actor, subject, action, detail=detail)


def record_view(actor: User, subject: User, what: str) -> None:
    """A facilitator or admin looked at a learner's data."""
    _audit(actor, subject, "consultation", detail=what)
    db.session.commit()


def record_group_view(actor: User, group_name: str, what: str) -> None:
    """A facilitator or admin looked at, or downloaded, the data of a whole group."""
    db.session.add(
        AuditEvent(actor_id=actor.id, subject_label=f"groupe {group_name}"[:160], action="consultation", detail=what)
    )
    db.session.commit()


def audit_log(limit: int = 200) -> list[dict]:
    actor = db.aliased(User)
    rows = db.session.execute(
        select(AuditEvent, actor.first_name, actor.username)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [
        {
            "at": event.at,
            "actor": f"{first_name} ({username})" if username else "système",
            "subject": event.subject_label,
            "action": event.action,
            "detail": event.detail,
        }
        for event, first_name, username in rows
    ]


def deletion_requests() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.deletion_requested_at.is_not(None)).order_by(User.deletion_requested_at)
        )
    )
