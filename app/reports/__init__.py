"""Aggregate reads of learning records and the activity log, for the facilitator screens and
exports: one file per report.

Every report runs a fixed number of set-based queries (one per table it reads, whatever the
number of learners or lessons) and returns plain data classes. Who may see what is app.access.
"""

from .autonomy import (
    AutonomyReport,
    ClaimToConfirm,
    GroupProcedure,
    ProcedureAutonomy,
    autonomy_for_report,
    claims_to_confirm,
    group_ladders,
)
from .exercises import (
    ExerciseCell,
    ExerciseFigures,
    ExerciseStatus,
    GroupExercises,
    RunShown,
    ScenarioReport,
    StepKind,
    StepShown,
    exercise_figures,
    group_exercises,
    learner_runs,
    scenario_report,
)
from .export import EXPORT_HEADER, PEOPLE_EXPORT_HEADER, group_export_rows, group_people_rows
from .figures import Figure, Section
from .group_progress import Cell, GroupProgress, LearnerRow, group_progress
from .groups import groups_overview
from .impact import CSV_HEADER as IMPACT_CSV_HEADER
from .impact import ImpactReport, impact_report, impact_rows
from .learner import AnswerShown, AttemptShown, Event, EventKind, LearnerActivity, learner_activity
from .lesson import LessonStats, QuestionStats, lesson_stats
from .members import facilitators_by_group, group_members, has_card, learners_in, staff_members
from .self_assessment import ModuleChange, StatementChange, self_assessment_for_report
from .triage import HelpAsked, Need, Reason, Triage, needs_in, who_needs_you
from .workshops import WorkshopShown, attended_workshops, group_workshops, workshop_seconds

__all__ = [
    "AutonomyReport", "ClaimToConfirm", "GroupProcedure", "group_ladders", "ProcedureAutonomy", "autonomy_for_report", "claims_to_confirm",
    "EXPORT_HEADER", "PEOPLE_EXPORT_HEADER", "AnswerShown", "HelpAsked", "Need", "Reason", "Triage", "needs_in", "who_needs_you",
    "group_people_rows", "AttemptShown", "Cell", "Event", "EventKind", "GroupProgress", "Figure", "IMPACT_CSV_HEADER", "ImpactReport", "Section", "WorkshopShown", "attended_workshops", "group_workshops", "workshop_seconds",
    "LearnerActivity", "LearnerRow", "LessonStats", "QuestionStats", "facilitators_by_group",
    "group_export_rows", "group_members", "group_progress", "groups_overview", "has_card", "impact_report", "impact_rows",
    "learner_activity", "lesson_stats", "staff_members",
    "ExerciseCell", "ExerciseFigures", "ExerciseStatus", "GroupExercises", "RunShown", "ScenarioReport", "StepKind", "StepShown",
    "exercise_figures", "group_exercises", "learner_runs", "scenario_report",
    "ModuleChange", "StatementChange", "learners_in", "self_assessment_for_report",
]
