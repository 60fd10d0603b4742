"""Per-city behaviour of the participation plugin.

A city subclasses :class:`DefaultParticipationAdapter` and points
``CIVIC_PARTICIPATION_ADAPTER`` at its class.
"""

from datetime import date

from civic_core.conf import load_adapter
from civic_participation.app_settings import app_settings
from civic_participation.calendar import WorkingCalendar


class DefaultParticipationAdapter:
    """The behaviour of the reference city; every method is a documented extension point."""

    def working_calendar(self) -> WorkingCalendar:
        """The calendar city-side deadlines count in (holidays, closures in settings and in the
        admin's closure days table)."""
        from civic_participation.models import ClosureDay

        configured = {date.fromisoformat(day) for day in app_settings.LOCAL_CLOSURES}
        edited = set(ClosureDay.objects.values_list("day", flat=True))
        return WorkingCalendar(
            country=app_settings.HOLIDAY_COUNTRY,
            subdivision=app_settings.HOLIDAY_SUBDIVISION,
            closures=frozenset(configured | edited),
        )

    def agency_name(self):
        """The body coordinators speak for on the public timeline."""
        return str(app_settings.AGENCY_NAME)

    def council_kinds(self):
        """(value, label) pairs of the kinds of council the city runs."""
        return tuple(app_settings.COUNCIL_KINDS)

    def default_contact_channel(self, service):
        """How a council reaches the service in charge, as stated in the acknowledgement."""
        return service.contact_channel or service.contact_email


def get_adapter():
    """The instance of the class ``CIVIC_PARTICIPATION_ADAPTER`` names (one per class)."""
    return load_adapter(app_settings.ADAPTER)
