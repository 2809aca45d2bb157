"""Workshops and participant categories: the writes behind the facilitator's forms.

A workshop is an offer to a group, not a learning record: it is written here, never by
app.progress. A category is personal data: recorded only with the person's consent (who
recorded it and when are kept), removed by her or by staff, each change in the audit log.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from .. import audit
from ..extensions import db
from ..formats import day
from ..models import CategoryConsent, Group, ParticipantCategory, User, Workshop, WorkshopAttendance, utcnow
from .accounts import AccountError


def _detail(workshop: Workshop, module_title: str, people: int) -> str:
    return f"{day(workshop.day)}, {module_title}, {workshop.minutes} min, {people} présent{'s' if people > 1 else ''}"


def save_workshop(
    workshop: Workshop | None,
    group: Group,
    *,
    module_id: str,
    module_title: str,
    day_held: date,
    minutes: int,
    place: str,
    attendee_ids: list[int],
    actor: User,
) -> Workshop:
    """Create (workshop None) or change a workshop and who came; only members of its group count."""
    members = set(db.session.scalars(select(User.id).where(User.group_id == group.id, User.id.in_(attendee_ids))))
    if len(members) != len(set(attendee_ids)):
        raise AccountError(_("Une personne cochée n'est pas dans ce groupe. Rechargez la page."))
    action = audit.WORKSHOP_CHANGED
    if workshop is None:
        workshop = Workshop(group_id=group.id, created_by_id=actor.id)
        db.session.add(workshop)
        action = audit.WORKSHOP_RECORDED
    workshop.module_id, workshop.day, workshop.minutes, workshop.place = module_id, day_held, minutes, place.strip()
    db.session.flush()
    db.session.execute(delete(WorkshopAttendance).where(WorkshopAttendance.workshop_id == workshop.id))
    db.session.add_all(WorkshopAttendance(workshop_id=workshop.id, user_id=user_id) for user_id in sorted(members))
    audit.record_group(actor, group.name, action, _detail(workshop, module_title, len(members)))
    db.session.commit()
    return workshop


def delete_workshop(workshop: Workshop, module_title: str, actor: User) -> None:
    people = len(attendee_ids(workshop.id))
    audit.record_group(actor, workshop.group.name, audit.WORKSHOP_DELETED, _detail(workshop, module_title, people))
    db.session.delete(workshop)
    db.session.commit()


def attendee_ids(workshop_id: int) -> list[int]:
    return list(
        db.session.scalars(select(WorkshopAttendance.user_id).where(WorkshopAttendance.workshop_id == workshop_id))
    )


def create_category(label: str) -> ParticipantCategory:
    label = " ".join(label.split())
    if not label:
        raise AccountError(_("Écrivez le nom de la catégorie."))
    if db.session.scalar(select(ParticipantCategory.id).where(func.lower(ParticipantCategory.label) == label.lower())):
        raise AccountError(_("La catégorie « %(label)s » existe déjà.", label=label))
    category = ParticipantCategory(label=label)
    db.session.add(category)
    db.session.commit()
    return category


def record_category(learner: User, category: ParticipantCategory, consented: bool, actor: User) -> CategoryConsent:
    """Her consent is a box the facilitator ticks with her: without it, nothing is recorded."""
    if not consented:
        raise AccountError(_("Cochez la case : la personne est d'accord. Sans son accord, rien n'est noté."))
    found = db.session.scalar(
        select(CategoryConsent).where(CategoryConsent.user_id == learner.id, CategoryConsent.category_id == category.id)
    )
    if found is not None:
        return found
    consent = CategoryConsent(user_id=learner.id, category_id=category.id, consent_at=utcnow(), recorded_by_id=actor.id)
    db.session.add(consent)
    audit.record(actor, learner, audit.CATEGORY_RECORDED, category.label)
    db.session.commit()
    return consent


def remove_category(consent: CategoryConsent, actor: User) -> None:
    learner = db.session.get(User, consent.user_id)
    audit.record(actor, learner, audit.CATEGORY_REMOVED, consent.category.label)
    db.session.delete(consent)
    db.session.commit()


def categories() -> list[ParticipantCategory]:
    return list(db.session.scalars(select(ParticipantCategory).order_by(ParticipantCategory.label)))


def consents_of(user_id: int) -> list[CategoryConsent]:
    return list(
        db.session.scalars(
            select(CategoryConsent)
            .join(CategoryConsent.category)
            .where(CategoryConsent.user_id == user_id)
            .order_by(ParticipantCategory.label)
        )
    )
