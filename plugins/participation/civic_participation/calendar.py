"""Working-day arithmetic of the city's services, without Django.

City-side deadlines count working days: Monday to Friday, minus public holidays (the country
and subdivision of ``CIVIC_PARTICIPATION_HOLIDAY_COUNTRY`` / ``_SUBDIVISION``; the reference
city's France, Alsace-Moselle keeps Good Friday and 26 December as holidays) and the city's own
closure dates. Council-side deadlines count calendar days and need nothing here.

``holidays`` (the ``participation`` extra) is imported where it is used, so a site without it
still starts and its system check names the extra to install.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

SATURDAY = 5


@lru_cache(maxsize=128)
def _holiday_dates(country, subdivision, year) -> frozenset[date]:
    # Building the holiday table is slow; the sweep asks about the same few years all the time.
    import holidays

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=[year]))


@dataclass(frozen=True)
class WorkingCalendar:
    country: str = "FR"
    subdivision: str | None = None
    closures: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= SATURDAY or day in self.closures:
            return False
        return day not in _holiday_dates(self.country, self.subdivision, day.year)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the start day itself not counted)."""
        if days < 0:
            raise ValueError("days must be zero or positive")
        day = start
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the interval (start, end]; zero when end is not after start."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def subtract_working_days(self, start: date, days: int) -> date:
        """The date `days` working days before `start` (the start day itself not counted)."""
        if days < 0:
            raise ValueError("days must be zero or positive")
        day = start
        remaining = days
        while remaining:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day
