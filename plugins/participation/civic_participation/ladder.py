"""The reminder ladder as dates, without the database (nor Django).

A rung is due once its date has come: for city-side deadlines, D-3 working days (warning), D
(reminder), D+5 and D+15 working days (escalations); for council-side ones, J+7 after the start,
D-7 and D-2 (reminders, at most three), then D+1 (escalation to the coordination). The sweep asks
the database for deadlines whose due date is on or before a rung's *threshold*: the latest due
date whose rung has come by today. That keeps one query per rung, whatever the number of items.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from civic_participation.calendar import WorkingCalendar

CITY = "city"
COUNCIL = "council"


@dataclass(frozen=True)
class Rung:
    side: str
    rank: int
    step: str
    # Offset from the due date (working days on the city side, calendar days on the council
    # side), or from the start date when `from_start`.
    offset: int
    from_start: bool = False
    audience: str = "agent"


@dataclass(frozen=True)
class DueRung:
    """A rung and the dates that make it due today.

    ``due_on_at_most``: deadlines due on or before it have reached the rung. ``started_on_at_most``
    does the same for rungs counted from the start. ``min_days``: rungs before D only apply to
    deadlines longer than their offset (a 2-day deadline gets no D-7 reminder).
    """

    rung: Rung
    due_on_at_most: date | None = None
    started_on_at_most: date | None = None
    min_days: int = 0


def city_rungs(warning, manager, coordination):
    return (
        Rung(CITY, 1, "warning", -warning),
        Rung(CITY, 2, "reminder", 0),
        Rung(CITY, 3, "escalation_manager", manager),
        Rung(CITY, 4, "escalation_coordination", coordination),
    )


def council_rungs(after_start, before, escalation_after):
    reminders = [Rung(COUNCIL, 1, "council_reminder", after_start, True, "volunteer")]
    reminders += [
        Rung(COUNCIL, rank, "council_reminder", -days, False, "volunteer")
        for rank, days in enumerate(before[:2], start=2)
    ]
    return (*reminders, Rung(COUNCIL, 4, "council_escalation", escalation_after))


def shift_working(calendar: WorkingCalendar, day: date, offset: int) -> date:
    if offset >= 0:
        return calendar.add_working_days(day, offset)
    return calendar.subtract_working_days(day, -offset)


def latest_due_reached(today: date, offset: int, calendar: WorkingCalendar) -> date:
    """The latest due date D whose rung D+offset (working days) falls on or before `today`.

    The rung date only grows with D, so walk from an upper bound down to the first D that fits.
    """
    candidate = today + timedelta(days=max(0, -offset) * 2 + 14)
    while shift_working(calendar, candidate, offset) > today:
        candidate -= timedelta(days=1)
    return candidate


def due_rungs(rungs, today: date, calendar: WorkingCalendar) -> list[DueRung]:
    """Thresholds that make each rung due on `today`."""
    found = []
    for rung in rungs:
        if rung.from_start:
            found.append(
                DueRung(
                    rung,
                    started_on_at_most=today - timedelta(days=rung.offset),
                    min_days=rung.offset,
                )
            )
        elif rung.side == COUNCIL:
            found.append(
                DueRung(
                    rung,
                    due_on_at_most=today - timedelta(days=rung.offset),
                    min_days=max(0, -rung.offset),
                )
            )
        else:
            found.append(
                DueRung(
                    rung,
                    due_on_at_most=latest_due_reached(today, rung.offset, calendar),
                    min_days=max(0, -rung.offset),
                )
            )
    return found
