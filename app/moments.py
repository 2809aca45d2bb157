"""Moments as a participant reads them, in the association's time (app.timezone):
« le 1er décembre 2026 à 14 h 05 »."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _

from .timezone import local


def _as_moment(value: datetime | date | str) -> datetime | date:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def day_in_words(value: datetime | date | str) -> str:
    """« 1er décembre 2026 »: a date, or the Paris day of a time."""
    value = _as_moment(value)
    day = local(value).date() if isinstance(value, datetime) else value
    words = format_date(day, "d MMMM y")
    return "1er" + words[1:] if day.day == 1 else words  # French writes the first day « 1er »


def time_in_words(value: datetime | str) -> str:
    """« 14 h 05 », in Paris, never split across two lines (non-breaking spaces)."""
    moment = local(_as_moment(value))
    return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"


def moment_in_words(value: datetime | str) -> str:
    """« le 1er décembre 2026 à 14 h 05 »."""
    return _("le %(day)s à %(time)s", day=day_in_words(value), time=time_in_words(value))


def init_app(app) -> None:
    app.add_template_filter(day_in_words)
    app.add_template_filter(time_in_words)
    app.add_template_filter(moment_in_words)
