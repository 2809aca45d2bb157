"""The only writer of learning records: lesson visits, completions, quiz attempts, help requests,
the autonomy ladder.

Each public writer is one use case: it appends one entry to the activity log (models.Activity),
writes the record that goes with it, and folds the entry into the learner's per-lesson summary
(models.LessonProgress), all in one transaction. The summary is derived data:
`rebuild_lesson_progress` recomputes it from the log and the attempts with the same fold.

Time is measured by the server, never read from a form: an entry that ends some learning (a
lesson finished, a quiz answered, help asked) is credited the time since the learner's previous
entry, at most rules.MAX_CREDITED_SECONDS; opening a lesson starts the clock and is credited
nothing. So no second is credited twice, whatever a phone sends. Writers are idempotent where a
phone may resend: a quiz attempt is keyed by its client id.

The autonomy ladder's writers keep their own append-only record instead of log entries (a rung
reached on a real procedure is no learning time): each rung once per learner and procedure, with
who set it and when, kept so by a unique constraint.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update

from . import audit, formats, timezone
from .content import Lesson, Module, QuizResult, scenarios
from .content.scenarios import Scenario, StepOutcome, StepResult
from .extensions import db
from .models import (
    EXERCISE_KINDS,
    Activity,
    ActivityKind,
    AutonomyClaim,
    AutonomyLevel,
    AutonomyStep,
    HelpRequest,
    KnowHow,
    LessonProgress,
    QuizAttempt,
    ScenarioRun,
    ScenarioStep,
    SelfAssessment,
    SelfAssessmentMoment,
    User,
    utcnow,
)
from .rules import CALL_BACK_TIMES, HELP_MESSAGE_MAX, HELP_PHONE_MAX, MAX_CREDITED_SECONDS
from .transactions import commit_retrying


class LessonStatus(enum.Enum):
    """Where a learner is in a lesson: the one vocabulary of progress, reports and screens."""

    TODO = "todo"
    STARTED = "started"
    DONE = "done"


class WithStatus:
    """What screens ask of anything with a lesson status (templates never compare its value)."""

    status: LessonStatus

    @property
    def done(self) -> bool:
        return self.status is LessonStatus.DONE

    @property
    def started(self) -> bool:
        return self.status is LessonStatus.STARTED


@dataclass(frozen=True)
class LessonState(WithStatus):
    status: LessonStatus
    best_score: int | None = None
    best_max_score: int | None = None
    seconds_spent: int = 0
    last_seen_at: datetime | None = None
    completed_at: datetime | None = None


NOT_STARTED = LessonState(LessonStatus.TODO)


def state_of(row: LessonProgress) -> LessonState:
    return LessonState(
        status=LessonStatus.DONE if row.completed_at else LessonStatus.STARTED,
        best_score=row.best_score,
        best_max_score=row.best_max_score,
        seconds_spent=row.seconds_spent,
        last_seen_at=row.last_seen_at,
        completed_at=row.completed_at,
    )


class ForeignSubmission(ValueError):
    """A client id already used by another learner."""


# Writers ----------------------------------------------------------------------------------


def record_visit(user_id: int, lesson_id: str, at: datetime | None = None) -> None:
    """The learner opened a lesson."""
    commit_retrying(lambda: _append(user_id, lesson_id, ActivityKind.OPENED, at or utcnow()))


def complete_lesson(user_id: int, lesson: Lesson, at: datetime | None = None) -> None:
    """ "J'ai terminé" on a lesson without a quiz: done the first time, reading time each time."""
    commit_retrying(lambda: _append(user_id, lesson.id, ActivityKind.FINISHED, at or utcnow(), completes=True))


def record_attempt(
    user_id: int, lesson: Lesson, result: QuizResult, client_id: str, at: datetime | None = None,
    hints: dict[str, int] | None = None,
) -> QuizAttempt:
    """Store one quiz submission once, whatever the number of times it is sent, with the hints
    opened per question."""
    at = at or utcnow()
    passed = result.passed(lesson.pass_mark)

    def write() -> QuizAttempt:
        existing = _attempt_by_client_id(client_id)
        if existing is not None:
            return existing
        attempt = QuizAttempt(
            client_id=client_id, user_id=user_id, lesson_id=lesson.id, quiz_fingerprint=lesson.quiz.fingerprint,
            score=result.score, max_score=result.max_score, passed=passed, answers=result.answers(), created_at=at,
            hints=hints or {},
        )
        db.session.add(attempt)
        db.session.flush()  # the attempt's id, for its log entry
        entry = _append(user_id, lesson.id, ActivityKind.QUIZ_ANSWERED, at, completes=passed, attempt=attempt)
        attempt.seconds_spent = entry.seconds
        return attempt

    # A client id sent at the same instant by two requests: the second one's retry finds it.
    return _same_learner(commit_retrying(write), user_id)


def request_help(
    user_id: int, lesson_id: str, message: str = "", phone: str = "", call_back_time: str = "", at: datetime | None = None
) -> HelpRequest:
    """A learner stuck on a lesson asks to be called back; asking again updates the open request,
    so a phone resending a queued request, or a learner pressing twice, leaves one request."""
    if call_back_time not in ("", *CALL_BACK_TIMES):
        raise ValueError(f"unknown call-back time {call_back_time!r}")
    at = at or utcnow()

    def write() -> HelpRequest:
        # A concurrent first request wins the unique constraint: the retry updates it instead.
        help_request = open_help_request(user_id, lesson_id) or HelpRequest(user_id=user_id, lesson_id=lesson_id, created_at=at)
        help_request.message = (message or "").strip()[:HELP_MESSAGE_MAX]
        help_request.phone = (phone or "").strip()[:HELP_PHONE_MAX]
        help_request.call_back_time = call_back_time
        help_request.updated_at = at
        db.session.add(help_request)
        _append(user_id, lesson_id, ActivityKind.HELP_ASKED, at)
        return help_request

    return commit_retrying(write)


def open_help_request(user_id: int, lesson_id: str) -> HelpRequest | None:
    query = select(HelpRequest).filter_by(user_id=user_id, lesson_id=lesson_id, waiting=True)
    return db.session.scalar(query)


def close_help_requests(user_id: int, handled_by_id: int) -> None:
    """A facilitator called the learner back: every open request is answered, with whatever the
    caller added to the session (the call's note, its audit line), in one commit."""
    now = utcnow()
    for help_request in db.session.scalars(select(HelpRequest).filter_by(user_id=user_id, waiting=True)):
        help_request.handled_at, help_request.handled_by_id = now, handled_by_id
        help_request.waiting = None  # no longer the open one: a new request may follow
    db.session.commit()


def record_self_assessment(
    user_id: int, module: Module, moment: SelfAssessmentMoment, answers: dict[int, KnowHow], at: datetime | None = None
) -> None:
    """Her answers to every « Je sais … » statement of a module at one moment, kept as she gave them.

    Nothing saved is replaced: answering the same moment again adds a new set, and the latest set
    counts (reports and screens read it). A phone resending the form therefore adds an identical set,
    which changes nothing that is counted. Not an activity-log entry: saying what one knows is not
    learning time, and must not make a person « active » or credit her minutes."""
    if set(answers) != set(range(len(module.self_assessment))):
        raise ValueError(f"answers for statements {sorted(answers)} of {module.id}")
    at = at or utcnow()

    def write() -> None:
        db.session.add_all(
            SelfAssessment(
                user_id=user_id, module_id=module.id, moment=moment, statement=index,
                statement_text=module.self_assessment[index], answer=answer, at=at,
            )
            for index, answer in sorted(answers.items())
        )

    commit_retrying(write)


def _append(
    user_id: int, lesson_id: str, kind: ActivityKind, at: datetime, completes: bool = False,
    attempt: QuizAttempt | None = None,
) -> Activity:
    """Append one entry to the log and fold it into the learner's summary of the lesson."""
    _lock_learner(user_id)
    previous = db.session.scalar(
        select(func.max(Activity.at)).where(Activity.user_id == user_id, Activity.at <= at)
    )
    day = timezone.local_day(at)
    entry = Activity(
        user_id=user_id, lesson_id=lesson_id, kind=kind, at=at, day=day, week=timezone.week_of(day),
        seconds=_credited_seconds(kind, previous, at),
        attempt_id=attempt.id if attempt else None, passed=attempt.passed if attempt else None,
    )
    if attempt is not None:
        entry.first_try = not _exists(user_id, lesson_id, Activity.first_try)
    if completes:
        entry.completed_lesson = not _exists(user_id, lesson_id, Activity.completed_lesson)
    db.session.add(entry)
    if kind in EXERCISE_KINDS:
        return entry
    row = db.session.execute(select(LessonProgress).filter_by(user_id=user_id, lesson_id=lesson_id)).scalar_one_or_none()
    if row is None:
        row = LessonProgress(user_id=user_id, lesson_id=lesson_id)
        db.session.add(row)
    _fold(row, entry, attempt)
    return entry


def _lock_learner(user_id: int) -> None:
    """Make this transaction the only one writing for this learner until it commits (a row lock
    on PostgreSQL, the write lock on SQLite), so that what it reads first (the previous entry, a
    first try, the summary) is still true when it writes: two submissions sent at once cannot
    both be credited the same minutes."""
    db.session.execute(update(User).where(User.id == user_id).values(id=User.id))


def _credited_seconds(kind: ActivityKind, previous_at: datetime | None, at: datetime) -> int:
    if kind is ActivityKind.OPENED or previous_at is None:
        return 0
    return max(0, min(int((at - previous_at).total_seconds()), MAX_CREDITED_SECONDS))


def _exists(user_id: int, lesson_id: str, flag) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(Activity).where(Activity.user_id == user_id, Activity.lesson_id == lesson_id, flag)
    ) > 0


def _fold(row: LessonProgress, entry: Activity, attempt: QuizAttempt | None) -> None:
    """What one log entry (and its attempt) changes in the summary of its lesson: the one rule
    the writers and the rebuild share."""
    if row.started_at is None:
        row.started_at = entry.at
    row.last_seen_at = entry.at
    row.seconds_spent = (row.seconds_spent or 0) + entry.seconds
    if entry.completed_lesson:
        row.completed_at = entry.at
    if attempt is not None and (
        row.best_score is None or attempt.score * (row.best_max_score or 1) > row.best_score * attempt.max_score
    ):
        row.best_score, row.best_max_score = attempt.score, attempt.max_score


def rebuild_lesson_progress() -> int:
    """Recompute every learner's per-lesson summary from the activity log and the attempts;
    the number of summary rows written."""
    db.session.execute(db.delete(LessonProgress))
    rows: dict[tuple[int, str], LessonProgress] = {}
    entries = db.session.execute(
        select(Activity, QuizAttempt).outerjoin(QuizAttempt, QuizAttempt.id == Activity.attempt_id)
        .where(Activity.kind.not_in(EXERCISE_KINDS))
        .order_by(Activity.user_id, Activity.lesson_id, Activity.at, Activity.id)
    )
    for entry, attempt in entries:
        key = entry.user_id, entry.lesson_id
        if key not in rows:
            rows[key] = LessonProgress(user_id=entry.user_id, lesson_id=entry.lesson_id)
        _fold(rows[key], entry, attempt)
    db.session.add_all(rows.values())
    db.session.commit()
    return len(rows)


# Practice scenarios -------------------------------------------------------------------------


class StepRefusal(enum.Enum):
    """Why a step was not recorded: the run stays as it was."""

    OUT_OF_STEP = "out_of_step"  # posted twice, or from an older screen
    CHANGED = "changed"  # the scenario's file changed since the run started
    FINISHED = "finished"  # the run is already over


@dataclass(frozen=True)
class StepRecord:
    run: ScenarioRun
    result: StepResult | None = None  # None when refused
    refused: StepRefusal | None = None


def start_scenario_run(user_id: int, scenario: Scenario, at: datetime | None = None) -> ScenarioRun:
    """A new run at the scenario's first screen (the clock runs from the learner's last entry)."""
    at = at or utcnow()

    def write() -> ScenarioRun:
        _lock_learner(user_id)
        run = ScenarioRun(
            user_id=user_id, scenario_id=scenario.id, scenario_version=scenario.version, started_at=at,
            current_screen_id=scenario.first_screen_id, step_count=1, shown_count=0, mistake_count=0, wrong_count=0,
        )
        db.session.add(run)
        return run

    return commit_retrying(write)


def record_scenario_step(
    user_id: int, run: ScenarioRun, scenario: Scenario, expected_step: int, action_label: str,
    values: dict[str, str], at: datetime | None = None, procedure_ids: Sequence[str] = (),
) -> StepRecord:
    """One action on the run's current screen, decided by content.scenarios.step; UnknownAction
    for an action no screen of the scenario offers. A run that ends without « Montrez-moi » puts
    the learner on the rung « fait seule en exercice » of each procedure listing the scenario
    (procedure_ids: Library.procedures_of_scenario), in the same transaction."""
    at = at or utcnow()

    def write() -> StepRecord:
        refused = _refusal(user_id, run, scenario, expected_step)
        if refused is not None:
            return StepRecord(run, refused=refused)
        result = scenarios.step(scenario, run.current_screen_id, action_label, values)
        _add_step(user_id, run, scenario, action_label, result.outcome.value, at, result.field_errors)
        run.current_screen_id = result.next_screen_id
        if result.outcome is StepOutcome.WRONG:
            run.wrong_count += 1
        elif result.outcome is StepOutcome.MISTAKE:
            run.mistake_count += 1
        if scenario.screens[run.current_screen_id].is_end:
            run.finished_at = at
            _append(user_id, scenario.id, ActivityKind.EXERCISE_FINISHED, at)
            for procedure_id in procedure_ids if run.alone else ():
                _write_step(user_id, procedure_id, AutonomyLevel.ALONE_IN_EXERCISE, None, at)
        return StepRecord(run, result)

    return commit_retrying(write)


def record_demonstration(
    user_id: int, run: ScenarioRun, scenario: Scenario, expected_step: int, at: datetime | None = None
) -> StepRecord:
    """« Montrez-moi » on the run's current screen: counted, the screen stays."""
    at = at or utcnow()

    def write() -> StepRecord:
        refused = _refusal(user_id, run, scenario, expected_step)
        if refused is not None:
            return StepRecord(run, refused=refused)
        shown = scenarios.demonstration(scenario, run.current_screen_id)
        _add_step(user_id, run, scenario, shown.action_label, "shown", at)
        run.shown_count += 1
        return StepRecord(run)

    return commit_retrying(write)


def _refusal(user_id: int, run: ScenarioRun, scenario: Scenario, expected_step: int) -> StepRefusal | None:
    """Locks the learner, then reads the run again: a step sent twice at once is recorded once."""
    _lock_learner(user_id)
    db.session.refresh(run)
    if run.scenario_version != scenario.version:
        return StepRefusal.CHANGED
    if run.finished:
        return StepRefusal.FINISHED
    if expected_step != run.step_count:
        return StepRefusal.OUT_OF_STEP
    return None


def _add_step(
    user_id: int, run: ScenarioRun, scenario: Scenario, label: str, outcome: str, at: datetime,
    wrong_inputs: Sequence[str] = (),
) -> None:
    entry = _append(user_id, scenario.id, ActivityKind.EXERCISE_STEP, at)
    db.session.add(ScenarioStep(
        run_id=run.id, number=run.step_count, screen_id=run.current_screen_id, action_label=label, outcome=outcome,
        wrong_inputs=list(wrong_inputs), at=at, seconds=entry.seconds,
    ))
    run.step_count += 1


def learner_run(user_id: int, run_id: int) -> ScenarioRun | None:
    return db.session.scalar(select(ScenarioRun).filter_by(id=run_id, user_id=user_id))


def unfinished_run(user_id: int, scenario: Scenario) -> ScenarioRun | None:
    """Her latest run of this version of the scenario, if it is not over: « Reprendre »."""
    run = db.session.scalar(
        select(ScenarioRun).filter_by(user_id=user_id, scenario_id=scenario.id)
        .order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc()).limit(1)
    )
    return run if run is not None and not run.finished and run.scenario_version == scenario.version else None


def _attempt_by_client_id(client_id: str) -> QuizAttempt | None:
    return db.session.execute(select(QuizAttempt).filter_by(client_id=client_id)).scalar_one_or_none()


def _same_learner(attempt: QuizAttempt, user_id: int) -> QuizAttempt:
    if attempt.user_id != user_id:
        raise ForeignSubmission(attempt.client_id)
    return attempt


# Reads for the learner's own pages ----------------------------------------------------------


def learner_states(user_id: int) -> dict[str, LessonState]:
    """Every lesson this learner has opened, by lesson id, in one query."""
    rows = db.session.execute(select(LessonProgress).filter_by(user_id=user_id)).scalars()
    return {row.lesson_id: state_of(row) for row in rows}


def learner_attempt(user_id: int, attempt_id: int) -> QuizAttempt | None:
    return db.session.execute(
        select(QuizAttempt).filter_by(id=attempt_id, user_id=user_id)
    ).scalar_one_or_none()


def latest_self_assessment(user_id: int, module_id: str) -> dict[SelfAssessmentMoment, dict[int, KnowHow]]:
    """Her latest answers to a module's statements, per moment she answered (one query)."""
    rows = db.session.scalars(
        select(SelfAssessment).filter_by(user_id=user_id, module_id=module_id).order_by(SelfAssessment.at, SelfAssessment.id)
    )
    latest: dict[SelfAssessmentMoment, tuple[datetime, dict[int, KnowHow]]] = {}
    for row in rows:
        if row.moment not in latest or latest[row.moment][0] != row.at:
            latest[row.moment] = (row.at, {})
        latest[row.moment][1][row.statement] = row.answer
    return {moment: answers for moment, (_, answers) in latest.items()}


def self_assessment_offered(module: Module, states: dict[str, LessonState]) -> SelfAssessmentMoment | None:
    """Which moment she may answer now: the start before any lesson of the module is done, the end
    once all are; none in between, nor for a module without statements."""
    if not module.self_assessment:
        return None
    done = sum(states.get(lesson.id, NOT_STARTED).done for lesson in module.lessons)
    if done == 0:
        return SelfAssessmentMoment.START
    if done == len(module.lessons):
        return SelfAssessmentMoment.END
    return None


def lesson_to_continue(ordered_lesson_ids: list[str], states: dict[str, LessonState]) -> str | None:
    """The lesson last opened if unfinished, else the first unfinished one in course order."""
    unfinished = [i for i in ordered_lesson_ids if not states.get(i, NOT_STARTED).done]
    started = [i for i in unfinished if i in states]
    if started:
        return max(started, key=lambda i: states[i].last_seen_at)
    return unfinished[0] if unfinished else None


# The autonomy ladder --------------------------------------------------------------------------

def record_autonomy(
    learner: User | int, procedure_id: str, level: AutonomyLevel, set_by: User | None, at: datetime | None = None
) -> AutonomyStep | None:
    """The learner reached a rung on a procedure: set by a facilitator, or by the platform (set_by
    None: an exercise finished without « Montrez-moi »). A rung is reached once: None when it was
    already. A facilitator's step answers the learner's waiting « Je l'ai fait pour de vrai ! »."""
    if set_by is None and level is not AutonomyLevel.ALONE_IN_EXERCISE:
        raise ValueError(f"only a facilitator sets {level.value!r}: the platform sets « fait seule en exercice »")
    return commit_retrying(lambda: _write_step(_id_of(learner), procedure_id, level, set_by, at or utcnow()))


def record_autonomy_for_many(
    learners: Iterable[User], procedure_id: str, level: AutonomyLevel, set_by: User, at: datetime | None = None
) -> list[AutonomyStep]:
    """The same rung for several learners at once (a workshop), in one transaction: the steps written."""
    learners, at = list(learners), at or utcnow()

    def write() -> list[AutonomyStep]:
        steps = (_write_step(learner.id, procedure_id, level, set_by, at) for learner in learners)
        return [step for step in steps if step is not None]

    return commit_retrying(write)


def confirm_done_for_real(learner: User | int, procedure_id: str, confirmed_by: User, at: datetime | None = None):
    """A facilitator confirms that the learner did the procedure alone, for real."""
    return record_autonomy(learner, procedure_id, AutonomyLevel.ALONE_FOR_REAL, confirmed_by, at)


def claim_done_for_real(learner: User | int, procedure_id: str, at: datetime | None = None) -> AutonomyClaim | None:
    """« Je l'ai fait pour de vrai ! »: waits for a facilitator. Pressing again keeps the one claim;
    None when the rung is already reached."""
    user_id, at = _id_of(learner), at or utcnow()

    def write() -> AutonomyClaim | None:
        _lock_learner(user_id)
        if _rung(user_id, procedure_id, AutonomyLevel.ALONE_FOR_REAL) is not None:
            return None
        claim = _waiting_claim(user_id, procedure_id)
        if claim is None:
            claim = AutonomyClaim(user_id=user_id, procedure_id=procedure_id, claimed_at=at)
            db.session.add(claim)
        return claim

    return commit_retrying(write)


def _write_step(user_id: int, procedure_id: str, level: AutonomyLevel, set_by: User | None, at: datetime) -> AutonomyStep | None:
    _lock_learner(user_id)
    claim = _waiting_claim(user_id, procedure_id) if set_by is not None else None
    if claim is not None:
        claim.waiting, claim.answered_at, claim.answered_by_id = None, at, set_by.id
        claim.confirmed = level is AutonomyLevel.ALONE_FOR_REAL
    if _rung(user_id, procedure_id, level) is not None:
        return None
    step = AutonomyStep(
        user_id=user_id, procedure_id=procedure_id, level=level, set_by_id=set_by.id if set_by else None,
        by_platform=set_by is None, at=at, day=timezone.local_day(at),
        claim_id=claim.id if claim is not None and claim.confirmed else None,
    )
    db.session.add(step)
    if set_by is not None:
        learner = db.session.get(User, user_id)
        audit.record(set_by, learner, audit.AUTONOMY_SET, detail=f"{procedure_id} : {formats.autonomy_level(level)}")
    return step


def _id_of(learner: User | int) -> int:
    return learner if isinstance(learner, int) else learner.id


def _rung(user_id: int, procedure_id: str, level: AutonomyLevel) -> AutonomyStep | None:
    return db.session.scalar(select(AutonomyStep).filter_by(user_id=user_id, procedure_id=procedure_id, level=level))


def _waiting_claim(user_id: int, procedure_id: str) -> AutonomyClaim | None:
    return db.session.scalar(select(AutonomyClaim).filter_by(user_id=user_id, procedure_id=procedure_id, waiting=True))


@dataclass(frozen=True)
class Rung:
    level: AutonomyLevel
    at: datetime
    by_platform: bool
    by: str = ""  # the facilitator's name; "" when the platform set it or her account is gone


@dataclass
class Ladder:
    """A learner's ladder on one procedure: the rungs reached, and her claim if it waits."""

    rungs: dict[AutonomyLevel, Rung] = field(default_factory=dict)
    claim: AutonomyClaim | None = None

    @property
    def level(self) -> AutonomyLevel | None:
        """The highest rung reached."""
        return max(self.rungs, key=lambda level: level.rank, default=None)

    @property
    def done_for_real(self) -> bool:
        return AutonomyLevel.ALONE_FOR_REAL in self.rungs


def ladders_of(user_ids: Iterable[int]) -> dict[int, dict[str, Ladder]]:
    """Each learner's ladders by procedure id (a procedure with no rung and no claim is absent)."""
    user_ids = list(user_ids)
    found: dict[int, dict[str, Ladder]] = {user_id: {} for user_id in user_ids}
    staff = db.aliased(User)
    steps = db.session.execute(
        select(AutonomyStep, staff.first_name).outerjoin(staff, staff.id == AutonomyStep.set_by_id)
        .where(AutonomyStep.user_id.in_(user_ids)).order_by(AutonomyStep.at, AutonomyStep.id)
    )
    for step, first_name in steps:
        ladder = found[step.user_id].setdefault(step.procedure_id, Ladder())
        ladder.rungs[step.level] = Rung(step.level, step.at, step.by_platform, first_name or "")
    claims = db.session.scalars(select(AutonomyClaim).where(AutonomyClaim.user_id.in_(user_ids), AutonomyClaim.waiting.is_(True)))
    for claim in claims:
        found[claim.user_id].setdefault(claim.procedure_id, Ladder()).claim = claim
    return found


def learner_ladders(user_id: int) -> dict[str, Ladder]:
    return ladders_of([user_id])[user_id]
