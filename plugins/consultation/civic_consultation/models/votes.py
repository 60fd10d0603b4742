"""Votes, the cards they are cast on, per-segment counters and the consultation's sharded live
counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_consultation import scoring
from civic_consultation.models.consultations import Consultation
from civic_consultation.models.participants import Participant
from civic_consultation.models.proposals import Proposal, VoteCounters


class CounterShard(models.Model):
    """One of a few rows whose sum is a consultation's live counters: votes in parallel update
    different rows instead of queueing on one."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="counter_shards"
    )
    shard = models.PositiveSmallIntegerField()
    participants = models.BigIntegerField(default=0)
    proposals = models.BigIntegerField(default=0)
    votes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "shard"], name="civic_consultation_shard"
            )
        ]

    def __str__(self):
        return f"{self.consultation_id}/{self.shard}"


class SegmentCounter(VoteCounters):
    """Trusted counters of one proposal among the participants of one segment."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="segments")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "dimension", "value"],
                name="civic_consultation_proposal_segment",
            )
        ]
        indexes = [
            models.Index(fields=["dimension", "value"], name="civic_consultation_seg_lookup")
        ]

    def __str__(self):
        return f"{self.dimension}={self.value} #{self.proposal_id}"


class Card(models.Model):
    """A proposal served to a participant in a sequence, with its key and the probability with
    which it was chosen."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cards")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cards")
    sequence = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=80, unique=True)
    probability = models.FloatField()
    reason = models.CharField(max_length=10)
    served_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence", "position"]
        indexes = [
            models.Index(fields=["participant", "sequence"], name="civic_consultation_card_seq")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "proposal", "sequence"],
                name="civic_consultation_one_card_per_sequence",
            )
        ]

    def __str__(self):
        return self.key


class VoteQuerySet(models.QuerySet):
    def counted(self):
        """The votes a proposal's ranking counters hold: cast on cards the sampler served,
        not excluded by a moderator (shared-link and untrusted votes are counted apart)."""
        return self.filter(trusted=True, excluded=False, shared=False)


class Vote(models.Model):
    class Value(models.TextChoices):
        AGREE = scoring.AGREE, _("Agree")
        DISAGREE = scoring.DISAGREE, _("Disagree")
        NEUTRAL = scoring.NEUTRAL, _("Neutral")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    value = models.CharField(max_length=10, choices=Value.choices)
    qualifications = models.JSONField(default=list, blank=True)
    trusted = models.BooleanField(default=False)
    # Excluded by a moderator: stored, shown in the evidence, not counted for the ranking.
    excluded = models.BooleanField(default=False)
    # Cast on a card opened by a shared link (counted apart, capped).
    shared = models.BooleanField(default=False)
    # The voter's address range (keyed hash, see Participant) when the vote was cast: the
    # address-range cap counts each vote under it, whatever the participant's range later.
    address_range = models.CharField(max_length=32, blank=True, editable=False)
    # The sequence of the served card the vote was cast on (participant, proposal, sequence
    # name the card); empty for untrusted votes.
    sequence = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "proposal"], name="civic_consultation_one_vote_each"
            )
        ]
        indexes = [
            models.Index(fields=["proposal", "trusted"], name="civic_consultation_vote_prop")
        ]

    def __str__(self):
        return f"{self.value} #{self.proposal_id}"
