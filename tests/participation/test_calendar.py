"""Working days of the city (pure functions, no database)."""

from datetime import date

import pytest

from civic_participation.calendar import WorkingCalendar

ALSACE = WorkingCalendar(subdivision="6AE")


def test_alsace_moselle_holidays_are_not_working_days():
    assert not ALSACE.is_working_day(date(2026, 4, 3))  # Good Friday, local to Alsace-Moselle
    assert not ALSACE.is_working_day(date(2026, 12, 26))  # Saint Stephen's day
    assert not ALSACE.is_working_day(date(2026, 7, 14))
    assert ALSACE.is_working_day(date(2026, 7, 15))
    assert WorkingCalendar(subdivision=None).is_working_day(date(2026, 4, 3))


def test_adding_working_days_skips_weekends_holidays_and_local_closures():
    assert ALSACE.add_working_days(date(2026, 12, 23), 5) == date(2026, 12, 31)
    assert ALSACE.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday to Monday
    assert ALSACE.add_working_days(date(2026, 3, 6), 0) == date(2026, 3, 6)
    closed = WorkingCalendar(closures=frozenset({date(2026, 3, 9)}))
    assert closed.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)
    with pytest.raises(ValueError):
        ALSACE.add_working_days(date(2026, 3, 6), -1)


def test_working_days_between_counts_the_end_not_the_start():
    assert ALSACE.working_days_between(date(2026, 3, 4), date(2026, 3, 11)) == 5
    assert ALSACE.working_days_between(date(2026, 3, 11), date(2026, 3, 4)) == 0
    start = date(2026, 1, 2)
    assert ALSACE.working_days_between(start, ALSACE.add_working_days(start, 30)) == 30
