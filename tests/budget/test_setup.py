"""What the plugin sets up after every migration: role groups and the count schedule."""

import pytest
from django.contrib.auth.models import Group
from django_q.models import Schedule

from civic_budget import roles, tasks

pytestmark = pytest.mark.django_db


def test_role_groups_are_completed_never_trimmed():
    reviewers = Group.objects.get(name="Budget reviewers")
    extra = reviewers.permissions.exclude(codename="review_project").first()
    reviewers.permissions.clear()
    reviewers.permissions.add(extra)
    roles.ensure_role_groups()
    codenames = set(reviewers.permissions.values_list("codename", flat=True))
    assert {"review_project", "manage_implementation", "access_admin"} <= codenames
    assert extra.codename in codenames


def test_the_count_schedule_is_kept_in_step():
    Schedule.objects.filter(func="civic_budget.tasks.count_closed_processes").delete()
    tasks.ensure_schedules()
    tasks.ensure_schedules()
    schedule = Schedule.objects.get(func="civic_budget.tasks.count_closed_processes")
    assert (schedule.name, schedule.minutes, schedule.repeats) == (
        "civic_budget: count closed votes",
        5,
        -1,
    )
