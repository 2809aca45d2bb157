"""Numbers, durations and dates as the French write them, in Paris time."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import formats


@pytest.mark.parametrize(("seconds", "written"), [
    (0, "0\u00a0min"), (None, "0\u00a0min"), (29, "0\u00a0min"), (360, "6\u00a0min"), (3600, "1\u00a0h"),
    (4800, "1\u00a0h\u00a020"), (4860, "1\u00a0h\u00a021"), (36000 + 300, "10\u00a0h\u00a005"),
])
def test_durations(seconds, written):
    assert formats.duration(seconds) == written


@pytest.mark.parametrize(("seconds", "written"), [
    (0, "0\u00a0s"), (None, "0\u00a0s"), (45, "45\u00a0s"), (59, "59\u00a0s"), (60, "1\u00a0min"), (200, "3\u00a0min"),
])
def test_step_durations_count_seconds_under_a_minute(seconds, written):
    assert formats.step_duration(seconds) == written


def test_decimals_and_percents():
    assert [formats.decimal(v) for v in (0.4, 12.0, 1234.56, 0)] == ["0,4", "12", "1234,6", "0"]
    assert formats.decimal(None) == ""
    assert formats.percent(40) == "40\u202f%" and formats.percent(None) == "–"


def test_dates_and_times_are_the_associations_own(app):
    with app.app_context():
        winter, summer = datetime(2026, 12, 1, 18, 45), datetime(2026, 7, 14, 22, 5)  # stored as UTC
        assert formats.moment(winter) == "1 déc. 2026 à 19\u00a0h\u00a045"
        assert formats.moment(summer) == "15 juil. 2026 à 0\u00a0h\u00a005"  # already the next day in Paris
        assert formats.day(summer) == "15 juillet 2026" and formats.day(date(2026, 7, 14)) == "14 juillet 2026"
        assert formats.spreadsheet_moment(winter) == "01/12/2026 19:45" and formats.spreadsheet_day(summer) == "15/07/2026"
        assert formats.moment(None) == "" and formats.day(None) == ""
