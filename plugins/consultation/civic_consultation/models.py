"""Models of the consultation plugin.

Counters are columns updated with F() expressions in the transaction of the change that moves
them (see services.py); results and the sequence read them instead of scanning votes.
"""

import random
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from civic_consultation import integrity, scoring


class Consultation(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    proposal_prefix = models.CharField(
        _("proposal prefix"),
        max_length=60,
        default="Il faut",
        help_text=_("Every proposal starts with these words, e.g. “Il faut”."),
    )
    proposal_min_length = models.PositiveSmallIntegerField(_("minimum length"), default=12)
    proposal_max_length = models.PositiveSmallIntegerField(_("maximum length"), default=140)
    vote_target = models.PositiveIntegerField(_("vote target"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("slug"), FieldPanel("question")],
            heading=_("Question"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("opens_at"), FieldPanel("closes_at")],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("proposal_prefix"),
                FieldPanel("proposal_min_length"),
                FieldPanel("proposal_max_length"),
                FieldPanel("vote_target"),
            ],
            heading=_("Proposals and votes"),
        ),
        InlinePanel("themes", label=_("Themes")),
        InlinePanel("phases", label=_("Phases")),
    ]

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at"]
        permissions = [("moderate_consultation", _("Can moderate the proposals"))]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def counters(self):
        """Live counters: the sum of a few shard rows, whatever the consultation's size."""
        totals = self.counter_shards.aggregate(
            participants=Sum("participants"), proposals=Sum("proposals"), votes=Sum("votes")
        )
        return {name: value or 0 for name, value in totals.items()}


class Theme(models.Model):
    consultation = ParentalKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    sort_order = models.IntegerField(default=0, editable=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "slug"], name="consultation_theme_slug")
        ]

    def __str__(self):
        return self.name


class Phase(models.Model):
    consultation = ParentalKey(Consultation, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    sort_order = models.IntegerField(default=0, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
    ]

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "sort_order"]

    def __str__(self):
        return self.name

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


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
            models.UniqueConstraint(fields=["consultation", "shard"], name="consultation_shard")
        ]

    def __str__(self):
        return f"{self.consultation_id}/{self.shard}"


class Participant(models.Model):
    class IdentityLevel(models.TextChoices):
        COOKIE = "cookie", _("Browser cookie")
        EMAIL = "email", _("Verified e-mail")
        ACCOUNT = "account", _("Account")

    class ProfileState(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked yet")
        ANSWERED = "answered", _("Answered")
        SKIPPED = "skipped", _("Skipped")

    class Flag(models.TextChoices):
        UNIFORM = integrity.FLAG_UNIFORM, _("Always votes the same way")
        BURST = integrity.FLAG_BURST, _("Votes faster than a person reads")

    class AgeRange(models.TextChoices):
        UNDER_18 = "under_18", _("Under 18")
        FROM_18_TO_24 = "18_24", _("18 to 24")
        FROM_25_TO_34 = "25_34", _("25 to 34")
        FROM_35_TO_49 = "35_49", _("35 to 49")
        FROM_50_TO_64 = "50_64", _("50 to 64")
        OVER_65 = "65_plus", _("65 and over")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_participations",
    )
    identity_level = models.CharField(
        max_length=16, choices=IdentityLevel.choices, default=IdentityLevel.COOKIE
    )
    profile_state = models.CharField(
        max_length=16, choices=ProfileState.choices, default=ProfileState.NOT_ASKED
    )
    age_range = models.CharField(max_length=16, choices=AgeRange.choices, blank=True)
    district = models.CharField(_("district or postal code"), max_length=60, blank=True)
    sequences = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Integrity: a flag points moderators at the session; only their decision excludes its
    # votes from the ranking (the votes stay stored and can be included again).
    flag = models.CharField(_("flag"), max_length=16, choices=Flag.choices, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    excluded = models.BooleanField(_("votes excluded from the ranking"), default=False)
    # A keyed hash of the address range the participant joined from (never the address): it
    # tells which sessions share a network, and nothing outside this site and consultation.
    address_range = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["consultation", "flag"], name="participant_flag"),
            models.Index(fields=["consultation", "address_range"], name="participant_range"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_account",
            )
        ]

    def __str__(self):
        return str(self.public_id)

    def segments(self):
        """(dimension, value) pairs this participant's votes are counted under."""
        pairs = []
        if self.age_range:
            pairs.append(("age_range", self.age_range))
        if self.district:
            pairs.append(("district", self.district.strip().upper()))
        return pairs


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
            models.Index(fields=["consultation", "status", "created_at"], name="proposal_queue"),
            models.Index(fields=["consultation", "status", "pool", "served"], name="proposal_new"),
            models.Index(
                fields=["consultation", "status", "pool", "-agree_high"], name="proposal_best"
            ),
            models.Index(
                fields=["consultation", "status", "pool", "shuffle_key"], name="proposal_shuffle"
            ),
            models.Index(fields=["consultation", "status", "-top_score_low"], name="proposal_top"),
            models.Index(
                fields=["consultation", "status", "-controversy_low"], name="proposal_contested"
            ),
            models.Index(
                fields=["consultation", "status", "-rejection_low"], name="proposal_rejected"
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


class SegmentCounter(VoteCounters):
    """Trusted counters of one proposal among the participants of one segment."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="segments")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "dimension", "value"], name="proposal_segment"
            )
        ]
        indexes = [models.Index(fields=["dimension", "value"], name="segment_lookup")]

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
        indexes = [models.Index(fields=["participant", "sequence"], name="card_sequence")]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "proposal", "sequence"], name="one_card_per_sequence"
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
            models.UniqueConstraint(fields=["participant", "proposal"], name="one_vote_each")
        ]
        indexes = [models.Index(fields=["proposal", "trusted"], name="vote_proposal")]

    def __str__(self):
        return f"{self.value} #{self.proposal_id}"


class Event(models.Model):
    """Append-only timeline of the consultation's state changes."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members")
        INTERNAL = "internal", _("Internal")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.kind} {self.from_state}→{self.to_state}"


class ConsultationUserObjectPermission(UserObjectPermissionBase):
    """Per-consultation permissions of a user (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)


class ConsultationGroupObjectPermission(GroupObjectPermissionBase):
    """Per-consultation permissions of a group (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)


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
        indexes = [models.Index(fields=["consultation", "-computed_at"], name="opinion_run_latest")]

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
            models.UniqueConstraint(fields=["run", "number"], name="opinion_group_number")
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
            models.UniqueConstraint(fields=["group", "proposal"], name="opinion_group_proposal")
        ]
        indexes = [
            models.Index(fields=["group", "representative_rank"], name="opinion_representative")
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
            models.UniqueConstraint(fields=["run", "proposal"], name="opinion_run_proposal")
        ]
        indexes = [models.Index(fields=["run", "-bridging"], name="opinion_bridging")]

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
                fields=["run", "proposal", "identity_level"], name="identity_level_count"
            )
        ]
        indexes = [
            models.Index(fields=["run", "identity_level", "-agree_low"], name="identity_level_top")
        ]

    def __str__(self):
        return f"{self.identity_level} #{self.proposal_id}"


# Wagtail finds page types among an app's models: the page lives in pages.py.
from civic_consultation.pages import ConsultationPage  # noqa: E402,F401
