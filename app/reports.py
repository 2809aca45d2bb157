"""Aggregate reads of learning records for the facilitator screens and exports.

Every function here runs a fixed number of set-based queries (one per table it
reads, whatever the number of learners or lessons) and returns plain data classes.
Who may see what is decided here too: a facilitator sees only the groups assigned
to them, an admin sees every group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select

from .content import Lesson, Library
from .extensions import db
from .models import (
    Group,
    HelpRequest,
    LearnerDay,
    LearnerWeek,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    Role,
    SignInToken,
    User,
    group_facilitator,
    utcnow,
)
from .progress import ALL_DAYS, day_bit, week_of

INACTIVE_AFTER = timedelta(days=7)
FAILURES_FLAGGED = 2
TODO, STARTED, DONE = "todo", "started", "done"


# Who sees what ----------------------------------------------------------------------------


def visible_group_ids(user: User) -> list[int] | None:
    """The ids of the groups this staff member follows; None means every group (admin)."""
    if user.role is Role.ADMIN:
        return None
    return list(db.session.scalars(select(group_facilitator.c.group_id).where(group_facilitator.c.user_id == user.id)))


def _in_scope(column, user: User):
    ids = visible_group_ids(user)
    return True if ids is None else column.in_(ids)


def group_for(user: User, group_id: int) -> Group | None:
    return db.session.execute(select(Group).where(Group.id == group_id, _in_scope(Group.id, user))).scalar_one_or_none()


def learner_for(user: User, learner_id: int) -> User | None:
    """A participant of one of this staff member's groups (admin: any participant)."""
    query = select(User).where(User.id == learner_id, User.role == Role.PARTICIPANT)
    if user.role is not Role.ADMIN:
        query = query.where(_in_scope(User.group_id, user))
    return db.session.execute(query).scalar_one_or_none()


def help_request_for(user: User, request_id: int) -> HelpRequest | None:
    query = select(HelpRequest).join(User, User.id == HelpRequest.user_id).where(HelpRequest.id == request_id)
    if user.role is not Role.ADMIN:
        query = query.where(_in_scope(User.group_id, user))
    return db.session.execute(query).scalar_one_or_none()


def groups_overview(user: User, archived: bool = False) -> list[dict]:
    """The groups this person sees, with learners, lessons completed and open help requests."""
    learners = (
        select(User.group_id, func.count(User.id).label("learners"))
        .where(User.role == Role.PARTICIPANT)
        .group_by(User.group_id)
        .subquery()
    )
    completed = (
        select(User.group_id, func.count(LessonProgress.id).label("completed"))
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .where(LessonProgress.completed_at.is_not(None))
        .group_by(User.group_id)
        .subquery()
    )
    waiting = (
        select(User.group_id, func.count(HelpRequest.id).label("waiting"))
        .join(HelpRequest, HelpRequest.user_id == User.id)
        .where(HelpRequest.handled_at.is_(None))
        .group_by(User.group_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Group.id, Group.name, Group.archived_at, learners.c.learners, completed.c.completed, waiting.c.waiting)
        .outerjoin(learners, learners.c.group_id == Group.id)
        .outerjoin(completed, completed.c.group_id == Group.id)
        .outerjoin(waiting, waiting.c.group_id == Group.id)
        .where(Group.archived_at.is_not(None) if archived else Group.archived_at.is_(None), _in_scope(Group.id, user))
        .order_by(Group.name)
    )
    return [
        {
            "id": r.id, "name": r.name, "archived": r.archived_at is not None,
            "learners": r.learners or 0, "completed": r.completed or 0, "waiting": r.waiting or 0,
        }
        for r in rows
    ]


def facilitators_by_group() -> dict[int, list[int]]:
    rows = db.session.execute(select(group_facilitator.c.group_id, group_facilitator.c.user_id))
    result: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in rows:
        result[group_id].append(user_id)
    return result


def staff_members() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role != Role.PARTICIPANT).order_by(User.first_name)))


def group_members(group_id: int) -> list[User]:
    return _participants([group_id])


def has_card(user_id: int) -> bool:
    return bool(db.session.scalar(select(func.count(SignInToken.id)).where(SignInToken.user_id == user_id)))


def visible_groups(user: User) -> list[Group]:
    """The groups this person sees (an admin: every group), the archived ones last."""
    return list(
        db.session.scalars(select(Group).where(_in_scope(Group.id, user)).order_by(Group.archived_at.is_not(None), Group.name))
    )


# Help requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpItem:
    id: int
    learner_id: int
    learner_name: str
    group_name: str
    lesson_id: str
    lesson_title: str
    message: str
    created_at: datetime


def open_help_requests(user: User, library: Library) -> list[HelpItem]:
    """The "à rappeler" list: unhandled requests from this person's groups, oldest first."""
    query = (
        select(HelpRequest, User.first_name, User.last_initial, Group.name)
        .join(User, User.id == HelpRequest.user_id)
        .outerjoin(Group, Group.id == User.group_id)
        .where(HelpRequest.handled_at.is_(None))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    if user.role is not Role.ADMIN:
        query = query.where(_in_scope(User.group_id, user))
    items = []
    for request, first_name, initial, group_name in db.session.execute(query):
        lesson = library.lesson(request.lesson_id)
        items.append(
            HelpItem(
                request.id, request.user_id, f"{first_name} {initial}".strip(), group_name or "",
                request.lesson_id, lesson.title if lesson else request.lesson_id, request.message, request.created_at,
            )
        )
    return items


# Group view --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    status: str = TODO
    best_score: int | None = None
    best_max_score: int | None = None
    failures: int = 0

    @property
    def best_percent(self) -> int | None:
        if self.best_score is None or not self.best_max_score:
            return None
        return round(100 * self.best_score / self.best_max_score)


EMPTY_CELL = Cell()


@dataclass
class LearnerRow:
    id: int
    name: str
    username: str
    active: bool
    created_at: datetime
    last_activity: datetime | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    inactive: bool = False
    # Lessons whose quiz was failed at least twice and not passed since.
    stuck_on: list[str] = field(default_factory=list)
    done: int = 0
    seconds: int = 0

    def cell(self, lesson_id: str) -> Cell:
        return self.cells.get(lesson_id, EMPTY_CELL)


@dataclass
class GroupProgress:
    learners: list[LearnerRow]
    lesson_count: int


def _participants(group_ids: list[int]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.group_id.in_(group_ids), User.role == Role.PARTICIPANT)
            .order_by(User.first_name, User.last_initial, User.id)
        )
    )


def group_progress(group_id: int, library: Library, now: datetime | None = None) -> GroupProgress:
    """Learners × lessons of one group, in three queries whatever its size."""
    now = now or utcnow()
    learners = _participants([group_id])
    in_group = _learners_in([group_id])
    rows = {u.id: LearnerRow(u.id, u.display_name, u.username, u.active, u.created_at) for u in learners}
    # Records filtered by learner rather than joined: read in index order, grouped without sorting.
    failures = {
        (user_id, lesson_id): count
        for user_id, lesson_id, count in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.count(QuizAttempt.id))
            .where(QuizAttempt.user_id.in_(in_group), QuizAttempt.passed.is_(False))
            .group_by(QuizAttempt.user_id, QuizAttempt.lesson_id)
        )
    }
    progress_rows = db.session.execute(
        select(
            LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.completed_at,
            LessonProgress.best_score, LessonProgress.best_max_score, LessonProgress.last_seen_at,
            LessonProgress.seconds_spent,
        ).where(LessonProgress.user_id.in_(in_group))
    )
    for user_id, lesson_id, completed_at, best_score, best_max_score, last_seen_at, seconds in progress_rows:
        row = rows[user_id]
        row.cells[lesson_id] = Cell(
            DONE if completed_at else STARTED, best_score, best_max_score, failures.pop((user_id, lesson_id), 0)
        )
        row.done += completed_at is not None
        row.seconds += seconds or 0
        if row.last_activity is None or last_seen_at > row.last_activity:
            row.last_activity = last_seen_at
    for (user_id, lesson_id), count in failures.items():  # attempts without a progress row
        rows[user_id].cells[lesson_id] = Cell(failures=count)
    order = {lesson.id: i for i, lesson in enumerate(library.ordered_lessons)}
    for row in rows.values():
        row.inactive = (row.last_activity or row.created_at) <= now - INACTIVE_AFTER
        row.stuck_on = sorted(
            (lesson_id for lesson_id, cell in row.cells.items() if cell.failures >= FAILURES_FLAGGED and cell.status != DONE),
            key=lambda lesson_id: order.get(lesson_id, len(order)),
        )
    return GroupProgress(list(rows.values()), len(library.ordered_lessons))


# Learner view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerShown:
    prompt_html: str
    given_html: tuple[str, ...]
    correct: bool


@dataclass(frozen=True)
class AttemptShown:
    id: int
    lesson_id: str
    lesson_title: str
    created_at: datetime
    score: int
    max_score: int
    passed: bool
    seconds_spent: int
    # None when the lesson changed since: its choices can no longer be named.
    answers: tuple[AnswerShown, ...] | None
    raw_answers: dict


@dataclass(frozen=True)
class Event:
    when: datetime
    kind: str  # started, done, attempt, help
    lesson_id: str
    lesson_title: str
    detail: str = ""


@dataclass
class LearnerActivity:
    states: dict[str, Cell]
    completed: dict[str, datetime]
    seconds: int
    attempts: list[AttemptShown]
    events: list[Event]
    first_activity: datetime | None
    last_activity: datetime | None

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)


def _answers_shown(lesson: Lesson | None, attempt: QuizAttempt) -> tuple[AnswerShown, ...] | None:
    if lesson is None or lesson.quiz is None or lesson.quiz.fingerprint != attempt.quiz_fingerprint:
        return None
    shown = []
    for question in lesson.quiz.questions:
        given = attempt.answers.get(question.key, [])
        texts = tuple(c.text_html for key in given if (c := question.choice(key)) is not None)
        shown.append(AnswerShown(question.prompt_html, texts, frozenset(given) == question.right_keys))
    return tuple(shown)


def learner_activity(learner_id: int, library: Library) -> LearnerActivity:
    """A learner's lessons, every quiz attempt with the answers given, and a timeline (three queries)."""

    def title(lesson_id: str) -> str:
        lesson = library.lesson(lesson_id)
        return lesson.title if lesson else lesson_id

    progress_rows = list(db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == learner_id)))
    attempts = list(
        db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == learner_id).order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())
        )
    )
    helps = list(db.session.scalars(select(HelpRequest).where(HelpRequest.user_id == learner_id)))
    events = []
    for row in progress_rows:
        events.append(Event(row.started_at, "started", row.lesson_id, title(row.lesson_id)))
        if row.completed_at:
            events.append(Event(row.completed_at, "done", row.lesson_id, title(row.lesson_id)))
    shown = []
    for attempt in attempts:
        shown.append(
            AttemptShown(
                attempt.id, attempt.lesson_id, title(attempt.lesson_id), attempt.created_at, attempt.score,
                attempt.max_score, attempt.passed, attempt.seconds_spent,
                _answers_shown(library.lesson(attempt.lesson_id), attempt), attempt.answers,
            )
        )
        events.append(Event(attempt.created_at, "attempt", attempt.lesson_id, title(attempt.lesson_id), f"{attempt.score}/{attempt.max_score}"))
    for help_request in helps:
        events.append(Event(help_request.created_at, "help", help_request.lesson_id, title(help_request.lesson_id), help_request.message))
    events.sort(key=lambda e: e.when, reverse=True)
    stamps = [e.when for e in events] + [row.last_seen_at for row in progress_rows]
    return LearnerActivity(
        states={r.lesson_id: Cell(DONE if r.completed_at else STARTED, r.best_score, r.best_max_score) for r in progress_rows},
        completed={r.lesson_id: r.completed_at for r in progress_rows if r.completed_at},
        seconds=sum(r.seconds_spent or 0 for r in progress_rows),
        attempts=shown,
        events=events,
        first_activity=min(stamps, default=None),
        last_activity=max(stamps, default=None),
    )


# Lesson view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStats:
    key: str
    prompt_html: str
    answered: int
    right: int
    top_wrong_html: str | None
    top_wrong_count: int

    @property
    def right_percent(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None


@dataclass
class LessonStats:
    started: int
    completed: int
    first_attempts: int
    # First attempts made on an older version of the quiz, left out of the questions' figures.
    older_version: int
    questions: list[QuestionStats]


def _learners_in(group_ids: list[int]):
    """The participants of these groups, as a subquery to filter records by (cheaper than a join:
    the database then reads the records in their index order)."""
    return select(User.id).where(User.group_id.in_(group_ids), User.role == Role.PARTICIPANT)


def _ranked_attempts(learners, *where):
    """Every attempt of these learners with its rank among their attempts at the same quiz
    (1: the first), as a subquery (a window function: SQLite and PostgreSQL)."""
    return (
        select(
            QuizAttempt.id,
            QuizAttempt.passed,
            QuizAttempt.created_at,
            func.row_number()
            .over(partition_by=(QuizAttempt.user_id, QuizAttempt.lesson_id), order_by=(QuizAttempt.created_at, QuizAttempt.id))
            .label("rank"),
        )
        .where(QuizAttempt.user_id.in_(learners), *where)
        .subquery()
    )


def _first_attempts(learners, *where) -> select:
    """Each learner's first attempt at each quiz."""
    ranked = _ranked_attempts(learners, *where)
    return select(QuizAttempt).join(ranked, and_(ranked.c.id == QuizAttempt.id, ranked.c.rank == 1))


def lesson_stats(lesson: Lesson, group_ids: list[int]) -> LessonStats:
    """Per question, the share of right answers at first try and the wrong answer chosen most often."""
    in_groups = (User.group_id.in_(group_ids), User.role == Role.PARTICIPANT)
    counts = db.session.execute(
        select(func.count(LessonProgress.id), func.count(LessonProgress.completed_at))
        .join(User, User.id == LessonProgress.user_id)
        .where(LessonProgress.lesson_id == lesson.id, *in_groups)
    ).one()
    firsts = list(db.session.scalars(_first_attempts(_learners_in(group_ids), QuizAttempt.lesson_id == lesson.id)))
    questions = []
    current = [a for a in firsts if lesson.quiz and a.quiz_fingerprint == lesson.quiz.fingerprint]
    for question in lesson.quiz.questions if lesson.quiz else ():
        right, wrong_choices = 0, Counter()
        answered = 0
        for attempt in current:
            given = frozenset(attempt.answers.get(question.key, ()))
            if not given:
                continue
            answered += 1
            if given == question.right_keys:
                right += 1
            else:
                wrong_choices.update(key for key in given if key not in question.right_keys)
        top = wrong_choices.most_common(1)
        choice = question.choice(top[0][0]) if top else None
        questions.append(
            QuestionStats(
                question.key, question.prompt_html, answered, right,
                choice.text_html if choice else None, top[0][1] if top else 0,
            )
        )
    return LessonStats(counts[0], counts[1], len(firsts), len(firsts) - len(current), questions)


# Export ------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "Participant", "Identifiant", "Module", "Leçon", "État", "Meilleur score (%)", "Tentatives au quiz",
    "Temps passé (minutes)", "Première visite", "Dernière visite", "Terminée le",
)
STATE_WORDS = {TODO: "à faire", STARTED: "commencée", DONE: "terminée"}


def group_export_rows(group_id: int, library: Library) -> Iterator[tuple]:
    """One row per learner and lesson of the group (three queries), to be streamed as CSV."""
    learners = _participants([group_id])
    progress_rows = {
        (r.user_id, r.lesson_id): r
        for r in db.session.execute(
            # Plain rows, not ORM objects: a group of 500 learners has some 15,000 of them.
            select(
                LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.started_at, LessonProgress.last_seen_at,
                LessonProgress.completed_at, LessonProgress.seconds_spent, LessonProgress.best_score,
                LessonProgress.best_max_score,
            ).where(LessonProgress.user_id.in_(_learners_in([group_id])))
        )
    }
    attempt_counts = {
        (user_id, lesson_id): count
        for user_id, lesson_id, count in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.count(QuizAttempt.id))
            .where(QuizAttempt.user_id.in_(_learners_in([group_id])))
            .group_by(QuizAttempt.user_id, QuizAttempt.lesson_id)
        )
    }

    def stamp(value: datetime | None) -> str:
        return value.isoformat(" ")[:16] if value else ""  # "%Y-%m-%d %H:%M", faster than strftime

    for learner in learners:
        name, username = learner.display_name, learner.username
        for module in library.modules:
            for lesson in module.lessons:
                row = progress_rows.get((learner.id, lesson.id))
                status = TODO if row is None else DONE if row.completed_at else STARTED
                best = Cell(status, row.best_score, row.best_max_score).best_percent if row else None
                yield (
                    name, username, module.title, lesson.title, STATE_WORDS[status],
                    "" if best is None else best, attempt_counts.get((learner.id, lesson.id), 0),
                    round((row.seconds_spent or 0) / 60) if row else 0,
                    stamp(row.started_at if row else None), stamp(row.last_seen_at if row else None),
                    stamp(row.completed_at if row else None),
                )


# Impact report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleFigures:
    module_id: str
    title: str
    lesson_count: int
    lessons_completed: int
    modules_completed: int


@dataclass
class ImpactReport:
    start: date
    end: date
    group_names: list[str]
    enrolled: int
    active: int
    seconds: int
    lessons_completed: int
    modules_completed: int
    first_attempts: int
    first_attempts_passed: int
    modules: list[ModuleFigures]
    # (Monday of the week, learners active that week), every week of the period.
    weeks: list[tuple[date, int]]

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)

    @property
    def first_try_percent(self) -> int | None:
        return round(100 * self.first_attempts_passed / self.first_attempts) if self.first_attempts else None


def impact_report(group_ids: list[int], start: date, end: date, library: Library) -> ImpactReport:
    """Figures for funders over [start, end] (both days included), for these groups (seven queries).

    Read from the summaries app.progress keeps as it writes (models.LearnerDay, LearnerWeek,
    ModuleCompletion): a few rows per learner and week instead of every record. A learner is
    active on a day they opened a lesson, finished one or answered a quiz; time counts on the
    day it was credited; a first try is a learner's first attempt ever at a quiz.
    """
    since = datetime.combine(start, datetime.min.time())
    until = datetime.combine(end + timedelta(days=1), datetime.min.time())
    learners = _learners_in(group_ids)

    group_names = list(db.session.scalars(select(Group.name).where(Group.id.in_(group_ids)).order_by(Group.name)))
    enrolled = db.session.scalar(
        select(func.count(User.id)).where(User.group_id.in_(group_ids), User.role == Role.PARTICIPANT, User.created_at < until)
    ) or 0

    seconds, first_attempts, first_passed = db.session.execute(
        select(
            func.coalesce(func.sum(LearnerDay.seconds), 0),
            func.coalesce(func.sum(LearnerDay.first_attempts), 0),
            func.coalesce(func.sum(LearnerDay.first_attempts_passed), 0),
        ).where(LearnerDay.user_id.in_(learners), LearnerDay.day >= start, LearnerDay.day <= end)
    ).one()

    # The period may start or end mid-week: only the bits of its own days count in those weeks.
    first_week, last_week = week_of(start), week_of(end)
    first_bits = ALL_DAYS & ~(day_bit(start) - 1)
    last_bits = (day_bit(end) << 1) - 1
    active_in_period = and_(
        LearnerWeek.user_id.in_(learners),
        LearnerWeek.week >= first_week,
        LearnerWeek.week <= last_week,
        LearnerWeek.days.op("&")(
            case(
                (LearnerWeek.week == first_week, first_bits & (last_bits if first_week == last_week else ALL_DAYS)),
                (LearnerWeek.week == last_week, last_bits),
                else_=ALL_DAYS,
            )
        ) != 0,
    )
    active = db.session.scalar(select(func.count(func.distinct(LearnerWeek.user_id))).where(active_in_period)) or 0
    weekly = dict(
        db.session.execute(select(LearnerWeek.week, func.count()).where(active_in_period).group_by(LearnerWeek.week)).all()
    )

    lessons_done = dict(
        db.session.execute(
            select(LessonProgress.lesson_id, func.count())
            .where(LessonProgress.user_id.in_(learners), LessonProgress.completed_at >= since, LessonProgress.completed_at < until)
            .group_by(LessonProgress.lesson_id)
        ).all()
    )
    modules_done = dict(
        db.session.execute(
            select(ModuleCompletion.module_id, func.count())
            .where(ModuleCompletion.user_id.in_(learners), ModuleCompletion.completed_at >= since,
                   ModuleCompletion.completed_at < until)
            .group_by(ModuleCompletion.module_id)
        ).all()
    )
    modules = [
        ModuleFigures(
            module.id, module.title, len(module.lessons),
            sum(lessons_done.get(lesson.id, 0) for lesson in module.lessons), modules_done.get(module.id, 0),
        )
        for module in library.modules
    ]
    weeks, monday = [], first_week
    while monday <= end:
        weeks.append((monday, weekly.get(monday, 0)))
        monday += timedelta(days=7)

    return ImpactReport(
        start=start, end=end, group_names=group_names, enrolled=enrolled, active=active, seconds=int(seconds),
        lessons_completed=sum(m.lessons_completed for m in modules),
        modules_completed=sum(m.modules_completed for m in modules),
        first_attempts=int(first_attempts), first_attempts_passed=int(first_passed),
        modules=modules, weeks=weeks,
    )


def impact_rows(report: ImpactReport) -> Iterator[tuple]:
    """The impact report as (indicator, module, value) rows, for its CSV."""
    yield ("Période", "", f"{report.start.isoformat()} au {report.end.isoformat()}")
    yield ("Groupes", "", ", ".join(report.group_names))
    yield ("Participants inscrits", "", report.enrolled)
    yield ("Participants actifs", "", report.active)
    yield ("Heures d'apprentissage", "", str(report.hours).replace(".", ","))
    yield ("Leçons terminées", "", report.lessons_completed)
    yield ("Modules terminés", "", report.modules_completed)
    yield ("Quiz réussis du premier coup (%)", "", "" if report.first_try_percent is None else report.first_try_percent)
    yield ("Premières tentatives de quiz", "", report.first_attempts)
    for module in report.modules:
        yield ("Leçons terminées", module.title, module.lessons_completed)
        yield ("Modules terminés", module.title, module.modules_completed)
    for monday, count in report.weeks:
        yield ("Participants actifs dans la semaine du", monday.isoformat(), count)
