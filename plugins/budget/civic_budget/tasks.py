"""Background tasks of the budget plugin (django-q2) and the schedules that run them.

``count_closed_processes`` runs every five minutes: it freezes and counts each process whose
vote has closed. Migration 0003 created that schedule once and stays as history; the schedule
is now declared in ``SCHEDULES`` and kept in step by :func:`ensure_schedules`, connected to
``post_migrate`` in ``apps.py`` (upserted after every ``migrate``, removed once the plugin is
migrated to zero).
"""

from civic_budget import results
from civic_core.schedules import ScheduleSpec, sync_schedules

SCHEDULES = (
    ScheduleSpec(
        name="civic_budget: count closed votes",
        func="civic_budget.tasks.count_closed_processes",
        minutes=5,
    ),
)


def count_closed_processes():
    return results.count_closed_processes()


def ensure_schedules(sender=None, using="default", **kwargs):
    """The post_migrate receiver: the schedules exist exactly while the plugin is migrated."""
    sync_schedules("civic_budget", SCHEDULES, using=using)
