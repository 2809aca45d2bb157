"""RGPD: what we hold about a person, anonymisation, deletion, retention, and the audit log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import audit
from ..auth.phones import forget_phones, phones_of
from ..auth.services import delete_card_tokens
from ..content import Library
from ..extensions import db
from ..facilitate.exports import csv_text
from ..facilitate.workshops import consents_of
from ..formats import KNOW_HOW_WORDS, MOMENT_WORDS, autonomy_level
from ..models import (
    Activity,
    AutonomyClaim,
    AutonomyStep,
    CategoryConsent,
    FollowUp,
    HelpRequest,
    LessonProgress,
    QuizAttempt,
    Role,
    ScenarioRun,
    ScenarioStep,
    SelfAssessment,
    User,
    utcnow,
)
from ..reports.exercises import learner_runs
from ..reports.workshops import attended_workshops
from ..timezone import local

ANONYMOUS_NAME = "Anonyme"
# A step of an exercise, as her data says it.
STEP_OUTCOME_WORDS = {"right": "bonne action", "wrong": "erreur", "mistake": "erreur (piège)", "shown": "« Montrez-moi »"}


def _iso(moment: datetime | None) -> str:
    # In Paris time with its offset, like every time a participant reads.
    return local(moment).isoformat(timespec="seconds") if moment else ""


def _recorder(user_id: int | None) -> str:
    found = db.session.get(User, user_id) if user_id else None
    return found.display_name if found else ""


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
    runs = list(reversed(learner_runs(user.id, library, with_steps=True)))  # the first one first

    def procedure(procedure_id: str) -> str:
        found = library.procedures.get(procedure_id)
        return found.title if found else procedure_id

    staff = db.aliased(User)
    steps = db.session.execute(
        select(AutonomyStep, staff.first_name).outerjoin(staff, staff.id == AutonomyStep.set_by_id)
        .filter(AutonomyStep.user_id == user.id).order_by(AutonomyStep.at, AutonomyStep.id)
    )
    claims = db.session.scalars(select(AutonomyClaim).filter_by(user_id=user.id).order_by(AutonomyClaim.claimed_at))
    self_assessments = db.session.scalars(
        select(SelfAssessment).filter_by(user_id=user.id).order_by(SelfAssessment.at, SelfAssessment.id)
    )
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
        # Practice scenarios: what was done, not what was typed (values typed in an exercise are never
        # kept); each run, then each of its steps, with the run's start to tell which run it belongs to.
        "exercices": [
            {
                "exercice": run.scenario_title,
                "commencé le": _iso(run.started_at),
                "terminé le": _iso(run.finished_at),
                "étapes": len(run.steps),
                "« Montrez-moi »": run.shown_count,
                "indices": run.wrong_count,
                "pièges": run.mistake_count,
            }
            for run in runs
        ],
        "étapes d'exercice": [
            {
                "exercice": run.scenario_title,
                "essai commencé le": _iso(run.started_at),
                "étape": step.number,
                "écran": step.screen_title,
                "action": step.action_label,
                "résultat": STEP_OUTCOME_WORDS.get(step.kind, step.kind),
                "date": _iso(step.at),
                "temps (secondes)": step.seconds,
            }
            for run in runs for step in run.steps
        ],
        "demandes d'aide": [
            {
                "leçon": title(request.lesson_id),
                "date": _iso(request.created_at),
                "dernière demande": _iso(request.updated_at),
                "message": request.message,
                "téléphone": request.phone,
                "moment pour rappeler": request.call_back_time,
                "traitée le": _iso(request.handled_at),
            }
            for request in help_requests
        ],
        # Her ladder on each real procedure: each rung reached, when and by whom.
        "démarches": [
            {
                "démarche": procedure(step.procedure_id),
                "marche": autonomy_level(step.level),
                "date": _iso(step.at),
                "noté par": "la plateforme (exercice)" if step.by_platform else (first_name or ""),
            }
            for step, first_name in steps
        ],
        "« je l'ai fait pour de vrai ! »": [
            {
                "démarche": procedure(claim.procedure_id),
                "date": _iso(claim.claimed_at),
                "réponse": {True: "confirmé", False: "autre marche notée", None: "en attente"}[claim.confirmed],
                "répondu le": _iso(claim.answered_at),
            }
            for claim in claims
        ],
        # « Je sais … »: every answer she gave, each set as given (the latest per moment counts).
        "ce que je sais faire": [
            {
                "module": module.title if (module := library.module(row.module_id)) else row.module_id,
                "moment": str(MOMENT_WORDS[row.moment.value]),
                "phrase": row.statement_text,
                "réponse": str(KNOW_HOW_WORDS[row.answer.value]),
                "date": _iso(row.at),
            }
            for row in self_assessments
        ],
        # « J'ai rappelé »: the facilitators' notes after calling the person.
        "rappels": [{"date": _iso(call.created_at), "note": call.note} for call in follow_ups],
        # Phones enrolled by her card (their secrets stay on the phones: only hashes are kept).
        "téléphones": [
            {"ajouté le": _iso(phone.created_at), "utilisé le": _iso(phone.last_used_at),
             "code en images bloqué": "oui" if phone.locked_at else "non"}
            for phone in phones_of(user.id)
        ],
        "ateliers": [
            {"date": w.day.isoformat(), "module": w.module_title, "durée (minutes)": w.minutes, "lieu": w.place}
            for w in attended_workshops(user.id, library)
        ],
        # Recorded with her consent, for the report's counts only; she removes them on her page.
        "catégories": [
            {"catégorie": c.category.label, "accord noté le": _iso(c.consent_at), "noté par": _recorder(c.recorded_by_id)}
            for c in consents_of(user.id)
        ],
        # Kept for the figures: the days something was done, not what.
        "jours d'activité": [{"date": day.isoformat()} for day in days],
        # In Paris time, as on the page.
        "consultations et changements par l'équipe": [
            {"date": line.at.isoformat(timespec="minutes"), "qui": line.actor, "action": line.action, "détail": line.detail}
            for line in audit.about(user)
        ],
    }


def personal_data_csv(data: dict) -> str:
    """The same data as one table: category, record number, field, value."""

    def rows():
        for field, value in data["compte"].items():
            yield ["compte", 1, field, str(value)]
        for category, records in data.items():
            if category == "compte":
                continue
            for number, record in enumerate(records, start=1):
                for field, value in record.items():
                    yield [category, number, field, str(value)]

    return csv_text(["catégorie", "numéro", "champ", "valeur"], rows())


def request_deletion(user: User) -> None:
    if user.deletion_requested_at is None:
        user.deletion_requested_at = utcnow()
        db.session.commit()


def cancel_deletion(user: User) -> None:
    """The person changed their mind before an administrator acted."""
    if user.deletion_requested_at is not None:
        user.deletion_requested_at = None
        db.session.commit()


def anonymise(user: User, actor: User | None = None) -> None:
    """Remove what identifies the person; keep the learning records for the figures. For good:
    an anonymised account is never reactivated, given a password or a card again."""
    _anonymise_fields(user)
    audit.record(actor, user, audit.ANONYMISED, label=ANONYMOUS_NAME)
    db.session.commit()
    checkpoint()


def _anonymise_fields(user: User) -> None:
    user.username = f"anonyme-{user.id}"
    user.first_name = ANONYMOUS_NAME
    user.last_initial = ""
    user.set_password(secrets.token_urlsafe(32))
    user.active = False
    user.anonymised_at = utcnow()
    user.deletion_requested_at = None
    user.end_sessions()
    db.session.execute(
        db.update(HelpRequest).where(HelpRequest.user_id == user.id).values(message="")
    )
    delete_card_tokens([user.id])
    forget_phones(user)
    audit.forget_name(user, ANONYMOUS_NAME)
    db.session.execute(db.delete(FollowUp).where(FollowUp.learner_id == user.id))  # notes name the person
    db.session.execute(db.delete(CategoryConsent).where(CategoryConsent.user_id == user.id))  # her consent was hers


def delete_learner(user: User, actor: User | None = None) -> None:
    """Delete the account and every learning record (they then leave the figures)."""
    audit.forget_name(user, ANONYMOUS_NAME)
    audit.record(actor, user, audit.DELETED, label=ANONYMOUS_NAME)
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.commit()
    checkpoint()


def checkpoint() -> None:
    """SQLite keeps recent changes in its write-ahead log beside the database: fold them in and
    empty it, so that erased names do not stay readable in that file."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    anonymised: list[str]


def last_activity_by_user() -> dict[int, datetime]:
    """The latest of account creation, sign-in, lesson visit and exercise step, per participant, in one query."""
    latest_visit = (
        select(LessonProgress.user_id, func.max(LessonProgress.last_seen_at).label("seen"))
        .group_by(LessonProgress.user_id)
        .subquery()
    )
    # An exercise's steps leave lessons' summaries alone: its last step counts on its own.
    latest_step = (
        select(ScenarioRun.user_id, func.max(ScenarioStep.at).label("stepped"))
        .join(ScenarioStep, ScenarioStep.run_id == ScenarioRun.id)
        .group_by(ScenarioRun.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User.id, User.created_at, User.last_login_at, latest_visit.c.seen, latest_step.c.stepped)
        .outerjoin(latest_visit, latest_visit.c.user_id == User.id)
        .outerjoin(latest_step, latest_step.c.user_id == User.id)
        .where(User.role == Role.PARTICIPANT, User.anonymised_at.is_(None))
    )
    return {row.id: max(m for m in (row.created_at, row.last_login_at, row.seen, row.stepped) if m) for row in rows}


def purge_inactive(months: int, now: datetime | None = None) -> PurgeReport:
    """Anonymise participants inactive for `months` months (30-day months)."""
    cutoff = (now or utcnow()) - timedelta(days=30 * months)
    stale = [user_id for user_id, seen in last_activity_by_user().items() if seen < cutoff]
    users = db.session.scalars(select(User).where(User.id.in_(stale)).order_by(User.id)).all() if stale else []
    labels = []
    for user in users:
        labels.append(f"{user.display_name} ({user.username})")
        _anonymise_fields(user)
        audit.record(None, user, audit.ANONYMISED, label=ANONYMOUS_NAME, detail=f"inactif depuis plus de {months} mois")
    db.session.commit()
    checkpoint()
    return PurgeReport(cutoff, labels)


def deletion_requests() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.deletion_requested_at.is_not(None)).order_by(User.deletion_requested_at)
        )
    )
