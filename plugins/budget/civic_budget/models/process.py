"""An edition of the participatory budget, its zones and its polling places."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from civic_budget import ballot_rules, phases

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
    tie_cost_order = models.CharField(
        _("ties between projects"),
        max_length=10,
        choices=[
            ("ascending", _("The cheaper project first, then more votes, then the draw")),
            ("descending", _("The more expensive project first, then more votes, then the draw")),
        ],
        default="ascending",
        help_text=_("Which project a tie favours; recorded with the results."),
    )
    frozen_ballots_hash = models.CharField(
        _("hash of the frozen ballots"), max_length=64, blank=True
    )
    frozen_at = models.DateTimeField(_("ballots frozen at"), null=True, blank=True)
    identities_purged_at = models.DateTimeField(
        _("voters' identities purged at"), null=True, blank=True
    )

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

    def resident_may(self, action, now=None):
        """Whether the phase lets residents do ``action`` (``phases.RESIDENT_ACTIONS``)."""
        return phases.resident_may(self.schedule, now or timezone.now(), action)

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
        constraints = [
            models.UniqueConstraint(
                fields=["process", "name"], name="civic_budget_one_zone_name_per_process"
            )
        ]
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
