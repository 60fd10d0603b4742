"""The scheduler's entry point and its django-q2 schedule."""

from datetime import timedelta

from django.utils import timezone
from django_q.models import Schedule

from civic_participation import tasks
from civic_participation.models import Offer
from tests.participation.factories import open_offer


def test_the_migration_installs_one_schedule_calling_the_task(db):
    schedule = Schedule.objects.get(name=tasks.SCHEDULE_NAME)
    assert schedule.func == tasks.SCHEDULE_FUNC
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 15


def test_the_task_runs_due_transitions(city, time_machine):
    offer = open_offer(city, [city.council], respond_in_days=21)
    time_machine.move_to(timezone.now() + timedelta(days=23))
    assert tasks.run_scheduled_transitions() == {"close_responses": 1}
    offer.refresh_from_db()
    assert offer.state == Offer.State.RESPONSES_CLOSED
    assert offer.invitations.get().state == "expired"
