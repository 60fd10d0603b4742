"""Removing the plugin: ``migrate civic_participation zero`` leaves no schedule behind, so no
worker of the task cluster runs a sweep against dropped tables."""

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from civic_participation import tasks

NAMES = (tasks.SCHEDULE_NAME, tasks.SWEEP_SCHEDULE_NAME)


@pytest.mark.django_db(transaction=True)
def test_migrating_to_zero_removes_the_schedules_and_migrating_again_restores_them():
    tasks.sync_task_schedules()
    assert Schedule.objects.filter(name__in=NAMES).count() == 2
    try:
        call_command("migrate", "civic_participation", "zero", verbosity=0)
        assert not Schedule.objects.filter(name__in=NAMES).exists()
    finally:
        call_command("migrate", "civic_participation", verbosity=0)
    assert Schedule.objects.filter(name__in=NAMES).count() == 2
