"""The audit log: who looked at or changed a person's account or data, and when.

Every staff action on an account writes one line here (record()); the admin reads them page by
page or as a spreadsheet, and a participant reads the lines about themself on "Mes données".
Lines older than AUDIT_RETENTION_MONTHS are deleted by `flask privacy purge`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update

from .extensions import db
from .models import AuditEvent, User
from .timezone import local

PAGE_SIZE = 50
EXPORT_HEADER = ("Date", "Qui", "Action", "Personne concernée", "Détail")

# What staff did, as written in the log (the words a reader sees).
VIEWED = "consultation"
CREATED = "création du compte"
IMPORTED = "import du compte"
PASSWORD_RESET = "nouveau mot de passe"  # noqa: S105 (words of the log)
CARD_PRINTED = "carte imprimée"
CARD_REVOKED = "carte arrêtée"
DEACTIVATED = "désactivation"
REACTIVATED = "réactivation"
SIGNED_OUT = "déconnexion partout"
LOCK_LIFTED = "attente levée"
PICTURE_CODE_SET = "nouveau code en images"
PHONE_ENROLLED = "téléphone ajouté"
PHONE_REMOVED = "téléphone retiré"
PICTURE_CODE_LOCKED = "code en images bloqué"
PICTURE_CODE_UNLOCKED = "code en images débloqué"
AUTONOMY_SET = "niveau d'autonomie"  # a facilitator set a rung of the learner's ladder on a procedure
CALLED_BACK = "rappel"  # a facilitator called back, and answered the open help requests
ANONYMISED = "anonymisation"
DELETED = "suppression"

def record(actor: User | None, subject: User, action: str, detail: str = "", label: str | None = None) -> None:
    """One line about this person; the caller commits with the change it describes."""
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            subject_id=subject.id,
            subject_label=(label or subject.display_name)[:160],
            action=action,
            detail=detail[:200],
        )
    )


def record_view(actor: User, subject: User, what: str) -> None:
    """A facilitator or admin looked at a learner's data."""
    record(actor, subject, VIEWED, detail=what)
    db.session.commit()


def record_group_view(actor: User, group_name: str, what: str) -> None:
    """A facilitator or admin looked at, or downloaded, the data of a whole group."""
    db.session.add(AuditEvent(actor_id=actor.id, subject_label=f"groupe {group_name}"[:160], action=VIEWED, detail=what))
    db.session.commit()


@dataclass(frozen=True)
class Line:
    at: datetime  # Europe/Paris
    actor: str
    action: str
    subject: str
    detail: str

    def cells(self) -> tuple:
        return (self.at.strftime("%d/%m/%Y %H:%M"), self.actor, self.action, self.subject, self.detail)


def _lines(query) -> list[Line]:
    actor = db.aliased(User)
    rows = db.session.execute(
        query.add_columns(actor.first_name, actor.username)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [
        Line(local(event.at), f"{first_name} ({username})" if username else "système", event.action,
             event.subject_label, event.detail)
        for event, first_name, username in rows
    ]


def page(number: int) -> tuple[list[Line], bool]:
    """One page of the log, newest first, and whether an older page follows."""
    lines = _lines(select(AuditEvent).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    return lines[:PAGE_SIZE], len(lines) > PAGE_SIZE


def export_rows() -> Iterator[tuple]:
    for line in _lines(select(AuditEvent)):
        yield line.cells()


def about(user: User) -> list[Line]:
    """What staff did with this person's account or data (for "Mes données")."""
    return _lines(select(AuditEvent).where(AuditEvent.subject_id == user.id, or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id)))


def forget_name(user: User, label: str) -> None:
    """Anonymisation: the log keeps what happened, not who it happened to (the caller commits)."""
    db.session.execute(update(AuditEvent).where(AuditEvent.subject_id == user.id).values(subject_label=label))


def purge_older_than(months: int, now: datetime | None = None) -> int:
    cutoff = (now or datetime.now(UTC).replace(tzinfo=None)) - timedelta(days=30 * months)
    return db.session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount
