"""A consultation, its themes and phases, and who may moderate it (guardian's direct
object-permission tables)."""

from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel


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
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        help_text=_(
            "Language code of the proposals (e.g. fr, en): it gives their usual first words and "
            "how similar proposals are found. Empty: the site's language."
        ),
    )
    proposal_prefix = models.CharField(
        _("proposal prefix"),
        max_length=60,
        blank=True,
        default="",
        help_text=_(
            "Every proposal starts with these words. Empty: the usual words of the "
            "consultation's language (“Il faut” in French, “We need to” in English)."
        ),
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
                FieldPanel("language"),
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

    @property
    def prefix(self):
        """The words every proposal starts with, as the adapter decides them."""
        from civic_consultation.adapter import get_adapter

        return get_adapter().proposal_prefix(self)

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
            models.UniqueConstraint(
                fields=["consultation", "slug"], name="civic_consultation_theme_slug"
            )
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


class ConsultationUserObjectPermission(UserObjectPermissionBase):
    """Per-consultation permissions of a user (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)


class ConsultationGroupObjectPermission(GroupObjectPermissionBase):
    """Per-consultation permissions of a group (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)
