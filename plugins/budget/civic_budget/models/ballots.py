"""Who voted (keyed hashes only) and what was chosen (anonymous ballots), kept apart.

The identity of a voter (needed to keep one ballot per person) lives in
:class:`VoterRegistration`, keyed by a keyed hash; the choices live in :class:`Ballot`, which
holds no identity, no account and no time stamp. Only the holder of the identity key can relate
the two (see ``identity.py``). Ballots and their choices have random primary keys, so their
order says nothing about the order of the registrations, whose date is kept to the day.
Paper ballots wait in :class:`PaperBallotEntry` for a second agent's identical entry.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_budget.models.process import PollingPlace, Process, Zone
from civic_budget.models.projects import Project


def random_id():
    """A primary key that reveals nothing about when the row was written."""
    return secrets.randbelow(2**63 - 1) + 1


def today():
    return timezone.localdate()


class VoterRegistration(models.Model):
    """Proof that a person voted in a process: keyed hashes only, never the choices.

    The keys are emptied (``None``) when the process's identities are purged
    (``retention.purge_identities``); the row stays, so the turnout stays exact.
    """

    ONLINE = "online"
    PAPER = "paper"
    METHOD_CHOICES = [(ONLINE, _("Online")), (PAPER, _("Paper"))]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="registrations")
    identity_key = models.CharField(max_length=64, null=True, blank=True)
    account_key = models.CharField(max_length=64, null=True, blank=True)
    # Whether an identity provider vouched for the person (keyed on provider and subject).
    verified = models.BooleanField(default=False)
    method = models.CharField(max_length=6, choices=METHOD_CHOICES)
    registered_on = models.DateField(default=today)
    # When the voter was last e-mailed about their ballot (confirmations are throttled).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voter registration")
        verbose_name_plural = _("voter registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "identity_key"], name="civic_budget_one_vote_per_person"
            ),
            models.UniqueConstraint(
                fields=["process", "account_key"], name="civic_budget_one_vote_per_account"
            ),
        ]

    def __str__(self):
        return f"{self.process_id}:{(self.identity_key or '-')[:8]}"


class Ballot(models.Model):
    """The anonymous choices of one voter, the input of the counting."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    receipt_key = models.CharField(max_length=64)
    zone = models.ForeignKey(Zone, on_delete=models.RESTRICT, related_name="ballots")
    age_bucket = models.CharField(max_length=10)
    method = models.CharField(max_length=6, choices=VoterRegistration.METHOD_CHOICES)
    polling_place = models.ForeignKey(
        PollingPlace, null=True, blank=True, on_delete=models.RESTRICT, related_name="ballots"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "receipt_key"], name="civic_budget_one_ballot_per_receipt"
            )
        ]

    def __str__(self):
        return f"{self.process_id}:{self.pk}"


class BallotChoice(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.RESTRICT, related_name="ballot_choices")
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "project"], name="civic_budget_one_choice_per_project"
            )
        ]

    def __str__(self):
        return f"{self.ballot_id}:{self.project_id}"


class PaperBallotEntry(models.Model):
    """A paper ballot typed in by one agent, waiting for a second agent's identical entry.

    Only keyed digests are stored: the second agent types the ballot again without seeing the
    first entry, and the ballot is created from the second entry when both digests match.
    """

    AWAITING = "awaiting"
    CONFIRMED = "confirmed"
    DUPLICATE = "duplicate"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [
        (AWAITING, _("Awaiting a second entry")),
        (CONFIRMED, _("Confirmed")),
        (DUPLICATE, _("Refused: this person had already voted")),
        (CANCELLED, _("Cancelled")),
    ]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="paper_entries")
    polling_place = models.ForeignKey(
        PollingPlace, on_delete=models.RESTRICT, related_name="paper_entries"
    )
    # Emptied when the agent's account is erased; the entry stays for the count's audit.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    identity_key = models.CharField(max_length=64)
    entry_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=AWAITING)
    mismatches = models.PositiveSmallIntegerField(default=0)
    entered_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "identity_key"],
                condition=models.Q(status="awaiting"),
                name="civic_budget_one_pending_paper_entry_per_person",
            )
        ]

    def __str__(self):
        return f"{self.polling_place} #{self.pk}"
