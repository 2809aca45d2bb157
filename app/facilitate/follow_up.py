"""« J'ai rappelé »: a facilitator's follow-up notes on a learner. Personal data, not learning
records: written here, listed on the learner's page, in Mes données and in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, progress
from ..extensions import db
from ..models import FollowUp, User
from ..rules import FOLLOW_UP_NOTE_MAX
from .accounts import AccountError


@dataclass(frozen=True)
class Note:
    created_at: datetime
    author: str
    note: str


def record_call(learner: User, author: User, note: str) -> FollowUp:
    """The call, its note and its audit line; the learner's open help requests are answered by it."""
    note = " ".join((note or "").split())
    if len(note) > FOLLOW_UP_NOTE_MAX:
        raise AccountError(_("La note est trop longue (%(max)d caractères au plus).", max=FOLLOW_UP_NOTE_MAX))
    follow_up = FollowUp(learner_id=learner.id, author_id=author.id, note=note)
    db.session.add(follow_up)
    audit.record(author, learner, audit.CALLED_BACK, "note de suivi")
    progress.close_help_requests(learner.id, author.id)  # commits the call and its note with them
    return follow_up


def notes_about(learner_id: int) -> list[Note]:
    """Newest first."""
    author = db.aliased(User)
    rows = db.session.execute(
        select(FollowUp.created_at, author.first_name, FollowUp.note)
        .outerjoin(author, author.id == FollowUp.author_id)
        .where(FollowUp.learner_id == learner_id)
        .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
    )
    return [Note(created_at, first_name or "", note) for created_at, first_name, note in rows]
