"""Ballot secrecy, verified identities, identity contests, retention and erasure of identities.

Ballots and their choices get random primary keys (existing rows are renumbered), so their
order no longer follows the order of the registrations, whose time is kept to the day.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import civic_budget.models.ballots


def renumber_ballots(apps, schema_editor):
    """Give every existing ballot and choice a random key (foreign keys are checked at commit)."""
    random_id = civic_budget.models.ballots.random_id
    Ballot = apps.get_model("civic_budget", "Ballot")
    BallotChoice = apps.get_model("civic_budget", "BallotChoice")
    for old in list(Ballot.objects.values_list("pk", flat=True)):
        new = random_id()
        Ballot.objects.filter(pk=old).update(id=new)
        BallotChoice.objects.filter(ballot_id=old).update(ballot_id=new)
    for old in list(BallotChoice.objects.values_list("pk", flat=True)):
        BallotChoice.objects.filter(pk=old).update(id=random_id())


class Migration(migrations.Migration):
    dependencies = [
        ("civic_budget", "0006_prefixed_constraint_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ballot",
            name="id",
            field=models.BigIntegerField(
                default=civic_budget.models.ballots.random_id,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.AlterField(
            model_name="ballotchoice",
            name="id",
            field=models.BigIntegerField(
                default=civic_budget.models.ballots.random_id,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.RunPython(renumber_ballots, migrations.RunPython.noop, elidable=True),
        migrations.RenameField(
            model_name="voterregistration", old_name="registered_at", new_name="registered_on"
        ),
        migrations.AlterField(
            model_name="voterregistration",
            name="registered_on",
            field=models.DateField(default=civic_budget.models.ballots.today),
        ),
        migrations.AlterField(
            model_name="voterregistration",
            name="identity_key",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="voterregistration",
            name="verified",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="voterregistration",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="process",
            name="identities_purged_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="voters' identities purged at"
            ),
        ),
        migrations.AlterField(
            model_name="paperballotentry",
            name="entered_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="paperballotentry",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="IdentityContest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "opened_on",
                    models.DateField(
                        default=civic_budget.models.ballots.today, verbose_name="opened on"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("upheld", "Upheld: the contested ballot was annulled"),
                            ("dismissed", "Dismissed"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="decided on")),
                ("decision_note", models.TextField(blank=True, verbose_name="decision note")),
                (
                    "claimant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="claimant",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "process",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contests",
                        to="civic_budget.process",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="civic_budget.voterregistration",
                    ),
                ),
            ],
            options={
                "verbose_name": "identity contest",
                "verbose_name_plural": "identity contests",
                "ordering": ["-opened_on", "-pk"],
                "permissions": [
                    (
                        "decide_identity_contest",
                        "Can decide identity contests and annul a ballot",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("registration", "claimant"),
                        name="civic_budget_one_open_contest_per_claimant",
                    )
                ],
            },
        ),
    ]
