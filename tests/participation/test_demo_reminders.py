"""The participation demo shows overdue items with their reminders, and stays idempotent."""

import pytest
from django.core.management import call_command

from civic_participation.models import Reminder, ReminderDelivery, Request, TimelineEvent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_records_the_reminders_of_its_overdue_items_once():
    call_command("load_demo_participation", allow_production=True, verbosity=0)
    late = Request.objects.get(title="Réparer les trottoirs rue de Dornach")
    assert late.days_overdue() > 0
    steps = set(Reminder.objects.filter(deadline__request=late).values_list("step", flat=True))
    assert {"reminder", "escalation_manager"} <= steps
    assert TimelineEvent.objects.filter(request=late, kind="reminder_escalation_manager").exists()
    counts = (Reminder.objects.count(), ReminderDelivery.objects.count())
    assert ReminderDelivery.objects.filter(status="pending").exists()
    call_command("load_demo_participation", allow_production=True, verbosity=0)
    assert (Reminder.objects.count(), ReminderDelivery.objects.count()) == counts


def test_the_demo_refuses_a_production_site_unless_told(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo_participation", verbosity=0)
    assert not Request.objects.exists()
