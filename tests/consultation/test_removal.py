"""Removing the plugin: ``migrate civic_consultation zero`` leaves no schedule behind."""

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from civic_consultation import tasks

NAMES = (tasks.SCHEDULE_NAME, tasks.RANGE_SCHEDULE_NAME)


@pytest.mark.django_db(transaction=True)
def test_migrating_to_zero_removes_the_schedules_and_migrating_again_restores_them():
    tasks.ensure_schedules()
    assert Schedule.objects.filter(name__in=NAMES).count() == 2
    try:
        call_command("migrate", "civic_consultation", "zero", verbosity=0)
        # The cluster has nothing left to run against the dropped tables.
        assert not Schedule.objects.filter(name__in=NAMES).exists()
    finally:
        call_command("migrate", "civic_consultation", verbosity=0)
    assert Schedule.objects.filter(name__in=NAMES).count() == 2
