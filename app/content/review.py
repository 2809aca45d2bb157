"""Which lessons to check again: verified too long ago, or with warnings. Pure: today is given."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .library import Library
from .model import Lesson, Problem


@dataclass(frozen=True)
class LessonToReview:
    lesson: Lesson
    # Verified longer ago than the review period: its facts may have changed.
    overdue: bool


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def is_overdue(lesson: Lesson, today: date, months: int) -> bool:
    return lesson.verified < months_before(today, months)


def lessons_to_review(library: Library, today: date, months: int) -> list[LessonToReview]:
    """Overdue lessons first, the oldest first; then the lessons with warnings, in library order."""
    found = [
        LessonToReview(lesson, is_overdue(lesson, today, months))
        for lesson in library.ordered_lessons
        if lesson.warnings or is_overdue(lesson, today, months)
    ]
    return sorted(found, key=lambda item: (not item.overdue, item.lesson.verified if item.overdue else date.min))


def review_warnings(library: Library, today: date, months: int) -> list[Problem]:
    """One warning per overdue lesson, at its « verified » line."""
    return [
        Problem(
            item.lesson.path,
            item.lesson.verified_line,
            f"vérifiée le {item.lesson.verified.isoformat()}, il y a plus de {months} mois : "
            "relisez la leçon et ses sources, puis changez la date",
        )
        for item in lessons_to_review(library, today, months)
        if item.overdue
    ]
