"""The association's clock. Moments are stored as naive UTC; people live in one time zone
(TIME_ZONE, Europe/Paris by default): every day a report counts and every date a screen or an
export shows is a day of that zone, taken from here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIME_ZONE"])


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) moment, or any aware one, as the association's wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def local_day(moment: datetime) -> date:
    return local(moment).date()


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def utc_moment(day: date, at: time = time.min) -> datetime:
    """The stored (naive UTC) form of a local day and time."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)
