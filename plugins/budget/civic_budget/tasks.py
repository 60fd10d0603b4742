"""Background tasks of the budget plugin (django-q2) and the schedules that run them.

``count_closed_processes`` runs every five minutes: it freezes each process whose vote has
closed and queues ``count_zone`` for each of its zones. ``purge_expired_identities`` runs every
hour: it purges the voters' identities of processes whose results were published
``IDENTITY_RETENTION_DAYS`` ago.
``send_ballot_confirmation`` is queued by a ballot, so the e-mail leaves outside the request.

Migration 0003 created the count's schedule once and stays as history; the schedules are
declared in ``SCHEDULES`` and kept in step by :func:`ensure_schedules`, connected to
``post_migrate`` in ``apps.py`` (upserted after every ``migrate``, removed once the plugin is
migrated to zero).
"""

from civic_budget import results, retention, voting
from civic_budget.models import Process
from civic_core.schedules import ScheduleSpec, sync_schedules

SCHEDULES = (
    ScheduleSpec(
        name="civic_budget: count closed votes",
        func="civic_budget.tasks.count_closed_processes",
        minutes=5,
    ),
    ScheduleSpec(
        name="civic_budget: purge voters' identities",
        func="civic_budget.tasks.purge_expired_identities",
        minutes=60,
    ),
)


def count_closed_processes():
    return results.count_closed_processes()


def count_zone(process_id, zone_id):
    """One zone of a frozen process (queued by ``count_closed_processes``)."""
    process = Process.objects.filter(pk=process_id).first()
    zone = process and process.zones.filter(pk=zone_id).first()
    if zone is not None:
        results.count_zone(process, zone)


def purge_expired_identities():
    return retention.purge_expired_identities()


def send_ballot_confirmation(process_id, recipients, changed):
    process = Process.objects.filter(pk=process_id).first()
    if process is not None:
        voting.send_confirmation(process, recipients, changed)


def ensure_schedules(sender=None, using="default", **kwargs):
    """The post_migrate receiver: the schedules exist exactly while the plugin is migrated."""
    sync_schedules("civic_budget", SCHEDULES, using=using)
