"""The schedule that counts each process once its vote has closed (upserted, idempotent)."""

from django.db import migrations

SCHEDULE_NAME = "civic_budget: count closed votes"
TASK = "civic_budget.tasks.count_closed_processes"


def upsert_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": TASK, "schedule_type": "I", "minutes": 5, "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("civic_budget", "0002_counting_results"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(upsert_schedule, remove_schedule)]
