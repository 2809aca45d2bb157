"""Numbers, durations, dates and times as the French write them, written once for every screen and
export: « 6 min », « 1 h 20 », « 0,4 », « 40 % », « 1 décembre 2026 », « 1 déc. 2026 à 19 h 45 »,
always in the association's time zone (app.timezone). Templates get them as filters.

Spreadsheet cells take the forms a French spreadsheet reads as a number or a date: « 0,4 »
without a thousands separator, « 01/12/2026 19:45 ».
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .timezone import local

LOCALE = "fr_FR"
NARROW_NO_BREAK_SPACE = "\u202f"


def duration(seconds: int | float | None) -> str:
    """« 0 min », « 6 min », « 1 h », « 1 h 20 »: rounded to the minute."""
    minutes = round((seconds or 0) / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes}\u00a0min"
    return f"{hours}\u00a0h\u00a0{minutes:02d}" if minutes else f"{hours}\u00a0h"


def step_duration(seconds: int | float | None) -> str:
    """A step of an exercise: « 45 s » under a minute, else as duration()."""
    if (seconds or 0) < 60:
        return f"{int(seconds or 0)}\u00a0s"
    return duration(seconds)


def decimal(value: int | float | None, places: int = 1) -> str:
    """« 0,4 », « 12 », « 1234,5 »: a comma, at most `places` decimals, no thousands separator
    (a spreadsheet reads it as a number)."""
    if value is None:
        return ""
    return format_decimal(value, format="0." + "#" * places if places else "0", locale=LOCALE)


def percent(value: int | None) -> str:
    """« 40 % » with the narrow no-break space before the sign; « – » when there is nothing to count."""
    return "–" if value is None else f"{value}{NARROW_NO_BREAK_SPACE}%"


def _day_of(value: date | datetime) -> date:
    return local(value).date() if isinstance(value, datetime) else value


def day(value: date | datetime | None) -> str:
    """« 1 décembre 2026 » (a stored moment is first put in the association's time zone)."""
    return format_date(_day_of(value), "d MMMM yyyy", locale=LOCALE) if value else ""


def short_day(value: date | datetime | None) -> str:
    """« 1 déc. 2026 »."""
    return format_date(_day_of(value), "d MMM yyyy", locale=LOCALE) if value else ""


def clock(value: datetime) -> str:
    """« 9 h 05 », « 19 h 45 »: the association's time of a stored moment."""
    moment = local(value)
    return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"


def moment(value: datetime | None) -> str:
    """« 1 déc. 2026 à 19 h 45 »."""
    return f"{short_day(value)} à {clock(value)}" if value else ""


def _parsed(value: date | datetime | str) -> date | datetime:
    """Mes données hands its dates over as ISO text (as in its downloads)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def day_in_words(value: date | datetime | str) -> str:
    """« 1er décembre 2026 »: the first of the month as a participant reads it."""
    value = _parsed(value)
    words = day(value)
    return "1er" + words[1:] if _day_of(value).day == 1 else words


def time_in_words(value: datetime | str) -> str:
    """« 14 h 05 », never split across two lines."""
    return clock(_parsed(value))


def moment_in_words(value: datetime | str) -> str:
    """« le 1er décembre 2026 à 14 h 05 »."""
    return _("le %(day)s à %(time)s", day=day_in_words(value), time=time_in_words(value))


# When a learner asks to be called back (rules.CALL_BACK_TIMES; "" = any time), in words.
CALL_BACK_WORDS = {
    "": _l("Peu importe"), "morning": _l("Le matin"), "afternoon": _l("L'après-midi"), "evening": _l("En fin de journée"),
}


def call_back_time(key: str) -> str:
    return str(CALL_BACK_WORDS.get(key, key))


# The rungs of the autonomy ladder (models.AutonomyLevel, by value), as a learner says them.
AUTONOMY_WORDS = {
    "done-for-me": _l("fait pour moi"), "done-with-me": _l("fait avec moi"),
    "alone-in-exercise": _l("fait seule en exercice"), "alone-for-real": _l("fait seule pour de vrai"),
}


def autonomy_level(level) -> str:
    """« fait avec moi »: a rung of the ladder (an AutonomyLevel) in words."""
    return str(AUTONOMY_WORDS[level.value])


# A « Je sais … » answer (models.KnowHow values) and its moment (models.SelfAssessmentMoment), in words.
KNOW_HOW_WORDS = {"oui": _l("Oui"), "un-peu": _l("Un peu"), "pas-encore": _l("Pas encore")}
MOMENT_WORDS = {"debut": _l("Au début du module"), "fin": _l("À la fin du module")}


def spreadsheet_day(value: date | datetime | None) -> str:
    return _day_of(value).strftime("%d/%m/%Y") if value else ""


def spreadsheet_moment(value: datetime | None) -> str:
    return local(value).strftime("%d/%m/%Y %H:%M") if value else ""


FILTERS = {
    "duration": duration, "step_duration": step_duration, "decimal": decimal, "percent": percent, "day": day, "short_day": short_day,
    "moment": moment, "clock": clock, "day_in_words": day_in_words, "time_in_words": time_in_words,
    "moment_in_words": moment_in_words, "call_back_time": call_back_time, "autonomy_level": autonomy_level,
}


def init_app(app) -> None:
    app.jinja_env.filters.update(FILTERS)
