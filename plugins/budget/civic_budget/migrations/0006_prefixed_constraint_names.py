"""Names of indexes and constraints start with the app label.

The project index had a name Django generated; the zone's unique name per process was a
``unique_together`` (also named by Django): it becomes a named constraint, added before the
old one is dropped so the rule holds throughout.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("civic_budget", "0005_longer_input_hash"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="project",
            new_name="civic_budget_project_status",
            old_name="civic_budge_process_90c80b_idx",
        ),
        migrations.AddConstraint(
            model_name="zone",
            constraint=models.UniqueConstraint(
                fields=("process", "name"), name="civic_budget_one_zone_name_per_process"
            ),
        ),
        migrations.AlterUniqueTogether(
            name="zone",
            unique_together=set(),
        ),
    ]
