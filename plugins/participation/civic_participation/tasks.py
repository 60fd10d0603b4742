"""Background work of the participation plugin, run by the django-q2 cluster.

The schedule that calls :func:`run_scheduled_transitions` is upserted by migration 0002.
"""

from civic_participation import services

SCHEDULE_NAME = "civic_participation: scheduled transitions"
SCHEDULE_FUNC = "civic_participation.tasks.run_scheduled_transitions"


def run_scheduled_transitions():
    """Auto-close, close responses and expire invitations whose time has come."""
    return services.run_scheduled_transitions()
