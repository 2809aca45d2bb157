"""« Qui a besoin de vous »: only the learners who need something, most urgent first, each with
its reasons; a page at a time (a workspace may hold hundreds of open requests)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..access import in_scope
from ..content import Library
from ..extensions import db
from ..models import FollowUp, Group, HelpRequest, SignInToken, User, utcnow
from ..rules import CALLED_BACK_QUIET, CARD_UNUSED_AFTER, TRIAGE_PAGE_SIZE
from .group_progress import GroupProgress, learners_progress
from .members import learners_in


class Reason(enum.IntEnum):
    """Why a learner is listed, most urgent first."""

    ASKED_FOR_HELP = 1
    CARD_UNUSED = 2  # never signed in since their card was printed
    FAILED_TWICE = 3
    INACTIVE = 4


@dataclass(frozen=True)
class HelpAsked:
    id: int
    lesson_id: str
    lesson_title: str
    message: str
    created_at: datetime
    # Where and when the learner asked to be called back ("": the usual number, any time).
    phone: str = ""
    call_time: str = ""


@dataclass
class Need:
    learner_id: int
    name: str
    group_id: int
    group_name: str
    help: list[HelpAsked] = field(default_factory=list)
    # When the unused card was printed.
    card_printed_at: datetime | None = None
    # (lesson id, title) of the quizzes failed twice and not passed since.
    stuck_on: list[tuple[str, str]] = field(default_factory=list)
    # The last thing done (or the account's creation), when that is too long ago.
    inactive_since: datetime | None = None
    inactive_days: int = 0
    last_called_at: datetime | None = None

    @property
    def reasons(self) -> list[Reason]:
        found = [
            (Reason.ASKED_FOR_HELP, self.help), (Reason.CARD_UNUSED, self.card_printed_at),
            (Reason.FAILED_TWICE, self.stuck_on), (Reason.INACTIVE, self.inactive_since),
        ]
        return [reason for reason, present in found if present]

    def urgency(self) -> tuple:
        """The most urgent reason first; within one reason, who has waited longest."""
        reason = self.reasons[0]
        waiting_since = {
            Reason.ASKED_FOR_HELP: self.help[0].created_at if self.help else None,
            Reason.CARD_UNUSED: self.card_printed_at,
            Reason.INACTIVE: self.inactive_since,
        }.get(reason) or datetime.max
        return reason, waiting_since, self.name, self.learner_id


@dataclass(frozen=True)
class Triage:
    needs: list[Need]  # this page's
    total: int
    page: int
    pages: int


def who_needs_you(user: User, library: Library, page: int = 1, now: datetime | None = None) -> Triage:
    """The learners of this person's current groups who need something, a page of them, in seven queries
    whatever their number. A page number out of range gives the nearest page."""
    now = now or utcnow()
    groups = dict(
        db.session.execute(select(Group.id, Group.name).where(Group.archived_at.is_(None), in_scope(Group.id, user))).all()
    )
    needs = needs_in(groups, learners_progress(list(groups), library, now), library, now)
    pages = max(1, math.ceil(len(needs) / TRIAGE_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * TRIAGE_PAGE_SIZE
    return Triage(needs[start : start + TRIAGE_PAGE_SIZE], len(needs), page, pages)


def needs_in(groups: dict[int, str], grid: GroupProgress, library: Library, now: datetime | None = None) -> list[Need]:
    """The learners of this grid (of these groups: id -> name) who need something, most urgent first,
    in three queries (help requests, cards, calls)."""
    now = now or utcnow()
    learners = learners_in(list(groups))
    help_asked: dict[int, list[HelpAsked]] = {}
    for request in db.session.scalars(
        select(HelpRequest).where(HelpRequest.user_id.in_(learners), HelpRequest.handled_at.is_(None))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    ):
        lesson = library.lesson(request.lesson_id)
        help_asked.setdefault(request.user_id, []).append(
            HelpAsked(request.id, request.lesson_id, lesson.title if lesson else request.lesson_id, request.message,
                      request.created_at, request.phone, request.call_back_time)
        )
    cards = dict(db.session.execute(select(SignInToken.user_id, SignInToken.created_at).where(SignInToken.user_id.in_(learners))).all())
    called = dict(
        db.session.execute(
            select(FollowUp.learner_id, func.max(FollowUp.created_at)).where(FollowUp.learner_id.in_(learners)).group_by(FollowUp.learner_id)
        ).all()
    )
    needs = []
    for row in grid.learners:
        if not row.active:
            continue
        need = Need(row.id, row.name, row.group_id, groups.get(row.group_id, ""), help_asked.get(row.id, []),
                    last_called_at=called.get(row.id))
        if need.last_called_at is None or need.last_called_at <= now - CALLED_BACK_QUIET:
            printed = cards.get(row.id)
            if printed and printed <= now - CARD_UNUSED_AFTER and (row.last_login_at is None or row.last_login_at < printed):
                need.card_printed_at = printed
            need.stuck_on = [(lesson_id, lesson.title if (lesson := library.lesson(lesson_id)) else lesson_id)
                             for lesson_id in row.stuck_on]
            if row.inactive:
                need.inactive_since = row.last_activity or row.created_at
                need.inactive_days = (now - need.inactive_since).days
        if need.reasons:
            needs.append(need)
    return sorted(needs, key=Need.urgency)
