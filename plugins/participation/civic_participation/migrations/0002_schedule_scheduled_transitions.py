from django.db import migrations

# This migration once created the scheduled-transitions schedule. Both of the plugin's schedules
# are now kept in step after every migrate by ``civic_participation.tasks.sync_task_schedules``,
# so it does nothing; it stays for the migration history of existing sites.


class Migration(migrations.Migration):
    dependencies = [
        ("civic_participation", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
