"""Settings of the participation plugin, each overridable as ``CIVIC_PARTICIPATION_<NAME>``."""

from django.utils.translation import gettext_lazy as _

from civic_core.conf import PluginSettings

DEFAULTS = {
    # Dotted path of the class that holds per-city behaviour (see adapter.py).
    "ADAPTER": "civic_participation.adapter.DefaultParticipationAdapter",
    # Kinds of council a city runs: (value stored on the council, label shown).
    "COUNCIL_KINDS": (
        ("participatory", _("Participatory council")),
        ("citizen", _("Citizen council")),
        ("residents", _("Residents' council")),
    ),
    # Who speaks on the public timeline for coordinators.
    "AGENCY_NAME": _("Participation agency"),
    # Public holidays of the city's working-day calendar: ISO 3166 country code and the
    # subdivision code of the ``holidays`` package (Alsace-Moselle is "6AE"), or None for the
    # country's national holidays only. Checked at start-up.
    "HOLIDAY_COUNTRY": "FR",
    "HOLIDAY_SUBDIVISION": None,
    # Dates the city's services are closed besides public holidays ("YYYY-MM-DD" strings).
    "LOCAL_CLOSURES": (),
    # Request circuit deadlines: working days for the city, calendar days for councils.
    "ACKNOWLEDGE_WORKING_DAYS": 5,
    "ANSWER_WORKING_DAYS": 30,
    "CONFIRMATION_DAYS": 14,
    "PROGRESS_UPDATE_DAYS": 30,
    "ANSWERED_CLOSE_DAYS": 30,
    # Offer circuit: volunteer councils meet about monthly.
    "MIN_RESPONSE_DAYS": 21,
    "INVITATION_ACK_DAYS": 10,
    "FEEDBACK_WORKING_DAYS": 30,
    # Reminder ladder. City side, in working days around the due date D.
    "WARNING_WORKING_DAYS_BEFORE": 3,
    "ESCALATION_MANAGER_WORKING_DAYS_AFTER": 5,
    "ESCALATION_COORDINATION_WORKING_DAYS_AFTER": 15,
    # Council side, in calendar days: after the start (J+7), before D (D-7, D-2); at most 3.
    "COUNCIL_REMINDER_DAYS_AFTER_START": 7,
    "COUNCIL_REMINDER_DAYS_BEFORE": (7, 2),
    "COUNCIL_ESCALATION_DAYS_AFTER": 1,
    # Minutes between two sweeps of the django-q2 schedule.
    "SWEEP_MINUTES": 5,
    # When each audience may be e-mailed, local (TIME_ZONE) hours [start, end): agents on working
    # days only, volunteers any day.
    "AGENT_EMAIL_HOURS": (9, 17),
    "VOLUNTEER_EMAIL_HOURS": (8, 21),
    # Local hour from which the day's remaining reminders go out grouped in one digest (24: none).
    "DIGEST_HOUR": 16,
    # Members-only attachments: the STORAGES alias of their private storage (when the site does
    # not declare it, a folder "private" next to MEDIA_ROOT), and the largest file accepted.
    "ATTACHMENT_STORAGE": "civic_private",
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    # Items per page of the public index page.
    "PUBLIC_PAGE_SIZE": 20,
}


app_settings = PluginSettings("CIVIC_PARTICIPATION_", DEFAULTS)
