"""Proposals, the counters their votes move, and the ideas moderators group them into.

Counters are columns moved in the transaction of the vote that changes them (``vote_store``);
results and the sequence read them instead of scanning votes.
"""

import random

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_consultation import scoring
from civic_consultation.models.consultations import Consultation, Theme
from civic_consultation.models.participants import Participant


class Idea(models.Model):
    """A group of proposals saying the same thing, formed by moderators."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ideas")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VoteCounters(models.Model):
    """Trusted counters (they rank) and untrusted ones (shown apart)."""

    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    like_it = models.PositiveIntegerField(default=0)
    doable = models.PositiveIntegerField(default=0)
    platitude_agree = models.PositiveIntegerField(default=0)
    no_way = models.PositiveIntegerField(default=0)
    impossible = models.PositiveIntegerField(default=0)
    platitude_disagree = models.PositiveIntegerField(default=0)
    do_not_understand = models.PositiveIntegerField(default=0)
    no_opinion = models.PositiveIntegerField(default=0)
    do_not_care = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def counts(self):
        return scoring.Counts.from_object(self)


def random_shuffle_key():
    return random.random()


class Proposal(VoteCounters):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending moderation")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        POSTPONED = "postponed", _("Postponed")
        ARCHIVED = "archived", _("Archived")

    class Pool(models.TextChoices):
        TESTING = scoring.POOL_TESTING, _("Being tested")
        SAMPLING = scoring.POOL_SAMPLING, _("Sampled")
        RETIRED = scoring.POOL_RETIRED, _("Retired from sampling")

    class Zone(models.TextChoices):
        CONSENSUS = scoring.ZONE_CONSENSUS, _("Consensus")
        CONTROVERSY = scoring.ZONE_CONTROVERSY, _("Controversy")
        REJECTION = scoring.ZONE_REJECTION, _("Rejection")
        LIMBO = scoring.ZONE_LIMBO, _("Limbo")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals")
    text = models.CharField(_("text"), max_length=500)
    signature = models.CharField(max_length=500, blank=True, editable=False)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    refusal_reason = models.CharField(_("refusal reason"), max_length=40, blank=True)
    moderator_note = models.TextField(_("moderator note"), blank=True)
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Sequence and ranking columns, refreshed with the counters.
    served = models.PositiveIntegerField(default=0)
    untrusted_agree = models.PositiveIntegerField(default=0)
    untrusted_disagree = models.PositiveIntegerField(default=0)
    untrusted_neutral = models.PositiveIntegerField(default=0)
    # Votes on cards opened by a shared link: served, but not chosen by the sampler; they
    # weigh at most a capped share of the ranking (scoring.ranking_counts).
    shared_agree = models.PositiveIntegerField(default=0)
    shared_disagree = models.PositiveIntegerField(default=0)
    shared_neutral = models.PositiveIntegerField(default=0)
    # The address-range cap: {"weights": range -> weight kept, "amounts": counter -> weight
    # taken off for the ranking}; weights refreshed by a task (ranges.py), amounts kept exact by
    # each vote in between (integrity.move_excess).
    range_excess = models.JSONField(default=dict, blank=True, editable=False)
    pool = models.CharField(max_length=10, choices=Pool.choices, default=Pool.TESTING)
    shuffle_key = models.FloatField(default=random_shuffle_key)
    agree_high = models.FloatField(default=1.0)
    top_score = models.FloatField(default=0.0)
    top_score_low = models.FloatField(default=-1.0)
    controversy_low = models.FloatField(default=0.0)
    rejection_low = models.FloatField(default=-1.0)
    zone = models.CharField(max_length=12, choices=Zone.choices, default=Zone.LIMBO)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["consultation", "status", "created_at"],
                name="civic_consultation_prop_queue",
            ),
            models.Index(
                fields=["consultation", "status", "pool", "served"],
                name="civic_consultation_prop_new",
            ),
            models.Index(
                fields=["consultation", "status", "pool", "-agree_high"],
                name="civic_consultation_prop_best",
            ),
            models.Index(
                fields=["consultation", "status", "pool", "shuffle_key"],
                name="civic_consultation_prop_random",
            ),
            models.Index(
                fields=["consultation", "status", "-top_score_low"],
                name="civic_consultation_prop_top",
            ),
            models.Index(
                fields=["consultation", "status", "-controversy_low"],
                name="civic_consultation_prop_contro",
            ),
            models.Index(
                fields=["consultation", "status", "-rejection_low"],
                name="civic_consultation_prop_reject",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def trusted_votes(self):
        return self.agree + self.disagree + self.neutral

    @property
    def untrusted_votes(self):
        return self.untrusted_agree + self.untrusted_disagree + self.untrusted_neutral

    @property
    def shared_counts(self):
        return scoring.shared_counts(self.__dict__)
