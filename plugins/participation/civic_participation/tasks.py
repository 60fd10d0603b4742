"""Background work of the participation plugin, run by the django-q2 cluster.

Both schedules are upserted after every migration (and after a test database flush) by
:func:`ensure_schedules`; re-running it changes nothing.
"""

from civic_participation import reminders, services
from civic_participation.app_settings import app_settings

SCHEDULE_NAME = "civic_participation: scheduled transitions"
SCHEDULE_FUNC = "civic_participation.tasks.run_scheduled_transitions"
SWEEP_SCHEDULE_NAME = "civic_participation: reminder sweep"
SWEEP_SCHEDULE_FUNC = "civic_participation.tasks.run_reminder_sweep"


def run_scheduled_transitions():
    """Auto-close, close responses and expire invitations whose time has come."""
    return services.run_scheduled_transitions()


def run_reminder_sweep():
    """Record, fan out and e-mail the reminders and escalations that are due."""
    return reminders.sweep()


def ensure_schedules(sender=None, using="default", **kwargs):
    from django_q.models import Schedule

    wanted = (
        (SCHEDULE_NAME, SCHEDULE_FUNC, 15),
        (SWEEP_SCHEDULE_NAME, SWEEP_SCHEDULE_FUNC, app_settings.SWEEP_MINUTES),
    )
    for name, func, minutes in wanted:
        Schedule.objects.using(using).update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
