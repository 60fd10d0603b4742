"""The django-q2 schedules of a plugin, kept in step with its migrations.

A plugin connects :func:`sync_schedules` to ``post_migrate`` (``ready()`` itself must not touch
the database). After every ``migrate``, the plugin's schedules exist with their current
intervals while its migrations are applied, and are removed once it is migrated to zero, so
an uninstalled plugin leaves no task behind to fail in the cluster.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str  # dotted path of the task
    minutes: int


def _app_is_migrated(app_label, connection):
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    return recorder.migration_qs.filter(app=app_label).exists()


def sync_schedules(app_label, specs, using="default"):
    """Upsert ``specs`` while ``app_label`` is migrated; delete them once it is not."""
    from django.apps import apps
    from django.db import connections

    if not apps.is_installed("django_q"):
        return
    from django_q.models import Schedule

    connection = connections[using]
    if Schedule._meta.db_table not in connection.introspection.table_names():
        return
    names = [spec.name for spec in specs]
    if not _app_is_migrated(app_label, connection):
        Schedule.objects.using(using).filter(name__in=names).delete()
        return
    for spec in specs:
        Schedule.objects.using(using).update_or_create(
            name=spec.name,
            defaults={
                "func": spec.func,
                "schedule_type": Schedule.MINUTES,
                "minutes": spec.minutes,
                "repeats": -1,
            },
        )
