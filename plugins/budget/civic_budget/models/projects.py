"""Projects from idea to implementation, their timeline and their milestones."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from civic_budget.models.process import Process, Zone
from civic_core.records import AppendOnlyModel

# Who reads a timeline event: everyone, the proposer and the reviewers, or the reviewers only.
PUBLIC = "public"
MEMBERS = "members"
INTERNAL = "internal"
VISIBILITY_CHOICES = [
    (PUBLIC, _("Public")),
    (MEMBERS, _("Members")),
    (INTERNAL, _("Internal")),
]


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
        indexes = [models.Index(fields=["process", "status"], name="civic_budget_project_status")]

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


class ProjectEvent(AppendOnlyModel):
    """One entry of a project's timeline, written once (see :class:`AppendOnlyModel`)."""

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
