"""Models of the budget plugin.

The identity of a voter (needed to keep one ballot per person) lives in
:class:`VoterRegistration`, keyed by a keyed hash; the choices live in :class:`Ballot`, which
holds no identity, no account and no time stamp. Only the holder of the identity key can relate
the two (see ``identity.py``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from civic_budget import ballot_rules, phases

PUBLIC = "public"
MEMBERS = "members"
INTERNAL = "internal"
VISIBILITY_CHOICES = [
    (PUBLIC, _("Public")),
    (MEMBERS, _("Members")),
    (INTERNAL, _("Internal")),
]


COUNTING_RULE_CHOICES = [
    ("greedy", _("Greedy by votes")),
    ("mes", _("Method of Equal Shares")),
    ("mes_add1", _("Method of Equal Shares, completed by Add1")),
    ("mes_add1_utilitarian", _("Method of Equal Shares, Add1 then greedy completion")),
]


class Process(models.Model):
    """One edition of the participatory budget."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    total_budget_cents = models.PositiveBigIntegerField(_("total budget (cents)"))
    ideas_open = models.DateTimeField(_("idea submission opens"))
    review_open = models.DateTimeField(_("feasibility review starts"))
    vote_open = models.DateTimeField(_("vote opens"))
    vote_close = models.DateTimeField(_("vote closes"))
    results_published = models.DateTimeField(_("results published"))
    implementation_start = models.DateTimeField(_("implementation starts"))
    minimum_age = models.PositiveSmallIntegerField(_("minimum age to vote"), default=16)
    age_reference_date = models.DateField(
        _("age reference date"), help_text=_("Voters must have the minimum age on this date.")
    )
    counting_rule = models.CharField(
        _("counting rule"), max_length=30, choices=COUNTING_RULE_CHOICES, default="mes_add1"
    )
    tie_break_seed = models.CharField(
        _("draw that breaks ties"),
        max_length=200,
        blank=True,
        help_text=_(
            "Text of the public draw (e.g. its date and place); recorded with the results."
        ),
    )
    frozen_ballots_hash = models.CharField(
        _("hash of the frozen ballots"), max_length=64, blank=True
    )
    frozen_at = models.DateTimeField(_("ballots frozen at"), null=True, blank=True)

    class Meta:
        ordering = ["-vote_open"]
        verbose_name = _("budget process")
        verbose_name_plural = _("budget processes")
        permissions = [("view_live_turnout", _("Can see the turnout while the vote is open"))]

    def __str__(self):
        return self.title

    @property
    def schedule(self):
        return phases.Schedule(
            self.ideas_open,
            self.review_open,
            self.vote_open,
            self.vote_close,
            self.results_published,
            self.implementation_start,
        )

    def phase(self, now=None):
        return phases.current_phase(self.schedule, now or timezone.now())

    def clean(self):
        problems = self.schedule.problems() if self.ideas_open and self.implementation_start else []
        if problems:
            raise ValidationError(
                {name: _("This date comes before the previous phase.") for name in problems}
            )


class Zone(models.Model):
    CITYWIDE = "citywide"
    DISTRICT = "district"
    KIND_CHOICES = [(CITYWIDE, _("City-wide")), (DISTRICT, _("District"))]
    RULE_CHOICES = [
        (ballot_rules.APPROVAL_BUDGET, _("Approval within the zone budget")),
        (ballot_rules.APPROVAL_COUNT, _("Approval of a minimum and maximum number of projects")),
        (ballot_rules.CUMULATIVE, _("Cumulative points")),
    ]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES, default=DISTRICT)
    budget_cents = models.PositiveBigIntegerField(_("budget (cents)"))
    population = models.PositiveIntegerField(_("population"))
    ballot_rule = models.CharField(
        _("ballot rule"), max_length=20, choices=RULE_CHOICES, default=ballot_rules.APPROVAL_BUDGET
    )
    min_choices = models.PositiveSmallIntegerField(_("minimum number of projects"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of projects"), null=True, blank=True
    )
    points_total = models.PositiveSmallIntegerField(_("points per voter"), default=0)
    max_points_per_project = models.PositiveSmallIntegerField(
        _("maximum points per project"), null=True, blank=True
    )

    class Meta:
        ordering = ["process", "kind", "name"]
        unique_together = [("process", "name")]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.name

    def as_rule(self):
        return ballot_rules.ZoneRule(
            zone_id=self.pk,
            name=self.name,
            rule=self.ballot_rule,
            budget_cents=self.budget_cents,
            min_choices=self.min_choices,
            max_choices=self.max_choices,
            points_total=self.points_total,
            max_points_per_project=self.max_points_per_project,
        )


class PollingPlace(models.Model):
    """Where agents collect paper ballots; agents hold an object permission on their place."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="polling_places")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)

    class Meta:
        ordering = ["process", "name"]
        verbose_name = _("polling place")
        verbose_name_plural = _("polling places")
        permissions = [("enter_paper_ballots", _("Can enter and confirm paper ballots here"))]

    def __str__(self):
        return self.name


class PollingPlaceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PollingPlace, on_delete=models.CASCADE)


class PollingPlaceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PollingPlace, on_delete=models.CASCADE)


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status__in=Project.NOT_PUBLIC)

    def on_ballot(self):
        return self.filter(status__in=Project.BALLOT_STATUSES)


class Project(models.Model):
    SUBMITTED = "submitted"
    REFUSED = "refused"
    UNDER_REVIEW = "under_review"
    FEASIBLE = "feasible"
    UNFEASIBLE = "unfeasible"
    MERGED = "merged"
    ON_BALLOT = "on_ballot"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    STATUS_CHOICES = [
        (SUBMITTED, _("Submitted, awaiting moderation")),
        (REFUSED, _("Refused at moderation")),
        (UNDER_REVIEW, _("Under feasibility review")),
        (FEASIBLE, _("Feasible")),
        (UNFEASIBLE, _("Unfeasible")),
        (MERGED, _("Merged into another project")),
        (ON_BALLOT, _("On the ballot")),
        (SELECTED, _("Selected")),
        (NOT_SELECTED, _("Not selected")),
    ]
    # Ideas awaiting moderation are seen only by their proposer and the reviewers.
    NOT_PUBLIC = (SUBMITTED,)
    BALLOT_STATUSES = (ON_BALLOT, SELECTED, NOT_SELECTED)

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="projects")
    zone = models.ForeignKey(Zone, on_delete=models.RESTRICT, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=250, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    estimated_cost_cents = models.PositiveBigIntegerField(_("estimated cost (cents)"))
    reviewed_cost_cents = models.PositiveBigIntegerField(
        _("reviewed cost (cents)"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=SUBMITTED)
    public_reason = models.TextField(_("public reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="merged_projects"
    )
    progress_percent = models.PositiveSmallIntegerField(_("implementation progress (%)"), default=0)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["process", "zone", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [
            ("review_project", _("Can moderate and review the feasibility of projects")),
            ("manage_implementation", _("Can record the implementation of projects")),
        ]
        indexes = [models.Index(fields=["process", "status"])]

    def __str__(self):
        return self.title

    @property
    def cost_cents(self):
        """The cost that counts: the reviewed one once the city has reviewed it."""
        if self.reviewed_cost_cents is not None:
            return self.reviewed_cost_cents
        return self.estimated_cost_cents


class ProjectUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)


class ProjectGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)


class ProjectEvent(models.Model):
    """Append-only timeline of a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=VISIBILITY_CHOICES, default=PUBLIC
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self):
        return f"{self.project_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline events are append-only.")


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class VoterRegistration(models.Model):
    """Proof that a person voted in a process: keyed hashes only, never the choices."""

    ONLINE = "online"
    PAPER = "paper"
    METHOD_CHOICES = [(ONLINE, _("Online")), (PAPER, _("Paper"))]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="registrations")
    identity_key = models.CharField(max_length=64)
    account_key = models.CharField(max_length=64, null=True, blank=True)
    method = models.CharField(max_length=6, choices=METHOD_CHOICES)
    registered_at = models.DateTimeField(default=timezone.now)

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
        return f"{self.process_id}:{self.identity_key[:8]}"


class Ballot(models.Model):
    """The anonymous choices of one voter, the input of the counting."""

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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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


class ZoneResult(models.Model):
    """The counted outcome of one zone, with everything needed to recompute it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="results")
    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(_("rule"), max_length=30)
    parameters = models.JSONField(_("parameters"))
    status = models.CharField(_("status"), max_length=20)
    winners = models.JSONField(_("winners"))
    spent_cents = models.PositiveBigIntegerField(_("spent (cents)"))
    leftover_cents = models.PositiveBigIntegerField(_("left over (cents)"))
    final_endowment = models.CharField(_("final endowment per voter"), max_length=200, blank=True)
    tie_order = models.JSONField(_("tie order"))
    input_hash = models.CharField(_("input hash"), max_length=100)
    ballots_hash = models.CharField(_("hash of the frozen ballots"), max_length=64)
    algorithm_version = models.CharField(_("algorithm version"), max_length=50)
    voter_count = models.PositiveIntegerField(_("voters"))
    greedy_winners = models.JSONField(_("winners under greedy by votes"))
    detail = models.JSONField(_("full result"))
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["process", "zone"]
        verbose_name = _("zone result")
        verbose_name_plural = _("zone results")

    def __str__(self):
        return f"{self.zone} ({self.rule})"


# Wagtail discovers page types among the models of the app.
from civic_budget.pages import BudgetPage  # noqa: E402,F401
