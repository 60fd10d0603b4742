"""Background work of the participation plugin, run by the django-q2 cluster.

Both schedules are kept in step with the plugin's migrations by :func:`sync_task_schedules`, a
post_migrate receiver (also run after a test database flush); re-running it changes nothing.
"""

from civic_core.schedules import ScheduleSpec, sync_schedules
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


def schedule_specs():
    return (
        ScheduleSpec(SCHEDULE_NAME, SCHEDULE_FUNC, 15),
        ScheduleSpec(SWEEP_SCHEDULE_NAME, SWEEP_SCHEDULE_FUNC, app_settings.SWEEP_MINUTES),
    )


def sync_task_schedules(sender=None, using="default", **kwargs):
    """post_migrate receiver: the schedules exist while the plugin is migrated, not after."""
    sync_schedules("civic_participation", schedule_specs(), using=using)
