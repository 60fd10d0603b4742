"""Role groups and schedules that plugins keep in step with their migrations."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_q.models import Schedule

from civic_core.roles import RoleGroup, sync_role_groups
from civic_core.schedules import ScheduleSpec, sync_schedules

pytestmark = pytest.mark.django_db

ROLE = RoleGroup("Core test readers", "Read groups.", ("auth.view_group",))


def test_role_groups_are_created_and_completed_never_trimmed():
    sync_role_groups([ROLE])
    group = Group.objects.get(name="Core test readers")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", "view_group"}
    extra = Permission.objects.get(codename="change_group")
    group.permissions.add(extra)
    sync_role_groups([ROLE])
    assert group.permissions.filter(pk=extra.pk).exists()
    assert Group.objects.filter(name="Core test readers").count() == 1


def test_schedules_follow_the_app_migration_state():
    spec = ScheduleSpec("core test: tick", "civic_core.schedules.sync_schedules", 7)
    # A migrated app gets its schedules, with the interval of the current settings.
    sync_schedules("auth", [spec])
    sync_schedules("auth", [ScheduleSpec(spec.name, spec.func, 9)])
    schedule = Schedule.objects.get(name=spec.name)
    assert (schedule.func, schedule.minutes, schedule.repeats) == (spec.func, 9, -1)
    assert schedule.schedule_type == Schedule.MINUTES
    # An app with no applied migration (migrated to zero, or removed) loses them.
    sync_schedules("an_app_migrated_to_zero", [spec])
    assert not Schedule.objects.filter(name=spec.name).exists()
