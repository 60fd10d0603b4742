"""Stored opinion group runs (computed by tasks.py): groups, their votes per proposal, bridging
scores and the votes per identity level. Nobody's membership of a group is stored."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_consultation.models.consultations import Consultation
from civic_consultation.models.participants import Participant
from civic_consultation.models.proposals import Proposal


class OpinionGroupRun(models.Model):
    """One computation of the opinion groups of a consultation (see opinion.py).

    Groups are described by their size and their votes per proposal; who belongs to which group
    is never stored."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="opinion_runs"
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    participants = models.PositiveIntegerField(_("participants in the groups"))
    votes = models.PositiveIntegerField(_("votes counted"))
    group_count = models.PositiveSmallIntegerField(_("number of groups"))
    silhouette = models.FloatField(_("silhouette"))
    algorithm_version = models.CharField(max_length=40)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("opinion group computation")
        verbose_name_plural = _("opinion group computations")
        ordering = ["-computed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["consultation", "-computed_at"], name="civic_consultation_run_latest"
            )
        ]

    def __str__(self):
        return f"{self.consultation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class OpinionGroup(models.Model):
    run = models.ForeignKey(OpinionGroupRun, on_delete=models.CASCADE, related_name="groups")
    # Stable between runs (matched on the groups' votes): shown as a letter, 1 = A.
    number = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField()
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "number"], name="civic_consultation_opinion_group_number"
            )
        ]

    def __str__(self):
        return self.letter

    @property
    def letter(self):
        return chr(ord("A") + (self.number - 1) % 26)


class OpinionGroupVotes(models.Model):
    """A group's votes on one proposal, and its place among the group's representative
    proposals when it is one."""

    class Direction(models.TextChoices):
        AGREE = "agree", _("agrees")
        DISAGREE = "disagree", _("disagrees")

    group = models.ForeignKey(OpinionGroup, on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    agree = models.PositiveIntegerField()
    disagree = models.PositiveIntegerField()
    seen = models.PositiveIntegerField()
    representative_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    # Smoothed rate of the direction in the group, and its ratio to the other participants.
    rate = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "proposal"], name="civic_consultation_opinion_group_proposal"
            )
        ]
        indexes = [
            models.Index(
                fields=["group", "representative_rank"], name="civic_consultation_group_repr"
            )
        ]

    def __str__(self):
        return f"{self.group_id} #{self.proposal_id}"


class OpinionProposalScore(models.Model):
    """Per run and proposal: the bridging score (support in the least convinced group)."""

    run = models.ForeignKey(OpinionGroupRun, on_delete=models.CASCADE, related_name="scores")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    bridging = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "proposal"], name="civic_consultation_opinion_run_proposal"
            )
        ]
        indexes = [models.Index(fields=["run", "-bridging"], name="civic_consultation_bridging")]

    def __str__(self):
        return f"{self.run_id} #{self.proposal_id}: {self.bridging:.3f}"


class IdentityLevelCount(models.Model):
    """Per run, proposal and identity level of the voters: their trusted votes."""

    run = models.ForeignKey(
        OpinionGroupRun, on_delete=models.CASCADE, related_name="identity_counts"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    identity_level = models.CharField(max_length=16, choices=Participant.IdentityLevel.choices)
    agree = models.PositiveIntegerField()
    disagree = models.PositiveIntegerField()
    neutral = models.PositiveIntegerField()
    # Lower bound of the agree rate: orders each level's top proposals in the database.
    agree_low = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "proposal", "identity_level"],
                name="civic_consultation_identity_level_count",
            )
        ]
        indexes = [
            models.Index(
                fields=["run", "identity_level", "-agree_low"], name="civic_consultation_level_top"
            )
        ]

    def __str__(self):
        return f"{self.identity_level} #{self.proposal_id}"
